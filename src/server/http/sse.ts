/**
 * The SSE edge (DESIGN.md §8.2): an event stream per viewer, opened by the HTTP edge and written by this
 * process (`createSseHub`) or, for thousands of viewers, by fan-out worker processes that adopt the sockets
 * (`createWorkerSseHub` in sse-workers.ts). The bytes are in sse-wire.ts, the writing in sse-writer.ts.
 */
import type {ServerResponse} from 'node:http';
import type {Headers} from './errors.js';
import type {Logger} from '../log.js';
import {createSseWriters, responseSink, type CutReason, type SseLimits, type SseStream} from './sse-writer.js';

export {DEFAULT_SSE_LIMITS, type SseLimits, type SseStream} from './sse-writer.js';

/** Every open stream of this node: fan-out passes, heartbeats, bounds, shutdown. */
export interface SseHub {
  /** Starts a stream on `res` (writes the headers at once, so the client has its `Date` now). */
  open(res: ServerResponse, show: string, headers: Headers): SseStream;
  /** Open streams per show. */
  counts(): Map<string, number>;
  /** The number of open streams. */
  readonly size: number;
  /** Ends every stream with `comment` (and any opened later) and stops the heartbeat. */
  closeAll(comment: string): void;
  /**
   * Stops what the hub runs beside this process (its fan-out workers) once `closeAll` ended the streams:
   * waits up to `graceMs` for them to close, then cuts what is left.
   */
  stop(graceMs: number): Promise<void>;
}

/** Writes an event stream's status line and headers now (the client gets its `Date` at once). */
export function writeStreamHead(res: ServerResponse, headers: Headers): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
}

/** Logs a stream cut for not keeping up. */
export function logCut(log: Logger): (show: string, cut: CutReason) => void {
  return (show, cut) => log.info({event: 'sse-cut', show, ...cut}, 'cut a viewer that does not keep up');
}

/** The hub that writes every stream in this process. */
export function createSseHub(limits: SseLimits, log: Logger): SseHub {
  const writers = createSseWriters(limits, logCut(log));
  return {
    open(res, show, headers) {
      writeStreamHead(res, headers);
      return writers.open(responseSink(res), show);
    },
    counts: () => writers.counts(),
    get size() {
      return writers.size;
    },
    closeAll: (comment) => writers.closeAll(comment),
    stop: async () => {},
  };
}
