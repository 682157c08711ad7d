/** Links and images from product data are untrusted: only https (or same-origin) URLs are used. */

/** `raw` resolved against the page, if it is https or same-origin; null for javascript:, data: and the rest. */
export function safeUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    // baseURI, not location: it honours <base href>, and an about:srcdoc frame inherits its parent's.
    const url = new URL(raw, document.baseURI);
    return url.protocol === 'https:' || url.origin === new URL(document.baseURI).origin ? url.href : null;
  } catch {
    return null;
  }
}
