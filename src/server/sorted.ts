/** Binary search over lists kept in order (a log's sequences, a view's entries). */

/** The index of the first of `items` (ascending by `key`) whose key is above `value`; `items.length` if none. */
export function firstAbove<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (key(items[mid]) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
