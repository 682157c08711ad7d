/**
 * The bridge between kolkit and a theme's cart UI, in both directions, through DOM events (theme-cart-ui.ts
 * adds Dawn's pub/sub and the Section Rendering API).
 *
 * kolkit → theme, after kolkit changed the cart through the Ajax API: the de-facto events themes listen to,
 * since older themes have no standard one. `cart:refresh` and `cart:build` on `<html>` (bubbling; premium
 * theme families re-render their drawer on them) and Horizon's `cart:update` on `document` with its
 * `{resource, sourceId, data}` detail. Every one is marked `sourceId: 'kolkit'`.
 * Shopify's own `shopify:cart:*` events are never dispatched by kolkit: the storefront dispatches them from
 * its cart and product elements, and `context: 'standard-action'` is reserved for the standard actions,
 * which fire them themselves when kolkit uses `Shopify.actions.updateCart`.
 *
 * theme → kolkit: the standard `shopify:cart:lines-update` / `shopify:cart:discount-update` (after their
 * `promise` settles) and the de-facto `cart:*` events, from any theme or app, tell kolkit to re-read the cart.
 */

/** Marks the events kolkit dispatches, so its own listener (and a theme) can tell them apart. */
export const KOLKIT_SOURCE = 'kolkit';

/** Events after which the cart may have changed outside kolkit. */
const CART_EVENTS = [
  'shopify:cart:lines-update',
  'shopify:cart:discount-update',
  'cart:update',
  'cart:updated',
  'cart:change',
  'cart:refresh',
  'cart:build',
];

/** How long a burst of theme events is collected before the one re-read. */
const DEBOUNCE_MS = 150;

/** Tells the theme's cart UI that kolkit changed the cart (`cart` is the Ajax `cart.js` answer). */
export function announceCartChange(cart: {item_count: number}): void {
  const root = document.documentElement;
  root.dispatchEvent(new CustomEvent('cart:refresh', {bubbles: true, detail: {sourceId: KOLKIT_SOURCE, cart}}));
  root.dispatchEvent(new CustomEvent('cart:build', {bubbles: true, detail: {sourceId: KOLKIT_SOURCE}}));
  document.dispatchEvent(new CustomEvent('cart:update', {
    bubbles: true,
    detail: {resource: cart, sourceId: KOLKIT_SOURCE, data: {source: KOLKIT_SOURCE, itemCount: cart.item_count}},
  }));
}

/** A watch on the theme's cart events: `changed` schedules the debounced call too (for other channels). */
export interface ThemeCartWatch {
  changed(): void;
  stop(): void;
}

/**
 * Calls `onChange` (debounced) after the theme or another app changed the cart, ignoring kolkit's own events.
 */
export function watchThemeCart(onChange: () => void): ThemeCartWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
  };
  const onEvent = (event: Event) => {
    if (isKolkits(event)) return;
    // The standard events fire when the change starts: wait for its result before reading the cart.
    const pending = promiseOf(event);
    if (pending) pending.then(schedule, schedule);
    else schedule();
  };
  for (const type of CART_EVENTS) document.addEventListener(type, onEvent);
  return {
    changed: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const type of CART_EVENTS) document.removeEventListener(type, onEvent);
    },
  };
}

function isKolkits(event: Event): boolean {
  const detail = (event as CustomEvent).detail as {sourceId?: unknown; data?: {source?: unknown}} | null | undefined;
  return detail?.sourceId === KOLKIT_SOURCE || detail?.data?.source === KOLKIT_SOURCE;
}

/** The `promise` a standard event carries, on the event itself or in its detail. */
function promiseOf(event: Event): PromiseLike<unknown> | null {
  const candidates = [(event as {promise?: unknown}).promise, ((event as CustomEvent).detail as {promise?: unknown} | null)?.promise];
  const found = candidates.find((p) => typeof (p as PromiseLike<unknown> | undefined)?.then === 'function');
  return (found as PromiseLike<unknown> | undefined) ?? null;
}
