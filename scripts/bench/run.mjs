// `npm run bench`: a benchmark, not a test. It prints figures and ratios against baselines measured in the
// same run, and fails (exit 1) only when it crashes. Needs a build (`npm run build`: the npm script runs it
// first) and Debian's Chromium (CHROME_PATH to use another). In one run, side by side:
//   1. pin skew p50/p95 (program time at release − the event's `at`) for in-stream DATERANGE, ID3 in TS,
//      ID3 in fMP4, SSE with kolkit's alignment, and the naive show-on-arrival baseline;
//   2. time to first frame of <kol-live-player> versus a bare hls.js page on the same stream;
//   3. long tasks and total blocking time during 60 s of playback: the demo store versus bare hls.js;
//   4. an accelerated long show (≥ 2 h of stream time, thousands of events): JS heap and DOM nodes.
// Knobs (env): BENCH_ONLY=skew,ttff,tbt,long  BENCH_EVENTS (per carrier, 25)  BENCH_TTFF_RUNS (11 each)
//   BENCH_TBT_SECONDS (60)  BENCH_TBT_CPU (CDP CPU throttling of section 3, 1)  BENCH_LONG_HOURS (2)  BENCH_LONG_RATE (16, Chromium's maximum)
//   BENCH_LONG_TIMEOUT_MIN (13)  BENCH_LONG_CONTROLS (1; 0: the long show's player without controls, so no chapter list)
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import puppeteer from 'puppeteer-core';
import {longTimeline, startBenchServer} from './server.mjs';
import {probe} from './pages.mjs';
import {change, mb, median, num, quantile, sleep, table} from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const ONLY = new Set((process.env.BENCH_ONLY || 'skew,ttff,tbt,long').split(','));
const EVENTS_PER_CARRIER = env('BENCH_EVENTS', 25);
const TTFF_RUNS = env('BENCH_TTFF_RUNS', 11);
const TBT_SECONDS = env('BENCH_TBT_SECONDS', 60);
const TBT_CPU = env('BENCH_TBT_CPU', 1);
const LONG_SECONDS = env('BENCH_LONG_HOURS', 2) * 3600;
const LONG_RATE = env('BENCH_LONG_RATE', 16);
const LONG_TIMEOUT_MS = env('BENCH_LONG_TIMEOUT_MIN', 13) * 60_000;
const LONG_CONTROLS = env('BENCH_LONG_CONTROLS', 1) !== 0;
/** ±250 ms: DESIGN.md §4's target for a pin against the frame where the host acted. */
const SKEW_TARGET_MS = 250;

const started = Date.now();
const log = (line) => {
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}`);
};

/** A fresh browser context (own cache and storage) with the probe installed; closed by `close()`. */
async function openPage(browser, url, {errors} = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({width: 1000, height: 800});
  page.on('pageerror', (error) => errors?.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && errors?.push(`console: ${message.text()}`));
  await page.evaluateOnNewDocument(probe);
  const cdp = await page.createCDPSession();
  await page.goto(url, {waitUntil: 'load'});
  return {page, cdp, close: () => context.close()};
}

const waitFirstFrame = (page, timeout = 30_000) =>
  page.waitForFunction(() => window.__probe?.firstFrame != null, {timeout, polling: 100});

// ---------------------------------------------------------------------------------------------------------
// 1. Pin skew

/** Whether the demo origin serves a stream URL (an older demo without a carrier: that row says so). */
async function serves(server, path) {
  const res = await fetch(server.origin + path).catch(() => null);
  await res?.body?.cancel();
  return res?.status === 200;
}

async function skewCarrier(browser, server, carrier, runTag) {
  const errors = [];
  const {page, close} = await openPage(browser, server.origin + carrier.page, {errors});
  try {
    await page.waitForFunction(() => document.querySelector('kol-live-player')?.stats?.timeToFirstFrame != null, {timeout: 30_000, polling: 100});
    await sleep(2000);
    const posted = [];
    for (let i = 1; i <= EVENTS_PER_CARRIER; i++) {
      posted.push(await server.hostEvent({type: 'product.pin', productId: `bench-${carrier.key}-${runTag}-${i}`, label: `#${i}`}));
      await sleep(1000 + Math.random() * 500);
    }
    const ids = posted.map((e) => e.id);
    // The last event shows after the viewer's latency (≈ 6–8 s here); give it some more.
    await page
      .waitForFunction((ids) => ids.every((id) => window.__bench.released.some((r) => r.id === id)), {timeout: 25_000, polling: 250}, ids)
      .catch(() => undefined);
    const result = await page.evaluate(() => {
      const player = document.querySelector('kol-live-player');
      // The viewer's delay behind the host: server and browser share this machine's clock.
      return {...window.__bench, latency: player.latency, delay: Date.now() - player.programTime(), stats: player.stats};
    });
    const wanted = new Set(ids);
    const skews = (list) => list.filter((r) => wanted.has(r.id) && r.time !== null).map((r) => r.time - Date.parse(r.at));
    return {carrier, posted: ids.length, skews: skews(result.released), naive: skews(result.arrivals), latency: result.latency, delay: result.delay, showSkew: result.stats.pinSkew, errors};
  } finally {
    await close();
  }
}

async function benchSkew(browser, server) {
  const skewPage = (src, sse = false) => `/bench/skew.html?${new URLSearchParams({src, ...(sse && {events: '1', naive: '1'})})}`;
  const carriers = [
    {key: 'daterange', label: 'EXT-X-DATERANGE (TS playlist)', src: '/live/index.m3u8'},
    {key: 'id3-ts', label: 'ID3 TXXX in MPEG-TS', src: '/live/index.m3u8?id3=1&daterange=0'},
    {key: 'id3-fmp4', label: 'ID3 in fMP4 (emsg)', src: '/live-fmp4/index.m3u8?id3=1&daterange=0'},
    {key: 'sse', label: 'SSE, kolkit aligned', src: '/live/index.m3u8?daterange=0', sse: true},
  ].map((c) => ({...c, page: skewPage(c.src, c.sse)}));
  const runTag = Date.now().toString(36);
  const rows = [];
  for (const carrier of carriers) {
    if (!(await serves(server, carrier.src))) {
      log(`skew: ${carrier.label}: ${carrier.src} is not served by this demo origin, skipped`);
      rows.push({carrier, missing: true});
      continue;
    }
    log(`skew: ${carrier.label}: posting ${EVENTS_PER_CARRIER} host pins, 1–1.5 s apart…`);
    const row = await skewCarrier(browser, server, carrier, runTag);
    log(`skew: ${carrier.label}: ${row.skews.length}/${row.posted} released, p50 ${num(quantile(row.skews, 0.5), {sign: true})} ms, p95 ${num(quantile(row.skews, 0.95), {sign: true})} ms, latency ${num(row.latency, {digits: 1})} s, ${num(row.delay / 1000, {digits: 1})} s behind the host`);
    for (const error of row.errors.slice(0, 3)) log(`  page: ${error}`);
    rows.push(row);
  }
  const lines = [['carrier', 'n', 'p50 ms', 'p95 ms', 'min ms', 'max ms', 'p95 |skew| ms', `within ±${SKEW_TARGET_MS} ms?`]];
  const row = (label, values, posted) => {
    const abs = values.map(Math.abs);
    const p95abs = quantile(abs, 0.95);
    const within = p95abs === null ? '—' : p95abs <= SKEW_TARGET_MS ? 'yes' : 'NO';
    lines.push([label, `${values.length}/${posted}`, num(quantile(values, 0.5), {sign: true}), num(quantile(values, 0.95), {sign: true}),
      num(Math.min(...values), {sign: true}), num(Math.max(...values), {sign: true}), num(p95abs), values.length < posted ? `${within} (${posted - values.length} missing)` : within]);
  };
  for (const r of rows) {
    if (r.missing) lines.push([r.carrier.label, '—', '—', '—', '—', '—', '—', 'not served']);
    else row(r.carrier.label, r.skews, r.posted);
  }
  const sse = rows.find((r) => r.carrier.key === 'sse' && !r.missing);
  if (sse) row('naive: SSE shown on arrival', sse.naive, sse.posted);
  const measured = rows.filter((r) => !r.missing);
  const notes = [
    `n = events released / posted. p95 |skew| is the 95th percentile of the absolute skew; "within" compares it with ±${SKEW_TARGET_MS} ms.`,
    `The viewer was ${measured.map((r) => `${num(r.delay / 1000, {digits: 1})} s`).join(', ')} behind the host (wall clock − program time at the end; hls.js latency behind the playlist's edge: ${measured.map((r) => `${num(r.latency, {digits: 1})} s`).join(', ')}); the naive baseline should be about minus the former.`,
    `Cross-check, show.pinSkew() (all events released while watching): ${measured.map((r) => `${r.carrier.key} p50 ${num(r.showSkew?.p50, {sign: true})} / p95 ${num(r.showSkew?.p95, {sign: true})} ms (n ${r.showSkew?.count ?? 0})`).join('; ')}.`,
  ];
  return {title: `1. Pin skew: program time at release − event at (ms), ${EVENTS_PER_CARRIER} host pins per carrier`, body: table(lines), notes};
}

// ---------------------------------------------------------------------------------------------------------
// 2. Time to first frame

async function benchTtff(browser, server) {
  const src = '/live/index.m3u8';
  const variants = {
    kolkit: `/bench/player.html?src=${encodeURIComponent(src)}`,
    bare: `/bench/bare.html?src=${encodeURIComponent(src)}`,
  };
  const runs = {kolkit: [], bare: []};
  const steps = {kolkit: [], bare: []};
  const own = [];
  for (let i = 0; i < TTFF_RUNS; i++) {
    // Alternate which goes first, so drift in the machine's load hits both sides alike.
    for (const name of i % 2 ? ['bare', 'kolkit'] : ['kolkit', 'bare']) {
      const {page, close} = await openPage(browser, server.origin + variants[name]);
      try {
        await waitFirstFrame(page, 20_000);
        const {firstFrame, stats, marks} = await page.evaluate(() => {
          const entries = performance.getEntriesByType('resource');
          const first = (pattern, key) => entries.find((e) => pattern.test(e.name))?.[key] ?? null;
          return {
            firstFrame: window.__probe.firstFrame,
            stats: document.querySelector('kol-live-player')?.stats ?? null,
            // Where the time goes: the page's script in, hls.js in (kolkit: its lazy chunk), the first
            // playlist asked for, the first media segment in.
            marks: {
              script: first(/\/(kolkit\.js|hls\.min\.mjs)$/, 'responseEnd'),
              hls: first(/\/(chunks\/hls-engine-[^/]+\.js|hls\.min\.mjs)$/, 'responseEnd'),
              playlist: first(/\.m3u8(\?|$)/, 'startTime'),
              segment: first(/\.(ts|m4s)(\?|$)/, 'responseEnd'),
            },
          };
        });
        runs[name].push(firstFrame);
        steps[name].push(marks);
        if (stats) own.push(stats.timeToFirstFrame);
      } finally {
        await close();
      }
    }
    log(`ttff: run ${i + 1}/${TTFF_RUNS}: kolkit ${num(runs.kolkit.at(-1))} ms, bare hls.js ${num(runs.bare.at(-1))} ms`);
  }
  const k = median(runs.kolkit);
  const b = median(runs.bare);
  const ratio = k / b;
  const step = (name, key) => num(median(steps[name].map((m) => m[key])));
  const body = table([
    ['page', 'n', 'median ms', 'min ms', 'max ms', 'script in', 'hls.js in', 'playlist asked', 'segment in'],
    ...['kolkit', 'bare'].map((name) => [
      name === 'kolkit' ? '<kol-live-player> (kolkit.js + lazy hls.js chunk)' : 'bare hls.js (hls.min.mjs, defaults)',
      String(runs[name].length), num(median(runs[name])), num(Math.min(...runs[name])), num(Math.max(...runs[name])),
      step(name, 'script'), step(name, 'hls'), step(name, 'playlist'), step(name, 'segment'),
    ]),
  ]);
  return {
    title: `2. Time to first frame: navigation start → first requestVideoFrameCallback, ${src}, fresh context per run`,
    body: `${body}\nratio kolkit / bare = ${ratio.toFixed(2)} (target ≤ 1.10: ${ratio <= 1.1 ? 'met' : 'NOT met'})`,
    notes: [
      'The step columns are medians (ms from navigation start, Resource Timing): page script loaded, hls.js loaded (for kolkit its lazy chunk), first playlist request, first media segment loaded.',
      `kolkit's own stats.timeToFirstFrame (from the element's load(), not navigation): median ${num(median(own))} ms.`,
    ],
    ratio,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 3. Long tasks during playback

/** Host activity while a page plays: a pin, stock, viewers or chat every 3 s, and one deal. */
function hostActivity(server) {
  let stop = false;
  const products = ['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks'];
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const productId = products[i % products.length];
      const actions = [
        {type: 'product.pin', productId, label: `#${i}`},
        {type: 'viewers.update', count: 200 + i},
        {type: 'chat.message', author: 'bench', text: `message ${i}`},
        {type: 'stock.update', productId, available: 10 + (i % 7)},
      ];
      await server.hostEvent(i === 3 ? {type: 'deal.start', productId: 'p-tee', price: '19.00', durationSeconds: 40, stock: 20, limitPerCustomer: 2} : actions[i % actions.length]);
      await sleep(3000);
    }
  })();
  return async () => {
    stop = true;
    await done;
  };
}

async function benchLongTasks(browser, server) {
  const variants = [
    {name: 'kolkit store (/demo/store.html)', url: '/demo/store.html'},
    {name: '<kol-live-player> alone', url: `/bench/player.html?src=${encodeURIComponent('/live/index.m3u8')}`},
    {name: 'bare hls.js (same stream)', url: `/bench/bare.html?src=${encodeURIComponent('/live/index.m3u8')}`},
  ];
  const rows = [];
  for (const variant of variants) {
    log(`long tasks: ${variant.name}: ${TBT_SECONDS} s of playback…`);
    const stopHost = hostActivity(server);
    const errors = [];
    const {page, cdp, close} = await openPage(browser, server.origin + variant.url, {errors});
    try {
      if (TBT_CPU > 1) await cdp.send('Emulation.setCPUThrottlingRate', {rate: TBT_CPU});
      await waitFirstFrame(page);
      await cdp.send('Performance.enable');
      const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      const before = await metric();
      const t0 = await page.evaluate(() => performance.now());
      await sleep(TBT_SECONDS * 1000);
      const after = await metric();
      const {longTasks, firstFrame, quality, heap} = await page.evaluate(() => {
        const video = document.querySelector('video') ?? document.querySelector('kol-live-player').shadowRoot.querySelector('video');
        const q = video.getVideoPlaybackQuality();
        return {...window.__probe, quality: {dropped: q.droppedVideoFrames, total: q.totalVideoFrames}, heap: performance.memory?.usedJSHeapSize};
      });
      if (longTasks === null) throw new Error('this Chromium has no longtask PerformanceObserver');
      const inWindow = longTasks.filter((t) => t.start >= t0 && t.start < t0 + TBT_SECONDS * 1000);
      const startup = longTasks.filter((t) => t.start < firstFrame);
      const tbt = (list) => list.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);
      rows.push({
        ...variant, count: inWindow.length, tbt: tbt(inWindow), longest: Math.max(0, ...inWindow.map((t) => t.duration)),
        startupCount: startup.length, startupTbt: tbt(startup),
        busy: (after.TaskDuration - before.TaskDuration) * 1000, script: (after.ScriptDuration - before.ScriptDuration) * 1000,
        quality, heap,
      });
      const r = rows.at(-1);
      log(`long tasks: ${variant.name}: ${r.count} long tasks, TBT ${num(r.tbt)} ms, main thread busy ${num(r.busy)} ms`);
      for (const error of errors.slice(0, 3)) log(`  page: ${error}`);
    } finally {
      await close();
      await stopHost();
    }
  }
  const body = table([
    ['page', 'long tasks', 'TBT ms', 'longest ms', 'main thread busy ms', 'script ms', 'dropped/frames', 'startup: long tasks / TBT ms'],
    ...rows.map((r) => [r.name, String(r.count), num(r.tbt), num(r.longest), num(r.busy), num(r.script), `${r.quality.dropped}/${r.quality.total}`, `${r.startupCount} / ${num(r.startupTbt)}`]),
  ]);
  return {
    title: `3. Long tasks during ${TBT_SECONDS} s of playback after the first frame (PerformanceObserver 'longtask'; TBT = Σ(task − 50 ms))${TBT_CPU > 1 ? `, CPU throttled ${TBT_CPU}x` : ''}`,
    body,
    notes: [
      'Host events (pins, stock, viewers, chat, one deal) are posted every 3 s during every run; only the store page shows them (events="/events" and in-stream DATERANGE).',
      'Busy and script time: CDP Performance.getMetrics TaskDuration / ScriptDuration over the same window. Startup: navigation → first frame.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// 4. Accelerated long show

/** JS heap after a full GC and the DOM counters of the page's renderer. */
async function memory(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  const {root} = await cdp.send('DOM.getDocument', {depth: -1, pierce: true});
  let tree = 0;
  const walk = (node) => {
    tree++;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) walk(child);
  };
  walk(root);
  return {heap: heap.usedSize, nodes: counters.nodes, listeners: counters.jsEventListeners, documents: counters.documents, tree};
}

async function benchLongShow(browser, server, long) {
  const errors = [];
  const {page, cdp, close} = await openPage(browser, `${server.origin}/bench/long.html${LONG_CONTROLS ? '' : '?controls=0'}`, {errors});
  try {
    await cdp.send('DOM.enable');
    await waitFirstFrame(page);
    await page.waitForFunction(() => window.__bench?.total > 0, {timeout: 10_000});
    const state = () => page.evaluate(() => {
      const show = document.getElementById('show');
      const video = document.querySelector('kol-live-player').shadowRoot.querySelector('video');
      const q = video.getVideoPlaybackQuality();
      const {timeline, ...bench} = window.__bench;
      return {
        ...bench, currentTime: video.currentTime, rate: video.playbackRate, programTime: show.programTime?.getTime() ?? null,
        status: document.querySelector('kol-live-player').status, dropped: q.droppedVideoFrames, frames: q.totalVideoFrames,
        heapNoGc: performance.memory?.usedJSHeapSize, buffered: video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0,
        pinned: show.state.pinned.length, deals: Object.keys(show.state.deals).length, chat: show.state.chat.length,
        chapters: show.chapters().length,
        // Nodes inside each kolkit element's shadow root: where DOM growth, if any, lives.
        shadow: Object.fromEntries(['kol-live-player', 'kol-product-pin', 'kol-countdown-deal', 'kol-cart-button'].map((tag) => {
          const root = document.querySelector(tag)?.shadowRoot;
          if (!root) return [tag, 0];
          let count = 0;
          const walker = document.createTreeWalker(root);
          while (walker.nextNode()) count++;
          return [tag, count];
        })),
        chapterButtons: document.querySelector('kol-live-player').shadowRoot.querySelectorAll('[part=chapter]').length,
      };
    });
    const first = await state();
    const start = {...(await memory(cdp)), at: first.programTime};
    log(`long show: start (first frame, GC'd): heap ${mb(start.heap)}, ${start.nodes} DOM nodes (${start.tree} in the tree), ${start.listeners} listeners; ${long.timeline.length} events over ${(LONG_SECONDS / 3600).toFixed(1)} h; playing at ${LONG_RATE}x`);
    await page.evaluate((rate) => {
      const video = document.querySelector('kol-live-player').shadowRoot.querySelector('video');
      video.defaultPlaybackRate = rate;
      video.playbackRate = rate;
    }, LONG_RATE);
    const wallStart = Date.now();
    // GC'd samples: 5 min in (warm: the pin, the deal and the chat have rendered once), then every 30 min.
    const samples = [{label: 'start (first frame)', streamSeconds: 0, released: first.released, ...start}];
    const milestones = [300, ...Array.from({length: Math.floor(LONG_SECONDS / 1800)}, (_, i) => (i + 1) * 1800)].filter((m) => m < LONG_SECONDS);
    let last = first;
    let lastWall = Date.now();
    let lastLog = 0;
    let end = null;
    for (;;) {
      await sleep(5000);
      const now = await state();
      const streamSeconds = (now.programTime - long.start) / 1000;
      if (milestones.length && streamSeconds >= milestones[0]) {
        const milestone = milestones.shift();
        const label = milestone === 300 ? 'warm (5 min in)' : `at ${milestone / 60} min`;
        const sample = {label, streamSeconds, released: now.released, ...(await memory(cdp))};
        samples.push(sample);
        log(`long show: ${label} (GC'd): heap ${mb(sample.heap)}, ${sample.nodes} DOM nodes (${sample.tree} in the tree), ${sample.listeners} listeners`);
      }
      if (Date.now() - lastLog >= 30_000) {
        const rate = (now.programTime - last.programTime) / (Date.now() - lastWall);
        log(`long show: stream ${(streamSeconds / 60).toFixed(1)} min (${rate.toFixed(1)}x lately), ${now.status}, buffer ${now.buffered.toFixed(1)} s, events pushed ${now.pushed}/${now.total} released ${now.released}, heap ${mb(now.heapNoGc)} (no GC), dropped ${now.dropped}/${now.frames}`);
        last = now;
        lastWall = Date.now();
        lastLog = Date.now();
      }
      if (streamSeconds >= LONG_SECONDS || now.status === 'ended' || now.status === 'error') {
        end = now;
        break;
      }
      if (Date.now() - wallStart > LONG_TIMEOUT_MS) {
        log(`long show: wall-clock limit (${LONG_TIMEOUT_MS / 60_000} min) reached at ${(streamSeconds / 60).toFixed(1)} min of stream`);
        end = now;
        break;
      }
    }
    const finish = {label: 'end', streamSeconds: (end.programTime - long.start) / 1000, released: end.released, ...(await memory(cdp))};
    samples.push(finish);
    const wall = (Date.now() - wallStart) / 1000;
    log(`long show: end (GC'd): heap ${mb(finish.heap)}, ${finish.nodes} DOM nodes (${finish.tree} in the tree), ${finish.listeners} listeners`);
    for (const error of errors.slice(0, 3)) log(`  page: ${error}`);
    const lines = [
      ['sample', 'stream time', 'events released', 'JS heap', 'Δ heap', 'DOM nodes', 'Δ nodes', 'in tree', 'listeners'],
      ...samples.map((m) => [m.label, clock(m.streamSeconds), String(m.released), mb(m.heap), change(start.heap, m.heap), String(m.nodes), change(start.nodes, m.nodes), String(m.tree), String(m.listeners)]),
    ];
    const warm = samples.find((m) => m.label.startsWith('warm'));
    const heapChange = (finish.heap - start.heap) / start.heap;
    const nodeChange = (finish.nodes - start.nodes) / start.nodes;
    const perEvent = warm && finish.released > warm.released ? (finish.heap - warm.heap) / (finish.released - warm.released) : null;
    return {
      title: `4. Accelerated long show: ${(LONG_SECONDS / 3600).toFixed(1)} h VOD (2-s TS segments, PDT) at ${LONG_RATE}x, ${long.timeline.length} events pushed ahead of time${LONG_CONTROLS ? '' : ', player with no-controls'}`,
      body: `${table(lines)}\nend vs start: heap ${change(start.heap, finish.heap)}, DOM nodes ${change(start.nodes, finish.nodes)} (target within ±10 %: ${Math.abs(heapChange) <= 0.1 && Math.abs(nodeChange) <= 0.1 ? 'met' : 'NOT met'})` +
        (warm ? `; end vs warm: heap ${change(warm.heap, finish.heap)}, DOM nodes ${change(warm.nodes, finish.nodes)}` : ''),
      notes: [
        `Played ${clock(finish.streamSeconds)} of stream in ${clock(wall)} of wall time (${(finish.streamSeconds / wall).toFixed(1)}x on average); final status ${end.status}; dropped ${end.dropped}/${end.frames} frames.`,
        `Events: ${end.pushed}/${end.total} pushed, ${end.released} released; state at the end: ${end.pinned} pinned, ${end.deals} deals, ${end.chat} chat messages; kol-errors: ${JSON.stringify(end.errors)}.`,
        `Nodes in shadow roots, start → end: ${Object.keys(end.shadow).map((tag) => `${tag} ${first.shadow[tag]} → ${end.shadow[tag]}`).join(', ')}; the player lists ${end.chapterButtons} chapter buttons (show.chapters(): ${end.chapters}).`,
        `Heap growth per event released, warm → end: ${num(perEvent)} B.`,
        'Heap: CDP HeapProfiler.collectGarbage ×2 then Runtime.getHeapUsage; DOM nodes: Memory.getDOMCounters (live nodes, detached ones too); "in tree": DOM.getDocument depth −1, piercing shadow roots.',
      ],
    };
  } finally {
    await close();
  }
}

const clock = (seconds) => {
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

// ---------------------------------------------------------------------------------------------------------

async function main() {
  for (const file of ['dist/cdn/kolkit.js', 'dist/esm/core/state.js']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm run bench does).`);
  }
  if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME} (apt-get install chromium, or set CHROME_PATH)`);
  // The long show starts two hours before now (plus slack), so its deals, which end an hour from now on the
  // wall clock, stay active and their countdowns tick through the run.
  const segments = Math.ceil(LONG_SECONDS / 2) + 60;
  const longStart = Math.floor(Date.now() / 1000) * 1000 - segments * 2000;
  const long = {segments, start: longStart, timeline: longTimeline({start: longStart, seconds: LONG_SECONDS + 60, dealEndsAt: Date.now() + 3600_000})};
  const server = await startBenchServer({long});
  const browser = await puppeteer.launch({executablePath: CHROME, headless: true, args: ARGS});
  const version = await browser.version();
  log(`kolkit bench: ${version}, server ${server.origin}`);
  const sections = [];
  try {
    if (ONLY.has('skew')) sections.push(await benchSkew(browser, server));
    if (ONLY.has('ttff')) sections.push(await benchTtff(browser, server));
    if (ONLY.has('tbt')) sections.push(await benchLongTasks(browser, server));
    if (ONLY.has('long')) sections.push(await benchLongShow(browser, server, long));
  } finally {
    await browser.close();
    await server.close();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n==================== kolkit bench: summary (${version}, ${minutes} min) ====================`);
  for (const {title, body, notes} of sections) {
    console.log(`\n${title}\n${body}`);
    for (const note of notes ?? []) console.log(`  · ${note}`);
  }
  console.log('\nA benchmark, not a test: figures vary with the machine; compare rows of the same run.');
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
