/**
 * Time limits for kolkit's own network requests: a URL that never answers must end in a `kol-error`, not
 * in a "Loading…" that stays on screen for ever.
 */

/**
 * How long (ms) kolkit waits for a timeline, a memory catalog, a batch of products from the adapter, or an
 * events URL's response headers, before it reports the failure.
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
 * may), and then rejects with the signal's reason rather than whatever `fetch` made of it.
 */
export async function withTimeout<T>(
  ms: number, message: string, work: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal,
): Promise<T> {
  parent?.throwIfAborted();
  const controller = new AbortController();
  const signal = controller.signal;
  const timer = setTimeout(() => controller.abort(timeoutError(message)), ms);
  const onParentAbort = () => controller.abort(parent!.reason);
  parent?.addEventListener('abort', onParentAbort, {once: true});
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
  });
  try {
    return await Promise.race([work(signal), aborted]);
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
    signal.removeEventListener('abort', onAbort);
  }
}
