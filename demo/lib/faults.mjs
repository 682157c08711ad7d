/**
 * Fault injection for the live origin, isolated per stream URL: `?fault=<kind>&faultId=<unique>` on a live
 * playlist, which writes the same parameters onto its segment URIs. The server remembers when it first saw
 * each faultId; the fault is active from `faultAfter` seconds after that until `faultFor` seconds later
 * (for `end`: for good). Requests with another faultId, or none, are never affected, so concurrent tests can
 * share one server.
 */

/** @typedef {'segment-404' | 'stall' | 'drop' | 'playlist-500' | 'end' | 'bad-id3' | 'bad-daterange'} FaultKind */
/** @typedef {{kind: FaultKind, id: string, after: number, for: number}} Fault after/for in seconds */
/** @typedef {'before' | 'during' | 'after'} FaultPhase */

export const FAULT_KINDS = /** @type {const} */ (['segment-404', 'stall', 'drop', 'playlist-500', 'end', 'bad-id3', 'bad-daterange']);
export const DEFAULT_FAULT_AFTER = 6;
export const DEFAULT_FAULT_FOR = 8;
const MAX_SECONDS = 3600;
/** faultIds remembered at once; the oldest are forgotten first. */
const MAX_FAULTS = 1000;

/**
 * The fault a request asks for: `{fault: null}` without `fault=`, or `{error}` for a malformed one.
 * @param {URLSearchParams} params
 * @returns {{fault: Fault | null} | {error: string}}
 */
export function parseFault(params) {
  const kind = params.get('fault');
  if (kind === null) {
    for (const name of ['faultId', 'faultAfter', 'faultFor']) {
      if (params.has(name)) return {error: `${name} without fault`};
    }
    return {fault: null};
  }
  if (!FAULT_KINDS.includes(/** @type {FaultKind} */ (kind))) return {error: `fault: one of ${FAULT_KINDS.join(', ')}`};
  const id = params.get('faultId');
  if (!id || !/^[\w.~-]{1,128}$/.test(id)) return {error: 'faultId: 1–128 characters of [A-Za-z0-9_.~-] are required'};
  const after = seconds(params.get('faultAfter'), DEFAULT_FAULT_AFTER, 0);
  const length = seconds(params.get('faultFor'), DEFAULT_FAULT_FOR, Number.MIN_VALUE);
  if (after === undefined) return {error: `faultAfter: seconds in [0, ${MAX_SECONDS}]`};
  if (length === undefined) return {error: `faultFor: seconds in (0, ${MAX_SECONDS}]`};
  return {fault: {kind: /** @type {FaultKind} */ (kind), id, after, for: length}};
}

/** The query string that carries `fault` on to segment URIs ('' for none); values in a fixed order. */
export function faultQuery(fault) {
  if (!fault) return '';
  return new URLSearchParams({fault: fault.kind, faultId: fault.id, faultAfter: String(fault.after), faultFor: String(fault.for)}).toString();
}

function seconds(text, fallback, min) {
  if (text === null) return fallback;
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= min && value <= MAX_SECONDS ? value : undefined;
}

/**
 * @param {object} options
 * @param {() => number} options.now server wall-clock ms
 */
export function createFaults({now}) {
  /** @type {Map<string, number>} faultId → ms when first seen */
  const firstSeen = new Map();

  /** When the fault clock of `fault.id` started (now, on the first request that names it). */
  const startOf = (fault) => {
    let start = firstSeen.get(fault.id);
    if (start === undefined) {
      start = now();
      firstSeen.set(fault.id, start);
      if (firstSeen.size > MAX_FAULTS) firstSeen.delete(firstSeen.keys().next().value);
    }
    return start;
  };

  return {
    /**
     * Where `fault` stands now. Starts its clock if this is the first request naming its faultId.
     * @param {Fault} fault
     * @returns {{phase: FaultPhase, since: number}} since: wall-clock ms at which the fault (would) start
     */
    check(fault) {
      const since = startOf(fault) + fault.after * 1000;
      const t = now();
      const phase = t < since ? 'before' : fault.kind === 'end' || t < since + fault.for * 1000 ? 'during' : 'after';
      return {phase, since};
    },
  };
}
