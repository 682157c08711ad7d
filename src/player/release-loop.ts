import type {PlayerShowHandle} from '../elements/show-handle.js';

/** Per-frame release checks run only when the next event is this close; otherwise a light timer polls. */
const FRAME_WINDOW_MS = 400;
/**
 * The light timer's longest wait. An event queued while it waits is seen within this long, so one that
 * arrives at least FRAME_WINDOW_MS + IDLE_CHECK_MS ahead of its moment still releases on its frame (a show's
 * events come seconds ahead: the stream is behind the host); a seek runs a check at once.
 * Four checks a second, not ten: the store page's main thread spent more on them than on its rendering
 * (issue 16).
 */
const IDLE_CHECK_MS = 250;

/**
 * The heart of time alignment: releases what this viewer's program time has reached, then waits for the
 * next check, on every presented video frame while an event is about to be due (frame-accurate release),
 * else on a light timer (no per-frame work for most of a show). A plain class, not a Lit controller: the
 * player decides when it runs (on each media change) and when it stops (unload).
 */
export class ReleaseLoop {
  #frameHandle = 0;
  /** The video whose frame callback `#frameHandle` is, or null when it is an animation frame. */
  #frameVideo: HTMLVideoElement | null = null;
  #idleTimer?: ReturnType<typeof setTimeout>;

  readonly #show: () => Pick<PlayerShowHandle, 'syncTime' | 'nextEventAt'> | null | undefined;
  readonly #playingVideo: () => HTMLVideoElement | null;
  readonly #programTime: () => number | null;

  /**
   * @param show The show to release into, if any.
   * @param playingVideo The video while a stream is loaded and playing, else null (then only one sync).
   * @param programTime The program time (ms) of the frame on screen, or null.
   */
  constructor(
    show: () => Pick<PlayerShowHandle, 'syncTime' | 'nextEventAt'> | null | undefined,
    playingVideo: () => HTMLVideoElement | null,
    programTime: () => number | null,
  ) {
    this.#show = show;
    this.#playingVideo = playingVideo;
    this.#programTime = programTime;
  }

  /** Syncs now and schedules the next check; safe to call at any time (it replaces a pending one). */
  readonly run = (): void => {
    this.stop();
    const show = this.#show();
    // No show, nothing to release: the next media change (at least each second of playback) looks again.
    if (!show) return;
    show.syncTime(); // also when paused: a seek moves the viewer's position too
    const video = this.#playingVideo();
    if (!video) return;
    const next = show.nextEventAt();
    const now = this.#programTime();
    if (next !== null && now !== null && next - now <= FRAME_WINDOW_MS) {
      const onVideo = typeof video.requestVideoFrameCallback === 'function';
      this.#frameVideo = onVideo ? video : null;
      this.#frameHandle = onVideo ? video.requestVideoFrameCallback(this.run) : requestAnimationFrame(this.run);
    } else {
      const wait = next !== null && now !== null ? next - now - FRAME_WINDOW_MS : IDLE_CHECK_MS;
      this.#idleTimer = setTimeout(this.run, Math.min(Math.max(wait, 0), IDLE_CHECK_MS));
    }
  };

  /** Cancels the pending check, if any. */
  stop(): void {
    if (this.#frameHandle) {
      if (this.#frameVideo) this.#frameVideo.cancelVideoFrameCallback(this.#frameHandle);
      else cancelAnimationFrame(this.#frameHandle);
      this.#frameHandle = 0;
    }
    clearTimeout(this.#idleTimer);
  }
}
