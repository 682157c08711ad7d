/**
 * The contracts between the show server's parts: the HTTP edge (src/server/http/) asks the show logs
 * (src/server/show-log.ts) for what to send and what to store; the logs sit on a bus (src/server/bus/).
 */
import type {ShowEvent, ShowState} from '../core/schema.js';
import type {LoggedEvent} from './bus/types.js';

/** A refusal the HTTP edge turns into a JSON error: `{"error": code, "message": message, ...details}`. */
export class ShowInputError extends Error {
  override name = 'ShowInputError';
  /**
   * @param status the HTTP status (400 a bad field, 409, 410, 413, 422, 429…)
   * @param code a short machine-readable reason (`bad-field`, `too-low`, `rate-limited`…)
   * @param details extra JSON fields (e.g. `{field: 'price'}`, `{minimum: '23.00'}`)
   */
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

/** Who sent a viewer action (src/server/auth.ts). */
export interface ViewerIdentity {
  /** The anonymous `X-Kol-Viewer` id, or `customer:<sub>` for a customer. */
  id: string;
  /** The display name: a customer token's `name`, else what the viewer gave. */
  name?: string;
  /** A customer named by a viewer token the merchant signed. */
  customer: boolean;
}

/** A viewer (or host) connection receiving a show's events: catch-up first, then live, each entry once. */
export type EntryListener = (entry: LoggedEvent) => void;

/** Hears a show's state after a change on this node (`ShowLogs.watch`). */
export type StateListener = (show: string, state: ShowState) => void;

/** Options of `ShowLogs.hostEvent`. */
export interface HostEventOptions {
  /**
   * The host's `Idempotency-Key` (already checked against `IDEMPOTENCY_KEY`): posts with the same key to
   * the same show store one event (for ever in embedded mode; within the NATS stream's 5-minute duplicate
   * window in cluster mode).
   */
  idempotencyKey?: string;
}

/** What `ShowLogs.hostEvent` answers: the stored entry, and whether it was stored by an earlier post. */
export interface HostEventEntry extends LoggedEvent {
  /** True when an earlier post with the same idempotency key stored this entry (nothing new was stored). */
  replayed?: boolean;
}

/** Every show's log as this node sees it: stamping, storing, catching up, reducing. */
export interface ShowLogs {
  /**
   * Stamps a host event (the body of `POST /v1/shows/{show}/events`: an event without `v`, `id`, `at`;
   * `deal.start` may give `durationSeconds`; prices may be decimal strings) with `v`, a fresh `id` and `at` =
   * the server clock now, validates it with the SDK's schema and appends it. Rejects with a
   * `ShowInputError` (400, naming the field) for a bad body, `BusUnavailableError` when it cannot be stored.
   * With `options.idempotencyKey` the id is derived from (show, key) instead (host-event.ts
   * `idempotentEventId`): a repeat stores nothing and answers the first entry, with `replayed: true`.
   */
  hostEvent(show: string, body: unknown, options?: HostEventOptions): Promise<HostEventEntry>;
  /** Stamps and appends an event the server itself makes (`chat.message`, `viewers.update`, `reactions.update`). */
  serverEvent(show: string, fields: {type: string} & Record<string, unknown>): Promise<LoggedEvent>;
  /**
   * Joins `show`'s stream: calls `listener` with the catch-up — after `lastEventId` when that is still in
   * the log, else a `show.snapshot` of the older state followed by the recent events raw (so the SDK can
   * still time-align them) — then with every new entry, with no gap and nothing twice. Resolves with the leave.
   */
  join(show: string, lastEventId: number | null, listener: EntryListener): Promise<() => void>;
  /**
   * The reduced state (the SDK's reducer) after every entry this node has; with `fresh`, after reading
   * what the log has beyond that first (in a cluster this node's follower may lag another node's append).
   */
  state(show: string, options?: {fresh?: boolean}): Promise<ShowState>;
  /**
   * Calls `listener` with a show's state whenever this node's view of it changes (read at first use, or an
   * entry arrived): what runs on show time (polls closing, giveaways drawn at `endsAt`) learns of them here,
   * on every node holding the show. Answers the stop.
   */
  watch(listener: StateListener): () => void;
  /** Every event of the show, oldest first (the SDK's recorded-timeline source). */
  timeline(show: string): Promise<ShowEvent[]>;
}
