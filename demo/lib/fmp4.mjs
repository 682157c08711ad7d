/**
 * ID3 in fragmented MP4 (CMAF), written into a pre-made segment on the fly: one `emsg` box per tag, version 1
 * (an absolute presentation_time on the track's clock), scheme `https://aomedia.org/emsg/ID3` (the AOM
 * "ID3 timed metadata in CMAF" binding, which hls.js and Safari read), placed before the segment's `moof` as
 * ISO/IEC 23009-1 requires. Any `sidx` in front of the insertion point has its first_offset moved on, so it
 * still points at the `moof`.
 *
 * Only what the demo's ffmpeg fixtures need is handled (one moof per segment, 32/64-bit box sizes).
 */

/** scheme_id_uri of ID3 in emsg. */
export const ID3_SCHEME = 'https://aomedia.org/emsg/ID3';

/**
 * Timescale and track id of the init segment's video track.
 * @param {Buffer} init
 * @returns {{trackId: number, timescale: number}}
 */
export function inspectInit(init) {
  for (const trak of children(init, boxAt(init, findBox(init, 0, init.length, 'moov')))) {
    if (trak.type !== 'trak') continue;
    const mdia = childOf(init, trak, 'mdia');
    const hdlr = childOf(init, mdia, 'hdlr');
    if (init.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const tkhd = childOf(init, trak, 'tkhd');
    const mdhd = childOf(init, mdia, 'mdhd');
    const v1 = (b) => init[b.body] === 1;
    return {
      trackId: init.readUInt32BE(tkhd.body + (v1(tkhd) ? 20 : 12)),
      timescale: init.readUInt32BE(mdhd.body + (v1(mdhd) ? 20 : 12)),
    };
  }
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
  const moof = boxAt(segment, findBox(segment, 0, segment.length, 'moof'));
  for (const traf of children(segment, moof)) {
    if (traf.type !== 'traf') continue;
    const tfhd = childOf(segment, traf, 'tfhd');
    if (segment.readUInt32BE(tfhd.body + 4) !== trackId) continue;
    const tfhdFlags = segment.readUIntBE(tfhd.body + 1, 3);
    let p = tfhd.body + 8;
    if (tfhdFlags & 0x01) p += 8; // base_data_offset
    if (tfhdFlags & 0x02) p += 4; // sample_description_index
    const defaultDuration = tfhdFlags & 0x08 ? segment.readUInt32BE(p) : 0;
    const tfdt = childOf(segment, traf, 'tfdt');
    let dts = segment[tfdt.body] === 1 ? Number(segment.readBigUInt64BE(tfdt.body + 4)) : segment.readUInt32BE(tfdt.body + 4);
    let first = Infinity;
    for (const trun of children(segment, traf)) {
      if (trun.type !== 'trun') continue;
      const version = segment[trun.body];
      const flags = segment.readUIntBE(trun.body + 1, 3);
      const count = segment.readUInt32BE(trun.body + 4);
      let q = trun.body + 8;
      if (flags & 0x01) q += 4; // data_offset
      if (flags & 0x04) q += 4; // first_sample_flags
      for (let i = 0; i < count; i++) {
        let duration = defaultDuration;
        let cts = 0;
        if (flags & 0x100) (duration = segment.readUInt32BE(q)), (q += 4);
        if (flags & 0x200) q += 4;
        if (flags & 0x400) q += 4;
        if (flags & 0x800) (cts = version ? segment.readInt32BE(q) : segment.readUInt32BE(q)), (q += 4);
        first = Math.min(first, dts + cts);
        dts += duration;
      }
    }
    if (Number.isFinite(first)) return {firstVideoPts: first};
  }
  throw new Error(`no samples of track ${trackId} in the segment`);
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
