/**
 * The bytes of the SSE edge (DESIGN.md §8.2): each message is `id: <seq>` and `data: <event JSON>` with
 * `sentAt` = this server's clock when it sent the event (the SDK samples its clock offset from it); comments
 * as heartbeats. Each event is serialized once and shared: a fan-out pass stamps one `sentAt` and hands
 * every viewer whose queue holds the same entries the same Buffer, HTTP/1.1 chunk framing included.
 */
import type {LoggedEvent} from '../bus/types.js';

/** An entry's message without its `sentAt` and closing brace (`id: …\ndata: {…,`), cached per entry. */
const heads = new WeakMap<LoggedEvent, Buffer>();
const CRLF = Buffer.from('\r\n');

function headOf(entry: LoggedEvent): Buffer {
  let head = heads.get(entry);
  if (head === undefined) {
    const json = JSON.stringify(entry.event);
    head = Buffer.from(`id: ${entry.seq}\ndata: ${json.slice(0, -1)}${json === '{}' ? '' : ','}`);
    heads.set(entry, head);
  }
  return head;
}

/** The messages for `entries`, each stamped `"sentAt":"<sentAt>"` (an ISO time), as one Buffer. */
export function sseMessages(entries: readonly LoggedEvent[], sentAt: string): Buffer {
  const tail = Buffer.from(`"sentAt":"${sentAt}"}\n\n`);
  const parts: Buffer[] = [];
  for (const entry of entries) parts.push(headOf(entry), tail);
  return Buffer.concat(parts);
}

/** `data` as one HTTP/1.1 chunk (`<hex size>\r\n<data>\r\n`), as a chunked `ServerResponse` would frame it. */
export function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]);
}

/** One write's bytes: raw, and framed as a chunk when first asked. */
export class Payload {
  #framed: Buffer | null = null;
  constructor(readonly raw: Buffer) {}
  /** The bytes as one HTTP/1.1 chunk. */
  get framed(): Buffer {
    return (this.#framed ??= chunk(this.raw));
  }
  /** The bytes for a response body that is `chunked` (HTTP/1.1) or not (HTTP/1.0). */
  bytes(chunked: boolean): Buffer {
    return chunked ? this.framed : this.raw;
  }
}

/** The heartbeat comment, one shared payload. */
export const HEARTBEAT = new Payload(Buffer.from(': heartbeat\n\n'));

/**
 * One value per distinct list of entries (the same entry objects in the same order: the show's view hands
 * every viewer the same entry), made on first ask. A fan-out pass groups its streams by what they get with it.
 */
export class ByEntries<V> {
  readonly #byFirst = new Map<LoggedEvent, {entries: LoggedEvent[]; value: V}[]>();

  /** The value for `entries` (non-empty): the one made for an equal list, else `make()`'s. */
  get(entries: LoggedEvent[], make: () => V): V {
    let candidates = this.#byFirst.get(entries[0]);
    if (!candidates) this.#byFirst.set(entries[0], (candidates = []));
    for (const candidate of candidates) if (sameEntries(candidate.entries, entries)) return candidate.value;
    const value = make();
    candidates.push({entries, value});
    return value;
  }
}

/** The payloads of one fan-out pass, shared by every stream whose queue holds the same entries. */
export class PassPayloads {
  readonly #payloads = new ByEntries<Payload>();
  constructor(readonly sentAt: string) {}

  /** The payload for `entries` (non-empty), made once per pass. */
  of(entries: LoggedEvent[]): Payload {
    return this.#payloads.get(entries, () => new Payload(sseMessages(entries, this.sentAt)));
  }
}

/** True when `a` and `b` hold the same entry objects in the same order. */
function sameEntries(a: readonly LoggedEvent[], b: readonly LoggedEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

let clockMs = 0;
let clockIso = '';
/** The server clock now as ISO 8601 (one `Date` per millisecond, however many callers). */
export function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockIso = new Date(now).toISOString();
  }
  return clockIso;
}
