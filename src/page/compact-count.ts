/**
 * Counts in a few characters ("1.2K watching", a poll's "3.4K votes"), in the language of the element that
 * shows them: its nearest `lang` (the page's `<html lang>` at the latest), else the browser's.
 */
import {usableLocale} from './usable-locale.js';

/** The locale of `element`: the nearest `lang` attribute around it, else the browser's language (a tag Intl accepts). */
export function elementLocale(element: Element): string {
  return usableLocale(element.closest('[lang]')?.getAttribute('lang'), navigator.language);
}

/** The last compact formatter made and its locale: the first of a page loads locale data (a long task on a phone). */
let compact: [string, Intl.NumberFormat] | undefined;

/** `1234` → "1.2K" (in `en`); an unknown locale tag falls back to `en` and never throws. */
export function formatCompact(count: number, locale: string): string {
  if (compact?.[0] !== locale) {
    const options = {notation: 'compact', maximumFractionDigits: 1} as const;
    let format: Intl.NumberFormat;
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      format = new Intl.NumberFormat('en', options);
    }
    compact = [locale, format];
  }
  return compact[1].format(count);
}

const formats = new Map<string, Intl.NumberFormat>();

/** A number format for `locale` (made once per locale and kind); an unknown locale tag gets `en`'s, never a throw. */
function formatIn(locale: string, kind: 'count' | 'percent'): Intl.NumberFormat {
  const key = `${kind}|${locale}`;
  let format = formats.get(key);
  if (!format) {
    const options: Intl.NumberFormatOptions = kind === 'percent' ? {style: 'percent', maximumFractionDigits: 0} : {maximumFractionDigits: 0};
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      format = new Intl.NumberFormat('en', options);
    }
    formats.set(key, format);
  }
  return format;
}

/** `1234` → "1,234" (in `en`), "١٬٢٣٤" (in `ar`): a whole count in full, in `locale`'s digits. */
export function formatCount(count: number, locale: string): string {
  return formatIn(locale, 'count').format(count);
}

/** `60` → "60%" (in `en`), "60 %" (in `fr`), "٪٦٠" (in `ar`): a whole percentage in `locale`. */
export function formatPercent(percent: number, locale: string): string {
  return formatIn(locale, 'percent').format(percent / 100);
}
