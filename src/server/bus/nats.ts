/**
 * The cluster bus (DESIGN.md §8.1, `kolkit serve --nats`): every show's log in one JetStream stream on
 * a nats-server cluster, shared records in a JetStream KV bucket. Any node appends, reads and follows any
 * show; nodes keep no state of their own, so one can die and viewers resume on another with
 * `Last-Event-ID` (the stream sequence).
 *
 * The events stream and its limits (30 days, 256 KiB an entry, a 5-minute duplicate window, 3 replicas)
 * are nats-stream.ts's, opening the connection nats-connect.ts's, health nats-health.ts's; this module
 * wires them into a bus and does its appends, reads and follows.
 *
 * Measured on nats-server 2.9.10 (Debian's; /tmp/kol/nats-research.md): a stream leader's death pauses
 * writes 4–6 s ("no responders"), so appends retry with the same message id for up to 15 s before
 * `BusUnavailableError`; a consumer whose server dies can stall 19–30 s, so followers run a watchdog
 * (nats-follow.ts); per-subject expected-last-sequence is not serialized on a replicated stream
 * (nats-server#4320), so neither `expectedLastSeq` nor the KV compare-and-set rely on it (see
 * `appendExpecting` and nats-kv.ts).
 */
import type {NatsConnection} from '@nats-io/transport-node';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StoredMsg,
} from '@nats-io/jetstream';
import {pino} from 'pino';
import type {ShowEvent} from '../../core/schema.js';
import type {Logger} from '../log.js';
import {credentialsKind, natsConnectionOf, redactUrl, type NatsCredentials} from './nats-auth.js';
import {connectNats} from './nats-connect.js';
import {followSubject} from './nats-follow.js';
import {NatsHealth} from './nats-health.js';
import {NatsKv, isWrongLast, kvStreamConfig} from './nats-kv.js';
import {describe, retrying} from './nats-retry.js';
import {MAX_ENTRY_BYTES, ensureStream, eventsStreamConfig, showSubject} from './nats-stream.js';
import {
  BusConflictError,
  BusUnavailableError,
  SHOW_ID,
  type AppendOptions,
  type LoggedEvent,
  type SharedKv,
  type ShowBus,
} from './types.js';

/** Options of `createNatsBus`. */
export interface NatsBusOptions {
  /**
   * NATS server URLs (`nats://host:4222`, …): any of the cluster's servers; the client learns the rest. A
   * URL may carry credentials (`nats://user:pass@host:4222`, `nats://token@host:4222`, percent-encoded).
   */
  servers: string[];
  /** Credentials (e.g. from `natsCredentialsFromEnv`); not together with credentials in `servers`. */
  credentials?: NatsCredentials | null;
  /** This node's name (NATS connection name, logs). */
  node: string;
  log?: Logger;
  /** The events stream's name (`KOLKIT`); the KV bucket is `<name>_kv` in lower case. */
  streamName?: string;
}

/** How long an append or a read may retry through a leader election before `BusUnavailableError`. */
const WRITE_DEADLINE_MS = 15_000;
const READ_DEADLINE_MS = 15_000;

const encoder = new TextEncoder();

/**
 * Connects to the NATS cluster at `servers`, makes sure the events stream and the KV bucket exist (3
 * replicas, or as many servers as the cluster has), and answers the bus. Rejects with
 * `BusUnavailableError` when NATS cannot be reached or has no JetStream.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<ShowBus> {
  const log = (options.log ?? pino({level: 'silent'})).child({bus: 'nats'});
  const streamName = options.streamName ?? 'KOLKIT';
  // Credentials leave the URLs here: the client ignores them there, and the URLs get printed.
  const {servers, credentials} = natsConnectionOf(options.servers, options.credentials ?? null);
  const nc = await connectNats(servers, credentials, options.node);
  try {
    const jsm = await jetstreamManager(nc, {timeout: 5000});
    const js = jetstream(nc, {timeout: 5000});
    const replicas = await ensureStream(jsm, log, eventsStreamConfig(streamName), 3);
    const bucket = `${streamName.toLowerCase()}_kv`;
    await ensureStream(jsm, log, kvStreamConfig(bucket), replicas);
    const auth = credentialsKind(credentials);
    log.info({servers: servers.map(redactUrl), auth, stream: streamName, replicas, bucket}, 'nats bus ready');
    return new NatsBus(nc, js, jsm, streamName, new NatsKv(js, jsm, bucket, log), log);
  } catch (err) {
    await nc.close().catch(() => undefined);
    if (err instanceof BusUnavailableError) throw err;
    throw new BusUnavailableError(`NATS JetStream is not usable at ${servers.map(redactUrl).join(', ')}: ${describe(err)}`, {
      cause: err,
    });
  }
}

/** `ShowBus` over one JetStream stream (see the file's note). */
class NatsBus implements ShowBus {
  readonly mode = 'cluster' as const;
  private closed = false;
  private readonly stops = new Set<() => void>();
  private readonly health: NatsHealth;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    readonly kv: SharedKv,
    private readonly log: Logger,
  ) {
    this.health = new NatsHealth(nc, jsm, log);
  }

  async append(show: string, event: ShowEvent, options: AppendOptions = {}): Promise<LoggedEvent> {
    checkShow(show);
    const data = encoder.encode(JSON.stringify(event));
    if (data.length > MAX_ENTRY_BYTES) throw new RangeError(`an event is at most ${MAX_ENTRY_BYTES} bytes, not ${data.length}`);
    if (options.expectedLastSeq !== undefined) return this.appendExpecting(show, event, data, options.expectedLastSeq);
    const ack = await this.writing(`append to ${show}`, () =>
      this.js.publish(showSubject(show), data, {msgID: event.id}),
    );
    return ack.duplicate ? this.entryAt(ack.seq) : {seq: ack.seq, event};
  }

  /**
   * `expectedLastSeq` without the per-subject header, which 2.9.10 does not serialize on R3: read the
   * stream's last sequence S, then the show's last; if the show's last is not the expected one, conflict;
   * else publish expecting the *stream's* last to still be S (stream-wide expectations are serialized,
   * measured: 30 trials × 12 writers → one winner each). An append to any show in between makes that
   * fail: look again, until the deadline. So it is correct, but contended by every show's writes: fine
   * for rare decisions, not for a hot path (see the reply on issue 14: bids go through the log).
   */
  private async appendExpecting(show: string, event: ShowEvent, data: Uint8Array, expected: number): Promise<LoggedEvent> {
    const subject = showSubject(show);
    return this.writing(`append to ${show} at ${expected}`, async () => {
      for (const giveUpAt = Date.now() + WRITE_DEADLINE_MS; ; ) {
        if (Date.now() > giveUpAt) {
          throw new BusUnavailableError(`append to ${show} at ${expected}: other shows' appends kept getting in first`);
        }
        const streamLast = (await this.jsm.streams.info(this.stream)).state.last_seq;
        const showLast = await this.jsm.streams.getMessage(this.stream, {last_by_subj: subject});
        if ((showLast?.seq ?? 0) !== expected) {
          const entry = showLast && toEntry(showLast);
          if (entry?.event.id === event.id) return entry; // our own earlier attempt, its ack lost
          throw new BusConflictError(`the show ${show} is at ${showLast?.seq ?? 0}, not ${expected}`);
        }
        try {
          const ack = await this.js.publish(subject, data, {msgID: event.id, expect: {lastSequence: streamLast}});
          return ack.duplicate ? await this.entryAt(ack.seq) : {seq: ack.seq, event};
        } catch (err) {
          if (!isWrongLast(err)) throw err; // another show's entry came in between: look again
        }
      }
    });
  }

  async read(show: string, afterSeq = 0): Promise<LoggedEvent[]> {
    checkShow(show);
    const subject = showSubject(show);
    return this.reading(`read ${show}`, async () => {
      const last = await this.jsm.streams.getMessage(this.stream, {last_by_subj: subject});
      if (!last || last.seq <= afterSeq) return [];
      const consumer = await this.js.consumers.get(this.stream, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: afterSeq + 1,
      });
      const messages = await consumer.consume({expires: 5000});
      const entries: LoggedEvent[] = [];
      const timer = setTimeout(() => messages.stop(), READ_DEADLINE_MS);
      try {
        for await (const m of messages) {
          const entry = toEntry(m);
          if (entry) entries.push(entry);
          if (m.seq >= last.seq) break;
        }
      } finally {
        clearTimeout(timer);
        messages.stop();
      }
      if ((entries.at(-1)?.seq ?? 0) < last.seq) {
        throw new BusUnavailableError(`read ${show}: the stream did not deliver up to ${last.seq} in ${READ_DEADLINE_MS} ms`);
      }
      return entries;
    });
  }

  /**
   * Without `afterSeq`, "from now on" starts at the stream's last sequence when the first consumer is
   * made (a few ms after the call); pass the last sequence read to be exact, as ShowLogs does.
   */
  follow(show: string, onEntry: (entry: LoggedEvent) => void, afterSeq?: number): () => void {
    checkShow(show);
    const stop = followSubject({
      js: this.js,
      jsm: this.jsm,
      stream: this.stream,
      subject: showSubject(show),
      afterSeq,
      log: this.log,
      onMessage: (m) => {
        const entry = toEntry(m, this.log);
        if (entry) onEntry(entry);
      },
    });
    const stopOnce = () => {
      if (this.stops.delete(stopOnce)) stop();
    };
    this.stops.add(stopOnce);
    return stopOnce;
  }

  healthy(): boolean {
    return !this.closed && this.health.ok;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.health.stop();
    for (const stop of [...this.stops]) stop();
    // Drain lets in-flight requests finish; a cluster that is down would keep it waiting, so bound it.
    const drained = this.nc.drain().catch(() => undefined);
    const timeout = new Promise((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([drained, timeout]);
    if (!this.nc.isClosed()) await this.nc.close().catch(() => undefined);
  }

  /** The entry at stream sequence `seq` (the first one stored under a duplicated id). */
  private async entryAt(seq: number): Promise<LoggedEvent> {
    const stored = await this.reading(`read entry ${seq}`, () => this.jsm.streams.getMessage(this.stream, {seq}));
    const entry = stored && toEntry(stored, this.log);
    if (!entry) throw new BusUnavailableError(`the entry ${seq} cannot be read back`);
    return entry;
  }

  private writing<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    return this.bounded(what, attempt, WRITE_DEADLINE_MS);
  }

  private reading<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    return this.bounded(what, attempt, READ_DEADLINE_MS);
  }

  /** Retries through elections; a give-up marks JetStream as not answering until the next good probe. */
  private async bounded<T>(what: string, attempt: () => Promise<T>, deadlineMs: number): Promise<T> {
    try {
      const result = await retrying(what, attempt, {
        deadlineMs,
        stopped: () => this.closed,
        onRetry: (err, n) => {
          if (n === 1) this.log.warn({err: describe(err)}, `${what}: NATS is not answering; retrying`);
        },
      });
      this.health.jetStream(true);
      return result;
    } catch (err) {
      if (err instanceof BusUnavailableError) this.health.jetStream(false);
      throw err;
    }
  }
}

/** The logged entry a stream message holds; null (logged) when it is not JSON. */
function toEntry(m: JsMsg | StoredMsg, log?: Logger): LoggedEvent | null {
  try {
    return {seq: m.seq, event: JSON.parse(m.string()) as ShowEvent};
  } catch (err) {
    log?.error({seq: m.seq, err}, 'a stream entry is not JSON; skipped');
    return null;
  }
}

function checkShow(show: string): void {
  if (!SHOW_ID.test(show)) throw new TypeError(`a show id is ${SHOW_ID.source}, not ${JSON.stringify(show)}`);
}
