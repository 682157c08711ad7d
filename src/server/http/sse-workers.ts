/**
 * Fan-out worker processes: the SSE hub for a node with more viewers than one core can write to.
 *
 * The fan-out's cost is one socket write per viewer per pass, and a Node process writes from one thread: with
 * 10,000 viewers a pass takes ~100 ms of one core however many cores the machine has (docs/scaling.md). So
 * this hub hands each stream's socket, once its catch-up is written, to one of N worker processes
 * (fan-out-worker.ts) with Node's own handle passing (`child.send(message, socket)`, as `node:cluster` passes
 * connections), round robin. This process keeps everything else: requests, the show's log, presence, the
 * decisions. For each of its passes it sends every worker one message: the new entries once, and which of
 * the worker's streams get which of them. The workers write, with the same passes, heartbeats and bounds as
 * this process would (sse-writer.ts), and report each stream that closes. The messages are ordered on the
 * channel (Node queues a message sent while a socket is being handed over behind it), so a stream's first
 * entries never overtake its socket.
 *
 * A worker that dies takes its viewers' connections with it: they reconnect with `Last-Event-ID` and miss
 * nothing, as after any cut; a new worker takes its place. A stream that cannot be handed over (a pipelined
 * response without a socket of its own yet) is written by this process.
 */
import {fork, type ChildProcess} from 'node:child_process';
import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {LoggedEvent} from '../bus/types.js';
import type {Logger} from '../log.js';
import {createSseWriters, responseSink, type CutReason, type SseLimits, type SseStream} from './sse-writer.js';
import {logCut, writeStreamHead, type SseHub} from './sse.js';
import {ByEntries, isoNow, Payload, sseMessages} from './sse-wire.js';

/** A message to a fan-out worker. */
export type ToWorker =
  | {t: 'init'; limits: SseLimits}
  /** Adopt the socket sent with this message as stream `id` (no socket: it closed on the way). */
  | {t: 'adopt'; id: number; show: string; chunked: boolean}
  /** Each group: the indexes in `entries` of what its streams get, and the streams' ids. */
  | {t: 'pass'; entries: LoggedEvent[]; groups: Array<[number[], number[]]>}
  | {t: 'end'; id: number; comment: string}
  | {t: 'close-all'; comment: string}
  /** Exit once every stream closed, or after `graceMs` (cutting what is left). */
  | {t: 'stop'; graceMs: number};

/** A message from a fan-out worker. */
export type FromWorker = {t: 'closed'; ids: number[]} | {t: 'cut'; show: string; cut: CutReason};

const WORKER_MODULE = new URL('./fan-out-worker.js', import.meta.url);

/** The hub that hands streams to `workerCount` (≥ 1) fan-out worker processes. */
export function createWorkerSseHub(limits: SseLimits, log: Logger, workerCount: number): SseHub {
  /** Streams this process writes itself. */
  const onCut = logCut(log);
  const local = createSseWriters(limits, onCut);
  const remote = new Map<number, RemoteStream>();
  let nextId = 1;
  let nextWorker = 0;
  let finalComment: string | null = null;
  let stopping: Promise<void> | null = null;

  class Worker {
    readonly child: ChildProcess;
    readonly streams = new Set<RemoteStream>();
    exited = false;

    constructor(readonly slot: number) {
      this.child = fork(WORKER_MODULE, [], {serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
      this.post({t: 'init', limits});
      this.child.on('message', (message: FromWorker) => {
        if (message.t === 'closed') for (const id of message.ids) remote.get(id)?.closed();
        else if (message.t === 'cut') onCut(message.show, message.cut);
      });
      this.child.on('error', (err) => log.error({event: 'fan-out-worker', slot, err}, 'fan-out worker error'));
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        const viewers = this.streams.size;
        // Its sockets closed with it: those viewers reconnect with Last-Event-ID.
        for (const stream of [...this.streams]) stream.closed();
        if (stopping) return;
        log.error({event: 'fan-out-worker', slot, code, signal, viewers}, 'a fan-out worker exited; starting another');
        workers[slot] = new Worker(slot);
      });
    }

    post(message: ToWorker, socket?: Socket, done?: (error: Error | null) => void): void {
      if (this.exited || !this.child.connected) {
        done?.(new Error('the fan-out worker is gone'));
        return;
      }
      // keepOpen: this process closes its own copy of the socket once it is sent (see RemoteStream).
      this.child.send(message, socket, {keepOpen: true}, (error) => done?.(error ?? null));
    }
  }

  const workers = Array.from({length: Math.max(1, workerCount)}, (_, slot) => new Worker(slot));

  /** Streams with entries for their worker, for the next pass. */
  let dirty: RemoteStream[] = [];
  let passScheduled = false;
  function schedulePass(stream: RemoteStream): void {
    dirty.push(stream);
    if (passScheduled) return;
    passScheduled = true;
    // After the current I/O callbacks: the entries that arrive together go in one message per worker. The
    // workers pace their own passes (`fanOutShare`); this one is cheap.
    setImmediate(pass);
  }
  function pass(): void {
    passScheduled = false;
    const queued = dirty;
    dirty = [];
    const messages = new Map<Worker, WorkerPass>();
    for (const stream of queued) {
      const entries = stream.take();
      const worker = stream.worker;
      if (!entries.length || !worker) continue;
      let message = messages.get(worker);
      if (!message) messages.set(worker, (message = new WorkerPass()));
      message.add(entries, stream.id);
    }
    for (const [worker, message] of messages) worker.post(message.toMessage());
  }

  /** A stream written here until its catch-up is out, then by a worker. */
  class RemoteStream implements SseStream {
    readonly id = nextId++;
    worker: Worker | null = null;
    #closed = false;
    /** The catch-up, then what arrives until the next pass. */
    #queue: LoggedEvent[] = [];
    readonly #closers: Array<() => void> = [];
    /** The response and its socket until handed over (then this process holds neither: no memory per viewer here). */
    #res: ServerResponse | null;
    #socket: Socket | null;

    constructor(res: ServerResponse, socket: Socket, readonly show: string) {
      this.#res = res;
      this.#socket = socket;
      // Once handed over, this process's copy of the socket closes: only the worker says when the stream does.
      res.on('close', () => {
        if (!this.worker) this.closed();
      });
    }

    send(entry: LoggedEvent): void {
      if (this.#closed) return;
      this.#queue.push(entry);
      if (this.worker && this.#queue.length === 1) schedulePass(this);
    }

    /** The entries for the worker, taken. */
    take(): LoggedEvent[] {
      const entries = this.#queue;
      this.#queue = [];
      return entries;
    }

    endCatchUp(): void {
      const res = this.#res;
      const socket = this.#socket;
      if (this.#closed || !res || !socket) return;
      if (this.#queue.length) {
        const catchUp = new Payload(sseMessages(this.take(), isoNow()));
        socket.write(catchUp.bytes(res.chunkedEncoding));
      }
      // Every byte this process wrote must be in the kernel before another process writes the next ones.
      if (socket.writableLength === 0) {
        this.#handOver();
        return;
      }
      const stalled = setTimeout(() => res.destroy(), limits.stalledWriteMs);
      stalled.unref();
      res.once('close', () => clearTimeout(stalled));
      socket.once('drain', () => {
        clearTimeout(stalled);
        this.#handOver();
      });
    }

    #handOver(): void {
      const res = this.#res;
      const socket = this.#socket;
      if (this.#closed || this.worker || !res || !socket || socket.destroyed || res.writableEnded) return;
      this.#res = null;
      this.#socket = null;
      const worker = workers[nextWorker++ % workers.length];
      this.worker = worker;
      worker.streams.add(this);
      remote.set(this.id, this);
      worker.post({t: 'adopt', id: this.id, show: this.show, chunked: res.chunkedEncoding}, socket, (error) => {
        // Sent (or not): this process's copy of the socket closes, which frees the response here. The
        // connection stays open while the worker holds its copy.
        socket.destroy();
        if (error) this.closed();
      });
      if (this.#queue.length) schedulePass(this);
      if (finalComment !== null) this.end(finalComment);
    }

    end(comment: string): void {
      if (this.#closed) return;
      if (this.worker) this.worker.post({t: 'end', id: this.id, comment});
      else if (this.#res && !this.#res.writableEnded) this.#res.end(`: ${comment}\n\n`);
    }

    onClose(fn: () => void): void {
      if (this.#closed) fn();
      else this.#closers.push(fn);
    }

    /** The stream closed (the viewer left, was cut, or its worker died). */
    closed(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#queue = [];
      this.#res = this.#socket = null;
      remote.delete(this.id);
      this.worker?.streams.delete(this);
      for (const fn of this.#closers.splice(0)) fn();
    }
  }

  return {
    open(res, show, headers) {
      writeStreamHead(res, headers);
      const socket = res.socket;
      // A pipelined response has no socket of its own yet: this process writes it.
      const own = socket && (socket as Socket & {_httpMessage?: unknown})._httpMessage === res;
      if (!own || stopping) return local.open(responseSink(res), show);
      const stream = new RemoteStream(res, socket, show);
      if (finalComment !== null) stream.end(finalComment);
      return stream;
    },
    counts() {
      const counts = local.counts();
      for (const stream of remote.values()) counts.set(stream.show, (counts.get(stream.show) ?? 0) + 1);
      return counts;
    },
    get size() {
      return local.size + remote.size;
    },
    closeAll(comment) {
      finalComment = comment;
      local.closeAll(comment);
      for (const worker of workers) worker.post({t: 'close-all', comment});
    },
    stop(graceMs) {
      stopping ??= Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.exited) return resolve();
              worker.child.once('exit', () => resolve());
              const kill = () => worker.child.kill('SIGKILL');
              // A worker that does not exit on its own after its grace (and a margin) is killed.
              setTimeout(kill, graceMs + 2_000).unref();
              worker.post({t: 'stop', graceMs}, undefined, (error) => {
                if (error) kill();
              });
            }),
        ),
      ).then(() => {});
      return stopping;
    },
  };
}

/** One pass's message to one worker: each entry once, and which streams get which. */
class WorkerPass {
  readonly #entries: LoggedEvent[] = [];
  readonly #index = new Map<LoggedEvent, number>();
  readonly #groups: Array<{entries: LoggedEvent[]; ids: number[]}> = [];
  readonly #byEntries = new ByEntries<number[]>();

  /** Stream `id` gets `entries` (non-empty). */
  add(entries: LoggedEvent[], id: number): void {
    const ids = this.#byEntries.get(entries, () => {
      const group = {entries, ids: [] as number[]};
      this.#groups.push(group);
      return group.ids;
    });
    ids.push(id);
  }

  toMessage(): ToWorker {
    const at = (entry: LoggedEvent) => {
      let i = this.#index.get(entry);
      if (i === undefined) {
        i = this.#entries.push(entry) - 1;
        this.#index.set(entry, i);
      }
      return i;
    };
    const groups = this.#groups.map(({entries, ids}): [number[], number[]] => [entries.map(at), ids]);
    return {t: 'pass', entries: this.#entries, groups};
  }
}
