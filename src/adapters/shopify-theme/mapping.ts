/** From Shopify's theme-side shapes (Ajax API JSON, standard-action carts) to kolkit's domain types. */
import type {Cart, CartLine, Money, Product, UserError} from '../types.js';
import {safeUrl} from '../../page/url.js';
import {fromMinorUnits} from '../../core/money.js';
import {htmlToText} from '../html-text.js';
import type {AjaxCart, AjaxProduct, MoneyV2, StandardCart, StandardCartLine, UpdateCartResult} from './shopify-types.js';

/** Shopify's cents (every currency is given in hundredths by the Ajax API) as a decimal string. */
export function centsToMoney(cents: number, currencyCode: string): Money {
  return {amount: fromMinorUnits(Math.round(cents), 2), currencyCode};
}

/** A Storefront API money (`"24.0"`) with at least two decimals, so both paths give the same amounts. */
export function moneyV2(money: MoneyV2): Money {
  const [whole, fraction = ''] = money.amount.split('.');
  return {amount: `${whole}.${fraction.padEnd(2, '0')}`, currencyCode: money.currencyCode};
}

/** The numeric id at the end of a Shopify GID (`gid://shopify/ProductVariant/123` → `123`). */
export function gidTail(gid: string): string {
  return /\/(\d+)(?:\?.*)?$/.exec(gid)?.[1] ?? gid;
}

/** A variant id as the standard actions take it. */
export const variantGid = (variantId: string) => `gid://shopify/ProductVariant/${variantId}`;

/** A product from `/products/<handle>.js`. Images only when https or same-origin; the description as text. */
export function productFromAjax(product: AjaxProduct, handle: string, currencyCode: string, root: string): Product {
  const media = product.media?.find((m) => m.media_type === 'image');
  const imageUrl = imageSource(product.featured_image ?? media?.src);
  const url = safeUrl(product.url ? new URL(product.url, root).href : new URL(`products/${handle}`, root).href);
  return {
    id: handle,
    title: product.title,
    ...(url ? {url} : {}),
    ...(imageUrl ? {
      image: {
        url: imageUrl,
        alt: media?.alt || product.title,
        ...(media?.width && media.height ? {width: media.width, height: media.height} : {}),
      },
    } : {}),
    variants: product.variants.map((v) => ({
      id: String(v.id),
      title: v.title,
      price: centsToMoney(v.price, currencyCode),
      ...(v.compare_at_price && v.compare_at_price > v.price ? {compareAtPrice: centsToMoney(v.compare_at_price, currencyCode)} : {}),
      available: v.available,
    })),
    ...(product.description ? {description: htmlToText(product.description)} : {}),
  };
}

/**
 * An image URL kolkit may load: https, or a path on the shop's own origin (kept as the path). Shopify serves
 * assets protocol-relative (`//cdn.shopify.com/…`): those are https.
 */
function imageSource(src: string | null | undefined): string | null {
  if (!src) return null;
  if (src.startsWith('//')) return safeUrl(`https:${src}`);
  return safeUrl(src) && src.startsWith('/') ? src : safeUrl(src);
}

/**
 * A cart from `/cart.js`. Line ids are the Ajax line keys; product ids the handles. The subtotal is
 * `total_price`, after the cart's discount codes (a live deal's code shows in what the shopper pays).
 */
export function cartFromAjax(cart: AjaxCart, checkoutUrl: string): Cart {
  const currency = cart.currency;
  return {
    id: cart.token,
    lines: cart.items.map((item): CartLine => ({
      id: item.key,
      productId: item.handle,
      variantId: String(item.variant_id),
      title: item.title,
      quantity: item.quantity,
      price: centsToMoney(item.final_price, currency),
      attributes: stringProperties(item.properties),
    })),
    totalQuantity: cart.item_count,
    subtotal: centsToMoney(cart.total_price, currency),
    checkoutUrl,
    ...(cart.attributes ? {attributes: stringProperties(cart.attributes)} : {}),
  };
}

/** Line properties as attributes: only the ones with a text value (Shopify also allows numbers and null). */
function stringProperties(properties: Record<string, unknown> | null | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (typeof value === 'string') attributes[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') attributes[key] = String(value);
  }
  return attributes;
}

/**
 * A cart from the standard actions. Line ids are the Storefront API's cart line GIDs, which is what
 * `updateCart` takes back. `handleOf` answers a variant's product handle when the line does not carry it.
 * The subtotal is `cost.totalAmount`, the same amount as the Ajax path's `total_price`: after line and
 * cart-level discounts (`subtotalAmount` is before the cart-level ones), with no shipping (a theme's cart
 * has no delivery option until checkout) and no added tax (Shopify no longer computes tax in cart costs).
 */
export function cartFromStandard(cart: StandardCart, checkoutUrl: string, handleOf: (variantId: string) => string | undefined): Cart {
  const total = cart.cost?.totalAmount ?? cart.cost?.subtotalAmount;
  const currency = total?.currencyCode ?? 'USD';
  const lines = cart.lines.map((line): CartLine => {
    const variantId = gidTail(line.merchandise.id);
    return {
      id: line.id,
      productId: line.merchandise.product?.handle ?? handleOf(variantId) ?? gidTail(line.merchandise.id),
      variantId,
      title: lineTitle(line),
      quantity: line.quantity,
      price: unitPrice(line, currency),
      attributes: keyValues(line.attributes ?? []),
    };
  });
  return {
    id: cart.id,
    lines,
    ...(cart.attributes ? {attributes: keyValues(cart.attributes)} : {}),
    totalQuantity: cart.totalQuantity,
    subtotal: total ? moneyV2(total) : {amount: '0.00', currencyCode: currency},
    checkoutUrl: cart.checkoutUrl && safeUrl(cart.checkoutUrl) ? cart.checkoutUrl : checkoutUrl,
  };
}

function lineTitle(line: StandardCartLine): string {
  const product = line.merchandise.product?.title;
  const variant = line.merchandise.title;
  if (!product) return variant ?? '';
  return variant && variant !== 'Default Title' ? `${product} - ${variant}` : product;
}

function unitPrice(line: StandardCartLine, currency: string): Money {
  const perUnit = line.cost?.amountPerQuantity;
  if (perUnit) return moneyV2(perUnit);
  const total = line.cost?.totalAmount;
  if (!total || !line.quantity) return {amount: '0.00', currencyCode: currency};
  const cents = Math.round((Number(total.amount) * 100) / line.quantity);
  return centsToMoney(cents, total.currencyCode);
}

/**
 * The refusal in an Ajax cart error's `description`, with a kolkit code. The wording is Shopify's
 * (changelog 2025-03 "Cart AJAX API inventory error message updates"): "Only N items were added to your
 * cart." (a partial add: out of stock), "The maximum quantity of this item is already in your cart."
 * (quantity limit), "The product '…' is already sold out.", "Cannot find variant".
 */
export function userErrorFromAjax(description: string | undefined): UserError {
  const message = description?.trim() || 'The store refused this change to the cart.';
  return {code: codeOfDescription(message), message};
}

function codeOfDescription(text: string): UserError['code'] {
  if (/maximum quantity|only add \d+|can(?:no|')t add more/i.test(text)) return 'quantity-limit';
  if (/were added to your cart|sold out|out of stock|not (?:enough )?(?:in stock|available)|unavailable/i.test(text)) return 'out-of-stock';
  if (/cannot find variant|variant.*(?:not found|invalid|does not exist)/i.test(text)) return 'invalid-variant';
  if (/line item|no valid (?:id|line)/i.test(text)) return 'invalid-line';
  return 'cart-error';
}

/**
 * The refusals in an `updateCart` result: its userErrors (the change did not apply) and the stock warnings
 * (it applied with less than asked, or nothing: MERCHANDISE_NOT_ENOUGH_STOCK / MERCHANDISE_OUT_OF_STOCK).
 */
export function userErrorsFromActions(result: UpdateCartResult): UserError[] {
  const errors = (result.userErrors ?? []).map((e): UserError => ({code: codeOfCartError(e.code, e.field), message: e.message}));
  const stock = (result.warnings ?? [])
    .filter((w) => w.code === 'MERCHANDISE_NOT_ENOUGH_STOCK' || w.code === 'MERCHANDISE_OUT_OF_STOCK')
    .map((w): UserError => ({code: 'out-of-stock', message: w.message}));
  return [...errors, ...stock];
}

/** The Storefront API's `CartErrorCode` as a kolkit code. */
function codeOfCartError(code: string | undefined, field: string[] | undefined): UserError['code'] {
  switch (code) {
    case 'MAXIMUM_EXCEEDED':
      return 'quantity-limit';
    case 'INVALID_MERCHANDISE_LINE':
      return 'invalid-line';
    case 'MERCHANDISE_NOT_APPLICABLE':
    case 'VARIANT_REQUIRES_SELLING_PLAN':
      return 'invalid-variant';
    case 'INVALID':
      return field?.includes('merchandiseId') ? 'invalid-variant' : 'invalid';
    default:
      return code ? code.toLowerCase().replace(/_/g, '-') : 'cart-error';
  }
}

/** Storefront-style `[{key, value}]` attributes as a record (those with a text value). */
function keyValues(attributes: ReadonlyArray<{key: string; value: string | null}>): Record<string, string> {
  return Object.fromEntries(attributes.flatMap((a) => (typeof a.value === 'string' ? [[a.key, a.value]] : [])));
}
