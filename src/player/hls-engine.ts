/**
 * kolkit's hls.js engine, loaded lazily together with hls.js. It reads show events from the stream
 * (EXT-X-DATERANGE and ID3 TXXX in MPEG-TS or fMP4 emsg) and keeps a live show playing through network
 * faults, decode errors and stalls, so an eight-hour marathon never ends as a dead black box.
 */
import Hls, {type ErrorData} from 'hls.js';
import type {KolErrorCode} from '../core/errors.js';
import type {Engine, EngineHandlers} from './engine.js';
import {eventsFromDateRanges} from '../sources/in-stream.js';
import {eventsFromId3, tagFingerprint} from '../sources/id3-events.js';
import {watchFirstFrame} from './first-frame.js';
import {nextTask} from '../page/next-task.js';
import {hlsConfig} from './hls-config.js';
import {mediaToAttach} from './early-video.js';
import {listen, takePrestartedHls, type HlsListeners} from './hls-prestart.js';

export {prestartHls} from './hls-prestart.js';

/** Back-off for rebuilding after a fatal error: 1 s, 2 s, 4 s … up to 30 s, then give up after MAX. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 30_000;
const MAX_RETRIES = 8;
/** hls.js's documented media-error recovery, at most once per this long; a second error rebuilds. */
const MEDIA_RECOVERY_INTERVAL_MS = 5000;
/** A playing video whose time has not moved for this long is stalled: nudge it, then rebuild. */
const STALL_NUDGE_MS = 3000;
const STALL_REBUILD_MS = 10_000;

/**
 * Creates the engine, or returns null when this browser cannot run hls.js. `workerPath`: a same-origin
 * `hls.worker.js` to transmux off the main thread (the ES module build of hls.js has no worker of its own).
 */
export function createHlsEngine(
  video: HTMLVideoElement,
  src: string,
  handlers: EngineHandlers,
  workerPath: string | null = null,
): Engine | null {
  if (!Hls.isSupported()) return null;
  let hls: Hls | null = null;
  let live = false;
  let lacksProgramTime = false;
  let retries = 0;
  let recovering = false;
  /** Set once a fragment has played: before that, a failure is a wrong or unstarted stream, not an outage. */
  let everBuffered = false;
  let lastMediaRecovery = -Infinity;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTime = -1;
  let stalledSince = 0;
  const frames = watchFirstFrame(video);

  const recovered = () => {
    everBuffered = true;
    retries = 0;
    if (recovering) {
      recovering = false;
      handlers.onRecovering(false);
    }
  };

  const rebuild = (code: KolErrorCode, message: string, cause?: unknown) => {
    clearTimeout(retryTimer);
    if (++retries > MAX_RETRIES) {
      hls?.destroy();
      hls = null;
      handlers.onFatal(code, message, cause);
      return;
    }
    recovering = true;
    handlers.onRecovering(true, code, message);
    const delay = Math.min(RETRY_BASE_MS * 2 ** (retries - 1), RETRY_MAX_MS) * (0.75 + Math.random() / 2);
    // Live: rejoin at the live edge; on demand: where the viewer was.
    retryTimer = setTimeout(() => build(live ? -1 : video.currentTime), delay);
  };

  const onError = (data: ErrorData) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && performance.now() - lastMediaRecovery > MEDIA_RECOVERY_INTERVAL_MS) {
      lastMediaRecovery = performance.now();
      recovering = true;
      handlers.onRecovering(true, 'player-media', `Recovering from a media error: ${data.details}.`);
      hls?.recoverMediaError();
      return;
    }
    // hls.js gave up on its own retries (network) or a second media error came too soon: start afresh.
    const code = data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'player-network' : 'player-media';
    if (!everBuffered) {
      // Never played: hls.js has already retried; show the error with a retry button at once.
      hls?.destroy();
      hls = null;
      handlers.onFatal(code, `The stream could not be loaded: ${data.details}.`, data.error);
      return;
    }
    rebuild(code, `The stream stopped: ${data.details}.`, data.error);
  };

  /** What the engine hears from `instance`. */
  const listenersFor = (instance: Hls): HlsListeners => ({
    levelUpdated: ({details}) => {
      lacksProgramTime = !details.hasProgramDateTime;
      live = details.live;
      handlers.onLevel({live});
      // Read on every playlist load, the first included: that is where hls.js's cues get lost (#7691). In a
      // task after hls.js's own handling of the playlist, which is long enough on a phone (issue 16).
      const dateRanges = details.dateRanges ?? {};
      void nextTask().then(() => {
        if (hls !== instance) return;
        const events = eventsFromDateRanges(dateRanges);
        if (events.length) handlers.onStreamEvents(events);
      });
    },
    fragParsingMetadata: ({frag, samples}) => {
      // TS ID3 arrives labelled with the emsg schema when the stream has video: read every sample.
      // A malformed tag costs only itself (id3-events.ts); the fragment's other events are kept.
      const events: unknown[] = [];
      for (const sample of samples) {
        const reading = eventsFromId3(sample.data);
        events.push(...reading.events);
        for (const tag of reading.malformed) {
          // Keyed by the tag's bytes, not its segment: an encoder may write the same broken tag into every
          // segment, and a rebuild or level switch parses a fragment again. One tag, one report.
          handlers.onBadMetadata(`${frag.type}:${tagFingerprint(tag.bytes)}`,
            `An ID3 tag in segment ${frag.sn} could not be read (${tag.reason}); its show events were dropped.`);
        }
      }
      if (events.length) handlers.onStreamEvents(events);
    },
    fragBuffered: recovered,
    error: onError,
  });

  /** A new hls.js on `src` from `startPosition`, playing into the video. */
  const build = (startPosition: number) => {
    hls?.destroy();
    const instance = (hls = new Hls(hlsConfig(startPosition, workerPath)));
    listen(instance, listenersFor(instance));
    instance.attachMedia(mediaToAttach(video));
    instance.loadSource(src);
  };

  /** The first load: the instance started on `src` into this video before the player rendered (hls-prestart.ts), else a new one. */
  const start = () => {
    const taken = takePrestartedHls(src, video);
    if (!taken) return build(-1);
    hls = taken.hls;
    taken.listen(listenersFor(taken.hls));
  };

  // Stall watchdog: hls.js skips small gaps itself; this catches a player stuck for longer.
  const watchdog = setInterval(() => {
    const stuck = !video.paused && !video.seeking && !video.ended && video.currentTime === lastTime && !recovering;
    lastTime = video.currentTime;
    if (!stuck) {
      stalledSince = 0;
      return;
    }
    stalledSince ||= performance.now();
    const stalledFor = performance.now() - stalledSince;
    if (stalledFor >= STALL_REBUILD_MS) {
      stalledSince = 0;
      rebuild('player-network', 'Playback stalled.');
    } else if (stalledFor >= STALL_NUDGE_MS && video.buffered.length) {
      // Data may sit just ahead of a hole: step over it.
      const ahead = [...Array(video.buffered.length).keys()].map((i) => video.buffered.start(i)).find((s) => s > video.currentTime);
      if (ahead !== undefined) video.currentTime = ahead + 0.05;
    }
  }, 1000);

  start();

  return {
    kind: 'hls.js',
    programTime: () => (frames.hasFrame ? hls?.playingDate?.getTime() ?? null : null),
    get lacksProgramTime() {
      return lacksProgramTime;
    },
    latency: () => (hls && live && Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null),
    liveSyncPosition: () => (live ? hls?.liveSyncPosition ?? null : null),
    pauseLoading: () => hls?.stopLoad(),
    resumeLoading: () => hls?.startLoad(live ? -1 : video.currentTime),
    destroy: () => {
      clearTimeout(retryTimer);
      clearInterval(watchdog);
      frames.dispose();
      hls?.destroy();
      hls = null;
    },
  };
}
