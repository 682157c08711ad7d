import {css, html, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../../core/kol-element.js';
import {ServerClock, type ClockSampleSource} from '../../core/clock.js';
import {ReportedOnce} from '../../core/once.js';
import {MAX_HELD_EVENTS, type TimelineLimit} from '../../core/timeline.js';
import {ReleaseScheduler, type ProgramTimeSource, type ReleaseResult} from '../../core/scheduler.js';
import {parseShowEvent, type Deal, type ShowEvent, type ShowState} from '../../core/schema.js';
import {dealOf, dealPhase, MAX_DEALS, MAX_LINEUP, MAX_STOCK, type DealPhase} from '../../core/state.js';
import {dealCovers, dealNamed} from '../../core/deal-terms.js';
import {onSecondTick} from '../../core/ticker.js';
import {
  KolCartChangeEvent, KolDealChangeEvent, KolPinChangeEvent, KolShowEventEvent, type AddToCartRequestDetail,
} from '../../core/events.js';
import type {AddToCartOutcome, Chapter, ProductLookup, ShowHandle} from '../../core/show-handle.js';
import type {Cart, CommerceAdapter} from '../../adapters/types.js';
import {createAdapter} from '../../adapters/registry.js';
import {isAdapterConfigError} from '../../adapters/config-error.js';
import {CONSENT_VALUES} from '../../adapters/consent.js';
import {CartUnconfirmedError, DEFAULT_CART_TIMEOUT_MS, cartStoreFor, type CartStore} from '../../core/cart-store.js';
import {attributionRef} from '../../core/attribution.js';
import {REQUEST_TIMEOUT_MS, withTimeout} from '../../core/timeout.js';
import type {SseSource} from '../../sources/sse.js';
import {safeUrl} from '../../core/url.js';
import {showConnected, showDisconnected} from '../../core/show-link.js';

/**
 * The live session: holds the commerce adapter, the event sources, the time-aligned show state and the
 * server clock. Renders nothing of its own; its elements find it as their ancestor or by `show="id"`.
 *
 * @summary The live shopping session every other kolkit element belongs to.
 * @attr adapter - The name of a built-in commerce adapter (`memory`, `shopify-theme`, `shopify-storefront`, `vendure`), configured from this element's attributes and loaded when first named.
 * @attr checkout-url - The memory and vendure adapters' checkout URL: where opening the cart goes.
 * @attr root - shopify-theme: the shop's root (default `Shopify.routes.root`, else `/`).
 * @attr store-domain - shopify-storefront: the shop's domain (`shop.myshopify.com`).
 * @attr storefront-token - shopify-storefront: the public Storefront API access token.
 * @attr api-version - shopify-storefront: the Storefront API version (default `2026-04`).
 * @attr endpoint - shopify-storefront: a full GraphQL URL (a proxy), instead of the one made from `store-domain`.
 * @attr country - shopify-storefront: the buyer's country for `@inContext` (ISO 3166, e.g. `FR`).
 * @attr language - shopify-storefront: the buyer's language for `@inContext` (e.g. `FR`).
 * @attr api-url - vendure: the Shop API URL (default `/shop-api`).
 * @attr channel-token - vendure: the channel token (`vendure-token` header).
 * @attr session - vendure: `cookie` (default) or `bearer`.
 * @attr line-attributes-field - vendure: the OrderLine custom field that stores kolkit's line attributes.
 * @slot - The show's elements and any page content.
 * @fires kol-pin-change - The pinned products changed, as the viewer sees them.
 * @fires kol-deal-change - A deal started or changed phase.
 * @fires kol-show-event - A show event was released to the viewer.
 * @fires kol-cart-change - The cart changed.
 * @fires kol-error - Something failed (see docs/errors.md).
 */
export class KolShow extends KolElement implements ShowHandle {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /**
   * A URL answering a JSON array of show events, replayed against the viewer's program time. It must start
   * answering within 15 s (the body may then take as long as it keeps arriving); a failed load is tried 3 more times.
   */
  @property() timeline: string | null = null;

  /**
   * A server-sent events URL streaming show events (resumes with Last-Event-ID; put each `id:` before its `data:`).
   * It must answer within 15 s; a stream silent for 90 s is reconnected (a `:` keep-alive every 60 s avoids it), which
   * is reported only if that reconnect fails. Reconnects after a failure back off from 1 s to 30 s.
   */
  @property() events: string | null = null;

  /** The memory adapter's catalog: a URL answering a JSON array of products (or `{products: [...]}`). */
  @property() products: string | null = null;

  /**
   * How long (ms, default 15000) an add to cart may take before kolkit reads the cart to see whether it happened (it is
   * sent again only when it certainly did not).
   */
  @property({type: Number, attribute: 'cart-timeout'}) cartTimeout: number = DEFAULT_CART_TIMEOUT_MS;

  /**
   * The host or affiliate credited for adds made in this show, stored on each cart line as `_kol_ref` so
   * the merchant can pay a commission. Defaults to the page URL's `kol_ref` parameter.
   */
  @property() affiliate: string | null = null;

  /**
   * Consent to store on the shopper's device: `granted` lets the adapters keep the cart id
   * (shopify-storefront, localStorage) or the bearer session (vendure, sessionStorage) so the cart follows
   * the shopper to the next page; `denied`, or no value (the default), stores nothing. Set it when the
   * consent banner answers: a later change takes effect at once (granted stores, denied removes).
   */
  @property({reflect: true}) consent: string | null = null;

  /** The server clock countdowns run on (`clock.offset` may be set when known another way). */
  readonly clock = new ServerClock();

  private adapterValue: CommerceAdapter | null = null;
  /** True while the adapter was made from the `adapter` attribute (kolkit owns it and disposes it). */
  private adapterFromAttribute = false;
  private pendingAdapterName: string | undefined;
  private cartValue: Cart | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly productLookups = new Map<string, ProductLookup>();
  private readonly productWaiters = new Map<string, Array<(lookup: ProductLookup) => void>>();
  private productBatch = new Set<string>();
  /** Consecutive failed product loads, for the retry backoff. */
  private productFailures = 0;
  private readonly scheduler = new ReleaseScheduler(this.clock, (result) => this.onRelease(result), undefined, (limit) => this.reportLimit(limit));
  /** Bad events and caps already reported: each distinct one gets one kol-error. */
  private readonly reported = new ReportedOnce();
  /** True while the clock is refusing `sentAt` samples: one kol-error per such run, not one per event. */
  private clockSkewReported = false;
  private readonly dealPhases = new Map<string, DealPhase>();
  private stopTicker?: () => void;
  private stopCartSubscription?: () => void;
  private cartStore: CartStore | null = null;
  private leaveCartStore?: () => void;
  private sse?: SseSource;
  /** Counts event-source (re)connections, so a slow import of the SSE reader cannot start a stale one. */
  private eventsGeneration = 0;
  private timelineAbort?: AbortController;
  private player: ProgramTimeSource | null = null;
  private adapterGeneration = 0;
  /** Counts adapter changes asked for, so a slow adapter import cannot win over a later choice. */
  private adapterRequest = 0;
  /** Settles when an adapter named by attribute has loaded (or failed to). */
  private adapterPending?: Promise<void>;
  private lastPinned = this.scheduler.timeline.state.pinned;
  private readonly skews: number[] = [];
  private chapterCache?: {revision: number; chapters: Chapter[]};
  private watchStart: number | null = null;

  static override get observedAttributes(): string[] {
    return [...new Set([...super.observedAttributes, 'adapter', ...ADAPTER_OPTION_ATTRIBUTES])];
  }

  /**
   * The commerce adapter: an object implementing `CommerceAdapter`, or (as the `adapter` attribute) the
   * name of a built-in one, configured from this element's attributes.
   */
  get adapter(): CommerceAdapter | null {
    return this.adapterValue;
  }
  set adapter(value: CommerceAdapter | string | null) {
    if (typeof value === 'string') this.useAdapterNamed(value);
    else {
      ++this.adapterRequest; // an adapter named earlier and still loading must not replace this one
      this.setAdapter(value, false);
    }
  }

  /** The released show state: pinned, deals, stock, status, viewers, lineup, chat. */
  get state(): ShowState {
    return this.scheduler.timeline.state;
  }

  /** The shopper's cart, or null before it is known. */
  get cart(): Cart | null {
    return this.cartValue;
  }

  /** The viewer's program time, or null without a player that knows it. */
  get programTime(): Date | null {
    const time = this.player?.programTime();
    return time === null || time === undefined ? null : new Date(time);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'adapter' && value !== old && (value !== null || this.adapterFromAttribute)) {
      // Applied at the next update, once connected, so a kol-error for a bad name reaches the page.
      this.pendingAdapterName = value ?? '';
      this.requestUpdate();
    } else if (ADAPTER_OPTION_ATTRIBUTES.includes(name) && value !== old && this.adapterFromAttribute) {
      // An option set later (a framework filling in config) makes a new adapter with it.
      this.pendingAdapterName ??= this.getAttribute('adapter') ?? '';
      this.requestUpdate();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheduler.sync();
    this.connectCart();
    showConnected();
    // Moved in the DOM (or re-inserted by a theme editor): pick the sources and the deal clock up again.
    if (this.hasUpdated) {
      this.connectEvents();
      // A timeline load cut short by the move starts again (a finished one is not loaded twice).
      if (this.timelineAbort?.signal.aborted) this.loadTimelineFrom(this.timeline);
      this.emitDerivedChanges();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    showDisconnected();
    this.disconnectCart();
    this.scheduler.dispose();
    this.disconnectEvents();
    this.timelineAbort?.abort();
    this.stopTicker?.();
    this.stopTicker = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('consent') && this.consent !== null && !(CONSENT_VALUES as readonly string[]).includes(this.consent)) {
      this.badAttribute('consent', `consent="${this.consent}" is neither "granted" nor "denied": nothing is stored on the device.`);
    }
    // `products` set as a property (not through its attribute) also remakes the attribute-made adapter.
    if (changed.has('products') && changed.get('products') !== undefined && this.adapterFromAttribute) {
      this.pendingAdapterName ??= this.getAttribute('adapter') ?? '';
    }
    if (this.pendingAdapterName !== undefined) {
      const name = this.pendingAdapterName;
      this.pendingAdapterName = undefined;
      this.useAdapterNamed(name);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('events')) this.connectEvents();
    if (changed.has('timeline')) this.loadTimelineFrom(this.timeline);
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** Ingests one show event or an array of them, from any source: validated, deduplicated by id, time-aligned. */
  push(input: unknown): void {
    const events: ShowEvent[] = [];
    for (const raw of Array.isArray(input) ? input : [input]) {
      const result = parseShowEvent(raw);
      if (result.kind === 'event') {
        if (result.event.sentAt) this.sampleClock(Date.parse(result.event.sentAt), result.event.id);
        events.push(result.event);
      } else if (result.kind === 'invalid') {
        this.reportBadEvent(raw, result.message);
      }
    }
    if (events.length) this.scheduler.add(events);
  }

  /** Calls `listener` whenever the state, the cart or a product lookup changes. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The product's lookup as it stands; starts loading it (batched with others) when first asked. */
  lookupProduct(id: string): ProductLookup {
    let lookup = this.productLookups.get(id);
    if (!lookup) {
      lookup = {status: 'loading'};
      this.productLookups.set(id, lookup);
      if (!this.productBatch.size) queueMicrotask(() => void this.loadProductBatch());
      this.productBatch.add(id);
    }
    return lookup;
  }

  /** Resolves when the product's lookup has finished (ready, missing or error). */
  whenProduct(id: string): Promise<ProductLookup> {
    const lookup = this.lookupProduct(id);
    if (lookup.status !== 'loading') return Promise.resolve(lookup);
    return new Promise((resolve) => {
      const waiting = this.productWaiters.get(id) ?? [];
      waiting.push(resolve);
      this.productWaiters.set(id, waiting);
    });
  }

  /**
   * Adds to cart through the adapter. Elements call this after their `kol-add-to-cart-request` was not
   * cancelled. An add made on a deal carries the deal's terms (from the show state, or `fixedDeal` for a
   * deal set by attributes) only for the deal's own product (and variant, when the deal names one); a deal
   * that is not active, or is for another item, is refused before anything is sent.
   */
  async addToCart(request: AddToCartRequestDetail, fixedDeal?: Deal): Promise<AddToCartOutcome> {
    // kolkit's own copy: nothing the caller (or a listener holding the object) changes later reaches the add.
    const asked = {...request};
    await this.adapterPending;
    const adapter = this.adapterValue;
    if (!adapter) return {status: 'failed', code: 'no-adapter', message: 'This show has no commerce adapter.'};
    if (!Number.isInteger(asked.quantity) || asked.quantity < 1) {
      return {status: 'refused', userErrors: [{code: 'invalid-quantity', message: 'The quantity must be a whole number of at least 1.'}]};
    }
    const deal = asked.dealId ? dealNamed(this.state, asked.dealId, fixedDeal) : undefined;
    if (asked.dealId && (!deal || dealPhase(deal, this.clock.now()) !== 'active')) {
      return {status: 'refused', userErrors: [{code: 'deal-expired', message: 'This deal is no longer available.'}]};
    }
    if (deal && !dealCovers(deal, asked)) {
      return {status: 'refused', userErrors: [{code: 'deal-mismatch', message: 'This deal is for another item.'}]};
    }
    const attributes: Record<string, string> = {};
    if (this.id) attributes._kol_show = this.id;
    if (deal) attributes._kol_deal = deal.dealId;
    const ref = attributionRef(this.affiliate);
    if (ref) attributes._kol_ref = ref;
    const store = this.cartStore ?? cartStoreFor(adapter);
    try {
      const {result, added} = await store.add(adapter, {
        productId: asked.productId,
        variantId: asked.variantId,
        quantity: asked.quantity,
        attributes: Object.keys(attributes).length ? attributes : undefined,
        deal: deal && {id: deal.dealId, price: deal.price, code: deal.code, limitPerCustomer: deal.limitPerCustomer},
      }, validTimeout(this.cartTimeout));
      // What the cart shows decides: an add that went in (even in part, or without its deal code) is added.
      const wentIn = added === null ? !result.userErrors.length : added > 0;
      return wentIn
        ? {status: 'added', cart: result.cart, notices: result.userErrors}
        : {status: 'refused', userErrors: result.userErrors};
    } catch (error) {
      if (error instanceof CartUnconfirmedError) return {status: 'failed', code: 'cart-add-unconfirmed', message: error.message};
      return {status: 'failed', code: 'cart-add-failed', message: errorMessage(error, 'The cart could not be updated.')};
    }
  }

  /**
   * Opens the cart the adapter's way, else at the cart's checkout URL (https, http on loopback, or
   * same-origin only: never `javascript:`). Answers false, after a `cart-open-failed` kol-error, when it could not.
   */
  async openCart(): Promise<boolean> {
    try {
      if (this.adapterValue?.openCart) await this.adapterValue.openCart();
      else {
        const raw = this.cartValue?.checkoutUrl;
        const url = safeUrl(raw);
        if (!url) throw new Error(raw ? `The cart's checkout URL ${JSON.stringify(raw)} is not https or on this page's origin: not opened.` : 'There is no cart page to open.');
        location.assign(url);
      }
      return true;
    } catch (error) {
      this.fail('cart-open-failed', errorMessage(error, 'The cart could not be opened.'), error);
      return false;
    }
  }

  /**
   * When the host first pinned each product in the whole show (released or still ahead), in
   * program-time order: a replay's chapters.
   */
  chapters(): Chapter[] {
    // The player asks on every render of a replay: recompute only when the held events changed.
    const timeline = this.scheduler.timeline;
    if (this.chapterCache?.revision !== timeline.revision) {
      // One chapter per product (when it was first shown), so a long show's chapter list stays as long as
      // its lineup, not as long as its pins.
      const seen = new Set<string>();
      const chapters = timeline.allEvents().flatMap((e) => {
        if (e.type !== 'product.pin' || seen.has(e.productId)) return [];
        seen.add(e.productId);
        return [{productId: e.productId, label: e.label, at: Date.parse(e.at)}];
      });
      this.chapterCache = {revision: timeline.revision, chapters};
    }
    return this.chapterCache.chapters;
  }

  /** Program time (ms) of the next event still to be released, or null. */
  nextEventAt(): number | null {
    return this.scheduler.timeline.nextAt();
  }

  /** How far from the host's moment events were released for this viewer (ms): p50 and p95, or null. */
  pinSkew(): {count: number; p50: number; p95: number} | null {
    const sorted = [...this.skews].sort((a, b) => a - b);
    if (!sorted.length) return null;
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {count: sorted.length, p50: at(0.5), p95: at(0.95)};
  }

  /** Lets a player report the viewer's program time. Returns the detach. */
  attachPlayer(source: ProgramTimeSource): () => void {
    this.watchStart = null;
    this.player = source;
    this.scheduler.setSource(source);
    return () => {
      if (this.player !== source) return;
      this.player = null;
      this.scheduler.setSource(null);
    };
  }

  /** Releases the events the viewer's program time has reached. A player calls it on every frame. */
  syncTime(): void {
    this.scheduler.sync();
  }

  private onRelease({released, time, changed}: ReleaseResult): void {
    if (this.player && Number.isFinite(time)) this.recordSkews(released, time);
    for (const event of released) this.dispatchEvent(new KolShowEventEvent(event));
    if (!changed) return;
    this.emitDerivedChanges();
    this.notify();
  }

  /**
   * Emits the pin and deal changes derived from the state and the clock, and watches the clock while a
   * deal is open. Returns true when a deal changed phase.
   */
  private emitDerivedChanges(): boolean {
    const state = this.state;
    if (state.pinned !== this.lastPinned) {
      this.lastPinned = state.pinned;
      this.dispatchEvent(new KolPinChangeEvent(state.pinned));
    }
    const now = this.clock.now();
    let open = false;
    let phaseChanged = false;
    const deals = Object.values(state.deals);
    for (const deal of deals) {
      const phase = dealPhase(deal, now);
      if (this.dealPhases.get(deal.dealId) !== phase) {
        this.dealPhases.set(deal.dealId, phase);
        phaseChanged = true;
        this.dispatchEvent(new KolDealChangeEvent(deal, phase));
      }
      open ||= phase === 'upcoming' || phase === 'active';
    }
    // Deals the state let go of (its cap) are forgotten here too, so this map stays as bounded as the state.
    if (this.dealPhases.size > deals.length) {
      for (const id of this.dealPhases.keys()) if (!dealOf(state, id)) this.dealPhases.delete(id);
    }
    // Deals open and close on the clock, not on an event: watch the clock only while one is open.
    if (open && !this.stopTicker) {
      this.stopTicker = onSecondTick(() => this.emitDerivedChanges() && this.notify());
    } else if (!open && this.stopTicker) {
      this.stopTicker();
      this.stopTicker = undefined;
    }
    return phaseChanged;
  }

  /** Keeps the skew of events that happened while this viewer watched (not the backlog at join). */
  private recordSkews(released: readonly ShowEvent[], time: number): void {
    this.watchStart ??= time;
    for (const event of released) {
      const at = Date.parse(event.at);
      if (event.type === 'show.snapshot' || at <= this.watchStart) continue;
      this.skews.push(time - at);
      if (this.skews.length > MAX_SKEW_SAMPLES) this.skews.shift();
    }
  }

  /** One `bad-event` per distinct bad event (by id, else by what is wrong), without its payload. */
  private reportBadEvent(raw: unknown, problem: string): void {
    const rawId = raw && typeof raw === 'object' ? (raw as {id?: unknown}).id : undefined;
    const id = typeof rawId === 'string' && rawId ? rawId.slice(0, 64) : null;
    if (!this.reported.first(id === null ? `problem:${problem}` : `id:${id}`)) return;
    this.fail('bad-event', `A show event${id === null ? '' : ` (id "${id}")`} was dropped: ${problem}.`, id === null ? undefined : {id});
  }

  /** Feeds the server clock; a refused sample (a `sentAt` far from any plausible clock) is reported once per run. */
  private sampleClock(serverTime: number, eventId?: string, receivedAt?: number, source?: ClockSampleSource): void {
    if (this.clock.sample(serverTime, receivedAt, source)) {
      this.clockSkewReported = false;
      return;
    }
    if (this.clockSkewReported) return;
    this.clockSkewReported = true;
    const what = eventId ? `The sentAt of event "${eventId.slice(0, 64)}"` : 'The server\'s Date header';
    const when = Number.isFinite(serverTime) ? new Date(serverTime).toISOString() : String(serverTime);
    this.fail('clock-skew', `${what} (${when}) is too far from this device's clock and the server's to be trusted; countdowns keep the clock they had.`);
  }

  /** One `show-limit` per cap, the first time it drops something. */
  private reportLimit(limit: TimelineLimit): void {
    if (this.reported.first(`limit:${limit}`)) this.fail('show-limit', SHOW_LIMIT_MESSAGES[limit]);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private useAdapterNamed(name: string): void {
    const generation = ++this.adapterRequest;
    if (!name) return this.setAdapter(null, true);
    // Product lookups and adds made meanwhile wait for it rather than fail with no-adapter.
    const pending = createAdapter(name, this).then(
      (adapter) => {
        if (generation !== this.adapterRequest) return; // named again meanwhile
        if (!adapter) this.fail('unknown-adapter', `kolkit has no adapter named "${name}".`);
        this.setAdapter(adapter, true);
      },
      (error) => {
        if (generation !== this.adapterRequest) return;
        // A misconfiguration (no store domain, an endpoint kolkit will not call…) names its attribute.
        if (isAdapterConfigError(error)) this.badAttribute(error.attribute, error.message, error);
        else this.fail('adapter-load-failed', errorMessage(error, `The ${name} adapter could not be loaded.`), error);
        this.setAdapter(null, true);
      },
    );
    const settled: Promise<void> = pending.finally(() => {
      if (this.adapterPending === settled) this.adapterPending = undefined;
    });
    this.adapterPending = settled;
  }

  /** A misconfiguration is for the developer: a `bad-attribute` kol-error and a console warning, both naming it. */
  private badAttribute(attribute: string, message: string, cause?: unknown): void {
    console.warn(`[kolkit] <kol-show> ${attribute}: ${message}`);
    this.fail('bad-attribute', message, cause);
  }

  private setAdapter(adapter: CommerceAdapter | null, fromAttribute: boolean): void {
    if (adapter === this.adapterValue) return;
    this.disconnectCart();
    if (this.adapterFromAttribute) this.adapterValue?.dispose?.();
    this.adapterFromAttribute = fromAttribute;
    this.adapterValue = adapter;
    ++this.adapterGeneration;
    this.productLookups.clear();
    this.setCart(null);
    if (this.isConnected) this.connectCart();
  }

  /** Joins the page's store for the adapter's cart, hears the backend's own changes and reads the cart. */
  private connectCart(): void {
    const adapter = this.adapterValue;
    if (!adapter || this.cartStore) return;
    const store = (this.cartStore = cartStoreFor(adapter));
    this.leaveCartStore = store.join(adapter, (cart) => this.setCart(cart));
    this.stopCartSubscription = adapter.subscribeCart?.((cart) => store.set(cart));
    if (store.cart) this.setCart(store.cart);
    const generation = this.adapterGeneration;
    store.refresh(adapter).catch(
      (error) => generation === this.adapterGeneration && this.fail('cart-load-failed', errorMessage(error, 'The cart could not be read.'), error),
    );
  }

  private disconnectCart(): void {
    this.stopCartSubscription?.();
    this.stopCartSubscription = undefined;
    this.leaveCartStore?.();
    this.leaveCartStore = undefined;
    this.cartStore = null;
  }

  private setCart(cart: Cart | null): void {
    // The cart store hands out its one object per change (it compares the backend's answers itself).
    if (cart === this.cartValue) return;
    this.cartValue = cart;
    this.dispatchEvent(new KolCartChangeEvent(cart));
    this.notify();
  }

  private async loadProductBatch(): Promise<void> {
    await this.adapterPending;
    const ids = [...this.productBatch];
    this.productBatch = new Set();
    const adapter = this.adapterValue;
    const generation = this.adapterGeneration;
    let settle: (id: string) => ProductLookup;
    if (!adapter) {
      this.fail('no-adapter', 'Products cannot be shown: this show has no commerce adapter.');
      settle = () => ({status: 'error', message: 'No store is connected.'});
    } else {
      try {
        // A time limit of kolkit's own: a backend (or a merchant's adapter) that never answers must end in the
        // pin's error state and a retry, not in "Loading product" for ever. The adapter gets the signal too.
        const late = `The store did not answer within ${REQUEST_TIMEOUT_MS / 1000} s for ${ids.join(', ')}.`;
        const products = await withTimeout(REQUEST_TIMEOUT_MS, late, (signal) => adapter.getProducts(ids, {signal}));
        const byId = new Map(products.map((p) => [p.id, p]));
        const missing = ids.filter((id) => !byId.has(id));
        if (missing.length) this.fail('unknown-product', `The store does not know product ${missing.join(', ')}.`);
        settle = (id) => (byId.has(id) ? {status: 'ready', product: byId.get(id)!} : {status: 'missing'});
      } catch (error) {
        const message = errorMessage(error, 'Products could not be loaded.');
        this.fail('product-load-failed', message, error);
        settle = () => ({status: 'error', message});
      }
    }
    if (generation !== this.adapterGeneration) return;
    const failed: string[] = [];
    for (const id of ids) {
      const lookup = settle(id);
      this.productLookups.set(id, lookup);
      if (lookup.status === 'error') failed.push(id);
      for (const resolve of this.productWaiters.get(id) ?? []) resolve(lookup);
      this.productWaiters.delete(id);
    }
    this.productFailures = failed.length ? this.productFailures + 1 : 0;
    // A failed lookup stays failed (a render must not trigger a reload) until a backed-off retry.
    if (failed.length && adapter) {
      const delay = Math.min(2000 * 2 ** (this.productFailures - 1), 60_000);
      setTimeout(() => {
        if (generation !== this.adapterGeneration) return;
        for (const id of failed) if (this.productLookups.get(id)?.status === 'error') this.productLookups.delete(id);
        this.notify();
      }, delay);
    }
    this.notify();
  }

  private disconnectEvents(): void {
    ++this.eventsGeneration;
    this.sse?.stop();
    this.sse = undefined;
  }

  /** (Re)connects the `events` source. The SSE reader is its own chunk: a show without `events` never loads it. */
  private connectEvents(): void {
    this.disconnectEvents();
    const url = this.events;
    if (!url || !this.isConnected) return;
    const generation = this.eventsGeneration;
    let reported = false;
    import('../../sources/sse.js').then(({SseSource}) => {
      if (generation !== this.eventsGeneration) return;
      this.sse = new SseSource(url, {
        onData: (data) => this.push(data),
        onServerTime: (time, receivedAt) => this.sampleClock(time, undefined, receivedAt, 'date-header'),
        // An outage ends when a connection stays up, not when one opens: a server that accepts and drops
        // gets one error, not one per retry.
        onStable: () => {
          reported = false;
          if (this.error === 'events-disconnected') this.error = null;
        },
        onDisconnect: (message, retryInMs) => {
          if (!reported) this.fail('events-disconnected', `${message} Reconnecting in ${Math.round(retryInMs / 1000)} s.`);
          reported = true;
        },
        // Once per event: a server that sends it again on every reconnect must not flood the page.
        onBadEvent: (problem, id) => this.reportBadEvent(id === undefined ? null : {id}, problem),
      });
      this.sse.start();
    }, (error) => generation === this.eventsGeneration && this.fail('events-disconnected', errorMessage(error, 'The event reader could not be loaded.'), error));
  }

  /** Loads the `timeline` URL. The reader is its own chunk, like the SSE reader: a live show never loads it. */
  private loadTimelineFrom(url: string | null): void {
    this.timelineAbort?.abort();
    if (!url) return;
    const abort = (this.timelineAbort = new AbortController());
    import('../../sources/timeline.js').then(({loadTimeline}) => loadTimeline(url, abort.signal)).then(
      (events) => this.push(events),
      (error) => !abort.signal.aborted && this.fail('timeline-load-failed', errorMessage(error, 'The timeline could not be loaded.'), error),
    ).finally(() => {
      // Loaded, or failed for good: not cut short, so a later reconnect does not load it again.
      if (this.timelineAbort === abort && !abort.signal.aborted) this.timelineAbort = undefined;
    });
  }

}

/** What a page is told when a cap drops something (the caps are documented in docs/design.md §3). */
const SHOW_LIMIT_MESSAGES: Record<TimelineLimit, string> = {
  events: `The show holds at most ${MAX_HELD_EVENTS} events: the oldest it released are folded away (seeking back before them shows the state then); new ones are dropped only while all are still ahead.`,
  deals: `The show holds at most ${MAX_DEALS} deals and none has ended to make room: a new deal was dropped.`,
  stock: `The show tracks stock for at most ${MAX_STOCK} products: a figure for another product was dropped.`,
  lineup: `The show's lineup lists at most ${MAX_LINEUP} products: a further product is not listed.`,
};

/** Skew samples kept for `pinSkew()`: enough for stable percentiles, bounded for a long show. */
const MAX_SKEW_SAMPLES = 1000;

/** `cart-timeout` as set, unless it is not a usable number of milliseconds. */
function validTimeout(ms: number): number {
  return Number.isFinite(ms) && ms >= 100 ? ms : DEFAULT_CART_TIMEOUT_MS;
}

/** Attributes the built-in adapters read: changing one rebuilds an adapter made from the `adapter` attribute. */
const ADAPTER_OPTION_ATTRIBUTES = [
  'products', 'checkout-url', 'root', 'store-domain', 'storefront-token', 'api-version', 'endpoint', 'country',
  'language', 'api-url', 'channel-token', 'session', 'line-attributes-field',
];

function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
