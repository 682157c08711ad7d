/**
 * Every failure kolkit reports, as a `kol-error` event with one of these codes. docs/errors.md explains
 * each code and what to do about it; keep the two lists in step.
 */
export const ERROR_CODES = {
  'bad-event': 'A show event was malformed and was dropped (reported once per event id).',
  'clock-skew': "An event's sentAt (or the server's Date header) was too far from any plausible clock and was not used for countdowns.",
  'show-limit': 'A cap on what the show holds (events, deals, stock figures, lineup) dropped something.',
  'no-show': 'The element found no <kol-show> to belong to.',
  'no-adapter': 'A cart or product action was asked for but the show has no commerce adapter.',
  'adapter-load-failed': 'The code of the adapter named by the adapter attribute could not be loaded.',
  'unknown-adapter': 'The adapter attribute names an adapter kolkit does not have.',
  'product-load-failed': 'The adapter failed while loading products.',
  'unknown-product': 'A product id is not known to the commerce backend.',
  'unknown-variant': 'A deal names a variant its product does not have: the deal card sells nothing rather than another option.',
  'bad-attribute': 'An element attribute is invalid or missing (the message names it): a show has no adapter, a deal card sells nothing.',
  'cart-load-failed': 'The adapter failed while reading the cart.',
  'cart-add-failed': 'An add to cart did not happen: the backend answered without running it (backend down, rate limited).',
  'cart-add-unconfirmed': 'An add to cart failed and kolkit cannot tell whether it happened or may still happen (nothing resent).',
  'cart-add-refused': 'The backend refused an add to cart (out of stock, limit reached, deal over).',
  'cart-open-failed': 'The cart could not be opened.',
  'timeline-load-failed': 'The timeline URL could not be loaded or is not a JSON array.',
  'events-disconnected': 'The server-sent events connection dropped; kolkit is reconnecting.',
  'no-server': 'A viewer action (chat, a reaction) was asked for but the show has no server (server and show-id).',
  'action-refused': 'The show server refused a viewer action (rate limited, too long, not allowed), saying why.',
  'action-failed': 'A viewer action did not reach the show server (network, time limit, server error).',
  'player-load-failed': 'The video engine (hls.js) could not be loaded.',
  'player-unsupported': 'This browser can play neither HLS natively nor through Media Source Extensions.',
  'player-network': 'The stream could not be loaded (playlist or segments unreachable).',
  'player-media': 'The stream could not be decoded.',
} as const;

/** A documented `kol-error` code. */
export type KolErrorCode = keyof typeof ERROR_CODES;

/** How a part of an element reports a failure: the element's `kol-error` and error state. */
export type ReportFailure = (code: KolErrorCode, message: string, cause?: unknown) => void;

/** The message of `error` when it has one, else `fallback` (a rejection may carry anything). */
export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
