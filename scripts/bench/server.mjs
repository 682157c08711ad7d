// The bench's HTTP server on an ephemeral 127.0.0.1 port: the demo app (createDemoApp: live HLS origin,
// with its accelerated `?speed=` streams, SSE hub, host API, dist/cdn) plus what only the bench needs: its
// pages (HTML strings from pages.mjs), hls.js's own ESM build for the bare page, and the long show's
// generated timeline (and, for the replay variant, a ≥ 2 h VOD over the fixture segments with PDT).
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createDemoApp} from '../../demo/server.mjs';
import {renderPage} from './pages.mjs';
import {random} from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bare page's hls.js (pages.mjs): the same full build kolkit's lazy chunk bundles, minified as kolkit's is. */
const BARE_HLS_PATH = '/node_modules/hls.js/dist/hls.min.mjs';
const SEGMENT_SECONDS = 2;
const FIXTURE_SEGMENTS = 12; // demo/media/live/seg000.ts … seg011.ts

/**
 * A VOD playlist of `segments` 2-s segments looping the demo's TS fixture (a discontinuity at every wrap,
 * as the demo's live origin writes), with EXT-X-PROGRAM-DATE-TIME from `start` (ms).
 */
export function longPlaylist(segments, start) {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`, '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS', '#EXT-X-MEDIA-SEQUENCE:0'];
  for (let i = 0; i < segments; i++) {
    const file = i % FIXTURE_SEGMENTS;
    if (i > 0 && file === 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(start + i * SEGMENT_SECONDS * 1000).toISOString()}`);
    lines.push(`#EXTINF:${SEGMENT_SECONDS.toFixed(3)},`, `/media/live/seg${String(file).padStart(3, '0')}.ts`);
  }
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

/**
 * A long show's timeline: about `perSecond` events per second of stream time from `start` for `seconds`,
 * a seeded mix of chat, viewers, stock, pins and unpins of the demo catalog, and a flash deal at the start
 * and every 10 minutes, each running from `dealStartsAt` (default: when it is announced) to `dealEndsAt` on the wall
 * clock, so countdowns keep ticking through the run whatever the stream's program time.
 */
export function longTimeline({start, seconds, perSecond = 0.7, dealStartsAt, dealEndsAt, seed = 7}) {
  const rand = random(seed);
  const products = ['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks', 'p-candle'];
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const events = [];
  const iso = (ms) => new Date(ms).toISOString();
  let n = 0;
  const add = (ms, fields) => events.push({v: 1, id: `long-${String(++n).padStart(5, '0')}`, at: iso(ms), ...fields});
  add(start, {type: 'show.status', status: 'live', startsAt: iso(start)});
  const deals = [];
  let viewers = 200;
  for (let t = start + 500; t < start + seconds * 1000; t += (1000 / perSecond) * (0.5 + rand())) {
    const ms = Math.round(t);
    // A deal at the start (a viewer joining sees it at once) and every 10 minutes after.
    if (ms - start >= deals.length * 600_000) {
      const dealId = `long-deal-${deals.length + 1}`;
      deals.push(dealId);
      add(ms, {type: 'deal.start', dealId, productId: pick(products), price: {amount: '9.90', currencyCode: 'EUR'},
        startsAt: iso(dealStartsAt ?? ms), endsAt: iso(dealEndsAt), stock: 500, limitPerCustomer: 2});
      continue;
    }
    const r = rand();
    if (r < 0.4) add(ms, {type: 'chat.message', author: `viewer${Math.floor(rand() * 5000)}`, text: `Message ${n}: how does it fit? ${'♥'.repeat(1 + Math.floor(rand() * 5))}`});
    else if (r < 0.6) add(ms, {type: 'viewers.update', count: (viewers = Math.max(0, viewers + Math.round((rand() - 0.45) * 40)))});
    else if (r < 0.72) add(ms, {type: 'stock.update', productId: pick(products), available: Math.floor(rand() * 50)});
    else if (r < 0.77 && deals.length) add(ms, {type: 'stock.update', dealId: deals.at(-1), available: 1 + Math.floor(rand() * 400)});
    else if (r < 0.9) {
      const productId = pick(products);
      add(ms, {type: 'product.pin', productId, label: `#${n}`, note: `Pinned at ${iso(ms).slice(11, 19)}`});
    } else add(ms, {type: 'product.unpin', productId: pick(products)});
  }
  return events;
}

/**
 * Starts the server. The long show's timeline (and its VOD, for the replay) is set later with `setLongShow`.
 * @returns {Promise<{origin: string, hostEvent(body: object): Promise<object>, setLongShow(show: {timeline: object[], vod?: {segments: number, start: number}}): void, close(): Promise<void>}>}
 */
export async function startBenchServer() {
  const app = await createDemoApp();
  /** @type {{playlist: string | null, timeline: object[]} | null} */
  let long = null;
  const hlsModule = await readFile(join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.min.mjs'));

  const send = (res, status, type, body) => {
    res.writeHead(status, {'Content-Type': type, 'Cache-Control': 'no-store'});
    res.end(body);
  };
  const server = createServer((req, res) => {
    if (app.handle(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = /^\/bench\/([\w-]+)\.html$/.exec(url.pathname);
    if (page) {
      const html = renderPage(page[1], url.searchParams);
      return html === null ? send(res, 404, 'text/plain', 'no such bench page') : send(res, 200, 'text/html; charset=utf-8', html);
    }
    if (url.pathname === BARE_HLS_PATH) {
      // Revalidated like kolkit's own files under /dist/cdn/ (no-cache); every run uses a fresh context anyway.
      res.writeHead(200, {'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': hlsModule.length});
      return res.end(hlsModule);
    }
    if (url.pathname === '/bench/long/index.m3u8' && long?.playlist) return send(res, 200, 'application/vnd.apple.mpegurl', long.playlist);
    if (url.pathname === '/bench/long/timeline.json' && long) {
      // A chunk: `count` events from index `from`, and how many there are in all.
      const from = Number(url.searchParams.get('from') ?? 0);
      const count = Number(url.searchParams.get('count') ?? long.timeline.length);
      const events = long.timeline.slice(from, from + count);
      return send(res, 200, 'application/json', JSON.stringify({total: long.timeline.length, events}));
    }
    send(res, 404, 'text/plain', 'not found');
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  /** @type {Promise<string> | undefined} */
  let token;
  return {
    origin,
    /** Posts a host action to the demo show through the show server's API (with a host token); returns the stamped event. */
    async hostEvent(body) {
      token ??= app.hostToken();
      const headers = {'Content-Type': 'application/json', Authorization: `Bearer ${await token}`};
      const res = await fetch(`${origin}/v1/shows/demo/events`, {method: 'POST', headers, body: JSON.stringify(body)});
      const json = await res.json();
      if (res.status !== 201) throw new Error(`the show server answered ${res.status}: ${json.message ?? json.error}`);
      return json;
    },
    /**
     * Serves `timeline` at /bench/long/timeline.json?from=&count= (`{total, events}`) and, with `vod`, its
     * replay at /bench/long/index.m3u8.
     */
    setLongShow({timeline, vod}) {
      long = {timeline, playlist: vod ? longPlaylist(vod.segments, vod.start) : null};
    },
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
