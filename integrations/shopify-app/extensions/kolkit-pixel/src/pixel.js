/**
 * kolkit's app pixel, against Shopify's Web Pixels Standard API (`analytics`, `init`, `settings`,
 * `customerPrivacy`): it hears the custom customer event `kolkit:add_to_cart` that kolkit publishes on the
 * storefront for every add made in a live show (after the show's consent; docs/analytics.md), and posts each one
 * to the merchant's collector (`settings.collectorUrl`, https only), so conversions and each host's commission
 * (`kolRef`) can be counted on a server. Apart from src/index.js, which registers it, so a test can run it with
 * a fake of the API.
 *
 * Shopify loads it only for visitors who allowed analytics (shopify.extension.toml's [customer_privacy]); if the
 * visitor withdraws that on the page, it stops posting. Anyone can publish a custom event from the browser's
 * console, so only a well-formed add, and only its known fields, is passed on.
 */

/** The custom event kolkit publishes (src/page/analytics-bridge.ts: SHOPIFY_ADD_TO_CART_EVENT). */
export const KOLKIT_ADD_TO_CART = 'kolkit:add_to_cart';

const SOURCES = new Set(['pin', 'deal', 'auction', 'group', 'mention']);
const AMOUNT = /^\d{1,12}(\.\d{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const REF = /^[\w.-]{1,64}$/;

/** A non-empty string of at most `max` characters, else undefined. */
const text = (value, max = 256) => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined);

/** The collector's URL when it is an https URL without credentials, else null (the pixel then does nothing). */
export function collectorUrl(value) {
  try {
    const url = new URL(String(value ?? ''));
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

/** The add in `data` (an event's `customData`) with kolkit's fields only, or null when it is not one. */
export function conversionOf(data) {
  if (!data || typeof data !== 'object') return null;
  const {source, quantity, price} = data;
  const sourceId = text(data.sourceId), productId = text(data.productId), variantId = text(data.variantId);
  if (!SOURCES.has(source) || !sourceId || !productId || !variantId) return null;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) return null;
  if (!price || !AMOUNT.test(String(price.amount)) || !CURRENCY.test(String(price.currencyCode))) return null;
  const kolRef = typeof data.kolRef === 'string' && REF.test(data.kolRef) ? data.kolRef : null;
  const dealId = text(data.dealId);
  return {
    source, sourceId, productId, productTitle: text(data.productTitle, 500) ?? '', variantId, variantTitle: text(data.variantTitle, 500) ?? '',
    quantity, price: {amount: price.amount, currencyCode: price.currencyCode},
    ...(dealId ? {dealId} : {}),
    showId: text(data.showId) ?? null, kolRef,
  };
}

/** Sets the pixel up: `api` is what Shopify's `register` hands it. */
export function kolkitPixel({analytics, init, settings, customerPrivacy}) {
  const collector = collectorUrl(settings?.collectorUrl);
  if (!collector) return;
  // Loaded at all means analytics was allowed; a change on the page is followed.
  let allowed = init?.customerPrivacy?.analyticsProcessingAllowed !== false;
  customerPrivacy?.subscribe?.('visitorConsentCollected', (event) => {
    allowed = event?.customerPrivacy?.analyticsProcessingAllowed === true;
  });
  analytics.subscribe(KOLKIT_ADD_TO_CART, (event) => {
    const add = allowed ? conversionOf(event?.customData) : null;
    if (!add) return undefined;
    const body = {
      event: 'add_to_cart',
      id: text(event.id) ?? null,
      timestamp: text(event.timestamp) ?? null,
      clientId: text(event.clientId) ?? null,
      shop: text(init?.data?.shop?.myshopifyDomain) ?? null,
      ...add,
    };
    // keepalive: the shopper may leave for the cart right after the add.
    return fetch(collector, {method: 'POST', keepalive: true, headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
      .catch(() => undefined);
  });
}
