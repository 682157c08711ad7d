// A diagnostic beside the benches (not a benchmark): where a page's main thread spends its time while it
// plays. It opens a page of the bench server, waits for its video to play, posts the bench's host activity
// (a pin, viewers, chat or stock every 3 s, one deal), traces the page's main thread for a while and prints
// the time per trace event kind (script, timers, rendering) and per script callback (file and function).
// `npm run bench`'s section 3 gives the main-thread busy figure; this says what it is made of.
//   node scripts/bench/trace-busy.mjs /demo/store.html   (needs a build)
// Knobs (env): TRACE_SECONDS (20)  TRACE_TOP (15)  CHROME_PATH
import puppeteer from 'puppeteer-core';
import {startBenchServer} from './server.mjs';

const path = process.argv[2] ?? '/demo/store.html';
const SECONDS = Number(process.env.TRACE_SECONDS ?? 20);
const TOP = Number(process.env.TRACE_TOP ?? 15);
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
/** Trace events that say what a task did: script entry points and the rendering steps. */
const KINDS = new Set(['FunctionCall', 'TimerFire', 'RunMicrotasks', 'EventDispatch', 'FireAnimationFrame', 'v8.evaluateModule',
  'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'MinorGC', 'MajorGC']);
/** Script entry points, named by what they ran. */
const CALLBACKS = new Set(['FunctionCall', 'EventDispatch', 'FireAnimationFrame']);
const products = ['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks'];
const ms = (us) => (us / 1000).toFixed(1).padStart(8);

const server = await startBenchServer();
const browser = await puppeteer.launch({executablePath: CHROME, headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required']});
let hosting = true;
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1000, height: 800});
  await page.goto(server.origin + path, {waitUntil: 'load'});
  await page.waitForFunction(() => {
    const video = document.querySelector('video') ?? document.querySelector('kol-live-player')?.shadowRoot?.querySelector('video');
    return !!video && video.currentTime > 0.5;
  }, {timeout: 30_000});
  const host = (async () => {
    for (let i = 0; hosting; i++) {
      const productId = products[i % products.length];
      const actions = [{type: 'product.pin', productId, label: `#${i}`}, {type: 'viewers.update', count: 200 + i},
        {type: 'chat.message', author: 'bench', text: `message ${i}`}, {type: 'stock.update', productId, available: 10 + (i % 7)}];
      await server.hostEvent(i === 1 ? {type: 'deal.start', productId: 'p-tee', price: '19.00', durationSeconds: 40, stock: 20, limitPerCustomer: 2} : actions[i % actions.length]);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  })();
  await page.tracing.start({categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute']});
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const {traceEvents} = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8'));
  hosting = false;
  await host;

  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const byKind = new Map();
  const byCallback = new Map();
  for (const e of onMain) {
    if (KINDS.has(e.name)) byKind.set(e.name, (byKind.get(e.name) ?? 0) + e.dur);
    if (CALLBACKS.has(e.name) || e.name === 'TimerFire') {
      const data = e.args?.data ?? {};
      const key = `${e.name} ${data.type ?? ''} ${String(data.url ?? '').replace(/^.*\//, '')} ${data.functionName ?? ''}`.replace(/\s+/g, ' ').trim();
      byCallback.set(key, (byCallback.get(key) ?? 0) + e.dur);
    }
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  console.log(`${path}: ${SECONDS} s of playback with host activity; ${tasks.length} main-thread tasks, ${ms(tasks.reduce((sum, e) => sum + e.dur, 0)).trim()} ms (tracing adds its own cost)`);
  console.log('\nby kind (nested kinds overlap: a FunctionCall may sit in a TimerFire):');
  for (const [name, dur] of sorted(byKind)) console.log(`${ms(dur)} ms  ${name}`);
  console.log(`\nby callback (top ${TOP}):`);
  for (const [name, dur] of sorted(byCallback).slice(0, TOP)) console.log(`${ms(dur)} ms  ${name}`);
} finally {
  hosting = false;
  await browser.close();
  await server.close();
}
