/**
 * A fan-out worker process (sse-workers.ts): writes the event streams whose sockets the HTTP edge handed it,
 * with the passes, heartbeats and bounds of sse-writer.ts, and tells the edge which streams closed. It
 * decides nothing: what each stream gets comes from the edge's process, one message per pass.
 */
import type {Socket} from 'node:net';
import {createSseWriters, socketSink, type SseStream, type SseWriters} from './sse-writer.js';
import type {FromWorker, ToWorker} from './sse-workers.js';

let writers: SseWriters | null = null;
const streams = new Map<number, {stream: SseStream; socket: Socket}>();
let closedIds: number[] = [];
/** Set by `stop`: called when the last stream closes. */
let onEmpty: (() => void) | null = null;

const tell = (message: FromWorker) => {
  if (process.connected) process.send?.(message);
};

/** Reports stream `id` closed, with the others that close in the same turn. */
function reportClosed(id: number): void {
  closedIds.push(id);
  if (closedIds.length > 1) return;
  setImmediate(() => {
    const ids = closedIds;
    closedIds = [];
    tell({t: 'closed', ids});
  });
}

function adopt(id: number, show: string, chunked: boolean, socket: Socket | undefined): void {
  if (!writers || !socket) {
    reportClosed(id);
    return;
  }
  socket.on('error', () => {}); // a reset: 'close' follows
  socket.resume(); // a viewer sends nothing more; whatever it sends is dropped, and its end is seen
  const stream = writers.open(socketSink(socket, chunked), show);
  streams.set(id, {stream, socket});
  stream.onClose(() => {
    streams.delete(id);
    reportClosed(id);
    if (streams.size === 0) onEmpty?.();
  });
}

/** Exits once every stream closed (the edge ended them), or after `graceMs`, cutting what is left. */
function stop(graceMs: number): void {
  const exit = () => {
    for (const {socket} of streams.values()) socket.destroy();
    // After the last `closed` report went out.
    setImmediate(() => setImmediate(() => process.exit(0)));
  };
  if (streams.size === 0) return exit();
  onEmpty = exit;
  setTimeout(exit, graceMs).unref();
}

process.on('message', (message: ToWorker, socket?: Socket) => {
  switch (message.t) {
    case 'init':
      writers = createSseWriters(message.limits, (show, cut) => tell({t: 'cut', show, cut}));
      break;
    case 'adopt':
      adopt(message.id, message.show, message.chunked, socket);
      break;
    case 'pass': {
      const {entries} = message;
      for (const [at, ids] of message.groups) {
        const list = at.map((i) => entries[i]);
        for (const id of ids) {
          const stream = streams.get(id)?.stream;
          if (stream) for (const entry of list) stream.send(entry);
        }
      }
      break;
    }
    case 'end':
      streams.get(message.id)?.stream.end(message.comment);
      break;
    case 'close-all':
      writers?.closeAll(message.comment);
      break;
    case 'stop':
      stop(message.graceMs);
      break;
  }
});
// The edge's process is gone: so are the streams' decisions. Viewers reconnect elsewhere.
process.on('disconnect', () => process.exit(0));
