/**
 * The video engine behind `<kol-live-player>`: hls.js wherever Media Source Extensions work, native HLS
 * only where MSE is missing (Safari on iOS). Chromium reports native HLS too, but its native playback
 * exposes neither program time nor metadata, so "native first" would silently lose every pin.
 * The hls.js engine (hls.js itself and kolkit's glue) is one lazily imported chunk: a page without a
 * player never downloads it.
 */
import type {KolErrorCode} from '../core/errors.js';
import {watchFirstFrame} from './first-frame.js';
import {nextTask} from '../page/next-task.js';

/** What an engine tells its element. */
export interface EngineHandlers {
  /** Show events read from the stream (date ranges, ID3). */
  onStreamEvents(events: unknown[]): void;
  /**
   * Timed metadata (an ID3 tag) that could not be read: `key` names the tag by its bytes (not its segment),
   * so a caller reports it once however often it comes again (the same broken tag in every segment, a
   * segment loaded again); `message` says where and why, never the bytes.
   */
  onBadMetadata(key: string, message: string): void;
  /** A failure the engine could not recover from; the element shows it with a retry. */
  onFatal(code: KolErrorCode, message: string, cause?: unknown): void;
  /** The engine is recovering from a failure by itself (`recovering` true), or has recovered (false). */
  onRecovering(recovering: boolean, code?: KolErrorCode, message?: string): void;
  /** The playlist was (re)read: live or on demand. */
  onLevel(info: {live: boolean}): void;
}

/** A running engine. */
export interface Engine {
  /** `hls.js` or `native`. */
  readonly kind: 'hls.js' | 'native';
  /** Program time (ms) of the frame on screen, or null while unknown. */
  programTime(): number | null;
  /** True once the stream is known to carry no EXT-X-PROGRAM-DATE-TIME. */
  readonly lacksProgramTime: boolean;
  /** Seconds behind the live edge, when live and known. */
  latency(): number | null;
  /** The media time of the live edge to play at, when live. */
  liveSyncPosition(): number | null;
  /** Stops downloading (the page is hidden). */
  pauseLoading(): void;
  /** Downloads again; for live, from the live edge. */
  resumeLoading(): void;
  /** Stops loading and releases the media element. */
  destroy(): void;
}

/** True when this browser can play HLS through hls.js (MSE or ManagedMediaSource). */
export function canUseMse(): boolean {
  return typeof window !== 'undefined' && ('MediaSource' in window || 'ManagedMediaSource' in window);
}

let hlsEngineModule: Promise<typeof import('./hls-engine.js')> | undefined;
let hlsWorkerPath: string | null = null;

/**
 * Where hls.js's transmuxing worker (`hls.js/dist/hls.worker.js`) is served, same-origin with the page.
 * hls.js's ES module build has no worker of its own: without this, MPEG-TS is transmuxed on the main
 * thread. The script-tag build sets it to the `hls.worker.js` beside `kolkit.js`; npm users may set it to
 * wherever they serve the file. A cross-origin URL makes hls.js fall back to the main thread.
 */
export function setHlsWorkerPath(url: string | null): void {
  hlsWorkerPath = url;
}


/**
 * Starts downloading the hls.js engine chunk without waiting for it. A player calls this as soon as it
 * has a source, before its first render, so the chunk download overlaps the element's own start-up.
 */
export function preloadEngine(): void {
  if (canUseMse()) loadHlsEngine().catch(() => undefined); // a failure is reported by createEngine
}

/** The source `prestartEngine` was asked for, until hls.js starts on it or a player starts an engine first. */
let prestartSrc: string | null = null;

/**
 * Starts hls.js on `src` into `video` as soon as its chunk is in, before any player has rendered, so the
 * MediaSource opens and the playlist and the first segment download while the elements load; the first
 * player that loads `src` into `video` takes it over (hls-prestart.ts). The script-tag build calls it for a
 * player already in the page's HTML, with the video that player will take (early-video.ts).
 */
export function prestartEngine(src: string, video: HTMLVideoElement): void {
  if (!canUseMse() || !src) return;
  prestartSrc = src;
  loadHlsEngine()
    // A task apart from hls.js's own evaluation: each is a long piece of work on a phone.
    .then(async (module) => {
      await nextTask();
      if (prestartSrc === src) module.prestartHls(src, video, hlsWorkerPath);
      prestartSrc = null;
    })
    .catch(() => undefined); // a failure is reported by createEngine
}

function loadHlsEngine(): Promise<typeof import('./hls-engine.js')> {
  hlsEngineModule ??= import('./hls-engine.js').catch((error) => {
    hlsEngineModule = undefined; // a later try may succeed (a network blip)
    throw error;
  });
  return hlsEngineModule;
}

/** Starts playing `src` in `video`. Rejects (after reporting through `onFatal`) when no engine can run. */
export async function createEngine(video: HTMLVideoElement, src: string, handlers: EngineHandlers): Promise<Engine> {
  if (canUseMse()) {
    let module: typeof import('./hls-engine.js');
    try {
      module = await loadHlsEngine();
    } catch (cause) {
      handlers.onFatal('player-load-failed', 'The video engine could not be loaded.', cause);
      throw cause;
    }
    // A player that starts its engine first makes its own instance: none is started afterwards into a video
    // that may be this one's.
    prestartSrc = null;
    const engine = module.createHlsEngine(video, src, handlers, hlsWorkerPath);
    if (engine) return engine;
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) return nativeEngine(video, src, handlers);
  handlers.onFatal('player-unsupported', 'This browser cannot play this live stream.');
  throw new Error('No HLS engine');
}

function nativeEngine(video: HTMLVideoElement, src: string, handlers: EngineHandlers): Engine {
  const frames = watchFirstFrame(video);
  // The browser reads the playlist, not kolkit: a stream with no end is live. Safari says Infinity; WebKitGTK
  // says 0 when the metadata loads and later a duration that trails the playhead, so that first reading decides.
  const onMetadata = () => handlers.onLevel({live: video.duration === Infinity || video.duration === 0});
  video.addEventListener('loadedmetadata', onMetadata, {once: true});
  video.src = src;
  // Safari's getStartDate() is the program time of currentTime 0; NaN when the stream has none.
  const start = () => (video as HTMLVideoElement & {getStartDate?: () => Date}).getStartDate?.().getTime() ?? NaN;
  return {
    kind: 'native',
    programTime: () => (frames.hasFrame && Number.isFinite(start()) ? start() + video.currentTime * 1000 : null),
    get lacksProgramTime() {
      return video.readyState > 0 && !Number.isFinite(start());
    },
    latency: () => null,
    liveSyncPosition: () => (video.seekable.length ? video.seekable.end(video.seekable.length - 1) - 6 : null),
    pauseLoading: () => undefined,
    resumeLoading: () => undefined,
    destroy: () => {
      frames.dispose();
      video.removeEventListener('loadedmetadata', onMetadata);
      video.removeAttribute('src');
      video.load();
    },
  };
}
