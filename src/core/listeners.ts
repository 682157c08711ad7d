/** A set of listeners: added with an unsubscribe, called in the order they were added. */
export class Listeners<Args extends unknown[] = []> {
  readonly #set = new Set<(...args: Args) => void>();

  /** Adds `listener`; returns its removal. */
  add(listener: (...args: Args) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  /** Removes `listener`. */
  delete(listener: (...args: Args) => void): void {
    this.#set.delete(listener);
  }

  /** Calls every listener (a copy of the set: one may unsubscribe itself or another meanwhile). */
  notify(...args: Args): void {
    for (const listener of [...this.#set]) listener(...args);
  }
}
