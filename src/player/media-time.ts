/** Small formatting helpers for the player's controls. */

/** "1:02:03" or "4:05" for a number of seconds. */
export function formatClock(seconds: number): string {
  const total = Math.max(Math.floor(seconds), 0);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The seekable window of a video: [start, end] in seconds, or null when nothing is seekable. */
export function seekableRange(video: HTMLVideoElement): [number, number] | null {
  const ranges = video.seekable;
  if (!ranges.length) return null;
  const start = ranges.start(0);
  const end = ranges.end(ranges.length - 1);
  return Number.isFinite(end) && end > start ? [start, end] : null;
}
