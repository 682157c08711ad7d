/**
 * Stamping (DESIGN.md §8.2): the server owns every event's envelope — `v`, a fresh `id` and `at` = its own
 * clock now, the program time of the moment the host acted — and checks the result with the very schema
 * every client uses (src/core/schema.ts), so the server never stores an event the SDK would drop.
 */
import {createHash, randomUUID} from 'node:crypto';
import {DECIMAL_AMOUNT, incrementTableProblem, type IncrementStep} from '../core/auction.js';
import {parseShowEvent, type ShowEvent} from '../core/schema.js';
import {ShowInputError} from './types.js';

/** The currency of a deal price given as a plain decimal string, unless the server is told another. */
export const DEFAULT_CURRENCY = 'EUR';
/** A deal runs this long when the host gives neither `durationSeconds` nor `endsAt`. */
export const DEFAULT_DEAL_SECONDS = 60;
/** The longest deal `durationSeconds` may ask for: a day. */
export const MAX_DEAL_SECONDS = 24 * 60 * 60;
/** A poll or a giveaway runs at least this long (seconds)… */
export const MIN_ENGAGEMENT_SECONDS = 5;
/** …and at most this long (seconds): an hour. */
export const MAX_ENGAGEMENT_SECONDS = 60 * 60;
/** A poll or a giveaway runs this long when the host gives no `durationSeconds`. */
export const DEFAULT_ENGAGEMENT_SECONDS = 60;
/** A bid in an auction's last `extendBy` seconds pushes its end to now + `extendBy` (DESIGN.md §8.4); the default. */
export const DEFAULT_EXTEND_BY_SECONDS = 10;
/** The longest `extendBy` an auction may ask for (the schema's bound). */
export const MAX_EXTEND_BY_SECONDS = 600;
/** The rules a giveaway shows when the host gives none (DESIGN.md §8.3). */
export const DEFAULT_GIVEAWAY_RULES = 'No purchase necessary. One entry per customer; the winner is drawn at random.';
/**
 * A poll or giveaway id: it names URL paths and shared KV keys, so only `[A-Za-z0-9_-]`, 1 to 64 (a dot
 * would split a key).
 */
export const ENGAGEMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

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
 * `compareAtPrice` may be decimal strings ("19.90") in `currency`. `poll.open {question, options,
 * durationSeconds}` gets a `pollId` when it has none, `endsAt` = now + `durationSeconds` (5 s to 1 h, default
 * 60) and zero `counts`; `giveaway.open {prize, durationSeconds, rules?}` likewise gets a `giveawayId`,
 * `endsAt` and the default rules. `auction.open {productId, variantId?, startingBid, durationSeconds, extendBy?,
 * suddenDeath?, increments?}` gets an `auctionId` when it has none, `endsAt` = now + `durationSeconds` (5 s to
 * 1 h), `extendBy` 10 and `suddenDeath` false by default; `startingBid` may be a decimal string in `currency`,
 * and an increment table is checked for sense (steps above 0, bounds rising). `group.open {productId, variantId?, price,
 * needed, durationSeconds}` gets a `groupId` when it has none, `endsAt` = now + `durationSeconds` (5 s to a day),
 * `joined` 0, and a decimal-string `price` in `currency`; `group.update`/`group.close` are the server's. `poll.close` is filled by the polls service (its final counts) and
 * `giveaway.winner` is made by the draw, so neither is stamped here. `id` is the event's id (default a
 * fresh UUID; `idempotentEventId` for a post with an idempotency key).
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
  } else if (fields.type === 'poll.open') {
    const options = Array.isArray(fields.options) ? fields.options : [];
    Object.assign(raw, {
      pollId: engagementId('pollId', fields.pollId, 'poll'),
      endsAt: engagementEnd(durationSeconds, now),
      counts: options.map(() => 0),
    });
  } else if (fields.type === 'giveaway.open') {
    Object.assign(raw, {
      giveawayId: engagementId('giveawayId', fields.giveawayId, 'giveaway'),
      endsAt: engagementEnd(durationSeconds, now),
      rules: fields.rules ?? DEFAULT_GIVEAWAY_RULES,
    });
  } else if (fields.type === 'auction.open') {
    Object.assign(raw, {
      auctionId: engagementId('auctionId', fields.auctionId, 'auction'),
      startingBid: money(fields.startingBid, currency),
      endsAt: engagementEnd(durationSeconds, now),
      extendBy: fields.extendBy ?? DEFAULT_EXTEND_BY_SECONDS,
      suddenDeath: fields.suddenDeath ?? false,
    });
    checkAuctionTerms(raw);
  } else if (fields.type === 'auction.update' || fields.type === 'auction.close') {
    throw badField('type', `${fields.type} is made by the server from the bids: post {type: "auction.open", …} and let it run to its end`);
  } else if (fields.type === 'group.open') {
    Object.assign(raw, {
      groupId: engagementId('groupId', fields.groupId, 'group'),
      price: money(fields.price, currency),
      endsAt: groupEnd(durationSeconds, now),
      joined: 0,
    });
  } else if (fields.type === 'group.update' || fields.type === 'group.close') {
    throw badField('type', `${fields.type} is made by the server from the joins: post {type: "group.open", …} and let it fill or run to its end`);
  } else if (fields.type === 'poll.close' || fields.type === 'giveaway.winner') {
    // The polls and giveaways services make these (final counts from every node; one draw): never the body as given.
    throw badField('type', `${fields.type} is made by the server: ${fields.type === 'poll.close' ? 'post {type: "poll.close", pollId}' : 'POST giveaways/{giveaway}/draw'}`);
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

/** The host's poll or giveaway id (checked: it names paths and KV keys), or a fresh one. */
function engagementId(field: string, given: unknown, prefix: string): string {
  if (given === undefined) return `${prefix}-${randomUUID().slice(0, 8)}`;
  if (typeof given === 'string' && ENGAGEMENT_ID.test(given)) return given;
  throw badField(field, '1 to 64 letters, digits, "-" or "_" are expected');
}

/** The end of a poll or giveaway: now + `durationSeconds` (default 60), bounded to 5 s … 1 h. */
function engagementEnd(durationSeconds: unknown, now: number): string {
  const seconds = durationSeconds ?? DEFAULT_ENGAGEMENT_SECONDS;
  if (typeof seconds !== 'number' || !(seconds >= MIN_ENGAGEMENT_SECONDS && seconds <= MAX_ENGAGEMENT_SECONDS)) {
    throw badField('durationSeconds', `a number of seconds from ${MIN_ENGAGEMENT_SECONDS} to ${MAX_ENGAGEMENT_SECONDS} is expected`);
  }
  return new Date(now + seconds * 1000).toISOString();
}

/** What the schema cannot say of an auction: a usable increment table, an `extendBy` in range, a starting bid in minor units. */
function checkAuctionTerms(raw: Record<string, unknown>): void {
  const extendBy = raw.extendBy;
  if (!Number.isInteger(extendBy) || (extendBy as number) < 0 || (extendBy as number) > MAX_EXTEND_BY_SECONDS) {
    throw badField('extendBy', `a whole number of seconds from 0 to ${MAX_EXTEND_BY_SECONDS} is expected`);
  }
  const startingBid = raw.startingBid as {amount?: unknown} | undefined;
  if (typeof startingBid?.amount === 'string' && !DECIMAL_AMOUNT.test(startingBid.amount)) {
    throw badField('startingBid', 'a decimal string such as "10.00" (or Money) is expected');
  }
  if (raw.increments === undefined) return;
  const problem = Array.isArray(raw.increments) && raw.increments.every((row) => row && typeof row === 'object') ? incrementTableProblem(raw.increments as IncrementStep[]) : 'a list of {below?, step} is expected';
  if (problem) throw badField('increments', problem);
}

/** The end of a group buy: now + `durationSeconds` (required), 5 s to a day. */
function groupEnd(durationSeconds: unknown, now: number): string {
  if (typeof durationSeconds !== 'number' || !(durationSeconds >= MIN_ENGAGEMENT_SECONDS && durationSeconds <= MAX_DEAL_SECONDS)) {
    throw badField('durationSeconds', `a number of seconds from ${MIN_ENGAGEMENT_SECONDS} to ${MAX_DEAL_SECONDS} is expected`);
  }
  return new Date(now + durationSeconds * 1000).toISOString();
}

/** A "19.90" shorthand becomes Money in `currency`; anything else is left for the schema to judge. */
function money(value: unknown, currencyCode: string): unknown {
  return typeof value === 'string' ? {amount: value, currencyCode} : value;
}

function badField(field: string, problem: string): ShowInputError {
  return new ShowInputError(400, 'bad-field', `${field}: ${problem}`, {field});
}
