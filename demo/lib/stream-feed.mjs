/**
 * What the simulated live stream carries: the demo show's events from the show server's log, kept in memory
 * as they are appended, for the playlists (EXT-X-DATERANGE) and segments (timed ID3) to write. A real
 * packager would be fed the same way. Only what the host puts on air rides in the stream: the conversation
 * (chat, reactions, the viewer count) reaches viewers over the server's SSE alone (DESIGN.md §8.4).
 */

/** Event types the stream leaves to the SSE edge. */
export const CONVERSATION = new Set(['chat.message', 'chat.remove', 'reactions.update', 'viewers.update', 'requests.update']);

/** Events kept: far more than the largest DVR window (an hour of a busy show) lists. */
export const MAX_STREAM_EVENTS = 10_000;

/**
 * Follows `show`'s log from its first held entry.
 * @param {import('../../dist/node/server/index.js').ShowLogs} logs
 * @param {string} show
 * @returns {Promise<{readonly events: readonly {id: string, at: string, type: string}[], close(): void}>}
 */
export async function createStreamFeed(logs, show) {
  /** @type {{id: string, at: string, type: string}[]} */
  let events = [];
  // Resuming after sequence 0 is every entry the server holds, then each new one: no snapshot, nothing twice.
  const leave = await logs.join(show, 0, ({event}) => {
    if (event.type === 'show.snapshot' || CONVERSATION.has(event.type)) return;
    events.push(event);
    if (events.length > MAX_STREAM_EVENTS) events = events.slice(-MAX_STREAM_EVENTS / 2);
  });
  return {
    get events() {
      return events;
    },
    close: leave,
  };
}
