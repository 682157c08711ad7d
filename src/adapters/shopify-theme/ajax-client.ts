/**
 * The Ajax API of a Shopify theme (https://shopify.dev/docs/api/ajax), same-origin with the shop's cookie.
 * Reads are retried (429 with `Retry-After`, 502–504, network errors); cart mutations are sent once, never
 * again: `add.js` is additive, so a resend could add the item twice.
 */
import {fetchWithRetry, HttpError, jsonOrThrow} from '../http.js';
import {notApplied} from '../../core/add-failure.js';
import type {AjaxCart, AjaxCartError, AjaxProduct} from './shopify-types.js';

/** The answer to a cart mutation: the body when it applied, or Shopify's refusal. */
export type AjaxMutation<T> = {ok: true; body: T} | {ok: false; status: number; description?: string};

/** Statuses whose `{status, message, description}` body is a refusal of the change, not a failure to run. */
const REFUSAL_STATUSES = new Set([400, 404, 422]);

/** Talks to one shop's Ajax API under `root` (an absolute URL ending in `/`). */
export class AjaxCartClient {
  constructor(readonly root: string) {}

  /** `products/<handle>.js`, or null when the shop has no such product (404). */
  async product(handle: string, signal?: AbortSignal): Promise<AjaxProduct | null> {
    const response = await fetchWithRetry(this.#url(`products/${encodeURIComponent(handle)}.js`), {
      headers: {accept: 'application/json'},
    }, {read: true, signal});
    if (response.status === 404) return null;
    const product = await jsonOrThrow<AjaxProduct>(response, `The shop's product ${handle}`);
    if (!Array.isArray(product?.variants)) throw new HttpError(response.status, `The shop's product ${handle} has no variants list.`, product);
    return product;
  }

  /** `cart.js`: the shopper's cart (Shopify makes one on first sight). */
  async cart(signal?: AbortSignal): Promise<AjaxCart> {
    const response = await fetchWithRetry(this.#url('cart.js'), {headers: {accept: 'application/json'}}, {read: true, signal});
    const cart = await jsonOrThrow<AjaxCart>(response, "The shop's cart");
    if (!Array.isArray(cart?.items)) throw new HttpError(response.status, "The shop's cart answered without items.", cart);
    return cart;
  }

  /**
   * POSTs a cart mutation (`cart/add.js`, `cart/change.js`, `cart/update.js`) once. Resolves with the body, or
   * with the refusal of a 400/404/422 carrying Shopify's error body; rejects when the call could not run,
   * marked `applied: false` when the shop answered a status it sends instead of running the change.
   */
  async mutate<T>(path: string, body: unknown, signal?: AbortSignal): Promise<AjaxMutation<T>> {
    const response = await fetchWithRetry(this.#url(path), {
      method: 'POST',
      headers: {'content-type': 'application/json', accept: 'application/json'},
      body: JSON.stringify(body),
    }, {read: false, signal});
    if (REFUSAL_STATUSES.has(response.status)) {
      const error = (await response.json().catch(() => undefined)) as AjaxCartError | undefined;
      if (typeof error?.description === 'string' || typeof error?.message === 'string') {
        return {ok: false, status: response.status, description: error.description ?? error.message};
      }
    }
    if (answeredWithoutRunning(response.status)) {
      const body = await response.json().catch(() => undefined);
      throw notApplied(new HttpError(response.status, `The shop's ${path} answered ${response.status}.`, body));
    }
    return {ok: true, body: await jsonOrThrow<T>(response, `The shop's ${path}`)};
  }

  #url(path: string): string {
    return new URL(path, this.root).href;
  }
}

/**
 * Statuses the shop answers instead of running a change: a client error (the request as sent was not
 * taken) or 503 (unavailable, rate limited). Not 500, 502 or 504: the change may have run behind them.
 */
function answeredWithoutRunning(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}
