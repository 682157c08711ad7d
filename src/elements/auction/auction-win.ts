/**
 * The end of an auction for this page's customer: ask the show's server whether they won (`auctionResult`:
 * display names are not identities), and if so add the product to the cart once, at the winning price, as a
 * deal's terms `{id: auctionId, price}` (like a flash deal: the memory adapter prices the line with it; other
 * backends are in docs/elements/kol-auction.md). Once per show and auction for the page's life, whichever
 * `<kol-auction>` asks first and however often the close is seen again (a reconnect's snapshot, a new element):
 * the result is kept with the show (action-memory.ts), and an add is never made when the cart already holds a
 * line of this auction, and carries a limit of 1 that the adapter checks against the cart too.
 */
import {msg} from '@lit/localize';
import type {Money, Product, Variant} from '../../adapters/types.js';
import type {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import type {Auction, Deal} from '../../core/schema.js';
import {pickVariant, sameVariant} from '../../core/variant.js';
import {recallAction, rememberAction} from '../action-memory.js';
import type {AuctionShowHandle} from '../show-handle.js';

/** What became of the winning add. */
export type WonCart = 'adding' | 'added' | 'taken-over' | 'refused' | 'failed' | 'unconfirmed';

/** The customer's result in one auction, as this page knows it. */
export type AuctionResult =
  | {kind: 'checking'}
  /** The result could not be read (the show reported why); it may be asked again. */
  | {kind: 'check-failed'; message: string}
  | {kind: 'lost'}
  | {kind: 'won'; price: Money; cart: WonCart; message?: string};

const key = (auctionId: string) => `auction-result:${auctionId}`;

/** This page's customer's result in `auctionId`, once asked. */
export function auctionResultOf(show: object, auctionId: string): AuctionResult | undefined {
  return recallAction<AuctionResult>(show, key(auctionId));
}

/**
 * Asks the result of the closed `auction` and, when won, adds its product at the winning price, unless this
 * page asked already (a failed check or a failed add may be tried again with `retry`). `changed` repaints.
 */
export async function settleAuction(
  show: AuctionShowHandle,
  auction: Auction,
  adding: AddToCartController,
  changed: () => void,
  retry = false,
): Promise<void> {
  const known = auctionResultOf(show, auction.auctionId);
  const again = retry && (known?.kind === 'check-failed' || (known?.kind === 'won' && known.cart === 'failed'));
  if (known && !again) return;
  const set = (result: AuctionResult) => {
    rememberAction(show, key(auction.auctionId), result);
    changed();
  };
  let won = known?.kind === 'won' ? known : null;
  if (!won) {
    set({kind: 'checking'});
    const outcome = await show.auctionResult(auction.auctionId);
    if (outcome.status !== 'accepted') return set({kind: 'check-failed', message: outcome.message});
    const price = outcome.data.price as Money | undefined;
    if (outcome.data.won !== true || !price || typeof price.amount !== 'string') return set({kind: 'lost'});
    won = {kind: 'won', price, cart: 'adding'};
  }
  const variantId = auction.variantId ?? null;
  set({...won, cart: 'adding', message: undefined});
  if (show.cart?.lines.some((line) => line.attributes?._kol_deal === auction.auctionId)) return set({...won, cart: 'added'});
  const lookup = await show.whenProduct(auction.productId);
  if (lookup.status !== 'ready') return set({...won, cart: 'refused', message: msg('This product is not in this store: the shop will contact you.', {id: 'auction.won.missing'})});
  const variant = winningVariant(lookup.product, variantId);
  if (!variant) return set({...won, cart: 'refused', message: msg('This product option is not in this store: the shop will contact you.', {id: 'auction.won.unknown-variant'})});
  const outcome = await adding.add(
    {productId: lookup.product.id, variantId: variant.id, quantity: 1, source: 'auction', dealId: auction.auctionId},
    {source: 'auction', sourceId: auction.auctionId, product: lookup.product, variant},
    winningTerms(auction, won.price, variant.id, show.clock.now()),
  );
  if (!outcome) return set({...won, cart: 'taken-over'});
  if (outcome.status === 'added') return set({...won, cart: 'added'});
  if (outcome.status === 'refused') return set({...won, cart: 'refused', message: outcome.userErrors.map((e) => e.message).join(' ')});
  set({...won, cart: outcome.code === 'cart-add-unconfirmed' ? 'unconfirmed' : 'failed', message: outcome.message});
}

/** The variant won: the auction's, when the product has it; else the first available. */
function winningVariant(product: Product, variantId: string | null): Variant | undefined {
  if (!variantId) return pickVariant(product);
  return product.variants.find((v) => sameVariant(v.id, variantId));
}

/**
 * The won item's deal terms: the winning price for one unit of the auction's item. As a deal they must be active
 * on the show's clock when the add starts: from the epoch (the auction is over already) to an hour from now.
 */
function winningTerms(auction: Auction, price: Money, variantId: string, now: number): Deal {
  return {
    dealId: auction.auctionId, productId: auction.productId, variantId, price,
    startsAt: new Date(0).toISOString(), endsAt: new Date(now + 3600_000).toISOString(), limitPerCustomer: 1,
  };
}
