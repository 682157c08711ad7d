/**
 * Simulated live HLS: a sliding-window media playlist over the committed fixture segments, looped, that
 * advances with the wall clock. Segment N covers program time [startAt + N·d, startAt + (N+1)·d), and
 * EXT-X-PROGRAM-DATE-TIME is that wall-clock start, so a host action stamped with the server clock lands in
 * the segment that was "on air" when the host acted — as with a real encoder. The same clock drives every
 * stream built with the same `startAt` (the TS and the fMP4 one), so an event sits at the same program
 * time in both.
 *
 * A stream may run `speed` times faster than the wall clock (for soak benchmarks): its program clock is
 * `startAt + (now − startAt) · speed`, so segment N keeps its program time and only comes on air sooner.
 */

/** CLASS of the EXT-X-DATERANGE tags that carry show events (DESIGN.md §3). */
export const EVENT_CLASS = 'com.kolkit.event';

/**
 * @typedef {{id: string, at: string}} TimedEvent a show event; only `id` and `at` are read here
 * @typedef {{event: TimedEvent, offsetMs: number}} PlacedEvent an event and how far into its segment it falls
 */

/**
 * @param {object} options
 * @param {number} options.segmentCount fixture segments in the loop
 * @param {number} options.segmentDuration seconds; must match scripts/make-media.sh
 * @param {number} options.windowSize segments listed at once
 * @param {number} options.startAt wall-clock ms at which segment 0 starts
 * @param {(seq: number, query: string) => string} options.segmentUri URI of segment `seq`, relative to the playlist
 * @param {string} [options.map] URI of the init segment (fMP4): written as EXT-X-MAP
 */
export function createLivePlaylist({segmentCount, segmentDuration, windowSize, startAt, segmentUri, map}) {
  if (!(segmentCount > 0)) throw new Error('a live playlist needs at least one fixture segment');
  const ms = segmentDuration * 1000;

  /** Sequence number of the newest segment whose end has passed at wall-clock `now` (-1 before the first). */
  const newestAt = (now, speed = 1) => Math.floor(((now - startAt) * speed) / ms) - 1;
  const startOf = (seq) => startAt + seq * ms;

  return {
    /**
     * The playlist at `now`. Each event whose `at` falls within a listed segment is written as an
     * EXT-X-DATERANGE right before that segment (unless `dateRange` is false); older events left the window
     * with their segments.
     * @param {number} now wall-clock ms
     * @param {readonly TimedEvent[]} events in any order
     * @param {object} [options]
     * @param {boolean} [options.dateRange] write events as EXT-X-DATERANGE (default true)
     * @param {string} [options.query] appended to every segment URI (e.g. `?id3=1`)
     * @param {boolean} [options.ended] the show is over: EXT-X-ENDLIST
     * @param {number} [options.windowSize] segments listed (the DVR window); default the playlist's own
     * @param {number} [options.speed] program seconds per wall-clock second (default 1)
     */
    render(now, events, {dateRange = true, query = '', ended = false, windowSize: listed = windowSize, speed = 1} = {}) {
      const last = newestAt(now, speed);
      const first = Math.max(0, last - listed + 1);
      const lines = [
        '#EXTM3U',
        `#EXT-X-VERSION:${map ? 6 : 3}`,
        `#EXT-X-TARGETDURATION:${Math.ceil(segmentDuration)}`,
        '#EXT-X-INDEPENDENT-SEGMENTS',
        `#EXT-X-MEDIA-SEQUENCE:${first}`,
        // Every wrap of the loop is one discontinuity (timestamps restart), counted before the first segment.
        `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / segmentCount)}`,
      ];
      // A client holds back three target durations of *wall* time (RFC 8216 §4.4.3.8's minimum) so that
      // its playhead does not run into the edge between two playlist reloads: at `speed`, that is more stream.
      if (speed !== 1) lines.push(`#EXT-X-SERVER-CONTROL:HOLD-BACK=${(3 * Math.ceil(segmentDuration) * Math.max(1, speed)).toFixed(3)}`);
      if (map) lines.push(`#EXT-X-MAP:URI="${map}"`);
      for (let seq = first; seq <= last; seq++) {
        if (seq > first && seq % segmentCount === 0) lines.push('#EXT-X-DISCONTINUITY');
        lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(startOf(seq)).toISOString()}`);
        if (dateRange) for (const {event} of placeEvents(events, startOf(seq), ms)) lines.push(dateRangeTag(event));
        lines.push(`#EXTINF:${segmentDuration.toFixed(3)},`, segmentUri(seq, query));
      }
      if (ended) lines.push('#EXT-X-ENDLIST');
      return lines.join('\n') + '\n';
    },

    /**
     * Which fixture file segment `seq` is, or null if it is not produced yet at `now` (a real origin 404s it).
     * @param {number} seq
     * @param {number} now wall-clock ms
     * @param {number} [speed] the stream's speed (default 1)
     */
    fileOf(seq, now, speed = 1) {
      return seq <= newestAt(now, speed) ? seq % segmentCount : null;
    },

    /**
     * The events whose `at` falls in segment `seq`, with their offset into it.
     * @param {number} seq
     * @param {readonly TimedEvent[]} events
     * @returns {PlacedEvent[]}
     */
    eventsIn(seq, events) {
      return placeEvents(events, startOf(seq), ms);
    },
  };
}

/**
 * The query every live stream reads (demo/README.md's URL contract): `daterange` (default 1), `id3` (default 0)
 * and `window` (segments listed, 1 to `maxWindow`), or an error for a malformed value.
 * @param {URLSearchParams} params
 * @param {number} windowSize the default window
 * @param {number} maxWindow
 * @returns {{dateRange: boolean, id3: boolean, window: number} | {error: string}}
 */
export function readStreamQuery(params, windowSize, maxWindow) {
  const flag = (name, fallback) => {
    const value = params.get(name);
    return value === null ? fallback : value === '1' ? true : value === '0' ? false : undefined;
  };
  const dateRange = flag('daterange', true);
  const id3 = flag('id3', false);
  if (dateRange === undefined) return {error: 'daterange: 0 or 1'};
  if (id3 === undefined) return {error: 'id3: 0 or 1'};
  const window = params.has('window') ? Number(params.get('window')) : windowSize;
  if (!Number.isInteger(window) || window < 1 || window > maxWindow) return {error: `window: 1 to ${maxWindow} segments`};
  return {dateRange, id3, window};
}

/**
 * The events with `start <= at < start + durationMs`, oldest first, with `offsetMs = at - start`.
 * @param {readonly TimedEvent[]} events
 * @param {number} start ms
 * @param {number} durationMs
 * @returns {PlacedEvent[]}
 */
export function placeEvents(events, start, durationMs) {
  const placed = [];
  for (const event of events) {
    const at = Date.parse(event.at);
    if (at >= start && at < start + durationMs) placed.push({event, offsetMs: at - start});
  }
  return placed.sort((a, b) => a.offsetMs - b.offsetMs);
}

/**
 * `#EXT-X-DATERANGE:ID="<id>",CLASS="com.kolkit.event",START-DATE="<at>",X-KOL-EVENT="<base64url(JSON)>"`
 * @param {TimedEvent} event
 */
export function dateRangeTag(event) {
  const json = Buffer.from(JSON.stringify(event)).toString('base64url');
  return `#EXT-X-DATERANGE:ID="${event.id}",CLASS="${EVENT_CLASS}",START-DATE="${event.at}",X-KOL-EVENT="${json}"`;
}
