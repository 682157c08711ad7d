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
import {box, boxAt, childOf, children, findBox} from './fmp4.mjs';

const TFHD_BASE_DATA_OFFSET = 0x01;
const TFHD_DEFAULT_DURATION = 0x08;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;
const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
const TRUN_DATA_OFFSET = 0x01;
const TRUN_FIRST_FLAGS = 0x04;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_CTS = 0x800;
/** sample_is_non_sync_sample in a sample's flags: a frame that needs earlier ones to decode. */
const NON_SYNC = 0x00010000;

/**
 * @typedef {{dts: number, duration: number, flags: number, cts: number, data: Buffer}} Sample
 * @typedef {{trackId: number, timescale: number, video: boolean, baseDts: number, signedCts: boolean, samples: Sample[]}} Run
 * @typedef {object} Part
 * @property {Buffer} bytes the chunk: `moof` + `mdat`
 * @property {number} duration seconds (its video samples' durations)
 * @property {boolean} independent its first video frame is a keyframe (EXT-X-PART's INDEPENDENT=YES)
 * @property {number} startMs where it starts, ms into its segment
 */

/**
 * Timescale and handler of each track of an init segment, and its `trex` defaults.
 * @param {Buffer} init
 * @returns {Map<number, {timescale: number, video: boolean, defaults: {duration: number, size: number, flags: number}}>}
 */
export function initTracks(init) {
  const moov = boxAt(init, findBox(init, 0, init.length, 'moov'));
  const tracks = new Map();
  for (const trak of children(init, moov)) {
    if (trak.type !== 'trak') continue;
    const tkhd = childOf(init, trak, 'tkhd');
    const mdia = childOf(init, trak, 'mdia');
    const mdhd = childOf(init, mdia, 'mdhd');
    const hdlr = childOf(init, mdia, 'hdlr');
    const v1 = (b) => init[b.body] === 1;
    tracks.set(init.readUInt32BE(tkhd.body + (v1(tkhd) ? 20 : 12)), {
      timescale: init.readUInt32BE(mdhd.body + (v1(mdhd) ? 20 : 12)),
      video: init.toString('latin1', hdlr.body + 8, hdlr.body + 12) === 'vide',
      defaults: {duration: 0, size: 0, flags: 0},
    });
  }
  const mvex = [...children(init, moov)].find((b) => b.type === 'mvex');
  for (const trex of mvex ? children(init, mvex) : []) {
    if (trex.type !== 'trex') continue;
    const track = tracks.get(init.readUInt32BE(trex.body + 4));
    if (track) {
      track.defaults = {
        duration: init.readUInt32BE(trex.body + 12),
        size: init.readUInt32BE(trex.body + 16),
        flags: init.readUInt32BE(trex.body + 20),
      };
    }
  }
  return tracks;
}

/**
 * The samples of a media segment, per track, with their bytes.
 * @param {Buffer} segment
 * @param {ReturnType<typeof initTracks>} tracks
 * @returns {Run[]}
 */
export function readSamples(segment, tracks) {
  const moofAt = findBox(segment, 0, segment.length, 'moof');
  const moof = boxAt(segment, moofAt);
  const runs = [];
  for (const traf of children(segment, moof)) {
    if (traf.type !== 'traf') continue;
    const tfhd = childOf(segment, traf, 'tfhd');
    const tfhdFlags = segment.readUIntBE(tfhd.body + 1, 3);
    const trackId = segment.readUInt32BE(tfhd.body + 4);
    const track = tracks.get(trackId);
    if (!track) throw new Error(`track ${trackId} is not in the init segment`);
    let p = tfhd.body + 8;
    let base = moofAt;
    if (tfhdFlags & TFHD_BASE_DATA_OFFSET) (base = Number(segment.readBigUInt64BE(p))), (p += 8);
    else if (!(tfhdFlags & TFHD_DEFAULT_BASE_IS_MOOF) && runs.length) throw new Error('sample data not addressed from the moof');
    if (tfhdFlags & 0x02) p += 4; // sample_description_index
    const defaults = {...track.defaults};
    if (tfhdFlags & TFHD_DEFAULT_DURATION) (defaults.duration = segment.readUInt32BE(p)), (p += 4);
    if (tfhdFlags & TFHD_DEFAULT_SIZE) (defaults.size = segment.readUInt32BE(p)), (p += 4);
    if (tfhdFlags & TFHD_DEFAULT_FLAGS) defaults.flags = segment.readUInt32BE(p);
    const tfdt = childOf(segment, traf, 'tfdt');
    const baseDts = segment[tfdt.body] === 1 ? Number(segment.readBigUInt64BE(tfdt.body + 4)) : segment.readUInt32BE(tfdt.body + 4);
    /** @type {Run} */
    const run = {trackId, timescale: track.timescale, video: track.video, baseDts, signedCts: false, samples: []};
    let dts = baseDts;
    let dataAt = base;
    for (const trun of children(segment, traf)) {
      if (trun.type !== 'trun') continue;
      const version = segment[trun.body];
      const flags = segment.readUIntBE(trun.body + 1, 3);
      const count = segment.readUInt32BE(trun.body + 4);
      let q = trun.body + 8;
      if (flags & TRUN_DATA_OFFSET) (dataAt = base + segment.readInt32BE(q)), (q += 4);
      let firstFlags = null;
      if (flags & TRUN_FIRST_FLAGS) (firstFlags = segment.readUInt32BE(q)), (q += 4);
      run.signedCts ||= version === 1;
      for (let i = 0; i < count; i++) {
        const sample = {dts, duration: defaults.duration, flags: i === 0 && firstFlags !== null ? firstFlags : defaults.flags, cts: 0, data: Buffer.alloc(0)};
        let size = defaults.size;
        if (flags & TRUN_DURATION) (sample.duration = segment.readUInt32BE(q)), (q += 4);
        if (flags & TRUN_SIZE) (size = segment.readUInt32BE(q)), (q += 4);
        if (flags & TRUN_FLAGS) (sample.flags = segment.readUInt32BE(q)), (q += 4);
        if (flags & TRUN_CTS) (sample.cts = version ? segment.readInt32BE(q) : segment.readUInt32BE(q)), (q += 4);
        if (dataAt + size > segment.length) throw new Error('a sample runs past the end of the segment');
        sample.data = segment.subarray(dataAt, dataAt + size);
        dataAt += size;
        dts += sample.duration;
        run.samples.push(sample);
      }
    }
    runs.push(run);
  }
  if (!runs.some((r) => r.video)) throw new Error('no video track in the segment');
  return runs;
}

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
 * @param {ReturnType<typeof initTracks>} tracks
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
