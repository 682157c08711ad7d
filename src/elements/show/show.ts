import {css, html, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {ServerClock} from '../../core/clock.js';
import type {ProgramTimeSource} from '../../core/scheduler.js';
import type {Deal, ShowState} from '../../core/schema.js';
import type {AddToCartRequestDetail} from '../events.js';
import type {ReportFailure} from '../../core/errors.js';
import {Listeners} from '../../core/listeners.js';
import type {AddToCartOutcome, Chapter, ProductLookup, PushOptions, ShowHandle} from '../show-handle.js';
import type {Cart, CommerceAdapter} from '../../adapters/types.js';
import {DEFAULT_CART_TIMEOUT_MS} from '../../page/cart-store.js';
import {showConnected, showDisconnected} from '../../controllers/show-link.js';
import {ADAPTER_ATTRIBUTES, ShowAdapter, badAttributeReport} from './show-adapter.js';
import {ProductCatalog} from './product-catalog.js';
import {ShowCart} from './show-cart.js';
import {ShowEvents} from './show-events.js';
import {ShowServer, type ActionOutcome, type ChatOptions} from './show-server.js';

/**
 * The live session: holds the commerce adapter, the event sources, the time-aligned show state and the
 * server clock. Renders nothing of its own; its elements find it as their ancestor or by `show="id"`.
 *
 * @summary The live shopping session every other kolkit element belongs to.
 * @attr adapter - The name of a built-in commerce adapter (`memory`, `shopify-theme`, `shopify-storefront`, `vendure`), configured from this element's attributes and loaded when first named.
 * @slot - The show's elements and any page content.
 * @fires kol-pin-change - The pinned products changed, as the viewer sees them.
 * @fires kol-deal-change - A deal started or changed state (upcoming, active, sold-out, expired).
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
   * is reported only if that reconnect fails. Reconnects after a failure back off from 1 s to 30 s. Wins over the
   * stream `server` derives (viewer actions still go to `server`): e.g. the events through an SSE hub or a CDN.
   */
  @property() events: string | null = null;

  /**
   * A kolkit show server (`https://live.example.com`; `/` for the page's own origin): the events stream
   * (`{server}/v1/shows/{show-id}/events`, unless `events` is set) and the viewer actions (`sendChat`, `react`)
   * go there. https, http on loopback, or same-origin only.
   */
  @property() server: string | null = null;

  /** The show's id on its `server`: 1 to 64 characters of `A-Z a-z 0-9 _ -`. */
  @property({attribute: 'show-id'}) showId: string | null = null;

  /**
   * A viewer token the merchant's backend signed for a logged-in customer (a JWT; docs/server.md): sent with the
   * viewer's actions as `Authorization: Bearer`, so chat shows the customer's name and badge. Never stored by kolkit.
   */
  @property({attribute: 'viewer-token'}) viewerToken: string | null = null;

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

  // The wiring: each part does one job and hears of the others only through what is passed here. The parts
  // are #private fields, set right after super() and so before every ordinary field (`clock` among them).
  readonly #report: ReportFailure = (code, message, cause) => this.fail(code, message, cause);
  readonly #badAttribute = badAttributeReport(this.#report);
  readonly #events = new ShowEvents(this, this.#report, (code) => this.clearError(code), () => this.#listeners.notify(), () => this.#server.eventsUrl());
  readonly #adapterSlot = new ShowAdapter(this, this.#report, this.#badAttribute);
  readonly #catalog = new ProductCatalog(this.#adapterSlot, this.#report, () => this.#listeners.notify());
  readonly #shopCart = new ShowCart(this, this.#adapterSlot, this.#report, () => this.#listeners.notify());
  readonly #listeners = new Listeners();
  readonly #server = new ShowServer(this, this.#badAttribute);
  /** The server clock countdowns run on (`clock.offset` may be set when known another way). */
  readonly clock: ServerClock = this.#events.clock;

  static override get observedAttributes(): string[] {
    return [...new Set([...super.observedAttributes, ...ADAPTER_ATTRIBUTES])];
  }

  /**
   * The commerce adapter: an object implementing `CommerceAdapter`, or (as the `adapter` attribute) the
   * name of a built-in one, configured from this element's attributes.
   */
  get adapter(): CommerceAdapter | null {
    return this.#adapterSlot.current;
  }
  set adapter(value: CommerceAdapter | string | null) {
    this.#adapterSlot.choose(value);
  }

  /** The released show state: pinned, deals, stock, status, viewers, lineup, chat. */
  get state(): ShowState {
    return this.#events.scheduler.queue.state;
  }

  /** The shopper's cart, or null before it is known. */
  get cart(): Cart | null {
    return this.#shopCart.current;
  }

  /** The viewer's program time, or null without a player that knows it. */
  get programTime(): Date | null {
    return this.#events.programTime();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (this.#adapterSlot.attributeChanged(name, old, value)) this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    showConnected();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    showDisconnected();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#adapterSlot.willUpdate(changed, this.consent);
    this.#server.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (ShowServer.movesStream(changed)) this.#events.sources.connectLive(this.isConnected ? this.#server.eventsUrl() : null);
    if (changed.has('timeline')) this.#events.sources.loadRecording(this.timeline);
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /**
   * Ingests one show event or an array of them, from any source: validated, deduplicated by id, time-aligned.
   * Chat and the counts are released on arrival, unless `options.recorded` says the events are a recording.
   */
  push(input: unknown, options?: PushOptions): void {
    this.#events.push(input, options);
  }

  /** Calls `listener` whenever the state, the cart or a product lookup changes. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }

  /** The product's lookup as it stands; starts loading it (batched with others) when first asked. */
  lookupProduct(id: string): ProductLookup {
    return this.#catalog.lookup(id);
  }

  /** Resolves when the product's lookup has finished (ready, missing or error). */
  whenProduct(id: string): Promise<ProductLookup> {
    return this.#catalog.whenLoaded(id);
  }

  /**
   * Adds to cart through the adapter. Elements call this after their `kol-add-to-cart-request` was not
   * cancelled. An add made on a deal carries the deal's terms (from the show state, or `fixedDeal` for a
   * deal set by attributes) only for the deal's own product (and variant, when the deal names one); a deal
   * that is not active, or is for another item, is refused before anything is sent.
   */
  addToCart(request: AddToCartRequestDetail, fixedDeal?: Deal): Promise<AddToCartOutcome> {
    return this.#shopCart.add(request, fixedDeal);
  }

  /**
   * Opens the cart the adapter's way, else at the cart's checkout URL (https, http on loopback, or
   * same-origin only: never `javascript:`). Answers false, after a `cart-open-failed` kol-error, when it could not.
   */
  openCart(): Promise<boolean> {
    return this.#shopCart.open();
  }

  /**
   * When the host first pinned each product in the whole show (released or still ahead), in
   * program-time order: a replay's chapters.
   */
  chapters(): Chapter[] {
    return this.#events.releases.chapters();
  }

  /** Program time (ms) of the next event still to be released, or null. */
  nextEventAt(): number | null {
    return this.#events.scheduler.queue.nextAt();
  }

  /** How far from the host's moment events were released for this viewer (ms): p50 and p95, or null. */
  pinSkew(): {count: number; p50: number; p95: number} | null {
    return this.#events.releases.pinSkew();
  }

  /** Lets a player report the viewer's program time. Returns the detach. */
  attachPlayer(source: ProgramTimeSource): () => void {
    return this.#events.attachPlayer(source);
  }

  /** Releases the events the viewer's program time has reached. A player calls it on every frame. */
  syncTime(): void {
    this.#events.scheduler.sync();
  }

  /**
   * Sends a chat message (plain text, 1 to 500 characters) to the show's `server` as this viewer: a customer
   * with `viewer-token`, else the page's anonymous viewer id, named `options.name` when given (a customer's
   * token name wins). The message then arrives like any show event. Answers the outcome; one that is not
   * accepted is also a `kol-error` (`action-refused`, `action-failed`, `no-server`).
   */
  sendChat(text: string, options?: ChatOptions): Promise<ActionOutcome> {
    return this.#server.sendChat(text, options);
  }

  /** Sends a reaction (`heart`, `fire`, `clap`, `laugh`, `wow`), counted into the show's `reactions.update`; as `sendChat`. */
  react(kind: string): Promise<ActionOutcome> {
    return this.#server.react(kind);
  }

  /**
   * Votes for `option` (0-based) in the poll `pollId`, as `sendChat`. One vote per viewer: a second is refused
   * (`already-voted`, 409), and so is a vote once the poll closed (`closed`, 410).
   */
  vote(pollId: string, option: number): Promise<ActionOutcome> {
    return this.#server.vote(pollId, option);
  }

  /**
   * Enters the giveaway `giveawayId`, as `sendChat`. Only a customer may enter (a `viewer-token`: refused as
   * `unauthorized`, 401, without one), once (`already-entered`, 409), while it is open (`closed`, 410).
   */
  enterGiveaway(giveawayId: string): Promise<ActionOutcome> {
    return this.#server.enterGiveaway(giveawayId);
  }

  /**
   * Bids `amount` (a decimal string in the auction's currency, e.g. `"22.00"`) in the auction `auctionId`, as
   * `sendChat`. Only a customer may bid (a `viewer-token`: `unauthorized`, 401, without one). Accepted:
   * `{accepted, highBid, endsAt, leading}`. Refused: under the minimum (`too-low`, 409) or beaten by another bid
   * on the way (`outbid`, 409), both with the new `minimum` in `details`; after the end (`ended`, 410). `key`
   * makes a retry the same bid: make one random key per bid the customer meant and send it again with a retry, so a
   * bid whose answer was lost is never placed twice; without one, kolkit makes one (128 random bits) and each call
   * is a new bid.
   */
  bid(auctionId: string, amount: string, key?: string): Promise<ActionOutcome> {
    return this.#server.bid(auctionId, amount, key);
  }

  /**
   * Asks the show's server whether this customer (the `viewer-token`) won the auction `auctionId`: accepted with
   * `{auctionId, closed, won, price?, productId, variantId?}` (the price only to the winner). Display names are
   * not identities, so this, not `auction.close`'s `winner`, is how a page learns that its customer won.
   */
  auctionResult(auctionId: string): Promise<ActionOutcome> {
    return this.#server.auctionResult(auctionId);
  }

  /**
   * Joins the group buy `groupId` (a team price that unlocks when enough customers join), as `sendChat`. Only a
   * customer may join (a `viewer-token`: `unauthorized`, 401, without one). Accepted: `{joined, needed, endsAt,
   * member: true}` — the same for a customer who had joined already (one membership each). Refused once the group
   * is full (`filled`, 410) or over (`ended`, 410).
   */
  joinGroup(groupId: string): Promise<ActionOutcome> {
    return this.#server.joinGroup(groupId);
  }

  /**
   * Asks the show's server whether this customer (the `viewer-token`) is a member of the group buy `groupId`:
   * accepted with `{member, joined, needed, ended?}` (`ended`: `filled` or `expired`). A member of a filled group
   * gets the team price; this, not the count, is how a page learns that its customer is one.
   */
  groupMembership(groupId: string): Promise<ActionOutcome> {
    return this.#server.groupMembership(groupId);
  }
}
