/**
 * Work that can wait for the page: what kolkit needs later, not for the first frame (issue 16: on a phone,
 * every task before the first frame delays it).
 */

/** Longest wait for an idle moment, ms: a page that is never idle still gets the work done. */
const IDLE_TIMEOUT_MS = 2000;

/**
 * Resolves at the browser's first idle moment (`requestIdleCallback`; where it is missing, Safari, a task)
 * at least `after` ms from now, or `timeout` ms after that at the latest. The wait comes first because a
 * page starting a video is idle often, between downloads, right when its main thread matters most.
 */
export function whenIdle(after: number, timeout = IDLE_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), {timeout});
      else resolve();
    }, after);
  });
}
