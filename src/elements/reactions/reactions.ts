import {html, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {repeat} from 'lit/directives/repeat.js';
import {KolElement} from '../kol-element.js';
import {msg} from '@lit/localize';
import {ShowLink} from '../../controllers/show-link.js';
import type {EngagementShowHandle} from '../show-handle.js';
import type {KolShowEventEvent} from '../events.js';
import {REACTION_KINDS, isReactionKind, type ReactionKind} from '../../core/reaction-kinds.js';
import {elementLocale, formatCompact} from '../../page/compact-count.js';
import {ReactionQueue} from './reaction-queue.js';
import {ReactionBursts} from './reaction-bursts.js';
import {reactionsStyles} from './reactions.styles.js';

/** Each kind's icon and the words a screen reader says for its button. */
const REACTIONS: Record<ReactionKind, {icon: string; label: () => string}> = {
  heart: {icon: '❤️', label: () => msg('Send a heart', {id: 'reactions.heart'})},
  fire: {icon: '🔥', label: () => msg('Send fire', {id: 'reactions.fire'})},
  clap: {icon: '👏', label: () => msg('Send applause', {id: 'reactions.clap'})},
  laugh: {icon: '😂', label: () => msg('Send a laugh', {id: 'reactions.laugh'})},
  wow: {icon: '😮', label: () => msg('Send a wow', {id: 'reactions.wow'})},
};

/**
 * Reactions: buttons that send hearts (and fire, applause, laughs, wows) to the show's server, and everyone's
 * reactions rising as icons from the server's `reactions.update`. Taps show at once and are sent one by one
 * at a steady pace under the server's rate limit (a `429` waits for its `Retry-After`, a network failure is
 * retried); a tap that cannot be sent is said, never dropped silently. With `prefers-reduced-motion: reduce`
 * nothing moves: each button shows how many of its kind were sent instead.
 *
 * @summary Send hearts and watch everyone's rise.
 * @fires kol-error - No show to send through (`no-show`), or an unknown kind in `kinds` (`bad-attribute`). A reaction the server refused or that failed is reported once by the show (`action-refused`, `action-failed`, `no-server`) and said here.
 * @csspart base - The element's box.
 * @csspart stage - The box the icons rise in (hidden under reduced motion).
 * @csspart float - One rising icon.
 * @csspart buttons - The row of buttons.
 * @csspart button - One reaction's button; also named by its kind (`heart`, `fire`, `clap`, `laugh`, `wow`).
 * @csspart icon - A button's icon.
 * @csspart count - How many of a kind were sent since the page joined (shown under reduced motion only).
 * @csspart status - Why taps wait or were not sent.
 * @cssprop [--kol-reactions-stage-block-size=8rem] - Height of the box the icons rise in.
 * @cssprop [--kol-reactions-block-size=13rem] - The height the element reserves, so nothing around it moves as it
 *   loads; give `kol-reactions:not(:defined)` the same `min-block-size` (docs/theming.md).
 * @cssprop [--kol-reactions-float-size=1.6rem] - Size of a rising icon.
 * @cssprop [--kol-reactions-float-duration=2.2s] - How long an icon takes to rise (each varies a little around it).
 * @cssprop [--kol-reactions-button-size=1.3rem] - Size of the buttons' icons.
 * @cssprop [--kol-reactions-button-background=var(--kol-color-surface)] - The buttons' background.
 */
export class KolReactions extends KolElement {
  static override styles = reactionsStyles;

  /** The id of the `<kol-show>` to follow, when the element is not inside it. */
  @property() show: string | null = null;

  /**
   * Which reactions to offer, in order, separated by spaces or commas: any of `heart`, `fire`, `clap`, `laugh`,
   * `wow` (default: all five). An unknown kind is `bad-attribute` and left out.
   */
  @property() kinds: string | null = null;

  /** Reflected: some of the shopper's taps are still waiting to be sent. */
  @property({type: Boolean, reflect: true}) sending = false;

  readonly #link = new ShowLink<EngagementShowHandle>(this, () => this.fail('no-show', 'These reactions found no <kol-show> to send through.'));
  readonly #bursts = new ReactionBursts();
  readonly #queue = new ReactionQueue({
    send: (kind) => this.#link.show?.react(kind)
      ?? Promise.resolve({status: 'failed', code: 'no-show', message: 'These reactions are not connected to a show.'}),
    accepted: (kind) => this.#bursts.accepted(kind),
    changed: () => this.requestUpdate(),
  });
  /** The show whose released events this element hears, to move the listener when the link changes. */
  #heard: EventTarget | null = null;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  /** The `kinds` value last read and what it gave, so a bad one is reported once. */
  #kinds: {value: string | null; kinds: ReactionKind[]} | null = null;

  /** The kinds offered, from `kinds`. */
  get offered(): readonly ReactionKind[] {
    if (this.#kinds?.value !== this.kinds) this.#kinds = {value: this.kinds, kinds: this.#readKinds()};
    return this.#kinds.kinds;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#hear(null);
    this.#queue.stop();
    clearTimeout(this.#sweepTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    this.#hear(this.isConnected ? this.#link.show : null);
    void this.offered; // reads `kinds` (and reports a bad one) before rendering
    this.sending = this.#queue.pending > 0;
    const code = this.#queue.notice?.code;
    if (code) this.error = code;
    else this.clearError('action-refused', 'action-failed', 'no-server');
  }

  protected override render() {
    const locale = elementLocale(this);
    return html`<div part="base">
      <div part="stage" aria-hidden="true" @animationend=${this.#landed}>
        ${repeat(this.#bursts.floats, (f) => f.id, (f) => html`<span part="float" class=${`v${f.variant}`} data-id=${f.id}>${REACTIONS[f.kind as ReactionKind]?.icon}</span>`)}
      </div>
      <div part="buttons" role="group" aria-label=${msg('Reactions', {id: 'reactions.label'})}>
        ${this.offered.map((kind) => html`<button part=${`button ${kind}`} type="button" aria-label=${REACTIONS[kind].label()}
            ?disabled=${this.#link.missing} @click=${() => this.#tap(kind)}>
          <span part="icon" aria-hidden="true">${REACTIONS[kind].icon}</span>
          <span part="count" aria-hidden="true">${formatCompact(this.#bursts.totals.get(kind) ?? 0, locale)}</span>
        </button>`)}
      </div>
      <p part="status" role="status">${this.#queue.notice?.text ?? ''}</p>
    </div>`;
  }

  #tap(kind: ReactionKind): void {
    if (this.#queue.add(kind)) {
      this.#bursts.tap(kind, animated());
      this.#sweepLater();
    }
    this.requestUpdate();
  }

  readonly #onShowEvent = (e: Event): void => {
    const {event} = (e as KolShowEventEvent).detail;
    if (event.type !== 'reactions.update') return;
    this.#bursts.update(event.counts, this.offered, animated());
    this.#sweepLater();
    this.requestUpdate();
  };

  readonly #landed = (e: AnimationEvent): void => {
    const id = (e.target as HTMLElement).dataset.id;
    if (id === undefined) return;
    this.#bursts.landed(Number(id));
    this.requestUpdate();
  };

  /** Follows the released events of `show` (and no other). */
  #hear(show: EventTarget | null): void {
    if (show === this.#heard) return;
    this.#heard?.removeEventListener('kol-show-event', this.#onShowEvent);
    this.#heard = show;
    show?.addEventListener('kol-show-event', this.#onShowEvent);
  }

  /** Removes icons whose animation never ended (a hidden page runs none), once the oldest is due. */
  #sweepLater(): void {
    clearTimeout(this.#sweepTimer);
    const wait = this.#bursts.nextSweepIn();
    if (wait === null || !this.isConnected) return;
    this.#sweepTimer = setTimeout(() => {
      if (this.#bursts.sweep()) this.requestUpdate();
      this.#sweepLater();
    }, wait + 50);
  }

  #readKinds(): ReactionKind[] {
    if (this.kinds === null || !this.kinds.trim()) return [...REACTION_KINDS];
    const named = this.kinds.split(/[\s,]+/).filter(Boolean);
    const unknown = named.filter((kind) => !isReactionKind(kind));
    if (unknown.length) {
      this.fail('bad-attribute', `kinds="${this.kinds}": ${unknown.join(', ')} is not one of ${REACTION_KINDS.join(', ')}.`);
    } else this.clearError('bad-attribute');
    return [...new Set(named.filter(isReactionKind))];
  }
}

/** Whether icons may move: not under `prefers-reduced-motion: reduce`. */
function animated(): boolean {
  return !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}
