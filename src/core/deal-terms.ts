/**
 * Which deal an add is made under. A deal's price applies to its own item only: its product, and its
 * variant when it names one. A deal is found by id through state.ts's `dealOf` (own keys only), so an id
 * such as `toString` never finds something that is not a deal.
 */
import type {Deal, ShowState} from './schema.js';
import {dealOf, dealState} from './state.js';
import {sameVariant} from './variant.js';

/** The deal with id `dealId`: `fixed` (a deal set by attributes) when it has that id, else the show's. */
export function dealNamed(state: ShowState, dealId: string, fixed?: Deal): Deal | undefined {
  if (fixed && fixed.dealId === dealId) return fixed;
  return dealOf(state, dealId);
}

/** True when `deal` may price an add of this product and variant. */
export function dealCovers(deal: Pick<Deal, 'productId' | 'variantId'>, item: {productId: string; variantId: string}): boolean {
  return sameVariant(deal.productId, item.productId) && (!deal.variantId || sameVariant(deal.variantId, item.variantId));
}

/**
 * The deal running now (on the server clock `now`) on this product and variant, or undefined: the most
 * recently started when several are. What the pin shows and adds at.
 */
export function liveDealFor(state: ShowState, item: {productId: string; variantId: string}, now: number): Deal | undefined {
  let live: Deal | undefined;
  for (const deal of Object.values(state.deals)) {
    if (!dealCovers(deal, item) || dealState(deal, now) !== 'active') continue;
    if (!live || Date.parse(deal.startsAt) > Date.parse(live.startsAt)) live = deal;
  }
  return live;
}
