/**
 * What `<kol-auction>` offers and reads around a bid: the quick bids (the minimum, one and two steps above it),
 * a typed amount checked before it is sent, the minimum a refusal names, and whether the customer leads. The
 * minimum and the steps are core/auction.ts's, the same the server applies.
 */
import {msg, str} from '@lit/localize';
import type {Money} from '../../adapters/types.js';
import type {Auction} from '../../core/schema.js';
import {DECIMAL_AMOUNT, compareAmounts, incrementFor, minimumBid} from '../../core/auction.js';
import {addMoney} from '../../core/money.js';

/** The lowest bid worth offering: the auction's minimum, or the higher one a refusal named before the update arrived. */
export function offeredMinimum(auction: Auction, refusedAt: Money | null): Money {
  const minimum = minimumBid(auction);
  return refusedAt && compareAmounts(refusedAt.amount, minimum.amount) > 0 ? refusedAt : minimum;
}

/** The quick bids: the minimum, then one and two steps of the increment table above it. */
export function quickBids(auction: Auction, minimum: Money): Money[] {
  const one = addMoney(minimum, incrementFor(minimum, auction.increments));
  return [minimum, one, addMoney(one, incrementFor(one, auction.increments))];
}

/** A typed bid: its amount as a decimal string, or why it cannot be sent. */
export type TypedBid = {amount: string} | {problem: string};

/**
 * Reads what the customer typed ("25", "25.50", "25,50"; the currency sign and spaces are ignored) against the
 * current minimum. Nothing is sent for an amount that is not one, or is under the minimum.
 */
export function readTypedBid(text: string, minimum: Money, format: (money: Money) => string): TypedBid {
  const amount = text.replace(/[\s\u00a0]/g, '').replace(/^[^\d]+|[^\d]+$/g, '').replace(',', '.');
  if (!DECIMAL_AMOUNT.test(amount)) return {problem: msg(str`Enter an amount, e.g. ${minimum.amount}.`, {id: 'auction.typed.not-amount'})};
  if (compareAmounts(amount, minimum.amount) < 0) return {problem: msg(str`Your bid must be at least ${format(minimum)}.`, {id: 'auction.typed.too-low'})};
  return {amount};
}

/** The `minimum` of a `409` refusal (Money or a decimal string), in the auction's currency, or null. */
export function refusalMinimum(details: Record<string, unknown>, currencyCode: string): Money | null {
  const value = details.minimum;
  const amount = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as {amount?: unknown}).amount : undefined;
  return typeof amount === 'string' && DECIMAL_AMOUNT.test(amount) ? {amount, currencyCode} : null;
}

/**
 * Whether the customer whose highest accepted bid is `mine` leads: no higher bid is known. (The high bid's
 * bidder is a display name, which two customers may share; the amount is what tells: no one else can have bid
 * exactly the amount the server accepted from this customer, since every later bid must be higher.)
 */
export function leads(auction: Auction, mine: string): boolean {
  return !auction.highBid || compareAmounts(auction.highBid.amount, mine) <= 0;
}
