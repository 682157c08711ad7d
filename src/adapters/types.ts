/** Money as a decimal string plus an ISO 4217 currency code. Never a float. */
export interface Money {
  amount: string;
  currencyCode: string;
}

/** A product as the commerce backend knows it. `description` is plain text, never HTML. */
export interface Product {
  id: string;
  title: string;
  url?: string;
  image?: {url: string; alt?: string; width?: number; height?: number};
  variants: Variant[];
  description?: string;
}

/** One purchasable variant of a product. */
export interface Variant {
  id: string;
  title: string;
  price: Money;
  compareAtPrice?: Money;
  available: boolean;
  quantityAvailable?: number;
}

/** A cart. `totalQuantity` is the number of items, shown by `<kol-cart-button>`. */
export interface Cart {
  id: string;
  lines: CartLine[];
  totalQuantity: number;
  /**
   * What the items cost: after discount codes and line discounts, before shipping, with tax as the store
   * shows its prices (included where prices include it). The same on every adapter.
   */
  subtotal: Money;
  checkoutUrl?: string;
  /** Cart-level attributes (Shopify's cart attributes), where the backend has them: e.g. `_kol_ref`. */
  attributes?: Record<string, string>;
}

/** One line of a cart. */
export interface CartLine {
  id: string;
  productId: string;
  variantId: string;
  title: string;
  quantity: number;
  price: Money;
  attributes?: Record<string, string>;
}

/** The flash deal an add was made under, so the backend can apply its price, code and limit. */
export interface DealTerms {
  id: string;
  price: Money;
  /** A discount or coupon code the backend applies (Shopify discount code, Vendure coupon). */
  code?: string;
  limitPerCustomer?: number;
}

/** What the shopper asked to add. */
export interface AddToCartInput {
  productId: string;
  variantId: string;
  quantity: number;
  /** Stored on the line where the backend supports it: show id, deal id, host or affiliate id. */
  attributes?: Record<string, string>;
  /** Present when the add was made on a live deal. */
  deal?: DealTerms;
}

/** A business refusal (out of stock, limit reached, deal over), shown on the element that asked. */
export interface UserError {
  code: 'out-of-stock' | 'quantity-limit' | 'invalid-variant' | 'deal-expired' | 'deal-code-not-applied' | (string & {});
  message: string;
}

/** The answer to a cart mutation: the cart as it is now, and why any part was refused. */
export interface CartMutationResult {
  cart: Cart;
  userErrors: UserError[];
}

/** Options every adapter call takes. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * The merchant's commerce backend, as kolkit sees it. A promise rejects only when the call could not run
 * (network, auth); business refusals come back as `userErrors`.
 */
export interface CommerceAdapter {
  /** Short stable name for logs and errors: `memory`, `shopify-theme`, … */
  readonly name: string;
  /**
   * Names the cart this adapter works on, e.g. `shopify-theme:https://shop.example` or
   * `vendure:<api-url>#<channel>`. Shows whose adapters share a scope share one cart state on the page,
   * and tell other tabs (BroadcastChannel) to re-read after a change. Absent: the cart is this
   * instance's alone (the memory adapter).
   */
  readonly cartScope?: string;
  /** Loads products by the backend's own ids. Unknown ids are simply missing from the answer. */
  getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]>;
  /** Reads the shopper's cart, or null when there is none yet. */
  getCart(options?: RequestOptions): Promise<Cart | null>;
  /** Adds a line. Never retried blindly by kolkit: an add is not idempotent on any backend. */
  addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult>;
  /** Sets a line's quantity (0 removes it). */
  updateLine?(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult>;
  /** Cart changes made outside kolkit (the theme's drawer, another tab). Returns the unsubscribe. */
  subscribeCart?(listener: (cart: Cart) => void): () => void;
  /** Shows the cart the store's way. Without it kolkit goes to `cart.checkoutUrl`. */
  openCart?(): Promise<void>;
  /**
   * Sets cart-level attributes (merged with the cart's others), where the backend has them: kolkit sets
   * `_kol_ref` once per cart, so the order names the credited host even for lines added elsewhere.
   */
  setCartAttributes?(attributes: Record<string, string>, options?: RequestOptions): Promise<CartMutationResult>;
  /** Releases timers and connections. */
  dispose?(): void;
}
