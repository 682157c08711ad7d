/**
 * A live deal's per-customer limit, checked against the cart before an add is sent: backends enforce their
 * own discount rules, but the limit the host announced is kolkit's (DESIGN.md §5, DealTerms).
 */
import type {AddToCartInput, CartLine, UserError} from './types.js';

/** The `quantity-limit` refusal when `input` would take the cart's lines over its deal's limit, else null. */
export function dealLimitRefusal(lines: readonly CartLine[], input: AddToCartInput): UserError | null {
  const deal = input.deal;
  if (deal?.limitPerCustomer === undefined) return null;
  const underDeal = lines.filter((l) => l.attributes?._kol_deal === deal.id).reduce((n, l) => n + l.quantity, 0);
  return underDeal + input.quantity > deal.limitPerCustomer
    ? {code: 'quantity-limit', message: `This deal is limited to ${deal.limitPerCustomer} per customer.`}
    : null;
}
