import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {ifDefined} from 'lit/directives/if-defined.js';
import {KolElement} from '../kol-element.js';
import {msg, str} from '@lit/localize';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {addingText} from '../../i18n/messages.js';
import {plural} from '../../i18n/plural.js';
import {ShowLink} from '../../controllers/show-link.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import type {GroupBuyShowHandle} from '../show-handle.js';
import type {Product, Variant} from '../../adapters/types.js';
import type {Deal, GroupBuy} from '../../core/schema.js';
import type {KolErrorCode} from '../../core/errors.js';
import {isHigherPrice} from '../../core/money.js';
import {formatRemaining} from '../../core/countdown.js';
import {pickVariant, sameVariant} from '../../core/variant.js';
import {formatMoney} from '../../page/format-money.js';
import {safeUrl} from '../../page/url.js';
import {signInPrompt, SignInUrlCheck} from '../sign-in.js';
import {cardStyles, pillBadgeStyles, viewerActionStyles} from '../card-styles.js';
import {recallAction, rememberAction} from '../action-memory.js';
import {invitedTo, inviteUrl, invitingRef, shareInvite, type InviteOutcome} from './group-buy-invite.js';
import {groupBuyStyles} from './group-buy.styles.js';

/**
 * How a group buy stands for this viewer: `open` to join, `joined` (a member, waiting for the team to fill),
 * `unlocked` (filled, and a member: the team price is theirs), `filled` (filled, not a member), `closing` (time is
 * up on the server's clock, the close not heard yet), `expired` (not enough joined: nobody gets the price).
 */
export type GroupBuyState = 'open' | 'joined' | 'unlocked' | 'filled' | 'closing' | 'expired';

const BADGES: Record<GroupBuyState, () => string> = {
  open: () => msg('Team price', {id: 'group.badge.open'}),
  joined: () => msg("You're in", {id: 'group.badge.joined'}),
  unlocked: () => msg('Team price unlocked', {id: 'group.badge.unlocked'}),
  filled: () => msg('Team full', {id: 'group.badge.filled'}),
  closing: () => msg("Time's up", {id: 'group.badge.closing'}),
  expired: () => msg('Team not filled', {id: 'group.badge.expired'}),
};

/** This page's customer and a group, as the server said: kept with the show (action-memory.ts). */
type Membership = 'checking' | 'member' | 'not-member' | 'check-failed';

/** A join that did not go through, with its reason (and a retry when trying again may help). */
interface JoinProblem {
  groupId: string;
  message: string;
  code: KolErrorCode;
  retry: boolean;
}

const INVITE_NOTES: Record<InviteOutcome, () => string> = {
  shared: () => msg('Invite shared.', {id: 'group.invite.shared'}),
  copied: () => msg('Invite link copied.', {id: 'group.invite.copied'}),
  cancelled: () => '',
  failed: () => msg('The link could not be copied: copy it from the address bar.', {id: 'group.invite.failed'}),
};

/**
 * A group buy (Pinduoduo's team price) the host opened: the product with its image, the team price beside the
 * regular one, "3 of 5 joined — 12:04 left" on the server's clock, and a Join button. Only a signed-in customer
 * may join (the show's `viewer-token`): without one it says "Sign in to join", as a link when `sign-in-url` is set.
 * One membership per customer, which the server enforces. Members and anyone else can invite friends with a link
 * to this page carrying the group and the host credited for the sale (`?kol_group=…&kol_ref=…`): shared with the
 * browser's share sheet where there is one, copied otherwise.
 *
 * When the group fills, its members see "Team price unlocked" and an Add to cart at the team price: the add
 * carries deal terms `{id: groupId, price}` exactly as a flash deal's does (the memory adapter prices the line
 * with them; other backends in docs/elements/kol-group-buy.md), one unit per member. Others see that the team
 * filled. When time runs out first, everyone sees "Not enough joined — no team price", and the team price is never
 * offered. The server, not the page, decides membership: the element asks it (`groupMembership`) once per group.
 *
 * @summary A team price that unlocks when enough customers join.
 * @slot empty - Shown when there is no group buy. Default: "No team price right now."
 * @fires kol-add-to-cart-request - A member pressed Add to cart at the team price (`source: 'group-buy'`, `dealId`: the group). Cancelable: cancel it to add yourself.
 * @fires kol-add-to-cart - The add at the team price went into the cart (`source: 'group'`, `sourceId`: the group), once.
 * @fires kol-error - There is no show (`no-show`), or `sign-in-url` is not a URL kolkit opens (`bad-attribute`). A join or a membership check that was refused or failed is reported once by the show (`action-refused`, `action-failed`, `no-server`) and shown here; so is an add at the team price that failed (`cart-add-refused`, `cart-add-failed`, `cart-add-unconfirmed`).
 * @csspart base - The card.
 * @csspart badge - "Team price", "You're in", "Team price unlocked", "Team full", "Time's up" or "Team not filled".
 * @csspart image - The product image.
 * @csspart title - The product title.
 * @csspart price - The team price.
 * @csspart compare-at-price - The regular price, struck through.
 * @csspart progress - "3 of 5 joined — 12:04 left".
 * @csspart meter - The members so far as a bar (a `<progress>`).
 * @csspart invited - "A friend invited you to this team", on a page opened from an invite.
 * @csspart cta - Join, or Add to cart at the team price.
 * @csspart sign-in - "Sign in to join" (a link with `sign-in-url`).
 * @csspart invite - The invite button (share or copy the link).
 * @csspart outcome - How the group ended for this viewer.
 * @csspart status - The outcome of the join or the add.
 * @csspart retry - "Try again" after a join or a check that did not go through.
 * @cssprop [--kol-group-buy-accent=var(--kol-color-accent)] - Badge, progress and links.
 * @cssprop [--kol-group-buy-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-group-buy-image-size=72px] - Width of the image column.
 * @cssprop [--kol-group-buy-block-size=18rem] - The height the group buy reserves in every state, so nothing around
 *   it moves when one comes or goes; give `kol-group-buy:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolGroupBuy extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, viewerActionStyles, groupBuyStyles];

  /** The id of the `<kol-show>` to follow, when the group buy is not inside it. */
  @property() show: string | null = null;

  /** Where a viewer who is not signed in can sign in (https, loopback or this origin): "Sign in to join" links there. */
  @property({attribute: 'sign-in-url'}) signInUrl: string | null = null;

  /** Reflected: `open`, `joined`, `unlocked`, `filled`, `closing` or `expired`; absent without a group buy. */
  @property({reflect: true}) state: GroupBuyState | null = null;

  /** Reflected: a join or an add is on its way. */
  @property({type: Boolean, reflect: true}) busy = false;

  readonly #link = new ShowLink<GroupBuyShowHandle>(this, () => this.fail('no-show', 'This group buy found no <kol-show> to follow.'));
  readonly #adding = new AddToCartController(this, () => this.#link.show);
  /** Repaints once a second while the group is open. */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  /** Groups the server said are over (`410`) before their close arrived. */
  readonly #endedHere = new Set<string>();
  /** Groups the server refused this viewer as not signed in (`401`: a token it does not accept). */
  readonly #signInNeeded = new Set<string>();
  #joining = false;
  #problem: JoinProblem | null = null;
  #invite: {groupId: string; note: string} | null = null;
  #announcement = '';
  #spoken: {groupId: string; state: GroupBuyState} | null = null;
  readonly #signInCheck = new SignInUrlCheck('join', (message) => (message ? this.fail('bad-attribute', message) : this.clearError('bad-attribute')));

  /** The group buy shown now (the show's latest), or null. */
  get group(): GroupBuy | null {
    return this.#link.show?.state.group ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('signInUrl')) this.#signInCheck.check(this.signInUrl);
    const group = this.group;
    if (group && this.#membership(group) === undefined && this.#link.show?.viewerToken) void this.#check(group);
    this.state = group ? this.#stateOf(group) : null;
    this.busy = this.#joining || this.#adding.busy;
    this.#ticker.run(this.state === 'open' || this.state === 'joined');
    const problem = group && this.#problem?.groupId === group.groupId ? this.#problem : null;
    if (problem) this.error = problem.code;
    else this.clearError('action-refused', 'action-failed', 'no-server');
    if (group) this.#announce(group, this.state!);
  }

  protected override render() {
    const group = this.group;
    return html`${group ? this.#renderGroup(group) : html`<div part="base" class="empty"><slot name="empty">${this.#link.missing
        ? msg('This group buy is not connected to a show.', {id: 'group.no-show'}) : msg('No team price right now.', {id: 'group.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderGroup(group: GroupBuy) {
    const state = this.state!;
    const lookup = this.#link.show?.lookupProduct(group.productId);
    const product = lookup?.status === 'ready' ? lookup.product : null;
    const variant = product ? groupVariant(product, group) : undefined;
    const image = safeUrl(product?.image?.url);
    const regular = variant?.price;
    const locale = elementLocale(this);
    return html`<article part="base" aria-labelledby="title">
      <div class="media">${image
        ? html`<img part="image" src=${image} alt=${product?.image?.alt ?? product?.title ?? ''}
            width=${ifDefined(product?.image?.width)} height=${ifDefined(product?.image?.height)} decoding="async" />`
        : nothing}</div>
      <div>
        <span part="badge">${BADGES[state]()}</span>
        <h3 part="title" id="title">${product?.title ?? (lookup?.status === 'missing' ? msg('Product unavailable', {id: 'deal.product-missing'}) : msg('Loading product', {id: 'pin.loading'}))}</h3>
        <p>
          <span part="price">${formatMoney(group.price, locale)}</span> <span class="note">${msg('team price', {id: 'group.price-note'})}</span>
          ${regular && isHigherPrice(regular, group.price)
            ? html`<s part="compare-at-price"><span class="visually-hidden">${msg('regular price', {id: 'group.regular-price'})} </span>${formatMoney(regular, locale)}</s>`
            : nothing}
        </p>
        ${this.#renderProgress(group, state)}
        ${invitedTo(group.groupId) && (state === 'open' || state === 'joined') ? html`<p part="invited">${msg('A friend invited you to this team.', {id: 'group.invited'})}</p>` : nothing}
        ${this.#renderAction(group, state, product, variant)}
      </div>
    </article>`;
  }

  #renderProgress(group: GroupBuy, state: GroupBuyState) {
    const locale = elementLocale(this);
    const counted = joinedText(group.joined, formatCount(group.joined, locale), formatCount(group.needed, locale));
    return html`<progress part="meter" max=${group.needed} .value=${group.joined} aria-hidden="true"></progress>
      ${state === 'open' || state === 'joined'
        ? html`<p part="progress" role="timer" aria-label=${msg('Members and time left', {id: 'group.progress'})}>${msg(str`${counted} — ${formatRemaining(Date.parse(group.endsAt) - this.#now(), locale)} left`, {id: 'group.progress-time'})}</p>`
        : html`<p part="progress">${counted}</p>`}`;
  }

  #renderAction(group: GroupBuy, state: GroupBuyState, product: Product | null, variant: Variant | undefined) {
    const problem = this.#problem?.groupId === group.groupId ? this.#problem : null;
    const status = html`<p part="status" role="status" class=${problem ? 'failed' : ''}>${problem
      ? html`${problem.message}${problem.retry ? html`<button part="retry" type="button" @click=${() => this.#retry(group)}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}`
      : ''}</p>`;
    switch (state) {
      case 'open': {
        if (this.#needsSignIn(group)) {
          return html`${signInPrompt(this.signInUrl, 'join')}${this.#renderInvite(group, product)}`;
        }
        return html`<button part="cta" type="button" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}
            @click=${() => this.#join(group)}>${this.#joining ? msg('Joining…', {id: 'group.joining'}) : msg('Join the team', {id: 'group.join'})}</button>
          ${this.#renderInvite(group, product)}${status}`;
      }
      case 'joined':
        return html`<p part="outcome">${msg("You're in. Invite friends to fill the team.", {id: 'group.joined'})}</p>${this.#renderInvite(group, product)}`;
      case 'unlocked':
        return this.#renderUnlocked(group, product, variant);
      case 'filled':
        return html`<p part="outcome">${msg("This team filled: the team price is its members'.", {id: 'group.filled'})}</p>${status}`;
      case 'closing':
        return html`<p part="outcome">${msg("Time's up: counting the team…", {id: 'group.closing'})}</p>`;
      case 'expired':
        return html`<p part="outcome">${msg('Not enough joined — no team price.', {id: 'group.expired'})}</p>`;
    }
  }

  #renderUnlocked(group: GroupBuy, product: Product | null, variant: Variant | undefined) {
    const feedback = this.#adding.feedback;
    const unknownVariant = !!product && !variant;
    const price = formatMoney(group.price, elementLocale(this));
    return html`<p part="outcome">${msg(str`Team price unlocked: ${price} is yours.`, {id: 'group.unlocked'})}</p>
      <button part="cta" type="button" ?disabled=${!product || !variant || this.#adding.busy} aria-busy=${this.#adding.busy ? 'true' : 'false'}
        @click=${() => product && variant && this.#addAtTeamPrice(group, product, variant)}>
        ${this.#adding.busy ? addingText() : msg(str`Add to cart at ${price}`, {id: 'group.add'})}
      </button>
      <p part="status" role="status" class=${unknownVariant ? 'refused' : feedback?.kind ?? ''}>${unknownVariant
        ? msg('This product option is not in this store.', {id: 'group.unknown-variant'}) : feedback?.message ?? ''}</p>`;
  }

  #renderInvite(group: GroupBuy, product: Product | null) {
    const show = this.#link.show;
    const url = show ? inviteUrl(group.groupId, invitingRef(show.affiliate, show.consent)) : null;
    if (!url) return nothing;
    const note = this.#invite?.groupId === group.groupId ? this.#invite.note : '';
    const title = product ? msg(str`Team price: ${product.title}`, {id: 'group.share.title'}) : msg('Join my team', {id: 'group.share.title-plain'});
    const text = msg(str`Join my team: ${formatCount(group.needed, elementLocale(this))} people unlock ${formatMoney(group.price, elementLocale(this))}.`, {id: 'group.share.text'});
    return html`<button part="invite" type="button" @click=${() => this.#share(group, url, title, text)}>${msg('Invite friends', {id: 'group.invite'})}</button>
      ${note ? html`<p class="invite-note">${note}</p>` : nothing}`;
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  #membership(group: GroupBuy): Membership | undefined {
    const show = this.#link.show;
    return show ? recallAction<Membership>(show, `group:${group.groupId}`) : undefined;
  }

  #needsSignIn(group: GroupBuy): boolean {
    return !this.#link.show?.viewerToken || this.#signInNeeded.has(group.groupId);
  }

  #stateOf(group: GroupBuy): GroupBuyState {
    const member = this.#membership(group) === 'member';
    if (group.ended === 'filled') return member ? 'unlocked' : 'filled';
    if (group.ended === 'expired') return 'expired';
    if (this.#endedHere.has(group.groupId) || Date.parse(group.endsAt) <= this.#now()) return 'closing';
    return member ? 'joined' : 'open';
  }

  /** Asks the server whether this customer is a member (once per group and page; again after a failure on retry). */
  async #check(group: GroupBuy): Promise<void> {
    const show = this.#link.show;
    if (!show) return;
    const key = `group:${group.groupId}`;
    rememberAction(show, key, 'checking');
    const outcome = await show.groupMembership(group.groupId);
    if (outcome.status === 'accepted') {
      // A join that answered while the check was on its way wins: it is the newer word.
      if (recallAction(show, key) === 'checking') rememberAction(show, key, outcome.data.member === true ? 'member' : 'not-member');
    } else {
      if (recallAction(show, key) === 'checking') rememberAction(show, key, 'check-failed');
      if (outcome.status === 'refused' && outcome.code === 'unauthorized') this.#signInNeeded.add(group.groupId);
      else if (outcome.status !== 'refused' || outcome.code !== 'not-found') this.#fault(group.groupId, outcome, msg('Your membership could not be checked.', {id: 'group.check-failed'}));
    }
    this.requestUpdate();
  }

  async #join(group: GroupBuy): Promise<void> {
    const show = this.#link.show;
    if (!show || this.busy || this.#stateOf(group) !== 'open' || this.#needsSignIn(group)) return;
    const id = group.groupId;
    this.#joining = true;
    this.#problem = null;
    this.requestUpdate();
    const outcome = await show.joinGroup(id);
    this.#joining = false;
    if (outcome.status === 'accepted') {
      rememberAction(show, `group:${id}`, 'member');
      this.#announcement = msg(str`You joined the team: ${formatCount(group.needed, elementLocale(this))} unlock the team price.`, {id: 'group.said.joined'});
    } else if (outcome.status === 'refused' && (outcome.code === 'filled' || outcome.code === 'ended')) {
      rememberAction(show, `group:${id}`, 'not-member');
      this.#endedHere.add(id);
      this.#announcement = outcome.code === 'filled' ? msg('This team filled before you joined.', {id: 'group.said.filled-first'})
        : msg('This group buy has ended.', {id: 'group.said.ended'});
    } else if (outcome.status === 'refused' && outcome.code === 'unauthorized') {
      this.#signInNeeded.add(id);
      this.#announcement = msg('Sign in to join.', {id: 'group.said.sign-in'});
    } else {
      this.#fault(id, outcome, msg('Your join did not go through.', {id: 'group.failed'}));
    }
    this.requestUpdate();
  }

  /** Shows an action that was not accepted (the show reported it as a `kol-error` already). */
  #fault(groupId: string, outcome: {status: 'refused' | 'failed'; code: string; message: string; retryAfterMs?: number}, retryMessage: string): void {
    const retry = outcome.status === 'failed' ? outcome.code === 'action-failed' : outcome.retryAfterMs !== undefined;
    const code = (outcome.status === 'refused' ? 'action-refused' : outcome.code) as KolErrorCode;
    this.#problem = {groupId, code, retry, message: retry ? retryMessage : outcome.message};
    this.#announcement = this.#problem.message;
  }

  #retry(group: GroupBuy): void {
    this.#problem = null;
    if (this.#membership(group) === 'check-failed') void this.#check(group);
    else void this.#join(group);
  }

  #addAtTeamPrice(group: GroupBuy, product: Product, variant: Variant): void {
    void this.#adding.add(
      {productId: product.id, variantId: variant.id, quantity: 1, source: 'group-buy', dealId: group.groupId},
      {source: 'group', sourceId: group.groupId, product, variant},
      teamTerms(group, variant.id, this.#now()),
    );
  }

  async #share(group: GroupBuy, url: string, title: string, text: string): Promise<void> {
    const outcome = await shareInvite(url, title, text);
    this.#invite = {groupId: group.groupId, note: INVITE_NOTES[outcome]()};
    if (outcome === 'copied') this.#announcement = INVITE_NOTES.copied();
    this.requestUpdate();
  }

  /** Says each state once, as it comes (never every second). */
  #announce(group: GroupBuy, state: GroupBuyState): void {
    const last = this.#spoken;
    this.#spoken = {groupId: group.groupId, state};
    if (last?.groupId === group.groupId && last.state === state) return;
    if (state === 'unlocked') this.#announcement = msg(str`Team price unlocked: ${formatMoney(group.price, elementLocale(this))}.`, {id: 'group.said.unlocked'});
    else if (state === 'filled') this.#announcement = msg('The team filled.', {id: 'group.said.filled'});
    else if (state === 'expired') this.#announcement = msg('Not enough joined: no team price.', {id: 'group.said.expired'});
    else if (last?.groupId !== group.groupId) this.#announcement = msg(str`Team price: ${formatMoney(group.price, elementLocale(this))} when ${formatCount(group.needed, elementLocale(this))} join.`, {id: 'group.said.open'});
  }

}

/** The variant a group sells: the one it names (none when the product lacks it), else the first available. */
function groupVariant(product: Product, group: GroupBuy): Variant | undefined {
  if (!group.variantId) return pickVariant(product);
  return product.variants.find((v) => sameVariant(v.id, group.variantId!));
}

/**
 * A member's terms: the team price for one unit of the group's item, as a deal that must be active on the show's
 * clock when the add starts: from the epoch (the group is over) to an hour from now.
 */
function teamTerms(group: GroupBuy, variantId: string, now: number): Deal {
  return {
    dealId: group.groupId, productId: group.productId, variantId, price: group.price,
    startsAt: new Date(0).toISOString(), endsAt: new Date(now + 3600_000).toISOString(), limitPerCustomer: 1,
  };
}

/** "3 of 5 joined": both numbers formatted for the element's language; the verb agrees with the members joined. */
function joinedText(count: number, joined: string, needed: string): string {
  return plural(count, {
    '=1': () => msg(str`1 of ${needed} joined`, {id: 'group.joined-count.=1'}),
    '=2': () => msg(str`2 of ${needed} joined`, {id: 'group.joined-count.=2'}),
    one: () => msg(str`${joined} of ${needed} joined`, {id: 'group.joined-count.one'}),
    few: () => msg(str`${joined} of ${needed} joined`, {id: 'group.joined-count.few'}),
    many: () => msg(str`${joined} of ${needed} joined`, {id: 'group.joined-count.many'}),
    other: () => msg(str`${joined} of ${needed} joined`, {id: 'group.joined-count.other'}),
  });
}
