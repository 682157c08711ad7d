/**
 * Simulated live HLS: a sliding-window media playlist over the committed fixture segments, looped, that
 * advances with the wall clock. Segment N covers program time [startAt + N·d, startAt + (N+1)·d), and
 * EXT-X-PROGRAM-DATE-TIME is that wall-clock start, so a host action stamped with the server clock lands in
 * the segment that was "on air" when the host acted — as with a real encoder.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

/** CLASS of the EXT-X-DATERANGE tags that carry show events (DESIGN.md §3). */
export const EVENT_CLASS = 'com.kolkit.event';

/**
 * @typedef {{id: string, at: string}} TimedEvent a show event; only `id` and `at` are read here
 */

/**
 * @param {object} options
 * @param {string} options.mediaDir directory of the fixture's segNNN.ts files
 * @param {number} options.segmentDuration seconds; must match scripts/make-media.sh
 * @param {number} options.windowSize segments listed at once
 * @param {number} options.startAt wall-clock ms at which segment 0 starts
 */
export function createLivePlaylist({mediaDir, segmentDuration, windowSize, startAt}) {
  const names = readdirSync(mediaDir).filter((f) => /^seg\d+\.ts$/.test(f)).sort();
  if (!names.length) throw new Error(`no segNNN.ts fixture in ${mediaDir}: run \`npm run media\``);
  // A few hundred KB: held in memory so a segment request never waits on the disk.
  const files = names.map((name) => readFileSync(join(mediaDir, name)));
  const ms = segmentDuration * 1000;

  /** Sequence number of the newest segment whose end has passed at `now` (-1 before the first). */
  const newestAt = (now) => Math.floor((now - startAt) / ms) - 1;

  return {
    /**
     * The playlist at `now`. Each event whose `at` falls within a listed segment is written as an
     * EXT-X-DATERANGE right before that segment; older events left the window with their segments.
     * @param {number} now wall-clock ms
     * @param {readonly TimedEvent[]} events in any order
     */
    render(now, events) {
      const last = newestAt(now);
      const first = Math.max(0, last - windowSize + 1);
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        `#EXT-X-TARGETDURATION:${Math.ceil(segmentDuration)}`,
        '#EXT-X-INDEPENDENT-SEGMENTS',
        `#EXT-X-MEDIA-SEQUENCE:${first}`,
        // Every wrap of the loop is one discontinuity (timestamps restart), counted before the first segment.
        `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / files.length)}`,
      ];
      for (let seq = first; seq <= last; seq++) {
        const start = startAt + seq * ms;
        if (seq > first && seq % files.length === 0) lines.push('#EXT-X-DISCONTINUITY');
        lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(start).toISOString()}`);
        for (const event of events) {
          const at = Date.parse(event.at);
          if (at >= start && at < start + ms) lines.push(dateRange(event));
        }
        lines.push(`#EXTINF:${segmentDuration.toFixed(3)},`, `seg/${seq}.ts`);
      }
      // No EXT-X-ENDLIST: the show is live.
      return lines.join('\n') + '\n';
    },

    /**
     * The bytes of segment `seq`, or null if it is not produced yet at `now` (a real origin 404s it too).
     * @param {number} seq
     * @param {number} now wall-clock ms
     */
    segment(seq, now) {
      return seq <= newestAt(now) ? files[seq % files.length] : null;
    },
  };
}

/** @param {TimedEvent} event */
function dateRange(event) {
  const json = Buffer.from(JSON.stringify(event)).toString('base64url');
  return `#EXT-X-DATERANGE:ID="${event.id}",CLASS="${EVENT_CLASS}",START-DATE="${event.at}",X-KOL-EVENT="${json}"`;
}
