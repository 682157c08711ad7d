/**
 * The demo's live show as low-latency HLS (RFC 8216bis; Apple's "Enabling Low-Latency HLS"): the fMP4
 * fixture looped on the same clock as /live/ and /live-fmp4/, each 2-s segment published as it is "encoded"
 * in partial segments (`EXT-X-PART`, demo/lib/ll-hls-parts.mjs), with `EXT-X-PART-INF`,
 * `EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=…`, an `EXT-X-PRELOAD-HINT` for the next part,
 * and blocking playlist reloads (`_HLS_msn`, `_HLS_part`).
 *
 * Time alignment is the regular stream's (docs/design.md §4): segment N still starts at program time
 * startAt + N·d (its EXT-X-PROGRAM-DATE-TIME), a part only cuts it finer, and a part keeps its frames' media
 * timestamps, so a player's program time is the same frame for frame. A host event is written as
 * EXT-X-DATERANGE under its parent segment as soon as the part it falls in is published (never before: that
 * would be the future of the stream), and as an emsg ID3 tag at its exact media time in that part.
 *
 * A part is published `publishDelayMs` after its last frame's time, as a packager needs a moment to write it;
 * here that moment lets an event stamped in the part's last milliseconds reach the stream's feed first, so
 * the part's bytes (and its whole segment's) never change once served.
 */
import {NO_STORE, sendText} from './http.mjs';
import {cutParts} from './ll-hls-parts.mjs';
import {dateRangeTag, placeEvents, readStreamQuery} from './live-playlist.mjs';
import {initTracks, insertBeforeMoof} from './fmp4.mjs';

/** Parts per 2-s segment: 0.4 s, ten frames at 25 fps. */
export const PARTS_PER_SEGMENT = 5;
/**
 * PART-HOLD-BACK in part targets: the spec's SHOULD (at least three). hls.js starts and keeps its target
 * latency there, so the viewer is about this far (+ the part being written) behind the host.
 */
export const PART_HOLD_BACK_PARTS = 3;
/** How long after its end a part is published (see above). */
export const PUBLISH_DELAY_MS = 100;
/** Blocked playlist and part requests held at once; more get a 503 (every held socket costs memory). */
export const MAX_HELD = 500;

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const CORS = {'Access-Control-Allow-Origin': '*'};

/**
 * @typedef {import('./live-playlist.mjs').TimedEvent} TimedEvent
 * @typedef {{dateRange: boolean, id3: boolean, window: number, carry: string}} LowLatencyOptions
 */

/**
 * The stream's clock and documents; no I/O.
 * @param {object} options
 * @param {import('./fixtures.mjs').Fixture} options.fixture the fMP4 fixture (init + segments)
 * @param {number} options.segmentDuration seconds
 * @param {number} options.windowSize complete segments listed
 * @param {number} options.startAt wall-clock ms at which segment 0 starts (shared with the other live streams)
 * @param {number} [options.partsPerSegment]
 * @param {number} [options.publishDelayMs]
 */
export function createLowLatencyStream({fixture, segmentDuration, windowSize, startAt, partsPerSegment = PARTS_PER_SEGMENT, publishDelayMs = PUBLISH_DELAY_MS}) {
  if (!fixture.init || !fixture.eventBoxes) throw new Error('low-latency HLS needs the fMP4 fixture');
  const n = partsPerSegment;
  const segmentMs = segmentDuration * 1000;
  const partMs = segmentMs / n;
  const tracks = initTracks(fixture.init);
  const parts = fixture.names.map((_, index) => cutParts(fixture.bytes(index), tracks, n, index * n + 1));
  const partTarget = Math.max(...parts.flat().map((p) => p.duration));
  const targetDuration = Math.ceil(segmentDuration);
  const count = fixture.names.length;
  const startOf = (seq) => startAt + seq * segmentMs;
  /** The newest published part at `now`, as a stream-wide index (segment · n + part); -1 before the first. */
  const lastPart = (now) => Math.floor((now - startAt - publishDelayMs) / partMs) - 1;
  /** When stream-wide part `g` is published. */
  const publishedAt = (g) => startAt + (g + 1) * partMs + publishDelayMs;

  /** Part `k` of segment `seq` with the events that fall in it as emsg ID3 (`events` placed in the segment). */
  const partBytes = (seq, k, placed) => {
    const part = parts[seq % count][k];
    const inPart = placed.filter(({offsetMs}) => offsetMs >= part.startMs && (k === n - 1 || offsetMs < part.startMs + partMs));
    return inPart.length ? insertBeforeMoof(part.bytes, fixture.eventBoxes(seq % count, inPart)) : part.bytes;
  };

  return {
    partTarget,
    partHoldBack: PART_HOLD_BACK_PARTS * partTarget,
    targetDuration,
    partsPerSegment: n,
    lastPart,
    publishedAt,

    /**
     * The playlist at `now`.
     * @param {number} now wall-clock ms
     * @param {readonly TimedEvent[]} events
     * @param {{dateRange?: boolean, query?: string, windowSize?: number}} [options]
     */
    render(now, events, {dateRange = true, query = '', windowSize: listed = windowSize} = {}) {
      const g = lastPart(now);
      const lastSeq = Math.floor(g / n);
      const partsOfLast = (g % n) + 1;
      const lastComplete = partsOfLast === n ? lastSeq : lastSeq - 1;
      const first = Math.max(0, lastComplete - listed + 1);
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        `#EXT-X-TARGETDURATION:${targetDuration}`,
        `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${(PART_HOLD_BACK_PARTS * partTarget).toFixed(3)}`,
        `#EXT-X-PART-INF:PART-TARGET=${partTarget.toFixed(3)}`,
        '#EXT-X-INDEPENDENT-SEGMENTS',
        `#EXT-X-MEDIA-SEQUENCE:${first}`,
        `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / count)}`,
        '#EXT-X-MAP:URI="init.mp4"',
      ];
      const partLines = (seq, upTo) => parts[seq % count].slice(0, upTo).map((part, k) =>
        `#EXT-X-PART:DURATION=${part.duration.toFixed(3)},URI="part/${seq}.${k}.m4s${query}"${part.independent ? ',INDEPENDENT=YES' : ''}`);
      const head = (seq, publishedMs) => {
        if (seq > first && seq % count === 0) lines.push('#EXT-X-DISCONTINUITY');
        lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(startOf(seq)).toISOString()}`);
        if (dateRange) for (const {event} of placeEvents(events, startOf(seq), publishedMs)) lines.push(dateRangeTag(event));
      };
      for (let seq = first; seq <= lastComplete; seq++) {
        head(seq, segmentMs);
        // Parts are listed for the last three target durations only (RFC 8216bis §6.2.2): older ones are
        // whole segments to a client, which asks for them only when it starts far behind.
        if (lastSeq - seq < 3) lines.push(...partLines(seq, n));
        lines.push(`#EXTINF:${segmentDuration.toFixed(3)},`, `seg/${seq}.m4s${query}`);
      }
      if (partsOfLast < n && g >= 0) {
        head(lastSeq, partsOfLast * partMs);
        lines.push(...partLines(lastSeq, partsOfLast));
      }
      const next = g + 1;
      lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part/${Math.floor(next / n)}.${next % n}.m4s${query}"`);
      return lines.join('\n') + '\n';
    },

    /**
     * What a blocking reload for `_HLS_msn=msn` (and `_HLS_part=part`) needs at `now` (RFC 8216bis
     * §6.2.5.2): `{ready: true}`, `{waitUntil: ms}` (when the asked part or segment is published), or
     * `{error}` for a request too far ahead (more than two segments, or more than the Advance Part Limit of
     * parts, past the newest).
     * @param {number} now
     * @param {number} msn
     * @param {number | null} part
     * @returns {{ready: true} | {waitUntil: number} | {error: string}}
     */
    reload(now, msn, part) {
      const g = lastPart(now);
      if (msn > Math.floor(g / n) + 2) return {error: `_HLS_msn ${msn} is more than two segments past the newest (${Math.floor(g / n)})`};
      const advancePartLimit = partTarget < 1 ? 3 / partTarget : 3;
      if (part !== null && msn * n + part - g > advancePartLimit) return {error: `_HLS_part ${part} of segment ${msn} is more than ${advancePartLimit} parts past the newest`};
      // A part index past the segment's last is the next segment's first part (M3).
      const wanted = part === null ? msn * n + n - 1 : msn * n + Math.min(part, n);
      return wanted <= g ? {ready: true} : {waitUntil: publishedAt(wanted)};
    },

    /**
     * Part `k` of segment `seq` (or the whole segment when `k` is null), with `events` as emsg ID3 when
     * `id3`; null if it is not published at `now`.
     * @param {number} now
     * @param {number} seq
     * @param {number | null} k
     * @param {readonly TimedEvent[] | null} events
     */
    media(now, seq, k, events) {
      const last = k === null ? seq * n + n - 1 : seq * n + k;
      if (last > lastPart(now)) return null;
      const placed = events ? placeEvents(events, startOf(seq), segmentMs) : [];
      if (k !== null) return partBytes(seq, k, placed);
      return Buffer.concat(parts[seq % count].map((_, i) => partBytes(seq, i, placed)));
    },
  };
}

/**
 * The query of a low-latency request: `daterange`, `id3`, `window` as on /live-fmp4/ (the URL contract in
 * demo/README.md); `speed` and faults are the regular streams' only. `carry` is what media URIs repeat.
 * @param {URLSearchParams} params
 * @param {number} windowSize the default
 * @param {number} maxWindow
 * @returns {LowLatencyOptions | {error: string}}
 */
export function lowLatencyOptions(params, windowSize, maxWindow) {
  for (const name of ['speed', 'fault']) if (params.has(name)) return {error: `${name}: not offered on the low-latency stream (/live-fmp4/ has it)`};
  const common = readStreamQuery(params, windowSize, maxWindow);
  if ('error' in common) return common;
  const {dateRange, id3, window} = common;
  return {dateRange, id3, window, carry: id3 ? '?id3=1' : ''};
}

/**
 * The low-latency stream's routes: `index.m3u8` (blocking with `_HLS_msn`/`_HLS_part`), `init.mp4`,
 * `part/<seq>.<k>.m4s` (the hinted next part is held until published) and `seg/<seq>.m4s`. Every held
 * request is bounded: by the spec's three target durations (then 503), by the client going away, and by
 * MAX_HELD at once.
 * @param {object} options
 * @param {ReturnType<typeof createLowLatencyStream>} options.stream
 * @param {import('./fixtures.mjs').Fixture} options.fixture
 * @param {() => readonly TimedEvent[]} options.events the show's current events
 * @param {() => number} options.now
 * @param {number} options.windowSize
 * @param {number} options.maxWindow
 */
export function createLowLatencyRoutes({stream, fixture, events, now, windowSize, maxWindow}) {
  let held = 0;
  const holdLimitMs = 3 * stream.targetDuration * 1000;

  /** Calls `then` at wall-clock `until` (or `onTimeout` after the hold limit); false if too many are held. */
  function hold(req, res, until, then, onTimeout) {
    if (held >= MAX_HELD) {
      sendText(res, 503, 'too many blocked requests', {...CORS, 'Retry-After': '1'});
      return;
    }
    held++;
    const deadline = now() + holdLimitMs;
    let timer;
    const release = () => {
      clearTimeout(timer);
      held--;
      res.off('close', release);
    };
    const wake = () => {
      if (now() >= until) return release(), then();
      if (now() >= deadline) return release(), onTimeout();
      timer = setTimeout(wake, Math.max(1, Math.min(until, deadline) - now()));
    };
    // A client that gives up frees its slot at once.
    res.on('close', release);
    wake();
  }

  const handlers = {
    playlist(req, res, url) {
      const options = lowLatencyOptions(url.searchParams, windowSize, maxWindow);
      if ('error' in options) return sendText(res, 400, options.error, CORS);
      const send = () => {
        res.writeHead(200, {...NO_STORE, ...CORS, 'Content-Type': PLAYLIST_TYPE});
        res.end(stream.render(now(), events(), {dateRange: options.dateRange, query: options.carry, windowSize: options.window}));
      };
      const msnText = url.searchParams.get('_HLS_msn');
      const partText = url.searchParams.get('_HLS_part');
      if (msnText === null) {
        if (partText !== null) return sendText(res, 400, '_HLS_part needs _HLS_msn', CORS);
        return send();
      }
      const index = (text) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN);
      const msn = index(msnText);
      const part = partText === null ? null : index(partText);
      if (Number.isNaN(msn) || Number.isNaN(part)) return sendText(res, 400, '_HLS_msn and _HLS_part: whole numbers', CORS);
      const plan = stream.reload(now(), msn, part);
      if ('error' in plan) return sendText(res, 400, plan.error, CORS);
      if ('ready' in plan) return send();
      hold(req, res, plan.waitUntil, send, () => sendText(res, 503, 'the asked part was not published within three target durations', CORS));
    },
    media(req, res, url, seq, k) {
      const options = lowLatencyOptions(url.searchParams, windowSize, maxWindow);
      if ('error' in options) return sendText(res, 400, options.error, CORS);
      const send = () => {
        const bytes = stream.media(now(), seq, k, options.id3 ? events() : null);
        if (!bytes) return sendText(res, 404, 'not published yet', CORS);
        res.writeHead(200, {
          ...CORS,
          'Content-Type': fixture.contentType,
          'Content-Length': bytes.length,
          // As on /live-fmp4/: plain media is the same in every run; with events it is this run's.
          'Cache-Control': options.id3 ? 'no-store' : 'public, max-age=3600',
        });
        res.end(bytes);
      };
      const g = stream.lastPart(now());
      // The preload hint names the next part: a request for it waits until it is published (§6.2.6); any
      // other unpublished part or segment is simply not there yet.
      if (k !== null && seq * stream.partsPerSegment + k === g + 1) {
        return hold(req, res, stream.publishedAt(g + 1), send, () => sendText(res, 503, 'the part was not published in time', CORS));
      }
      send();
    },
    init(req, res) {
      const bytes = /** @type {Buffer} */ (fixture.init);
      res.writeHead(200, {...CORS, 'Content-Type': 'video/mp4', 'Content-Length': bytes.length, 'Cache-Control': 'public, max-age=3600'});
      res.end(bytes);
    },
  };

  return {
    /**
     * The handler of `rest` (the path after the stream's prefix), or null.
     * @param {string} rest
     * @returns {((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => void) | null}
     */
    route(rest) {
      if (rest === 'index.m3u8') return handlers.playlist;
      if (rest === 'init.mp4') return handlers.init;
      const part = /^part\/(\d{1,9})\.(\d)\.m4s$/.exec(rest);
      if (part && Number(part[2]) < stream.partsPerSegment) return (req, res, url) => handlers.media(req, res, url, Number(part[1]), Number(part[2]));
      const segment = /^seg\/(\d{1,9})\.m4s$/.exec(rest);
      if (segment) return (req, res, url) => handlers.media(req, res, url, Number(segment[1]), null);
      return null;
    },
  };
}
