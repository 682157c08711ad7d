/**
 * Who is credited for an add: the host or affiliate id, the live-commerce way (a commission from the
 * order). It travels on the cart line as `_kol_ref` (and, where the backend has them, as a cart attribute),
 * so it reaches the order. The id a shopper landed with (`?kol_ref=`) is kept for the page, and — only while
 * the show's consent is granted — for the tab's session (sessionStorage, through ConsentedSessionValue), so
 * an add two pages later still credits the host; withdrawing consent removes it, a new `?kol_ref=` replaces it.
 */
import {ConsentedSessionValue} from './consented-value.js';

/** The URL parameter that carries a host or affiliate id: `https://shop.example/?kol_ref=host-42`. */
export const ATTRIBUTION_PARAM = 'kol_ref';

/** The sessionStorage key of the kept id. */
export const ATTRIBUTION_KEY = 'kolkit:ref';

/** Ids are short tokens: anything else (markup, URLs, very long strings) is not passed to the backend. */
const VALID_REF = /^[\w.-]{1,64}$/;

const valid = (ref: string | null | undefined): string | null => (ref && VALID_REF.test(ref) ? ref : null);

/** The id the shopper landed with, kept for the page and, with consent, for the session. */
const landing = new ConsentedSessionValue(ATTRIBUTION_KEY, valid);

/**
 * Takes the page URL's `kol_ref` (when valid) as the landing id: it replaces an older one, and is stored
 * for the session when `consent` allows (or later, when consent is given).
 */
export function noteLandingRef(consent: boolean, url: string = location.href): void {
  const ref = valid(new URL(url).searchParams.get(ATTRIBUTION_PARAM));
  if (ref) landing.set(ref, consent);
}

/**
 * The id credited for an add: `explicit` (the show's `affiliate`) when set and valid; else the page URL's
 * `kol_ref` (noted as the landing id); else the landing id kept earlier — by this page, or with consent by
 * an earlier page of the tab. Null when there is none.
 */
export function attributionRef(explicit: string | null | undefined, consent = false, url: string = location.href): string | null {
  if (explicit) return valid(explicit);
  noteLandingRef(consent, url);
  return landing.get(consent);
}

/** Consent changed: given, the landing id (once known) is stored; withdrawn, the stored one is removed. */
export function attributionConsentChanged(allowed: boolean): void {
  landing.consentChanged(allowed);
}

/** Forgets the page's landing id (not the stored one), as a new page would: for tests. */
export function forgetPageAttribution(): void {
  landing.forget();
}
