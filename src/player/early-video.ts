/**
 * A player's `<video>` made before the player is defined (script-tag build, cdn/early-engine.ts), with a
 * MediaSource already opening in it. Opening one takes tens of milliseconds on the way to the first frame,
 * which bare hls.js spends while its playlist downloads (issue 16): here it is spent while kolkit's chunks
 * download. hls.js is handed the open MediaSource (its `attachMedia({media, mediaSource})`), and the player
 * takes the video as its own at its first update.
 */

import type {MediaAttachingData} from 'hls.js';

/** The video made ahead, and for which player element. */
let early: {player: Element; video: HTMLVideoElement} | null = null;
/** The MediaSource opening in a video made ahead, and its object URL, until hls.js takes it. */
const mediaSources = new WeakMap<HTMLVideoElement, {mediaSource: MediaSource; url: string}>();

/**
 * Makes the video `player` will take, muted as the player will start (autoplay needs it muted before
 * play()), with a MediaSource opening in it where the browser has one (not ManagedMediaSource: Safari opens
 * that only under conditions hls.js sets itself).
 */
export function makeEarlyVideo(player: Element): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = player.hasAttribute('muted');
  if (typeof MediaSource === 'function') {
    const mediaSource = new MediaSource();
    const url = URL.createObjectURL(mediaSource);
    video.src = url;
    mediaSources.set(video, {mediaSource, url});
  }
  early = {player, video};
  return video;
}

/** The video made ahead for `player`, once; null for any other player or a second call. */
export function takeEarlyVideo(player: Element): HTMLVideoElement | null {
  if (early?.player !== player) return null;
  const {video} = early;
  early = null;
  return video;
}

/**
 * What hls.js's `attachMedia()` gets for `video`: with the MediaSource opening in it since it was made ahead
 * (once, and only while the video still plays that), else the video alone and hls.js makes its own.
 */
export function mediaToAttach(video: HTMLVideoElement): HTMLVideoElement | MediaAttachingData {
  const made = mediaSources.get(video);
  mediaSources.delete(video);
  return made && video.src === made.url ? {media: video, mediaSource: made.mediaSource} : video;
}
