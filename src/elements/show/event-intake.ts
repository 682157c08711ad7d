/**
 * The door of the show's events: what a source hands over is validated against the schema, its `sentAt`
 * feeds the server clock, and what is wrong — a malformed event, a clock sample no plausible clock would
 * give, a cap that dropped something — is reported once each, so a flood of the same bad input (an event
 * re-sent on every reconnect) gives the page one `kol-error`, not one per copy.
 */
import type {ClockSampleSource, ServerClock} from '../../core/clock.js';
import type {ReportFailure} from '../../core/errors.js';
import {parseShowEvent, type ShowEvent} from '../../core/schema.js';
import {ReportedOnce} from '../../core/once.js';
import {MAX_DEALS, MAX_LINEUP, MAX_STOCK} from '../../core/state.js';
import {MAX_HELD_EVENTS, type QueueLimit} from '../../core/release-queue.js';

/** What a page is told when a cap drops something (the caps are documented in docs/design.md §3). */
const SHOW_LIMIT_MESSAGES: Record<QueueLimit, string> = {
  events: `The show holds at most ${MAX_HELD_EVENTS} events: the oldest it released are folded away (seeking back before them shows the state then); new ones are dropped only while all are still ahead.`,
  deals: `The show holds at most ${MAX_DEALS} deals and none has ended to make room: a new deal was dropped.`,
  stock: `The show tracks stock for at most ${MAX_STOCK} products: a figure for another product was dropped.`,
  lineup: `The show's lineup lists at most ${MAX_LINEUP} products: a further product is not listed.`,
};

/** Validates the show's input and reports each distinct problem with it once. */
export class EventIntake {
  /** Bad events and caps already reported. */
  readonly #reported = new ReportedOnce();
  /** True while the clock is refusing samples: one kol-error per such run, not one per event. */
  #clockSkewReported = false;

  readonly #clock: ServerClock;
  readonly #fail: ReportFailure;

  constructor(clock: ServerClock, fail: ReportFailure) {
    this.#clock = clock;
    this.#fail = fail;
  }

  /** The valid events among `input` (one event or an array); the rest is reported and dropped. */
  accept(input: unknown): ShowEvent[] {
    const events: ShowEvent[] = [];
    for (const raw of Array.isArray(input) ? input : [input]) {
      const result = parseShowEvent(raw);
      if (result.kind === 'event') {
        if (result.event.sentAt) this.sampleClock(Date.parse(result.event.sentAt), result.event.id);
        events.push(result.event);
      } else if (result.kind === 'invalid') {
        this.badEvent(raw, result.message);
      }
    }
    return events;
  }

  /** One `bad-event` per distinct bad event (by id, else by what is wrong), without its payload. */
  badEvent(raw: unknown, problem: string): void {
    const rawId = raw && typeof raw === 'object' ? (raw as {id?: unknown}).id : undefined;
    const id = typeof rawId === 'string' && rawId ? rawId.slice(0, 64) : null;
    if (!this.#reported.first(id === null ? `problem:${problem}` : `id:${id}`)) return;
    this.#fail('bad-event', `A show event${id === null ? '' : ` (id "${id}")`} was dropped: ${problem}.`, id === null ? undefined : {id});
  }

  /** Feeds the server clock; a refused sample (a `sentAt` far from any plausible clock) is reported once per run. */
  sampleClock(serverTime: number, eventId?: string, receivedAt?: number, source?: ClockSampleSource): void {
    if (this.#clock.sample(serverTime, receivedAt, source)) {
      this.#clockSkewReported = false;
      return;
    }
    if (this.#clockSkewReported) return;
    this.#clockSkewReported = true;
    const what = eventId ? `The sentAt of event "${eventId.slice(0, 64)}"` : 'The server\'s Date header';
    const when = Number.isFinite(serverTime) ? new Date(serverTime).toISOString() : String(serverTime);
    this.#fail('clock-skew', `${what} (${when}) is too far from this device's clock and the server's to be trusted; countdowns keep the clock they had.`);
  }

  /** One `show-limit` per cap, the first time it drops something. */
  limit(limit: QueueLimit): void {
    if (this.#reported.first(`limit:${limit}`)) this.#fail('show-limit', SHOW_LIMIT_MESSAGES[limit]);
  }
}
