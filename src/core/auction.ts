/**
 * An auction's bidding rules, shared by the show server (which accepts or refuses a bid) and `<kol-auction>`
 * (which offers the next minimum): the increment table and the minimum next bid. DOM-free; money stays in
 * decimal strings, compared and added exactly in minor units.
 */
import type {Money} from '../adapters/types.js';
import type {Auction} from './schema.js';
import {addMoney, toMinorUnits} from './money.js';

/** One row of an increment table: bids must rise by `step` while the high bid is `below` (no `below`: above every bound). */
export interface IncrementStep {
  below?: string;
  step: string;
}

/**
 * The default increment table (DESIGN.md §8.4), in the auction's currency: 1 below 30, 2 below 50, 3 below 100,
 * 5 below 300, 10 below 1,000, 20 below 2,000, 50 above. Whole units, so it fits any currency's decimals.
 */
export const DEFAULT_INCREMENTS: readonly IncrementStep[] = Object.freeze([
  {below: '30', step: '1'},
  {below: '50', step: '2'},
  {below: '100', step: '3'},
  {below: '300', step: '5'},
  {below: '1000', step: '10'},
  {below: '2000', step: '20'},
  {step: '50'},
]);

/** A non-negative decimal string such as "22" or "22.50": the only amounts a bid or a table may hold. */
export const DECIMAL_AMOUNT = /^\d{1,12}(\.\d{1,4})?$/;

const places = (amount: string) => (amount.split('.')[1] ?? '').length;

/** Compares two decimal-string amounts exactly: negative when `a` < `b`, 0 when equal, positive when `a` > `b`. */
export function compareAmounts(a: string, b: string): number {
  const digits = Math.max(places(a), places(b));
  const difference = toMinorUnits(a, digits) - toMinorUnits(b, digits);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The step a bid must add over `highBid` under `table` (the first row whose `below` is above it; the last row past every bound). */
export function incrementFor(highBid: Money, table: readonly IncrementStep[] = DEFAULT_INCREMENTS): Money {
  const rows = table.length ? table : DEFAULT_INCREMENTS;
  const row = rows.find((candidate) => candidate.below === undefined || compareAmounts(highBid.amount, candidate.below) < 0) ?? rows[rows.length - 1]!;
  return {amount: row.step, currencyCode: highBid.currencyCode};
}

/** The lowest bid the auction accepts next: its starting bid before any bid, else the high bid plus its step. */
export function minimumBid(auction: Pick<Auction, 'startingBid' | 'highBid' | 'increments'>): Money {
  if (!auction.highBid) return auction.startingBid;
  return addMoney(auction.highBid, incrementFor(auction.highBid, auction.increments));
}

/**
 * Why an increment table is unusable, or undefined when it is fine: every step above zero, the bounds rising,
 * and only the last row without a bound. (The schema checks the shape; this checks the sense.)
 */
export function incrementTableProblem(table: readonly IncrementStep[]): string | undefined {
  if (!table.length) return 'the table has no rows';
  let previous: string | undefined;
  for (const [index, row] of table.entries()) {
    if (!DECIMAL_AMOUNT.test(row.step) || compareAmounts(row.step, '0') <= 0) return `row ${index + 1}: the step must be a decimal string above 0`;
    if (row.below === undefined) {
      if (index !== table.length - 1) return `row ${index + 1}: only the last row may have no "below"`;
      continue;
    }
    if (!DECIMAL_AMOUNT.test(row.below)) return `row ${index + 1}: "below" must be a decimal string`;
    if (previous !== undefined && compareAmounts(row.below, previous) <= 0) return `row ${index + 1}: the bounds must rise`;
    previous = row.below;
  }
  return undefined;
}
