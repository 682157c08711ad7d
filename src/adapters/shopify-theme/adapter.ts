/**
 * The adapter for a Shopify theme page (kolkit as a theme app embed): the shop's own cart, shared with the
 * theme. Product ids are product handles (read with `/products/<handle>.js`), variant ids the numeric
 * variant ids as strings.
 *
 * The cart goes through `window.Shopify.actions` when the theme has configured them (its drawer updates,
 * Shopify fires the standard events), else through the Ajax Cart API under the shop's root, after which the
 * theme's cart UI is told once (theme-cart-ui.ts): the de-facto theme events, Dawn's pub/sub, and the Section
 * Rendering API for what no theme listener re-renders (Dawn's header cart icon). Either way an add is sent once:
 * the cart is re-read afterwards, because a refused add may still have added part of the quantity.
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, Product, RequestOptions, UserError} from '../types.js';
import {AjaxCartClient} from './ajax-client.js';
import {readActionsCart, updateActionsCart, usableActions} from './actions-cart.js';
import {
  cartFromAjax, cartFromStandard, gidTail, productFromAjax, userErrorFromAjax, userErrorsFromActions, variantGid,
} from './mapping.js';
import {shopifyGlobal, type AjaxCart, type ShopifyActions, type StandardCart} from './shopify-types.js';
import {ThemeCartUi} from './theme-cart-ui.js';
import {DEFAULT_CART_SECTIONS, parseCartSections, type CartSection} from './section-refresh.js';
import {untilAborted} from '../until-aborted.js';
import {dealLimitRefusal} from '../deal-limit.js';
import {safeUrl} from '../../page/url.js';
import type {AdapterAttribute} from '../registry.js';

/** Options of `ShopifyThemeAdapter`. */
export interface ShopifyThemeAdapterOptions {
  /** The shop's root, `Shopify.routes.root` (`/`, or `/fr/` on a translated storefront). Default: that, else `/`. */
  root?: string;
  /**
   * The standard storefront actions. Default: `window.Shopify.actions`, looked up at each call (Shopify
   * injects them after `DOMContentLoaded`). `null`: always the Ajax API.
   */
  actions?: ShopifyActions | null;
  /**
   * Also use Shopify's default `updateCart` when the theme has not configured one. Off by default: the default
   * reloads the page on themes Shopify does not recognise, which would cut the live show.
   */
  useDefaultActions?: boolean;
  /** The currency of product prices when the page has no `Shopify.currency.active`. Default: the cart's. */
  currency?: string;
  /** How "open cart" goes to the cart page without the actions. Default: `location.assign`. */
  navigate?: (url: string) => void;
  /**
   * The theme sections re-rendered from the Section Rendering API after kolkit changed the cart on the Ajax
   * path, when no theme listener re-rendered them meanwhile and their element is on the page. Default:
   * Dawn's header cart icon, `[{id: 'cart-icon-bubble'}]` (into `#cart-icon-bubble`); `[]` for none.
   */
  cartSections?: readonly CartSection[];
}

const INVALID_QUANTITY: UserError = {code: 'invalid-quantity', message: 'The quantity must be a whole number of at least 1.'};

/** A Shopify theme's cart and catalog, as kolkit sees them. */
export class ShopifyThemeAdapter implements CommerceAdapter {
  readonly name = 'shopify-theme';
  readonly cartScope: string;
  /** The shop's root as an absolute URL ending in `/`. */
  readonly root: string;
  readonly #ajax: AjaxCartClient;
  readonly #themeUi: ThemeCartUi;
  readonly #listeners = new Set<(cart: Cart) => void>();
  #stopWatching?: () => void;
  /** Cart changes run one at a time: the Ajax cart loses concurrent changes, and each is re-read after. */
  #mutations: Promise<void> = Promise.resolve();
  #cartCurrency?: string;
  /** Product handles by variant id, for cart lines that do not carry their handle. */
  readonly #handles = new Map<string, string>();

  readonly #options: ShopifyThemeAdapterOptions;

  constructor(options: ShopifyThemeAdapterOptions = {}) {
    this.#options = options;
    this.root = shopRoot(options.root || shopifyGlobal()?.routes?.root || '/');
    // By origin, not root: Shopify's cart cookie covers the whole origin, so /fr/ and / hold one cart.
    this.cartScope = `shopify-theme:${new URL(this.root).origin}`;
    this.#ajax = new AjaxCartClient(this.root);
    this.#themeUi = new ThemeCartUi(this.root, options.cartSections ?? DEFAULT_CART_SECTIONS);
  }

  /** Products by handle, in the order asked; handles the shop does not know are left out. */
  async getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const handles = [...new Set(ids.filter((id) => id && !id.includes('/')))];
    const found = await Promise.all(handles.map((handle) => this.#ajax.product(handle, signal)));
    if (!found.some(Boolean)) return [];
    const currency = await this.#currency(signal);
    const products = new Map<string, Product>();
    found.forEach((product, index) => {
      if (!product) return;
      products.set(handles[index], productFromAjax(product, handles[index], currency, this.root));
      for (const variant of product.variants) this.#handles.set(String(variant.id), handles[index]);
    });
    return ids.flatMap((id) => products.get(id) ?? []);
  }

  /** The shopper's cart (on the actions path, null before there is one). */
  async getCart(options?: RequestOptions): Promise<Cart | null> {
    options?.signal?.throwIfAborted();
    const actions = this.#actions();
    return actions ? this.#readStandardCart(actions, options?.signal) : this.#fromAjax(await this.#ajax.cart(options?.signal));
  }

  /**
   * Adds a line, sent once. The deal id travels as the hidden line property `_kol_deal` (underscore
   * properties are not shown at checkout), the deal's code is applied to the cart, its per-customer limit is
   * checked against the cart first. The deal's price cannot be set from a theme: the code carries it.
   */
  async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const variantId = gidTail(input.variantId);
    if (!/^\d{1,20}$/.test(variantId)) return this.#refuse({code: 'invalid-variant', message: 'This product option does not exist in this shop.'}, signal);
    if (!Number.isInteger(input.quantity) || input.quantity < 1) return this.#refuse(INVALID_QUANTITY, signal);
    return this.#oneAtATime(async (started) => {
      const deal = input.deal;
      if (deal?.limitPerCustomer !== undefined) {
        const cart = await this.getCart({signal});
        const refusal = dealLimitRefusal(cart?.lines ?? [], input);
        if (refusal) return {cart: cart ?? this.#emptyCart(), userErrors: [refusal]};
      }
      const properties: Record<string, string> = {...input.attributes, ...(deal ? {_kol_deal: deal.id} : {})};
      const actions = this.#actions();
      return actions
        ? this.#addWithActions(actions, variantId, input.quantity, properties, deal?.code, signal, started)
        : this.#addWithAjax(variantId, input.quantity, properties, deal?.code, signal);
    }, signal);
  }

  /** Sets a line's quantity (0 removes it): `updateCart` for a cart line GID, else `cart/change.js` by line key. */
  async updateLine(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    if (!Number.isInteger(quantity) || quantity < 0) return this.#refuse({...INVALID_QUANTITY, message: 'The quantity must be a whole number.'}, signal);
    return this.#oneAtATime(async (started) => {
      const actions = this.#actions();
      if (actions && lineId.startsWith('gid://')) {
        const result = await updateActionsCart(actions, [{id: lineId, quantity}], signal, started);
        return {cart: (await this.#readStandardCart(actions, signal)) ?? this.#emptyCart(), userErrors: userErrorsFromActions(result)};
      }
      const answer = await this.#ajax.mutate<AjaxCart>('cart/change.js', {id: lineId, quantity}, signal);
      // change.js answers the cart; a refused change (422) may still have set part of the quantity: re-read.
      const cart = answer.ok && Array.isArray(answer.body?.items) ? answer.body : await this.#ajax.cart(signal);
      void this.#themeUi.announce(cart);
      return {cart: this.#fromAjax(cart), userErrors: answer.ok ? [] : [userErrorFromAjax(answer.description)]};
    }, signal);
  }

  /**
   * Sets cart attributes with `cart/update.js` (Shopify merges them with the cart's others): kolkit credits the
   * host (`_kol_ref`) on the cart once, so the order names them even for lines the theme added.
   */
  async setCartAttributes(attributes: Record<string, string>, options?: RequestOptions): Promise<CartMutationResult> {
    const signal = options?.signal;
    return this.#oneAtATime(async () => {
      const answer = await this.#ajax.mutate<AjaxCart>('cart/update.js', {attributes}, signal);
      const ajaxCart = answer.ok && Array.isArray(answer.body?.items) ? answer.body : await this.#ajax.cart(signal);
      const actions = this.#actions();
      const fromAjax = this.#fromAjax(ajaxCart);
      // The standard actions' carts carry no attributes (Shopify, 2026-08): the Ajax answer says what was set.
      const standard = actions ? await this.#readStandardCart(actions, signal) : null;
      const cart = standard ? {...standard, ...(fromAjax.attributes ? {attributes: fromAjax.attributes} : {})} : fromAjax;
      return {cart, userErrors: answer.ok ? [] : [userErrorFromAjax(answer.description)]};
    }, signal);
  }

  /** Cart changes made by the theme or another app (standard and de-facto theme events): re-read, debounced. */
  subscribeCart(listener: (cart: Cart) => void): () => void {
    this.#listeners.add(listener);
    this.#stopWatching ??= this.#themeUi.watch(() => void this.#refresh());
    return () => {
      this.#listeners.delete(listener);
      if (!this.#listeners.size) this.#stopListening();
    };
  }

  /** `Shopify.actions.openCart()` (the theme's drawer or page), else the shop's cart page. */
  async openCart(): Promise<void> {
    const actions = this.#options.actions !== undefined ? this.#options.actions : shopifyGlobal()?.actions;
    if (typeof actions?.openCart === 'function') return actions.openCart();
    // The root is http(s) (shopRoot), but plain http to another host is no cart page kolkit opens.
    const url = safeUrl(new URL('cart', this.root).href);
    if (!url) throw new Error(`The cart page under ${this.root} is not https or on this page's origin: not opened.`);
    if (this.#options.navigate) this.#options.navigate(url);
    else location.assign(url);
  }

  /** Stops listening to the theme's cart events and drops a pending section refresh. */
  dispose(): void {
    this.#themeUi.dispose();
    this.#listeners.clear();
    this.#stopListening();
  }

  #actions(): ShopifyActions | null {
    const actions = this.#options.actions !== undefined ? this.#options.actions : shopifyGlobal()?.actions;
    return usableActions(actions, this.#options.useDefaultActions ?? false);
  }

  async #addWithAjax(variantId: string, quantity: number, properties: Record<string, string>, code: string | undefined, signal?: AbortSignal): Promise<CartMutationResult> {
    const answer = await this.#ajax.mutate('cart/add.js', {items: [{id: Number(variantId), quantity, properties}]}, signal);
    const userErrors = answer.ok ? [] : [userErrorFromAjax(answer.description)];
    // Whatever the answer, the cart is re-read: a 422 may still have added what was left. This read is part
    // of the add (its answer is the add's cart): if it fails, the add rejects and kolkit reads the cart.
    let cart = await this.#ajax.cart(signal);
    if (code && holdsVariant(cart, variantId)) {
      const applied = await this.#applyCode(cart, code, signal);
      cart = applied.cart;
      userErrors.push(...applied.userErrors);
    }
    void this.#themeUi.announce(cart);
    return {cart: this.#fromAjax(cart), userErrors};
  }

  async #addWithActions(
    actions: ShopifyActions, variantId: string, quantity: number, properties: Record<string, string>, code: string | undefined,
    signal: AbortSignal | undefined, started: (work: Promise<unknown>) => void,
  ): Promise<CartMutationResult> {
    const attributes = Object.entries(properties).map(([key, value]) => ({key, value}));
    const result = await updateActionsCart(actions, [{merchandiseId: variantGid(variantId), quantity, attributes}], signal, started);
    const userErrors = userErrorsFromActions(result);
    let discounted: AjaxCart | undefined; // the cart once the code step changed it
    if (code) {
      // The actions' discount payload is not documented in enough detail to rely on: the code goes through
      // the documented Ajax update.js (same cart, same cookie), and the theme hears of it by the theme events.
      const applied = await this.#applyCodeAfterAdd(variantId, code, signal);
      userErrors.push(...applied.userErrors);
      discounted = applied.changed;
      if (discounted) void this.#themeUi.announce(discounted);
    }
    try {
      return {cart: (await this.#readStandardCart(actions, signal)) ?? this.#emptyCart(), userErrors};
    } catch (error) {
      // The add has been made: a read that fails after it (or the caller's abort) answers the cart in hand.
      const inHand = discounted ? this.#fromAjax(discounted) : result.cart && this.#fromStandard(result.cart);
      if (!inHand) throw error;
      return {cart: inHand, userErrors};
    }
  }

  /**
   * The code step of an add made through the actions: reads the Ajax cart, and applies `code` when the add
   * put the variant there. Never rejects (the add has been made): a failure is a userError. `changed` is the
   * cart when the step changed it.
   */
  async #applyCodeAfterAdd(variantId: string, code: string, signal?: AbortSignal): Promise<{changed?: AjaxCart; userErrors: UserError[]}> {
    let cart: AjaxCart;
    try {
      cart = await this.#ajax.cart(signal);
    } catch (error) {
      return {userErrors: [codeNotApplied(`The code ${code} could not be applied: ${reasonOf(error)}`)]};
    }
    if (!holdsVariant(cart, variantId)) return {userErrors: []};
    const applied = await this.#applyCode(cart, code, signal);
    return {changed: applied.cart === cart ? undefined : applied.cart, userErrors: applied.userErrors};
  }

  /**
   * Applies a deal's discount code with `cart/update.js`'s `discount` (May 2025), which replaces the cart's
   * codes: the ones already there are sent along. The answer says whether the code applies to this cart.
   * Never rejects: the add itself has been made, so a failure here (a refusal, the network, the caller's
   * abort) is a `deal-code-not-applied` userError with `cart` as it was.
   */
  async #applyCode(cart: AjaxCart, code: string, signal?: AbortSignal): Promise<{cart: AjaxCart; userErrors: UserError[]}> {
    const same = (c: {code: string}) => c.code.toLowerCase() === code.toLowerCase();
    let updated = cart;
    if (!cart.discount_codes?.some(same)) {
      try {
        const codes = [...(cart.discount_codes ?? []).map((c) => c.code), code];
        const answer = await this.#ajax.mutate<AjaxCart>('cart/update.js', {discount: codes.join(',')}, signal);
        if (!answer.ok) return {cart, userErrors: [codeNotApplied(answer.description ?? `The code ${code} could not be applied.`)]};
        updated = Array.isArray(answer.body?.items) ? answer.body : await this.#ajax.cart(signal);
      } catch (error) {
        return {cart, userErrors: [codeNotApplied(`The code ${code} could not be applied: ${reasonOf(error)}`)]};
      }
    }
    const applies = updated.discount_codes?.find(same)?.applicable ?? false;
    return {cart: updated, userErrors: applies ? [] : [codeNotApplied(`The code ${code} does not apply to this cart.`)]};
  }

  async #readStandardCart(actions: ShopifyActions, signal?: AbortSignal): Promise<Cart | null> {
    const cart = await readActionsCart(actions, signal);
    if (!cart) return null;
    const unknown = cart.lines.some((l) => !l.merchandise.product?.handle && !this.#handles.has(gidTail(l.merchandise.id)));
    if (unknown) this.#fromAjax(await this.#ajax.cart(signal)); // learns the handles
    return this.#fromStandard(cart);
  }

  /** A standard-action cart, with the handles already known (a line whose handle is not stays by variant id). */
  #fromStandard(cart: StandardCart): Cart {
    return cartFromStandard(cart, this.#checkoutUrl(), (variantId) => this.#handles.get(variantId));
  }

  #fromAjax(cart: AjaxCart): Cart {
    this.#cartCurrency = cart.currency || this.#cartCurrency;
    for (const item of cart.items) this.#handles.set(String(item.variant_id), item.handle);
    return cartFromAjax(cart, this.#checkoutUrl());
  }

  /** The currency of product prices: the option, the storefront's active currency, else the cart's. */
  async #currency(signal?: AbortSignal): Promise<string> {
    const known = this.#options.currency || shopifyGlobal()?.currency?.active || this.#cartCurrency;
    if (known) return known;
    return (await this.#ajax.cart(signal)).currency;
  }

  #checkoutUrl(): string {
    return new URL('checkout', this.root).href;
  }

  #emptyCart(): Cart {
    return {id: '', lines: [], totalQuantity: 0, subtotal: {amount: '0.00', currencyCode: this.#cartCurrency ?? 'USD'}, checkoutUrl: this.#checkoutUrl()};
  }

  /** A refusal decided before anything is sent, with the cart as it is. */
  async #refuse(error: UserError, signal?: AbortSignal): Promise<CartMutationResult> {
    return {cart: (await this.getCart({signal})) ?? this.#emptyCart(), userErrors: [error]};
  }

  /**
   * Runs cart changes one after another. A caller whose signal aborts stops waiting at once, but the next
   * change still waits for the work this one `started` and cannot cancel (a theme's `updateCart` that
   * ignores the signal): two changes never run on the cart together.
   */
  #oneAtATime<T>(run: (started: (work: Promise<unknown>) => void) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#mutations;
    const running: Array<Promise<unknown>> = [];
    const turn = untilAborted(previous, signal).then(() => run((work) => running.push(work)));
    const settled = turn.then(noop, noop).then(() => Promise.allSettled(running)).then(noop);
    this.#mutations = previous.then(() => settled);
    return turn;
  }

  async #refresh(): Promise<void> {
    let cart: Cart | null;
    try {
      cart = await this.getCart();
    } catch (error) {
      console.warn('[kolkit] Could not re-read the Shopify cart after a theme change:', error);
      return;
    }
    if (!cart) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(cart);
      } catch (error) {
        console.error('[kolkit] A cart listener failed:', error);
      }
    }
  }

  #stopListening(): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }
}

const noop = () => undefined;

/** The userError of a deal's code that was not applied, the same on every adapter. */
function codeNotApplied(message: string): UserError {
  return {code: 'deal-code-not-applied', message};
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when the Ajax cart has a line of `variantId`. */
function holdsVariant(cart: AjaxCart, variantId: string): boolean {
  return cart.items.some((item) => String(item.variant_id) === variantId);
}

/** `root` as an absolute http(s) URL ending in `/`; anything else (`javascript:`, a typo) is the page's `/`. */
function shopRoot(root: string): string {
  try {
    // baseURI, not location: an about:srcdoc frame (a theme editor preview) inherits its parent's.
    const url = new URL(root.endsWith('/') ? root : `${root}/`, document.baseURI);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  console.warn(`[kolkit] shopify-theme: the root ${JSON.stringify(root)} is not an http(s) URL; using "/".`);
  return new URL('/', document.baseURI).href;
}

/**
 * The adapter for `<kol-show adapter="shopify-theme" root="/fr/" cart-sections="cart-icon-bubble">`: attribute
 * `root`, else `Shopify.routes.root`; `cart-sections`, section ids (each into the element with its id).
 */
export function fromAttributes(show: Element): ShopifyThemeAdapter {
  const attribute = (name: AdapterAttribute<'shopify-theme'>) => show.getAttribute(name);
  return new ShopifyThemeAdapter({root: attribute('root') ?? undefined, cartSections: parseCartSections(attribute('cart-sections'))});
}
