/** Countdown text: what a timer shows every second, and the coarse milestones worth announcing. */

/** "1:02:03", "4:05" or "0:09" for a whole number of seconds (negative reads as 0). */
export function formatDuration(wholeSeconds: number): string {
  const total = Math.max(wholeSeconds, 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A countdown's text for a number of milliseconds left: rounded up, so "0:00" only when time is up. */
export function formatRemaining(ms: number): string {
  return formatDuration(Math.ceil(ms / 1000));
}

/** Seconds left at which a countdown speaks, largest first. Never every second (WCAG 2.2.2). */
const MILESTONES = [3600, 1800, 600, 300, 60, 30, 10];

/** The milestone `ms` has passed (e.g. 60 for anything from 31 to 60 seconds left), or null above the first. */
export function milestoneFor(ms: number): number | null {
  const seconds = Math.ceil(ms / 1000);
  let reached: number | null = null;
  for (const milestone of MILESTONES) if (seconds <= milestone) reached = milestone;
  return reached;
}

/** Words for a milestone: "1 hour", "10 minutes", "30 seconds". */
export function describeMilestone(seconds: number): string {
  if (seconds >= 3600) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds >= 60) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
