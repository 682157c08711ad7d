/**
 * One cart state per cart on the page, that never lies and never doubles:
 * - every show whose adapter names the same `cartScope` shares one store, so every cart button and pin
 *   on the page shows the same count;
 * - other tabs hear about a change over a BroadcastChannel and re-read; a tab re-reads when it becomes
 *   visible again or comes back from the back/forward cache;
 * - cart mutations run one at a time; an add that fails is never resent blindly: the cart is re-read (three
 *   times, spread over a few seconds, since the backend may still be working on it) and compared with how
 *   it was before. The add is sent again only when every read says it did not happen *and* the adapter
 *   said the backend did not run it (`applied: false`, add-failure.ts): a timeout of kolkit's own or a
 *   network error says nothing about a backend that may apply the add later, so it is reported as
 *   unconfirmed and the shopper decides (DESIGN.md §5).
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, UserError} from '../adapters/types.js';
import {knownNotApplied} from '../core/add-failure.js';
import {LatestRun} from '../core/latest-run.js';
import {Listeners} from '../core/listeners.js';
import {sameVariant} from '../core/variant.js';

/** How long an add may take before kolkit checks the cart to see whether it happened. */
export const DEFAULT_CART_TIMEOUT_MS = 15_000;
/** A cart read older than this is read again before an add, to compare against after a failure. */
const FRESH_CART_MS = 5_000;
/**
 * After a failed add, when to read the cart (ms after the failure): the backend may still be working on the
 * add, so one early read is not enough to say it did not happen.
 */
const REREAD_AFTER_MS = [500, 1500, 3000];

/** An add's answer, and how many items it put in the cart (null when the cart before it was not known). */
export interface AddResult {
  result: CartMutationResult;
  added: number | null;
}

const CHANNEL_PREFIX = 'kolkit-cart:';

/** A cart state shared by the shows of one cart. */
export class CartStore {
  #value: Cart | null = null;
  #known = false;
  #readAt = 0;
  readonly #listeners = new Listeners<[Cart | null]>();
  #queue: Promise<unknown> = Promise.resolve();
  #reading?: Promise<Cart | null>;
  #channel?: BroadcastChannel;
  /** The adapters of the shows joined, one entry per join; the first reads for them all. */
  readonly #joined: CommerceAdapter[] = [];
  /** Each finished mutation starts a run: a read that started before it cannot overwrite its answer. */
  readonly #writes = new LatestRun();

  readonly #scope: string | null;
  readonly #release: () => void;

  constructor(scope: string | null, release: () => void) {
    this.#scope = scope;
    this.#release = release;
  }

  /** The cart as last known, or null before it is known (or when there is none). */
  get cart(): Cart | null {
    return this.#value;
  }

  /**
   * Joins the store with `adapter` (used for re-reads prompted by other tabs and page visibility). Returns
   * the leave; the store closes its channel and listeners when the last user leaves.
   */
  join(adapter: CommerceAdapter, listener: (cart: Cart | null) => void): () => void {
    this.#listeners.add(listener);
    this.#joined.push(adapter);
    if (this.#joined.length === 1) this.#open();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#listeners.delete(listener);
      this.#joined.splice(this.#joined.indexOf(adapter), 1);
      if (!this.#joined.length) this.#close();
    };
  }

  /** Takes a cart reported by the backend (a mutation's answer, the theme's own change). */
  set(cart: Cart | null, fromHere = false): void {
    this.#known = true;
    this.#readAt = Date.now();
    const changed = JSON.stringify(cart) !== JSON.stringify(this.#value);
    this.#value = cart;
    if (!changed) return;
    if (fromHere) this.#channel?.postMessage({type: 'cart-changed', at: Date.now()});
    this.#listeners.notify(cart);
  }

  /** Reads the cart from the backend (one read at a time; callers share it). */
  refresh(adapter: CommerceAdapter | null = this.#joined[0] ?? null): Promise<Cart | null> {
    if (!adapter) return Promise.resolve(this.#value);
    const before = this.#writes.signal;
    this.#reading ??= adapter.getCart({signal: AbortSignal.timeout(DEFAULT_CART_TIMEOUT_MS)}).then(
      (cart) => {
        this.#reading = undefined;
        // A mutation answered while this read was on its way: its cart is newer than this one.
        if (before.aborted) return this.#value;
        this.set(cart);
        return cart;
      },
      (error) => {
        this.#reading = undefined;
        throw error;
      },
    );
    return this.#reading;
  }

  /**
   * Adds to the cart through `adapter`, after any mutation already running. Resolves with the backend's
   * answer; rejects only when the add could not run and did not happen (or could not be confirmed).
   */
  add(adapter: CommerceAdapter, input: AddToCartInput, timeoutMs = DEFAULT_CART_TIMEOUT_MS): Promise<AddResult> {
    return this.#serial(() => this.#addOnce(adapter, input, timeoutMs));
  }

  /** Sets a line's quantity through `adapter`, after any mutation already running. */
  updateLine(adapter: CommerceAdapter, lineId: string, quantity: number, timeoutMs = DEFAULT_CART_TIMEOUT_MS): Promise<CartMutationResult> {
    if (!adapter.updateLine) return Promise.reject(new Error(`The ${adapter.name} adapter cannot change cart lines.`));
    return this.#serial(async () => {
      const result = await adapter.updateLine!(lineId, quantity, {signal: AbortSignal.timeout(timeoutMs)});
      this.#settled(result.cart);
      return result;
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #addOnce(adapter: CommerceAdapter, input: AddToCartInput, timeoutMs: number): Promise<AddResult> {
    const baseline = await this.#baseline(adapter);
    const before = baseline === undefined ? null : quantityOf(baseline, input.variantId);
    for (let attempt = 0; ; attempt++) {
      let result: CartMutationResult;
      try {
        result = await adapter.addToCart(input, {signal: AbortSignal.timeout(timeoutMs)});
      } catch (error) {
        // Only an add the backend refused to run is known not to have happened; any other failure (kolkit's
        // own time limit, the network) may still be applied after every read below.
        const notRun = knownNotApplied(error);
        if (before === null) throw notRun ? error : new CartUnconfirmedError(error);
        const after = await this.#rereadAfterFailure(adapter, input.variantId, before, timeoutMs, error, notRun);
        if (after.added > 0) return {result: recovered(after.cart!, after.added, input), added: after.added};
        if (!notRun) throw new CartUnconfirmedError(error);
        if (attempt >= 1) throw error;
        continue; // the backend did not run it and every read agrees: send it once more
      }
      // A refusal for a shopper with no cart yet must not conjure an empty one (nor a kol-cart-change).
      if (!result.userErrors.length || this.#value || result.cart.lines.length) this.#settled(result.cart);
      return {result, added: before === null ? null : quantityOf(result.cart, input.variantId) - before};
    }
  }

  /**
   * Reads the cart a few times after a failed add, until it shows the add. When the cart cannot be read it
   * throws: the add's own failure when the backend did not run it (`notRun`: nothing was added), else
   * unconfirmed.
   */
  async #rereadAfterFailure(
    adapter: CommerceAdapter, variantId: string, before: number, timeoutMs: number, failure: unknown, notRun: boolean,
  ): Promise<{cart: Cart | null; added: number}> {
    let waited = 0;
    let cart: Cart | null = null;
    for (const at of REREAD_AFTER_MS) {
      await new Promise((resolve) => setTimeout(resolve, at - waited));
      waited = at;
      try {
        cart = await adapter.getCart({signal: AbortSignal.timeout(timeoutMs)});
      } catch {
        throw notRun ? failure : new CartUnconfirmedError(failure);
      }
      this.#settled(cart);
      if (quantityOf(cart, variantId) > before) break;
    }
    return {cart, added: quantityOf(cart, variantId) - before};
  }

  /** Takes a mutation's cart: newer than any read still on its way. */
  #settled(cart: Cart | null): void {
    this.#writes.start();
    this.set(cart, true);
  }

  /**
   * The cart to compare against after a failed add: the known one when recent, else read now; undefined
   * when it cannot be known (then a failed add is not resent: it may have happened).
   */
  async #baseline(adapter: CommerceAdapter): Promise<Cart | null | undefined> {
    if (this.#known && Date.now() - this.#readAt < FRESH_CART_MS) return this.#value;
    try {
      return await this.refresh(adapter);
    } catch {
      return undefined;
    }
  }

  readonly #onVisible = (): void => {
    if (document.visibilityState === 'visible') void this.refresh().catch(() => undefined);
  };

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) void this.refresh().catch(() => undefined);
  };

  #open(): void {
    if (this.#scope && typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL_PREFIX + this.#scope);
      // Another tab changed the cart: read it rather than trust a message (it may be stale or forged).
      this.#channel.onmessage = () => void this.refresh().catch(() => undefined);
    }
    document.addEventListener('visibilitychange', this.#onVisible);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  #close(): void {
    this.#channel?.close();
    this.#channel = undefined;
    document.removeEventListener('visibilitychange', this.#onVisible);
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#release();
  }
}

/** An add failed and neither the adapter nor the cart can tell whether it happened (or will). */
export class CartUnconfirmedError extends Error {
  constructor(cause: unknown) {
    super('The add to cart could not be confirmed: check your cart before trying again.', {cause});
    this.name = 'CartUnconfirmedError';
  }
}

/**
 * The answer for an add the adapter did not answer but the cart shows: the quantity it took, and, for a
 * deal with a code, that the code may not be on the cart — the adapter applies it after the add, a step
 * its failure may have cut short, and a cart does not list its codes.
 */
function recovered(cart: Cart, added: number, input: AddToCartInput): CartMutationResult {
  const userErrors: UserError[] = [];
  if (added < input.quantity) userErrors.push({code: 'out-of-stock', message: `Only ${added} of ${input.quantity} could be added.`});
  const code = input.deal?.code;
  if (code) userErrors.push({code: 'deal-code-not-applied', message: `Added, but the deal code ${code} could not be confirmed: enter it at checkout if the deal price is missing.`});
  return {cart, userErrors};
}

function quantityOf(cart: Cart | null, variantId: string): number {
  return (cart?.lines ?? []).filter((l) => sameVariant(l.variantId, variantId)).reduce((n, l) => n + l.quantity, 0);
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
