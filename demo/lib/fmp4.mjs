/**
 * ID3 in fragmented MP4 (CMAF), written into a pre-made segment on the fly: one `emsg` box per tag, version 1
 * (an absolute presentation_time on the track's clock), scheme `https://aomedia.org/emsg/ID3` (the AOM
 * "ID3 timed metadata in CMAF" binding, which hls.js and Safari read), placed before the segment's `moof` as
 * ISO/IEC 23009-1 requires. Any `sidx` in front of the insertion point has its first_offset moved on, so it
 * still points at the `moof`.
 *
 * It also reads a segment's samples (readSamples: times, flags and bytes per track), which the low-latency
 * stream cuts into parts (ll-hls-parts.mjs).
 *
 * Only what the demo's ffmpeg fixtures need is handled (one moof per segment, 32/64-bit box sizes).
 */

/** scheme_id_uri of ID3 in emsg. */
export const ID3_SCHEME = 'https://aomedia.org/emsg/ID3';

/** Flags of `tfhd` and `trun` (ISO/IEC 14496-12 §8.8.7, §8.8.8): which fields are present. */
const TFHD_BASE_DATA_OFFSET = 0x01;
const TFHD_DEFAULT_DURATION = 0x08;
const TFHD_DEFAULT_SIZE = 0x10;
const TFHD_DEFAULT_FLAGS = 0x20;
export const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
export const TRUN_DATA_OFFSET = 0x01;
const TRUN_FIRST_FLAGS = 0x04;
export const TRUN_DURATION = 0x100;
export const TRUN_SIZE = 0x200;
export const TRUN_FLAGS = 0x400;
export const TRUN_CTS = 0x800;
/** sample_is_non_sync_sample in a sample's flags: a frame that needs earlier ones to decode. */
export const NON_SYNC = 0x00010000;

/**
 * @typedef {{dts: number, duration: number, flags: number, cts: number, data: Buffer}} Sample a sample, its bytes and times on its track's timescale
 * @typedef {{trackId: number, timescale: number, video: boolean, baseDts: number, signedCts: boolean, samples: Sample[]}} Run a track's samples in one segment
 */

/**
 * Timescale and track id of the init segment's video track.
 * @param {Buffer} init
 * @returns {{trackId: number, timescale: number}}
 */
export function inspectInit(init) {
  for (const [trackId, {timescale, video}] of initTracks(init)) if (video) return {trackId, timescale};
  throw new Error('no video track in the init segment');
}

/**
 * The earliest presentation time of the video track in a media segment (tfdt + decode durations +
 * composition offsets), in the track's timescale: the first frame shown.
 * @param {Buffer} segment
 * @param {{trackId: number}} video from inspectInit
 * @returns {{firstVideoPts: number}}
 */
export function inspectSegment(segment, {trackId}) {
  const only = new Map([[trackId, {timescale: 1, video: true, defaults: {duration: 0, size: 0, flags: 0}}]]);
  const samples = readSamples(segment, only).flatMap((run) => run.samples);
  if (!samples.length) throw new Error(`no samples of track ${trackId} in the segment`);
  return {firstVideoPts: Math.min(...samples.map((s) => s.dts + s.cts))};
}

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
 * The samples of a media segment, per track, with their bytes (the tracks in `tracks` only).
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
    if (!track) continue; // a track the caller does not ask for
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
 * An emsg box, version 1.
 * @param {{timescale: number, presentationTime: number, duration?: number, id: number, value?: string, data: Buffer}} message
 *   duration 0xFFFFFFFF (the default) means unknown
 */
export function emsgV1({timescale, presentationTime, duration = 0xffffffff, id, value = '', data}) {
  const fixed = Buffer.alloc(24);
  fixed.writeUInt32BE(0x01000000, 0); // version 1, flags 0
  fixed.writeUInt32BE(timescale, 4);
  fixed.writeBigUInt64BE(BigInt(Math.round(presentationTime)), 8);
  fixed.writeUInt32BE(duration >>> 0, 16);
  fixed.writeUInt32BE(id >>> 0, 20);
  return box('emsg', fixed, Buffer.from(`${ID3_SCHEME}\0${value}\0`, 'utf8'), data);
}

/**
 * The segment with `boxes` inserted right before its first `moof`.
 * @param {Buffer} segment
 * @param {Buffer[]} boxes
 */
export function insertBeforeMoof(segment, boxes) {
  if (!boxes.length) return segment;
  const insert = Buffer.concat(boxes);
  const at = findBox(segment, 0, segment.length, 'moof');
  const head = Buffer.from(segment.subarray(0, at)); // a copy: the fixture stays untouched
  for (let offset = 0; offset < head.length; ) {
    const b = boxAt(head, offset);
    if (b.type === 'sidx') {
      // first_offset counts from the end of this sidx to the first referenced byte (the moof).
      const v0 = head[b.body] === 0;
      const field = b.body + 12 + (v0 ? 4 : 8);
      if (v0) head.writeUInt32BE(head.readUInt32BE(field) + insert.length, field);
      else head.writeBigUInt64BE(head.readBigUInt64BE(field) + BigInt(insert.length), field);
    }
    offset = b.end;
  }
  return Buffer.concat([head, insert, segment.subarray(at)]);
}

/** A box of `type` around `parts`. @param {string} type @param {...Buffer} parts */
export function box(type, ...parts) {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0));
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, ...parts]);
}

/** The box at `offset`: type, where its body starts and where it ends. */
export function boxAt(buf, offset) {
  let size = buf.readUInt32BE(offset);
  let body = offset + 8;
  if (size === 1) {
    size = Number(buf.readBigUInt64BE(offset + 8));
    body += 8;
  } else if (size === 0) {
    size = buf.length - offset;
  }
  if (size < 8 || offset + size > buf.length) throw new Error(`bad MP4 box at ${offset}`);
  return {type: buf.toString('latin1', offset + 4, offset + 8), body, end: offset + size};
}

/** Offset of the first box of `type` between `start` and `end`. */
export function findBox(buf, start, end, type) {
  for (let offset = start; offset < end; ) {
    const b = boxAt(buf, offset);
    if (b.type === type) return offset;
    offset = b.end;
  }
  throw new Error(`no ${type} box`);
}

/** The child boxes of a container box. */
export function* children(buf, parent) {
  for (let offset = parent.body; offset < parent.end; ) {
    const b = boxAt(buf, offset);
    yield b;
    offset = b.end;
  }
}

/** The first child box of `type` of a container box (throws if none). */
export function childOf(buf, parent, type) {
  for (const b of children(buf, parent)) if (b.type === type) return b;
  throw new Error(`no ${type} in ${parent.type}`);
}
