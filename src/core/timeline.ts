/**
 * The show's events in program-time order, split into those the viewer has reached (released, reduced
 * into the state) and those still ahead (pending). Pure bookkeeping: no clocks, no timers, no DOM.
 */
import type {ShowEvent, ShowState} from './schema.js';
import {initialShowState, reduceShow} from './state.js';

interface Entry {
  event: ShowEvent;
  at: number;
}

/** A rewind smaller than this is jitter in the reported time, not a seek. */
export const REWIND_TOLERANCE_MS = 1000;

/** Folded ids remembered for de-duplication: far more than arrive by a second carrier in its delay. */
const MAX_FOLDED_IDS = 500;

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
export class ShowTimeline {
  /** The state at the viewer's position. */
  state: ShowState = initialShowState();
  /** Bumped whenever the set of held events changes (an add, a compaction): a cache key. */
  revision = 0;
  private pending: Entry[] = [];
  private released: Entry[] = [];
  private ids = new Set<string>();
  private position = -Infinity;
  /** The state of the events folded away by `compact()`: where re-deriving starts. */
  private base: ShowState = initialShowState();
  /** Ids of recently folded events, so a late copy from a second carrier is still recognised. */
  private foldedIds: string[] = [];

  /** Adds an event unless one with the same id was seen (the same event may come by stream and SSE). */
  add(event: ShowEvent): boolean {
    if (this.ids.has(event.id) || this.foldedIds.includes(event.id)) return false;
    this.ids.add(event.id);
    insertSorted(this.pending, {event, at: Date.parse(event.at)});
    this.revision++;
    return true;
  }

  /** Program time (ms) of the next pending event, or null. */
  nextAt(): number | null {
    return this.pending[0]?.at ?? null;
  }

  /** Every event held, released or not, in program-time order (for chapters and replays). */
  allEvents(): ShowEvent[] {
    const all = [...this.released, ...this.pending].sort((a, b) => a.at - b.at);
    return all.map((e) => e.event);
  }

  /** Events not released yet. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Moves the viewer to `time` (ms; Infinity releases everything). Forward, it releases what is due;
   * backward beyond jitter (a seek in a replay), it re-derives the state from the events up to `time`.
   */
  releaseUntil(time: number): ReleaseResult {
    const before = this.state;
    if (time < this.position - REWIND_TOLERANCE_MS) {
      this.rewind(time);
      this.position = time;
      return {released: [], time, changed: this.state !== before};
    }
    this.position = Math.max(this.position, time);
    const due: Entry[] = [];
    while (this.pending.length && this.pending[0].at <= time) due.push(this.pending.shift()!);
    if (!due.length) return {released: [], time, changed: false};
    const lastReleased = this.released[this.released.length - 1]?.at ?? -Infinity;
    if (due[0].at < lastReleased) {
      // A late arrival older than what was already applied: order matters (a pin then its unpin), so
      // reduce again from the start instead of applying out of order.
      for (const entry of due) insertSorted(this.released, entry);
      this.state = this.released.reduce((s, e) => reduceShow(s, e.event), this.base);
    } else {
      this.released.push(...due);
      this.state = due.reduce((s, e) => reduceShow(s, e.event), this.state);
    }
    return {released: due.map((e) => e.event), time, changed: this.state !== before};
  }

  private rewind(time: number): void {
    const keep = this.released.filter((e) => e.at <= time);
    const back = this.released.filter((e) => e.at > time);
    this.released = keep;
    for (const entry of back) insertSorted(this.pending, entry);
    this.state = keep.reduce((s, e) => reduceShow(s, e.event), this.base);
  }

  /**
   * Folds the released events before `time` into a base state and forgets them, so a show of many hours
   * holds only the events a viewer can still seek to. Seeking back before `time` afterwards lands on the
   * base state. Call it only where nothing before `time` can be played again (a live window).
   */
  compact(time: number): void {
    let count = 0;
    while (count < this.released.length && this.released[count].at < time) count++;
    if (!count) return;
    const folded = this.released.splice(0, count);
    this.revision++;
    this.base = folded.reduce((s, e) => reduceShow(s, e.event), this.base);
    for (const entry of folded) this.ids.delete(entry.event.id);
    this.foldedIds.push(...folded.map((e) => e.event.id));
    if (this.foldedIds.length > MAX_FOLDED_IDS) this.foldedIds.splice(0, this.foldedIds.length - MAX_FOLDED_IDS);
  }
}

/** Inserts after every entry with the same or an earlier time, so equal times keep arrival order. */
function insertSorted(list: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].at <= entry.at) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}
