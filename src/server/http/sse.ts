/**
 * The SSE edge (DESIGN.md §8.2): each message is `id: <seq>` and `data: <event JSON>` with `sentAt` = this
 * server's clock at the write (the SDK samples its clock offset from it); comments as heartbeats. A viewer
 * that does not read is disconnected once what waits for its socket passes a bound — it resumes with
 * `Last-Event-ID` and misses nothing — rather than making the server buffer without limit.
 */
import type {ServerResponse} from 'node:http';
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
}

/** Defaults: heartbeats every 15 s, 256 KiB waiting at most, 45 s without progress at most. */
export const DEFAULT_SSE_LIMITS: SseLimits = {heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, stalledWriteMs: 45_000};

/** The message head of an entry's event (its JSON without the closing brace), cached per entry. */
const heads = new WeakMap<LoggedEvent, string>();
let clockMs = 0;
let clockIso = '';

/** One SSE message for `entry`, stamped `sentAt` now. */
export function sseMessage(entry: LoggedEvent): string {
  let head = heads.get(entry);
  if (head === undefined) {
    // Serialized once for every viewer; `sentAt` is spliced in per write (it must be the time of the write).
    const json = JSON.stringify(entry.event);
    head = `id: ${entry.seq}\ndata: ${json.slice(0, -1)}${json === '{}' ? '' : ','}`;
    heads.set(entry, head);
  }
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockIso = new Date(now).toISOString();
  }
  return `${head}"sentAt":"${clockIso}"}\n\n`;
}

/** One open event stream. */
export interface SseStream {
  /** The show it streams. */
  readonly show: string;
  /** Writes one entry (nothing once closed). */
  send(entry: LoggedEvent): void;
  /** Everything written so far was catch-up: it may wait for the socket beyond the bound, once. */
  endCatchUp(): void;
  /** Ends the stream with a last comment. */
  end(comment: string): void;
  /** Calls `fn` once when the stream closes, however it closes. */
  onClose(fn: () => void): void;
}

/** Every open stream of this node: heartbeats, bounds, shutdown. */
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

  class Stream implements SseStream {
    private closed = false;
    /** Bytes the catch-up may keep waiting beyond the bound, until the socket first drains. */
    private allowance = 0;
    /** Since when bytes have waited without the socket draining (0: none wait). */
    private waitingSince = 0;
    private readonly closers: Array<() => void> = [];

    constructor(private readonly res: ServerResponse, readonly show: string) {
      res.on('drain', () => {
        this.allowance = 0;
        this.waitingSince = 0;
      });
      res.on('close', () => this.closeOnce());
    }

    send(entry: LoggedEvent): void {
      this.write(sseMessage(entry));
    }

    endCatchUp(): void {
      this.allowance = this.res.writableLength;
    }

    heartbeat(now: number): void {
      if (this.waitingSince && now - this.waitingSince > limits.stalledWriteMs) {
        this.cut('stalled', now - this.waitingSince);
        return;
      }
      this.write(': heartbeat\n\n');
    }

    end(comment: string): void {
      if (this.closed || this.res.writableEnded) return;
      this.res.end(`: ${comment}\n\n`);
    }

    onClose(fn: () => void): void {
      if (this.closed) fn();
      else this.closers.push(fn);
    }

    private write(text: string): void {
      if (this.closed || this.res.writableEnded) return;
      const flushed = this.res.write(text);
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
      streams.delete(this);
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
