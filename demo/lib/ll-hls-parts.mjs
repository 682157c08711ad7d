/**
 * Partial segments for low-latency HLS, cut from the committed fMP4 fixture: each 2-s segment (one `moof`
 * with a video and an audio `traf`, one `mdat`) is re-fragmented into `count` CMAF chunks (`moof` + `mdat`)
 * by decode time, e.g. five 0.4-s parts of ten video frames each. The samples and their timestamps are the
 * segment's own, so a part plays exactly the frames it covers, at the same media time and so at the same
 * program time (EXT-X-PROGRAM-DATE-TIME of the parent segment + offset) as in the whole segment. The whole
 * segment of the low-latency stream is its parts back to back (RFC 8216bis §4.4.4.9: a Partial Segment's
 * media is part of its Parent Segment).
 *
 * Only what the demo's ffmpeg fixtures need is handled: one `moof` per segment, sample data addressed from
 * the `moof` (default-base-is-moof or an explicit base), defaults in `tfhd` or the init segment's `trex`.
 */
import {NON_SYNC, TFHD_DEFAULT_BASE_IS_MOOF, TRUN_CTS, TRUN_DATA_OFFSET, TRUN_DURATION, TRUN_FLAGS, TRUN_SIZE, box, readSamples} from './fmp4.mjs';


/**
 * @typedef {import('./fmp4.mjs').Run} Run
 * @typedef {object} Part
 * @property {Buffer} bytes the chunk: `moof` + `mdat`
 * @property {number} duration seconds (its video samples' durations)
 * @property {boolean} independent its first video frame is a keyframe (EXT-X-PART's INDEPENDENT=YES)
 * @property {number} startMs where it starts, ms into its segment
 */

/**
 * One CMAF chunk (`moof` + `mdat`) holding `runs`' samples, all described explicitly in each `trun`.
 * @param {number} sequence the moof's sequence_number
 * @param {Run[]} runs only those with samples are written
 */
export function writeChunk(sequence, runs) {
  const present = runs.filter((r) => r.samples.length);
  const mfhd = box('mfhd', u32(0), u32(sequence));
  const trafs = [];
  /** Where each trun's data_offset field sits in its traf, to patch once the moof's size is known. */
  const patches = [];
  for (const run of present) {
    const tfhd = box('tfhd', u32(TFHD_DEFAULT_BASE_IS_MOOF), u32(run.trackId));
    const tfdt = Buffer.alloc(12);
    tfdt.writeUInt32BE(0x01000000); // version 1: a 64-bit base decode time
    tfdt.writeBigUInt64BE(BigInt(run.samples[0].dts), 4);
    const withCts = run.samples.some((s) => s.cts !== 0);
    const flags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | (withCts ? TRUN_CTS : 0);
    const head = Buffer.alloc(12);
    head.writeUInt32BE(((run.signedCts ? 1 : 0) << 24) | flags);
    head.writeUInt32BE(run.samples.length, 4);
    const entries = Buffer.alloc(run.samples.length * (withCts ? 16 : 12));
    run.samples.forEach((s, i) => {
      const at = i * (withCts ? 16 : 12);
      entries.writeUInt32BE(s.duration, at);
      entries.writeUInt32BE(s.data.length, at + 4);
      entries.writeUInt32BE(s.flags >>> 0, at + 8);
      if (withCts) run.signedCts ? entries.writeInt32BE(s.cts, at + 12) : entries.writeUInt32BE(s.cts, at + 12);
    });
    const traf = box('traf', tfhd, box('tfdt', tfdt), box('trun', head, entries));
    // traf header (8) + tfhd + tfdt box + trun header (8) + version/flags/count (8): the data_offset field.
    patches.push({traf: trafs.length, at: 8 + tfhd.length + 20 + 8 + 8});
    trafs.push(traf);
  }
  const moof = box('moof', mfhd, ...trafs);
  // Sample data follows the moof and the mdat's 8-byte header, track after track.
  let offset = moof.length + 8;
  let trafAt = 8 + mfhd.length;
  present.forEach((run, i) => {
    moof.writeInt32BE(offset, trafAt + patches[i].at);
    offset += run.samples.reduce((n, s) => n + s.data.length, 0);
    trafAt += trafs[i].length;
  });
  return Buffer.concat([moof, box('mdat', ...present.flatMap((r) => r.samples.map((s) => s.data)))]);
}

/**
 * Cuts a media segment into `count` parts of equal duration by decode time: a sample belongs to the part its
 * decode time falls in (so a 21.3-ms audio frame straddling a boundary goes with the earlier part).
 * @param {Buffer} segment
 * @param {ReturnType<typeof import('./fmp4.mjs').initTracks>} tracks
 * @param {number} count parts per segment
 * @param {number} firstSequence the first part's moof sequence_number
 * @returns {Part[]}
 */
export function cutParts(segment, tracks, count, firstSequence = 1) {
  const runs = readSamples(segment, tracks);
  const video = /** @type {Run} */ (runs.find((r) => r.video));
  const length = video.samples.reduce((n, s) => n + s.duration, 0) / video.timescale;
  const parts = [];
  for (let k = 0; k < count; k++) {
    const from = (k * length) / count;
    const to = ((k + 1) * length) / count;
    const slice = runs.map((run) => ({
      ...run,
      samples: run.samples.filter((s) => {
        const t = (s.dts - run.baseDts) / run.timescale;
        // A hair of slack: timescale rounding must not push a boundary frame into its neighbour.
        return t >= from - 1e-6 && (k === count - 1 || t < to - 1e-6);
      }),
    }));
    const frames = /** @type {Run} */ (slice.find((r) => r.video)).samples;
    if (!frames.length) throw new Error(`part ${k} of ${count} would hold no video frame`);
    parts.push({
      bytes: writeChunk(firstSequence + k, slice),
      duration: frames.reduce((n, s) => n + s.duration, 0) / video.timescale,
      independent: !(frames[0].flags & NON_SYNC),
      startMs: Math.round(from * 1000),
    });
  }
  return parts;
}

/** @param {number} value */
function u32(value) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}
