/**
 * Misbehaving servers for the network-hardening tests (test/hardening/network.test.ts): event streams that
 * close at once, drop, hang, go silent or send an endless line, and a URL that never answers. Every route
 * takes `?key=<unique per test>` and records what it saw under that key, so a test reads its own requests.
 *
 * Routes (all GET, under /kol-net/):
 * - sse/retry-zero    `retry: 0`, then a clean end of the stream
 * - sse/retry-huge    `retry: 3000000000` (past setTimeout's 2³¹ ms), then a clean end
 * - sse/drop          headers and a comment, then the socket is destroyed (accepts and drops)
 * - sse/hang          never answers, not even headers
 * - sse/silent        headers, then nothing at all (no events, no keep-alive)
 * - sse/huge          first request: a `product.pin` of `<key>-before` with SSE id `huge-1`, then a `data:` line
 *                     with no end, HUGE_CHARS long, then nothing; later requests: a `product.pin` of `<key>`, then
 *                     kept open
 * - sse/replay        a hub that replays by Last-Event-ID the events after the one named (all without one):
 *                     a `product.pin` of `<key>-before` (SSE id `<key>-1`), an event too large to hold (a `data:`
 *                     line with no end, as sse/huge; `&huge=id`: with `id: <key>-2` before its data, `&huge=noid`:
 *                     without an id), a `product.pin` of `<key>` (id `<key>-3`); then kept open
 * - sse/quiet         headers and a `product.pin` of `<key>`, then nothing (no keep-alive); later requests: the
 *                     same (`&then=ok`) or 503 (`&then=down`)
 * - timeline          a timeline of one `product.pin` of `<key>`, after `&times=N` (default 0) failed requests of
 *                     `&fail=` a status code, `hang` (never answers) or `stall` (headers and part of the body, then
 *                     nothing); sent in `&chunks=N` pieces `&every=ms` apart (default: at once)
 * - hang              never answers (a timeline, a catalog)
 * - log               `{requests: [{at, lastEventId}], closes: [{at, written}]}` for the key: when each request
 *                     arrived (server ms) and each connection closed before the server ended it, with the bytes
 *                     written by then
 */

const PREFIX = '/kol-net/';
/** How long a held request is kept before its socket is dropped, if the client never gives up. */
const HOLD_MS = 60_000;
/** The endless line of sse/huge: past the client's 4 Mi-character limit by 4 MiB, then it stops (bounded). */
export const HUGE_CHARS = 8 * 1024 * 1024;
const CHUNK = 'x'.repeat(64 * 1024);

/** What each key saw. */
const logs = new Map();
const logOf = (key) => {
  if (!logs.has(key)) logs.set(key, {requests: [], closes: []});
  return logs.get(key);
};

/** A valid `product.pin` of `productId`, now. */
const pinEvent = (productId) => ({v: 1, id: `pin-${productId}`, type: 'product.pin', at: new Date().toISOString(), productId});

const streamHeaders = {'content-type': 'text/event-stream', 'cache-control': 'no-store'};

/** Keeps `res` open until the client leaves or HOLD_MS passes; records an early close with the bytes written. */
function hold(res, log, written = () => 0) {
  let ended = false;
  const timer = setTimeout(() => ((ended = true), res.destroy()), HOLD_MS);
  res.once('close', () => {
    clearTimeout(timer);
    if (!ended) log.closes.push({at: Date.now(), written: written()});
  });
}

/** Writes sse/huge's endless line with backpressure, so what is written is what the client has taken in. */
async function writeHugeLine(res, key, counter, first = `id: huge-1\ndata: ${JSON.stringify(pinEvent(`${key}-before`))}\n\ndata: "`) {
  res.write(first);
  counter.written += first.length;
  while (counter.written < HUGE_CHARS && !res.destroyed) {
    counter.written += CHUNK.length;
    if (!res.write(CHUNK)) {
      await new Promise((resolve) => {
        const done = () => (res.off('drain', done), res.off('close', done), resolve());
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
}

const routes = {
  'sse/retry-zero': (req, res) => {
    res.writeHead(200, streamHeaders);
    res.end('retry: 0\n\n');
  },
  'sse/retry-huge': (req, res) => {
    res.writeHead(200, streamHeaders);
    res.end('retry: 3000000000\n\n');
  },
  'sse/drop': (req, res) => {
    res.writeHead(200, streamHeaders);
    res.write(': hello\n\n');
    setTimeout(() => res.destroy(), 20);
  },
  'sse/hang': (req, res, log) => hold(res, log),
  'sse/silent': (req, res, log) => {
    res.writeHead(200, streamHeaders);
    res.flushHeaders();
    hold(res, log);
  },
  'sse/huge': (req, res, log, key) => {
    res.writeHead(200, streamHeaders);
    if (log.requests.length === 1) {
      const counter = {written: 0};
      hold(res, log, () => counter.written);
      void writeHugeLine(res, key, counter);
      return;
    }
    const event = pinEvent(key);
    res.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
    hold(res, log);
  },
  'sse/replay': (req, res, log, key, query) => {
    res.writeHead(200, streamHeaders);
    const before = pinEvent(`${key}-before`);
    const after = pinEvent(key);
    const events = [
      {id: `${key}-1`, text: `id: ${key}-1\ndata: ${JSON.stringify(before)}\n\n`},
      {id: query.huge === 'id' ? `${key}-2` : null, text: `${query.huge === 'id' ? `id: ${key}-2\n` : ''}data: "`, huge: true},
      {id: `${key}-3`, text: `id: ${key}-3\ndata: ${JSON.stringify(after)}\n\n`},
    ];
    const from = events.findIndex((e) => e.id !== null && e.id === log.requests.at(-1).lastEventId) + 1;
    const counter = {written: 0};
    hold(res, log, () => counter.written);
    let text = '';
    for (const event of events.slice(from)) {
      if (!event.huge) {
        text += event.text;
        continue;
      }
      void writeHugeLine(res, key, counter, text + event.text); // never ends: the client has to let go
      return;
    }
    res.write(text);
  },
  'sse/quiet': (req, res, log, key, query) => {
    if (log.requests.length > 1 && query.then === 'down') {
      res.writeHead(503, {'content-type': 'text/plain'});
      res.end('down');
      return;
    }
    res.writeHead(200, streamHeaders);
    const event = pinEvent(key);
    res.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
    hold(res, log);
  },
  timeline: (req, res, log, key, query) => {
    if (log.requests.length <= Number(query.times ?? 0)) {
      if (query.fail === 'hang') return hold(res, log);
      if (query.fail === 'stall') {
        res.writeHead(200, {'content-type': 'application/json'});
        res.write('[');
        return hold(res, log);
      }
      res.writeHead(Number(query.fail), {'content-type': 'text/plain'});
      res.end('failed');
      return;
    }
    const chunks = Number(query.chunks ?? 1);
    // Padded with whitespace (valid JSON) so that each piece carries something.
    const body = JSON.stringify([pinEvent(key)]).padEnd(chunks * 64);
    const size = Math.ceil(body.length / chunks);
    res.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'});
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      res.write(body.slice(sent * size, ++sent * size));
      if (sent < chunks) setTimeout(next, Number(query.every ?? 0));
      else res.end();
    };
    next();
  },
  hang: (req, res, log) => hold(res, log),
};

/** Koa middleware serving /kol-net/ (see the file comment); every other path goes on. */
export async function middleware(ctx, next) {
  if (!ctx.path.startsWith(PREFIX)) return next();
  const route = ctx.path.slice(PREFIX.length);
  const key = ctx.query.key;
  if (typeof key !== 'string' || !key) {
    ctx.status = 400;
    ctx.body = {error: 'key: a name unique to the test'};
    return;
  }
  if (route === 'log') {
    ctx.set('cache-control', 'no-store');
    ctx.body = logOf(key);
    return;
  }
  const handler = routes[route];
  if (!handler) return next();
  const log = logOf(key);
  log.requests.push({at: Date.now(), lastEventId: ctx.get('last-event-id') || null});
  // Written to the socket directly, like the demo's streams: no runner headers, no buffering.
  ctx.respond = false;
  handler(ctx.req, ctx.res, log, key, ctx.query);
  // Koa's status is still its default 404 for a request held unanswered: say 200 so the runner does not log it.
  if (!ctx.res.headersSent) ctx.res.statusCode = 200;
}
