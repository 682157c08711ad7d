/**
 * A player's `<video>` made before the player is defined (script-tag build, cdn/early-engine.ts), so hls.js can
 * attach it and open its MediaSource while the elements still load: opening one takes tens of milliseconds,
 * on the way to the first frame, which bare hls.js spends while its playlist downloads (issue 16). The player
 * takes it as its own video at its first update.
 */

/** The one video made ahead, and for which player element. */
let early: {player: Element; video: HTMLVideoElement} | null = null;

/** Makes the video `player` will take, muted as the player will start (autoplay needs it muted before play()). */
export function makeEarlyVideo(player: Element): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = player.hasAttribute('muted');
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
