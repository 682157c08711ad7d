/**
 * Storefront API answers (the shapes `operations.ts` selects) turned into kolkit's types, and Shopify's
 * refusals into kolkit's userError codes. Money stays the decimal string Shopify sends ("29.0").
 */
import type {Cart, CartLine, Money, Product, UserError, Variant} from '../types.js';
import {safeUrl} from '../../page/url.js';
import {fromMinorUnits, toMinorUnits} from '../../core/money.js';

/** `MoneyV2`. */
export interface StorefrontMoney {
  amount: string;
  currencyCode: string;
}

/** A `Product` as PRODUCTS_QUERY selects it. */
export interface StorefrontProduct {
  id: string;
  title: string;
  description: string;
  onlineStoreUrl: string | null;
  featuredImage: {url: string; altText: string | null; width: number | null; height: number | null} | null;
  variants: {nodes: StorefrontVariant[]};
}

/** A `ProductVariant` as PRODUCTS_QUERY selects it. */
export interface StorefrontVariant {
  id: string;
  title: string;
  availableForSale: boolean;
  quantityAvailable: number | null;
  price: StorefrontMoney;
  compareAtPrice: StorefrontMoney | null;
}

/** A `Cart` as CART_FRAGMENT selects it. */
export interface StorefrontCart {
  id: string;
  checkoutUrl: string;
  totalQuantity: number;
  /** Before taxes and cart-level discounts: after line-level ones. */
  cost: {subtotalAmount: StorefrontMoney};
  /** Cart-level discounts (an order discount code): on the items (`LINE_ITEM`) or on shipping. */
  discountAllocations: Array<{discountedAmount: StorefrontMoney; targetType: 'LINE_ITEM' | 'SHIPPING_LINE'}>;
  discountCodes: Array<{code: string; applicable: boolean}>;
  /** Cart attributes (kolkit sets `_kol_ref`); absent from an answer that did not ask for them. */
  attributes?: Array<{key: string; value: string | null}>;
  lines: {nodes: StorefrontCartLine[]};
}

/** A cart line (`BaseCartLine`). `merchandise` is empty for merchandise that is not a variant. */
export interface StorefrontCartLine {
  id: string;
  quantity: number;
  attributes: Array<{key: string; value: string | null}>;
  cost: {amountPerQuantity: StorefrontMoney};
  merchandise: {id?: string; title?: string; product?: {id: string; title: string}};
}

/** `CartUserError`: a refusal. */
export interface StorefrontUserError {
  code: string | null;
  field: string[] | null;
  message: string;
}

/** `CartWarning`: a change Shopify made on its own (since 2024-10: stock too low). `target` is a line or cart id. */
export interface StorefrontWarning {
  code: string;
  message: string;
  target: string;
}

/** What every cart mutation answers. */
export interface StorefrontCartPayload {
  cart: StorefrontCart | null;
  userErrors: StorefrontUserError[];
  warnings: StorefrontWarning[];
}

/** Shopify names the only variant of a product without options "Default Title". */
const DEFAULT_VARIANT_TITLE = 'Default Title';

const money = (m: StorefrontMoney): Money => ({amount: m.amount, currencyCode: m.currencyCode});

/** A product; its image and link are kept only when https (or same-origin). */
export function toProduct(p: StorefrontProduct): Product {
  const imageUrl = safeUrl(p.featuredImage?.url);
  const url = safeUrl(p.onlineStoreUrl);
  return {
    id: p.id,
    title: p.title,
    ...(url ? {url} : {}),
    ...(imageUrl && p.featuredImage ? {image: toImage(imageUrl, p.featuredImage)} : {}),
    variants: p.variants.nodes.map(toVariant),
    ...(p.description ? {description: p.description} : {}),
  };
}

function toImage(url: string, image: NonNullable<StorefrontProduct['featuredImage']>): NonNullable<Product['image']> {
  return {
    url,
    ...(image.altText ? {alt: image.altText} : {}),
    ...(image.width ? {width: image.width} : {}),
    ...(image.height ? {height: image.height} : {}),
  };
}

function toVariant(v: StorefrontVariant): Variant {
  return {
    id: v.id,
    title: v.title,
    price: money(v.price),
    ...(v.compareAtPrice ? {compareAtPrice: money(v.compareAtPrice)} : {}),
    available: v.availableForSale,
    // Null without the inventory scope, or for a variant whose stock is not tracked.
    ...(v.quantityAvailable !== null ? {quantityAvailable: v.quantityAvailable} : {}),
  };
}

/**
 * A cart. Lines of quantity 0 are left out: Shopify keeps a line for a sold-out add (with a
 * MERCHANDISE_OUT_OF_STOCK warning), which is nothing the shopper has in the cart. The subtotal is the
 * items after every discount, before shipping: `subtotalAmount` (after line-level discounts) less the
 * cart-level discounts on the items. Not `totalAmount`, which takes in shipping once a delivery option is
 * chosen.
 */
export function toCart(c: StorefrontCart): Cart {
  const checkoutUrl = safeUrl(c.checkoutUrl);
  const onItems = c.discountAllocations.filter((a) => a.targetType === 'LINE_ITEM').map((a) => a.discountedAmount.amount);
  return {
    id: c.id,
    lines: c.lines.nodes.filter((l) => l.quantity > 0 && l.merchandise.id).map(toCartLine),
    totalQuantity: c.totalQuantity,
    subtotal: {amount: subtractAmounts(c.cost.subtotalAmount.amount, onItems), currencyCode: c.cost.subtotalAmount.currencyCode},
    ...(checkoutUrl ? {checkoutUrl} : {}),
    ...(c.attributes?.length ? {attributes: keyValues(c.attributes)} : {}),
  };
}

/** `[{key, value}]` attributes as a record (those with a value). */
function keyValues(attributes: ReadonlyArray<{key: string; value: string | null}>): Record<string, string> {
  return Object.fromEntries(attributes.flatMap((a) => (a.value === null ? [] : [[a.key, a.value]])));
}

/**
 * `amount` less each of `amounts`, exactly, as decimal strings ("45.3" less "5.0" is "40.3"): in integer
 * units of the finest decimal place given, never through a float sum. `amount` itself when there is nothing
 * to subtract, so Shopify's spelling stays.
 */
export function subtractAmounts(amount: string, amounts: readonly string[]): string {
  if (!amounts.length) return amount;
  const places = Math.max(1, ...[amount, ...amounts].map((a) => a.split('.')[1]?.length ?? 0));
  const result = amounts.reduce((left, a) => left - toMinorUnits(a, places), toMinorUnits(amount, places));
  return fromMinorUnits(result, places);
}

function toCartLine(l: StorefrontCartLine): CartLine {
  const product = l.merchandise.product;
  const variantTitle = l.merchandise.title ?? '';
  const productTitle = product?.title ?? variantTitle;
  const attributes = keyValues(l.attributes);
  return {
    id: l.id,
    productId: product?.id ?? '',
    variantId: l.merchandise.id!,
    title: variantTitle && variantTitle !== DEFAULT_VARIANT_TITLE && variantTitle !== productTitle
      ? `${productTitle} – ${variantTitle}`
      : productTitle,
    quantity: l.quantity,
    price: money(l.cost.amountPerQuantity),
    ...(Object.keys(attributes).length ? {attributes} : {}),
  };
}

/** The code of every failure to apply a deal's code, the same on every adapter. */
export const DEAL_CODE_NOT_APPLIED = 'deal-code-not-applied';

/** The cart a refusal answers when the shopper has none yet. `XXX` is ISO 4217's "no currency". */
export function emptyCart(): Cart {
  return {id: '', lines: [], totalQuantity: 0, subtotal: {amount: '0.0', currencyCode: 'XXX'}};
}

/** Line attributes as Shopify takes them: `[{key, value}]`. */
export function toAttributeInputs(attributes: Record<string, string>): Array<{key: string; value: string}> {
  return Object.entries(attributes).map(([key, value]) => ({key, value: String(value)}));
}

/** `MAXIMUM_EXCEEDED` → `maximum-exceeded`: codes kolkit has no name for keep Shopify's, in kolkit's case. */
const kebab = (code: string) => code.toLowerCase().replaceAll('_', '-');

const STOCK_WARNINGS = new Set(['MERCHANDISE_OUT_OF_STOCK', 'MERCHANDISE_NOT_ENOUGH_STOCK']);

/** True for a warning about stock: it refuses (part of) an add or a quantity change. */
export const isStockWarning = (w: StorefrontWarning) => STOCK_WARNINGS.has(w.code);

/** True for a warning about a discount code (not found, not honoured, usage limit…). */
export const isDiscountWarning = (w: StorefrontWarning) => w.code.startsWith('DISCOUNT_');

/**
 * A Shopify `CartUserError` as a kolkit userError. `INVALID` and `LESS_THAN` say which input was wrong
 * only through `field` (e.g. `["lines", "0", "merchandiseId"]`).
 */
export function toUserError(e: StorefrontUserError): UserError {
  const field = e.field?.filter((part) => !/^\d+$/.test(part)).at(-1);
  switch (e.code) {
    case 'MAXIMUM_EXCEEDED':
      return {code: 'quantity-limit', message: e.message};
    case 'INVALID_MERCHANDISE_LINE':
      return {code: 'invalid-variant', message: e.message};
    case 'INVALID':
    case 'LESS_THAN':
    case null:
      return {code: codeForField(field) ?? kebab(e.code ?? 'INVALID'), message: e.message};
    default:
      return {code: kebab(e.code), message: e.message};
  }
}

function codeForField(field: string | undefined): UserError['code'] | undefined {
  switch (field) {
    case 'merchandiseId':
      return 'invalid-variant';
    case 'quantity':
      return 'invalid-quantity';
    case 'id':
    case 'lineIds':
      return 'invalid-line';
    default:
      return undefined;
  }
}

/**
 * A Shopify `CartWarning` that refused something, as a kolkit userError: short stock as `out-of-stock`, a
 * discount code the cart did not take (DISCOUNT_NOT_FOUND, DISCOUNT_CODE_NOT_HONOURED…) as
 * `deal-code-not-applied` with Shopify's reason.
 */
export function warningToUserError(w: StorefrontWarning): UserError {
  const code = isStockWarning(w) ? 'out-of-stock' : isDiscountWarning(w) ? DEAL_CODE_NOT_APPLIED : kebab(w.code);
  return {code, message: w.message};
}
