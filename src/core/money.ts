/** Money as decimal strings: exact arithmetic, and formatting in a locale with the currency the backend gave. */
import type {Money} from '../adapters/types.js';

const formats = new Map<string, Intl.NumberFormat>();

/** Formats `money` for display in `locale`, e.g. `{amount: "19.90", currencyCode: "EUR"}` → "€19.90" in `en`. */
export function formatMoneyIn(money: Money, locale: string): string {
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
  const total = toMinorUnits(a.amount, places) + toMinorUnits(b.amount, places);
  return {amount: fromMinorUnits(total, places), currencyCode: a.currencyCode};
}

/** Multiplies a decimal-string amount by a whole quantity, exactly. */
export function multiplyMoney(money: Money, quantity: number): Money {
  const places = decimals(money.amount);
  return {amount: fromMinorUnits(toMinorUnits(money.amount, places) * BigInt(quantity), places), currencyCode: money.currencyCode};
}

const decimals = (amount: string) => (amount.split('.')[1] ?? '').length;

/** A decimal-string amount in whole units of its `places`-th decimal: ("12.5", 2) → 1250n. Exact, signed. */
export function toMinorUnits(amount: string, places: number): bigint {
  const [whole, frac = ''] = amount.trim().split('.');
  return BigInt(whole + frac.padEnd(places, '0'));
}

/** Whole units of the `places`-th decimal as a decimal string: (1299, 2) → "12.99". Exact, signed. */
export function fromMinorUnits(minor: bigint | number, places: number): string {
  const value = BigInt(minor);
  const digits = (value < 0n ? -value : value).toString().padStart(places + 1, '0');
  const sign = value < 0n ? '-' : '';
  return places ? `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}` : `${sign}${digits}`;
}

/** True when `a` is a higher amount than `b` in the same currency: only then is it a "was" price. */
export function isHigherPrice(a: Money, b: Money): boolean {
  return a.currencyCode === b.currencyCode && Number(a.amount) > Number(b.amount);
}
