/**
 * A live deal's per-customer limit, checked against the cart before an add is sent: backends enforce their
 * own discount rules, but the limit the host announced is kolkit's (DESIGN.md §5, DealTerms).
 */
import type {AddToCartInput, CartLine, UserError} from './types.js';

/**
 * The `quantity-limit` refusal when `input` would take the cart's lines over its deal's limit, else null.
 * Lines made under the deal carry its id as the `_kol_deal` attribute. A backend that cannot keep line
 * attributes (`linesCarryDeal` false: a Vendure store without the attributes field) cannot tell those lines
 * apart: every line of the deal's variant then counts, so the limit holds rather than leaks.
 */
export function dealLimitRefusal(lines: readonly CartLine[], input: AddToCartInput, linesCarryDeal = true): UserError | null {
  const deal = input.deal;
  if (deal?.limitPerCustomer === undefined) return null;
  const underDeal = lines
    .filter((l) => (linesCarryDeal ? l.attributes?._kol_deal === deal.id : l.variantId === input.variantId))
    .reduce((n, l) => n + l.quantity, 0);
  return underDeal + input.quantity > deal.limitPerCustomer
    ? {code: 'quantity-limit', message: `This deal is limited to ${deal.limitPerCustomer} per customer.`}
    : null;
}
