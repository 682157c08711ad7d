/**
 * Every host event of this server's life, in the order they were sent, and what a client connecting now
 * needs to catch up: the events after the one it last saw, or the old state folded into one snapshot
 * plus the recent events raw (so the client can still time-align those against its video).
 */

/** Events younger than this are replayed raw to a new client; older ones are folded into its snapshot. */
export const RAW_REPLAY_MS = 60_000;

/**
 * @typedef {{v: 1, id: string, type: string, at: string}} ShowEvent a validated show event (src/core/schema.ts)
 * @typedef {{sseId?: string, event: object}} Message one SSE message: its `id:` line (if any) and its JSON
 */

/**
 * @param {object} core the reducer from dist/esm/core/state.js
 * @param {(state: object, event: ShowEvent) => object} core.reduceShow
 * @param {() => object} core.initialShowState
 */
export function createShowHistory({reduceShow, initialShowState}) {
  /** @type {ShowEvent[]} */
  const events = [];
  /** @type {Map<string, number>} event id → index in `events` */
  const index = new Map();

  /** State after the events matching `keep`. */
  const reduce = (keep = () => true) => events.filter(keep).reduce(reduceShow, initialShowState());

  return {
    /** All events, oldest first (read-only view). */
    get events() {
      return /** @type {readonly ShowEvent[]} */ (events);
    },

    /** @param {ShowEvent} event */
    append(event) {
      index.set(event.id, events.length);
      events.push(event);
    },

    /** The show state after every event so far. */
    state() {
      return reduce();
    },

    /**
     * The messages that bring a client connecting at `now` up to date.
     * @param {string | null} lastEventId the client's `Last-Event-ID`, if any
     * @param {number} now server wall-clock ms
     * @returns {Message[]}
     */
    catchUp(lastEventId, now) {
      const seen = lastEventId ? index.get(lastEventId) : undefined;
      if (seen !== undefined) return events.slice(seen + 1).map((event) => ({sseId: event.id, event}));

      const cutoff = now - RAW_REPLAY_MS;
      const isOld = (e) => Date.parse(e.at) < cutoff;
      const old = events.filter(isOld);
      const snapshot = {
        v: 1,
        id: `snapshot-${cutoff}`,
        type: 'show.snapshot',
        at: new Date(cutoff).toISOString(),
        state: reduce(isOld),
      };
      // The snapshot's SSE id is the newest event folded into it: resuming from there loses nothing.
      // With none folded in, it has no id line, so a reconnect asks for a fresh snapshot.
      return [
        {sseId: old.at(-1)?.id, event: snapshot},
        ...events.filter((e) => !isOld(e)).map((event) => ({sseId: event.id, event})),
      ];
    },
  };
}
