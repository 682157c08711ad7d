/**
 * The headless Shopify adapter: products and the cart through the Storefront API (GraphQL), for stores on
 * Hydrogen, Next.js or any page outside a Shopify theme. Product and variant ids are Shopify GIDs.
 *
 * The cart id is kept per store in first-party storage once the shopper consents (see `CartIdStore`), so
 * they find the same cart on the next page. Cart mutations run one after another: two quick adds before the cart exists must
 * not create two carts.
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, Product, RequestOptions, UserError} from '../types.js';
import {StorefrontClient, type StorefrontClientOptions} from './client.js';
import {CartIdStore, cartIdKey, type ConsentSignal} from './cart-id-store.js';
import {
  CART_ATTRIBUTES_UPDATE, CART_CREATE, CART_DISCOUNT_CODES_UPDATE, CART_LINES_ADD, CART_LINES_REMOVE, CART_LINES_UPDATE, CART_QUERY, PRODUCTS_QUERY,
} from './operations.js';
import {
  DEAL_CODE_NOT_APPLIED, emptyCart, isDiscountWarning, isStockWarning, toAttributeInputs, toCart, toProduct, toUserError,
  warningToUserError, type StorefrontCart, type StorefrontCartPayload, type StorefrontProduct, type StorefrontWarning,
} from './mapping.js';
import {HttpError} from '../http.js';
import {dealLimitRefusal} from '../deal-limit.js';
import {consentOf} from '../consent.js';
import type {AdapterAttribute} from '../registry.js';

/** Options of `ShopifyStorefrontAdapter`. */
export interface ShopifyStorefrontOptions extends StorefrontClientOptions {
  /**
   * Whether the cart id may be stored on (and read from) the device (localStorage), so the cart follows the
   * shopper to the next page: only while `consent.allowed()` is true, written when consent arrives. Without
   * it nothing is stored (the cart lasts as long as the page; a console warning says so once).
   * `consentOf(show)` follows a show's `consent` attribute.
   */
  consent?: ConsentSignal;
}

const PRODUCT_GID = /^gid:\/\/shopify\/Product\/[^/?#\s]+$/;
const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/[^/?#\s]+$/;
/** `nodes(ids:)` takes at most 250 ids. */
const MAX_IDS_PER_QUERY = 250;

const READ = {read: true} as const;
const WRITE = {read: false} as const;

/** A commerce adapter for Shopify's Storefront API. */
export class ShopifyStorefrontAdapter implements CommerceAdapter {
  readonly name = 'shopify-storefront';
  /** Every adapter on the same endpoint works on the same stored cart. */
  readonly cartScope: string;
  readonly #client: StorefrontClient;
  readonly #cartId: CartIdStore;
  #mutations: Promise<unknown> = Promise.resolve();

  /** Throws an `AdapterConfigError` when the options name no store kolkit can call. */
  constructor(options: ShopifyStorefrontOptions) {
    this.#client = new StorefrontClient(options);
    this.cartScope = `shopify-storefront:${this.#client.endpoint}`;
    this.#cartId = new CartIdStore(cartIdKey(this.#client.endpoint), options.consent);
  }

  /** Products by GID, in the order asked; unknown ids (and ids that are not product GIDs) are left out. */
  async getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]> {
    options?.signal?.throwIfAborted();
    const wanted = [...new Set(ids.filter((id) => PRODUCT_GID.test(id)))];
    const found = new Map<string, Product>();
    for (let i = 0; i < wanted.length; i += MAX_IDS_PER_QUERY) {
      const data = await this.#client.request<{nodes?: Array<Partial<StorefrontProduct> | null>}>(
        PRODUCTS_QUERY, {ids: wanted.slice(i, i + MAX_IDS_PER_QUERY)}, {...READ, signal: options?.signal},
      );
      if (!Array.isArray(data.nodes)) throw new HttpError(200, 'The Storefront API answered products without a list of nodes.', data);
      for (const node of data.nodes) if (node?.id) found.set(node.id, toProduct(node as StorefrontProduct));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** The shopper's cart, or null before the first add (or once the stored cart is gone: checked out, expired). */
  async getCart(options?: RequestOptions): Promise<Cart | null> {
    const cart = await this.#readCart(options?.signal);
    return cart && toCart(cart);
  }

  /**
   * Adds a line; the first add creates the cart. The line carries `input.attributes` (and `_kol_deal` on a
   * deal); a deal's code is added to the cart's discount codes. Out-of-stock, which Shopify reports as a
   * cart warning, comes back as an `out-of-stock` userError.
   */
  async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    return this.#serially(() => this.#add(input, options?.signal));
  }

  /** Sets a line's quantity; 0 removes the line. */
  async updateLine(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    return this.#serially(() => this.#update(lineId, quantity, options?.signal));
  }

  /**
   * Sets cart attributes with `cartAttributesUpdate`, which replaces the whole set: the cart's other attributes
   * are sent along. kolkit credits the host (`_kol_ref`) on the cart once. Without a cart there is nothing to set.
   */
  async setCartAttributes(attributes: Record<string, string>, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    return this.#serially(async () => {
      const signal = options?.signal;
      const cartId = this.#cartId.get();
      const current = cartId ? await this.getCart({signal}) : null;
      if (!cartId || !current) return {cart: emptyCart(), userErrors: []};
      const payload = await this.#mutate(
        CART_ATTRIBUTES_UPDATE, 'cartAttributesUpdate', {cartId, attributes: toAttributeInputs({...current.attributes, ...attributes})}, signal,
      );
      return this.#result(payload, () => false, signal);
    });
  }

  /** Stops listening to the consent signal. */
  dispose(): void {
    this.#cartId.dispose();
  }

  async #add(input: AddToCartInput, signal?: AbortSignal): Promise<CartMutationResult> {
    signal?.throwIfAborted();
    if (!Number.isInteger(input.quantity) || input.quantity < 1) {
      return this.#refuse({code: 'invalid-quantity', message: 'The quantity must be a whole number of at least 1.'}, signal);
    }
    if (!VARIANT_GID.test(input.variantId)) {
      return this.#refuse({code: 'invalid-variant', message: 'This product option is no longer available.'}, signal);
    }
    const deal = input.deal;
    if (deal?.limitPerCustomer !== undefined) {
      // Shopify enforces a discount's own usage limits; the live deal's per-customer limit is kolkit's.
      const cart = await this.getCart({signal});
      const refusal = dealLimitRefusal(cart?.lines ?? [], input);
      if (refusal) return {cart: cart ?? emptyCart(), userErrors: [refusal]};
    }
    const line = {
      merchandiseId: input.variantId,
      quantity: input.quantity,
      attributes: toAttributeInputs({...input.attributes, ...(deal ? {_kol_deal: deal.id} : {})}),
    };
    const code = deal?.code?.trim() || undefined;
    // A discount warning concerns this add only when the add sent the code (a new cart's first line).
    const concernsThisAdd = (sentCode: boolean) => (w: StorefrontWarning, cart: StorefrontCart | null) =>
      (isStockWarning(w) && lineHolds(cart, w.target, input.variantId)) || (sentCode && isDiscountWarning(w));

    const cartId = this.#cartId.get();
    if (cartId) {
      const added = await this.#mutate(CART_LINES_ADD, 'cartLinesAdd', {cartId, lines: [line]}, signal);
      if (!isUnknownCart(added)) {
        const result = await this.#result(added, concernsThisAdd(false), signal);
        return code && added.cart && !added.userErrors.length ? this.#applyCode(added.cart, code, result, signal) : result;
      }
      this.#cartId.drop(cartId); // nothing was added: the cart is gone, a new one takes the line
    }
    const created = await this.#mutate(
      CART_CREATE, 'cartCreate', {input: {lines: [line], ...(code ? {discountCodes: [code]} : {})}}, signal,
    );
    if (created.cart) this.#cartId.set(created.cart.id);
    const result = await this.#result(created, concernsThisAdd(code !== undefined), signal);
    return code && created.cart ? withCodeApplicability(result, created.cart, code) : result;
  }

  async #update(lineId: string, quantity: number, signal?: AbortSignal): Promise<CartMutationResult> {
    signal?.throwIfAborted();
    if (!Number.isInteger(quantity) || quantity < 0) {
      return this.#refuse({code: 'invalid-quantity', message: 'The quantity must be a whole number.'}, signal);
    }
    const cartId = this.#cartId.get();
    const gone: UserError = {code: 'invalid-line', message: 'This cart line no longer exists.'};
    if (!cartId) return {cart: emptyCart(), userErrors: [gone]};
    const payload = quantity === 0
      ? await this.#mutate(CART_LINES_REMOVE, 'cartLinesRemove', {cartId, lineIds: [lineId]}, signal)
      : await this.#mutate(CART_LINES_UPDATE, 'cartLinesUpdate', {cartId, lines: [{id: lineId, quantity}]}, signal);
    if (isUnknownCart(payload)) {
      this.#cartId.drop(cartId);
      return {cart: emptyCart(), userErrors: [gone]};
    }
    return this.#result(payload, (w) => isStockWarning(w) && w.target === lineId, signal);
  }

  /**
   * Adds `code` to the cart's discount codes, keeping the ones already there. Whatever goes wrong (a
   * refusal, the network, the caller's abort) the line is in the cart: the answer is then the add's cart with
   * a `deal-code-not-applied` userError, never a rejection that would invite a retry adding it twice.
   */
  async #applyCode(
    cart: StorefrontCart, code: string, added: CartMutationResult, signal?: AbortSignal,
  ): Promise<CartMutationResult> {
    const codes = cart.discountCodes.map((c) => c.code);
    if (codes.some((c) => c.toLowerCase() === code.toLowerCase())) return withCodeApplicability(added, cart, code);
    try {
      const updated = await this.#mutate(CART_DISCOUNT_CODES_UPDATE, 'cartDiscountCodesUpdate', {cartId: cart.id, discountCodes: [...codes, code]}, signal);
      if (!updated.cart) {
        const refusals = [...updated.userErrors.map((e) => e.message), ...updated.warnings.map((w) => w.message)].join(' ');
        return notApplied(added, `The code ${code} could not be applied${refusals ? `: ${refusals}` : '.'}`);
      }
      const result = await this.#result(updated, isDiscountWarning, signal);
      const userErrors = [...added.userErrors, ...result.userErrors.map((e) => ({...e, code: DEAL_CODE_NOT_APPLIED}))];
      return withCodeApplicability({cart: result.cart, userErrors}, updated.cart, code);
    } catch (error) {
      return notApplied(added, `The code ${code} could not be applied: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Runs a cart mutation once; rejects when its answer is not a cart payload (nothing to tell the shopper). */
  async #mutate(document: string, field: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<StorefrontCartPayload> {
    const data = await this.#client.request<Record<string, unknown>>(document, variables, {...WRITE, signal});
    const payload = data[field] as Partial<StorefrontCartPayload> | null | undefined;
    if (typeof payload !== 'object' || payload === null || !Array.isArray(payload.userErrors)) {
      throw new HttpError(200, `The Storefront API answered ${field} without its payload.`, data);
    }
    return {cart: payload.cart ?? null, userErrors: payload.userErrors, warnings: Array.isArray(payload.warnings) ? payload.warnings : []};
  }

  /** A mutation's answer as kolkit's result: its userErrors, and the warnings that refused this change. */
  async #result(
    payload: StorefrontCartPayload,
    refuses: (w: StorefrontWarning, cart: StorefrontCart | null) => boolean,
    signal?: AbortSignal,
  ): Promise<CartMutationResult> {
    const userErrors = [
      ...payload.userErrors.map(toUserError),
      ...payload.warnings.filter((w) => refuses(w, payload.cart)).map(warningToUserError),
    ];
    // Shopify may answer a refused mutation without the cart: the cart is then as it was.
    const cart = payload.cart ? toCart(payload.cart) : (await this.getCart({signal})) ?? emptyCart();
    return {cart, userErrors};
  }

  /** A refusal decided here, with the cart as it is. */
  async #refuse(error: UserError, signal?: AbortSignal): Promise<CartMutationResult> {
    return {cart: (await this.getCart({signal})) ?? emptyCart(), userErrors: [error]};
  }

  /** The stored cart as Shopify has it; forgets an id Shopify no longer knows. */
  async #readCart(signal?: AbortSignal): Promise<StorefrontCart | null> {
    signal?.throwIfAborted();
    const cartId = this.#cartId.get();
    if (!cartId) return null;
    const {cart} = await this.#client.request<{cart: StorefrontCart | null}>(CART_QUERY, {cartId}, {...READ, signal});
    if (!cart) this.#cartId.drop(cartId);
    return cart;
  }

  /** Runs cart mutations one at a time, in call order; a failed one does not stop the next. */
  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#mutations.then(task);
    this.#mutations = run.catch(() => undefined);
    return run;
  }
}

/** `result` with a `deal-code-not-applied` userError saying why. */
function notApplied(result: CartMutationResult, message: string): CartMutationResult {
  return {cart: result.cart, userErrors: [...result.userErrors, {code: DEAL_CODE_NOT_APPLIED, message}]};
}

/**
 * `result`, with a `deal-code-not-applied` userError when `cart` holds `code` but Shopify says it does not
 * apply (no product of the discount in the cart, a minimum not reached), unless one already says so.
 */
function withCodeApplicability(result: CartMutationResult, cart: StorefrontCart, code: string): CartMutationResult {
  const entry = cart.discountCodes.find((c) => c.code.toLowerCase() === code.toLowerCase());
  if (!entry || entry.applicable || result.userErrors.some((e) => e.code === DEAL_CODE_NOT_APPLIED)) return result;
  return notApplied(result, `The code ${code} does not apply to this cart.`);
}

/** True when a mutation was refused because the cart id names no cart (checked out, expired). */
function isUnknownCart(payload: StorefrontCartPayload): boolean {
  return !payload.cart && payload.userErrors.some((e) => e.field?.[0] === 'cartId');
}

/** True when `target` is a line of `cart` holding `variantId`, or names no line (then it cannot be told apart). */
function lineHolds(cart: StorefrontCart | null, target: string, variantId: string): boolean {
  const line = cart?.lines.nodes.find((l) => l.id === target);
  return !line || line.merchandise.id === variantId;
}

/**
 * The adapter configured from a `<kol-show>`'s attributes: those its registry entry lists (registry.ts),
 * and `consent` (the show's switch). Throws an `AdapterConfigError` naming the attribute at fault.
 */
export function fromAttributes(show: Element): ShopifyStorefrontAdapter {
  const attribute = (name: AdapterAttribute<'shopify-storefront'>) => show.getAttribute(name)?.trim() || undefined;
  return new ShopifyStorefrontAdapter({
    storeDomain: attribute('store-domain'),
    storefrontToken: attribute('storefront-token'),
    apiVersion: attribute('api-version'),
    endpoint: attribute('endpoint'),
    country: attribute('country'),
    language: attribute('language'),
    consent: consentOf(show),
  });
}
