/**
 * The headless Shopify adapter: products and the cart through the Storefront API (GraphQL), for stores on
 * Hydrogen, Next.js or any page outside a Shopify theme. Product and variant ids are Shopify GIDs.
 *
 * The cart id is kept per store in first-party storage (see `CartIdStore`), so the shopper finds the same
 * cart on the next page. Cart mutations run one after another: two quick adds before the cart exists must
 * not create two carts.
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, Product, RequestOptions, UserError} from '../types.js';
import {StorefrontClient, type StorefrontClientOptions} from './client.js';
import {CartIdStore, cartIdKey, type ConsentSignal} from './cart-id-store.js';
import {
  CART_CREATE, CART_DISCOUNT_CODES_UPDATE, CART_LINES_ADD, CART_LINES_REMOVE, CART_LINES_UPDATE, CART_QUERY, PRODUCTS_QUERY,
} from './operations.js';
import {
  emptyCart, isDiscountWarning, isStockWarning, toAttributeInputs, toCart, toProduct, toUserError, warningToUserError,
  type StorefrontCart, type StorefrontCartPayload, type StorefrontProduct, type StorefrontWarning,
} from './mapping.js';

/** Options of `ShopifyStorefrontAdapter`. */
export interface ShopifyStorefrontOptions extends StorefrontClientOptions {
  /** When set, the cart id is stored on the device only while `consent.allowed()` is true. */
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
  private readonly client: StorefrontClient;
  private readonly cartId: CartIdStore;
  private mutations: Promise<unknown> = Promise.resolve();

  constructor(options: ShopifyStorefrontOptions) {
    this.client = new StorefrontClient(options);
    this.cartScope = `shopify-storefront:${this.client.endpoint}`;
    this.cartId = new CartIdStore(cartIdKey(this.client.endpoint), options.consent);
  }

  /** Products by GID, in the order asked; unknown ids (and ids that are not product GIDs) are left out. */
  async getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]> {
    options?.signal?.throwIfAborted();
    const wanted = [...new Set(ids.filter((id) => PRODUCT_GID.test(id)))];
    const found = new Map<string, Product>();
    for (let i = 0; i < wanted.length; i += MAX_IDS_PER_QUERY) {
      const data = await this.client.request<{nodes: Array<Partial<StorefrontProduct> | null>}>(
        PRODUCTS_QUERY, {ids: wanted.slice(i, i + MAX_IDS_PER_QUERY)}, {...READ, signal: options?.signal},
      );
      for (const node of data.nodes) if (node?.id) found.set(node.id, toProduct(node as StorefrontProduct));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** The shopper's cart, or null before the first add (or once the stored cart is gone: checked out, expired). */
  async getCart(options?: RequestOptions): Promise<Cart | null> {
    const cart = await this.readCart(options?.signal);
    return cart && toCart(cart);
  }

  /**
   * Adds a line; the first add creates the cart. The line carries `input.attributes` (and `_kol_deal` on a
   * deal); a deal's code is added to the cart's discount codes. Out-of-stock, which Shopify reports as a
   * cart warning, comes back as an `out-of-stock` userError.
   */
  async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    return this.serially(() => this.add(input, options?.signal));
  }

  /** Sets a line's quantity; 0 removes the line. */
  async updateLine(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    return this.serially(() => this.update(lineId, quantity, options?.signal));
  }

  /** Stops listening to the consent signal. */
  dispose(): void {
    this.cartId.dispose();
  }

  private async add(input: AddToCartInput, signal?: AbortSignal): Promise<CartMutationResult> {
    signal?.throwIfAborted();
    if (!Number.isInteger(input.quantity) || input.quantity < 1) {
      return this.refuse({code: 'invalid-quantity', message: 'The quantity must be a whole number of at least 1.'}, signal);
    }
    if (!VARIANT_GID.test(input.variantId)) {
      return this.refuse({code: 'invalid-variant', message: 'This product option is no longer available.'}, signal);
    }
    const deal = input.deal;
    if (deal?.limitPerCustomer !== undefined) {
      // Shopify enforces a discount's own usage limits; the live deal's per-customer limit is kolkit's.
      const cart = await this.getCart({signal});
      const taken = (cart?.lines ?? []).filter((l) => l.attributes?._kol_deal === deal.id).reduce((n, l) => n + l.quantity, 0);
      if (taken + input.quantity > deal.limitPerCustomer) {
        return {
          cart: cart ?? emptyCart(),
          userErrors: [{code: 'quantity-limit', message: `This deal is limited to ${deal.limitPerCustomer} per customer.`}],
        };
      }
    }
    const line = {
      merchandiseId: input.variantId,
      quantity: input.quantity,
      attributes: toAttributeInputs({...input.attributes, ...(deal ? {_kol_deal: deal.id} : {})}),
    };
    const code = deal?.code?.trim() || undefined;
    const concernsThisAdd = (w: StorefrontWarning, cart: StorefrontCart | null) =>
      (isStockWarning(w) && lineHolds(cart, w.target, input.variantId)) || (code !== undefined && isDiscountWarning(w));

    const cartId = this.cartId.get();
    if (cartId) {
      const {cartLinesAdd: added} = await this.client.request<{cartLinesAdd: StorefrontCartPayload}>(
        CART_LINES_ADD, {cartId, lines: [line]}, {...WRITE, signal},
      );
      if (!isUnknownCart(added)) {
        const result = await this.result(added, concernsThisAdd, signal);
        return code && added.cart && !added.userErrors.length ? this.applyCode(added.cart, code, result, signal) : result;
      }
      this.cartId.drop(cartId); // nothing was added: the cart is gone, a new one takes the line
    }
    const {cartCreate: created} = await this.client.request<{cartCreate: StorefrontCartPayload}>(
      CART_CREATE, {input: {lines: [line], ...(code ? {discountCodes: [code]} : {})}}, {...WRITE, signal},
    );
    if (created.cart) this.cartId.set(created.cart.id);
    return this.result(created, concernsThisAdd, signal);
  }

  private async update(lineId: string, quantity: number, signal?: AbortSignal): Promise<CartMutationResult> {
    signal?.throwIfAborted();
    if (!Number.isInteger(quantity) || quantity < 0) {
      return this.refuse({code: 'invalid-quantity', message: 'The quantity must be a whole number.'}, signal);
    }
    const cartId = this.cartId.get();
    const gone: UserError = {code: 'invalid-line', message: 'This cart line no longer exists.'};
    if (!cartId) return {cart: emptyCart(), userErrors: [gone]};
    const payload = quantity === 0
      ? (await this.client.request<{cartLinesRemove: StorefrontCartPayload}>(
        CART_LINES_REMOVE, {cartId, lineIds: [lineId]}, {...WRITE, signal},
      )).cartLinesRemove
      : (await this.client.request<{cartLinesUpdate: StorefrontCartPayload}>(
        CART_LINES_UPDATE, {cartId, lines: [{id: lineId, quantity}]}, {...WRITE, signal},
      )).cartLinesUpdate;
    if (isUnknownCart(payload)) {
      this.cartId.drop(cartId);
      return {cart: emptyCart(), userErrors: [gone]};
    }
    return this.result(payload, (w) => isStockWarning(w) && w.target === lineId, signal);
  }

  /** Adds `code` to the cart's discount codes, keeping the ones already there. */
  private async applyCode(
    cart: StorefrontCart, code: string, added: CartMutationResult, signal?: AbortSignal,
  ): Promise<CartMutationResult> {
    const codes = cart.discountCodes.map((c) => c.code);
    if (codes.some((c) => c.toLowerCase() === code.toLowerCase())) return added;
    try {
      const {cartDiscountCodesUpdate: updated} = await this.client.request<{cartDiscountCodesUpdate: StorefrontCartPayload}>(
        CART_DISCOUNT_CODES_UPDATE, {cartId: cart.id, discountCodes: [...codes, code]}, {...WRITE, signal},
      );
      const result = await this.result(updated, isDiscountWarning, signal);
      return {cart: result.cart, userErrors: [...added.userErrors, ...result.userErrors]};
    } catch (error) {
      // The line is in the cart: failing the whole add now would invite a retry that adds it twice.
      const reason = error instanceof Error ? error.message : String(error);
      return {...added, userErrors: [...added.userErrors, {code: 'discount-not-applied', message: `The code ${code} could not be applied: ${reason}`}]};
    }
  }

  /** A mutation's answer as kolkit's result: its userErrors, and the warnings that refused this change. */
  private async result(
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
  private async refuse(error: UserError, signal?: AbortSignal): Promise<CartMutationResult> {
    return {cart: (await this.getCart({signal})) ?? emptyCart(), userErrors: [error]};
  }

  /** The stored cart as Shopify has it; forgets an id Shopify no longer knows. */
  private async readCart(signal?: AbortSignal): Promise<StorefrontCart | null> {
    signal?.throwIfAborted();
    const cartId = this.cartId.get();
    if (!cartId) return null;
    const {cart} = await this.client.request<{cart: StorefrontCart | null}>(CART_QUERY, {cartId}, {...READ, signal});
    if (!cart) this.cartId.drop(cartId);
    return cart;
  }

  /** Runs cart mutations one at a time, in call order; a failed one does not stop the next. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.mutations.then(task);
    this.mutations = run.catch(() => undefined);
    return run;
  }
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
 * The adapter configured from a `<kol-show>`'s attributes (DESIGN.md §5): `store-domain`,
 * `storefront-token`, `api-version`, `endpoint`, `country`, `language`.
 */
export function fromAttributes(show: Element): ShopifyStorefrontAdapter {
  const attribute = (name: string) => show.getAttribute(name)?.trim() || undefined;
  return new ShopifyStorefrontAdapter({
    storeDomain: attribute('store-domain'),
    storefrontToken: attribute('storefront-token'),
    apiVersion: attribute('api-version'),
    endpoint: attribute('endpoint'),
    country: attribute('country'),
    language: attribute('language'),
  });
}
