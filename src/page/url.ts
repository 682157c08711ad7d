/**
 * Links, images, API addresses and checkout URLs from product data or configuration are untrusted: only
 * URLs a browser deems potentially trustworthy (https, or http on loopback) or same-origin ones are used.
 */

/**
 * `raw` resolved against the page, if it is https, http on loopback (`127.0.0.0/8`, `[::1]`, `localhost`:
 * a developer's mock or dev proxy), or same-origin; null for `javascript:`, `data:` and the rest.
 */
export function safeUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    // baseURI, not location: it honours <base href>, and an about:srcdoc frame inherits its parent's.
    const url = new URL(raw, document.baseURI);
    return isPotentiallyTrustworthy(url) || sameOrigin(url.origin, new URL(document.baseURI).origin) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * True for what the Secure Contexts spec calls a potentially trustworthy URL kolkit may fetch or open:
 * https anywhere, and http on a loopback host (browsers exempt those from mixed-content blocking too).
 */
export function isPotentiallyTrustworthy(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Two serialised origins are the same one. An opaque origin (`"null"`: `javascript:`, `data:`, a sandboxed
 * frame) is never the same as any other, itself included: comparing the strings would let `javascript:`
 * pass on a page whose own origin is opaque.
 */
function sameOrigin(a: string, b: string): boolean {
  return a !== 'null' && a === b;
}
