/**
 * Evaluated first in the script-tag build (src/cdn.ts imports it before anything else). It points hls.js at
 * its worker, shipped beside kolkit.js (rollup.config.mjs), so MPEG-TS transmuxing leaves the main thread.
 * And when the page already holds a player with a source, the hls.js chunk starts downloading and the
 * worker starting now, while the rest of kolkit evaluates and its elements render, instead of after the
 * player's first render and the first segment. It shortens the time to the first video frame (`npm run
 * bench`, section 2).
 */
import {canUseMse, preloadEngine, setHlsWorkerPath} from '../player/engine.js';
import {nextTask} from '../page/next-task.js';
import {prestartHlsWorker} from './hls-worker.js';

const workerUrl = new URL('./hls.worker.js', import.meta.url).href;
setHlsWorkerPath(workerUrl);

if (typeof document !== 'undefined' && document.querySelector('kol-live-player[src]')) {
  preloadEngine();
  // In a task of its own: starting a worker is a few milliseconds of main-thread work on a phone.
  if (canUseMse()) void nextTask().then(() => prestartHlsWorker(workerUrl));
}
