/** Money formatted in the page's locale (core/money.ts formats in any locale; this one reads the page). */
import type {Money} from '../adapters/types.js';
import {formatMoneyIn} from '../core/money.js';
import {usableLocale} from './usable-locale.js';

/** The page's locale: `<html lang>`, else the browser's (a tag Intl accepts). */
export function pageLocale(): string {
  return usableLocale(document.documentElement.lang, navigator.language);
}

/** Formats `money` for display, e.g. `{amount: "19.90", currencyCode: "EUR"}` → "€19.90" in `en`. */
export function formatMoney(money: Money, locale: string = pageLocale()): string {
  return formatMoneyIn(money, locale);
}
