/**
 * The cluster's shared records (`SharedKv`) on a JetStream key-value bucket, with the embedded map's
 * semantics (src/server/bus/memory-kv.ts): one revision counter for the bucket (the stream sequence), a
 * deleted key reads as absent, and `create`/`update` are real compare-and-sets across nodes.
 *
 * Why not the client's `kv.update(key, value, revision)`: it relies on the per-subject expected-last-sequence
 * header, which nats-server 2.9.10 (Debian's) does not serialize on a replicated stream (nats-server#4320,
 * fixed in 2.9.21): measured here, 181 of 240 concurrent stale updates were accepted. What 2.9.10 does
 * serialize is `Nats-Msg-Id` deduplication, so an update from revision r carries the id `<key>@<r>`: of
 * all the writers that read revision r, exactly one is stored and the others get a duplicate ack
 * (→ `BusConflictError`). Revisions are stream sequences, unique in the bucket, so the id names one
 * entry; the duplicate window (2 min) is far longer than a read-then-write takes (bounded at 10 s). The
 * expected-sequence header is still sent (it refuses an update from an older revision that is no longer
 * in the window, and on a fixed server it is a second check), and the current revision is read from the
 * stream leader first, so a stale update fails without writing. `create` on a key that never existed
 * uses expected-sequence 0, which 2.9.10 checks when the entry is applied (measured: 10 keys × 12
 * creators → 10 created); over a deletion marker it takes the same `<key>@<r>` path as `update`.
 */
import {type JetStreamClient, type JetStreamManager, JetStreamApiError, JetStreamApiCodes, type StoredMsg} from '@nats-io/jetstream';
import {headers, nuid} from '@nats-io/transport-node';
import type {Logger} from '../log.js';
import {retrying} from './nats-retry.js';
import {BusConflictError, type KvEntry, type SharedKv} from './types.js';

/** Keys NATS KV accepts, and the embedded map's (`[A-Za-z0-9_.-]+`); NATS also refuses a dot at either end. */
const KEY = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
/** How long one operation may retry through an election before `BusUnavailableError`. */
const DEADLINE_MS = 10_000;
/** The header NATS KV marks deletions with. */
const OPERATION = 'KV-Operation';
/** Our header naming the writer of a compare-and-set, so a retried write can recognise its own entry. */
const WRITER = 'Kolkit-Writer';

const encoder = new TextEncoder();

/** The JetStream stream config of a kolkit KV bucket (what `nats kv add` makes, history 1, no direct get). */
export function kvStreamConfig(bucket: string) {
  return {
    name: kvStreamName(bucket),
    subjects: [`$KV.${bucket}.>`],
    max_msgs_per_subject: 1,
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
    checkKey(key);
    const writer = nuid.next();
    const h = headers();
    h.set(WRITER, writer);
    try {
      return await this.write('create', key, value, {expect: {lastSubjectSequence: 0}, headers: h});
    } catch (err) {
      if (!isWrongLast(err)) throw err;
    }
    const last = await this.last(key);
    // A retried create whose first attempt was stored (its ack lost) finds its own entry.
    if (last?.header?.get(WRITER) === writer) return last.seq;
    if (!last || isValue(last)) throw new BusConflictError(`the key ${key} exists`);
    return this.swap(key, value, last.seq); // over a deletion marker
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    const last = await this.last(key);
    if (!last || !isValue(last) || last.seq !== revision) {
      throw new BusConflictError(`the key ${key} is at revision ${last && isValue(last) ? last.seq : 'none'}, not ${revision}`);
    }
    return this.swap(key, value, revision);
  }

  async put(key: string, value: string): Promise<number> {
    checkKey(key);
    return this.write('put', key, value, {});
  }

  async delete(key: string): Promise<void> {
    const last = await this.last(key);
    if (!last || !isValue(last)) return; // absent already: no marker, as the map does nothing
    const h = headers();
    h.set(OPERATION, 'DEL');
    await this.write('delete', key, '', {headers: h});
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
    return retrying(
      `kv read ${key}`,
      () => this.jsm.streams.getMessage(this.stream, {last_by_subj: `$KV.${this.bucket}.${key}`}),
      {deadlineMs: DEADLINE_MS},
    );
  }

  /** Replaces the key's entry at `revision`, once across every writer that read it (see the file's note). */
  private async swap(key: string, value: string, revision: number): Promise<number> {
    const writer = nuid.next();
    const h = headers();
    h.set(WRITER, writer);
    const conflict = () => new BusConflictError(`the key ${key} changed after revision ${revision}`);
    const ours = async (seq?: number) => {
      const stored = seq
        ? await this.jsm.streams.getMessage(this.stream, {seq})
        : await this.jsm.streams.getMessage(this.stream, {last_by_subj: `$KV.${this.bucket}.${key}`});
      return stored?.header?.get(WRITER) === writer ? stored.seq : null;
    };
    return retrying(
      `kv update ${key}`,
      async (attempt) => {
        try {
          const ack = await this.js.publish(`$KV.${this.bucket}.${key}`, encoder.encode(value), {
            msgID: `${key}@${revision}`,
            expect: {lastSubjectSequence: revision},
            headers: h,
          });
          if (!ack.duplicate) return ack.seq;
          // The id was taken: another writer updated from this revision first — unless the taker is this
          // call's own earlier attempt, stored although its ack was lost.
          const own = attempt > 1 ? await ours(ack.seq) : null;
          if (own !== null) return own;
          throw conflict();
        } catch (err) {
          if (!isWrongLast(err)) throw err;
          const own = attempt > 1 ? await ours() : null;
          if (own !== null) return own;
          throw conflict();
        }
      },
      {deadlineMs: DEADLINE_MS, onRetry: (err) => this.log.debug({err, key}, 'kv update retried')},
    );
  }

  /** Publishes one entry, retried through elections; a failed expectation is a `BusConflictError`. */
  private async write(
    what: string,
    key: string,
    value: string,
    options: {expect?: {lastSubjectSequence: number}; headers?: ReturnType<typeof headers>},
  ): Promise<number> {
    return retrying(
      `kv ${what} ${key}`,
      async () => (await this.js.publish(`$KV.${this.bucket}.${key}`, encoder.encode(value), options)).seq,
      {deadlineMs: DEADLINE_MS},
    ).catch((err) => {
      if (isWrongLast(err) && what !== 'create') throw new BusConflictError(`the key ${key} changed`);
      throw err;
    });
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
