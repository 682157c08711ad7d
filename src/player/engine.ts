/**
 * The video engine behind `<kol-live-player>`: hls.js wherever Media Source Extensions work, native HLS
 * only where MSE is missing (Safari on iOS). Chromium reports native HLS too, but its native playback
 * exposes neither program time nor metadata, so "native first" would silently lose every pin.
 * hls.js is imported lazily: a page without a player never downloads it.
 */
import type {ErrorData, LevelUpdatedData} from 'hls.js';
import type {KolErrorCode} from '../core/errors.js';
import {eventsFromDateRanges} from './in-stream.js';

/** What an engine tells its element. */
export interface EngineHandlers {
  /** Show events read from the stream. */
  onStreamEvents(events: unknown[]): void;
  /** A failure the engine could not recover from by itself. */
  onFatal(code: KolErrorCode, message: string, cause?: unknown): void;
  /** The stream turned out to be live (true) or on demand (false). */
  onLive(live: boolean): void;
}

/** A running engine. */
export interface Engine {
  /** `hls.js` or `native`. */
  readonly kind: 'hls.js' | 'native';
  /** Program time (ms) of the frame on screen, or null while unknown. */
  programTime(): number | null;
  /** True once the stream is known to carry no EXT-X-PROGRAM-DATE-TIME. */
  readonly lacksProgramTime: boolean;
  /** Seconds behind the live edge, when live. */
  latency(): number | null;
  /** Stops loading and releases the media element. */
  destroy(): void;
}

/** True when this browser can play HLS through hls.js (MSE or ManagedMediaSource). */
export function canUseMse(): boolean {
  return typeof window !== 'undefined' && ('MediaSource' in window || 'ManagedMediaSource' in window);
}

/** Starts playing `src` in `video`. Rejects only when no engine can be created. */
export async function createEngine(video: HTMLVideoElement, src: string, handlers: EngineHandlers): Promise<Engine> {
  if (canUseMse()) {
    let Hls: typeof import('hls.js').default;
    try {
      Hls = (await import('hls.js')).default;
    } catch (cause) {
      handlers.onFatal('player-load-failed', 'The video engine could not be loaded.', cause);
      throw cause;
    }
    if (Hls.isSupported()) return hlsEngine(Hls, video, src, handlers);
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) return nativeEngine(video, src);
  handlers.onFatal('player-unsupported', 'This browser cannot play this live stream.');
  throw new Error('No HLS engine');
}

function hlsEngine(Hls: typeof import('hls.js').default, video: HTMLVideoElement, src: string, handlers: EngineHandlers): Engine {
  const hls = new Hls({
    // Hours-long live shows: keep a bounded back buffer instead of hls.js's default of Infinity.
    backBufferLength: 30,
    liveDurationInfinity: true,
    lowLatencyMode: true,
    // kolkit reads date ranges from the playlist itself. hls.js's own metadata track uses a data: URL
    // (blocked by a strict media-src CSP) and loses its first cues in Chromium (hls.js #7691).
    enableDateRangeMetadataCues: false,
    enableEmsgMetadataCues: false,
    enableID3MetadataCues: false,
  });
  let lacksProgramTime = false;
  let lastMediaRecovery = -Infinity;
  hls.on(Hls.Events.LEVEL_UPDATED, (_e, {details}: LevelUpdatedData) => {
    lacksProgramTime = !details.hasProgramDateTime;
    handlers.onLive(details.live);
    const events = eventsFromDateRanges(details.dateRanges ?? {});
    if (events.length) handlers.onStreamEvents(events);
  });
  hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && performance.now() - lastMediaRecovery > 5000) {
      lastMediaRecovery = performance.now();
      hls.recoverMediaError(); // hls.js's documented recovery, at most once per 5 s
      return;
    }
    const code = data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'player-network' : 'player-media';
    handlers.onFatal(code, `The stream stopped: ${data.details}.`, data.error);
  });
  hls.attachMedia(video);
  hls.loadSource(src);
  return {
    kind: 'hls.js',
    programTime: () => hls.playingDate?.getTime() ?? null,
    get lacksProgramTime() {
      return lacksProgramTime;
    },
    latency: () => (Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null),
    destroy: () => hls.destroy(),
  };
}

function nativeEngine(video: HTMLVideoElement, src: string): Engine {
  video.src = src;
  // Safari's getStartDate() is the program time of currentTime 0; NaN when the stream has none.
  const start = () => (video as HTMLVideoElement & {getStartDate?: () => Date}).getStartDate?.().getTime() ?? NaN;
  return {
    kind: 'native',
    programTime: () => (Number.isFinite(start()) && video.readyState > 0 ? start() + video.currentTime * 1000 : null),
    get lacksProgramTime() {
      return video.readyState > 0 && !Number.isFinite(start());
    },
    latency: () => null,
    destroy: () => {
      video.removeAttribute('src');
      video.load();
    },
  };
}
