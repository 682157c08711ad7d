/**
 * Vendure Shop API shapes and how they become kolkit's: prices from minor units to decimal strings,
 * product HTML to plain text, orders to carts, typed error results to userErrors.
 */
import type {Cart, CartLine, Money, Product, UserError} from '../types.js';
import {safeUrl} from '../../page/url.js';
import {fromMinorUnits} from '../../core/money.js';
import {htmlToText} from '../html-text.js';

/** A product as `KolProducts` asks for it. */
export interface VendureProduct {
  id: string;
  name: string;
  description: string;
  featuredAsset: {preview: string; name: string; width: number; height: number} | null;
  variants: Array<{
    id: string;
    name: string;
    priceWithTax: number;
    currencyCode: string;
    stockLevel: string;
    options: Array<{name: string}>;
  }>;
}

/** An order as the `KolCart` fragment asks for it. */
export interface VendureOrder {
  code: string;
  totalQuantity: number;
  subTotalWithTax: number;
  currencyCode: string;
  lines: Array<{
    id: string;
    quantity: number;
    proratedUnitPriceWithTax: number;
    productVariant: {id: string; name: string; product: {id: string}};
    customFields?: Record<string, unknown>;
  }>;
}

/** A mutation answer: the order, or an `ErrorResult` (with the order, for a partial add). */
export type VendureOrderResult =
  | ({__typename: 'Order'} & VendureOrder)
  | {__typename: string; errorCode: string; message: string; quantityAvailable?: number; order?: VendureOrder};

/** True for an order with the fields the `KolCart` fragment asks for (an answer of another shape is not one). */
export function isOrder(value: unknown): value is VendureOrder {
  const order = value as Partial<VendureOrder> | null;
  return typeof order === 'object' && order !== null && typeof order.code === 'string' && Array.isArray(order.lines)
    && order.lines.every((line) => typeof line?.productVariant?.product === 'object' && line.productVariant.product !== null);
}

/** True for a mutation answer kolkit can read: an order, or an `ErrorResult` with its code and message. */
export function isOrderResult(value: unknown): value is VendureOrderResult {
  const result = value as {__typename?: unknown; errorCode?: unknown; message?: unknown} | null;
  if (typeof result !== 'object' || result === null || typeof result.__typename !== 'string') return false;
  return result.__typename === 'Order' ? isOrder(result) : typeof result.errorCode === 'string' && typeof result.message === 'string';
}

/** How the adapter reads money and builds carts. */
export interface MappingOptions {
  /** Decimal places of Vendure's integer prices: 2 with its DefaultMoneyStrategy. */
  moneyPrecision: number;
  /** The OrderLine custom field holding line attributes as JSON, if the store has one. */
  lineAttributesField?: string;
  checkoutUrl?: string;
}

/** An integer amount in minor units as Money: 1299 → "12.99" (exact, no float). */
function money(minor: number, currencyCode: string, options: MappingOptions): Money {
  return {amount: fromMinorUnits(Math.round(minor), options.moneyPrecision), currencyCode};
}

/** A Vendure product as kolkit's. Variants are named by their option values ("M") when they have any. */
export function toProduct(product: VendureProduct, options: MappingOptions): Product {
  const image = product.featuredAsset && safeUrl(product.featuredAsset.preview);
  const description = product.description ? htmlToText(product.description) : '';
  return {
    id: product.id,
    title: product.name,
    ...(image ? {image: imageOf(image, product.featuredAsset!)} : {}),
    ...(description ? {description} : {}),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      title: variant.options.map((o) => o.name).join(' / ') || variant.name,
      price: money(variant.priceWithTax, variant.currencyCode, options),
      // Vendure shows stock as a level, not a count (its StockDisplayStrategy): a count is left out.
      available: variant.stockLevel !== 'OUT_OF_STOCK',
    })),
  };
}

function imageOf(url: string, asset: NonNullable<VendureProduct['featuredAsset']>): NonNullable<Product['image']> {
  return {url, alt: asset.name, ...(asset.width && asset.height ? {width: asset.width, height: asset.height} : {})};
}

/**
 * A Vendure order as a cart. A line's price is its prorated unit price (order-level discounts such as a
 * coupon spread over the lines), so the lines add up to the subtotal the shopper pays.
 */
export function toCart(order: VendureOrder, options: MappingOptions): Cart {
  return {
    id: order.code,
    lines: order.lines.map((line) => toLine(line, order.currencyCode, options)),
    totalQuantity: order.totalQuantity,
    subtotal: money(order.subTotalWithTax, order.currencyCode, options),
    ...(options.checkoutUrl ? {checkoutUrl: options.checkoutUrl} : {}),
  };
}

function toLine(line: VendureOrder['lines'][number], currencyCode: string, options: MappingOptions): CartLine {
  const attributes = options.lineAttributesField
    ? parseAttributes(line.customFields?.[options.lineAttributesField])
    : undefined;
  return {
    id: line.id,
    productId: line.productVariant.product.id,
    variantId: line.productVariant.id,
    title: line.productVariant.name,
    quantity: line.quantity,
    price: money(line.proratedUnitPriceWithTax, currencyCode, options),
    ...(attributes ? {attributes} : {}),
  };
}

/** An empty cart, for a shopper without an order yet who was refused something. */
export function emptyCart(currencyCode: string, options: MappingOptions): Cart {
  return toCart({code: '', totalQuantity: 0, subTotalWithTax: 0, currencyCode, lines: []}, options);
}

/**
 * Line attributes as stored in the custom field: JSON with sorted keys, so the same attributes always
 * give the same text and Vendure merges the adds into one line (it keeps lines apart by custom fields).
 */
export function serializeAttributes(attributes: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** The attributes kept in a line's custom field; anything that is not a JSON object of strings is ignored. */
function parseAttributes(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'string' || !raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string');
    return entries.length ? Object.fromEntries(entries) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Vendure's error codes (ErrorResult.errorCode) as kolkit's userError codes. A refused coupon code
 * (`COUPON_CODE_*`) never gets here: the adapter reports any failure of the deal's code as
 * `deal-code-not-applied`, with Vendure's message.
 */
const USER_ERROR_CODES: Record<string, UserError['code']> = {
  INSUFFICIENT_STOCK_ERROR: 'out-of-stock',
  ORDER_LIMIT_ERROR: 'quantity-limit',
  NEGATIVE_QUANTITY_ERROR: 'invalid-quantity',
  ORDER_MODIFICATION_ERROR: 'order-locked',
};

/** A Vendure ErrorResult as a userError: a known code, else its own code in kebab case. */
export function toUserError(error: {errorCode: string; message: string}): UserError {
  const code = USER_ERROR_CODES[error.errorCode]
    ?? error.errorCode.toLowerCase().replace(/_error$/, '').replaceAll('_', '-');
  return {code, message: error.message};
}
