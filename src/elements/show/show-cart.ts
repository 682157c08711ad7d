/**
 * The show's cart: joins the page's one store for its adapter's cart (core/cart-store.ts), hears the
 * backend's own changes, adds with a deal's terms, and opens the cart.
 */
import {msg} from '@lit/localize';
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {Cart, CommerceAdapter} from '../../adapters/types.js';
import {attributionConsentChanged, attributionRef, noteLandingRef} from '../../page/attribution.js';
import {CartUnconfirmedError, DEFAULT_CART_TIMEOUT_MS, cartStoreFor, type CartStore} from '../../page/cart-store.js';
import type {ServerClock} from '../../core/clock.js';
import {dealCovers, dealNamed} from '../../core/deal-terms.js';
import {errorMessage, type ReportFailure} from '../../core/errors.js';
import {KolCartChangeEvent, type AddToCartRequestDetail} from '../events.js';
import type {Deal, ShowState} from '../../core/schema.js';
import type {AddToCartOutcome} from '../show-handle.js';
import {dealState} from '../../core/state.js';
import {safeUrl} from '../../page/url.js';
import type {ShowAdapter} from './show-adapter.js';

/**
 * What the cart reads from its show — the ids it stamps on a line, the deals and their clock, the time
 * limit — and where it announces a new cart (`kol-cart-change`).
 */
export interface CartShow extends ReactiveControllerHost, EventTarget {
  readonly isConnected: boolean;
  readonly id: string;
  readonly affiliate: string | null;
  /** The show's consent: the landing `kol_ref` is kept for the session only while it is `granted`. */
  readonly consent: string | null;
  readonly cartTimeout: number;
  readonly state: ShowState;
  readonly clock: ServerClock;
}

/** The cart as one show sees and changes it, joined while the show is on the page. */
export class ShowCart implements ReactiveController {
  #value: Cart | null = null;
  #store: CartStore | null = null;
  #leaveStore?: () => void;
  #stopBackendChanges?: () => void;
  /** Whether consent was granted at the last update, to hear it change. */
  #consented = false;

  readonly #show: CartShow;
  readonly #adapter: ShowAdapter;
  readonly #fail: ReportFailure;
  readonly #changed: () => void;

  /** @param changed called after each new cart was announced. */
  constructor(
    show: CartShow,
    adapter: ShowAdapter,
    fail: ReportFailure,
    changed: () => void,
  ) {
    this.#show = show;
    this.#adapter = adapter;
    this.#fail = fail;
    this.#changed = changed;
    // Another adapter's cart is another cart: let go of this one first (kolkit may dispose its adapter).
    adapter.willChange.add(() => this.disconnect());
    adapter.changed.add(() => {
      this.#set(null);
      if (show.isConnected) this.connect();
    });
    show.addController(this);
  }

  hostConnected(): void {
    this.#consented = this.#show.consent === 'granted';
    // The id the shopper landed with, noted now: an add on a later page (or after the URL changed) still credits it.
    noteLandingRef(this.#consented);
    this.connect();
  }

  hostUpdate(): void {
    const consented = this.#show.consent === 'granted';
    if (consented === this.#consented) return;
    this.#consented = consented;
    attributionConsentChanged(consented);
  }

  hostDisconnected(): void {
    this.disconnect();
  }

  /** The shopper's cart, or null before it is known. */
  get current(): Cart | null {
    return this.#value;
  }

  /** Joins the page's store for the adapter's cart, hears the backend's own changes and reads the cart. */
  connect(): void {
    const adapter = this.#adapter.current;
    if (!adapter || this.#store) return;
    const store = (this.#store = cartStoreFor(adapter));
    this.#leaveStore = store.join(adapter, (cart) => this.#set(cart));
    this.#stopBackendChanges = adapter.subscribeCart?.((cart) => store.set(cart));
    if (store.cart) this.#set(store.cart);
    const run = this.#adapter.signal;
    store.refresh(adapter).catch((error) => !run.aborted && this.#fail('cart-load-failed', errorMessage(error, 'The cart could not be read.'), error));
  }

  /** Leaves the store and stops hearing the backend. */
  disconnect(): void {
    this.#stopBackendChanges?.();
    this.#stopBackendChanges = undefined;
    this.#leaveStore?.();
    this.#leaveStore = undefined;
    this.#store = null;
  }

  /** Adds to cart through the adapter, with a deal's terms when it covers the item (`KolShow.addToCart`). */
  async add(request: AddToCartRequestDetail, fixedDeal?: Deal): Promise<AddToCartOutcome> {
    // kolkit's own copy: nothing the caller (or a listener holding the object) changes later reaches the add.
    const asked = {...request};
    await this.#adapter.ready;
    const adapter = this.#adapter.current;
    if (!adapter) return {status: 'failed', code: 'no-adapter', message: 'This show has no commerce adapter.'};
    if (!Number.isInteger(asked.quantity) || asked.quantity < 1) {
      return {status: 'refused', userErrors: [{code: 'invalid-quantity', message: msg('The quantity must be a whole number of at least 1.', {id: 'cart.refused.quantity'})}]};
    }
    const state = this.#show.state;
    const deal = asked.dealId ? dealNamed(state, asked.dealId, fixedDeal) : undefined;
    if (asked.dealId && (!deal || dealState(deal, this.#show.clock.now()) !== 'active')) {
      return {status: 'refused', userErrors: [{code: 'deal-expired', message: msg('This deal is no longer available.', {id: 'cart.refused.deal-expired'})}]};
    }
    if (deal && !dealCovers(deal, asked)) {
      return {status: 'refused', userErrors: [{code: 'deal-mismatch', message: msg('This deal is for another item.', {id: 'cart.refused.deal-mismatch'})}]};
    }
    const store = this.#store ?? cartStoreFor(adapter);
    const attributes = this.#lineAttributes(deal);
    try {
      const {result, added} = await store.add(adapter, {
        productId: asked.productId,
        variantId: asked.variantId,
        quantity: asked.quantity,
        attributes,
        deal: deal && {id: deal.dealId, price: deal.price, code: deal.code, limitPerCustomer: deal.limitPerCustomer},
      }, validTimeout(this.#show.cartTimeout));
      // What the cart shows decides: an add that went in (even in part, or without its deal code) is added.
      const wentIn = added === null ? !result.userErrors.length : added > 0;
      if (wentIn && attributes?._kol_ref) await creditCart(adapter, store, result.cart, attributes._kol_ref);
      if (!wentIn) return {status: 'refused', userErrors: result.userErrors};
      // Another tab's add of the same variant may land in between: never count more than was asked.
      const quantity = added === null ? asked.quantity : Math.min(added, asked.quantity);
      const line = {
        quantity, showId: attributes?._kol_show ?? null, kolRef: attributes?._kol_ref ?? null,
        ...(deal ? {deal: {id: deal.dealId, price: deal.price}} : {}),
      };
      return {status: 'added', cart: result.cart, notices: result.userErrors, line};
    } catch (error) {
      if (error instanceof CartUnconfirmedError) return {status: 'failed', code: 'cart-add-unconfirmed', message: error.message};
      return {status: 'failed', code: 'cart-add-failed', message: errorMessage(error, 'The cart could not be updated.')};
    }
  }

  /** Opens the cart (`KolShow.openCart`): never at a checkout URL that is not https or same-origin. */
  async open(): Promise<boolean> {
    try {
      const adapter = this.#adapter.current;
      if (adapter?.openCart) await adapter.openCart();
      else {
        const raw = this.#value?.checkoutUrl;
        const url = safeUrl(raw);
        if (!url) throw new Error(raw ? `The cart's checkout URL ${JSON.stringify(raw)} is not https or on this page's origin: not opened.` : 'There is no cart page to open.');
        location.assign(url);
      }
      return true;
    } catch (error) {
      this.#fail('cart-open-failed', errorMessage(error, 'The cart could not be opened.'), error);
      return false;
    }
  }

  /** The line attributes that credit the show, the deal and the host or affiliate (design §5). */
  #lineAttributes(deal: Deal | undefined): Record<string, string> | undefined {
    const attributes: Record<string, string> = {};
    if (this.#show.id) attributes._kol_show = this.#show.id;
    if (deal) attributes._kol_deal = deal.dealId;
    const ref = attributionRef(this.#show.affiliate, this.#show.consent === 'granted');
    if (ref) attributes._kol_ref = ref;
    return Object.keys(attributes).length ? attributes : undefined;
  }

  #set(cart: Cart | null): void {
    // The cart store hands out its one object per change (it compares the backend's answers itself).
    if (cart === this.#value) return;
    this.#value = cart;
    this.#show.dispatchEvent(new KolCartChangeEvent(cart));
    this.#changed();
  }
}

/**
 * Sets the credited host on the cart itself (`_kol_ref` as a cart attribute) where the backend has cart
 * attributes, once per cart: the order then names the host even for lines added outside kolkit. Best effort:
 * the lines already carry the ref, so a failure here changes nothing the shopper sees.
 */
async function creditCart(adapter: CommerceAdapter, store: CartStore, cart: Cart, ref: string): Promise<void> {
  if (!adapter.setCartAttributes || cart.attributes?._kol_ref === ref) return;
  try {
    const {cart: credited} = await adapter.setCartAttributes({_kol_ref: ref});
    store.set(credited, true);
  } catch {
    // The lines carry _kol_ref: the order still credits the host.
  }
}

/** `cart-timeout` as set, unless it is not a usable number of milliseconds. */
function validTimeout(ms: number): number {
  return Number.isFinite(ms) && ms >= 100 ? ms : DEFAULT_CART_TIMEOUT_MS;
}
