/**
 * Stamping (DESIGN.md §8.2): the server owns every event's envelope — `v`, a fresh `id` and `at` = its own
 * clock now, the program time of the moment the host acted — and checks the result with the very schema
 * every client uses (src/core/schema.ts), so the server never stores an event the SDK would drop.
 */
import {createHash, randomUUID} from 'node:crypto';
import {parseShowEvent, type ShowEvent} from '../core/schema.js';
import {ShowInputError} from './types.js';

/** The currency of a deal price given as a plain decimal string, unless the server is told another. */
export const DEFAULT_CURRENCY = 'EUR';
/** A deal runs this long when the host gives neither `durationSeconds` nor `endsAt`. */
export const DEFAULT_DEAL_SECONDS = 60;
/** The longest deal `durationSeconds` may ask for: a day. */
export const MAX_DEAL_SECONDS = 24 * 60 * 60;

/** An `Idempotency-Key` a host may send with an event: 1 to 128 characters of `A-Z a-z 0-9 . _ ~ : + / = -`. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~:+/=-]{1,128}$/;

/**
 * `key` when it is a valid `Idempotency-Key` (a header given twice arrives joined with ", " and is not).
 * @throws ShowInputError 400 `bad-header` with `details.header` naming the header
 */
export function checkIdempotencyKey(key: unknown): string {
  if (typeof key === 'string' && IDEMPOTENCY_KEY.test(key)) return key;
  throw new ShowInputError(400, 'bad-header', 'Idempotency-Key must be given once, as 1 to 128 characters of A-Z a-z 0-9 . _ ~ : + / = -.', {header: 'Idempotency-Key'});
}

/**
 * The id of the host event posted to `show` with `Idempotency-Key: key`: `host-` and 32 hex digits of
 * SHA-256 over the show and the key. The same (show, key) always gives the same id, so the bus, which
 * deduplicates by event id, stores a retried post once; another show's key never collides with it.
 */
export function idempotentEventId(show: string, key: string): string {
  return `host-${createHash('sha256').update(`${show}\n${key}`).digest('hex').slice(0, 32)}`;
}

/**
 * Turns the body of `POST /v1/shows/{show}/events` into a stamped, validated event. The body is an event of
 * DESIGN.md §3 without `v`, `id` and `at` (any given are replaced; `sentAt` is per send and dropped).
 * `deal.start` takes `durationSeconds` (default 60) in place of `startsAt`/`endsAt` — or, without it, an
 * explicit `endsAt` (and `startsAt`, default now) — gets a `dealId` when it has none, and its `price` and
 * `compareAtPrice` may be decimal strings ("19.90") in `currency`. `id` is the event's id (default a fresh
 * UUID; `idempotentEventId` for a post with an idempotency key).
 * @throws ShowInputError 400 `bad-body` (not an object) or `bad-field` with `details.field` naming the field
 */
export function stampHostEvent(body: unknown, now: number, currency = DEFAULT_CURRENCY, id: string = randomUUID()): ShowEvent {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ShowInputError(400, 'bad-body', 'The body must be a JSON object: an event without v, id and at.');
  }
  const {sentAt: _perSend, durationSeconds, ...fields} = body as Record<string, unknown>;
  if (typeof fields.type !== 'string') throw badField('type', 'a string is required');
  if (fields.type === 'show.snapshot') throw badField('type', 'show.snapshot is made by the server, not sent by the host');

  const at = new Date(now).toISOString();
  const raw: Record<string, unknown> = {...fields, v: 1, id, at};
  if (fields.type === 'deal.start') {
    Object.assign(raw, {
      dealId: fields.dealId ?? `deal-${randomUUID().slice(0, 8)}`,
      price: money(fields.price, currency),
      ...(fields.compareAtPrice !== undefined && {compareAtPrice: money(fields.compareAtPrice, currency)}),
      ...dealTimes(durationSeconds, fields, now, at),
    });
  }
  return validated(raw, false);
}

/**
 * Stamps an event the server itself makes (`chat.message`, `viewers.update`, `reactions.update`…). `id` may
 * be given: a deterministic one (`viewers:<show>:<period>`) lets every node of a cluster try to publish the
 * same event and the log keep one. Types the schema does not know yet are stored as given (the server made
 * them, and clients ignore types they do not know); known ones are checked like a host's.
 * @throws ShowInputError 400 `bad-field` naming the field (e.g. a chat `text` over 500 characters)
 */
export function stampServerEvent(fields: {type: string} & Record<string, unknown>, now: number): ShowEvent {
  if (fields.type === 'show.snapshot') throw new TypeError('a show.snapshot is made by a join, never stored');
  const id = typeof fields.id === 'string' && fields.id ? fields.id : randomUUID();
  return validated({...fields, v: 1, id, at: new Date(now).toISOString()}, true);
}

/** `raw` as the schema reads it; an unknown type is refused, or with `keepUnknown` stored as given. */
function validated(raw: Record<string, unknown>, keepUnknown: boolean): ShowEvent {
  const result = parseShowEvent(raw);
  if (result.kind === 'event') return result.event;
  if (result.kind === 'ignored') {
    if (!keepUnknown) throw badField('type', `unknown event type "${result.type}"`);
    return raw as unknown as ShowEvent;
  }
  // parseShowEvent names the first bad field as "path: message"; a check over several fields has no path.
  const named = /^([^\s:]+): (.*)$/s.exec(result.message);
  throw named ? badField(named[1], named[2]) : new ShowInputError(400, 'bad-field', result.message);
}

/** `startsAt`/`endsAt` of a deal: now and now + `durationSeconds`, or the host's own `endsAt`. */
function dealTimes(durationSeconds: unknown, fields: Record<string, unknown>, now: number, at: string) {
  if (durationSeconds === undefined && fields.endsAt !== undefined) return {startsAt: fields.startsAt ?? at, endsAt: fields.endsAt};
  const seconds = durationSeconds ?? DEFAULT_DEAL_SECONDS;
  if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_DEAL_SECONDS)) {
    throw badField('durationSeconds', `a number of seconds in (0, ${MAX_DEAL_SECONDS}] is expected`);
  }
  return {startsAt: at, endsAt: new Date(now + seconds * 1000).toISOString()};
}

/** A "19.90" shorthand becomes Money in `currency`; anything else is left for the schema to judge. */
function money(value: unknown, currencyCode: string): unknown {
  return typeof value === 'string' ? {amount: value, currencyCode} : value;
}

function badField(field: string, problem: string): ShowInputError {
  return new ShowInputError(400, 'bad-field', `${field}: ${problem}`, {field});
}
