/**
 * One show as this node holds it: the reduced state, the recent entries raw, and the state of the older
 * ones folded, fed in log order by the bus's follower. Joins are answered from it synchronously — the
 * catch-up is computed and the listener added in one step, so an entry arriving meanwhile is either in
 * the catch-up or heard live, never both, never neither.
 */
import type {Logger} from 'pino';
import type {ShowEvent, ShowState} from '../core/schema.js';
import {initialShowState, reduceShowEvents} from '../core/state.js';
import {MAX_HELD_EVENTS} from '../core/release-queue.js';
import type {LoggedEvent} from './bus/types.js';
import type {EntryListener} from './types.js';
import {firstAbove} from './sorted.js';

/** Events younger than this are replayed raw to a joining viewer (to time-align); older ones are folded into its snapshot. */
export const RAW_REPLAY_MS = 60_000;
/**
 * Raw entries held per show: what a viewer can resume across with `Last-Event-ID`. The SDK's own cap, since a
 * viewer cannot hold more either (≈ 25 minutes at 20 events per second; an eight-hour show's host events fit).
 */
export const MAX_HELD_ENTRIES = MAX_HELD_EVENTS;
/** Entries dropped at once past the cap: a tenth, so dropping (and the copy it costs) is rare. */
const DROP_AT_CAP = MAX_HELD_ENTRIES / 10;
/**
 * At most this many recent entries follow a join's snapshot raw; past it (a flood of chat) the older of
 * them are folded into the snapshot too, so a joining viewer's catch-up stays small.
 */
export const MAX_RAW_CATCH_UP = 3_000;

/** A show's state and recent entries on this node. */
export class ShowView {
  /** The state after every entry this node has. */
  state: ShowState = initialShowState();
  /** The last entry's sequence (0: none). */
  lastSeq = 0;
  /** Wall-clock ms of the last use: an idle view with no listeners is dropped. */
  lastUsed = Date.now();
  /** Stops the bus's follower. */
  stop: () => void = () => {};

  /** Held entries, oldest first. */
  private entries: LoggedEvent[] = [];
  /** The sequence of the last entry dropped from `entries` (0: none): a resume from before it cannot be served raw. */
  private dropped = 0;
  /** The first `folded` held entries (and every dropped one) are reduced into `foldedState`. */
  private folded = 0;
  private foldedState: ShowState = initialShowState();
  private foldedSeq = 0;
  /** The latest `at` (ms) among folded events. */
  private foldedAt = -Infinity;
  private snapshot: LoggedEvent | null = null;
  private readonly listeners = new Set<EntryListener>();

  constructor(readonly show: string, private readonly log?: Logger) {}

  /** Listeners joined now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Takes the log as read at start: all but the last `MAX_HELD_ENTRIES` are folded at once. */
  load(entries: readonly LoggedEvent[]): void {
    const cut = Math.max(0, entries.length - MAX_HELD_ENTRIES);
    if (cut) {
      this.fold(entries.slice(0, cut));
      this.dropped = this.foldedSeq;
    }
    const held = entries.slice(cut);
    this.entries = held;
    this.state = reduceShowEvents(this.foldedState, held.map((e) => e.event));
    this.lastSeq = entries.at(-1)?.seq ?? 0;
  }

  /** Takes one entry in log order; one already held (a follower and a read both bringing it) is ignored. */
  apply(entry: LoggedEvent): void {
    if (entry.seq <= this.lastSeq) return;
    this.lastSeq = entry.seq;
    this.entries.push(entry);
    this.state = reduceShowEvents(this.state, [entry.event]);
    if (this.entries.length > MAX_HELD_ENTRIES) this.dropOldest();
    for (const listener of [...this.listeners]) this.tell(listener, entry);
  }

  /**
   * Calls `listener` with the catch-up for a viewer that last saw `lastEventId` (null: a new viewer) at
   * wall-clock `now`, then adds it for every new entry. Returns the leave.
   */
  join(lastEventId: number | null, now: number, listener: EntryListener): () => void {
    this.lastUsed = Date.now();
    for (const entry of this.catchUp(lastEventId, now)) this.tell(listener, entry);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.lastUsed = Date.now();
    };
  }

  /** Every event, when none was dropped yet (else null: the caller reads the log). */
  heldTimeline(): ShowEvent[] | null {
    return this.dropped ? null : this.entries.map((e) => e.event);
  }

  /**
   * After `lastEventId` when every entry after it is held; else (a new viewer, an id older than what is held
   * or unknown here) a `show.snapshot` of the entries older than `RAW_REPLAY_MS` and the rest raw.
   */
  private catchUp(lastEventId: number | null, now: number): LoggedEvent[] {
    if (lastEventId !== null && lastEventId >= this.dropped && lastEventId <= this.lastSeq) {
      return this.entries.slice(firstAbove(this.entries, lastEventId, (e) => e.seq));
    }
    // Whole seconds: joins within one second share one snapshot object (the edge may cache its JSON).
    const cutoff = Math.floor((now - RAW_REPLAY_MS) / 1000) * 1000;
    this.foldUntil(cutoff);
    return [this.snapshotAt(cutoff), ...this.entries.slice(this.folded)];
  }

  /**
   * Folds the held entries older than `cutoff`, as a prefix in log order (so the snapshot's sequence, the
   * last it folds, is a safe resume point), and more while over `MAX_RAW_CATCH_UP` raw. Only ever forward.
   */
  private foldUntil(cutoff: number): void {
    let end = this.folded;
    while (end < this.entries.length && (Date.parse(this.entries[end].event.at) < cutoff || this.entries.length - end > MAX_RAW_CATCH_UP)) end++;
    if (end === this.folded) return;
    this.fold(this.entries.slice(this.folded, end));
    this.folded = end;
  }

  private fold(entries: readonly LoggedEvent[]): void {
    if (!entries.length) return;
    this.foldedState = reduceShowEvents(this.foldedState, entries.map((e) => e.event));
    this.foldedSeq = entries[entries.length - 1].seq;
    for (const {event} of entries) this.foldedAt = Math.max(this.foldedAt, Date.parse(event.at));
    this.snapshot = null;
  }

  /**
   * The snapshot of the folded state, as any event: `v`, an `id`, and `at` = the cutoff (or the latest folded
   * event, if one was folded early), so a client releases it before the raw events that follow. Its sequence
   * is the last entry it folds (0: none), where a resume picks up.
   */
  private snapshotAt(cutoff: number): LoggedEvent {
    const at = Math.max(cutoff, this.foldedAt);
    const id = `snapshot-${this.show}-${this.foldedSeq}-${at}`;
    if (this.snapshot?.event.id !== id) {
      const event: ShowEvent = {v: 1, id, type: 'show.snapshot', at: new Date(at).toISOString(), state: this.foldedState};
      this.snapshot = {seq: this.foldedSeq, event};
    }
    return this.snapshot;
  }

  /** Drops the oldest entries past the cap, folding them first if a join has not already. */
  private dropOldest(): void {
    if (this.folded < DROP_AT_CAP) {
      this.fold(this.entries.slice(this.folded, DROP_AT_CAP));
      this.folded = DROP_AT_CAP;
    }
    this.dropped = this.entries[DROP_AT_CAP - 1].seq;
    this.entries = this.entries.slice(DROP_AT_CAP);
    this.folded -= DROP_AT_CAP;
  }

  private tell(listener: EntryListener, entry: LoggedEvent): void {
    try {
      listener(entry);
    } catch (error) {
      this.log?.error({err: error, show: this.show, seq: entry.seq}, 'a show listener threw');
    }
  }
}
