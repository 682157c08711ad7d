/**
 * Turns a host action (`POST /api/host/event` body) into a show event. The server owns the envelope:
 * `v`, a fresh `id`, and `at` = its own clock now, which is the program time of the moment the host acted
 * because the simulated encoder stamps EXT-X-PROGRAM-DATE-TIME with the same clock. The result is then
 * checked with the very schema every client uses (src/core/schema.ts), so the demo can never broadcast an
 * event the SDK would drop.
 */
import {randomUUID} from 'node:crypto';

/** The demo store's currency, for deal prices given as plain decimal strings. */
export const DEMO_CURRENCY = 'EUR';
/** A deal runs this long when the host gives no `durationSeconds`. */
export const DEFAULT_DEAL_SECONDS = 60;
const MAX_DEAL_SECONDS = 24 * 60 * 60;

/**
 * @typedef {{kind: 'event', event: object} | {kind: 'ignored', type: string} | {kind: 'invalid', message: string}} ParseResult
 * @typedef {{event: import('./show-history.mjs').ShowEvent} | {error: string}} HostEventResult
 */

/**
 * @param {unknown} body the parsed JSON body: an event of DESIGN.md §3 without `v`, `id` and `at`;
 *   `deal.start` takes `durationSeconds` instead of `startsAt`/`endsAt`, and prices may be "9.90" strings
 * @param {number} now server wall-clock ms
 * @param {(raw: unknown) => ParseResult} parseShowEvent from dist/esm/core/schema.js
 * @returns {HostEventResult}
 */
export function createHostEvent(body, now, parseShowEvent) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {error: 'the body must be a JSON object'};
  const {sentAt: _transportOnly, durationSeconds, ...fields} = /** @type {Record<string, unknown>} */ (body);
  if (typeof fields.type !== 'string') return {error: 'type: a string is required'};
  if (fields.type === 'show.snapshot') return {error: 'show.snapshot is made by the server, not sent by the host'};

  const at = new Date(now).toISOString();
  const raw = {...fields, v: 1, id: randomUUID(), at};
  if (fields.type === 'deal.start') {
    const seconds = durationSeconds ?? DEFAULT_DEAL_SECONDS;
    if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_DEAL_SECONDS)) {
      return {error: `durationSeconds: a number of seconds in (0, ${MAX_DEAL_SECONDS}] is expected`};
    }
    Object.assign(raw, {
      dealId: fields.dealId ?? `deal-${randomUUID().slice(0, 8)}`,
      price: money(fields.price),
      ...(fields.compareAtPrice !== undefined && {compareAtPrice: money(fields.compareAtPrice)}),
      startsAt: at,
      endsAt: new Date(now + seconds * 1000).toISOString(),
    });
  }

  const result = parseShowEvent(raw);
  if (result.kind === 'ignored') return {error: `type: unknown event type "${result.type}"`};
  if (result.kind === 'invalid') return {error: result.message};
  return {event: /** @type {import('./show-history.mjs').ShowEvent} */ (result.event)};
}

/** A "19.90" shorthand becomes Money in the demo currency; anything else is left for the schema to judge. */
function money(value) {
  return typeof value === 'string' ? {amount: value, currencyCode: DEMO_CURRENCY} : value;
}
