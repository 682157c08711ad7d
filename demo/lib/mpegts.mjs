/**
 * Timed ID3 in MPEG-TS, written into a pre-made segment on the fly, as Apple's "Timed Metadata for HTTP Live
 * Streaming" lays it out (and as Amazon IVS and AWS MediaLive emit it):
 *
 * - the PMT gains a `metadata_pointer_descriptor` (tag 0x25) in its program info and an elementary stream
 *   of stream_type 0x15 (metadata in PES) carrying a `metadata_descriptor` (tag 0x26), both with format
 *   identifier "ID3 "; its CRC32 is recomputed. hls.js's tsdemuxer takes the first 0x15 stream as its ID3 PID;
 * - each tag is one PES packet (stream_id 0xBD, data_alignment_indicator set) whose PTS is the media time the
 *   tag applies to, on the segment's own 90 kHz clock.
 *
 * Only what the demo's ffmpeg fixtures need is handled: one program, each PSI section in one packet.
 */

const PACKET = 188;
/** PID of the metadata stream added to the fixtures (theirs use 0x100 video, 0x101 audio, 0x1000 PMT). */
export const ID3_PID = 0x102;
const PTS_WRAP = 2 ** 33;

/**
 * What the origin needs to know about a TS segment.
 * @param {Buffer} segment
 * @returns {{pmtPid: number, videoPid: number, firstVideoPts: number}} firstVideoPts: the earliest PTS of the
 *   video stream in this segment (90 kHz), i.e. the first frame shown
 */
export function inspectTs(segment) {
  checkPackets(segment);
  let pmtPid = -1;
  let videoPid = -1;
  let firstVideoPts = Infinity;
  for (let start = 0; start < segment.length; start += PACKET) {
    const {pid, pusi, payload} = packetAt(segment, start);
    if (!pusi || payload >= start + PACKET) continue;
    if (pid === 0 && pmtPid < 0) {
      const section = payload + 1 + segment[payload];
      pmtPid = ((segment[section + 10] & 0x1f) << 8) | segment[section + 11];
    } else if (pid === pmtPid && videoPid < 0) {
      for (const stream of pmtStreams(segment, payload + 1 + segment[payload])) {
        if (stream.type === 0x1b || stream.type === 0x24) videoPid = stream.pid; // H.264, HEVC
      }
    } else if (pid === videoPid) {
      const pts = pesPts(segment, payload);
      if (pts !== undefined && pts < firstVideoPts) firstVideoPts = pts;
    }
  }
  if (pmtPid < 0 || videoPid < 0 || !Number.isFinite(firstVideoPts)) {
    throw new Error('not a single-program MPEG-TS segment with a video stream and PTS');
  }
  return {pmtPid, videoPid, firstVideoPts};
}

/**
 * The segment with the ID3 metadata stream declared in every PMT (whether or not `tags` is empty: an encoder
 * with timed metadata declares it on every segment), and one PES packet per tag, placed right after the
 * first PMT.
 * @param {Buffer} segment
 * @param {{pmtPid: number}} info from inspectTs
 * @param {{pts: number, data: Buffer}[]} tags pts in 90 kHz units of the segment's clock; data an ID3 tag
 * @returns {Buffer}
 */
export function withId3(segment, {pmtPid}, tags) {
  const out = [];
  let inserted = false;
  for (let start = 0; start < segment.length; start += PACKET) {
    const packet = segment.subarray(start, start + PACKET);
    const {pid, pusi} = packetAt(segment, start);
    if (pid !== pmtPid || !pusi) {
      out.push(packet);
      continue;
    }
    out.push(pmtWithId3(packet));
    if (!inserted) {
      inserted = true;
      let counter = 0;
      for (const tag of [...tags].sort((a, b) => a.pts - b.pts)) {
        for (const p of packetize(ID3_PID, pes(tag), counter)) {
          out.push(p);
          counter = (counter + 1) & 0x0f;
        }
      }
    }
  }
  if (!inserted) throw new Error('no PMT in the segment');
  return Buffer.concat(out);
}

/** The PMT packet rewritten to declare the ID3 stream. */
function pmtWithId3(packet) {
  const {payload} = packetAt(packet, 0);
  const pointer = packet[payload];
  const at = payload + 1 + pointer; // table_id
  const sectionLength = ((packet[at + 1] & 0x0f) << 8) | packet[at + 2];
  if (at + 3 + sectionLength > PACKET) throw new Error('PMT section spans packets');
  const section = packet.subarray(at, at + 3 + sectionLength);
  if (crc32(section.subarray(0, -4)) !== section.readUInt32BE(section.length - 4)) throw new Error('bad PMT CRC');
  const programNumber = section.readUInt16BE(3);
  const programInfoLength = ((section[10] & 0x0f) << 8) | section[11];
  const programInfo = section.subarray(12, 12 + programInfoLength);
  const streams = section.subarray(12 + programInfoLength, section.length - 4);
  for (const stream of pmtStreams(packet, at)) {
    if (stream.pid === ID3_PID) throw new Error(`PID ${ID3_PID} is already used`);
  }

  const id3 = Buffer.from('ID3 ', 'latin1');
  // metadata_pointer_descriptor: application format 0xFFFF + "ID3 ", format 0xFF + "ID3 ", service 0,
  // no locator record, carriage flags 0 (same transport stream), reserved bits, program_number.
  const pointerDescriptor = Buffer.concat([
    Buffer.from([0x25, 15, 0xff, 0xff]), id3, Buffer.from([0xff]), id3,
    Buffer.from([0x00, 0x1f, programNumber >> 8, programNumber & 0xff]),
  ]);
  // metadata_descriptor: the same identifiers, service 0, no decoder config, no DSM-CC, reserved bits.
  const metadataDescriptor = Buffer.concat([
    Buffer.from([0x26, 13, 0xff, 0xff]), id3, Buffer.from([0xff]), id3, Buffer.from([0x00, 0x0f]),
  ]);
  const esEntry = Buffer.concat([
    Buffer.from([0x15, 0xe0 | (ID3_PID >> 8), ID3_PID & 0xff, 0xf0 | (metadataDescriptor.length >> 8), metadataDescriptor.length & 0xff]),
    metadataDescriptor,
  ]);
  const newProgramInfoLength = programInfoLength + pointerDescriptor.length;
  const head = Buffer.from(section.subarray(0, 12));
  head[10] = (head[10] & 0xf0) | (newProgramInfoLength >> 8);
  head[11] = newProgramInfoLength & 0xff;
  const body = Buffer.concat([head, programInfo, pointerDescriptor, streams, esEntry]);
  const newSectionLength = body.length - 3 + 4;
  body[1] = (body[1] & 0xf0) | (newSectionLength >> 8);
  body[2] = newSectionLength & 0xff;
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  const rewritten = Buffer.concat([packet.subarray(0, at), body, crc]);
  if (rewritten.length > PACKET) throw new Error('PMT with ID3 does not fit in one packet');
  return Buffer.concat([rewritten, Buffer.alloc(PACKET - rewritten.length, 0xff)]);
}

/** One PES packet (private_stream_1, PTS only) carrying `data`. */
function pes({pts, data}) {
  const length = 3 + 5 + data.length; // bytes after PES_packet_length
  if (length > 0xffff) throw new RangeError('ID3 tag too large for one PES packet');
  const header = Buffer.from([0, 0, 1, 0xbd, length >> 8, length & 0xff, 0x84, 0x80, 5]);
  return Buffer.concat([header, encodePts(((Math.round(pts) % PTS_WRAP) + PTS_WRAP) % PTS_WRAP), data]);
}

/** 33-bit PTS in the 5-byte '0010' form. */
function encodePts(pts) {
  const high = Math.floor(pts / 2 ** 30); // bits 32..30
  const mid = Math.floor(pts / 2 ** 15) & 0x7fff; // bits 29..15
  const low = pts % 2 ** 15; // bits 14..0
  return Buffer.from([0x21 | (high << 1), mid >> 7, ((mid & 0x7f) << 1) | 1, low >> 7, ((low & 0x7f) << 1) | 1]);
}

/** TS packets carrying one PES: the first with payload_unit_start, the last padded by adaptation stuffing. */
function packetize(pid, data, firstCounter) {
  const packets = [];
  for (let offset = 0, counter = firstCounter; offset < data.length; counter = (counter + 1) & 0x0f) {
    const chunk = data.subarray(offset, offset + 184);
    offset += chunk.length;
    const packet = Buffer.alloc(PACKET, 0xff);
    packet[0] = 0x47;
    packet[1] = (packets.length === 0 ? 0x40 : 0) | (pid >> 8);
    packet[2] = pid & 0xff;
    if (chunk.length === 184) {
      packet[3] = 0x10 | counter;
      chunk.copy(packet, 4);
    } else {
      packet[3] = 0x30 | counter; // adaptation field + payload
      const adaptationLength = 183 - chunk.length;
      packet[4] = adaptationLength;
      if (adaptationLength > 0) packet[5] = 0x00; // no flags; the rest stays 0xFF stuffing
      chunk.copy(packet, 5 + adaptationLength);
    }
    packets.push(packet);
  }
  return packets;
}

/** PID, payload_unit_start_indicator and payload offset of the packet at `start`. */
function packetAt(buf, start) {
  const pid = ((buf[start + 1] & 0x1f) << 8) | buf[start + 2];
  const pusi = (buf[start + 1] & 0x40) !== 0;
  const afc = (buf[start + 3] & 0x30) >> 4;
  const payload = afc > 1 ? start + 5 + buf[start + 4] : start + 4;
  return {pid, pusi, payload};
}

/** Elementary streams listed by the PMT section at `at` (its table_id byte). */
function* pmtStreams(buf, at) {
  const sectionLength = ((buf[at + 1] & 0x0f) << 8) | buf[at + 2];
  const end = at + 3 + sectionLength - 4;
  let offset = at + 12 + (((buf[at + 10] & 0x0f) << 8) | buf[at + 11]);
  while (offset + 5 <= end) {
    yield {type: buf[offset], pid: ((buf[offset + 1] & 0x1f) << 8) | buf[offset + 2]};
    offset += 5 + (((buf[offset + 3] & 0x0f) << 8) | buf[offset + 4]);
  }
}

/** PTS of the PES header starting at `at`, if it has one. */
function pesPts(buf, at) {
  if (buf[at] !== 0 || buf[at + 1] !== 0 || buf[at + 2] !== 1 || !(buf[at + 7] & 0x80)) return undefined;
  const p = at + 9;
  return (
    ((buf[p] >> 1) & 0x07) * 2 ** 30 +
    ((buf[p + 1] << 7) | (buf[p + 2] >> 1)) * 2 ** 15 +
    ((buf[p + 3] << 7) | (buf[p + 4] >> 1))
  );
}

function checkPackets(buf) {
  if (buf.length % PACKET !== 0) throw new Error('not a whole number of 188-byte TS packets');
  for (let start = 0; start < buf.length; start += PACKET) {
    if (buf[start] !== 0x47) throw new Error(`no TS sync byte at ${start}`);
  }
}

/** CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, no reflection, no final xor). */
export function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}
