/** Money formatting in the page's locale, with the currency the backend gave. */
import type {Money} from '../adapters/types.js';

const formats = new Map<string, Intl.NumberFormat>();

/** The page's locale: `<html lang>`, else the browser's. */
export function pageLocale(): string {
  return (typeof document !== 'undefined' && document.documentElement.lang) || navigator.language || 'en';
}

/** Formats `money` for display, e.g. `{amount: "19.90", currencyCode: "EUR"}` → "€19.90" in `en`. */
export function formatMoney(money: Money, locale: string = pageLocale()): string {
  const key = `${locale}|${money.currencyCode}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, {style: 'currency', currency: money.currencyCode});
    } catch {
      // An unknown locale tag from the page must not break prices.
      format = new Intl.NumberFormat('en', {style: 'currency', currency: money.currencyCode});
    }
    formats.set(key, format);
  }
  // Intl accepts decimal strings exactly (no float rounding) in engines with Intl.NumberFormat v3.
  return format.format(money.amount as unknown as number);
}

/** Adds decimal-string amounts exactly, in minor units (no float drift: 0.1 + 0.2 stays 0.30). */
export function addMoney(a: Money, b: Money): Money {
  const places = Math.max(decimals(a.amount), decimals(b.amount));
  const total = toMinor(a.amount, places) + toMinor(b.amount, places);
  return {amount: fromMinor(total, places), currencyCode: a.currencyCode};
}

/** Multiplies a decimal-string amount by a whole quantity, exactly. */
export function multiplyMoney(money: Money, quantity: number): Money {
  const places = decimals(money.amount);
  return {amount: fromMinor(toMinor(money.amount, places) * BigInt(quantity), places), currencyCode: money.currencyCode};
}

const decimals = (amount: string) => (amount.split('.')[1] ?? '').length;
const toMinor = (amount: string, places: number) => {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole + frac.padEnd(places, '0'));
};
const fromMinor = (minor: bigint, places: number) => {
  if (!places) return minor.toString();
  const digits = minor.toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
};
