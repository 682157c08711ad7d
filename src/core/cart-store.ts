/**
 * One cart state per cart on the page, that never lies and never doubles:
 * - every show whose adapter names the same `cartScope` shares one store, so every cart button and pin
 *   on the page shows the same count;
 * - other tabs hear about a change over a BroadcastChannel and re-read; a tab re-reads when it becomes
 *   visible again or comes back from the back/forward cache;
 * - cart mutations run one at a time; an add that times out or fails on the network is never resent
 *   blindly: the cart is re-read and compared with how it was before, and the add is sent again only when
 *   it certainly did not happen (DESIGN.md §5).
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter} from '../adapters/types.js';

/** How long an add may take before kolkit checks the cart to see whether it happened. */
export const DEFAULT_CART_TIMEOUT_MS = 15_000;
/** A cart read older than this is read again before an add, to compare against after a failure. */
const FRESH_CART_MS = 5_000;
/** A request the backend may still be working on: wait this long before reading what it did. */
const SETTLE_BEFORE_REREAD_MS = 500;

const CHANNEL_PREFIX = 'kolkit-cart:';

/** A cart state shared by the shows of one cart. */
export class CartStore {
  private value: Cart | null = null;
  private known = false;
  private readAt = 0;
  private readonly listeners = new Set<(cart: Cart | null) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private reading?: Promise<Cart | null>;
  private channel?: BroadcastChannel;
  private users = 0;
  private readAdapter: CommerceAdapter | null = null;

  constructor(private readonly scope: string | null, private readonly release: () => void) {}

  /** The cart as last known, or null before it is known (or when there is none). */
  get cart(): Cart | null {
    return this.value;
  }

  /**
   * Joins the store with `adapter` (used for re-reads prompted by other tabs and page visibility). Returns
   * the leave; the store closes its channel and listeners when the last user leaves.
   */
  join(adapter: CommerceAdapter, listener: (cart: Cart | null) => void): () => void {
    this.readAdapter ??= adapter;
    this.listeners.add(listener);
    if (this.users++ === 0) this.open();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.listeners.delete(listener);
      if (this.readAdapter === adapter) this.readAdapter = null;
      if (--this.users === 0) this.close();
    };
  }

  /** Takes a cart reported by the backend (a mutation's answer, the theme's own change). */
  set(cart: Cart | null, fromHere = false): void {
    this.known = true;
    this.readAt = Date.now();
    const changed = JSON.stringify(cart) !== JSON.stringify(this.value);
    this.value = cart;
    if (!changed) return;
    if (fromHere) this.channel?.postMessage({type: 'cart-changed', at: Date.now()});
    for (const listener of [...this.listeners]) listener(cart);
  }

  /** Reads the cart from the backend (one read at a time; callers share it). */
  refresh(adapter: CommerceAdapter | null = this.readAdapter): Promise<Cart | null> {
    if (!adapter) return Promise.resolve(this.value);
    this.reading ??= adapter.getCart({signal: AbortSignal.timeout(DEFAULT_CART_TIMEOUT_MS)}).then(
      (cart) => {
        this.reading = undefined;
        this.set(cart);
        return cart;
      },
      (error) => {
        this.reading = undefined;
        throw error;
      },
    );
    return this.reading;
  }

  /**
   * Adds to the cart through `adapter`, after any mutation already running. Resolves with the backend's
   * answer; rejects only when the add could not run and did not happen (or could not be confirmed).
   */
  add(adapter: CommerceAdapter, input: AddToCartInput, timeoutMs = DEFAULT_CART_TIMEOUT_MS): Promise<CartMutationResult> {
    return this.serial(() => this.addOnce(adapter, input, timeoutMs));
  }

  /** Sets a line's quantity through `adapter`, after any mutation already running. */
  updateLine(adapter: CommerceAdapter, lineId: string, quantity: number, timeoutMs = DEFAULT_CART_TIMEOUT_MS): Promise<CartMutationResult> {
    if (!adapter.updateLine) return Promise.reject(new Error(`The ${adapter.name} adapter cannot change cart lines.`));
    return this.serial(async () => {
      const result = await adapter.updateLine!(lineId, quantity, {signal: AbortSignal.timeout(timeoutMs)});
      this.set(result.cart, true);
      return result;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async addOnce(adapter: CommerceAdapter, input: AddToCartInput, timeoutMs: number): Promise<CartMutationResult> {
    const before = quantityOf(await this.baseline(adapter), input.variantId);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await adapter.addToCart(input, {signal: AbortSignal.timeout(timeoutMs)});
        // A refusal for a shopper with no cart yet must not conjure an empty one (nor a kol-cart-change).
        if (!result.userErrors.length || this.value || result.cart.lines.length) this.set(result.cart, true);
        return result;
      } catch (error) {
        // The add may or may not have happened: only the cart can tell.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_REREAD_MS));
        let after: Cart | null;
        try {
          after = await adapter.getCart({signal: AbortSignal.timeout(timeoutMs)});
        } catch {
          throw new CartUnconfirmedError(error);
        }
        this.set(after, true);
        if (quantityOf(after, input.variantId) > before) return {cart: after!, userErrors: []};
        if (attempt >= 1) throw error;
      }
    }
  }

  /** The cart to compare against after a failed add: the known one when recent, else read now. */
  private async baseline(adapter: CommerceAdapter): Promise<Cart | null> {
    if (this.known && Date.now() - this.readAt < FRESH_CART_MS) return this.value;
    try {
      return await this.refresh(adapter);
    } catch {
      return this.value; // the add itself will tell whether the backend is reachable
    }
  }

  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') void this.refresh().catch(() => undefined);
  };

  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) void this.refresh().catch(() => undefined);
  };

  private open(): void {
    if (this.scope && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL_PREFIX + this.scope);
      // Another tab changed the cart: read it rather than trust a message (it may be stale or forged).
      this.channel.onmessage = () => void this.refresh().catch(() => undefined);
    }
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('pageshow', this.onPageShow);
  }

  private close(): void {
    this.channel?.close();
    this.channel = undefined;
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('pageshow', this.onPageShow);
    this.release();
  }
}

/** An add failed and the cart could not be read to tell whether it happened. */
export class CartUnconfirmedError extends Error {
  constructor(cause: unknown) {
    super('The add to cart could not be confirmed: check your cart before trying again.', {cause});
    this.name = 'CartUnconfirmedError';
  }
}

function quantityOf(cart: Cart | null, variantId: string): number {
  return (cart?.lines ?? []).filter((l) => l.variantId === variantId).reduce((n, l) => n + l.quantity, 0);
}

const byScope = new Map<string, CartStore>();
const byAdapter = new WeakMap<CommerceAdapter, CartStore>();

/** The store of `adapter`'s cart: shared by every adapter with the same `cartScope` on the page. */
export function cartStoreFor(adapter: CommerceAdapter): CartStore {
  const scope = adapter.cartScope;
  if (!scope) {
    let store = byAdapter.get(adapter);
    if (!store) byAdapter.set(adapter, (store = new CartStore(null, () => byAdapter.delete(adapter))));
    return store;
  }
  let store = byScope.get(scope);
  if (!store) byScope.set(scope, (store = new CartStore(scope, () => byScope.delete(scope))));
  return store;
}
