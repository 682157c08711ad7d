/**
 * The cluster bus (DESIGN.md §8.1, `kolkit serve --nats`): every show's log in one JetStream stream on
 * a nats-server cluster, shared records in a JetStream KV bucket. Any node appends, reads and follows any
 * show; nodes keep no state of their own, so one can die and viewers resume on another with
 * `Last-Event-ID` (the stream sequence).
 *
 * The stream (`KOLKIT` by default), created or brought up to date by whichever node starts first:
 * - subjects `kolkit.show.<show>.events`, file storage, 3 replicas (fewer only when the cluster has fewer
 *   servers, logged as a warning);
 * - a 5-minute duplicate window: an event appended twice (same id, e.g. a retry after a lost ack) within
 *   it is stored once, and the second append answers the first entry. After the window NATS no longer
 *   remembers the id and would store it again; that is far longer than an append retries (15 s), and
 *   event ids are stamped per request by the server, so only a caller re-sending an old event by hand
 *   could meet it (the embedded bus remembers ids for ever: the one difference between the two);
 * - limits: entries older than 30 days are dropped (a show's replay is meant for weeks, not forever), an
 *   entry is at most 256 KiB (the HTTP edge refuses bodies over 64 KiB), and the stream is otherwise
 *   bounded by each server's `max_file_store`.
 *
 * Measured on nats-server 2.9.10 (Debian's; /tmp/kol/nats-research.md): a stream leader's death pauses
 * writes 4–6 s ("no responders"), so appends retry with the same message id for up to 15 s before
 * `BusUnavailableError`; a consumer whose server dies can stall 19–30 s, so followers run a watchdog
 * (nats-follow.ts); per-subject expected-last-sequence is not serialized on a replicated stream
 * (nats-server#4320), so neither `expectedLastSeq` nor the KV compare-and-set rely on it (see
 * `appendExpecting` and nats-kv.ts).
 */
import {readFile} from 'node:fs/promises';
import {connect, credsAuthenticator, nanos, type NatsConnection, type NodeConnectionOptions} from '@nats-io/transport-node';
import {
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StoredMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import {pino} from 'pino';
import type {ShowEvent} from '../../core/schema.js';
import type {Logger} from '../log.js';
import {credentialsKind, NatsConfigError, natsConnectionOf, redactUrl, type NatsCredentials} from './nats-auth.js';
import {followSubject} from './nats-follow.js';
import {NatsKv, isWrongLast, kvStreamConfig} from './nats-kv.js';
import {describe, isTransient, retrying} from './nats-retry.js';
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
/** The stream's duplicate window: an event id is deduplicated for this long. */
const DUPLICATE_WINDOW_MS = 5 * 60_000;
const MAX_AGE_MS = 30 * 24 * 3600_000;
const MAX_ENTRY_BYTES = 256 * 1024;
/** How often health is probed (a cheap JetStream request). */
const PROBE_EVERY_MS = 2000;

const encoder = new TextEncoder();

/** The subject of `show`'s events. */
export function showSubject(show: string): string {
  return `kolkit.show.${show}.events`;
}

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
  const shown = servers.map(redactUrl).join(', ');
  const auth = credentialsKind(credentials);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      ...(await authOptions(credentials)),
      name: `kolkit-${options.node}`,
      maxReconnectAttempts: -1, // a node outlives NATS outages: it answers 503 and comes back
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      maxPingOut: 2,
    });
  } catch (err) {
    if (err instanceof NatsConfigError) throw err;
    throw new BusUnavailableError(`cannot connect to NATS at ${shown} (credentials: ${auth}): ${describe(err)}`, {cause: err});
  }
  try {
    const jsm = await jetstreamManager(nc, {timeout: 5000});
    const js = jetstream(nc, {timeout: 5000});
    const replicas = await ensureStream(jsm, log, eventsStreamConfig(streamName), 3);
    const bucket = `${streamName.toLowerCase()}_kv`;
    await ensureStream(jsm, log, kvStreamConfig(bucket), replicas);
    log.info({servers: servers.map(redactUrl), auth, stream: streamName, replicas, bucket}, 'nats bus ready');
    return new NatsBus(nc, js, jsm, streamName, new NatsKv(js, jsm, bucket, log), log);
  } catch (err) {
    await nc.close().catch(() => undefined);
    if (err instanceof BusUnavailableError) throw err;
    throw new BusUnavailableError(`NATS JetStream is not usable at ${shown}: ${describe(err)}`, {
      cause: err,
    });
  }
}

/** The NATS client's options for `credentials` (a creds file is read now). */
async function authOptions(credentials: NatsCredentials | null): Promise<Partial<NodeConnectionOptions>> {
  if (!credentials) return {};
  if ('token' in credentials) return {token: credentials.token};
  if ('user' in credentials) return {user: credentials.user, pass: credentials.pass};
  try {
    return {authenticator: credsAuthenticator(await readFile(credentials.credsFile))};
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new NatsConfigError(`The NATS creds file ${credentials.credsFile} cannot be read: ${reason}`);
  }
}

/** The events stream's configuration (see the file's note for the limits). */
function eventsStreamConfig(name: string): Partial<StreamConfig> & {name: string} {
  return {
    name,
    subjects: [showSubject('*')],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(MAX_AGE_MS),
    max_msg_size: MAX_ENTRY_BYTES,
    allow_direct: false,
  };
}

/**
 * Creates the stream, or updates an existing one whose settings differ (keeping its replicas); two nodes
 * starting together may both try, which is harmless. Answers the stream's replica count. A cluster with
 * fewer servers than `replicas` gets as many replicas as it has (a warning says so).
 */
async function ensureStream(
  jsm: JetStreamManager,
  log: Logger,
  config: Partial<StreamConfig> & {name: string},
  replicas: number,
): Promise<number> {
  return retrying(
    `set up the stream ${config.name}`,
    async () => {
      const existing = await jsm.streams.info(config.name).catch((err) => {
        if (err instanceof JetStreamApiError && err.code === 10059) return null; // stream not found
        throw err;
      });
      if (existing) {
        const differs = (Object.keys(config) as (keyof StreamConfig)[]).some(
          (key) => JSON.stringify(existing.config[key]) !== JSON.stringify(config[key]),
        );
        if (differs) {
          await jsm.streams.update(config.name, {...existing.config, ...config, num_replicas: existing.config.num_replicas});
          log.info({stream: config.name}, 'stream settings updated');
        }
        return existing.config.num_replicas;
      }
      for (let n = replicas; ; n--) {
        try {
          await jsm.streams.add({...config, num_replicas: n});
          if (n < 3) {
            log.warn(
              {stream: config.name, replicas: n},
              `the NATS cluster has fewer than 3 JetStream servers: the stream keeps ${n} cop${n === 1 ? 'y' : 'ies'}`,
            );
          }
          return n;
        } catch (err) {
          const message = err instanceof Error ? err.message : '';
          if (n > 1 && /replicas > 1 not supported|insufficient resources|no suitable peers/i.test(message)) continue;
          if (/already in use/i.test(message)) throw Object.assign(new Error('created by another node'), {retry: true});
          throw err;
        }
      }
    },
    {deadlineMs: 30_000},
  ).catch(async (err) => {
    // Another node created it between our look and our add: look again.
    if ((err as {retry?: boolean}).retry) return (await jsm.streams.info(config.name)).config.num_replicas;
    throw err;
  });
}

/** `ShowBus` over one JetStream stream (see the file's note). */
class NatsBus implements ShowBus {
  readonly mode = 'cluster' as const;
  private connected = true;
  private jetStreamAnswers = true;
  private closed = false;
  private readonly stops = new Set<() => void>();
  private readonly probe: ReturnType<typeof setInterval>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    readonly kv: SharedKv,
    private readonly log: Logger,
  ) {
    void this.watchStatus();
    let probing = false;
    this.probe = setInterval(() => {
      if (probing || this.closed) return;
      probing = true;
      this.jsm
        .getAccountInfo()
        .then(() => this.setJetStream(true))
        .catch((err) => this.setJetStream(!isTransient(err)))
        .finally(() => (probing = false));
    }, PROBE_EVERY_MS);
    this.probe.unref();
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
    return !this.closed && this.connected && this.jetStreamAnswers && !this.nc.isClosed();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.probe);
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
      this.setJetStream(true);
      return result;
    } catch (err) {
      if (err instanceof BusUnavailableError) this.setJetStream(false);
      throw err;
    }
  }

  private setJetStream(answers: boolean): void {
    if (answers !== this.jetStreamAnswers) this.log[answers ? 'info' : 'warn']({answers}, 'nats jetstream health');
    this.jetStreamAnswers = answers;
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      switch (status.type) {
        case 'disconnect':
        case 'reconnecting':
          if (this.connected) this.log.warn({status: status.type}, 'nats connection lost');
          this.connected = false;
          break;
        case 'reconnect':
          this.connected = true;
          this.log.info({server: status.server}, 'nats reconnected');
          break;
        case 'close':
          this.connected = false;
          break;
        default:
      }
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
