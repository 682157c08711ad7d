/** A recorded timeline: a JSON array of show events at a URL, for replays, demos and tests. */
import {REQUEST_TIMEOUT_MS, withTimeout} from '../core/timeout.js';

/** Time limits and retries of `loadRecording`; the defaults are what a show uses (options exist for tests). */
export interface TimelineLimits {
  /** How long to wait for the response headers (default `REQUEST_TIMEOUT_MS`, 15 s). */
  answerMs?: number;
  /** How long the body may stop arriving (default 30 s): a replay of a few MB on a slow link takes what it takes. */
  idleMs?: number;
  /** The waits before each retry of a failed load (default 2, 4 and 8 s). */
  retryDelaysMs?: readonly number[];
}

/**
 * Fetches the timeline at `url`, trying again after `retryDelaysMs` when a load fails (not after a 4xx other
 * than 408 and 429, nor a body that is not a JSON array). Rejects with a readable message, or with the
 * signal's reason.
 */
export async function loadRecording(url: string, signal?: AbortSignal, limits: TimelineLimits = {}): Promise<unknown[]> {
  const {answerMs = REQUEST_TIMEOUT_MS, idleMs = 30_000, retryDelaysMs = [2000, 4000, 8000]} = limits;
  for (let attempt = 0; ; attempt++) {
    try {
      return await loadOnce(url, answerMs, idleMs, signal);
    } catch (error) {
      if (signal?.aborted || (error as {final?: boolean}).final || attempt >= retryDelaysMs.length) throw error;
    }
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, retryDelaysMs[attempt]);
      signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), {once: true});
    });
  }
}

function loadOnce(url: string, answerMs: number, idleMs: number, signal?: AbortSignal): Promise<unknown[]> {
  return withTimeout(answerMs, `The timeline ${url} did not answer within ${answerMs / 1000} s.`, async (limited, limit) => {
    const response = await fetch(url, {signal: limited, headers: {accept: 'application/json'}});
    if (!response.ok) {
      const final = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw Object.assign(new Error(`The timeline ${url} answered ${response.status}.`), {final});
    }
    // The body is given time while it keeps arriving, not a deadline for the whole download.
    const stalled = `The timeline ${url} stopped arriving for ${idleMs / 1000} s.`;
    limit(idleMs, stalled);
    const watched = response.body?.pipeThrough(new TransformStream({transform: (chunk, out) => (limit(idleMs, stalled), out.enqueue(chunk))}));
    const body: unknown = await new Response(watched).json();
    if (!Array.isArray(body)) throw Object.assign(new Error(`The timeline ${url} is not a JSON array of events.`), {final: true});
    return body;
  }, signal);
}
