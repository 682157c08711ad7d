/**
 * A recorded show: a VOD playlist over the live fixture's TS segments, with EXT-X-PROGRAM-DATE-TIME on every
 * segment from a fixed date, and the show's timeline (demo/media/replay/timeline.json: the show events of
 * that recording, DESIGN.md §3 carrier 3). The same events can be written into the playlist as
 * EXT-X-DATERANGE, as an origin that recorded them in-stream would.
 */
import {readFileSync} from 'node:fs';
import {dateRangeTag, placeEvents} from './live-playlist.mjs';

/** Program time of the recording's first frame. */
export const REPLAY_START = '2026-11-20T19:00:00.000Z';

/**
 * Reads and checks a recorded timeline: every entry a valid v1 event (by the SDK's own schema), ids unique,
 * in time order.
 * @param {string} file
 * @param {(raw: unknown) => {kind: string, message?: string}} parseShowEvent
 * @returns {import('./live-playlist.mjs').TimedEvent[]}
 */
export function loadTimeline(file, parseShowEvent) {
  const events = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(events)) throw new Error(`${file}: not a JSON array`);
  const ids = new Set();
  events.forEach((event, i) => {
    const result = parseShowEvent(event);
    if (result.kind !== 'event') throw new Error(`${file}[${i}]: ${result.message ?? result.kind}`);
    if (ids.has(event.id)) throw new Error(`${file}[${i}]: duplicate id ${event.id}`);
    ids.add(event.id);
    if (i > 0 && Date.parse(event.at) < Date.parse(events[i - 1].at)) throw new Error(`${file}[${i}]: out of time order`);
  });
  return events;
}

/**
 * The VOD playlist.
 * @param {object} options
 * @param {string[]} options.segmentUris one per segment, in order
 * @param {number} options.segmentDuration seconds
 * @param {readonly import('./live-playlist.mjs').TimedEvent[]} options.timeline
 * @param {boolean} options.dateRange write the timeline as EXT-X-DATERANGE
 * @param {string} [options.start] program time of the first segment
 */
export function renderReplay({segmentUris, segmentDuration, timeline, dateRange, start = REPLAY_START}) {
  const ms = segmentDuration * 1000;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.ceil(segmentDuration)}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MEDIA-SEQUENCE:0',
  ];
  segmentUris.forEach((uri, i) => {
    const pdt = Date.parse(start) + i * ms;
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(pdt).toISOString()}`);
    if (dateRange) for (const {event} of placeEvents(timeline, pdt, ms)) lines.push(dateRangeTag(event));
    lines.push(`#EXTINF:${segmentDuration.toFixed(3)},`, uri);
  });
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
