/**
 * hls.js's transmuxing worker in the script-tag build, started early. hls.js creates its worker when the first
 * media segment starts arriving, and a worker takes tens of milliseconds to start (a thread, then 118 KB of
 * script to fetch and run): on the way to the first frame, after the segment. When the page holds a player
 * with a source, kolkit.js starts that worker as it loads (cdn/early-engine.ts), and hls.js is handed it
 * (rollup.config.mjs routes hls.js's one `new Worker()` call to `hlsWorker()`), so the start overlaps the
 * downloads. `npm run bench`, section 2, measures the time to the first frame.
 */
import {hlsWorkerScriptUrl} from './hls-worker-policy.js';

/** A worker no hls.js asked for within this long is ended: the player went away, or plays natively. */
const UNCLAIMED_MS = 60_000;

/** The worker started ahead of hls.js, and for which URL. */
let waiting: {url: string; worker: Worker; expiry: ReturnType<typeof setTimeout>} | null = null;

/**
 * Starts hls.js's worker at `url` now, to hand to the first hls.js that asks for it. Does nothing when a
 * worker cannot be made here (no Worker, a Trusted Types policy that is refused): hls.js will then try itself.
 */
export function prestartHlsWorker(url: string): void {
  if (waiting || typeof Worker === 'undefined') return;
  const href = new URL(url, location.href).href;
  let worker: Worker;
  try {
    worker = new Worker(hlsWorkerScriptUrl(href));
  } catch {
    return;
  }
  const expiry = setTimeout(() => {
    if (waiting?.worker !== worker) return;
    waiting = null;
    worker.terminate();
  }, UNCLAIMED_MS);
  waiting = {url: href, worker, expiry};
}

/**
 * What hls.js gets instead of `new Worker(url)`: the worker started for `url` ahead of time, once, or else a
 * new one (through the `kolkit` Trusted Types policy, which throws for any other URL: hls.js then transmuxes
 * on the main thread).
 */
export function hlsWorker(url: string): Worker {
  if (waiting && waiting.url === url) {
    const {worker, expiry} = waiting;
    waiting = null;
    clearTimeout(expiry);
    return worker;
  }
  return new Worker(hlsWorkerScriptUrl(url));
}
