/**
 * The cart through Shopify's standard storefront actions (`window.Shopify.actions`, 2026-06): the theme
 * decides what a change looks like (its drawer opens, its counter updates) and fires the standard
 * `shopify:cart:*` events itself.
 */
import type {ShopifyActions, StandardCart, UpdateCartLine, UpdateCartResult} from './shopify-types.js';
import {untilAborted} from '../until-aborted.js';

/**
 * The actions to use for the cart now, or null for the Ajax API. An unconfigured `updateCart` (Shopify's
 * default handler) is used only when `useDefault` is set: the default reloads the page on themes it does
 * not recognise, which would cut the live show the shopper is watching.
 */
export function usableActions(actions: ShopifyActions | null | undefined, useDefault: boolean): ShopifyActions | null {
  if (!actions || typeof actions.getCart !== 'function' || typeof actions.updateCart !== 'function') return null;
  if (!useDefault && actions.updateCart.isDefault?.() === true) return null;
  return actions;
}

/**
 * `getCart`: the cart, or null before the shopper has one. Rejects with a clear message when the theme's
 * action answers something that is not a cart (its handler is the theme's code, not Shopify's).
 */
export async function readActionsCart(actions: ShopifyActions, signal?: AbortSignal): Promise<StandardCart | null> {
  signal?.throwIfAborted();
  const answer: unknown = await untilAborted(actions.getCart({}, {signal}), signal);
  const cart = (answer as {cart?: unknown} | null | undefined)?.cart;
  if (cart === null || cart === undefined) return null;
  if (!isStandardCart(cart)) throw new Error('shopify-theme: Shopify.actions.getCart answered a cart kolkit cannot read (no lines).');
  return cart;
}

/**
 * `updateCart` with `lines`, once. Resolves with the result (refusals inside); rejects if it could not run,
 * or with the signal's reason as soon as it aborts. `started` is given the action's own promise, which
 * goes on when the caller stops waiting: the theme's handler may ignore the signal.
 */
export async function updateActionsCart(
  actions: ShopifyActions, lines: UpdateCartLine[], signal?: AbortSignal, started?: (work: Promise<unknown>) => void,
): Promise<UpdateCartResult> {
  signal?.throwIfAborted();
  const work = actions.updateCart({lines}, {signal});
  started?.(work);
  const result: unknown = await untilAborted(work, signal);
  if (typeof result !== 'object' || result === null) return {};
  const {cart, userErrors, warnings} = result as UpdateCartResult;
  return {
    cart: isStandardCart(cart) ? cart : null,
    userErrors: Array.isArray(userErrors) ? userErrors : [],
    warnings: Array.isArray(warnings) ? warnings : [],
  };
}

/** True for a cart whose lines kolkit can read (each with a quantity and a merchandise id). */
export function isStandardCart(value: unknown): value is StandardCart {
  const cart = value as Partial<StandardCart> | null | undefined;
  return typeof cart === 'object' && cart !== null && typeof cart.id === 'string' && Array.isArray(cart.lines)
    && cart.lines.every((l) => typeof l?.quantity === 'number' && typeof l.merchandise?.id === 'string');
}
