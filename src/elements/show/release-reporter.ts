/**
 * What the page and the player hear about released events: each event, the pin and deal changes derived
 * from the state and the clock (deals open and close on the clock, not on an event), how late events
 * were released for this viewer (skews), and a replay's chapters.
 */
import type {ReactiveControllerHost} from 'lit';
import {SecondTickController} from '../../controllers/second-tick.js';
import type {ServerClock} from '../../core/clock.js';
import {KolDealChangeEvent, KolPinChangeEvent, KolShowEventEvent} from '../events.js';
import type {ReleaseResult} from '../../core/scheduler.js';
import type {ShowEvent} from '../../core/schema.js';
import type {Chapter} from '../show-handle.js';
import {dealOf, dealState, type DealState} from '../../core/state.js';
import type {ReleaseQueue} from '../../core/release-queue.js';

/** Skew samples kept for `pinSkew()`: enough for stable percentiles, bounded for a long show. */
const MAX_SKEW_SAMPLES = 1000;

/** Turns releases into the show's events, and keeps the release figures the player reports. */
export class ReleaseReporter {
  #lastPinned;
  readonly #dealStates = new Map<string, DealState>();
  /** Watches the clock while a deal is upcoming or active. */
  readonly #ticker: SecondTickController;
  readonly #skews: number[] = [];
  /** Program time at which this viewer started watching: the backlog released at join is no skew. */
  #watchStart: number | null = null;
  #chapterCache?: {revision: number; chapters: Chapter[]};

  readonly #show: ReactiveControllerHost & EventTarget;
  readonly #queue: ReleaseQueue;
  readonly #clock: ServerClock;
  readonly #changed: () => void;

  /**
   * @param show the element the events are dispatched on; its controllers stop the ticker when it leaves.
   * @param changed called when the state (or a deal's state) changed, after the events.
   */
  constructor(
    show: ReactiveControllerHost & EventTarget,
    queue: ReleaseQueue,
    clock: ServerClock,
    changed: () => void,
  ) {
    this.#show = show;
    this.#queue = queue;
    this.#clock = clock;
    this.#changed = changed;
    this.#lastPinned = queue.state.pinned;
    this.#ticker = new SecondTickController(show, () => this.emitDerivedChanges() && this.#changed());
  }

  /** Reports one release. `watching`: a player tells the program time, so the release has a skew. */
  released({released, time, changed}: ReleaseResult, watching: boolean): void {
    if (watching && Number.isFinite(time)) this.#recordSkews(released, time);
    for (const event of released) this.#show.dispatchEvent(new KolShowEventEvent(event));
    if (!changed) return;
    this.emitDerivedChanges();
    this.#changed();
  }

  /** A new player: skews count from its first release. */
  restartWatch(): void {
    this.#watchStart = null;
  }

  /**
   * Emits the pin and deal changes derived from the state and the clock, and watches the clock while a
   * deal is open. Returns true when a deal changed state.
   */
  emitDerivedChanges(): boolean {
    const state = this.#queue.state;
    if (state.pinned !== this.#lastPinned) {
      this.#lastPinned = state.pinned;
      this.#show.dispatchEvent(new KolPinChangeEvent(state.pinned));
    }
    const now = this.#clock.now();
    let open = false;
    let stateChanged = false;
    const deals = Object.values(state.deals);
    for (const deal of deals) {
      const dealNow = dealState(deal, now);
      if (this.#dealStates.get(deal.dealId) !== dealNow) {
        this.#dealStates.set(deal.dealId, dealNow);
        stateChanged = true;
        this.#show.dispatchEvent(new KolDealChangeEvent(deal, dealNow));
      }
      open ||= dealNow === 'upcoming' || dealNow === 'active';
    }
    // Deals the state let go of (its cap) are forgotten here too, so this map stays as bounded as the state.
    if (this.#dealStates.size > deals.length) {
      for (const id of this.#dealStates.keys()) if (!dealOf(state, id)) this.#dealStates.delete(id);
    }
    this.#ticker.run(open);
    return stateChanged;
  }

  /**
   * When the host first pinned each product in the whole show (released or still ahead), in
   * program-time order: a replay's chapters.
   */
  chapters(): Chapter[] {
    // The player asks on every render of a replay: recompute only when the held events changed.
    const queue = this.#queue;
    if (this.#chapterCache?.revision !== queue.revision) {
      // One chapter per product (when it was first shown), so a long show's chapter list stays as long as
      // its lineup, not as long as its pins.
      const seen = new Set<string>();
      const chapters = queue.allEvents().flatMap((e) => {
        if (e.type !== 'product.pin' || seen.has(e.productId)) return [];
        seen.add(e.productId);
        return [{productId: e.productId, label: e.label, at: Date.parse(e.at)}];
      });
      this.#chapterCache = {revision: queue.revision, chapters};
    }
    return this.#chapterCache.chapters;
  }

  /** How far from the host's moment events were released for this viewer (ms): p50 and p95, or null. */
  pinSkew(): {count: number; p50: number; p95: number} | null {
    const sorted = [...this.#skews].sort((a, b) => a - b);
    if (!sorted.length) return null;
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {count: sorted.length, p50: at(0.5), p95: at(0.95)};
  }

  /**
   * Keeps the skew of events that happened while this viewer watched (not the backlog at join). One released
   * before its moment was released on arrival (chat, counts): it has no skew to measure.
   */
  #recordSkews(released: readonly ShowEvent[], time: number): void {
    this.#watchStart ??= time;
    for (const event of released) {
      const at = Date.parse(event.at);
      if (event.type === 'show.snapshot' || at <= this.#watchStart || at > time) continue;
      this.#skews.push(time - at);
      if (this.#skews.length > MAX_SKEW_SAMPLES) this.#skews.shift();
    }
  }
}
