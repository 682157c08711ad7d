/**
 * The show's events in program-time order, split into those the viewer has reached (released, reduced
 * into the state) and those still ahead (pending). Pure bookkeeping: no clocks, no timers, no DOM.
 *
 * Handling stays linear in the number of events: a batch is sorted once and merged, due events leave the
 * queue in one splice, and a late arrival (older than what was already applied) re-reduces only from the
 * nearest checkpoint before it, not from the start of the show.
 */
import type {ShowEvent, ShowState} from './schema.js';
import {initialShowState, reduceShowEvents, type ShowLimit} from './state.js';

interface Entry {
  event: ShowEvent;
  at: number;
}

/** The state after the first `count` released events: where a late arrival's re-reduce starts. */
interface Checkpoint {
  count: number;
  state: ShowState;
}

/** A rewind smaller than this is jitter in the reported time, not a seek. */
export const REWIND_TOLERANCE_MS = 1000;

/**
 * Events held at once, released and pending (a live show folds those behind its DVR window away; a replay
 * holds its whole timeline: an eight-hour show has about 25,000). Past it, the oldest released events are
 * folded into the base state to make room (seeking back before them lands on that state), and only while
 * every held event is still ahead of the viewer is a new one dropped. Either is reported.
 */
export const MAX_HELD_EVENTS = 30_000;

/** Released events folded at once when the cap is reached: a tenth, so folding is rare. */
const FOLD_AT_CAP = MAX_HELD_EVENTS / 10;

/** A cap the timeline or the state had to apply. */
export type QueueLimit = ShowLimit | 'events';

/** Folded ids remembered for de-duplication: far more than arrive by a second carrier in its delay. */
const MAX_FOLDED_IDS = 500;

/** Released events between checkpoints: bounds a late arrival's re-reduce. */
const CHECKPOINT_EVERY = 64;

/** Batches larger than this are sorted and merged into the queue rather than inserted one by one. */
const MERGE_BATCH = 16;

/** What one `releaseUntil` call changed. */
export interface ReleaseResult {
  /** Newly released events, in program-time order. */
  released: ShowEvent[];
  /** The viewer's position (ms) they were released at. */
  time: number;
  /** True when `state` is a new object. */
  changed: boolean;
}

/** Events in program-time order and the state they reduce to at the viewer's position. */
export class ReleaseQueue {
  /** The state at the viewer's position. */
  state: ShowState = initialShowState();
  /** Bumped whenever the set of held events changes (an add, a compaction): a cache key. */
  revision = 0;
  #pending: Entry[] = [];
  #released: Entry[] = [];
  #checkpoints: Checkpoint[] = [];
  #ids = new Set<string>();
  #position = -Infinity;
  /** The state of the events folded away by `compact()`: where re-deriving starts. */
  #base: ShowState = initialShowState();
  /** Ids of recently folded events, so a late copy from a second carrier is still recognised. */
  readonly #foldedIds = new Set<string>();

  readonly #onLimit: ((limit: QueueLimit) => void) | undefined;

  /** @param onLimit hears each cap that dropped something (the caller reports it). */
  constructor(onLimit?: (limit: QueueLimit) => void) {
    this.#onLimit = onLimit;
  }

  /** Adds an event unless one with the same id was seen (the same event may come by stream and SSE). */
  add(event: ShowEvent): boolean {
    return this.addAll([event]) > 0;
  }

  /**
   * Adds events (duplicates by id are dropped); returns how many were new. `place` may move an event from its
   * `at` to another position in the viewer's timeline (one released on arrival: where the viewer was then).
   */
  addAll(events: readonly ShowEvent[], place?: (event: ShowEvent, at: number) => number): number {
    const fresh: Entry[] = [];
    for (const event of events) {
      if (this.#ids.has(event.id) || this.#foldedIds.has(event.id)) continue;
      if (this.#ids.size >= MAX_HELD_EVENTS) {
        this.#onLimit?.('events');
        if (!this.#released.length) break;
        this.#fold(Math.min(this.#released.length, FOLD_AT_CAP));
      }
      this.#ids.add(event.id);
      const at = Date.parse(event.at);
      fresh.push({event, at: place ? place(event, at) : at});
    }
    if (!fresh.length) return 0;
    if (fresh.length > MERGE_BATCH) this.#pending = mergeSorted(this.#pending, fresh.sort((a, b) => a.at - b.at));
    else for (const entry of fresh) insertSorted(this.#pending, entry);
    this.revision++;
    return fresh.length;
  }

  /** Program time (ms) of the next pending event, or null. */
  nextAt(): number | null {
    return this.#pending[0]?.at ?? null;
  }

  /** Every event held, released or not, in program-time order (for chapters and replays). */
  allEvents(): ShowEvent[] {
    return mergeSorted(this.#released, this.#pending).map((e) => e.event);
  }

  /** Events not released yet. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Moves the viewer to `time` (ms; Infinity releases everything). Forward, it releases what is due;
   * backward beyond jitter (a seek in a replay), it re-derives the state from the events up to `time`.
   */
  releaseUntil(time: number): ReleaseResult {
    const before = this.state;
    if (time < this.#position - REWIND_TOLERANCE_MS) {
      this.#rewind(time);
      this.#position = time;
      return {released: [], time, changed: this.state !== before};
    }
    this.#position = Math.max(this.#position, time);
    const count = upperBound(this.#pending, time);
    if (!count) return {released: [], time, changed: false};
    const due = this.#pending.splice(0, count);
    const applied = this.#released.length;
    const lastReleased = this.#released[applied - 1]?.at ?? -Infinity;
    if (due[0].at < lastReleased) {
      // A late arrival older than what was already applied: order matters (a pin then its unpin), so
      // reduce again from the checkpoint before it instead of applying out of order.
      const from = upperBound(this.#released, due[0].at);
      this.#released = due.length > MERGE_BATCH ? mergeSorted(this.#released, due) : this.#released;
      if (due.length <= MERGE_BATCH) for (const entry of due) insertSorted(this.#released, entry);
      this.#reduceFrom(from);
    } else {
      for (const entry of due) this.#released.push(entry);
      this.#advance(this.state, applied);
    }
    return {released: due.map((e) => e.event), time, changed: this.state !== before};
  }

  #rewind(time: number): void {
    const keep = upperBound(this.#released, time);
    const back = this.#released.splice(keep);
    this.#pending = mergeSorted(back, this.#pending);
    this.#reduceFrom(keep);
  }

  /** Re-derives the state from the last checkpoint at or before `count` released events. */
  #reduceFrom(count: number): void {
    while (this.#checkpoints.length && this.#checkpoints[this.#checkpoints.length - 1].count > count) this.#checkpoints.pop();
    const checkpoint = this.#checkpoints[this.#checkpoints.length - 1];
    this.#advance(checkpoint?.state ?? this.#base, checkpoint?.count ?? 0);
  }

  /** Reduces the released events from `from` onwards into `state`, leaving a checkpoint every so often. */
  #advance(state: ShowState, from: number): void {
    let count = from;
    let lastCheckpoint = this.#checkpoints[this.#checkpoints.length - 1]?.count ?? 0;
    while (count < this.#released.length) {
      const stop = Math.min(this.#released.length, lastCheckpoint + CHECKPOINT_EVERY);
      state = reduceShowEvents(state, eventsIn(this.#released, count, stop), this.#onLimit);
      count = stop;
      if (count - lastCheckpoint >= CHECKPOINT_EVERY) {
        this.#checkpoints.push({count, state});
        lastCheckpoint = count;
      }
    }
    this.state = state;
  }

  /**
   * Folds the released events before `time` into a base state and forgets them, so a show of many hours
   * holds only the events a viewer can still seek to. Seeking back before `time` afterwards lands on the
   * base state. Call it only where nothing before `time` can be played again (a live window).
   */
  compact(time: number): void {
    this.#fold(lowerBound(this.#released, time));
  }

  /** Folds the first `count` released events into the base state and forgets them. */
  #fold(count: number): void {
    if (!count) return;
    const folded = this.#released.splice(0, count);
    this.revision++;
    const checkpoint = [...this.#checkpoints].reverse().find((c) => c.count <= count);
    this.#base = reduceShowEvents(checkpoint?.state ?? this.#base, eventsIn(folded, checkpoint?.count ?? 0, count), this.#onLimit);
    this.#checkpoints = this.#checkpoints.filter((c) => c.count > count).map((c) => ({count: c.count - count, state: c.state}));
    for (const entry of folded) {
      this.#ids.delete(entry.event.id);
      this.#foldedIds.add(entry.event.id);
    }
    // A Set iterates in insertion order: the first ids are the oldest.
    for (const id of this.#foldedIds) {
      if (this.#foldedIds.size <= MAX_FOLDED_IDS) break;
      this.#foldedIds.delete(id);
    }
  }
}

function* eventsIn(entries: readonly Entry[], from: number, to: number): Generator<ShowEvent> {
  for (let i = from; i < to; i++) yield entries[i].event;
}

/** How many entries are at or before `time`. */
function upperBound(list: readonly Entry[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].at <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many entries are before `time`. */
function lowerBound(list: readonly Entry[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].at < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts after every entry with the same or an earlier time, so equal times keep arrival order. */
function insertSorted(list: Entry[], entry: Entry): void {
  list.splice(upperBound(list, entry.at), 0, entry);
}

/** Merges two sorted lists; on equal times `a`'s entries come first (they arrived first). */
function mergeSorted(a: readonly Entry[], b: readonly Entry[]): Entry[] {
  const out: Entry[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = b[j].at < a[i].at ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
