/**
 * ID3v2.4 tags as timed-metadata encoders write them (Amazon IVS PutMetadata, AWS MediaLive, Apple's
 * "Timed Metadata for HTTP Live Streaming"): a 10-byte header and one `TXXX` frame, UTF-8.
 */

/** The TXXX description kolkit writes; the frame's value is the event's JSON. */
export const ID3_DESCRIPTION = 'kolkit';

/**
 * An ID3v2.4 tag with a single TXXX (user-defined text) frame: encoding 3 (UTF-8), `description`, a NUL,
 * then `value` (not NUL-terminated). No unsynchronisation is needed: UTF-8 never contains 0xFF.
 * @param {string} description
 * @param {string} value
 * @returns {Buffer}
 */
export function id3Txxx(description, value) {
  const body = Buffer.concat([Buffer.from([3]), Buffer.from(`${description}\0${value}`, 'utf8')]);
  const frameHeader = Buffer.alloc(10); // id, synchsafe size, two flag bytes (0)
  frameHeader.write('TXXX', 0, 'latin1');
  writeSynchsafe(frameHeader, 4, body.length);
  const tagHeader = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]); // "ID3", v2.4.0, no flags
  writeSynchsafe(tagHeader, 6, frameHeader.length + body.length);
  return Buffer.concat([tagHeader, frameHeader, body]);
}

/**
 * A malformed ID3v2.4 tag, for fault injection: its header and frame sizes are right, but its TXXX frame's
 * description never ends (no NUL), which made @svta/cml-id3 throw RangeError. The frame holds `text`.
 * @param {string} text
 * @returns {Buffer}
 */
export function brokenId3Tag(text) {
  const tag = id3Txxx(text.replace(/\0/g, ''), ''); // ends with the description's NUL (the value is empty)
  tag[tag.length - 1] = 0x20;
  return tag;
}

/**
 * The TXXX frames of an ID3v2.3/2.4 tag as {description, value} (for tests and tools; tolerant, not strict).
 * @param {Uint8Array} tag
 * @returns {{description: string, value: string}[]}
 */
export function readTxxx(tag) {
  const bytes = Buffer.from(tag.buffer, tag.byteOffset, tag.byteLength);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 3) !== 'ID3') return [];
  const version = bytes[3];
  const end = Math.min(bytes.length, 10 + readSynchsafe(bytes, 6));
  const frames = [];
  for (let offset = 10; offset + 10 <= end; ) {
    const id = bytes.toString('latin1', offset, offset + 4);
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding
    const size = version === 4 ? readSynchsafe(bytes, offset + 4) : bytes.readUInt32BE(offset + 4);
    const body = bytes.subarray(offset + 10, offset + 10 + size);
    if (id === 'TXXX' && body[0] === 3) {
      const text = body.subarray(1).toString('utf8');
      const nul = text.indexOf('\0');
      frames.push({description: text.slice(0, nul), value: text.slice(nul + 1).replace(/\0$/, '')});
    }
    offset += 10 + size;
  }
  return frames;
}

/** @param {Buffer} buf @param {number} offset @param {number} value 28 bits, 7 per byte */
function writeSynchsafe(buf, offset, value) {
  if (value >= 2 ** 28) throw new RangeError('ID3 size too large');
  buf[offset] = (value >> 21) & 0x7f;
  buf[offset + 1] = (value >> 14) & 0x7f;
  buf[offset + 2] = (value >> 7) & 0x7f;
  buf[offset + 3] = value & 0x7f;
}

/** @param {Buffer} buf @param {number} offset */
function readSynchsafe(buf, offset) {
  return ((buf[offset] & 0x7f) << 21) | ((buf[offset + 1] & 0x7f) << 14) | ((buf[offset + 2] & 0x7f) << 7) | (buf[offset + 3] & 0x7f);
}
