/**
 * What a Shopify theme page offers, as documented: the Ajax API's JSON (https://shopify.dev/docs/api/ajax)
 * and the standard storefront actions on `window.Shopify.actions`
 * (https://shopify.dev/docs/api/storefront-events-and-actions). Only the fields kolkit reads are typed.
 */

/** A variant in `/products/<handle>.js`. Prices in cents. */
export interface AjaxVariant {
  id: number;
  title: string;
  price: number;
  compare_at_price: number | null;
  available: boolean;
}

/** `/products/<handle>.js`. `description` is HTML; `featured_image` may be protocol-relative (`//cdn…`). */
export interface AjaxProduct {
  id: number;
  handle: string;
  title: string;
  description?: string;
  url?: string;
  featured_image?: string | null;
  media?: Array<{media_type?: string; src?: string; alt?: string | null; width?: number; height?: number}>;
  variants: AjaxVariant[];
}

/** One line of `/cart.js`. `key` identifies the line (`variant_id:digest-of-properties`). */
export interface AjaxCartItem {
  key: string;
  variant_id: number;
  product_id: number;
  handle: string;
  title: string;
  quantity: number;
  final_price: number;
  properties?: Record<string, unknown> | null;
}

/** `/cart.js`, and the answer of `change.js` and `update.js`. */
export interface AjaxCart {
  token: string;
  currency: string;
  item_count: number;
  total_price: number;
  items: AjaxCartItem[];
  discount_codes?: Array<{code: string; applicable: boolean}>;
  /** Cart attributes (`cart/update.js` `attributes`): kolkit sets `_kol_ref`. */
  attributes?: Record<string, unknown> | null;
}

/** The body of a refused cart request: `{"status":422,"message":"Cart Error","description":"…"}`. */
export interface AjaxCartError {
  status?: number | string;
  message?: string;
  description?: string;
}

/** The Storefront API's money: a decimal string. */
export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

/** A cart line as the standard actions and events carry it (a subset of the Storefront API's `CartLine`). */
export interface StandardCartLine {
  id: string;
  quantity: number;
  merchandise: {
    id: string;
    title?: string;
    product?: {handle?: string; title?: string};
  };
  cost?: {amountPerQuantity?: MoneyV2; totalAmount?: MoneyV2};
  attributes?: Array<{key: string; value: string | null}>;
}

/** `StandardEventCart`: the cart the standard actions resolve with (a subset of the Storefront API's `Cart`). */
export interface StandardCart {
  id: string;
  totalQuantity: number;
  checkoutUrl?: string;
  cost?: {totalAmount?: MoneyV2; subtotalAmount?: MoneyV2};
  lines: StandardCartLine[];
  discountCodes?: Array<{code: string; applicable: boolean}>;
  attributes?: Array<{key: string; value: string | null}>;
}

/** A line for `updateCart`: `merchandiseId` adds, `id` updates (quantity 0 removes). */
export type UpdateCartLine =
  | {merchandiseId: string; quantity: number; attributes?: Array<{key: string; value: string}>}
  | {id: string; quantity: number};

/** What `updateCart` resolves with: a refused change comes back as `userErrors`, an adjusted one as `warnings`. */
export interface UpdateCartResult {
  cart?: StandardCart | null;
  userErrors?: Array<{code?: string; message: string; field?: string[]}>;
  warnings?: Array<{code: string; message: string; target?: string}>;
}

/** `window.Shopify.actions`, injected on every Liquid storefront after `DOMContentLoaded` (2026-06). */
export interface ShopifyActions {
  getCart(payload?: {cartId?: string}, options?: {signal?: AbortSignal}): Promise<{cart: StandardCart | null}>;
  updateCart: ((payload: {lines: UpdateCartLine[]}, options?: {signal?: AbortSignal}) => Promise<UpdateCartResult>) & {
    /** True while the theme has not configured the action (Shopify's default handler runs). */
    isDefault?(): boolean;
  };
  openCart?(payload?: unknown, options?: {signal?: AbortSignal}): Promise<void>;
}

/** The parts of `window.Shopify` kolkit reads. It never writes to it. */
export interface ShopifyGlobal {
  routes?: {root?: string};
  currency?: {active?: string};
  actions?: ShopifyActions;
}

/** `window.Shopify`, when the page is a Shopify storefront. */
export function shopifyGlobal(): ShopifyGlobal | undefined {
  const value = (globalThis as {Shopify?: unknown}).Shopify;
  return value && typeof value === 'object' ? (value as ShopifyGlobal) : undefined;
}
