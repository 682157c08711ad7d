/**
 * Dawn's cart pub/sub, in both directions. Dawn (Shopify's default free theme, and the base of many Online
 * Store 2.0 themes) tells its cart components about a change with `publish(PUB_SUB_EVENTS.cartUpdate,
 * {source, cartData, …})` from its `pubsub.js`, and they `subscribe(…)` to it, each skipping its own `source`.
 * Neither DOM events nor `Shopify.actions` reach them.
 *
 * `subscribe`, `publish` (functions) and `PUB_SUB_EVENTS` (a top-level `const`) are declared by classic
 * scripts: global bindings, and `PUB_SUB_EVENTS` a lexical one, which is not a property of `window`. A module
 * sees the same global bindings, so they are read by name and tested with `typeof`, as Dawn's own components
 * do: no `eval` (a storefront's CSP may forbid it), no `window.PUB_SUB_EVENTS`.
 */

/** Dawn's `PUB_SUB_EVENTS` (constants.js): the event names, `cartUpdate: 'cart-update'` among them. */
declare const PUB_SUB_EVENTS: {cartUpdate?: unknown} | undefined;
/** Dawn's `subscribe`: the unsubscribe function (Dawn 9+), or `{unsubscribe()}` in older versions. */
declare function subscribe(eventName: string, callback: (data: unknown) => unknown): unknown;
/** Dawn's `publish`: a promise of its subscribers' work (Dawn 13+), or nothing in older versions. */
declare function publish(eventName: string, data: unknown): unknown;

/** What kolkit puts in `source`, and skips when it hears it back. */
export const PUBSUB_SOURCE = 'kolkit';

/** The `cartUpdate` event name when the page has Dawn's pub/sub, else null. */
function cartUpdateEvent(): string | null {
  // Every name tested with typeof first: reading an undeclared global throws a ReferenceError.
  if (typeof subscribe !== 'function' || typeof publish !== 'function' || typeof PUB_SUB_EVENTS === 'undefined') return null;
  const name = PUB_SUB_EVENTS?.cartUpdate;
  return typeof name === 'string' && name ? name : null;
}

/** True when the page has Dawn's pub/sub (its `subscribe`, `publish` and `PUB_SUB_EVENTS.cartUpdate`). */
export function hasCartPubSub(): boolean {
  return cartUpdateEvent() !== null;
}

/**
 * Publishes `cartUpdate` with `source: 'kolkit'` and `cart` (the `/cart.js` answer) as `cartData`, once.
 * Resolves when the subscribers' work has (Dawn's `publish` answers a promise of it; an older one answers
 * nothing, and this resolves at once). Never rejects: a theme subscriber's failure is the theme's.
 */
export async function publishCartUpdate(cart: unknown): Promise<void> {
  const name = cartUpdateEvent();
  if (!name) return;
  try {
    await publish(name, {source: PUBSUB_SOURCE, cartData: cart});
  } catch (error) {
    console.warn('[kolkit] A theme subscriber to cartUpdate failed:', error);
  }
}

/**
 * Calls `onChange` on each `cartUpdate` another component published (kolkit's own are skipped). Returns the
 * function that stops listening; without Dawn's pub/sub, it listens to nothing.
 */
export function subscribeCartUpdate(onChange: () => void): () => void {
  const name = cartUpdateEvent();
  if (!name) return noop;
  const handle = subscribe(name, (data) => {
    if ((data as {source?: unknown} | null | undefined)?.source !== PUBSUB_SOURCE) onChange();
  });
  return () => {
    if (typeof handle === 'function') handle();
    else (handle as {unsubscribe?: () => void} | null | undefined)?.unsubscribe?.();
  };
}

const noop = () => undefined;
