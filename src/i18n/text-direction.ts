/**
 * The direction of kolkit's text follows its language (issue 15: a `lang="ar"` page lays out right to left),
 * where the page states none: a page that writes `<html lang="ar">` without `dir` still gets elements that
 * read and lay out right to left.
 */
import type {KolLocale} from './resolve-locale.js';

/** The languages kolkit ships that are written right to left. */
const RIGHT_TO_LEFT: ReadonlySet<KolLocale> = new Set<KolLocale>(['ar']);

/** Marks a `dir` that kolkit set, so it only ever takes back its own. */
const OWN_DIR = 'data-kol-dir';

/** The direction `locale` is written in. */
export function directionOf(locale: KolLocale): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}

/**
 * Gives `host` the direction of its text where the page states none: a `dir` attribute on the host or on
 * any ancestor (an attribute walk: no style recalculation on a phone) is the page's choice and always wins,
 * so a Hebrew store's `dir="rtl"` keeps kolkit's English fallback laid out right to left, as the page is.
 * kolkit's own `dir` is taken back when the text's language no longer needs it.
 */
export function followTextDirection(host: HTMLElement, locale: KolLocale): void {
  const own = host.hasAttribute(OWN_DIR);
  const stated = own ? host.parentElement?.closest('[dir]') : host.closest('[dir]');
  const wanted = stated ? null : directionOf(locale) === 'rtl' ? 'rtl' : null;
  if (wanted) {
    host.setAttribute('dir', wanted);
    host.setAttribute(OWN_DIR, '');
  } else if (own) {
    host.removeAttribute('dir');
    host.removeAttribute(OWN_DIR);
  }
}
