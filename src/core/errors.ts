/**
 * Every failure kolkit reports, as a `kol-error` event with one of these codes. docs/errors.md explains
 * each code and what to do about it; keep the two lists in step.
 */
export const ERROR_CODES = {
  'bad-event': 'A show event was malformed and was dropped.',
  'no-show': 'The element found no <kol-show> to belong to.',
  'no-adapter': 'A cart or product action was asked for but the show has no commerce adapter.',
  'adapter-load-failed': 'The code of the adapter named by the adapter attribute could not be loaded.',
  'unknown-adapter': 'The adapter attribute names an adapter kolkit does not have.',
  'product-load-failed': 'The adapter failed while loading products.',
  'unknown-product': 'A product id is not known to the commerce backend.',
  'cart-load-failed': 'The adapter failed while reading the cart.',
  'cart-add-failed': 'An add to cart could not run (network, backend down).',
  'cart-add-unconfirmed': 'An add to cart failed and the cart could not be read to tell whether it happened.',
  'cart-add-refused': 'The backend refused an add to cart (out of stock, limit reached, deal over).',
  'cart-open-failed': 'The cart could not be opened.',
  'timeline-load-failed': 'The timeline URL could not be loaded or is not a JSON array.',
  'events-disconnected': 'The server-sent events connection dropped; kolkit is reconnecting.',
  'player-load-failed': 'The video engine (hls.js) could not be loaded.',
  'player-unsupported': 'This browser can play neither HLS natively nor through Media Source Extensions.',
  'player-network': 'The stream could not be loaded (playlist or segments unreachable).',
  'player-media': 'The stream could not be decoded.',
} as const;

/** A documented `kol-error` code. */
export type KolErrorCode = keyof typeof ERROR_CODES;
