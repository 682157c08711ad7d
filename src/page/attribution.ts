/**
 * Who is credited for an add: the host or affiliate id, the live-commerce way (a commission from the
 * order). It travels on the cart line as `_kol_ref`, so it reaches the order without any storage here.
 */

/** The URL parameter that carries a host or affiliate id: `https://shop.example/?kol_ref=host-42`. */
export const ATTRIBUTION_PARAM = 'kol_ref';

/** Ids are short tokens: anything else (markup, URLs, very long strings) is not passed to the backend. */
const VALID_REF = /^[\w.-]{1,64}$/;

/** `explicit` when set and valid, else the page URL's `kol_ref` parameter when valid, else null. */
export function attributionRef(explicit: string | null | undefined, url: string = location.href): string | null {
  const ref = explicit || new URL(url).searchParams.get(ATTRIBUTION_PARAM);
  return ref && VALID_REF.test(ref) ? ref : null;
}
