import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg, str} from '@lit/localize';
import {elementLocale} from '../../page/compact-count.js';
import {ShowLink} from '../../controllers/show-link.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import type {EngagementShowHandle} from '../show-handle.js';
import type {Giveaway} from '../../core/schema.js';
import type {KolErrorCode} from '../../core/errors.js';
import {formatRemaining} from '../../core/countdown.js';
import {tokenName} from '../../page/token-name.js';
import {signInPrompt, SignInUrlCheck} from '../sign-in.js';
import {cardStyles, pillBadgeStyles, viewerActionStyles} from '../card-styles.js';
import {recallAction, rememberAction} from '../action-memory.js';
import {giveawayStyles} from './giveaway.styles.js';

/** How a giveaway stands for this viewer. */
export type GiveawayState = 'open' | 'entered' | 'closed' | 'drawn';

const BADGES: Record<GiveawayState, () => string> = {
  open: () => msg('Giveaway', {id: 'giveaway.badge.open'}),
  entered: () => msg('Entered', {id: 'giveaway.badge.entered'}),
  closed: () => msg('Drawing', {id: 'giveaway.badge.closed'}),
  drawn: () => msg('Winner drawn', {id: 'giveaway.badge.drawn'}),
};
const inTheDrawText = () => msg("You're in the draw.", {id: 'giveaway.entered'});

/** An entry that did not go through, shown with its reason (and a retry when trying again may help). */
interface EntryProblem {
  giveawayId: string;
  message: string;
  code: KolErrorCode;
  retry: boolean;
}

/**
 * A giveaway the host opened: the prize, the countdown to the draw on the server's clock, the rules, and an
 * Enter button. Only a signed-in customer may enter (the show's `viewer-token`): without one it says "Sign in
 * to enter", as a link when `sign-in-url` is set. One entry per customer, which the server enforces: an entry it
 * already has (`409`) shows as entered, one after the end (`410`) as closed. Once drawn it shows the winner's
 * display name, the only thing the server tells viewers about the winner.
 *
 * @summary A giveaway: enter with one click, see who won.
 * @slot empty - Shown when there is no giveaway. Default: "No giveaway right now."
 * @fires kol-error - There is no show (`no-show`), or `sign-in-url` is not a URL kolkit opens (`bad-attribute`). An entry that was refused or failed is reported once by the show (`action-refused`, `action-failed`, `no-server`) and shown here.
 * @csspart base - The card.
 * @csspart badge - "Giveaway", "Entered", "Drawing" or "Winner drawn".
 * @csspart prize - The prize.
 * @csspart timer - The time left to enter.
 * @csspart rules - The giveaway's rules ("No purchase necessary…").
 * @csspart cta - The Enter button.
 * @csspart sign-in - "Sign in to enter" (a link with `sign-in-url`).
 * @csspart winner - The winner's display name, once drawn.
 * @csspart status - The outcome of the viewer's entry.
 * @csspart retry - "Try again" after an entry that did not go through.
 * @cssprop [--kol-giveaway-accent=var(--kol-color-accent)] - Badge, timer and sign-in link.
 * @cssprop [--kol-giveaway-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-giveaway-block-size=14rem] - The height the giveaway reserves in every state, so nothing around it
 *   moves when one comes or goes; give `kol-giveaway:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolGiveaway extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, viewerActionStyles, giveawayStyles];

  /** The id of the `<kol-show>` to follow, when the giveaway is not inside it. */
  @property() show: string | null = null;

  /** Where a viewer who is not signed in can sign in (https, loopback or this origin): "Sign in to enter" links there. */
  @property({attribute: 'sign-in-url'}) signInUrl: string | null = null;

  /** Reflected: `open`, `entered`, `closed` (the draw is due) or `drawn`; absent without a giveaway. */
  @property({reflect: true}) state: GiveawayState | null = null;

  /** Reflected: an entry is on its way. */
  @property({type: Boolean, reflect: true}) busy = false;

  readonly #link = new ShowLink<EngagementShowHandle>(this, () => this.fail('no-show', 'This giveaway found no <kol-show> to follow.'));
  readonly #signInCheck = new SignInUrlCheck('enter', (message) => (message ? this.fail('bad-attribute', message) : this.clearError('bad-attribute')));
  /** Repaints once a second until the draw is due. */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  /** Giveaways the server said are closed (`410`) before their winner arrived. */
  readonly #closedHere = new Set<string>();
  /** Giveaways the server refused this viewer as not signed in (`401`: a token it does not accept). */
  readonly #signInNeeded = new Set<string>();
  #problem: EntryProblem | null = null;
  #announcement = '';
  #spoken: {giveawayId: string; state: GiveawayState} | null = null;

  /** The giveaway shown now (the show's latest), or null. */
  get giveaway(): Giveaway | null {
    return this.#link.show?.state.giveaway ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('signInUrl')) this.#signInCheck.check(this.signInUrl);
    const giveaway = this.giveaway;
    this.state = giveaway ? this.#stateOf(giveaway) : null;
    this.#ticker.run(this.state === 'open' || this.state === 'entered');
    const problem = giveaway && this.#problem?.giveawayId === giveaway.giveawayId ? this.#problem : null;
    if (problem) this.error = problem.code;
    else this.clearError('action-refused', 'action-failed', 'no-server');
    if (giveaway) this.#announce(giveaway, this.state!);
  }

  protected override render() {
    const giveaway = this.giveaway;
    return html`${giveaway ? this.#renderGiveaway(giveaway) : html`<div part="base" class="empty"><slot name="empty">${this.#link.missing
        ? msg('This giveaway is not connected to a show.', {id: 'giveaway.no-show'}) : msg('No giveaway right now.', {id: 'giveaway.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderGiveaway(giveaway: Giveaway) {
    const state = this.state!;
    return html`<article part="base" aria-labelledby="prize">
      <span part="badge">${BADGES[state]()}</span>
      <h3 part="prize" id="prize">${giveaway.prize}</h3>
      ${state === 'open' || state === 'entered'
        ? html`<p part="timer" role="timer" aria-label=${msg('Time left to enter', {id: 'giveaway.time-left'})}>${msg(str`Draw in ${formatRemaining(Date.parse(giveaway.endsAt) - this.#now(), elementLocale(this))}`, {id: 'giveaway.draw-in'})}</p>`
        : state === 'closed' ? html`<p part="timer">${msg('Drawing the winner…', {id: 'giveaway.drawing'})}</p>` : this.#renderWinner(giveaway)}
      ${giveaway.rules ? html`<p part="rules">${giveaway.rules}</p>` : nothing}
      ${this.#renderAction(giveaway, state)}
    </article>`;
  }

  #renderWinner(giveaway: Giveaway) {
    if (!giveaway.winner) return html`<p part="winner">${msg('No one entered: there is no winner.', {id: 'giveaway.no-winner'})}</p>`;
    // The server tells viewers the winner's display name only; two customers may share one, so never "you won".
    const maybeYou = this.#entered(giveaway) && this.#customerName() === giveaway.winner;
    return html`<p part="winner">${msg(str`Winner: ${giveaway.winner}`, {id: 'giveaway.winner'})}</p>
      ${maybeYou ? html`<p>${msg('That may be you: the shop will contact the winner.', {id: 'giveaway.maybe-you'})}</p>` : nothing}`;
  }

  #renderAction(giveaway: Giveaway, state: GiveawayState) {
    const problem = this.#problem?.giveawayId === giveaway.giveawayId ? this.#problem : null;
    if (state === 'open' && this.#needsSignIn(giveaway)) {
      return signInPrompt(this.signInUrl, 'enter');
    }
    if (state === 'open') {
      return html`<button part="cta" type="button" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}
          @click=${() => this.#enter(giveaway)}>${this.busy ? msg('Entering…', {id: 'giveaway.entering'}) : msg('Enter', {id: 'giveaway.enter'})}</button>
        <p part="status" role="status" class=${problem ? 'failed' : ''}>${problem
          ? html`${problem.message}${problem.retry ? html`<button part="retry" type="button" @click=${() => this.#enter(giveaway)}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}`
          : ''}</p>`;
    }
    return html`<p part="status">${state === 'entered' ? inTheDrawText() : ''}</p>`;
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  #entered(giveaway: Giveaway): boolean {
    const show = this.#link.show;
    return !!show && recallAction(show, `giveaway:${giveaway.giveawayId}`) !== undefined;
  }

  #needsSignIn(giveaway: Giveaway): boolean {
    return !this.#link.show?.viewerToken || this.#signInNeeded.has(giveaway.giveawayId);
  }

  #stateOf(giveaway: Giveaway): GiveawayState {
    if (giveaway.winner !== undefined) return 'drawn';
    if (this.#closedHere.has(giveaway.giveawayId) || Date.parse(giveaway.endsAt) <= this.#now()) return 'closed';
    return this.#entered(giveaway) ? 'entered' : 'open';
  }

  /** The customer's name in the show's viewer token (read, not verified: it only words the winner line). */
  #customerName(): string | null {
    return tokenName(this.#link.show?.viewerToken);
  }

  async #enter(giveaway: Giveaway): Promise<void> {
    const show = this.#link.show;
    if (!show || this.busy || this.#stateOf(giveaway) !== 'open' || this.#needsSignIn(giveaway)) return;
    const id = giveaway.giveawayId;
    this.busy = true;
    this.#problem = null;
    const outcome = await show.enterGiveaway(id);
    this.busy = false;
    if (outcome.status === 'accepted' || (outcome.status === 'refused' && outcome.code === 'already-entered')) {
      rememberAction(show, `giveaway:${id}`, true);
      this.#announcement = outcome.status === 'accepted' ? inTheDrawText() : msg('You had already entered this giveaway.', {id: 'giveaway.already-entered'});
    } else if (outcome.status === 'refused' && outcome.code === 'closed') {
      this.#closedHere.add(id);
    } else if (outcome.status === 'refused' && outcome.code === 'unauthorized') {
      this.#signInNeeded.add(id);
      this.#announcement = msg('Sign in to enter.', {id: 'giveaway.said.sign-in'});
    } else {
      const retry = outcome.status === 'failed' ? outcome.code === 'action-failed' : outcome.retryAfterMs !== undefined;
      const code: KolErrorCode = outcome.status === 'refused' ? 'action-refused' : outcome.code;
      this.#problem = {giveawayId: id, code, retry, message: retry ? msg('Your entry did not go through.', {id: 'giveaway.failed'}) : outcome.message};
      this.#announcement = this.#problem.message;
    }
    this.requestUpdate();
  }

  /** Says the draw once it is due and the winner once drawn. */
  #announce(giveaway: Giveaway, state: GiveawayState): void {
    const last = this.#spoken;
    this.#spoken = {giveawayId: giveaway.giveawayId, state};
    if (last?.giveawayId === giveaway.giveawayId && last.state === state) return;
    if (state === 'drawn') this.#announcement = giveaway.winner ? msg(str`Giveaway winner: ${giveaway.winner}.`, {id: 'giveaway.said.winner'})
      : msg('The giveaway had no entries.', {id: 'giveaway.said.no-entries'});
    else if (state === 'closed') this.#announcement = msg('Entries are closed: the winner is being drawn.', {id: 'giveaway.said.closed'});
    else if (last?.giveawayId !== giveaway.giveawayId) this.#announcement = msg(str`Giveaway: ${giveaway.prize}.`, {id: 'giveaway.said.open'});
  }
}
