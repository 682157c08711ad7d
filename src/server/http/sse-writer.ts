/**
 * The SSE streams' writing side, wherever the socket lives: in the HTTP edge's process (a `ServerResponse`)
 * or in a fan-out worker that adopted the socket (sse-workers.ts). The fan-out is the server's hot path (one
 * socket write per viewer per pass: docs/scaling.md), so its per-viewer work is as small as it can be.
 *
 * An entry sent to a stream is queued; one fan-out pass (scheduled once, right after the I/O that brought the
 * entry) writes every queue: each event is serialized once per pass into one Buffer, chunk framing included,
 * that every viewer with the same queue shares (sse-wire.ts), and a viewer whose queue holds several events
 * (they arrived together, or the server is behind) gets them in one write. `sentAt` is the server clock when
 * the pass starts. The bytes go straight to the socket once the headers are out, which skips
 * `ServerResponse`'s per-write framing, corking and string encoding.
 *
 * A viewer that does not read is disconnected once what waits for its socket passes a bound — it resumes
 * with `Last-Event-ID` and misses nothing — rather than making the server buffer without limit.
 */
import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {LoggedEvent} from '../bus/types.js';
import {chunk, HEARTBEAT, isoNow, PassPayloads, Payload, sseMessages} from './sse-wire.js';

/** The SSE edge's bounds. */
export interface SseLimits {
  /** A heartbeat comment is written to every stream this often (ms). */
  heartbeatMs: number;
  /** A stream with more than this many bytes waiting for its socket (past its catch-up) is cut. */
  maxBufferedBytes: number;
  /** A stream whose socket accepted nothing for this long while bytes waited is cut (ms). */
  stalledWriteMs: number;
  /**
   * The share of a process's time fan-out passes may take, in (0, 1]: after a pass that took D ms the
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

/** Why a stream was cut, for the log: bytes waiting past the bound, or a socket that accepted nothing. */
export type CutReason = {reason: 'slow'; bufferedBytes: number} | {reason: 'stalled'; stalledMs: number};

/** Where one stream's bytes go. */
export interface Sink {
  /** Writes `payload`; false when bytes now wait for the socket. */
  write(payload: Payload): boolean;
  /** Bytes waiting for the socket. */
  readonly waiting: number;
  /** True once the stream was ended: nothing more is written. */
  readonly ended: boolean;
  /** Ends the stream with a last comment. */
  end(comment: string): void;
  /** Cuts the connection. */
  destroy(): void;
  /** Calls `fn` each time the socket drains; answers the unsubscribe. */
  onDrain(fn: () => void): () => void;
  /** Calls `fn` when the connection closes. */
  onClose(fn: () => void): void;
}

/** A `ServerResponse` whose headers are out: the bytes go straight to its socket when it has one. */
export function responseSink(res: ServerResponse): Sink {
  // A pipelined response still waiting for its socket is written through the response.
  const socket = res.headersSent && res.socket ? res.socket : null;
  // The response frames its body as chunks (HTTP/1.1), so the bytes written directly must be too.
  const chunked = res.chunkedEncoding;
  return {
    write: (payload) => (socket ? socket.write(payload.bytes(chunked)) : res.write(payload.raw)),
    get waiting() {
      return res.writableLength;
    },
    get ended() {
      return res.writableEnded;
    },
    end(comment) {
      if (!res.writableEnded) res.end(`: ${comment}\n\n`);
    },
    destroy: () => res.destroy(),
    onDrain: (fn) => drainOf(socket ?? res, fn),
    onClose: (fn) => res.on('close', fn),
  };
}

const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/**
 * A socket whose response headers another process already wrote (a fan-out worker's adopted stream):
 * `chunked` as that response was. Ending it ends the body and closes the connection.
 */
export function socketSink(socket: Socket, chunked: boolean): Sink {
  return {
    write: (payload) => socket.write(payload.bytes(chunked)),
    get waiting() {
      return socket.writableLength;
    },
    get ended() {
      return socket.writableEnded || socket.destroyed;
    },
    end(comment) {
      if (socket.writableEnded || socket.destroyed) return;
      const last = Buffer.from(`: ${comment}\n\n`);
      socket.end(chunked ? Buffer.concat([chunk(last), LAST_CHUNK]) : last);
    },
    destroy: () => socket.destroy(),
    onDrain: (fn) => drainOf(socket, fn),
    onClose: (fn) => socket.on('close', fn),
  };
}

function drainOf(target: NodeJS.WritableStream, fn: () => void): () => void {
  target.on('drain', fn);
  return () => target.off('drain', fn);
}

/** The streams one process writes: fan-out passes, heartbeats, bounds, shutdown. */
export interface SseWriters {
  /** Starts writing a stream to `sink` (its headers are out). */
  open(sink: Sink, show: string): SseStream;
  /** Open streams per show. */
  counts(): Map<string, number>;
  /** The number of open streams. */
  readonly size: number;
  /** Ends every stream with `comment` (and any opened later) and stops the heartbeat. */
  closeAll(comment: string): void;
}

/** The writers for `limits`; `onCut` hears each stream cut for not keeping up (to log it). */
export function createSseWriters(limits: SseLimits, onCut: (show: string, cut: CutReason) => void): SseWriters {
  const streams = new Set<Writer>();
  /** Set by `closeAll`: a stream opened after it (its join was under way) ends at once. */
  let finalComment: string | null = null;
  const timer = setInterval(() => {
    const now = Date.now();
    for (const stream of streams) stream.heartbeat(now);
  }, limits.heartbeatMs);
  timer.unref();

  /** Streams with queued entries, for the next pass. */
  let dirty: Writer[] = [];
  let passScheduled = false;
  /** When (performance.now()) the next pass may start, per `fanOutShare`. */
  let nextPassAt = 0;
  const share = Math.min(1, Math.max(0.05, limits.fanOutShare));
  function schedulePass(stream: Writer): void {
    dirty.push(stream);
    if (passScheduled) return;
    passScheduled = true;
    const wait = nextPassAt - performance.now();
    // At the soonest after the current I/O callbacks: entries that arrive together (one bus batch, one NATS
    // read, one message from the edge) share a pass.
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

  class Writer implements SseStream {
    #closed = false;
    /** Entries sent and not yet written. */
    #queue: LoggedEvent[] = [];
    /** Bytes the catch-up may keep waiting beyond the bound, until the socket first drains. */
    #allowance = 0;
    /** Since when bytes have waited without the socket draining (0: none wait). */
    #waitingSince = 0;
    readonly #closers: Array<() => void> = [];
    readonly #stopDrain: () => void;

    constructor(
      readonly sink: Sink,
      readonly show: string,
    ) {
      this.#stopDrain = sink.onDrain(() => {
        this.#allowance = 0;
        this.#waitingSince = 0;
      });
      sink.onClose(() => this.#closeOnce());
    }

    send(entry: LoggedEvent): void {
      if (this.#closed) return;
      if (this.#queue.length === 0) schedulePass(this);
      this.#queue.push(entry);
    }

    /** Writes the queue (the pass's shared payload when another stream has the same queue). */
    flush(payloads: PassPayloads): void {
      if (this.#queue.length === 0) return;
      const entries = this.#queue;
      this.#queue = [];
      this.#write(payloads.of(entries));
    }

    endCatchUp(): void {
      if (this.#queue.length) {
        const entries = this.#queue;
        this.#queue = [];
        this.#write(new Payload(sseMessages(entries, isoNow())));
      }
      this.#allowance = this.sink.waiting;
    }

    heartbeat(now: number): void {
      if (this.#waitingSince && now - this.#waitingSince > limits.stalledWriteMs) {
        this.#cut({reason: 'stalled', stalledMs: now - this.#waitingSince});
        return;
      }
      this.#write(HEARTBEAT);
    }

    end(comment: string): void {
      if (!this.#closed) this.sink.end(comment);
    }

    onClose(fn: () => void): void {
      if (this.#closed) fn();
      else this.#closers.push(fn);
    }

    #write(payload: Payload): void {
      if (this.#closed || this.sink.ended) return;
      if (this.sink.write(payload)) return;
      if (!this.#waitingSince) this.#waitingSince = Date.now();
      const waiting = this.sink.waiting;
      if (waiting > limits.maxBufferedBytes + this.#allowance) this.#cut({reason: 'slow', bufferedBytes: waiting});
    }

    /** Disconnects a viewer that does not keep up: it reconnects with `Last-Event-ID` when it can. */
    #cut(cut: CutReason): void {
      onCut(this.show, cut);
      this.sink.destroy();
    }

    #closeOnce(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#queue = [];
      streams.delete(this);
      this.#stopDrain();
      for (const fn of this.#closers.splice(0)) fn();
    }
  }

  return {
    open(sink, show) {
      const stream = new Writer(sink, show);
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
