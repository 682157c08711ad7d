/**
 * Show events in timed ID3 (MPEG-TS ID3 PES and fMP4 `emsg` with the ID3 scheme): every `TXXX` frame whose
 * value is a JSON object with a `type`. Its own module (no hls.js) so node can fuzz it.
 *
 * A sample may hold several tags, and a tag several frames. @svta/cml-id3's `getId3Frames` reads a whole
 * sample at once and throws (`RangeError`) on a malformed frame, which lost every event of the fragment.
 * Here the tags and frames are walked by their declared sizes, bounded by the bytes really there, and each
 * frame is decoded on its own: a broken tag costs only itself.
 */
import {decodeId3TextFrame, isId3Footer, isId3Header, readId3Size} from '@svta/cml-id3';

/** A tag that could not be read whole: which bytes (to recognise it again) and why (for the error message). */
export interface MalformedId3Tag {
  /** The tag's bytes, a view into the sample. Never put into an error: it is someone's payload. */
  bytes: Uint8Array;
  /** What was wrong, in a few words. */
  reason: string;
}

/** What one ID3 sample holds for kolkit. */
export interface Id3Reading {
  /** The show events of the sample's readable frames, in order. */
  events: unknown[];
  /** The tags that were malformed; the events of their readable frames are in `events` all the same. */
  malformed: MalformedId3Tag[];
}

const HEADER_SIZE = 10;
const FRAME_HEADER_SIZE = 10;
const FLAG_EXTENDED_HEADER = 0x40;
const FLAG_FOOTER = 0x10;

/** The show events in one metadata sample's ID3 tags, and the tags that could not be read. Never throws. */
export function eventsFromId3(data: Uint8Array): Id3Reading {
  const reading: Id3Reading = {events: [], malformed: []};
  let offset = 0;
  while (offset < data.length && isId3Header(data, offset)) {
    const start = offset;
    const declaredEnd = start + HEADER_SIZE + readId3Size(data, start + 6);
    const end = Math.min(declaredEnd, data.length);
    const problem = readTag(data.subarray(start, end), reading.events) ?? (declaredEnd > data.length ? 'the tag is cut short' : null);
    if (problem) reading.malformed.push({bytes: data.subarray(start, end), reason: problem});
    offset = end;
    if (data[start + 5] & FLAG_FOOTER && isId3Footer(data, offset)) offset += HEADER_SIZE;
  }
  // Bytes where a tag should start: the whole sample (or what follows the last tag) is not ID3.
  // Trailing zeros are padding, as the ID3 spec allows.
  const rest = data.subarray(offset);
  if (rest.some((byte) => byte !== 0)) reading.malformed.push({bytes: rest, reason: 'no ID3 tag header'});
  return reading;
}

/** Reads one tag's frames into `events`; returns what was wrong with it, or null. */
function readTag(tag: Uint8Array, events: unknown[]): string | null {
  const version = tag[3];
  let offset = HEADER_SIZE;
  if (tag[5] & FLAG_EXTENDED_HEADER) {
    // v2.4 counts the whole extended header (synchsafe); v2.3 counts what follows its 4-byte size.
    const size = version >= 4 ? readId3Size(tag, offset) : readUint32(tag, offset) + 4;
    offset += size;
    if (offset > tag.length) return 'the extended header runs past the end of its tag';
  }
  let problem: string | null = null;
  while (offset + FRAME_HEADER_SIZE <= tag.length) {
    if (tag[offset] === 0) break; // padding
    const type = String.fromCharCode(...tag.subarray(offset, offset + 4));
    if (!/^[A-Z0-9]{4}$/.test(type)) return problem ?? 'a frame id is not valid';
    // v2.3 sizes are plain 32-bit; v2.4's are synchsafe.
    const size = version >= 4 ? readId3Size(tag, offset + 4) : readUint32(tag, offset + 4);
    const body = offset + FRAME_HEADER_SIZE;
    if (body + size > tag.length) return problem ?? `frame ${type} runs past the end of its tag`;
    if (type === 'TXXX') {
      try {
        const event = showEvent(decodeId3TextFrame({type, size, data: tag.subarray(body, body + size)}));
        if (event) events.push(event);
      } catch (error) {
        // The reason names the error only: its message never holds the frame's bytes.
        problem ??= `frame ${type} could not be decoded (${error instanceof Error ? error.name : 'error'})`;
      }
    }
    offset = body + size;
  }
  return problem;
}

/** The frame's value when it is a show event; other systems put their own metadata in TXXX too. */
function showEvent(frame: {data?: unknown} | undefined): unknown {
  if (typeof frame?.data !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(frame.data);
    return value && typeof value === 'object' && typeof (value as {type?: unknown}).type === 'string' ? value : undefined;
  } catch {
    return undefined; // not JSON: someone else's metadata
  }
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** A 32-bit FNV-1a hash of a tag's bytes: recognises the same tag when a fragment is loaded again. */
export function tagFingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return `${(hash >>> 0).toString(36)}.${bytes.length}`;
}
