/** Links and images from product data are untrusted: only https (or same-origin) URLs are used. */

/** `raw` resolved against the page, if it is https or same-origin; null for javascript:, data: and the rest. */
export function safeUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw, location.href);
    return url.protocol === 'https:' || url.origin === location.origin ? url.href : null;
  } catch {
    return null;
  }
}
