/**
 * The SSE edge (DESIGN.md §8.2): each message is `id: <seq>` and `data: <event JSON>` with `sentAt` = this
 * server's clock when it sent the event (the SDK samples its clock offset from it); comments as heartbeats.
 *
 * The fan-out is the server's hot path (one socket write per viewer per event: docs/scaling.md), so its
 * per-viewer work is as small as it can be. A live entry is queued on each viewer's stream, and one fan-out
 * pass (scheduled once, right after the I/O that brought the entry) writes every queue: each event is
 * serialized once per pass into one Buffer, chunk framing included, that every viewer with the same queue
 * shares, and a viewer whose queue holds several events (they arrived together, or the server is behind)
 * gets them in one write. `sentAt` is the server clock when the pass starts: the writes follow in that
 * pass, as the corked per-viewer writes of a `ServerResponse` used to follow its loop. The bytes go straight
 * to the response's socket once the headers are out (the chunk framing `ServerResponse` would add is in the
 * shared Buffer), which skips its per-write framing, corking and string encoding.
 *
 * A viewer that does not read is disconnected once what waits for its socket passes a bound — it resumes
 * with `Last-Event-ID` and misses nothing — rather than making the server buffer without limit.
 */
import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {LoggedEvent} from '../bus/types.js';
import type {Headers} from './errors.js';
import type {Logger} from '../log.js';

/** The SSE edge's bounds. */
export interface SseLimits {
  /** A heartbeat comment is written to every stream this often (ms). */
  heartbeatMs: number;
  /** A stream with more than this many bytes waiting for its socket (past its catch-up) is cut. */
  maxBufferedBytes: number;
  /** A stream whose socket accepted nothing for this long while bytes waited is cut (ms). */
  stalledWriteMs: number;
  /**
   * The share of this process's time fan-out passes may take, in (0, 1]: after a pass that took D ms the
   * next one starts no sooner than D / share after it began (and never more than `maxPassWaitMs` after it
   * ended), so the events that arrive meanwhile go out together, one write per viewer. A few hundred viewers
   * never wait (their pass takes well under a millisecond); thousands get fewer, larger writes, leaving time
   * for requests, joins and the collector. 1: a pass as soon as an event arrives.
   */
  fanOutShare: number;
  /** The longest a pass waits after the previous one ended, whatever it took (ms). */
  maxPassWaitMs: number;
}

/** Defaults: heartbeats every 15 s, 256 KiB waiting at most, 45 s without progress at most, passes ≤ half the time. */
export const DEFAULT_SSE_LIMITS: SseLimits = {heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, stalledWriteMs: 45_000, fanOutShare: 0.5, maxPassWaitMs: 100};

/** An entry's message without its `sentAt` and closing brace (`id: …\ndata: {…,`), cached per entry. */
const heads = new WeakMap<LoggedEvent, Buffer>();
const CRLF = Buffer.from('\r\n');

function headOf(entry: LoggedEvent): Buffer {
  let head = heads.get(entry);
  if (head === undefined) {
    const json = JSON.stringify(entry.event);
    head = Buffer.from(`id: ${entry.seq}\ndata: ${json.slice(0, -1)}${json === '{}' ? '' : ','}`);
    heads.set(entry, head);
  }
  return head;
}

/** The messages for `entries`, each stamped `"sentAt":"<sentAt>"` (an ISO time), as one Buffer. */
export function sseMessages(entries: readonly LoggedEvent[], sentAt: string): Buffer {
  const tail = Buffer.from(`"sentAt":"${sentAt}"}\n\n`);
  const parts: Buffer[] = [];
  for (const entry of entries) parts.push(headOf(entry), tail);
  return Buffer.concat(parts);
}

/** `data` as one HTTP/1.1 chunk (`<hex size>\r\n<data>\r\n`), as a chunked `ServerResponse` would frame it. */
function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]);
}

/** One write's bytes: raw, and framed as a chunk when first asked. */
class Payload {
  private framedBytes: Buffer | null = null;
  constructor(readonly raw: Buffer) {}
  get framed(): Buffer {
    return (this.framedBytes ??= chunk(this.raw));
  }
}

const HEARTBEAT = new Payload(Buffer.from(': heartbeat\n\n'));

/**
 * The payloads of one fan-out pass, shared by every stream whose queue holds the same entries (the same
 * objects: the show's view hands every viewer the same entry).
 */
class PassPayloads {
  private readonly byFirst = new Map<LoggedEvent, {entries: LoggedEvent[]; payload: Payload}[]>();
  constructor(readonly sentAt: string) {}

  of(entries: LoggedEvent[]): Payload {
    let candidates = this.byFirst.get(entries[0]);
    if (candidates) {
      for (const candidate of candidates) if (sameEntries(candidate.entries, entries)) return candidate.payload;
    } else {
      candidates = [];
      this.byFirst.set(entries[0], candidates);
    }
    const payload = new Payload(sseMessages(entries, this.sentAt));
    candidates.push({entries, payload});
    return payload;
  }
}

function sameEntries(a: readonly LoggedEvent[], b: readonly LoggedEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

let clockMs = 0;
let clockIso = '';
/** The server clock now as ISO 8601 (one `Date` per millisecond, however many callers). */
function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockIso = new Date(now).toISOString();
  }
  return clockIso;
}

/** One open event stream. */
export interface SseStream {
  /** The show it streams. */
  readonly show: string;
  /** Queues one entry for the next fan-out pass (nothing once closed). */
  send(entry: LoggedEvent): void;
  /** Writes what was sent so far at once, as catch-up: it may wait for the socket beyond the bound, once. */
  endCatchUp(): void;
  /** Ends the stream with a last comment. */
  end(comment: string): void;
  /** Calls `fn` once when the stream closes, however it closes. */
  onClose(fn: () => void): void;
}

/** Every open stream of this node: fan-out passes, heartbeats, bounds, shutdown. */
export interface SseHub {
  /** Starts a stream on `res` (writes the headers at once, so the client has its `Date` now). */
  open(res: ServerResponse, show: string, headers: Headers): SseStream;
  /** Open streams per show. */
  counts(): Map<string, number>;
  /** The number of open streams. */
  readonly size: number;
  /** Ends every stream with `comment` and stops the heartbeat. */
  closeAll(comment: string): void;
}

/** The hub for `limits`, logging cut streams to `log`. */
export function createSseHub(limits: SseLimits, log: Logger): SseHub {
  const streams = new Set<Stream>();
  /** Set by `closeAll`: a stream opened after it (its join was under way) ends at once. */
  let finalComment: string | null = null;
  const timer = setInterval(() => {
    const now = Date.now();
    for (const stream of streams) stream.heartbeat(now);
  }, limits.heartbeatMs);
  timer.unref();

  /** Streams with queued entries, for the next pass. */
  let dirty: Stream[] = [];
  let passScheduled = false;
  /** When (performance.now()) the next pass may start, per `fanOutShare`. */
  let nextPassAt = 0;
  const share = Math.min(1, Math.max(0.05, limits.fanOutShare));
  function schedulePass(stream: Stream): void {
    dirty.push(stream);
    if (passScheduled) return;
    passScheduled = true;
    const wait = nextPassAt - performance.now();
    // At the soonest after the current I/O callbacks: entries that arrive together (one bus batch, one NATS
    // read) share a pass.
    if (wait >= 1) setTimeout(pass, wait);
    else setImmediate(pass);
  }
  function pass(): void {
    passScheduled = false;
    const started = performance.now();
    const payloads = new PassPayloads(isoNow());
    const queued = dirty;
    dirty = [];
    for (const stream of queued) stream.flush(payloads);
    const took = performance.now() - started;
    nextPassAt = started + Math.min(took / share, took + limits.maxPassWaitMs);
  }

  class Stream implements SseStream {
    private closed = false;
    /** Entries sent and not yet written. */
    private queue: LoggedEvent[] = [];
    /** Bytes the catch-up may keep waiting beyond the bound, until the socket first drains. */
    private allowance = 0;
    /** Since when bytes have waited without the socket draining (0: none wait). */
    private waitingSince = 0;
    private readonly closers: Array<() => void> = [];
    /**
     * The socket to write to directly: the response's, once its headers went out on it (null: a pipelined
     * response still waiting for the socket, written through the response).
     */
    private readonly socket: Socket | null;
    /** The response frames its body as chunks (HTTP/1.1), so the bytes written directly must be too. */
    private readonly chunked: boolean;
    private readonly onDrain = () => {
      this.allowance = 0;
      this.waitingSince = 0;
    };

    constructor(private readonly res: ServerResponse, readonly show: string) {
      this.socket = res.headersSent && res.socket ? res.socket : null;
      this.chunked = res.chunkedEncoding;
      (this.socket ?? res).on('drain', this.onDrain);
      res.on('close', () => this.closeOnce());
    }

    send(entry: LoggedEvent): void {
      if (this.closed) return;
      if (this.queue.length === 0) schedulePass(this);
      this.queue.push(entry);
    }

    /** Writes the queue (the pass's shared payload when another stream has the same queue). */
    flush(payloads: PassPayloads): void {
      if (this.queue.length === 0) return;
      const entries = this.queue;
      this.queue = [];
      this.write(payloads.of(entries));
    }

    endCatchUp(): void {
      if (this.queue.length) {
        const entries = this.queue;
        this.queue = [];
        this.write(new Payload(sseMessages(entries, isoNow())));
      }
      this.allowance = this.res.writableLength;
    }

    heartbeat(now: number): void {
      if (this.waitingSince && now - this.waitingSince > limits.stalledWriteMs) {
        this.cut('stalled', now - this.waitingSince);
        return;
      }
      this.write(HEARTBEAT);
    }

    end(comment: string): void {
      if (this.closed || this.res.writableEnded) return;
      this.res.end(`: ${comment}\n\n`);
    }

    onClose(fn: () => void): void {
      if (this.closed) fn();
      else this.closers.push(fn);
    }

    private write(payload: Payload): void {
      if (this.closed || this.res.writableEnded) return;
      const socket = this.socket;
      const flushed = socket ? socket.write(this.chunked ? payload.framed : payload.raw) : this.res.write(payload.raw);
      if (flushed) return;
      if (!this.waitingSince) this.waitingSince = Date.now();
      if (this.res.writableLength > limits.maxBufferedBytes + this.allowance) this.cut('slow', this.res.writableLength);
    }

    /** Disconnects a viewer that does not keep up: it reconnects with `Last-Event-ID` when it can. */
    private cut(reason: 'slow' | 'stalled', figure: number): void {
      log.info({event: 'sse-cut', reason, show: this.show, ...(reason === 'slow' ? {bufferedBytes: figure} : {stalledMs: figure})}, 'cut a viewer that does not keep up');
      this.res.destroy();
    }

    private closeOnce(): void {
      if (this.closed) return;
      this.closed = true;
      this.queue = [];
      streams.delete(this);
      (this.socket ?? this.res).off('drain', this.onDrain);
      for (const fn of this.closers.splice(0)) fn();
    }
  }

  return {
    open(res, show, headers) {
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      res.socket?.setNoDelay(true);
      const stream = new Stream(res, show);
      streams.add(stream);
      if (finalComment !== null) stream.end(finalComment);
      return stream;
    },
    counts() {
      const counts = new Map<string, number>();
      for (const stream of streams) counts.set(stream.show, (counts.get(stream.show) ?? 0) + 1);
      return counts;
    },
    get size() {
      return streams.size;
    },
    closeAll(comment) {
      finalComment = comment;
      clearInterval(timer);
      for (const stream of [...streams]) stream.end(comment);
    },
  };
}
