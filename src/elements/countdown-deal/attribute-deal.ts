/**
 * A deal set by `<kol-countdown-deal>` attributes, checked like a `deal.start` on the wire (the same
 * valibot schema): a deal that cannot be read right must sell nothing, and the page is told which
 * attribute is wrong.
 */
import * as v from 'valibot';
import {DealSchema, type Deal} from '../../core/schema.js';

/** The element's deal attributes, as its properties hold them (numbers are NaN when not numbers). */
export interface DealAttributes {
  dealId: string | null;
  productId: string | null;
  variantId: string | null;
  price: string | null;
  currency: string | null;
  startsAt: string | null;
  endsAt: string | null;
  stock: number | null;
  limit: number | null;
}

/** What the attributes make: no deal of their own, a deal, or the first attribute that is wrong. */
export type AttributeDeal = null | {deal: Deal} | {attribute: string; message: string};

/** Deal fields and the attributes that set them, for naming the wrong one. */
const ATTRIBUTE_OF: Record<string, string> = {
  dealId: 'deal-id',
  productId: 'product-id',
  variantId: 'variant-id',
  'price.amount': 'price',
  'price.currencyCode': 'currency',
  startsAt: 'starts-at',
  endsAt: 'ends-at',
  stock: 'stock',
  limitPerCustomer: 'limit',
};

/** Attributes a deal of the element's own cannot do without. */
const REQUIRED: Array<[keyof DealAttributes, string]> = [
  ['productId', 'product-id'], ['price', 'price'], ['currency', 'currency'], ['endsAt', 'ends-at'],
];

/**
 * Reads the deal attributes (`raw` gives an attribute as written, for messages). Any of them set (other than `deal-id`, which also picks a deal of the show)
 * means a deal of the element's own: every required one must be set and every one must be valid.
 */
export function dealFromAttributes(a: DealAttributes, raw: (attribute: string) => string | null = () => null): AttributeDeal {
  const own = [a.productId, a.variantId, a.price, a.currency, a.startsAt, a.endsAt, a.stock, a.limit];
  if (own.every((value) => value === null)) return null;
  for (const [key, attribute] of REQUIRED) {
    if (a[key] === null || a[key] === '') return {attribute, message: `${attribute} is required for a deal set by attributes.`};
  }
  const candidate = {
    dealId: a.dealId ?? `attributes:${a.productId}`,
    productId: a.productId,
    ...(a.variantId !== null ? {variantId: a.variantId} : {}),
    price: {amount: a.price, currencyCode: a.currency},
    startsAt: a.startsAt ?? new Date(0).toISOString(),
    endsAt: a.endsAt,
    ...(a.stock !== null ? {stock: a.stock} : {}),
    ...(a.limit !== null ? {limitPerCustomer: a.limit} : {}),
  };
  const result = v.safeParse(DealSchema, candidate);
  if (!result.success) {
    const issue = result.issues[0];
    const attribute = ATTRIBUTE_OF[v.getDotPath(issue) ?? ''] ?? 'deal';
    // The attribute as written (a number attribute's property is NaN for "lots").
    const written = raw(attribute) ?? String(issue.input);
    return {attribute, message: `${attribute}="${written}" is not valid: expected ${expectation(attribute)}.`};
  }
  if (Date.parse(result.output.endsAt) <= Date.parse(result.output.startsAt)) {
    return {attribute: 'ends-at', message: `ends-at="${a.endsAt}" is not after starts-at.`};
  }
  return {deal: result.output};
}

/** What each attribute must hold, in words a page author can act on. */
function expectation(attribute: string): string {
  switch (attribute) {
    case 'price': return 'a decimal string such as 14.90';
    case 'currency': return 'an ISO 4217 code such as EUR';
    case 'starts-at':
    case 'ends-at': return 'an ISO 8601 time with a zone, such as 2026-05-01T20:30:00Z';
    case 'stock': return 'a whole number, 0 or more';
    case 'limit': return 'a whole number, 1 or more';
    default: return 'a non-empty id';
  }
}
