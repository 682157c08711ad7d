// A diagnostic beside the benches (not a benchmark): traces one page of the bench server at a CPU slowdown
// (Chromium's DevTools protocol, 4× by default as Lighthouse's mobile runs) and prints each task of the
// page's main thread longer than a threshold, with the scripts it evaluated or called into and its top
// functions by self time (the trace's CPU profile samples). What `npm run bench:mobile` names as a long task
// of kolkit's is found here.
//   node scripts/bench/trace-tasks.mjs /demo/store.html   (needs a build)
// Knobs (env): TRACE_CPU (4)  TRACE_MIN_MS (50: at the slowdown)  TRACE_WAIT (6 s after load)  TRACE_TOP (12)
import puppeteer from 'puppeteer-core';
import {startBenchServer} from './server.mjs';

const path = process.argv[2] ?? '/demo/store.html';
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const RATE = env('TRACE_CPU', 4);
const MIN_MS = env('TRACE_MIN_MS', 50);
const WAIT_MS = env('TRACE_WAIT', 6) * 1000;
const TOP = env('TRACE_TOP', 12);
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'toplevel'];
/** Trace events worth naming inside a task: script work and rendering, not the scheduler's plumbing. */
const NAMED = new Set(['v8.evaluateModule', 'EvaluateScript', 'v8.compileModule', 'v8.compile', 'FunctionCall', 'TimerFire', 'EventDispatch',
  'ParseHTML', 'ParseAuthorStyleSheet', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Commit', 'FireAnimationFrame', 'RunMicrotasks', 'V8.GC_SCAVENGER', 'MajorGC', 'MinorGC']);
const file = (url = '') => String(url).replace(/^.*\//, '');

/** Per function (name file:line:col), the self time of the profile samples between `from` and `to` (µs). */
function selfTimes(profiles, from, to) {
  const times = new Map();
  for (const {nodes, samples} of profiles) {
    for (let i = 0; i < samples.length; i++) {
      const {ts, node} = samples[i];
      if (ts < from || ts >= to) continue;
      const frame = nodes.get(node)?.callFrame ?? {};
      const key = `${frame.functionName || '(anonymous)'} ${file(frame.url)}:${frame.lineNumber}:${frame.columnNumber}`;
      const dt = (Math.min(samples[i + 1]?.ts ?? to, to) - ts) / 1000;
      times.set(key, (times.get(key) ?? 0) + dt);
    }
  }
  return [...times].sort((a, b) => b[1] - a[1]);
}

/** The CPU profiles of thread `thread` (pid:tid) in the trace, their samples on the trace's clock. */
function profilesOf(events, thread) {
  const byId = new Map();
  for (const e of events) {
    if (e.name === 'Profile' && `${e.pid}:${e.tid}` === thread) byId.set(`${e.pid}:${e.id}`, {t: e.args.data.startTime, nodes: new Map(), samples: []});
  }
  for (const e of events) {
    // Profile ids are per process: another renderer's chunks may share one.
    const profile = e.name === 'ProfileChunk' ? byId.get(`${e.pid}:${e.id}`) : undefined;
    if (!profile) continue;
    const {cpuProfile = {}, timeDeltas = []} = e.args.data;
    for (const node of cpuProfile.nodes ?? []) profile.nodes.set(node.id, node);
    (cpuProfile.samples ?? []).forEach((node, i) => {
      profile.t += timeDeltas[i] ?? 0;
      profile.samples.push({ts: profile.t, node});
    });
  }
  return [...byId.values()];
}

const server = await startBenchServer();
const browser = await puppeteer.launch({executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required']});
try {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({width: 412, height: 823, isMobile: true, hasTouch: true, deviceScaleFactor: 1.75});
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', {rate: RATE});
  await page.tracing.start({categories: CATEGORIES});
  await page.goto(server.origin + path, {waitUntil: 'load'});
  await new Promise((resume) => setTimeout(resume, WAIT_MS));
  const {traceEvents: events} = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8'));
  // The page's main thread: the one that parsed its HTML.
  const parse = events.find((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').includes(path));
  const thread = `${parse.pid}:${parse.tid}`;
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X');
  const start = events.find((e) => e.name === 'navigationStart' && `${e.pid}:${e.tid}` === thread)?.ts ?? parse.ts;
  const profiles = profilesOf(events, thread);
  const tasks = mine.filter((e) => e.name === 'RunTask' && e.dur >= MIN_MS * 1000);
  console.log(`${path} at ${RATE}× CPU: ${tasks.length} main-thread tasks ≥ ${MIN_MS} ms (times from navigation start)`);
  for (const task of tasks) {
    const end = task.ts + task.dur;
    console.log(`\ntask at ${((task.ts - start) / 1000).toFixed(0)} ms: ${(task.dur / 1000).toFixed(1)} ms`);
    const inner = mine.filter((e) => (process.env.TRACE_ALL ? e !== task : NAMED.has(e.name)) && e.ts >= task.ts && e.ts < end && e.dur >= 1000);
    for (const e of inner.slice(0, 30)) {
      const data = e.args?.data ?? e.args?.beginData ?? {};
      const what = [file(data.url ?? data.fileName ?? data.stackTrace?.[0]?.url), data.functionName, data.type].filter(Boolean).join(' ');
      console.log(`  +${((e.ts - task.ts) / 1000).toFixed(1).padStart(6)} ms ${(e.dur / 1000).toFixed(1).padStart(6)} ms  ${e.name} ${what}`);
    }
    const top = selfTimes(profiles, task.ts, end).slice(0, TOP);
    if (top.length) console.log('  top self time:');
    for (const [name, ms] of top) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${name}`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
