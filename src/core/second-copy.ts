/**
 * A second copy of kolkit on one page: the script twice from two URLs, two loaders, or the CDN build beside
 * an npm bundle. The first copy stays in charge, and the page gets ONE console warning per pair of versions
 * (not one per element), naming both. The record of what was reported lives under a `Symbol.for` key, so
 * every copy shares it whatever its version, and kolkit adds no string-named global for it.
 */

const KEY = Symbol.for('kolkit.copies');

/** What every copy on the page shares: the pairs already reported, and the clashes waiting to be. */
interface CopiesRecord {
  /** The pairs of versions already warned about, either way round. */
  warned: Set<string>;
  /** Clashes seen in the current task, by pair, reported together at its end. */
  pending: Map<string, string[]>;
}

function record(): CopiesRecord {
  const host = globalThis as unknown as Record<symbol, CopiesRecord | undefined>;
  return (host[KEY] ??= {warned: new Set(), pending: new Map()});
}

/**
 * Notes that kolkit `ignored` found `what` (e.g. `<kol-show>`, `window.Kolkit`) already provided by `kept`
 * (a kolkit version, or undefined for another library). The warning is written once the current task's
 * synchronous work is done, so one copy's whole set of clashes makes one message.
 */
export function reportSecondCopy(kept: string | undefined, ignored: string, what: string): void {
  const {warned, pending} = record();
  // Either way round: a page with 0.9 elements and a 1.0 loader before them gets one warning, not two.
  const pair = [kept ?? '', ignored].sort().join('|');
  if (warned.has(pair)) return;
  const clashes = pending.get(pair);
  if (clashes) {
    if (!clashes.includes(what)) clashes.push(what);
    return;
  }
  pending.set(pair, [what]);
  queueMicrotask(() => {
    const list = pending.get(pair)!.join(', ');
    pending.delete(pair);
    warned.add(pair);
    console.warn(
      kept === undefined
        ? `[kolkit] ${list} already defined by another script: kolkit ${ignored} leaves it in place.`
        : kept === ignored
          ? `[kolkit] kolkit ${kept} is loaded twice on this page (two copies): the first one is used (${list}). Load it once.`
          : `[kolkit] Two versions of kolkit are on this page: ${kept} (loaded first, used) and ${ignored} (ignored: ${list}). Load one copy.`,
    );
  });
}
