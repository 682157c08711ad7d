/**
 * The kolkit demo app: the store and host pages, a simulated live HLS origin, an SSE hub and the host API,
 * as one node:http handler. `npm start` runs it standalone; web-test-runner mounts the same handler as
 * middleware, so the tests exercise exactly what the demo serves.
 *
 *   /demo, /demo/                              → /demo/store.html (and `/` too when standalone)
 *   /demo/*.html|css|js|json|svg, /dist/cdn/*   static files
 *   /live/index.m3u8, /live/seg/<seq>.ts       the live stream, host events as EXT-X-DATERANGE
 *   /events                                    SSE: every host event, with Last-Event-ID resume
 *   POST /api/host/event, GET /api/host/state, GET /api/clock
 */
import {existsSync} from 'node:fs';
import {createServer} from 'node:http';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createHostEvent} from './lib/host-api.mjs';
import {BodyError, NO_STORE, readJson, sendJson, sendText} from './lib/http.mjs';
import {createLivePlaylist} from './lib/live-playlist.mjs';
import {createSseHub} from './lib/sse-hub.mjs';
import {createShowHistory} from './lib/show-history.mjs';
import {createStatic} from './lib/static.mjs';

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(DEMO_DIR);
const CDN_DIR = join(ROOT, 'dist', 'cdn');

/**
 * What a careful merchant would send: no inline script or style anywhere, so the SDK is shown to work
 * under it. hls.js needs blob: for its worker and for the MediaSource behind the <video>.
 */
const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
  "media-src 'self' blob:", "worker-src 'self' blob:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'",
].join('; ');

/** Redirects to the store page. */
function toStore(req, res) {
  res.writeHead(302, {...NO_STORE, Location: '/demo/store.html'});
  res.end();
}

/** Public read-only feeds may be used by a page on another origin (a theme preview, a second port). */
const CORS = {'Access-Control-Allow-Origin': '*'};

/**
 * Loads the SDK's own reducer and schema from the build, so the demo folds and validates events exactly
 * as the elements do.
 */
async function loadCore() {
  try {
    const [{reduceShow, initialShowState}, {parseShowEvent}] = await Promise.all([
      import('../dist/esm/core/state.js'),
      import('../dist/esm/core/schema.js'),
    ]);
    if (typeof reduceShow !== 'function' || typeof initialShowState !== 'function' || typeof parseShowEvent !== 'function') {
      throw new Error('reduceShow, initialShowState or parseShowEvent is not exported');
    }
    return {reduceShow, initialShowState, parseShowEvent};
  } catch (cause) {
    throw new Error(
      `kolkit demo: cannot load dist/esm/core/state.js and schema.js (${cause.message}). Run \`npm run build\` first.`,
      {cause},
    );
  }
}

/**
 * Creates the demo app.
 * @param {object} [options]
 * @param {number} [options.segmentDuration] seconds per fixture segment (must match scripts/make-media.sh)
 * @param {number} [options.windowSize] segments in the live playlist
 * @param {string} [options.mediaDir] directory of the fixture's segNNN.ts files
 * @param {() => number} [options.now] the server's wall clock, ms (tests may inject one)
 * @returns {Promise<{handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): boolean, close(): void}>}
 */
export async function createDemoApp({
  segmentDuration = 2,
  windowSize = 6,
  mediaDir = join(DEMO_DIR, 'media', 'live'),
  now = Date.now,
} = {}) {
  const core = await loadCore();
  const history = createShowHistory(core);
  const hub = createSseHub({now});
  // Start the stream a full window in the past, so the very first playlist already lists `windowSize` segments.
  const live = createLivePlaylist({mediaDir, segmentDuration, windowSize, startAt: now() - windowSize * segmentDuration * 1000});
  const pages = createStatic(DEMO_DIR, ['.html', '.css', '.js', '.json', '.svg'], {'.html': {'Content-Security-Policy': PAGE_CSP}});
  const cdn = createStatic(CDN_DIR, ['.js', '.map']);

  const handlers = {
    playlist(req, res) {
      res.writeHead(200, {...NO_STORE, ...CORS, 'Content-Type': 'application/vnd.apple.mpegurl'});
      res.end(live.render(now(), history.events));
    },
    segment(req, res, seq) {
      const bytes = live.segment(seq, now());
      if (!bytes) return sendText(res, 404, 'segment not produced yet', CORS);
      // A sequence number always maps to the same fixture file, so its bytes never change.
      res.writeHead(200, {...CORS, 'Content-Type': 'video/mp2t', 'Content-Length': bytes.length, 'Cache-Control': 'public, max-age=3600'});
      res.end(bytes);
    },
    events(req, res, url) {
      // EventSource resends the header itself; the query parameter is for clients that cannot set headers.
      const lastEventId = req.headers['last-event-id'] || url.searchParams.get('lastEventId') || null;
      hub.connect(res, history.catchUp(lastEventId, now()), CORS);
    },
    async postEvent(req, res) {
      let body;
      try {
        body = await readJson(req);
      } catch (error) {
        if (error instanceof BodyError) return sendJson(res, error.status, {error: error.message});
        throw error;
      }
      const result = createHostEvent(body, now(), core.parseShowEvent);
      if ('error' in result) return sendJson(res, 400, {error: result.error});
      history.append(result.event);
      hub.broadcast(result.event);
      sendJson(res, 201, result.event);
    },
    state(req, res) {
      sendJson(res, 200, {state: history.state(), count: history.events.length});
    },
    clock(req, res) {
      sendJson(res, 200, {now: new Date(now()).toISOString()}, CORS);
    },
  };

  /** The handler for a request, or null when the path is not the demo's. Decides without side effects. */
  function route(method, path) {
    const only = (allowed, run) => (req, res, url) =>
      allowed.includes(method) ? run(req, res, url) : sendText(res, 405, 'method not allowed', {Allow: allowed.join(', ')});
    const read = (run) => only(['GET', 'HEAD'], run);

    // Not `/`: the host server owns its root (web-test-runner serves its test pages at `/?wtr-session-id=…`).
    if (path === '/demo' || path === '/demo/') return toStore;
    if (path === '/live/index.m3u8') return read(handlers.playlist);
    const segment = /^\/live\/seg\/(\d{1,9})\.ts$/.exec(path);
    if (segment) return read((req, res) => handlers.segment(req, res, Number(segment[1])));
    if (path === '/events') return only(['GET'], handlers.events);
    if (path === '/api/host/event') return only(['POST'], handlers.postEvent);
    if (path === '/api/host/state') return read(handlers.state);
    if (path === '/api/clock') return read(handlers.clock);
    if (path.startsWith('/demo/') && pages.accepts(path)) return read((req, res) => pages.serve(res, path.slice(6)));
    if (path.startsWith('/dist/cdn/') && cdn.accepts(path)) return read((req, res) => cdn.serve(res, path.slice(10)));
    return null;
  }

  return {
    /**
     * Serves `req` if it is one of the demo's paths. Returns false at once, without touching `res`, if not;
     * otherwise true, and the response is written (possibly later) by the demo.
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     */
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const run = route(req.method ?? 'GET', url.pathname);
      if (!run) return false;
      // Until the real status is written, a host that inspects it (web-test-runner lists 404s after its
      // middleware chain returns) must not mistake a pending answer for Node's default 404.
      res.statusCode = 200;
      Promise.resolve()
        .then(() => run(req, res, url))
        .catch((error) => {
          console.error('kolkit demo:', req.method, url.pathname, error);
          if (res.headersSent) res.destroy();
          else sendText(res, 500, 'internal error');
        });
      return true;
    },

    /** Ends every event stream and stops the timers. */
    close() {
      hub.close();
    },
  };
}

/** Listens on 127.0.0.1:`port`, or the next free port of the following 19. */
async function listen(server, port) {
  for (let candidate = port; candidate < port + 20; candidate++) {
    try {
      await new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(candidate, '127.0.0.1', () => {
          server.off('error', fail);
          done();
        });
      });
      return candidate;
    } catch (error) {
      if (error.code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`kolkit demo: ports ${port}–${port + 19} are all taken; set PORT`);
}

async function main() {
  const app = await createDemoApp();
  if (!existsSync(join(CDN_DIR, 'kolkit.js'))) {
    console.warn('kolkit demo: dist/cdn/kolkit.js is missing, so the pages will have no elements. Run `npm run build` (npm start does).');
  }
  const server = createServer((req, res) => {
    if (app.handle(req, res)) return;
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/') toStore(req, res);
    else sendText(res, 404, 'not found');
  });
  const port = await listen(server, Number(process.env.PORT) || 8080);
  console.log(`kolkit demo\n  store: http://127.0.0.1:${port}/demo/store.html\n  host:  http://127.0.0.1:${port}/demo/host.html`);
  const stop = () => {
    app.close();
    server.close();
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
