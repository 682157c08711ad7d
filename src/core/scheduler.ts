/**
 * Releases show events when the viewer's program time reaches them (DESIGN.md §4). A socket event
 * arrives as early as the viewer's latency; showing it on arrival would pin a product before the host
 * holds it up. Chat and the counts are the exception: from a live source they are released on arrival
 * (DESIGN.md §8.3). The player drives `sync()` on every video frame; without a player a timer does.
 */
import type {ShowEvent} from './schema.js';
import {ReleaseQueue, type ReleaseResult, type QueueLimit} from './release-queue.js';
import type {ServerClock} from './clock.js';

/** The viewer's position in the broadcast, as a player reports it. */
export interface ProgramTimeSource {
  /** Program time (ms since the epoch) of the frame on screen, or null while it is not known. */
  programTime(): number | null;
  /** True once the stream is known to carry no program time: events then release on arrival. */
  readonly lacksProgramTime: boolean;
  /**
   * How far back (ms) the viewer can still seek: a live stream's DVR window. Null (or absent) for a
   * replay, whose whole timeline stays seekable. Events older than this are folded away.
   */
  seekableSpan?(): number | null;
}

/** Timer functions, injectable for tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const windowTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The types a live source's events are released on arrival (DESIGN.md §8.3): chat is a conversation with the
 * host, who answers what viewers wrote, and the counts are now, not a moment of the broadcast, so neither
 * waits out the stream's latency. From a recording they keep their program time, in step with the video.
 */
export const ON_ARRIVAL_TYPES: ReadonlySet<string> = new Set([
  'chat.message',
  'chat.remove',
  'reactions.update',
  'viewers.update',
  'requests.update',
  'poll.update',
  'auction.update',
  'auction.close',
  'group.update',
  'group.close',
  'show.scheduled',
]);

/** Compaction runs at most this often (program time), keeping this much beyond the seekable window. */
const COMPACT_EVERY_MS = 10_000;
const COMPACT_MARGIN_MS = 60_000;

/** The longest single wait; long waits are re-armed so a changed clock offset is picked up. */
const MAX_WAIT_MS = 60_000;

/** Holds events until the viewer's program time reaches them, then hands them over. */
export class ReleaseScheduler {
  /** The events and the state at the viewer's position. */
  readonly queue: ReleaseQueue;
  #sourceValue: ProgramTimeSource | null = null;
  #timer: unknown;
  #lastCompaction = -Infinity;

  readonly #clock: ServerClock;
  readonly #onRelease: (result: ReleaseResult) => void;
  readonly #timers: Timers;

  /**
   * @param clock the server clock: the release reference when no player is attached.
   * @param onRelease called after each sync that released events or changed the state.
   * @param onLimit hears each cap on held events or state that dropped something.
   */
  constructor(
    clock: ServerClock,
    onRelease: (result: ReleaseResult) => void,
    timers: Timers = windowTimers,
    onLimit?: (limit: QueueLimit) => void,
  ) {
    this.#clock = clock;
    this.#onRelease = onRelease;
    this.#timers = timers;
    this.queue = new ReleaseQueue(onLimit);
  }

  /** The player that tells the viewer's program time, or null. */
  get source(): ProgramTimeSource | null {
    return this.#sourceValue;
  }

  /** Attaches (or with null, detaches) the player that tells the viewer's program time. */
  setSource(source: ProgramTimeSource | null): void {
    this.#sourceValue = source;
    this.sync();
  }

  /**
   * Queues events (duplicates by id are dropped) and releases what is already due. `live`: they come from a
   * live source, so those of `ON_ARRIVAL_TYPES` take the viewer's position now as theirs (or their own `at`,
   * when it is earlier): released at once, and where a seek back or forward finds them. Until a player knows
   * its program time there is no such position, and they wait for it like every event.
   */
  add(events: readonly ShowEvent[], live = false): void {
    const now = live ? this.reference() : null;
    const place = now === null ? undefined : (event: ShowEvent, at: number) => (ON_ARRIVAL_TYPES.has(event.type) ? Math.min(at, now) : at);
    if (this.queue.addAll(events, place)) this.sync();
  }

  /**
   * The viewer's release reference now: the player's program time; Infinity (release on arrival) when
   * the stream has none; null (wait) while the player does not know it yet; the server clock when no
   * player is attached.
   */
  reference(): number | null {
    if (!this.#sourceValue) return this.#clock.now();
    const time = this.#sourceValue.programTime();
    if (time !== null) return time;
    return this.#sourceValue.lacksProgramTime ? Infinity : null;
  }

  /** Releases whatever is due now. Cheap when nothing is: call it every frame. */
  sync(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
    const reference = this.reference();
    if (reference === null) return;
    const result = this.queue.releaseUntil(reference);
    this.#compactBehind(reference);
    if (result.released.length || result.changed) this.#onRelease(result);
    // Without a player nothing calls sync() per frame: wake up when the next event is due.
    const next = this.queue.nextAt();
    if (!this.#sourceValue && next !== null) {
      this.#timer = this.#timers.set(() => this.sync(), Math.min(Math.max(next - this.#clock.now(), 0), MAX_WAIT_MS));
    }
  }

  /** Forgets events older than the live window (with a margin), every so often, so memory stays flat. */
  #compactBehind(reference: number): void {
    const span = this.#sourceValue?.seekableSpan?.();
    if (span == null || !Number.isFinite(reference) || reference - this.#lastCompaction < COMPACT_EVERY_MS) return;
    this.#lastCompaction = reference;
    this.queue.compact(reference - span - COMPACT_MARGIN_MS);
  }

  /** Stops the timer. */
  dispose(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }
}

export type {ReleaseResult, ShowEvent};
