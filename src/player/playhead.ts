import type {Chapter} from '../elements/show-handle.js';
import type {Engine} from './engine.js';
import {seekableRange} from './media-time.js';

/** Further than this behind the live edge (seconds), a live stream is "behind": offer "back to live". */
const BEHIND_LIVE_SECONDS = 4;

/** A chapter placed on the seek bar: its media time and its position (percent of the seekable range). */
export type PlacedChapter = Chapter & {time: number; percent: number};

/**
 * Where the playhead stands, in the two clocks a player juggles: media time (the video's seconds) and
 * program time (ms since the epoch, from the stream's EXT-X-PROGRAM-DATE-TIME). The live edge, the DVR
 * window, chapters on the seek bar, how far behind the host. Arithmetic only: nothing here moves the video.
 */
export class Playhead {
  readonly #video: () => HTMLVideoElement | undefined;
  readonly #engine: () => Engine | null;
  readonly #isLive: () => boolean;

  /**
   * @param video The player's video element (undefined before its first render).
   * @param engine The running engine, or null.
   * @param isLive Whether the stream is live (else a replay).
   */
  constructor(
    video: () => HTMLVideoElement | undefined,
    engine: () => Engine | null,
    isLive: () => boolean,
  ) {
    this.#video = video;
    this.#engine = engine;
    this.#isLive = isLive;
  }

  /** Program time (ms) of the frame on screen, or null while unknown (before the first frame, too). */
  programTime(): number | null {
    return this.#engine()?.programTime() ?? null;
  }

  /** The media time of the live edge to play at, or null (not live, or not known). */
  liveEdge(): number | null {
    return this.#engine()?.liveSyncPosition() ?? null;
  }

  /** The live DVR window in ms (what the viewer can still seek back to), or null for a replay. */
  seekableSpan(): number | null {
    const video = this.#video();
    const range = this.#isLive() && video ? seekableRange(video) : null;
    return range ? (range[1] - range[0]) * 1000 : null;
  }

  /** True when live and far enough behind the live edge to offer "back to live". */
  isBehindLive(): boolean {
    const edge = this.liveEdge();
    return this.#isLive() && edge !== null && edge - this.#video()!.currentTime > BEHIND_LIVE_SECONDS;
  }

  /** Server clock (ms) minus the program time of the frame on screen, in seconds, or null. */
  behindHost(serverNow: number | null): number | null {
    const time = this.programTime();
    return time === null || serverNow === null ? null : (serverNow - time) / 1000;
  }

  /**
   * The media time (s) to seek to for the frame whose program time is `at` (ms), kept inside the seekable
   * window and never below 0; null while the stream has no program time.
   */
  seekTarget(at: number): number | null {
    const toMedia = this.#mediaTimeOf();
    if (!toMedia) return null;
    const time = toMedia(at);
    const range = seekableRange(this.#video()!);
    return Math.max(range ? Math.min(Math.max(time, range[0]), range[1]) : time, 0);
  }

  /** The chapters inside `range` (the seekable window), placed on the seek bar; none without program time. */
  placeChapters(chapters: Chapter[], range: [number, number] | null): PlacedChapter[] {
    const toMedia = this.#mediaTimeOf();
    if (!toMedia || !range) return [];
    return chapters.flatMap((c) => {
      const time = toMedia(c.at);
      if (time < range[0] || time > range[1]) return [];
      return [{...c, time, percent: ((time - range[0]) / (range[1] - range[0])) * 100}];
    });
  }

  /** Program time (ms) → media time (s), read off the frame on screen; null while either is unknown. */
  #mediaTimeOf(): ((at: number) => number) | null {
    const now = this.programTime();
    const video = this.#video();
    return now === null || !video ? null : (at) => video.currentTime + (at - now) / 1000;
  }
}
