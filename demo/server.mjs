/**
 * The kolkit demo app: the store pages, a simulated live HLS origin and the show server (src/server, embedded
 * mode: its API under /v1/ and the host's studio at /studio), as one node:http handler. `npm start` runs it
 * standalone; web-test-runner mounts the same handler as middleware, so the tests exercise exactly what the
 * demo serves. The demo's show is `demo`: the live stream carries its host events, read from the show
 * server's log, as EXT-X-DATERANGE and timed ID3.
 *
 *   /demo, /demo/                              → /demo/store.html (and `/` too when standalone)
 *   /demo/*.html|css|js|json|svg, /dist/cdn/*   static files (/demo/strict.html with STRICT_CSP)
 *   /dist/cdn-as/<v>/<file>.js                 the CDN build renamed to release <v>: a second copy (demo/double.html)
 *   /live/index.m3u8, /live/seg/<seq>.ts       the live stream in MPEG-TS
 *   /live-fmp4/index.m3u8, /live-fmp4/init.mp4, /live-fmp4/seg/<seq>.m4s   the same stream in fMP4
 *       both: host events as EXT-X-DATERANGE (`?daterange=0`: none), as timed ID3 with `?id3=1`, faults
 *       with `?fault=<kind>&faultId=<unique>` (lib/faults.mjs; the URL contract is in demo/README.md)
 *   /live-ll/index.m3u8, /live-ll/init.mp4, /live-ll/part/<seq>.<k>.m4s, /live-ll/seg/<seq>.m4s   the same
 *       stream as low-latency HLS (lib/ll-hls.mjs): 0.4-s parts, preload hints, blocking playlist reloads
 *       (`_HLS_msn`, `_HLS_part`); `?daterange=0`, `?id3=1` and `?window=` as above, no speed or faults
 *   /replay/index.m3u8, /replay/timeline.json  a recorded show (VOD) and its timeline (`?daterange=1`)
 *   /media/*                                   the fixture files themselves (the replay's segments; the
 *                                              captioned show media/captions/master.m3u8)
 *   /v1/…, /studio                             the show server (docs/server.md): host events (a host token),
 *                                              viewers' SSE (/v1/shows/demo/events), state, timeline, chat,
 *                                              reactions; the studio (`/studio#token=<host token>`)
 *   /shopify/*                                 a local Shopify storefront's Ajax Cart API (lib/shopify-ajax.mjs)
 *   /demo/shopify-theme/                       a Dawn-like theme page rendering the Shopify theme app extension's
 *                                              Liquid against that store (lib/shopify-theme-page.mjs)
 */
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {NO_STORE, sendJson, sendText} from './lib/http.mjs';
import {createFaults, faultQuery, parseFault} from './lib/faults.mjs';
import {loadFmp4Fixture, loadTsFixture} from './lib/fixtures.mjs';
import {createLivePlaylist, readStreamQuery} from './lib/live-playlist.mjs';
import {createLowLatencyRoutes, createLowLatencyStream} from './lib/ll-hls.mjs';
import {loadTimeline, renderReplay} from './lib/replay.mjs';
import {createStreamFeed} from './lib/stream-feed.mjs';
import {createShopifyAjax} from './lib/shopify-ajax.mjs';
import {createShopifyThemePage} from './lib/shopify-theme-page.mjs';
import {createStatic} from './lib/static.mjs';
import {serveVersionCopy} from './lib/version-copy.mjs';

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(DEMO_DIR);
const CDN_DIR = join(ROOT, 'dist', 'cdn');
const MEDIA_DIR = join(DEMO_DIR, 'media');
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/**
 * What a careful merchant would send: no inline script or style anywhere, so the SDK is shown to work
 * under it. hls.js needs blob: for its worker and for the MediaSource behind the <video>.
 */
const pageCsp = (connect = []) => [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
  // data: only for hls.js's caption tracks (<track src="data:,WEBVTT">); it allows media, never script.
  "media-src 'self' blob: data:", "worker-src 'self' blob:", ["connect-src 'self'", ...connect].join(' '),
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'",
].join('; ');

/**
 * demo/strict.html's policy: the page CSP with Trusted Types enforced. Only two policies may exist:
 * `lit-html` (Lit's templates) and `kolkit` (hls.js's worker URL, src/cdn/hls-worker-policy.ts).
 * img-src allows https: as a merchant's product images live on a CDN (kolkit never shows a data: image);
 * worker-src needs no blob: (hls.js's worker is a file); media-src needs blob: for MediaSource.
 */
const STRICT_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' https:",
  "media-src 'self' blob:", "worker-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'",
  "require-trusted-types-for 'script'", "trusted-types lit-html kolkit",
].join('; ');

/** The release the build names itself (demo/double.html asks for a copy renamed to another one). */
const BUILT_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** Redirects to the store page. */
function toStore(req, res) {
  res.writeHead(302, {...NO_STORE, Location: '/demo/store.html'});
  res.end();
}

/** Public read-only feeds may be used by a page on another origin (a theme preview, a second port). */
const CORS = {'Access-Control-Allow-Origin': '*'};

/** The demo's show: the one the live stream carries, the store pages follow and the studio opens. */
export const DEMO_SHOW = 'demo';
/** Its viewers' event stream (the pages' `<kol-show events>`). */
export const DEMO_EVENTS = `/v1/shows/${DEMO_SHOW}/events`;

/**
 * Loads the build's show server and the SDK's schema (the replay's timeline is checked with it, as the
 * elements check it).
 */
async function loadBuild() {
  try {
    const [server, {parseShowEvent}] = await Promise.all([
      import('../dist/node/server/index.js'),
      import('../dist/esm/core/schema.js'),
    ]);
    if (typeof server.createShowService !== 'function' || typeof parseShowEvent !== 'function') {
      throw new Error('createShowService or parseShowEvent is not exported');
    }
    return {server, parseShowEvent};
  } catch (cause) {
    throw new Error(
      `kolkit demo: cannot load dist/node/server/index.js and dist/esm/core/schema.js (${cause.message}). Run \`npm run build\` first.`,
      {cause},
    );
  }
}

/**
 * The show server's secrets: KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET when both are set, else random ones
 * for this run (tokens signed with them stop working when the demo stops, as they should for a demo).
 */
function demoSecrets(env = process.env) {
  if (env.KOLKIT_HOST_SECRET && env.KOLKIT_VIEWER_SECRET) return {host: env.KOLKIT_HOST_SECRET, viewer: env.KOLKIT_VIEWER_SECRET};
  const random = () => randomBytes(32).toString('base64url');
  return {host: random(), viewer: random()};
}

/** Segments already on air when the app starts (at speed 1): the very first playlist can list this many. */
const ON_AIR_SEGMENTS = 90;
/** The largest DVR window (in segments) a live playlist request may ask for with `?window=`: an hour. */
const MAX_WINDOW = 1800;
/** The fastest `?speed=` (program seconds per wall-clock second) of a live stream. */
const MAX_SPEED = 64;

/**
 * Creates the demo app.
 * @param {object} [options]
 * @param {number} [options.segmentDuration] seconds per fixture segment (must match scripts/make-media.sh)
 * @param {number} [options.windowSize] segments in the live playlists
 * @param {string} [options.mediaRoot] the fixture tree: live/segNNN.ts, live-fmp4/{init.mp4,segNNN.m4s},
 *   replay/timeline.json (served as is under /media/)
 * @param {() => number} [options.now] the stream's wall clock, ms (the show server stamps events with the
 *   real one: inject a clock only for streams without host events)
 * @param {string} [options.dataDir] the show server's data directory (its logs); default a fresh temporary
 *   one, removed by `close()`
 * @param {{host: string, viewer: string}} [options.secrets] the show server's secrets (default: the
 *   environment's KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET, else random ones for this run)
 * @param {number} [options.viewersPeriodMs] the viewer count's period (default the server's, 5 s)
 * @param {string[]} [options.connectOrigins] show servers on other origins the pages may call (added to the
 *   pages' CSP `connect-src`, as a merchant adds their show server's origin)
 * @param {import('pino').Logger} [options.logger] the show server's logger (default: warnings and errors on
 *   stdout, or KOLKIT_LOG_LEVEL; a request log would drown the demo's terminal)
 * @returns {Promise<DemoApp>}
 *
 * @typedef {object} DemoApp
 * @property {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} handle
 * @property {(ttlSeconds?: number, show?: string) => Promise<string>} hostToken a host token for the demo show, or
 *   another (the studio link, tests' fixtures; never put in a page)
 * @property {(options: {sub: string, name?: string, ttlSeconds?: number}) => Promise<string>} viewerToken a
 *   customer's viewer token, as a merchant's backend signs one
 * @property {import('../dist/node/server/index.js').ShowService} service the embedded show server
 * @property {() => Promise<void>} close
 */
export async function createDemoApp({
  segmentDuration = 2,
  windowSize = 6,
  mediaRoot = MEDIA_DIR,
  now = Date.now,
  dataDir,
  secrets = demoSecrets(),
  viewersPeriodMs,
  logger,
  connectOrigins = [],
} = {}) {
  const {server, parseShowEvent} = await loadBuild();
  const ownDataDir = dataDir ? null : mkdtempSync(join(tmpdir(), 'kolkit-demo-'));
  let service;
  let feed;
  try {
    service = await server.createShowService({
      dataDir: dataDir ?? ownDataDir,
      secrets,
      node: 'demo',
      logger: logger ?? server.createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'demo'}),
      ...(viewersPeriodMs ? {viewersPeriodMs} : {}),
      studio: {show: DEMO_SHOW, catalog: '/demo/catalog.json', stream: '/live/index.m3u8'},
    });
    feed = await createStreamFeed(service.logs, DEMO_SHOW);
  } catch (error) {
    await service?.close();
    if (ownDataDir) rmSync(ownDataDir, {recursive: true, force: true});
    throw error;
  }
  const faults = createFaults({now});
  const shopify = createShopifyAjax();
  const shopifyTheme = createShopifyThemePage({
    extensionDir: join(ROOT, 'integrations', 'shopify-app', 'extensions', 'kolkit-theme'),
    themeDir: join(DEMO_DIR, 'shopify-theme'),
  });
  const ts = loadTsFixture(join(mediaRoot, 'live'));
  const fmp4 = loadFmp4Fixture(join(mediaRoot, 'live-fmp4'));
  const timeline = loadTimeline(join(mediaRoot, 'replay', 'timeline.json'), parseShowEvent);
  // Start the streams ON_AIR_SEGMENTS in the past, so the very first playlist already lists `windowSize`
  // segments (a larger `?window=` fills up as the show goes on; a `?speed=` stream has `speed` times as many
  // on air). Both streams share the clock: an event is at the same program time in each.
  const startAt = now() - ON_AIR_SEGMENTS * segmentDuration * 1000;
  /** The live streams by path prefix: the same show in MPEG-TS and in fMP4. */
  const streams = {
    live: {
      fixture: ts,
      ext: 'ts',
      playlist: createLivePlaylist({
        segmentCount: ts.names.length, segmentDuration, windowSize, startAt,
        segmentUri: (seq, query) => `seg/${seq}.ts${query}`,
      }),
    },
    'live-fmp4': {
      fixture: fmp4,
      ext: 'm4s',
      playlist: createLivePlaylist({
        segmentCount: fmp4.names.length, segmentDuration, windowSize, startAt, map: 'init.mp4',
        segmentUri: (seq, query) => `seg/${seq}.m4s${query}`,
      }),
    },
  };
  // The fMP4 show again, published in parts as it is "encoded": the same clock, so the same program times.
  const lowLatency = createLowLatencyRoutes({
    stream: createLowLatencyStream({fixture: fmp4, segmentDuration, windowSize, startAt}),
    fixture: fmp4, events: () => feed.events, now, windowSize, maxWindow: MAX_WINDOW,
  });
  const replayUris = ts.names.map((name) => `/media/live/${name}`);
  const pages = createStatic(DEMO_DIR, ['.html', '.css', '.js', '.json', '.svg'], {'.html': {'Content-Security-Policy': pageCsp(connectOrigins)}});
  const strictPage = createStatic(DEMO_DIR, ['.html'], {'.html': {'Content-Security-Policy': STRICT_CSP}});
  const cdn = createStatic(CDN_DIR, ['.js', '.map']);
  // The recorded show's segments never change: cacheable, like any VOD on a CDN.
  // The captioned recorded show (media/captions/) is static playlists and WebVTT: revalidated, like the pages.
  const media = createStatic(mediaRoot, ['.ts', '.m4s', '.mp4', '.json', '.m3u8', '.vtt'], {
    ...Object.fromEntries(['.ts', '.m4s', '.mp4'].map((ext) => [ext, {...CORS, 'Cache-Control': 'public, max-age=3600'}])),
    '.m3u8': CORS,
    '.vtt': CORS,
  });

  /**
   * The stream options of a live request's query: `daterange`, `id3`, `window`, `speed`, `fault…`
   * (demo/README.md), or an error.
   * `carry` is the query its segment URIs repeat.
   */
  function streamOptions(params) {
    const common = readStreamQuery(params, windowSize, MAX_WINDOW);
    if ('error' in common) return common;
    const {dateRange, id3, window} = common;
    const speed = params.has('speed') ? Number(params.get('speed')) : 1;
    if (!(speed >= 1 && speed <= MAX_SPEED)) return {error: `speed: 1 to ${MAX_SPEED}`};
    const parsed = parseFault(params);
    if ('error' in parsed) return parsed;
    // A segment of a fast stream is on air sooner: its URI says so, for fileOf().
    const carry = [id3 ? 'id3=1' : '', speed !== 1 ? `speed=${speed}` : '', faultQuery(parsed.fault)].filter(Boolean).join('&');
    return {dateRange, id3, window, speed, fault: parsed.fault, carry: carry && `?${carry}`};
  }

  const handlers = {
    playlist(req, res, url, stream) {
      const options = streamOptions(url.searchParams);
      if ('error' in options) return sendText(res, 400, options.error, CORS);
      const {fault} = options;
      let at = now();
      let ended = false;
      let events = feed.events;
      if (fault) {
        const {phase, since} = faults.check(fault);
        if (phase === 'during') {
          if (fault.kind === 'playlist-500') return sendText(res, 500, 'injected fault: playlist-500', CORS);
          // A stalled packager keeps serving the playlist it last wrote; an ended show's last one gets ENDLIST.
          if (fault.kind === 'stall' || fault.kind === 'end') at = since;
          ended = fault.kind === 'end';
          // A date range whose event is malformed (a pin without its product), listed on every reload while
          // its segment is in the window.
          if (fault.kind === 'bad-daterange') {
            events = [...events, {v: 1, id: `bad-daterange-${fault.id}`, type: 'product.pin', at: new Date(since).toISOString()}];
          }
        }
      }
      res.writeHead(200, {...NO_STORE, ...CORS, 'Content-Type': PLAYLIST_TYPE});
      res.end(stream.playlist.render(at, events, {dateRange: options.dateRange, query: options.carry, ended, windowSize: options.window, speed: options.speed}));
    },
    segment(req, res, url, stream, seq) {
      const options = streamOptions(url.searchParams);
      if ('error' in options) return sendText(res, 400, options.error, CORS);
      const {fault} = options;
      const phase = fault ? faults.check(fault).phase : 'before';
      if (phase === 'during' && fault?.kind === 'segment-404') return sendText(res, 404, 'injected fault: segment-404', CORS);
      const index = stream.playlist.fileOf(seq, now(), options.speed);
      if (index === null) return sendText(res, 404, 'segment not produced yet', CORS);
      // A segment is produced once its end has passed, and every event stamped inside it is older than that,
      // so its bytes never change while this server runs. A plain one is the same fixture file in every run:
      // cacheable. One with events differs from run to run (and a faulty stream's retries must reach the
      // server): not cached.
      const bytes = options.id3
        ? stream.fixture.withEvents(index, stream.playlist.eventsIn(seq, feed.events), {broken: phase === 'during' && fault?.kind === 'bad-id3'})
        : stream.fixture.bytes(index);
      res.writeHead(200, {
        ...CORS,
        'Content-Type': stream.fixture.contentType,
        'Content-Length': bytes.length,
        'Cache-Control': fault || options.id3 ? 'no-store' : 'public, max-age=3600',
      });
      if (phase === 'during' && fault?.kind === 'drop' && req.method !== 'HEAD') {
        // Half the body, then the connection dies: the client sees a truncated response.
        res.write(bytes.subarray(0, bytes.length >> 1), () => setTimeout(() => res.destroy(), 50));
        return;
      }
      res.end(bytes);
    },
    init(req, res, stream) {
      const bytes = stream.fixture.init;
      res.writeHead(200, {...CORS, 'Content-Type': 'video/mp4', 'Content-Length': bytes.length, 'Cache-Control': 'public, max-age=3600'});
      res.end(bytes);
    },
    replay(req, res, url) {
      const value = url.searchParams.get('daterange') ?? '0';
      if (value !== '0' && value !== '1') return sendText(res, 400, 'daterange: 0 or 1', CORS);
      res.writeHead(200, {...CORS, 'Content-Type': PLAYLIST_TYPE, 'Cache-Control': 'no-cache'});
      res.end(renderReplay({segmentUris: replayUris, segmentDuration, timeline, dateRange: value === '1'}));
    },
    timeline(req, res) {
      sendJson(res, 200, timeline, {...CORS, 'Cache-Control': 'no-cache'});
    },
  };

  /** The handler for a request, or null when the path is not the demo's. Decides without side effects. */
  function route(method, path) {
    const only = (allowed, run) => (req, res, url) =>
      allowed.includes(method) ? run(req, res, url) : sendText(res, 405, 'method not allowed', {Allow: allowed.join(', ')});
    const read = (run) => only(['GET', 'HEAD'], run);

    // Not `/`: the host server owns its root (web-test-runner serves its test pages at `/?wtr-session-id=…`).
    if (path === '/demo' || path === '/demo/') return toStore;
    // The old host console is the studio now (which asks for the host token the server printed).
    if (path === '/demo/host.html') return read((req, res) => {
      res.writeHead(301, {...NO_STORE, Location: '/studio'});
      res.end();
    });
    const live = /^\/(live|live-fmp4)\/(.+)$/.exec(path);
    if (live) {
      const stream = streams[/** @type {'live' | 'live-fmp4'} */ (live[1])];
      if (live[2] === 'index.m3u8') return read((req, res, url) => handlers.playlist(req, res, url, stream));
      if (live[2] === 'init.mp4' && stream.fixture.init) return read((req, res) => handlers.init(req, res, stream));
      const segment = /^seg\/(\d{1,9})\.(ts|m4s)$/.exec(live[2]);
      if (segment?.[2] === stream.ext) return read((req, res, url) => handlers.segment(req, res, url, stream, Number(segment[1])));
      return null;
    }
    const ll = /^\/live-ll\/(.+)$/.exec(path);
    if (ll) {
      const run = lowLatency.route(ll[1]);
      return run && read(run);
    }
    if (path === '/replay/index.m3u8') return read(handlers.replay);
    if (path === '/replay/timeline.json') return read(handlers.timeline);
    if (path.startsWith('/media/') && media.accepts(path)) return read((req, res) => media.serve(res, path.slice(7)));
    if (path === '/demo/strict.html') return read((req, res) => strictPage.serve(res, 'strict.html'));
    const themePage = shopifyTheme.route(method, path);
    if (themePage) return themePage;
    if (path.startsWith('/demo/') && pages.accepts(path)) return read((req, res) => pages.serve(res, path.slice(6)));
    const copy = /^\/dist\/cdn-as\/([^/]+)\/([^/]+)$/.exec(path);
    if (copy) return read((req, res) => serveVersionCopy(res, CDN_DIR, BUILT_VERSION, copy[1], copy[2]));
    if (path.startsWith('/dist/cdn/') && cdn.accepts(path)) return read((req, res) => cdn.serve(res, path.slice(10)));
    return shopify.route(method, path);
  }

  return {
    service,
    hostToken: (ttlSeconds = 12 * 60 * 60, show = DEMO_SHOW) => server.signHostToken({role: 'host', show, ttlSeconds, sub: 'demo-host'}, secrets.host),
    viewerToken: ({sub, name, ttlSeconds = 60 * 60}) => server.signViewerToken({sub, name, ttlSeconds}, secrets.viewer),

    /**
     * Serves `req` if it is one of the demo's paths or the show server's. Returns false at once, without
     * touching `res`, if not; otherwise true, and the response is written (possibly later).
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     */
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const run = route(req.method ?? 'GET', url.pathname);
      if (!run) {
        if (!service.handle(req, res)) return false;
        // As below: a pending answer must not look like Node's default 404 to a host that inspects it.
        if (!res.headersSent) res.statusCode = 200;
        return true;
      }
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

    /** Ends every event stream, stops the show server and removes its data if the app made the directory. */
    async close() {
      feed.close();
      await service.close();
      if (ownDataDir) rmSync(ownDataDir, {recursive: true, force: true});
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

/**
 * `npm start`: the demo on one port. The show server keeps its log in KOLKIT_DATA when set (restarts keep the
 * show), else in a temporary directory removed at exit: the demo's secrets and its stream's clock are per
 * run, so an old run's show would only confuse the new one, and two demos can run side by side.
 */
async function main() {
  const app = await createDemoApp({dataDir: process.env.KOLKIT_DATA || undefined});
  if (!existsSync(join(CDN_DIR, 'kolkit.js'))) {
    console.warn('kolkit demo: dist/cdn/kolkit.js is missing, so the pages will have no elements. Run `npm run build` (npm start does).');
  }
  const server = createServer((req, res) => {
    if (app.handle(req, res)) return;
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/') toStore(req, res);
    else sendText(res, 404, 'not found');
  });
  const port = await listen(server, Number(process.env.PORT) || 8080);
  const at = (path) => `http://127.0.0.1:${port}${path}`;
  // The token rides in the fragment: a browser never sends it, so no log or proxy on the way sees it.
  const token = await app.hostToken();
  console.log([
    'kolkit demo (show server embedded: memory adapter, local live stream)',
    `  store:   ${at('/demo/store.html')}`,
    `  studio:  ${at(`/studio#token=${token}`)}`,
    `  shopify: ${at('/demo/shopify-theme/')} (the theme app extension on a local Ajax cart)`,
    `  react:   ${at('/demo/react/index.html')}`,
    `  LL-HLS:  ${at('/demo/store.html?stream=ll')} (the store on the low-latency stream ${at('/live-ll/index.m3u8')})`,
    `  api:     ${at('/v1/shows/demo/state')} (docs/server.md)`,
  ].join('\n'));
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close();
    app.close().then(() => process.exit(0), (error) => {
      console.error('kolkit demo: shutdown failed:', error.message);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
