// A viewer worker of `npm run bench:server`: a child process (forked by run.mjs, driven over IPC) that holds
// thousands of raw HTTP/1.1 SSE connections to the show server, each with a minimal parser (status line,
// chunked framing, `id:` and the bench's marker in `data:`), so the load generator costs little next to
// the server and never shares its process. Per viewer it counts each host event by the marker's index and
// each message by its SSE id (a repeat is an id at or below the last one that viewer had), and reconnects
// the way EventSource does: to the next server in its list, with `Last-Event-ID`.
//
// Messages from run.mjs: {cmd: 'connect', targets, show, count, concurrency} · {cmd: 'expect', acked}
// · {cmd: 'status'} · {cmd: 'storm', caughtUpIndex} · {cmd: 'report'} · {cmd: 'close'}. Each is answered
// with {reply: cmd, ...} once done.
import {connect} from 'node:net';

/** Host events a viewer can count (by marker index). */
const MAX_EVENTS = 4096;
/** Latency histogram: 1-ms buckets up to 60 s (the last bucket holds anything later). */
const BUCKETS = 60_001;
/** The bench's marker in a host event's text: `~kb<index>.<send ms>~` (run.mjs writes it). */
const MARKER = '~kb';

let targets = [];
let show = '';
const viewers = [];
/** Per target (server node): the latency histogram of messages received from it. */
let histograms = [];
const errors = {connect: 0, status: {}, dropped: 0, reconnects: 0};
let stopping = false;
let acked = [];
let storm = null;
let bytes = 0;
let messages = 0;

/** One viewer: its socket, parser state and counts. */
class Viewer {
  constructor(index) {
    this.index = index;
    this.target = index % targets.length;
    this.lastSeq = 0;
    this.counts = new Uint8Array(MAX_EVENTS);
    this.seqs = new Int32Array(MAX_EVENTS);
    this.repeats = 0;
    this.storedTwice = 0;
    /** Lowest marker index not yet received (indexes arrive in order on one stream, but not across a failover). */
    this.missingFrom = 0;
    this.socket = null;
    this.open = false;
    this.attempt = 0;
    this.droppedAt = 0;
    this.reconnectMs = [];
    this.caughtUpAt = 0;
  }

  /** Opens the stream; answers a promise settled when the response's status line arrived (or it failed). */
  connect() {
    const {host, port} = targets[this.target];
    const lastEventId = this.lastSeq > 0 ? `Last-Event-ID: ${this.lastSeq}\r\n` : '';
    let head = '';
    let inBody = false;
    let chunkLeft = -1; // -1: reading a chunk-size line
    let sizeLine = '';
    let sse = '';
    let settle;
    const settled = new Promise((resolve) => (settle = resolve));
    const socket = connect({host, port, noDelay: true});
    this.socket = socket;
    socket.setEncoding('latin1'); // one char per byte: chunk sizes are in bytes
    socket.once('connect', () => {
      socket.write(
        `GET /v1/shows/${show}/events HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n` +
          `Cache-Control: no-cache\r\nX-Kol-Viewer: bench-viewer-${process.pid}-${this.index}\r\n${lastEventId}\r\n`,
      );
    });
    socket.on('data', (text) => {
      const now = Date.now();
      bytes += text.length;
      if (!inBody) {
        head += text;
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = Number(head.slice(9, 12));
        if (status !== 200) {
          errors.status[status] = (errors.status[status] ?? 0) + 1;
          socket.destroy();
          settle(false);
          return;
        }
        inBody = true;
        this.open = true;
        this.attempt = 0;
        if (this.droppedAt) {
          this.reconnectMs.push(now - this.droppedAt);
          this.droppedAt = 0;
        }
        if (storm && !this.caughtUpAt && this.missingFrom > storm.caughtUpIndex) this.caughtUpAt = now;
        settle(true);
        text = head.slice(end + 4);
        head = '';
      }
      // Chunked framing: `<hex size>\r\n<data>\r\n`, one chunk per server write.
      let i = 0;
      while (i < text.length) {
        if (chunkLeft < 0) {
          const eol = text.indexOf('\r\n', i);
          if (eol < 0) {
            sizeLine += text.slice(i);
            break;
          }
          sizeLine += text.slice(i, eol);
          chunkLeft = parseInt(sizeLine, 16) + 2; // + the CRLF after the data
          sizeLine = '';
          i = eol + 2;
          if (chunkLeft === 2) {
            socket.end(); // the last chunk: the server ended the stream
            return;
          }
          continue;
        }
        const take = Math.min(chunkLeft, text.length - i);
        sse += text.slice(i, i + take);
        chunkLeft -= take;
        i += take;
        if (chunkLeft === 0) {
          sse = sse.slice(0, -2);
          chunkLeft = -1;
        }
      }
      let end;
      while ((end = sse.indexOf('\n\n')) >= 0) {
        this.message(sse.slice(0, end), now);
        sse = sse.slice(end + 2);
      }
    });
    const closed = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const wasOpen = this.open;
      this.open = false;
      settle(false);
      if (stopping) return;
      if (wasOpen) errors.dropped++;
      else errors.connect++;
      if (!this.droppedAt) this.droppedAt = Date.now();
      // As EventSource: try again after a short, jittered pause; the next server if this one is gone.
      this.target = (this.target + 1) % targets.length;
      const pause = Math.min(5000, 250 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => {
        if (!stopping && !this.socket) {
          errors.reconnects++;
          this.connect();
        }
      }, pause);
    };
    socket.on('error', () => {});
    socket.on('close', closed);
    return settled;
  }

  /** One SSE message: `id: <seq>` and `data: <json>` lines, or a comment. */
  message(block, now) {
    if (block.charCodeAt(0) === 58 /* ':' */) return; // a heartbeat or a closing comment
    messages++;
    const idAt = block.indexOf('id: ');
    const seq = idAt >= 0 ? Number(block.slice(idAt + 4, block.indexOf('\n', idAt))) : 0;
    if (seq > 0) {
      if (seq <= this.lastSeq) {
        this.repeats++;
        return;
      }
      this.lastSeq = seq;
    }
    const at = block.indexOf(MARKER);
    if (at < 0) return;
    const dot = block.indexOf('.', at);
    const index = Number(block.slice(at + MARKER.length, dot));
    const sent = Number(block.slice(dot + 1, block.indexOf('~', dot)));
    if (!(index >= 0 && index < MAX_EVENTS)) return;
    if (this.counts[index] > 0 && this.seqs[index] !== seq) this.storedTwice++;
    if (this.counts[index] < 255) this.counts[index]++;
    this.seqs[index] = seq;
    const hist = histograms[this.target];
    hist[Math.min(BUCKETS - 1, Math.max(0, now - sent))]++;
    while (this.counts[this.missingFrom] > 0) this.missingFrom++;
    if (storm && !this.caughtUpAt && this.missingFrom > storm.caughtUpIndex) this.caughtUpAt = now;
  }

  /** Acknowledged host events this viewer has not received. */
  missing() {
    let missing = 0;
    for (const index of acked) if (this.counts[index] === 0) missing++;
    return missing;
  }
}

/** Connects `count` viewers, at most `concurrency` handshakes at a time. */
async function connectAll(count, concurrency) {
  const started = Date.now();
  let next = 0;
  let ok = 0;
  const lane = async () => {
    while (next < count) {
      const viewer = new Viewer(viewers.length);
      viewers.push(viewer);
      next++;
      if (await viewer.connect()) ok++;
    }
  };
  await Promise.all(Array.from({length: Math.min(concurrency, count)}, lane));
  return {connected: ok, ms: Date.now() - started};
}

function status() {
  let complete = 0;
  let missing = 0;
  let open = 0;
  for (const viewer of viewers) {
    const m = viewer.missing();
    missing += m;
    if (m === 0) complete++;
    if (viewer.open) open++;
  }
  const caughtUp = storm ? viewers.filter((v) => v.caughtUpAt).length : 0;
  return {viewers: viewers.length, open, complete, missing, caughtUp};
}

function report() {
  let repeats = 0;
  let storedTwice = 0;
  let delivered = 0;
  const reconnectMs = [];
  const catchUpMs = [];
  for (const viewer of viewers) {
    repeats += viewer.repeats;
    storedTwice += viewer.storedTwice;
    for (const index of acked) if (viewer.counts[index] > 0) delivered++;
    reconnectMs.push(...viewer.reconnectMs);
    if (storm && viewer.caughtUpAt) catchUpMs.push(viewer.caughtUpAt - storm.at);
  }
  const usage = process.cpuUsage();
  return {
    viewers: viewers.length,
    delivered,
    expected: acked.length * viewers.length,
    repeats,
    storedTwice,
    errors,
    reconnectMs,
    catchUpMs,
    // Sparse: [bucket, count] pairs.
    histograms: histograms.map((h) => [...h.entries()].filter(([, n]) => n > 0)),
    bytes,
    messages,
    cpuMs: (usage.user + usage.system) / 1000,
  };
}

process.on('message', async (message) => {
  const reply = (body) => process.send({reply: message.cmd, ...body});
  switch (message.cmd) {
    case 'connect':
      targets = message.targets;
      show = message.show;
      histograms = targets.map(() => new Uint32Array(BUCKETS));
      reply(await connectAll(message.count, message.concurrency));
      break;
    case 'expect':
      acked = message.acked;
      reply({});
      break;
    case 'status':
      reply(status());
      break;
    case 'storm': {
      // Every viewer drops its stream and reconnects at once, with Last-Event-ID.
      storm = {at: Date.now(), caughtUpIndex: message.caughtUpIndex};
      const reconnecting = [];
      for (const viewer of viewers) {
        const socket = viewer.socket;
        viewer.socket = null; // its close is ours: no EventSource-style retry
        viewer.open = false;
        socket?.destroy();
        viewer.droppedAt = storm.at;
        reconnecting.push(viewer.connect());
      }
      const results = await Promise.all(reconnecting);
      reply({reconnected: results.filter(Boolean).length, ms: Date.now() - storm.at});
      break;
    }
    case 'report':
      reply(report());
      break;
    case 'close':
      stopping = true;
      for (const viewer of viewers) viewer.socket?.destroy();
      reply({});
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
// The bench is gone (it crashed or was killed): never outlive it.
process.on('disconnect', () => process.exit(0));
