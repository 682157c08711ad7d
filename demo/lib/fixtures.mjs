/**
 * The committed fixture segments (scripts/make-media.sh), held in memory, and the same segments with show
 * events written in as timed ID3: a TXXX frame (description "kolkit", value = the event's JSON) at the
 * media time of the event's `at`, i.e. the segment's first video frame + (at − segment PDT).
 */
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {emsgV1, insertBeforeMoof, inspectInit, inspectSegment} from './fmp4.mjs';
import {ID3_DESCRIPTION, brokenId3Tag, id3Txxx} from './id3.mjs';
import {inspectTs, withId3} from './mpegts.mjs';

/**
 * @typedef {import('./live-playlist.mjs').PlacedEvent} PlacedEvent
 * @typedef {object} Fixture
 * @property {string[]} names file names of the media segments, in order
 * @property {string} contentType of a media segment
 * @property {Buffer} [init] the init segment (fMP4)
 * @property {(index: number) => Buffer} bytes segment `index` as made
 * @property {(index: number, events: PlacedEvent[], options?: TagOptions) => Buffer} withEvents segment `index` carrying `events` as timed ID3
 * @property {(index: number, events: PlacedEvent[], options?: TagOptions) => Buffer[]} [eventBoxes] (fMP4) the emsg boxes of `events`
 * @typedef {object} TagOptions
 * @property {boolean} [broken] put a malformed tag (one per product) before each event's tag, in the same ID3 sample (fault `bad-id3`)
 */

/** The ID3 tag of one show event. */
export const eventTag = (event) => id3Txxx(ID3_DESCRIPTION, JSON.stringify(event));

/**
 * The ID3 data of one event's sample: its tag, after a malformed one when `broken`. The malformed tag names
 * the event's product (else its type), not the event: like an encoder that writes the same broken tag again
 * and again, every event of one product gets the same bytes, and another product a different tag.
 * @param {TagOptions} [options]
 */
const sampleOf = (event, options) =>
  options?.broken
    ? Buffer.concat([brokenId3Tag(`not kolkit: broken tag for ${event.productId ?? event.type}`), eventTag(event)])
    : eventTag(event);

/** Files in `dir` matching `pattern`, sorted, or an error pointing at `npm run media`. */
function list(dir, pattern) {
  let names = [];
  try {
    names = readdirSync(dir).filter((f) => pattern.test(f)).sort();
  } catch {
    // reported below
  }
  if (!names.length) throw new Error(`no ${pattern} fixture in ${dir}: run \`npm run media\``);
  return names;
}

/**
 * MPEG-TS segments (segNNN.ts). Events become ID3 PES packets; the PMT declares the metadata stream.
 * @param {string} dir
 * @returns {Fixture}
 */
export function loadTsFixture(dir) {
  const names = list(dir, /^seg\d+\.ts$/);
  // A few hundred KB: held in memory so a segment request never waits on the disk.
  const files = names.map((name) => readFileSync(join(dir, name)));
  const infos = files.map((file, i) => {
    try {
      return inspectTs(file);
    } catch (error) {
      throw new Error(`${join(dir, names[i])}: ${error.message}`);
    }
  });
  return {
    names,
    contentType: 'video/mp2t',
    bytes: (index) => files[index],
    withEvents(index, events, options) {
      const info = infos[index];
      return withId3(files[index], info, events.map(({event, offsetMs}) => ({
        pts: info.firstVideoPts + offsetMs * 90,
        data: sampleOf(event, options),
      })));
    },
  };
}

/**
 * fMP4 segments (init.mp4 + segNNN.m4s). Events become version-1 emsg boxes (scheme
 * https://aomedia.org/emsg/ID3) before the moof, on the video track's timescale.
 * @param {string} dir
 * @returns {Fixture}
 */
export function loadFmp4Fixture(dir) {
  const names = list(dir, /^seg\d+\.m4s$/);
  const init = readFileSync(join(dir, 'init.mp4'));
  const video = inspectInit(init);
  const files = names.map((name) => readFileSync(join(dir, name)));
  const infos = files.map((file) => inspectSegment(file, video));
  return {
    names,
    init,
    contentType: 'video/iso.segment',
    bytes: (index) => files[index],
    withEvents(index, events, options) {
      return insertBeforeMoof(files[index], this.eventBoxes(index, events, options));
    },
    /** The emsg boxes of `events` in segment `index` (its parts carry them too: demo/lib/ll-hls.mjs). */
    eventBoxes(index, events, options) {
      const {firstVideoPts} = infos[index];
      return events.map(({event, offsetMs}) => emsgV1({
        timescale: video.timescale,
        presentationTime: firstVideoPts + (offsetMs * video.timescale) / 1000,
        id: messageId(event.id),
        data: sampleOf(event, options),
      }));
    },
  };
}

/** A stable 32-bit emsg id for an event id (emsg ids only need to be unique per scheme within a stream). */
function messageId(eventId) {
  return createHash('sha256').update(eventId).digest().readUInt32BE(0);
}
