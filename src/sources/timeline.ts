/** A recorded timeline: a JSON array of show events at a URL, for replays, demos and tests. */
import {REQUEST_TIMEOUT_MS, withTimeout} from '../core/timeout.js';

/**
 * Fetches the timeline at `url`; rejects with a readable message when it is not a JSON array, or when it has
 * not fully arrived within `timeoutMs` (default `REQUEST_TIMEOUT_MS`), or with the signal's reason.
 */
export function loadTimeline(url: string, signal?: AbortSignal, timeoutMs = REQUEST_TIMEOUT_MS): Promise<unknown[]> {
  const late = `The timeline ${url} did not load within ${timeoutMs / 1000} s.`;
  return withTimeout(timeoutMs, late, async (limited) => {
    const response = await fetch(url, {signal: limited, headers: {accept: 'application/json'}});
    if (!response.ok) throw new Error(`The timeline ${url} answered ${response.status}.`);
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new Error(`The timeline ${url} is not a JSON array of events.`);
    return body;
  }, signal);
}
