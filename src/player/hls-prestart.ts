/**
 * hls.js started on a player's source before the player exists (issue 16: the first frame as soon as bare
 * hls.js's). A page's player is defined and rendered before it creates its engine; started at once instead,
 * into the video the player will take (early-video.ts, its MediaSource already opening), hls.js downloads
 * the playlist and the first segment meanwhile, and the player's engine takes the instance over. What hls.js
 * says before that is kept and told to the engine in order, so no date range, ID3 tag or error is lost.
 */
import Hls, {type ErrorData, type FragParsingMetadataData, type LevelUpdatedData} from 'hls.js';
import {hlsConfig} from './hls-config.js';
import {mediaToAttach} from './early-video.js';

/** What kolkit's engine hears from one hls.js instance. */
export interface HlsListeners {
  levelUpdated(data: LevelUpdatedData): void;
  fragParsingMetadata(data: FragParsingMetadataData): void;
  fragBuffered(): void;
  error(data: ErrorData): void;
}

/** Registers `listeners` on `hls`. */
export function listen(hls: Hls, listeners: HlsListeners): void {
  hls.on(Hls.Events.LEVEL_UPDATED, (_event, data) => listeners.levelUpdated(data));
  hls.on(Hls.Events.FRAG_PARSING_METADATA, (_event, data) => listeners.fragParsingMetadata(data));
  hls.on(Hls.Events.FRAG_BUFFERED, () => listeners.fragBuffered());
  hls.on(Hls.Events.ERROR, (_event, data) => listeners.error(data));
}

/** An instance no player took over within this long is destroyed: the player went away or loads another source. */
const UNCLAIMED_MS = 10_000;

interface Prestarted {
  hls: Hls;
  /** What hls.js said before the engine took over, in order. */
  heard: Array<(listeners: HlsListeners) => void>;
  /** The engine's listeners, once it has taken over. */
  engine: HlsListeners | null;
  expiry: ReturnType<typeof setTimeout>;
}

/** Started instances not yet taken over, by source. */
const waiting = new Map<string, Prestarted>();

/** Starts hls.js on `src` into `video` with kolkit's settings, for the first engine that loads `src` into `video`. */
export function prestartHls(src: string, video: HTMLVideoElement, workerPath: string | null): void {
  if (!src || waiting.has(src) || !Hls.isSupported()) return;
  const hls = new Hls(hlsConfig(-1, workerPath));
  const entry: Prestarted = {
    hls,
    heard: [],
    engine: null,
    expiry: setTimeout(() => {
      if (waiting.get(src) !== entry) return;
      waiting.delete(src);
      hls.destroy();
    }, UNCLAIMED_MS),
  };
  const relay = (tell: (listeners: HlsListeners) => void) => (entry.engine ? tell(entry.engine) : entry.heard.push(tell));
  listen(hls, {
    levelUpdated: (data) => relay((listeners) => listeners.levelUpdated(data)),
    fragParsingMetadata: (data) => relay((listeners) => listeners.fragParsingMetadata(data)),
    fragBuffered: () => relay((listeners) => listeners.fragBuffered()),
    error: (data) => relay((listeners) => listeners.error(data)),
  });
  waiting.set(src, entry);
  hls.attachMedia(mediaToAttach(video));
  hls.loadSource(src);
}

/** An instance started ahead, taken over by an engine. */
export interface TakenHls {
  readonly hls: Hls;
  /** From now on `listeners` hear this instance: first what it said so far, in order, then what it says next. */
  listen(listeners: HlsListeners): void;
}

/**
 * The instance started on `src` into `video`, if any, now the caller's; null when none was started or another
 * engine took it. One started into `video` on another source (the player's source changed meanwhile) is
 * destroyed: the video is the caller's now.
 */
export function takePrestartedHls(src: string, video: HTMLVideoElement): TakenHls | null {
  for (const [other, entry] of waiting) {
    if (other === src || entry.hls.media !== video) continue;
    waiting.delete(other);
    clearTimeout(entry.expiry);
    entry.hls.destroy();
  }
  const entry = waiting.get(src);
  if (!entry || entry.hls.media !== video) return null;
  waiting.delete(src);
  clearTimeout(entry.expiry);
  return {
    hls: entry.hls,
    listen(listeners) {
      entry.engine = listeners;
      for (const tell of entry.heard.splice(0)) tell(listeners);
    },
  };
}
