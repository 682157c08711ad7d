// `npm run bench:mobile`: a benchmark, not a test. Lighthouse (the npm package, offline, Debian's Chromium
// through chrome-launcher's chromePath: nothing is downloaded) with its mobile defaults (simulated slow 4G,
// 4× CPU slowdown, a phone's screen) on the demo pages served on 127.0.0.1, each next to the same page
// without kolkit (a baseline measured in the same run, interleaved). It prints the performance score, total
// blocking time, the long tasks by script (kolkit's own files, the hls.js chunk, others), CLS and LCP, each
// next to issue 16's goal, and exits 0 unless it crashes. Needs a build (the npm script runs it first).
//
// Pages: the store (/demo/store.html: kolkit.js in the head), the Shopify theme page (/demo/shopify-theme/:
// the theme app extension's loader) and the loader-only page (/demo/lazy.html: kolkit-loader.js, the show
// below a story). The baseline is the same URL with every kolkit script blocked (Lighthouse's
// blockedUrlPatterns): the same HTML and CSS, the kol-* tags left undefined.
//
// Two things about live pages and Lighthouse: the show's event stream (a long fetch) and the live playlist's
// reloads keep the network from ever being quiet, so every run ends at BENCH_MOBILE_WAIT and Lighthouse
// warns that the page "loaded too slowly"; the figures are those of the trace up to then, the same bound for
// both sides. Long-task durations are Lighthouse's simulated ones (4× the observed main-thread time).
// Knobs (env): BENCH_MOBILE_RUNS (3 per page and side; the median is printed)  BENCH_MOBILE_WAIT (s, 12:
// Lighthouse's maxWaitForLoad)  BENCH_MOBILE_MINUTES (15: no new run starts after this)  BENCH_MOBILE_PAGES
// (store,shopify,loader)  CHROME_PATH (/usr/bin/chromium)
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import {loadavg} from 'node:os';
import {startBenchServer} from './server.mjs';
import {median, num, table} from './stats.mjs';

const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const RUNS = env('BENCH_MOBILE_RUNS', 3);
const WAIT_MS = env('BENCH_MOBILE_WAIT', 12) * 1000;
const DEADLINE = Date.now() + env('BENCH_MOBILE_MINUTES', 15) * 60_000;
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';

const PAGES = [
  {key: 'store', name: 'store (/demo/store.html)', path: '/demo/store.html'},
  {key: 'shopify', name: 'Shopify theme (/demo/shopify-theme/)', path: '/demo/shopify-theme/'},
  {key: 'loader', name: 'loader only (/demo/lazy.html)', path: '/demo/lazy.html'},
].filter((p) => (process.env.BENCH_MOBILE_PAGES ?? 'store,shopify,loader').split(',').includes(p.key));

/** Every kolkit script, wherever a page loads it from (/dist/cdn/, the theme's assets/). */
const KOLKIT_SCRIPTS = ['*/kolkit.js', '*/kolkit-*.js', '*/hls.worker.js'];

/** Issue 16's goals. */
const GOALS = {score: 98, longTaskMs: 50, cls: 0};

const started = Date.now();
const log = (line) => {
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}`);
};
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

/** Whose code a long task ran: Lighthouse attributes each to a script URL. */
function owner(url = '') {
  if (/\/kolkit-hls-engine-[^/]*\.js/.test(url)) return 'hls';
  if (/\/(kolkit[^/]*|hls\.worker)\.js/.test(url)) return 'kolkit';
  return 'other';
}

/** The first DOM node an audit's details name (the LCP insight's element). */
function findNode(details) {
  if (!details || typeof details !== 'object') return null;
  if (details.type === 'node') return details;
  for (const value of Object.values(details)) {
    const node = findNode(value);
    if (node) return node;
  }
  return null;
}

/**
 * "hls.js 97 ms at 5.28 s": a long task and its start (simulated). What ran in it: scripts/bench/trace-tasks.mjs
 * traces the page at 4× CPU and prints each long task's top functions.
 */
function describeTask({owner: who, url, duration, startTime}) {
  return `${who === 'hls' ? 'hls.js' : url.replace(/^.*\//, '')} ${num(duration)} ms at ${(startTime / 1000).toFixed(2)} s`;
}

/** One Lighthouse run: the figures this bench prints. */
async function measure(port, url, baseline) {
  const {lhr} = await lighthouse(url, {port, output: 'json', logLevel: 'error'}, {
    extends: 'lighthouse:default',
    settings: {
      onlyCategories: ['performance', 'accessibility'],
      maxWaitForLoad: WAIT_MS,
      blockedUrlPatterns: baseline ? KOLKIT_SCRIPTS : null,
    },
  });
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const audit = (id) => lhr.audits[id];
  const tasks = (audit('long-tasks').details?.items ?? []).map((t) => ({owner: owner(t.url), url: t.url, duration: t.duration, startTime: t.startTime}));
  const longest = (who) => Math.max(0, ...tasks.filter((t) => t.owner === who).map((t) => t.duration));
  const count = (who) => tasks.filter((t) => t.owner === who).length;
  const kolkitUrl = tasks.find((t) => t.owner === 'kolkit')?.url?.replace(/^.*\//, '') ?? null;
  const shifts = (audit('layout-shifts')?.details?.items ?? []).map((s) => `${num(s.score, {digits: 3})} ${s.node?.snippet ?? s.node?.nodeLabel ?? '?'}`);
  const lcpElement = findNode(audit('lcp-breakdown-insight')?.details)?.snippet ?? null;
  // Which kolkit files the page fetched: a run with kolkit that fetched none of them measured the baseline.
  const kolkitFiles = (audit('network-requests')?.details?.items ?? []).filter((r) => owner(r.url) !== 'other' && r.statusCode === 200).length;
  return {
    kolkitFiles, kolkitUrl,
    score: lhr.categories.performance.score * 100,
    a11y: lhr.categories.accessibility.score * 100,
    tbt: audit('total-blocking-time').numericValue,
    cls: audit('cumulative-layout-shift').numericValue,
    lcp: audit('largest-contentful-paint').numericValue,
    fcp: audit('first-contentful-paint').numericValue,
    kolkit: longest('kolkit'), kolkitCount: count('kolkit'),
    hls: longest('hls'), hlsCount: count('hls'),
    other: longest('other'), otherCount: count('other'),
    shifts, lcpElement,
    // kolkit's and the hls.js chunk's long tasks, so a run's line says which work they were.
    ownTasks: tasks.filter((t) => t.owner !== 'other').map(describeTask),
    warnings: lhr.runWarnings.filter((w) => !/loaded too slowly/.test(w)),
  };
}

const verdict = (met) => (met ? 'met' : 'NOT met');
const med = (runs, key) => median(runs.map((r) => r[key]));

function report(page, runs) {
  const k = runs.kolkit;
  const b = runs.baseline;
  if (!k.length || !b.length) return `${page.name}: no complete pair of runs`;
  const longest = (side, who) => `${num(med(side, who))} (${num(med(side, `${who}Count`))})`;
  const rows = [
    ['figure (median)', 'with kolkit', 'without kolkit', 'goal', ''],
    ['performance score', num(med(k, 'score')), num(med(b, 'score')), `≥ ${GOALS.score}`, verdict(med(k, 'score') >= GOALS.score)],
    ['total blocking time ms', num(med(k, 'tbt')), num(med(b, 'tbt')), '', ''],
    ['longest task ms (count > 50 ms): kolkit', longest(k, 'kolkit'), longest(b, 'kolkit'), `≤ ${GOALS.longTaskMs}`, verdict(med(k, 'kolkit') <= GOALS.longTaskMs)],
    ['  the hls.js chunk', longest(k, 'hls'), longest(b, 'hls'), `≤ ${GOALS.longTaskMs}`, verdict(med(k, 'hls') <= GOALS.longTaskMs)],
    ['  others (page, parser, unattributed)', longest(k, 'other'), longest(b, 'other'), '', ''],
    ['cumulative layout shift', num(med(k, 'cls'), {digits: 3}), num(med(b, 'cls'), {digits: 3}), `${GOALS.cls}`, verdict(med(k, 'cls') <= GOALS.cls)],
    ['largest contentful paint ms', num(med(k, 'lcp')), num(med(b, 'lcp')), '', ''],
    ['first contentful paint ms', num(med(k, 'fcp')), num(med(b, 'fcp')), '', ''],
    ['accessibility score', num(med(k, 'a11y')), num(med(b, 'a11y')), '', ''],
  ];
  const notes = [
    `${k.length} + ${b.length} runs. Per run, with kolkit: score ${k.map((r) => num(r.score)).join(' / ')}, TBT ${k.map((r) => num(r.tbt)).join(' / ')} ms, kolkit's longest task ${k.map((r) => num(r.kolkit)).join(' / ')} ms, the hls.js chunk's ${k.map((r) => num(r.hls)).join(' / ')} ms, CLS ${k.map((r) => num(r.cls, {digits: 3})).join(' / ')}.`,
    `LCP element with kolkit: ${k[0].lcpElement ?? '—'}; without: ${b[0].lcpElement ?? '—'}.`,
  ];
  const shifts = [...new Set(k.flatMap((r) => r.shifts))].slice(0, 4);
  if (shifts.length) notes.push(`Layout shifts with kolkit (score, element): ${shifts.join('; ')}.`);
  const warnings = [...new Set([...k, ...b].flatMap((r) => r.warnings))];
  if (warnings.length) notes.push(`Lighthouse warned: ${warnings.join(' ')}`);
  return `${page.name}\n${table(rows)}\n${notes.map((n) => `  ${n}`).join('\n')}`;
}

async function main() {
  log(`load average ${load()}; Lighthouse mobile defaults, ${RUNS} runs per page and side, up to ${WAIT_MS / 1000} s each`);
  const server = await startBenchServer();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-component-update',
      '--disable-background-networking', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  // An interrupted run must not leave a Chromium playing the live stream behind.
  const stop = () => chrome.kill().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const results = [];
  try {
    for (const page of PAGES) {
      const runs = {kolkit: [], baseline: []};
      for (let i = 0; i < RUNS && Date.now() < DEADLINE; i++) {
        // Alternate which side goes first, so drift in the machine's load hits both alike.
        for (const side of i % 2 ? ['baseline', 'kolkit'] : ['kolkit', 'baseline']) {
          const r = await measure(chrome.port, server.origin + page.path, side === 'baseline');
          if (side === 'kolkit' && !r.kolkitFiles) {
            log(`${page.key} kolkit run ${i + 1}: no kolkit file was fetched; not counted`);
            continue;
          }
          runs[side].push(r);
          log(`${page.key} ${side} run ${i + 1}: ${r.kolkitFiles} kolkit files, score ${num(r.score)}, TBT ${num(r.tbt)} ms, longest kolkit ${num(r.kolkit)}${r.kolkitUrl ? ` (${r.kolkitUrl})` : ''} / hls.js ${num(r.hls)} / other ${num(r.other)} ms, CLS ${num(r.cls, {digits: 3})}, LCP ${num(r.lcp)} ms ${r.lcpElement ?? ''} (load ${load()})`);
          if (r.ownTasks?.length) log(`  long tasks of kolkit and hls.js: ${r.ownTasks.join('; ')}`);
        }
      }
      results.push(report(page, runs));
    }
  } finally {
    await chrome.kill();
    await server.close();
  }
  console.log(`\nLighthouse ${lighthouse.version ?? '13'} mobile (simulated slow 4G, 4× CPU), load average at the end ${load()}\n`);
  console.log(results.join('\n\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
