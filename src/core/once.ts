/**
 * Remembers which things were already reported, so a flood of the same bad input (a date range re-read on
 * every playlist load, an event re-sent on every reconnect) gives one `kol-error`, not one per copy.
 * Bounded: the oldest keys are forgotten first.
 */
export class ReportedOnce {
  readonly #keys = new Set<string>();

  readonly #max: number;

  /** @param max keys remembered at most. */
  constructor(max = 10_000) {
    this.#max = max;
  }

  /** True the first time `key` is seen (since it was last forgotten). */
  first(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.values().next().value!);
    return true;
  }

  /** Forgets every key (a new source: its bad input is new). */
  clear(): void {
    this.#keys.clear();
  }
}
