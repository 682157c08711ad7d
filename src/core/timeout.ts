/**
 * Time limits for kolkit's own network requests: a URL that never answers must end in a `kol-error`, not
 * in a "Loading…" that stays on screen for ever.
 */

/**
 * How long (ms) kolkit waits for a memory catalog, a batch of products from the adapter, or the response
 * headers of a timeline or an events URL, before it reports the failure (a timeline is first tried again).
 */
export const REQUEST_TIMEOUT_MS = 15_000;

/** An error for work that ran out of time; its `name` is `TimeoutError`, as with `AbortSignal.timeout()`. */
export function timeoutError(message: string): Error {
  const error = new Error(message);
  error.name = 'TimeoutError';
  return error;
}

/**
 * Runs `work` with a signal that aborts after `ms` (with a `TimeoutError` saying `message`) or when `parent`
 * aborts (with its reason). Settles at that moment even if `work` ignores its signal (a merchant's adapter
 * may), and then rejects with the signal's reason rather than whatever `fetch` made of it. `work` may call
 * `limit(ms, message)` to set a new limit from now on (a download still arriving gets more time).
 */
export async function withTimeout<T>(
  ms: number, message: string, work: (signal: AbortSignal, limit: (ms: number, message: string) => void) => Promise<T>,
  parent?: AbortSignal,
): Promise<T> {
  parent?.throwIfAborted();
  const controller = new AbortController();
  const signal = controller.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  const limit = (ms: number, message: string) => {
    clearTimeout(timer);
    if (!settled) timer = setTimeout(() => controller.abort(timeoutError(message)), ms);
  };
  limit(ms, message);
  const onParentAbort = () => controller.abort(parent!.reason);
  parent?.addEventListener('abort', onParentAbort, {once: true});
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
  });
  try {
    return await Promise.race([work(signal, limit), aborted]);
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    settled = true; // a late limit() call must not leave a timer behind
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
    signal.removeEventListener('abort', onAbort);
  }
}
