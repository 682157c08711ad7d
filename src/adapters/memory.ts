/**
 * The embedded default adapter: a catalog and a cart held in the page, for the demo, tests and
 * prototypes. It behaves like a real backend where it matters to a shopper: stock runs out, per-customer
 * deal limits hold, deal prices apply to the line, and refusals come back as userErrors.
 */
import type {
  AddToCartInput, Cart, CartLine, CartMutationResult, CommerceAdapter, Money, Product, RequestOptions, UserError,
} from './types.js';
import {addMoney, multiplyMoney} from '../core/money.js';
import {untilAborted} from './until-aborted.js';
import {dealLimitRefusal} from './deal-limit.js';
import {REQUEST_TIMEOUT_MS, withTimeout} from '../core/timeout.js';
import {safeUrl} from '../page/url.js';

/** Options of `MemoryAdapter`. */
export interface MemoryAdapterOptions {
  /** The catalog: products, or a URL answering a JSON array of products (or `{products: [...]}`). */
  products: Product[] | string;
  /** Where "open cart" goes when the page does not handle `kol-cart-open-request` itself. */
  checkoutUrl?: string;
}

/** An in-page commerce backend. */
export class MemoryAdapter implements CommerceAdapter {
  readonly name = 'memory';
  #catalog?: Promise<Map<string, Product>>;
  #lines: CartLine[] = [];
  #lineCount = 0;
  readonly #cartId = `memory-cart-${Math.random().toString(36).slice(2, 10)}`;
  readonly #listeners = new Set<(cart: Cart) => void>();
  #attributes: Record<string, string> = {};

  readonly #options: MemoryAdapterOptions;

  constructor(options: MemoryAdapterOptions) {
    this.#options = options;
  }

  /** Products by id; unknown ids are left out. */
  async getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]> {
    const catalog = await this.#loadCatalog(options?.signal);
    options?.signal?.throwIfAborted();
    return ids.flatMap((id) => catalog.get(id) ?? []);
  }

  /** The cart, or null before the first add. */
  async getCart(options?: RequestOptions): Promise<Cart | null> {
    options?.signal?.throwIfAborted();
    return this.#lines.length || this.#lineCount ? this.#snapshot() : null;
  }

  /** Adds a line, refusing with userErrors what a real store would refuse. */
  async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    const catalog = await this.#loadCatalog(options?.signal);
    options?.signal?.throwIfAborted();
    const product = catalog.get(input.productId);
    const variant = product?.variants.find((v) => v.id === input.variantId);
    if (!product || !variant) return this.#refuse('invalid-variant', 'This product option is no longer available.');
    if (!Number.isInteger(input.quantity) || input.quantity < 1) {
      return this.#refuse('invalid-quantity', 'The quantity must be a whole number of at least 1.');
    }
    if (!variant.available) return this.#refuse('out-of-stock', `${product.title} is sold out.`);
    const inCart = this.#quantityOf((l) => l.variantId === variant.id);
    if (variant.quantityAvailable !== undefined && inCart + input.quantity > variant.quantityAvailable) {
      const left = Math.max(variant.quantityAvailable - inCart, 0);
      return this.#refuse('out-of-stock', left ? `Only ${left} left of ${product.title}.` : `${product.title} is sold out.`);
    }
    const deal = input.deal;
    const overLimit = dealLimitRefusal(this.#lines, input);
    if (overLimit) return this.#refuse(overLimit.code, overLimit.message);
    const attributes = {...input.attributes, ...(deal ? {_kol_deal: deal.id} : {})};
    const price: Money = deal?.price ?? variant.price;
    const same = this.#lines.find(
      (l) => l.variantId === variant.id && l.attributes?._kol_deal === attributes._kol_deal,
    );
    if (same) same.quantity += input.quantity;
    else {
      this.#lines.push({
        id: `line-${++this.#lineCount}`,
        productId: product.id,
        variantId: variant.id,
        title: product.variants.length > 1 ? `${product.title} – ${variant.title}` : product.title,
        quantity: input.quantity,
        price,
        attributes,
      });
    }
    return this.#changed();
  }

  /** Sets a line's quantity; 0 removes it. Refuses more than the stock left, as an add would. */
  async updateLine(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult> {
    const catalog = await this.#loadCatalog(options?.signal);
    options?.signal?.throwIfAborted();
    const line = this.#lines.find((l) => l.id === lineId);
    if (!line) return this.#refuse('invalid-line', 'This cart line no longer exists.');
    if (!Number.isInteger(quantity) || quantity < 0) {
      return this.#refuse('invalid-quantity', 'The quantity must be a whole number.');
    }
    if (quantity === 0) {
      this.#lines = this.#lines.filter((l) => l !== line);
      return this.#changed();
    }
    const product = catalog.get(line.productId);
    const variant = product?.variants.find((v) => v.id === line.variantId);
    const others = this.#quantityOf((l) => l !== line && l.variantId === line.variantId);
    if (variant?.quantityAvailable !== undefined && others + quantity > variant.quantityAvailable) {
      const left = Math.max(variant.quantityAvailable - others, 0);
      return this.#refuse('out-of-stock', left ? `Only ${left} left of ${product!.title}.` : `${product!.title} is sold out.`);
    }
    line.quantity = quantity;
    return this.#changed();
  }

  /** Sets cart attributes, merged with those it has (an empty value removes one, as Shopify's Ajax API does). */
  async setCartAttributes(attributes: Record<string, string>, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    const merged = {...this.#attributes, ...attributes};
    this.#attributes = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
    return this.#changed();
  }

  /** Hears about changes made through this adapter (another kolkit show on the page shares it). */
  subscribeCart(listener: (cart: Cart) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Goes to the configured checkout URL, when there is one kolkit may open (https, http on loopback, or
   * same-origin: never `javascript:`); rejects otherwise (the show reports cart-open-failed).
   */
  async openCart(): Promise<void> {
    if (!this.#options.checkoutUrl) throw new Error('The memory adapter has no checkoutUrl to open.');
    const url = safeUrl(this.#options.checkoutUrl);
    if (!url) throw new Error(`The checkout URL ${JSON.stringify(this.#options.checkoutUrl)} is not https, http on localhost, or on this page's origin: not opened.`);
    location.assign(url);
  }

  /**
   * The catalog, loaded once and shared by every call. The load itself is not tied to any one caller's
   * signal (aborting one call must not fail the others waiting on the same load): each caller stops
   * waiting when its own signal aborts.
   */
  #loadCatalog(signal?: AbortSignal): Promise<Map<string, Product>> {
    signal?.throwIfAborted();
    this.#catalog ??= this.#fetchCatalog().then(
      (products) => new Map(products.map((p) => [p.id, p])),
      (error) => {
        this.#catalog = undefined; // a later call may try again
        throw error;
      },
    );
    return untilAborted(this.#catalog, signal);
  }

  /** The catalog from its URL, whole within `REQUEST_TIMEOUT_MS`: a URL that never answers fails, and a later call retries. */
  async #fetchCatalog(): Promise<Product[]> {
    const source = this.#options.products;
    if (typeof source !== 'string') return source;
    const late = `The catalog ${source} did not load within ${REQUEST_TIMEOUT_MS / 1000} s.`;
    return withTimeout(REQUEST_TIMEOUT_MS, late, async (signal) => {
      const response = await fetch(source, {headers: {accept: 'application/json'}, signal});
      if (!response.ok) throw new Error(`The catalog ${source} answered ${response.status}.`);
      const body = await response.json();
      const products = Array.isArray(body) ? body : body?.products;
      if (!Array.isArray(products)) throw new Error(`The catalog ${source} is not a JSON array of products.`);
      return products as Product[];
    });
  }

  #quantityOf(match: (line: CartLine) => boolean): number {
    return this.#lines.filter(match).reduce((n, l) => n + l.quantity, 0);
  }

  #snapshot(): Cart {
    const currency = this.#lines[0]?.price.currencyCode ?? 'EUR';
    return {
      id: this.#cartId,
      lines: this.#lines.map((l) => ({...l, attributes: l.attributes && {...l.attributes}})),
      totalQuantity: this.#quantityOf(() => true),
      subtotal: this.#lines.reduce<Money>((sum, l) => addMoney(sum, multiplyMoney(l.price, l.quantity)), {
        amount: '0.00',
        currencyCode: currency,
      }),
      ...(this.#options.checkoutUrl ? {checkoutUrl: this.#options.checkoutUrl} : {}),
      ...(Object.keys(this.#attributes).length ? {attributes: {...this.#attributes}} : {}),
    };
  }

  #refuse(code: UserError['code'], message: string): CartMutationResult {
    return {cart: this.#snapshot(), userErrors: [{code, message}]};
  }

  #changed(): CartMutationResult {
    const cart = this.#snapshot();
    for (const listener of [...this.#listeners]) {
      // The change is made: a broken listener must not turn it into a failure the caller might retry.
      try {
        listener(cart);
      } catch (error) {
        console.error('[kolkit] A cart listener failed:', error);
      }
    }
    return {cart, userErrors: []};
  }
}
