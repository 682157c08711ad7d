/**
 * The cluster's shared records (`SharedKv`) on a JetStream key-value bucket, with the embedded map's
 * semantics (src/server/bus/memory-kv.ts): one revision counter for the bucket (the stream sequence), a
 * deleted key reads as absent, and `create`/`update` are real compare-and-sets across nodes.
 *
 * Why not the client's `kv.update(key, value, revision)`: it relies on the per-subject expected-last-sequence
 * header, which nats-server 2.9.10 (Debian's) does not serialize on a replicated stream (nats-server#4320,
 * fixed in 2.9.21): measured here, 181 of 240 concurrent stale updates were accepted. What 2.9.10 does
 * serialize is `Nats-Msg-Id` deduplication (in-flight ids included). So every write — create, update,
 * put, delete — reads the key's current entry from the stream leader and publishes the next one with the
 * id `<key>@<current revision>` (`<key>@0` for a key never written): of all the writers that follow one
 * entry, exactly one is stored; the others get a duplicate ack and look again (put, delete) or fail with
 * `BusConflictError` (create, update: the entry they expected is gone). Revisions are stream sequences,
 * unique in the bucket, so an id names one entry, and the bucket's duplicate window (2 min) is far longer
 * than a read-then-write takes (bounded at 10 s). The expected-sequence header is sent too: a second check,
 * and the only one on a server that no longer remembers the id.
 */
import {type JetStreamClient, type JetStreamManager, JetStreamApiError, JetStreamApiCodes, type StoredMsg} from '@nats-io/jetstream';
import {headers, nuid} from '@nats-io/transport-node';
import type {Logger} from '../log.js';
import {retrying} from './nats-retry.js';
import {BusConflictError, BusUnavailableError, type KvEntry, type SharedKv} from './types.js';

/** Keys NATS KV accepts, and the embedded map's (`[A-Za-z0-9_.-]+`); NATS also refuses a dot at either end. */
const KEY = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
/** How long one operation may retry through an election before `BusUnavailableError`. */
const DEADLINE_MS = 10_000;
/** The header NATS KV marks deletions with. */
const OPERATION = 'KV-Operation';
/** Our header naming the writer of a compare-and-set, so a retried write can recognise its own entry. */
const WRITER = 'Kolkit-Writer';

const encoder = new TextEncoder();

/** How long a shared record lives after its last write (SharedKv promises at least this). */
export const KV_MAX_AGE_MS = 6 * 60 * 60 * 1000;

/** The JetStream stream config of a kolkit KV bucket (what `nats kv add` makes, history 1, no direct get). */
export function kvStreamConfig(bucket: string) {
  return {
    name: kvStreamName(bucket),
    subjects: [`$KV.${bucket}.>`],
    max_msgs_per_subject: 1,
    // Records are short-lived (viewer counts, one-answer claims per period): without an age limit a crashed
    // node's keys and the delete markers (~2 a second per show with reactions) would stay for ever.
    max_age: KV_MAX_AGE_MS * 1_000_000,
    allow_rollup_hdrs: true,
    deny_delete: true,
    // Reads go to the stream leader (no direct get from a replica that may lag): read-your-writes
    // across nodes, as the embedded map gives.
    allow_direct: false,
  };
}

/** The stream behind bucket `bucket`. */
export function kvStreamName(bucket: string): string {
  return `KV_${bucket}`;
}

/** `SharedKv` over the JetStream bucket `bucket` (its stream must exist: see `kvStreamConfig`). */
export class NatsKv implements SharedKv {
  private readonly stream: string;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly bucket: string,
    private readonly log: Logger,
  ) {
    this.stream = kvStreamName(bucket);
  }

  async get(key: string): Promise<KvEntry | null> {
    const last = await this.last(key);
    return last && isValue(last) ? {value: last.string(), revision: last.seq} : null;
  }

  async create(key: string, value: string): Promise<number> {
    return this.writeNext('create', key, value, (last) => {
      if (last && isValue(last)) throw new BusConflictError(`the key ${key} exists`);
    });
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    return this.writeNext('update', key, value, (last) => {
      if (!last || !isValue(last) || last.seq !== revision) {
        throw new BusConflictError(`the key ${key} is at revision ${last && isValue(last) ? last.seq : 'none'}, not ${revision}`);
      }
    });
  }

  async put(key: string, value: string): Promise<number> {
    return this.writeNext('put', key, value, () => undefined);
  }

  async delete(key: string): Promise<void> {
    // Absent already: nothing to write, as the map does nothing.
    await this.writeNext('delete', key, '', (last) => (last && isValue(last) ? undefined : 'skip'), 'DEL');
  }

  async list(prefix: string): Promise<Map<string, KvEntry>> {
    // The bucket keeps one entry per key; ask for the subjects under the longest dotted prefix, then read
    // each key's entry from the leader (values are small and lists short: viewers per node, presence).
    const dot = prefix.lastIndexOf('.');
    const filter = `$KV.${this.bucket}.${dot >= 0 ? `${prefix.slice(0, dot + 1)}>` : '>'}`;
    const info = await retrying('kv list', () => this.jsm.streams.info(this.stream, {subjects_filter: filter}), {
      deadlineMs: DEADLINE_MS,
    });
    const keyStart = `$KV.${this.bucket}.`.length;
    const keys = Object.keys(info.state.subjects ?? {})
      .map((subject) => subject.slice(keyStart))
      .filter((key) => key.startsWith(prefix));
    const found = new Map<string, KvEntry>();
    await Promise.all(
      keys.map(async (key) => {
        const entry = await this.get(key);
        if (entry) found.set(key, entry);
      }),
    );
    return found;
  }

  /** The key's last entry (a value or a deletion marker) read from the stream leader, or null. */
  private last(key: string): Promise<StoredMsg | null> {
    checkKey(key);
    return retrying(`kv read ${key}`, () => this.lastNow(key), {deadlineMs: DEADLINE_MS});
  }

  private lastNow(key: string): Promise<StoredMsg | null> {
    return this.jsm.streams.getMessage(this.stream, {last_by_subj: `$KV.${this.bucket}.${key}`});
  }

  /**
   * Writes the entry that follows the key's current one, once (see the file's note): `check` sees the
   * current entry first and throws a `BusConflictError`, answers 'skip' (nothing to write: resolves 0), or
   * lets the write go. Losing the race to another writer means looking again.
   */
  private async writeNext(
    what: string,
    key: string,
    value: string,
    check: (last: StoredMsg | null) => 'skip' | void,
    operation?: 'DEL',
  ): Promise<number> {
    checkKey(key);
    const writer = nuid.next();
    const h = headers();
    h.set(WRITER, writer);
    if (operation) h.set(OPERATION, operation);
    const data = encoder.encode(value);
    const giveUpAt = Date.now() + DEADLINE_MS;
    return retrying(
      `kv ${what} ${key}`,
      async () => {
        for (;;) {
          const last = await this.lastNow(key);
          // An earlier attempt of this call was stored though its ack was lost (then retried): done.
          if (last && last.header?.get(WRITER) === writer) return last.seq;
          if (check(last) === 'skip') return 0;
          const current = last?.seq ?? 0;
          try {
            const ack = await this.js.publish(`$KV.${this.bucket}.${key}`, data, {
              msgID: `${key}@${current}`,
              expect: {lastSubjectSequence: current},
              headers: h,
            });
            if (!ack.duplicate) return ack.seq;
          } catch (err) {
            if (!isWrongLast(err)) throw err;
          }
          // Another writer followed the same entry first: look again (check decides whether to go on).
          if (Date.now() > giveUpAt) throw new BusUnavailableError(`kv ${what} ${key}: other writers kept getting in first`);
        }
      },
      {deadlineMs: DEADLINE_MS, onRetry: (err) => this.log.debug({err, key}, `kv ${what} retried`)},
    );
  }
}

/** A "wrong last sequence" refusal from JetStream. */
export function isWrongLast(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

function isValue(m: StoredMsg): boolean {
  const op = m.header?.get(OPERATION);
  return op !== 'DEL' && op !== 'PURGE';
}

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new TypeError(`a key is [A-Za-z0-9_.-]+ and does not begin or end with a dot, not ${JSON.stringify(key)}`);
  }
}
