/**
 * Whether a failed add may be sent again (DESIGN.md §5). An add is not idempotent on any backend, and a cart
 * read can only say an add has not happened *yet*: a backend still working on it (or a request still on
 * the wire) may apply it after every read. So kolkit resends only when the adapter says the add itself
 * certainly did not reach the cart, and the cart agrees.
 */

/** An error an adapter rejects with when the backend answered the add without running it. */
export interface NotAppliedError extends Error {
  /** `false`: the backend refused to run the add (e.g. answered 429 or 503 before applying it). */
  readonly applied: false;
}

/**
 * Marks `error` as an add the backend certainly did not apply (the adapter contract's `applied: false`):
 * use it only for the add request's own answer (an HTTP error status the backend sends instead of running
 * the request), never for a timeout, an abort or a network error, which may come after the backend applied it.
 */
export function notApplied<E extends Error>(error: E): E & NotAppliedError {
  return Object.assign(error, {applied: false as const});
}

/**
 * True when an adapter's rejection says the add did not happen (`applied === false` on the error itself).
 * Anything else — kolkit's own time limit, an abort, a network error, an error with no word on it — leaves
 * the add's fate unknown.
 */
export function knownNotApplied(error: unknown): boolean {
  return !!error && typeof error === 'object' && (error as {applied?: unknown}).applied === false;
}
