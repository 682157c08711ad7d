import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg, str} from '@lit/localize';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {plural} from '../../i18n/plural.js';
import {ShowLink} from '../../controllers/show-link.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import type {AuctionShowHandle} from '../show-handle.js';
import type {Money} from '../../adapters/types.js';
import type {Auction} from '../../core/schema.js';
import type {KolErrorCode} from '../../core/errors.js';
import {compareAmounts} from '../../core/auction.js';
import {formatRemaining} from '../../core/countdown.js';
import {formatMoney} from '../../page/format-money.js';
import {safeUrl} from '../../page/url.js';
import {tokenName} from '../../page/token-name.js';
import {randomId} from '../../page/random-id.js';
import {signInPrompt, SignInUrlCheck} from '../sign-in.js';
import {cardStyles, pillBadgeStyles, viewerActionStyles} from '../card-styles.js';
import {recallAction, rememberAction} from '../action-memory.js';
import {leads, offeredMinimum, quickBids, readTypedBid, refusalMinimum} from './auction-bids.js';
import {auctionResultOf, settleAuction, type AuctionResult} from './auction-win.js';
import {auctionStyles} from './auction.styles.js';

/** How an auction stands for this viewer. */
export type AuctionState = 'open' | 'leading' | 'outbid' | 'ended' | 'won' | 'lost';

const auctionEndedText = () => msg('Auction ended', {id: 'auction.badge.ended'});
const BADGES: Record<AuctionState, () => string> = {
  open: () => msg('Live auction', {id: 'auction.badge.open'}),
  leading: () => msg("You're winning", {id: 'auction.badge.leading'}),
  outbid: () => msg('Outbid', {id: 'auction.badge.outbid'}),
  ended: auctionEndedText,
  won: () => msg('You won', {id: 'auction.badge.won'}),
  lost: auctionEndedText,
};

/** How long the "Extended" note stands out after the end moved (ms). */
const EXTENDED_NOTE_MS = 4000;

/**
 * How far behind the host the video typically is (s), as `npm run bench` measured kolkit's player on the demo's
 * streams (docs/design.md §4): 1.5 s on low-latency HLS (EXT-X-PART, PART-HOLD-BACK 1.2 s), 6–8 s on regular
 * HLS (HOLD-BACK 3 × 2 s). The live note always says the viewer's own delay, from the player's program time
 * ("~2 s behind" on low-latency HLS); these are the figures its docs quote.
 */
export const TYPICAL_VIDEO_DELAY_S = {lowLatencyHls: 1.5, hls: 7} as const;

/** One bid the customer meant: a retry sends the same key, so the server counts it once. */
interface IntendedBid {
  auctionId: string;
  amount: string;
  key: string;
}

/** A bid that did not go through, with its reason; `retry` is the same bid, when sending it again may help. */
interface BidProblem {
  auctionId: string;
  message: string;
  code: KolErrorCode | null;
  retry: IntendedBid | null;
}

/**
 * A live auction the host opened: the product, the high bid and its bidder's display name (or the starting
 * bid), the next minimum (the increment table's, as the server applies it), quick bids (the minimum, one and two
 * steps above) and an amount of the customer's own, and the countdown on the server's clock. A bid in the last
 * seconds may push the end back: the element shows "Extended +10 s". Bids are live, while the video is behind
 * the host: about 1.5 s on low-latency HLS, 6–8 s on regular HLS (measured by `npm run bench`:
 * `TYPICAL_VIDEO_DELAY_S`). The element says so ("Live bids · the video is ~2 s behind", from the player's
 * program time), so bids arriving ahead of the picture make sense.
 *
 * Only a signed-in customer may bid (the show's `viewer-token`): without one it says "Sign in to bid", as a link
 * when `sign-in-url` is set. A bid is sent with an idempotency key made once per bid the customer meant: a bid
 * that failed on the way is retried with the same key, so it is never placed twice. The server's refusals are
 * states: too low or beaten on the way (`409`) shows the new minimum, after the end (`410`) the auction as ended.
 * When the auction closes, the customer who bid asks the server whether they won; the winner's cart gets the
 * product once, at the winning price (deal terms `{id: auctionId, price}`, like a flash deal; see the backends
 * below), and the element says "You won — added to your cart at €30.00".
 *
 * @summary A live auction: bid, see who leads, win at your price.
 * @slot empty - Shown when there is no auction. Default: "No auction right now."
 * @fires kol-add-to-cart-request - The customer won: the product is about to be added at the winning price (`source: 'auction'`, `dealId`: the auction). Cancelable: cancel it to add yourself.
 * @fires kol-add-to-cart - The won item went into the cart at the winning price (`source: 'auction'`, `sourceId`: the auction), once.
 * @fires kol-error - There is no show (`no-show`), or `sign-in-url` is not a URL kolkit opens (`bad-attribute`). A bid or a result check that was refused or failed is reported once by the show (`action-refused`, `action-failed`, `no-server`) and shown here; so is a winning add that failed (`cart-add-refused`, `cart-add-failed`, `cart-add-unconfirmed`).
 * @csspart base - The card.
 * @csspart badge - "Live auction", "You're winning", "Outbid", "Auction ended" or "You won".
 * @csspart timer - The time left to bid, on the server's clock.
 * @csspart extended - "Extended +10 s", for a few seconds after a late bid pushed the end back.
 * @csspart image - The product image.
 * @csspart title - The product title.
 * @csspart high-bid - The high bid and its bidder's display name, the starting bid, or the sale.
 * @csspart price - The amount in the high-bid line.
 * @csspart bids - How many bids.
 * @csspart live-note - "Live bids · the video is ~2 s behind" (low-latency HLS; ~7 s on regular HLS): bids are on the server's clock, ahead of the video.
 * @csspart quick-bids - The quick bids' group.
 * @csspart quick-bid - A quick bid's button: the minimum, one step and two steps above.
 * @csspart custom - The form for an amount of the customer's own.
 * @csspart amount - Its input.
 * @csspart cta - Its Bid button.
 * @csspart sign-in - "Sign in to bid" (a link with `sign-in-url`).
 * @csspart result - The outcome once closed: "You won — added to your cart at €30.00", or who won.
 * @csspart status - The outcome of the customer's last bid (the new minimum after a refusal).
 * @csspart retry - "Try again" after a bid, a result check or a winning add that did not go through.
 * @cssprop [--kol-auction-accent=var(--kol-color-accent)] - Badge, timer and quick bids.
 * @cssprop [--kol-auction-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-auction-image-size=64px] - The product image's size.
 * @cssprop [--kol-auction-block-size=23rem] - The height the auction reserves in every state, so nothing around it
 *   moves when one comes or goes; give `kol-auction:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolAuction extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, viewerActionStyles, auctionStyles];

  /** The id of the `<kol-show>` to follow, when the auction is not inside it. */
  @property() show: string | null = null;

  /** Show only this auction of the show (by its `auctionId`) rather than the latest one. */
  @property({attribute: 'auction-id'}) auctionId: string | null = null;

  /** Where a viewer who is not signed in can sign in (https, loopback or this origin): "Sign in to bid" links there. */
  @property({attribute: 'sign-in-url'}) signInUrl: string | null = null;

  /** Reflected: `open`, `leading`, `outbid`, `ended`, `won` or `lost`; absent without an auction. */
  @property({reflect: true}) state: AuctionState | null = null;

  /** Reflected: a bid is on its way. */
  @property({type: Boolean, reflect: true}) busy = false;

  /** Reflected: the end was pushed back by a late bid a moment ago ("Extended +10 s" shows). */
  @property({type: Boolean, reflect: true}) extended = false;

  readonly #link = new ShowLink<AuctionShowHandle>(this, () => this.fail('no-show', 'This auction found no <kol-show> to follow.'));
  readonly #signInCheck = new SignInUrlCheck('bid', (message) => (message ? this.fail('bad-attribute', message) : this.clearError('bad-attribute')));
  /** Repaints once a second while bidding is open (the countdown, the end on the clock, the video's delay). */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  /** The winning add: its request event and its outcome's kol-error. */
  readonly #adding = new AddToCartController(this, () => this.#link.show);
  /** Auctions the server said are over (`410`) before their close arrived. */
  readonly #closedHere = new Set<string>();
  /** Auctions the server refused this viewer as not signed in (`401`: a token it does not accept). */
  readonly #signInNeeded = new Set<string>();
  /** The higher minimum a `409` named before the auction's update arrived. */
  #refusedAt: {auctionId: string; minimum: Money; message: string} | null = null;
  #problem: BidProblem | null = null;
  /** The end last seen, to notice a late bid's extension; and the extension on show until `until`. */
  #lastEnd: {auctionId: string; endsAt: number} | null = null;
  #extension: {auctionId: string; seconds: number; until: number} | null = null;
  /** What the customer typed as their own amount, and why it was not sent. */
  #typed = '';
  #typedProblem = '';
  #announcement = '';
  #spoken: {auctionId: string; state: AuctionState; result: string} | null = null;

  /** The auction shown now (the show's latest, or the one `auction-id` names), or null. */
  get auction(): Auction | null {
    const auction = this.#link.show?.state.auction ?? null;
    return auction && (!this.auctionId || auction.auctionId === this.auctionId) ? auction : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('signInUrl')) this.#signInCheck.check(this.signInUrl);
    const auction = this.auction;
    const now = this.#now();
    if (auction) this.#noticeExtension(auction, now);
    this.extended = !!auction && this.#extension?.auctionId === auction.auctionId && now < this.#extension.until;
    this.state = auction ? this.#stateOf(auction) : null;
    this.#ticker.run(this.state === 'open' || this.state === 'leading' || this.state === 'outbid' || this.extended);
    this.#reflectError(auction);
    if (auction) this.#announce(auction, this.state!);
  }

  protected override updated(): void {
    const show = this.#link.show;
    const auction = this.auction;
    // Only a customer who may have won asks: one who bid here, or one whose display name won (after a reload).
    if (show && auction?.closed && show.viewerToken && !auctionResultOf(show, auction.auctionId)
      && (this.#myBid(auction) !== undefined || (auction.winner && auction.winner === tokenName(show.viewerToken)))) {
      // After this update, not inside it: asking repaints at once ("Checking the result…").
      queueMicrotask(() => void settleAuction(show, auction, this.#adding, () => this.requestUpdate()));
    }
  }

  protected override render() {
    const auction = this.auction;
    return html`${auction ? this.#renderAuction(auction) : html`<div part="base" class="empty"><slot name="empty">${this.#link.missing
        ? msg('This auction is not connected to a show.', {id: 'auction.no-show'}) : msg('No auction right now.', {id: 'auction.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderAuction(auction: Auction) {
    const state = this.state!;
    const lookup = this.#link.show?.lookupProduct(auction.productId);
    const product = lookup?.status === 'ready' ? lookup.product : null;
    const image = safeUrl(product?.image?.url);
    const bidding = state === 'open' || state === 'leading' || state === 'outbid';
    return html`<article part="base" aria-labelledby="title">
      <div class="head">
        <span part="badge">${BADGES[state]()}</span>
        ${bidding
          ? html`<span part="timer" role="timer" aria-label=${msg('Time left to bid', {id: 'auction.time-left'})}>${formatRemaining(Date.parse(auction.endsAt) - this.#now(), elementLocale(this))}</span>`
          : html`<span part="timer">${auction.closed ? msg('Closed', {id: 'auction.closed'}) : msg('Closing…', {id: 'auction.closing'})}</span>`}
        <span part="extended" class="pill" ?hidden=${!this.extended}>${msg(str`Extended +${formatCount(this.#extension?.seconds ?? 0, elementLocale(this))} s`, {id: 'auction.extended'})}</span>
      </div>
      <div class="item">
        ${image ? html`<img part="image" src=${image} alt=${product?.image?.alt ?? product?.title ?? ''} decoding="async" />` : html`<span part="image" class="no-image"></span>`}
        <div>
          <h3 part="title" id="title">${product?.title ?? (lookup?.status === 'missing' ? msg('Product unavailable', {id: 'deal.product-missing'}) : msg('Loading…', {id: 'auction.loading'}))}</h3>
          ${this.#renderHighBid(auction)}
        </div>
      </div>
      ${bidding ? html`<p part="live-note">${this.#liveNote()}</p>` : nothing}
      ${bidding ? this.#renderBidding(auction) : this.#renderResult(auction, state)}
    </article>`;
  }

  #renderHighBid(auction: Auction) {
    const bids = auction.bids ?? 0;
    const count = html`<span part="bids">${bidsText(bids, elementLocale(this))}</span>`;
    if (auction.closed) {
      return html`<p part="high-bid">${auction.winner && auction.highBid
        ? html`${msg(str`Sold to ${auction.winner} for`, {id: 'auction.sold-to', desc: 'Followed by the winning price.'})} <strong part="price">${this.#money(auction.highBid)}</strong>`
        : msg('Not sold: no bids', {id: 'auction.not-sold'})} · ${count}</p>`;
    }
    return html`<p part="high-bid">${auction.highBid
      ? html`${msg('Current bid', {id: 'auction.current-bid'})} <strong part="price">${this.#money(auction.highBid)}</strong>${auction.bidder ? html` · ${auction.bidder}` : nothing}`
      : html`${msg('Starting bid', {id: 'auction.starting-bid'})} <strong part="price">${this.#money(auction.startingBid)}</strong>`} · ${count}</p>`;
  }

  #renderBidding(auction: Auction) {
    if (this.#needsSignIn(auction)) {
      return signInPrompt(this.signInUrl, 'bid');
    }
    const minimum = this.#minimum(auction);
    const problem = this.#problem?.auctionId === auction.auctionId ? this.#problem : null;
    const refused = this.#refusedAt?.auctionId === auction.auctionId && compareAmounts(this.#refusedAt.minimum.amount, minimum.amount) >= 0
      ? this.#refusedAt : null;
    const mine = this.#myBid(auction);
    return html`<div part="quick-bids" role="group" aria-label=${msg(str`Quick bids, at least ${this.#money(minimum)}`, {id: 'auction.quick-bids'})}>
        ${quickBids(auction, minimum).map((amount, i) => html`<button part="quick-bid" type="button" ?disabled=${this.busy}
            aria-label=${msg(str`Bid ${this.#money(amount)}`, {id: 'auction.bid-amount'})} @click=${() => this.#bid(auction, amount.amount)}>${i
              ? this.#money(amount) : msg(str`Bid ${this.#money(amount)}`, {id: 'auction.bid-amount'})}</button>`)}
      </div>
      <form part="custom" @submit=${(event: Event) => this.#bidTyped(event, auction, minimum)}>
        <label for="amount">${msg(str`Your bid (${minimum.currencyCode})`, {id: 'auction.your-bid'})}</label>
        <input part="amount" id="amount" inputmode="decimal" autocomplete="off" .value=${this.#typed} placeholder=${minimum.amount}
          aria-invalid=${this.#typedProblem ? 'true' : 'false'} aria-describedby="status"
          @input=${(event: Event) => (this.#typed = (event.target as HTMLInputElement).value)} />
        <button part="cta" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>${this.busy ? msg('Bidding…', {id: 'auction.bidding'}) : msg('Bid', {id: 'auction.bid'})}</button>
      </form>
      <p part="status" id="status" class=${problem || this.#typedProblem ? 'failed' : ''}>${problem
        ? html`${problem.message}${problem.retry ? html`<button part="retry" type="button" @click=${() => this.#send(problem.retry!)}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}`
        : this.#typedProblem || (this.busy ? msg('Sending your bid…', {id: 'auction.sending'})
        : refused ? refused.message
        : this.state === 'leading' && mine ? msg(str`You're winning at ${this.#money({amount: mine, currencyCode: minimum.currencyCode})}.`, {id: 'auction.leading'})
        : this.state === 'outbid' ? msg(str`You've been outbid. Bid at least ${this.#money(minimum)} to lead.`, {id: 'auction.outbid'}) : '')}</p>`;
  }

  #renderResult(auction: Auction, state: AuctionState) {
    const show = this.#link.show;
    const result = show ? auctionResultOf(show, auction.auctionId) : undefined;
    return html`<p part="result" class=${resultFailed(result) ? 'failed' : ''}>${this.#resultText(auction, state, result)}${resultRetry(result)
      ? html`<button part="retry" type="button" @click=${() => this.#settleAgain(auction)}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}</p>`;
  }

  #resultText(auction: Auction, state: AuctionState, result: AuctionResult | undefined): string {
    if (result?.kind === 'checking') return msg('Checking the result…', {id: 'auction.checking'});
    if (result?.kind === 'check-failed') return msg(str`We could not check whether you won. ${result.message}`, {id: 'auction.check-failed'});
    if (result?.kind === 'won') {
      const price = this.#money(result.price);
      switch (result.cart) {
        case 'added': return msg(str`You won — added to your cart at ${price}.`, {id: 'auction.won.added'});
        case 'adding': return msg(str`You won at ${price} — adding it to your cart…`, {id: 'auction.won.adding'});
        case 'taken-over': return msg(str`You won at ${price}.`, {id: 'auction.won'});
        case 'unconfirmed': return msg(str`You won at ${price}. We could not confirm it is in your cart: please check your cart.`, {id: 'auction.won.unconfirmed'});
        default: return msg(str`You won at ${price}, but it could not be added to your cart. ${result.message ?? ''}`, {id: 'auction.won.refused'}).trim();
      }
    }
    if (!auction.closed) return msg('Bidding has ended: the result is coming.', {id: 'auction.result-coming'});
    if (state === 'lost') return auction.winner ? msg(str`${auction.winner} won. Thanks for bidding!`, {id: 'auction.lost'}) : msg('The auction ended. Thanks for bidding!', {id: 'auction.lost.no-winner'});
    return auction.winner ? msg('The auction has ended.', {id: 'auction.over'}) : msg('The auction ended without a bid.', {id: 'auction.over.no-bid'});
  }

  /** `money` in the element's nearest `lang`. */
  #money(money: Money): string {
    return formatMoney(money, elementLocale(this));
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  /** The customer's highest accepted bid in `auction` on this page (a decimal string), or undefined. */
  #myBid(auction: Auction): string | undefined {
    const show = this.#link.show;
    return show ? recallAction<string>(show, `auction:${auction.auctionId}`) : undefined;
  }

  #minimum(auction: Auction): Money {
    const refused = this.#refusedAt?.auctionId === auction.auctionId ? this.#refusedAt.minimum : null;
    return offeredMinimum(auction, refused);
  }

  #needsSignIn(auction: Auction): boolean {
    return !this.#link.show?.viewerToken || this.#signInNeeded.has(auction.auctionId);
  }

  #stateOf(auction: Auction): AuctionState {
    const show = this.#link.show;
    const result = show ? auctionResultOf(show, auction.auctionId) : undefined;
    const mine = this.#myBid(auction);
    if (result?.kind === 'won') return 'won';
    if (result?.kind === 'lost' && mine !== undefined) return 'lost';
    if (auction.closed || this.#closedHere.has(auction.auctionId) || Date.parse(auction.endsAt) <= this.#now()) return 'ended';
    if (mine === undefined) return 'open';
    return leads(auction, mine) ? 'leading' : 'outbid';
  }

  /** "Live bids · the video is ~2 s behind": bids are on the server's clock; the picture lags by the stream's delay (TYPICAL_VIDEO_DELAY_S). */
  #liveNote(): string {
    const show = this.#link.show;
    const programTime = show?.programTime;
    const behind = show && programTime ? Math.round((show.clock.now() - programTime.getTime()) / 1000) : null;
    return behind !== null && behind >= 1
      ? msg(str`Live bids · the video is ~${formatCount(behind, elementLocale(this))} s behind`, {id: 'auction.live-note.behind'})
      : msg("Live bids, on the show's clock", {id: 'auction.live-note'});
  }

  /** A later `endsAt` for the same auction is a late bid's extension: shown for a few seconds and said once. */
  #noticeExtension(auction: Auction, now: number): void {
    const endsAt = Date.parse(auction.endsAt);
    const last = this.#lastEnd;
    this.#lastEnd = {auctionId: auction.auctionId, endsAt};
    if (last?.auctionId !== auction.auctionId || endsAt <= last.endsAt || auction.closed) return;
    const seconds = Math.max(1, Math.round((endsAt - Math.max(last.endsAt, now)) / 1000));
    this.#extension = {auctionId: auction.auctionId, seconds, until: now + EXTENDED_NOTE_MS};
    this.#announcement = msg(str`Bidding extended: ${formatRemaining(endsAt - now, elementLocale(this))} left.`, {id: 'auction.said.extended'});
  }

  #bidTyped(event: Event, auction: Auction, minimum: Money): void {
    event.preventDefault();
    const typed = readTypedBid(this.#typed, minimum, (money) => this.#money(money));
    this.#typedProblem = 'problem' in typed ? typed.problem : '';
    if ('amount' in typed) this.#bid(auction, typed.amount);
    else {
      this.#announcement = typed.problem;
      this.requestUpdate();
    }
  }

  /** A new bid the customer meant: a new idempotency key. */
  #bid(auction: Auction, amount: string): void {
    void this.#send({auctionId: auction.auctionId, amount, key: randomId()});
  }

  async #send(bid: IntendedBid): Promise<void> {
    const show = this.#link.show;
    const auction = this.auction;
    if (!show || this.busy || !auction || auction.auctionId !== bid.auctionId || !['open', 'leading', 'outbid'].includes(this.state ?? '')) return;
    this.busy = true;
    this.#problem = null;
    const outcome = await show.bid(bid.auctionId, bid.amount, bid.key);
    this.busy = false;
    const money = (amount: string) => this.#money({amount, currencyCode: auction.startingBid.currencyCode});
    if (outcome.status === 'accepted') {
      const previous = this.#myBid(auction);
      if (previous === undefined || compareAmounts(bid.amount, previous) > 0) rememberAction(show, `auction:${bid.auctionId}`, bid.amount);
      this.#typed = '';
      this.#typedProblem = '';
      this.#announcement = msg(str`Your bid of ${money(bid.amount)} is in: you're winning.`, {id: 'auction.said.bid-in'});
    } else if (outcome.status === 'refused' && (outcome.code === 'too-low' || outcome.code === 'outbid')) {
      const minimum = refusalMinimum(outcome.details, auction.startingBid.currencyCode);
      const reason = outcome.code === 'outbid' ? msg('Someone bid first.', {id: 'auction.refused.outbid'}) : msg('Your bid was too low.', {id: 'auction.refused.too-low'});
      const message = minimum ? `${reason} ${msg(str`The next bid is at least ${this.#money(minimum)}.`, {id: 'auction.next-minimum'})}` : reason;
      if (minimum) this.#refusedAt = {auctionId: bid.auctionId, minimum, message};
      else this.#problem = {auctionId: bid.auctionId, message, code: null, retry: null};
      this.#announcement = message;
    } else if (outcome.status === 'refused' && (outcome.code === 'ended' || outcome.code === 'closed')) {
      this.#closedHere.add(bid.auctionId);
      this.#announcement = biddingEndedText();
    } else if (outcome.status === 'refused' && outcome.code === 'unauthorized') {
      this.#signInNeeded.add(bid.auctionId);
      this.#announcement = msg('Sign in to bid.', {id: 'auction.said.sign-in'});
    } else {
      // The network or a rate limit may pass: the same bid (the same key) may be sent again, never a second one.
      const retry = outcome.status === 'failed' ? outcome.code === 'action-failed' : outcome.retryAfterMs !== undefined;
      const code: KolErrorCode = outcome.status === 'refused' ? 'action-refused' : outcome.code;
      this.#problem = {auctionId: bid.auctionId, code, retry: retry ? bid : null,
        message: retry ? msg(str`Your bid of ${money(bid.amount)} did not go through.`, {id: 'auction.failed'}) : outcome.message};
      this.#announcement = this.#problem.message;
    }
    this.requestUpdate();
  }

  #settleAgain(auction: Auction): void {
    const show = this.#link.show;
    if (show) void settleAuction(show, auction, this.#adding, () => this.requestUpdate(), true);
  }

  /** The error the element shows: its bid's problem, else the result's (a check or a winning add that failed). */
  #reflectError(auction: Auction | null): void {
    const problem = auction && this.#problem?.auctionId === auction.auctionId ? this.#problem : null;
    const show = this.#link.show;
    const result = auction && show ? auctionResultOf(show, auction.auctionId) : undefined;
    const code: KolErrorCode | null = problem?.code ?? (result?.kind === 'check-failed' ? 'action-failed'
      : result?.kind === 'won' && result.cart === 'refused' ? 'cart-add-refused'
      : result?.kind === 'won' && result.cart === 'failed' ? 'cart-add-failed'
      : result?.kind === 'won' && result.cart === 'unconfirmed' ? 'cart-add-unconfirmed' : null);
    if (code) this.error = code;
    else this.clearError('action-refused', 'action-failed', 'no-server', 'cart-add-refused', 'cart-add-failed', 'cart-add-unconfirmed');
  }

  /** Says each change of the customer's standing once: opened, winning, outbid, ended, the result. */
  #announce(auction: Auction, state: AuctionState): void {
    const show = this.#link.show;
    const result = show ? auctionResultOf(show, auction.auctionId) : undefined;
    const resultKey = result ? `${result.kind}${result.kind === 'won' ? `:${result.cart}` : ''}` : '';
    const last = this.#spoken;
    this.#spoken = {auctionId: auction.auctionId, state, result: resultKey};
    if (last?.auctionId === auction.auctionId && last.state === state && last.result === resultKey) return;
    const first = last?.auctionId !== auction.auctionId;
    if (first && state === 'open') this.#announcement = msg(str`Auction open: starting bid ${this.#money(auction.startingBid)}.`, {id: 'auction.said.open'});
    else if (state === 'outbid' && last?.state !== 'outbid') {
      this.#announcement = !auction.highBid ? msg("You've been outbid.", {id: 'auction.said.outbid'})
        : auction.bidder ? msg(str`You've been outbid: ${this.#money(auction.highBid)} by ${auction.bidder}.`, {id: 'auction.said.outbid-by'})
        : msg(str`You've been outbid: ${this.#money(auction.highBid)}.`, {id: 'auction.said.outbid-at'});
    } else if (state === 'leading' && last?.state === 'outbid') this.#announcement = "You're winning again.";
    else if (state === 'ended' && last?.state !== 'ended' && !first) this.#announcement = biddingEndedText();
    else if ((state === 'won' || state === 'lost') && result?.kind !== 'checking') this.#announcement = this.#resultText(auction, state, result);
  }
}

/** The result failed in a way the element shows as an error. */
function resultFailed(result: AuctionResult | undefined): boolean {
  return result?.kind === 'check-failed' || (result?.kind === 'won' && ['refused', 'failed', 'unconfirmed'].includes(result.cart));
}

/** Asking again may help: a check that failed, or a winning add that certainly did not happen. */
function resultRetry(result: AuctionResult | undefined): boolean {
  return result?.kind === 'check-failed' || (result?.kind === 'won' && result.cart === 'failed');
}

const biddingEndedText = () => msg('Bidding has ended.', {id: 'auction.said.ended'});

/** "1 bid", "12 bids". */
function bidsText(bids: number, locale: string): string {
  const n = formatCount(bids, locale);
  return plural(bids, {
    '=1': () => msg('1 bid', {id: 'auction.bids.=1'}),
    '=2': () => msg('2 bids', {id: 'auction.bids.=2'}),
    one: () => msg(str`${n} bid`, {id: 'auction.bids.one'}),
    few: () => msg(str`${n} bids`, {id: 'auction.bids.few'}),
    many: () => msg(str`${n} bids`, {id: 'auction.bids.many'}),
    other: () => msg(str`${n} bids`, {id: 'auction.bids.other'}),
  });
}
