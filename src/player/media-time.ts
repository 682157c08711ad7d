/** Small formatting helpers for the player's controls. */
import {formatDuration} from '../core/countdown.js';

/** "1:02:03" or "4:05" for a media position in seconds: the seconds reached, as a player's clock shows them. */
export function formatClock(seconds: number): string {
  return formatDuration(Math.floor(seconds));
}

/** The seekable window of a video: [start, end] in seconds, or null when nothing is seekable. */
export function seekableRange(video: HTMLVideoElement): [number, number] | null {
  const ranges = video.seekable;
  if (!ranges.length) return null;
  const start = ranges.start(0);
  const end = ranges.end(ranges.length - 1);
  return Number.isFinite(end) && end > start ? [start, end] : null;
}
