import {safeUrl} from '../page/url.js';

/**
 * A misconfigured adapter (no store domain, an API address kolkit will not call, an unknown session
 * mode…). Thrown by the adapter's constructor, so the mistake is loud at once instead of every later call
 * failing quietly; a `<kol-show>` reports it as a `bad-attribute` kol-error naming the attribute.
 */
export class AdapterConfigError extends Error {
  override readonly name = 'AdapterConfigError';

  /**
   * @param attribute The `<kol-show>` attribute at fault (`endpoint`, `api-url`…).
   * @param option The constructor option it sets (`endpoint`, `apiUrl`…).
   */
  constructor(readonly attribute: string, readonly option: string, message: string) {
    super(message);
  }
}

/**
 * True for an `AdapterConfigError`, also one thrown by a second copy of kolkit on the page (whose class is
 * another object, so `instanceof` would miss it).
 */
export function isAdapterConfigError(error: unknown): error is AdapterConfigError {
  return error instanceof Error && error.name === 'AdapterConfigError' && typeof (error as {attribute?: unknown}).attribute === 'string';
}

/**
 * `raw` if it is a URL kolkit may call or open (core/url.ts `safeUrl`: https, http on loopback, same-origin),
 * else an `AdapterConfigError` naming the attribute. On a server (no document) there is nothing to check
 * against: the URL is taken as given and checked again where it is used.
 */
export function checkedUrl(raw: string, attribute: string, option: string, what: string): string {
  if (typeof document === 'undefined' || safeUrl(raw)) return raw;
  throw new AdapterConfigError(attribute, option,
    `${what} ${JSON.stringify(raw)} (${attribute}) is not https, http on localhost, or on this page's origin: kolkit will not use it.`);
}
