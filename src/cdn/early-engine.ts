/**
 * Evaluated first in the script-tag build (src/cdn.ts imports it before anything else). It points hls.js at
 * its worker, shipped beside kolkit.js (rollup.config.mjs), so MPEG-TS transmuxing leaves the main thread.
 * And when the page already holds a player with a source, the hls.js chunk starts downloading and the
 * worker starting now, and hls.js starts on that source as soon as it is in, while the rest of kolkit
 * evaluates and its elements render, instead of after the player's first render. It shortens the time to
 * the first video frame (`npm run bench`, section 2).
 */
import {canUseMse, prestartEngine, setHlsWorkerPath} from '../player/engine.js';
import {nextTask} from '../page/next-task.js';
import {prestartHlsWorker} from './hls-worker.js';
import {makeEarlyVideo} from '../player/early-video.js';

const workerUrl = new URL('./hls.worker.js', import.meta.url).href;
setHlsWorkerPath(workerUrl);

const player = typeof document !== 'undefined' ? document.querySelector('kol-live-player[src]') : null;
if (player && canUseMse()) {
  // hls.js starts on the player's source, into the video the player will take, as soon as it is in: its
  // MediaSource opens and the playlist and the first segment download while the elements load and render
  // (player/early-video.ts, player/hls-prestart.ts).
  prestartEngine(player.getAttribute('src') ?? '', makeEarlyVideo(player));
  // In a task of its own: starting a worker is a few milliseconds of main-thread work on a phone.
  void nextTask().then(() => prestartHlsWorker(workerUrl));
}
