/** Random ids made on the page: an anonymous viewer id, a bid's idempotency key. */

/** 22 characters of base64url from 128 random bits: no two are ever the same. */
export function randomId(): string {
  // crypto.randomUUID needs a secure context (an http page that is not loopback has none); this does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));
}
