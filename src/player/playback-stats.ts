import type {PlayerStats} from '../elements/events.js';

/** How often the figures are emitted while playing. */
const STATS_INTERVAL_MS = 5000;

/**
 * A player's own playback figures: time to first frame (per load) and rebuffering (across loads), and the
 * timer that emits them while playing. The player adds what it learns elsewhere (latency, pin skew).
 */
export class PlaybackStats {
  #loadStartedAt = 0;
  #firstFrameAt: number | null = null;
  #rebufferCount = 0;
  #rebufferTime = 0;
  #waitingSince = 0;
  #timer?: ReturnType<typeof setInterval>;

  readonly #emit: () => void;
  readonly #paused: () => boolean;

  /**
   * @param emit Reports the figures (at the first frame, then every 5 s while playing).
   * @param paused Whether playback is paused (no periodic report then).
   */
  constructor(emit: () => void, paused: () => boolean) {
    this.#emit = emit;
    this.#paused = paused;
  }

  /** A new load begins: time to first frame counts from now. */
  restart(): void {
    this.#loadStartedAt = performance.now();
    this.#firstFrameAt = null;
  }

  /**
   * Times the first frame the compositor presents (or the first `playing`), unless `current` says the
   * load has been replaced meanwhile; then reports and starts the periodic reports.
   */
  timeFirstFrame(video: HTMLVideoElement, current: () => boolean): void {
    const mark = () => {
      if (!current() || this.#firstFrameAt !== null) return;
      this.#firstFrameAt = performance.now();
      this.#emit();
      this.#timer = setInterval(() => !this.#paused() && this.#emit(), STATS_INTERVAL_MS);
    };
    if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(mark);
    else video.addEventListener('playing', mark, {once: true});
  }

  /** Stops the periodic reports (the stream is unloaded). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Follows the status. Rebuffering is waiting for data after the first frame, not the start-up wait. */
  track(buffering: boolean, wasBuffering: boolean): void {
    if (buffering && !wasBuffering && this.#firstFrameAt !== null) {
      this.#rebufferCount++;
      this.#waitingSince = performance.now();
    } else if (!buffering && this.#waitingSince) {
      this.#rebufferTime += performance.now() - this.#waitingSince;
      this.#waitingSince = 0;
    }
  }

  /** The figures, with the ones the player knows filled in (in `PlayerStats` order). */
  figures(latency: number | null, behindHost: number | null, pinSkew: PlayerStats['pinSkew']): PlayerStats {
    return {
      timeToFirstFrame: this.#firstFrameAt === null ? null : this.#firstFrameAt - this.#loadStartedAt,
      latency,
      behindHost,
      rebufferCount: this.#rebufferCount,
      rebufferTime: this.#rebufferTime + (this.#waitingSince ? performance.now() - this.#waitingSince : 0),
      pinSkew,
    };
  }
}
