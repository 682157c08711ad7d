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

/** `getCart`: the cart, or null before the shopper has one. */
export async function readActionsCart(actions: ShopifyActions, signal?: AbortSignal): Promise<StandardCart | null> {
  signal?.throwIfAborted();
  const {cart} = await untilAborted(actions.getCart({}, {signal}), signal);
  return cart ?? null;
}

/** `updateCart` with `lines`, once. Resolves with the result (refusals inside); rejects if it could not run. */
export async function updateActionsCart(actions: ShopifyActions, lines: UpdateCartLine[], signal?: AbortSignal): Promise<UpdateCartResult> {
  signal?.throwIfAborted();
  return (await untilAborted(actions.updateCart({lines}, {signal}), signal)) ?? {};
}
