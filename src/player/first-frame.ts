/**
 * Whether a video element has a frame of its current media. Program time is told only from then on:
 * before the first frame hls.js answers `playingDate` from the position it plans to start at, and on the
 * demo's live origin that answer was minutes off in 3 of 20 starts (504 s ahead, then back), which would
 * release events early and then release them again.
 */
export interface FrameWatch {
  /**
   * True from the current media's first frame until the media is replaced. A seek (which may drop the
   * ready state to metadata only) keeps it true, so seek bars and chapters do not blink.
   */
  readonly hasFrame: boolean;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Watches `video` for the first frame of each media it loads (a new source, a rebuilt MediaSource). Start
 * watching before giving the video its source.
 */
export function watchFirstFrame(video: HTMLVideoElement): FrameWatch {
  let hasFrame = false;
  // `emptied` marks a new media and `loadeddata` its first frame, even when nobody asked in between; the
  // ready state is also read when asked, so the answer holds inside other `loadeddata` listeners too.
  const onEmptied = () => (hasFrame = false);
  const onLoadedData = () => (hasFrame = true);
  video.addEventListener('emptied', onEmptied);
  video.addEventListener('loadeddata', onLoadedData);
  return {
    get hasFrame() {
      if (video.readyState === HTMLMediaElement.HAVE_NOTHING) hasFrame = false;
      else if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) hasFrame = true;
      return hasFrame;
    },
    dispose() {
      video.removeEventListener('emptied', onEmptied);
      video.removeEventListener('loadeddata', onLoadedData);
    },
  };
}
