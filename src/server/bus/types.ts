/**
 * The bus: where a show's log is kept and how every node hears it (DESIGN.md §8.1). Two implementations
 * share this contract — `embedded` (one process: files under `--data`) and `nats` (a NATS JetStream
 * cluster) — so the HTTP edge, the show logs and the formats above it are one code path.
 */
import type {ShowEvent} from '../../core/schema.js';

/** One entry of a show's log: the stamped event and its sequence. */
export interface LoggedEvent {
  /**
   * The entry's position: increasing within a show (not necessarily contiguous: in cluster mode it is the
   * stream's sequence), > 0. It is the SSE `id:` viewers resume from with `Last-Event-ID`.
   */
  seq: number;
  /** The stamped event as validated by the SDK's schema (without `sentAt`, which is added per send). */
  event: ShowEvent;
}

/** Options of one append. */
export interface AppendOptions {
  /**
   * Optimistic concurrency: append only if the show's last sequence is still this (0: the show's log is
   * empty). Otherwise the append rejects with a `BusConflictError` and nothing is stored.
   */
  expectedLastSeq?: number;
}

/** A small shared record with a revision, for what needs one answer across nodes (compare-and-set). */
export interface KvEntry {
  value: string;
  revision: number;
}

/**
 * Compare-and-set records shared by every node (NATS KV in cluster mode, a map in embedded mode). A record
 * lives at least 6 hours after its last write (cluster mode forgets it then); keep nothing here that must
 * outlive a show: the log is the record of a show.
 */
export interface SharedKv {
  /** The record at `key`, or null. Keys: `[A-Za-z0-9_.-]+`. */
  get(key: string): Promise<KvEntry | null>;
  /** Creates `key`; rejects with `BusConflictError` when it exists. Answers the new revision. */
  create(key: string, value: string): Promise<number>;
  /** Replaces `key` if its revision is still `revision`; else rejects with `BusConflictError`. */
  update(key: string, value: string, revision: number): Promise<number>;
  /** Sets `key` whatever it held. */
  put(key: string, value: string): Promise<number>;
  /** Removes `key` (no error when absent). */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, with its record. */
  list(prefix: string): Promise<Map<string, KvEntry>>;
}

/** The show log and fan-out shared by every node. */
export interface ShowBus {
  /** `embedded` or `cluster`, as `GET /v1/health` reports it. */
  readonly mode: 'embedded' | 'cluster';
  /** Shared compare-and-set records. */
  readonly kv: SharedKv;
  /**
   * Appends a stamped event to `show`'s log, durably (fsync'd in embedded mode; acknowledged by the
   * stream's replicas in cluster mode) before it resolves. The event's `id` deduplicates: appending an id
   * already in the log stores nothing and answers the first entry. Rejects with `BusUnavailableError` when
   * the log cannot be written (a full disk, NATS unreachable), with `BusConflictError` per `expectedLastSeq`.
   */
  append(show: string, event: ShowEvent, options?: AppendOptions): Promise<LoggedEvent>;
  /** `show`'s entries after `afterSeq` (default 0: all), oldest first. Rejects with `BusUnavailableError`. */
  read(show: string, afterSeq?: number): Promise<LoggedEvent[]>;
  /**
   * Hears every entry appended to `show` by any node from now on (after `afterSeq` when given, so a
   * caller that has read up to it misses nothing and gets nothing twice), in log order. Returns the stop.
   */
  follow(show: string, onEntry: (entry: LoggedEvent) => void, afterSeq?: number): () => void;
  /** True while the bus can take writes (`GET /v1/health` answers 503 otherwise). */
  healthy(): boolean;
  /** Stops following, flushes and closes. */
  close(): Promise<void>;
}

/** The log cannot be read or written now (disk full, NATS down): the HTTP edge answers 503. */
export class BusUnavailableError extends Error {
  override name = 'BusUnavailableError';
}

/** A compare-and-set or an expected sequence no longer matched: someone else wrote first. */
export class BusConflictError extends Error {
  override name = 'BusConflictError';
}

/** Show ids the server accepts: they name files and NATS subjects (one pattern with the SDK's, core/ids.ts). */
export {SHOW_ID} from '../../core/ids.js';
