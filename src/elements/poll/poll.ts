import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {ShowLink} from '../../controllers/show-link.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import type {EngagementShowHandle} from '../show-handle.js';
import type {Poll} from '../../core/schema.js';
import type {KolErrorCode} from '../../core/errors.js';
import {formatRemaining} from '../../core/countdown.js';
import {elementLocale, formatCompact, formatPercent} from '../../page/compact-count.js';
import {msg, str} from '@lit/localize';
import {plural} from '../../i18n/plural.js';
import {cardStyles, pillBadgeStyles, viewerActionStyles} from '../card-styles.js';
import {recallAction, rememberAction} from '../action-memory.js';
import {pollStyles} from './poll.styles.js';

/** How a poll stands for this viewer. */
export type PollState = 'open' | 'voted' | 'closed';

/** A vote that did not go through, shown with its reason (and a retry when trying again may help). */
interface VoteProblem {
  pollId: string;
  option: number;
  message: string;
  code: KolErrorCode;
  retry: boolean;
}

/**
 * A poll the host opened: the question, 2 to 4 options as buttons, the live counts and shares, and the
 * countdown on the server's clock. One vote per viewer, which the server enforces: a vote the server already
 * has (`409`) shows as voted and one after the end (`410`) as closed. Once closed it shows the results and
 * says them politely. Shows the show's latest poll, or only the poll `poll-id` names.
 *
 * @summary A live poll: vote once, see the counts.
 * @slot empty - Shown when there is no poll. Default: "No poll right now."
 * @fires kol-error - There is no show (`no-show`). A vote that was refused or failed is reported once by the show (`action-refused`, `action-failed`, `no-server`) and shown here.
 * @csspart base - The card.
 * @csspart badge - "Poll", "Voted" or "Poll closed".
 * @csspart question - The question.
 * @csspart options - The options' group.
 * @csspart option - One option's button (`aria-pressed` on the viewer's choice).
 * @csspart label - An option's text.
 * @csspart share - An option's share of the votes, in percent.
 * @csspart bar - An option's share as a bar (a `<progress>`).
 * @csspart timer - The time left to vote.
 * @csspart total - How many voted.
 * @csspart status - The outcome of the viewer's vote.
 * @csspart retry - "Try again" after a vote that did not go through.
 * @cssprop [--kol-poll-accent=var(--kol-color-accent)] - Badge, chosen option and bars.
 * @cssprop [--kol-poll-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-poll-bar-track=#eeedf1] - The bars' empty part.
 * @cssprop [--kol-poll-block-size=16rem] - The height the poll reserves in every state, so nothing around it
 *   moves when a poll comes or goes; give `kol-poll:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolPoll extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, viewerActionStyles, pollStyles];

  /** The id of the `<kol-show>` to follow, when the poll is not inside it. */
  @property() show: string | null = null;

  /** Show only this poll of the show (by its `pollId`) rather than the latest one. */
  @property({attribute: 'poll-id'}) pollId: string | null = null;

  /** Reflected: `open`, `voted` or `closed`; absent without a poll. */
  @property({reflect: true}) state: PollState | null = null;

  /** Reflected: a vote is on its way. */
  @property({type: Boolean, reflect: true}) busy = false;

  readonly #link = new ShowLink<EngagementShowHandle>(this, () => this.fail('no-show', 'This poll found no <kol-show> to follow.'));
  /** Repaints once a second while the poll is open (its countdown, and its end on the clock). */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  /** Polls the server said are closed (`410`) before their `poll.close` arrived. */
  readonly #closedHere = new Set<string>();
  #problem: VoteProblem | null = null;
  /** What the polite live region says; changed only on a vote's outcome and on the poll's end. */
  #announcement = '';
  /** The poll and state last announced, so each change is said once. */
  #spoken: {pollId: string; state: PollState; final: boolean} | null = null;
  /** The option that has the keyboard focus stop (roving tabindex). */
  #focusIndex = 0;

  /** The poll shown now, or null. */
  get poll(): Poll | null {
    const poll = this.#link.show?.state.poll ?? null;
    return poll && (!this.pollId || poll.pollId === this.pollId) ? poll : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    const poll = this.poll;
    this.state = poll ? this.#stateOf(poll) : null;
    this.#ticker.run(this.state === 'open' || this.state === 'voted');
    const problem = poll && this.#problem?.pollId === poll.pollId ? this.#problem : null;
    if (problem) this.error = problem.code;
    else this.clearError('action-refused', 'action-failed', 'no-server');
    if (poll) this.#announce(poll, this.state!);
  }

  protected override render() {
    const poll = this.poll;
    return html`${poll ? this.#renderPoll(poll) : html`<div part="base" class="empty"><slot name="empty">${this.#link.missing
        ? msg('This poll is not connected to a show.', {id: 'poll.no-show'}) : msg('No poll right now.', {id: 'poll.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderPoll(poll: Poll) {
    const state = this.state!;
    const chosen = this.#chosen(poll);
    const total = poll.counts.reduce((sum, n) => sum + n, 0);
    const locale = elementLocale(this);
    const votable = state === 'open' && !this.busy;
    const problem = this.#problem?.pollId === poll.pollId ? this.#problem : null;
    this.#focusIndex = Math.min(chosen ?? this.#focusIndex, poll.options.length - 1);
    return html`<section part="base" aria-labelledby="question">
      <span part="badge">${state === 'closed' ? msg('Poll closed', {id: 'poll.badge.closed'})
        : state === 'voted' ? msg('Voted', {id: 'poll.badge.voted'}) : msg('Poll', {id: 'poll.badge.open'})}</span>
      <h3 part="question" id="question">${poll.question}</h3>
      <div part="options" role="group" aria-labelledby="question" @keydown=${this.#onKeyDown}>
        ${poll.options.map((text, i) => {
          const count = poll.counts[i] ?? 0;
          const share = total ? Math.round((count / total) * 100) : 0;
          return html`<button part="option" type="button" aria-pressed=${chosen === i ? 'true' : 'false'}
              aria-disabled=${votable ? 'false' : 'true'} tabindex=${i === this.#focusIndex ? '0' : '-1'}
              @click=${() => this.#vote(poll, i)}>
            <span part="label">${text}</span>
            <span part="share">${formatPercent(share, locale)}<span class="visually-hidden">, ${votesText(count, locale)}</span></span>
            <progress part="bar" max="100" .value=${share} aria-hidden="true"></progress>
          </button>`;
        })}
      </div>
      ${state === 'closed'
        ? html`<p part="timer">${msg('Voting has ended', {id: 'poll.ended'})}</p>`
        : html`<p part="timer" role="timer" aria-label=${msg('Time left to vote', {id: 'poll.time-left'})}>${msg(str`${formatRemaining(Date.parse(poll.endsAt) - this.#now(), locale)} left`, {id: 'poll.timer', desc: 'A countdown, e.g. "0:42 left".'})}</p>`}
      <p part="total">${votesText(total, locale)}</p>
      <p part="status" class=${problem ? 'failed' : ''}>${problem
        ? html`${problem.message}${problem.retry && state === 'open'
          ? html`<button part="retry" type="button" @click=${() => this.#vote(poll, problem.option)}>${msg('Try again', {id: 'action.try-again'})}</button>` : nothing}`
        : this.busy ? msg('Sending your vote…', {id: 'poll.sending'})
        : chosen !== undefined && state !== 'closed' ? (chosen === null ? alreadyVotedText() : msg('Thanks, your vote is in.', {id: 'poll.thanks'})) : ''}</p>
    </section>`;
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  /** The viewer's vote in `poll`: its option, null (voted, option unknown), or undefined (no vote). */
  #chosen(poll: Poll): number | null | undefined {
    const show = this.#link.show;
    return show ? recallAction<number | null>(show, `poll:${poll.pollId}`) : undefined;
  }

  #stateOf(poll: Poll): PollState {
    if (poll.closed || this.#closedHere.has(poll.pollId) || Date.parse(poll.endsAt) <= this.#now()) return 'closed';
    return this.#chosen(poll) !== undefined ? 'voted' : 'open';
  }

  async #vote(poll: Poll, option: number): Promise<void> {
    const show = this.#link.show;
    if (!show || this.busy || this.#stateOf(poll) !== 'open') return;
    this.busy = true;
    this.#problem = null;
    const outcome = await show.vote(poll.pollId, option);
    this.busy = false;
    if (outcome.status === 'accepted') {
      rememberAction(show, `poll:${poll.pollId}`, option);
      this.#say(msg(str`Your vote for ${poll.options[option]} is in.`, {id: 'poll.said.voted'}));
    } else if (outcome.status === 'refused' && outcome.code === 'already-voted') {
      rememberAction(show, `poll:${poll.pollId}`, null);
      this.#say(alreadyVotedText());
    } else if (outcome.status === 'refused' && outcome.code === 'closed') {
      this.#closedHere.add(poll.pollId);
    } else {
      // A rate limit or a network failure may pass: offer to try again. Other refusals would only repeat.
      const retry = outcome.status === 'failed' ? outcome.code === 'action-failed' : outcome.retryAfterMs !== undefined;
      const code: KolErrorCode = outcome.status === 'refused' ? 'action-refused' : outcome.code;
      this.#problem = {pollId: poll.pollId, option, code, retry, message: retry ? msg('Your vote did not go through.', {id: 'poll.failed'}) : outcome.message};
      this.#say(this.#problem.message);
    }
    this.requestUpdate();
  }

  #say(text: string): void {
    this.#announcement = text;
  }

  /** Says the poll's end once, and its results once they are final (`poll.close`). */
  #announce(poll: Poll, state: PollState): void {
    const final = !!poll.closed;
    const last = this.#spoken;
    this.#spoken = {pollId: poll.pollId, state, final};
    if (!last || last.pollId !== poll.pollId) {
      if (state === 'open') this.#say(msg(str`Poll: ${poll.question}`, {id: 'poll.said.open'}));
      return;
    }
    if (state !== 'closed' || (last.state === 'closed' && last.final === final)) return;
    this.#say(final ? msg(str`The poll has closed. ${results(poll, elementLocale(this))}`, {id: 'poll.said.closed'})
      : msg('Voting has ended.', {id: 'poll.said.ended'}));
  }

  /**
   * Arrow keys, Home and End move the focus between the options (one tab stop for the group). ← and → follow
   * the reading direction: in a right-to-left page ← is the next option.
   */
  readonly #onKeyDown = (event: KeyboardEvent): void => {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[part~=option]')];
    const at = buttons.indexOf(event.composedPath()[0] as HTMLButtonElement);
    if (at < 0) return;
    const last = buttons.length - 1;
    const forward = getComputedStyle(this).direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
    const to = {ArrowDown: at + 1, [forward]: at + 1, ArrowUp: at - 1, [back]: at - 1, Home: 0, End: last}[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.#focusIndex = to < 0 ? last : to > last ? 0 : to;
    for (const [i, button] of buttons.entries()) button.tabIndex = i === this.#focusIndex ? 0 : -1;
    buttons[this.#focusIndex]!.focus();
  };
}

/** "Blue: 60%, Red: 40%." — the results in words. */
function results(poll: Poll, locale: string): string {
  const total = poll.counts.reduce((sum, n) => sum + n, 0);
  if (!total) return msg('No votes were cast.', {id: 'poll.no-votes'});
  const shares = poll.options.map((text, i) => `${text} ${formatPercent(Math.round(((poll.counts[i] ?? 0) / total) * 100), locale)}`);
  return msg(str`Results: ${listIn(shares, locale)}.`, {id: 'poll.results'});
}

const alreadyVotedText = () => msg('You already voted in this poll.', {id: 'poll.already-voted'});

/** "1 vote", "3.4K votes": `count` in the element's language, the words by the text's plural rules. */
function votesText(count: number, locale: string): string {
  const n = formatCompact(count, locale);
  return plural(count, {
    '=1': () => msg('1 vote', {id: 'poll.votes.=1'}),
    '=2': () => msg('2 votes', {id: 'poll.votes.=2'}),
    one: () => msg(str`${n} vote`, {id: 'poll.votes.one'}),
    few: () => msg(str`${n} votes`, {id: 'poll.votes.few'}),
    many: () => msg(str`${n} votes`, {id: 'poll.votes.many'}),
    other: () => msg(str`${n} votes`, {id: 'poll.votes.other'}),
  });
}

/** "A, B and C" in `locale` (Intl.ListFormat), or comma-separated where it is missing. */
function listIn(items: string[], locale: string): string {
  try {
    return new Intl.ListFormat(locale, {type: 'unit'}).format(items);
  } catch {
    return items.join(', ');
  }
}
