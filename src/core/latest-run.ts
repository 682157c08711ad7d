/**
 * "Latest run wins", in one place: work that a later request makes stale (an adapter import after the show
 * was given another adapter, a stream load after `src` changed, a cart read after a cart change) takes the
 * signal of its run and drops its result once that signal has aborted. The pattern of `@lit/task`, without
 * the element: each run gets an `AbortController`, and starting the next aborts the one before.
 */
export class LatestRun {
  #controller = new AbortController();

  /** Starts a new run: the previous run's signal aborts. Returns the new run's signal. */
  start(): AbortSignal {
    this.#controller.abort();
    this.#controller = new AbortController();
    return this.#controller.signal;
  }

  /** The current run's signal: aborted once a later run starts, or on `cancel()`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Ends the current run without starting another (the element left the page). */
  cancel(): void {
    this.#controller.abort();
  }
}
