/**
 * What this page's viewer did in a show (a poll's vote, a giveaway's entry), kept for the page's life: every
 * element of the show shows it, and one that joins later knows it. In memory only (nothing is stored on the
 * device); the server, not this, is what enforces one vote or one entry per viewer.
 */

/** Per show: what was done (e.g. `poll:<id>`) → its value. */
const done = new WeakMap<object, Map<string, unknown>>();

/** What this page's viewer did as `key` in `show`, or undefined. */
export function recallAction<T>(show: object, key: string): T | undefined {
  return done.get(show)?.get(key) as T | undefined;
}

/** Remembers what this page's viewer did as `key` in `show`. A known value is kept over `null` (done, details unknown). */
export function rememberAction(show: object, key: string, value: unknown): void {
  let actions = done.get(show);
  if (!actions) done.set(show, (actions = new Map()));
  if (value !== null || !actions.has(key)) actions.set(key, value);
}
