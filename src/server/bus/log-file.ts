/**
 * The embedded bus's file format: one JSON line per entry, `{"seq":N,"event":{...}}`, appended. Parsing is
 * shared by the restore (the whole file) and by range reads (from an entry's offset to the end).
 */
import type {ShowEvent} from '../../core/schema.js';
import type {LoggedEvent} from './types.js';

/** One parsed line and where it starts in the file. */
export interface ParsedEntry {
  entry: LoggedEvent;
  offset: number;
}

/** What a run of lines held. */
export interface ParsedLines {
  /** The well-formed entries, in file order, with strictly increasing sequences. */
  entries: ParsedEntry[];
  /** Bytes up to the end of the last well-formed line: where a repaired file ends. */
  goodEnd: number;
  /** Lines before the last good one that could not be read (skipped; a sign of outside damage). */
  skipped: number;
  /** True when bytes after `goodEnd` were no good line: a write torn by a crash, cut off on repair. */
  torn: boolean;
}

const NEWLINE = 0x0a;

/** The bytes of one entry's line. */
export function formatEntry(entry: LoggedEvent): Buffer {
  return Buffer.from(`${JSON.stringify({seq: entry.seq, event: entry.event})}\n`);
}

/**
 * Parses `bytes` (read from file offset `base`) line by line. A line counts only when it ends with a newline,
 * is JSON of the entry's shape and its sequence is above the one before (`afterSeq` to begin with).
 */
export function parseLines(bytes: Buffer, base = 0, afterSeq = 0): ParsedLines {
  const entries: ParsedEntry[] = [];
  let goodEnd = base;
  let bad = 0;
  let skipped = 0;
  let lastSeq = afterSeq;
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    const entry = readEntry(bytes.subarray(start, end));
    if (entry && entry.seq > lastSeq) {
      entries.push({entry, offset: base + start});
      lastSeq = entry.seq;
      goodEnd = base + end + 1;
      skipped += bad;
      bad = 0;
    } else {
      bad++;
    }
    start = end + 1;
  }
  return {entries, goodEnd, skipped, torn: bad > 0 || start < bytes.length};
}

function readEntry(line: Buffer): LoggedEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const {seq, event} = value as {seq?: unknown; event?: unknown};
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq <= 0) return null;
  if (!event || typeof event !== 'object') return null;
  const {id, type} = event as {id?: unknown; type?: unknown};
  if (typeof id !== 'string' || typeof type !== 'string') return null;
  return {seq, event: event as ShowEvent};
}
