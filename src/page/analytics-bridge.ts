/**
 * kolkit's conversions handed to the page's analytics, only with consent (DESIGN.md §5: nothing sent or stored
 * before it). Every add that went in (`kol-add-to-cart`) reaches:
 * - Shopify's customer events, on its own, where the page has them (`Shopify.analytics.publish` on an online
 *   store): the custom event `kolkit:add_to_cart`, which the merchant's pixels (kolkit's Web Pixel among them)
 *   read as `event.customData`. With the show's consent, or the visitor's consent to analytics as Shopify's
 *   Customer Privacy API reports it (the banner of a store whose theme embed sets no `consent`): those pixels
 *   are Shopify's to load, under that same consent;
 * - Google Tag Manager's `dataLayer`, once the page opts in with `bridgeToDataLayer()`, with the show's consent:
 *   GA4's `add_to_cart`, and a `view_item` for each product the host pins (the impression a pin's conversion
 *   rate is counted against).
 *
 * The bridges a page opted into are kept under a `Symbol.for` key, so a second copy of kolkit on the page (the
 * copy whose elements run may not be the one the page called) reaches them too, and no string-named global is
 * made for them (core/second-copy.ts does the same).
 */
import type {Money} from '../adapters/types.js';
import {consentAllows, type ConsentSignal} from '../adapters/consent.js';
import {liveDealFor} from '../core/deal-terms.js';
import {multiplyMoney} from '../core/money.js';
import {pickVariant} from '../core/variant.js';
import {KolPinChangeEvent, type AddToCartDetail} from '../elements/events.js';
import type {CardShowHandle} from '../elements/show-handle.js';
import type {PinnedProduct} from '../core/schema.js';

/** The name of the custom event kolkit publishes to Shopify's customer events (prefixed, as Shopify asks). */
export const SHOPIFY_ADD_TO_CART_EVENT = 'kolkit:add_to_cart';

/** What GA4 lists as the item's list: every add kolkit reports was made in a live show. */
export const LIVE_SHOW_LIST = 'live show';

/** Passes one add on; `consented` is the show's consent when the add went in. `dispose` ends what else it hears. */
type Bridge = ((detail: Readonly<AddToCartDetail>, consented: boolean) => void) & {dispose?: () => void};

const KEY = Symbol.for('kolkit.analytics-bridges');

/** The bridges the page opted into, by the array they push to; created at the first opt-in only. */
function bridges(create: true): Map<string, Bridge>;
function bridges(create?: false): Map<string, Bridge> | undefined;
function bridges(create = false): Map<string, Bridge> | undefined {
  const host = globalThis as unknown as Record<symbol, Map<string, Bridge> | undefined>;
  if (create) host[KEY] ??= new Map();
  return host[KEY];
}

/**
 * Hands an add that went in to Shopify's customer events and to the bridges the page opted into. Nothing
 * leaves without consent: `consented` (the show's), the visitor's analytics consent given through Shopify for
 * Shopify's customer events, or a bridge's own signal. A bridge that throws (a page's broken `dataLayer`) is
 * reported on the console and does not stop the others.
 */
export function reportAddToCart(detail: Readonly<AddToCartDetail>, consented: boolean): void {
  publishToShopify(detail, consented);
  for (const bridge of bridges()?.values() ?? []) {
    try {
      bridge(detail, consented);
    } catch (error) {
      console.warn('kolkit: an analytics bridge failed; the add itself stands.', error);
    }
  }
}

/** Options of `bridgeToDataLayer`. */
export interface DataLayerBridgeOptions {
  /** The page's array to push to, `window[name]`: Google Tag Manager's `dataLayer` unless the page renamed it. */
  name?: string;
  /**
   * Who decides that an add may be pushed, instead of the show's `consent` (e.g. a consent manager's
   * analytics category). Without it, the show's consent when the add went in decides.
   */
  consent?: ConsentSignal;
}

const GLOBAL_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Pushes every add that goes in from now on to Google Tag Manager's `dataLayer`, in GA4's `add_to_cart`
 * ecommerce shape (after `{ecommerce: null}`, as Google asks, so the previous event's items do not merge in),
 * with kolkit's own fields under `kolkit`, and a `view_item` for each product a show on this document pins (once
 * per pin, at the price the pin shows). Opt-in, and only with consent: before it nothing is pushed (nor later:
 * nothing is queued) and the array is not even created. Calling it again for the same array replaces the first
 * call (nothing is pushed twice). Answers the function that stops it.
 */
export function bridgeToDataLayer(options: DataLayerBridgeOptions = {}): () => void {
  const name = options.name ?? 'dataLayer';
  if (!GLOBAL_NAME.test(name)) throw new TypeError(`bridgeToDataLayer: ${JSON.stringify(name)} is not the name of a global array.`);
  const consent = options.consent;
  const allowed = (showConsented: boolean) => (consent ? consentAllows(consent) : showConsented);
  const push = (entry: Record<string, unknown>) => {
    const page = window as unknown as Record<string, unknown>;
    const layer = (page[name] ??= []) as {push(...entries: unknown[]): unknown};
    layer.push({ecommerce: null});
    layer.push(entry);
  };
  const bridge: Bridge = (detail, consented) => {
    if (allowed(consented)) push(ga4AddToCart(detail));
  };
  const view = pinViews(allowed, push);
  const onPin = (event: KolPinChangeEvent) => view(event.composedPath()[0] ?? event.target, event.detail.pinned[0]);
  document.addEventListener(KolPinChangeEvent.eventName, onPin);
  // A pin shown before this call (the script-tag build loads the bridge lazily) is a view too.
  for (const show of document.querySelectorAll('kol-show')) view(show, show.state?.pinned[0]);
  bridge.dispose = () => document.removeEventListener(KolPinChangeEvent.eventName, onPin);
  const all = bridges(true);
  all.get(name)?.dispose?.();
  all.set(name, bridge);
  return () => {
    bridge.dispose?.();
    if (all.get(name) === bridge) all.delete(name);
  };
}

/**
 * Pushes GA4's `view_item` for the product a show pinned (`kol-pin-change`'s first pin, from the show: its first
 * composed target, also where the show sits in an open shadow root), once per pin (a show's later changes of
 * state repeat its pins: not a new view), when its show's consent (or the bridge's own signal) allows it then.
 */
function pinViews(
  allowed: (showConsented: boolean) => boolean, push: (entry: Record<string, unknown>) => void,
): (from: EventTarget | null, pinned: PinnedProduct | undefined) => void {
  const seen = new WeakMap<object, string>();
  return (from, pinned) => {
    const show = from as (Partial<CardShowHandle> & EventTarget) | null;
    if (!show || !pinned || typeof show.whenProduct !== 'function') return;
    const key = `${pinned.productId}|${pinned.variantId ?? ''}|${pinned.at}`;
    if (seen.get(show) === key) return;
    seen.set(show, key);
    void show.whenProduct(pinned.productId).then((lookup) => {
      if (lookup.status !== 'ready' || !allowed(show.consent === 'granted')) return;
      const product = lookup.product;
      const variant = pickVariant(product, pinned.variantId);
      const deal = show.state && show.clock ? liveDealFor(show.state, {productId: product.id, variantId: variant.id}, show.clock.now()) : undefined;
      const price = deal?.price ?? variant.price;
      const showId = (show as Partial<Element>).id || null;
      const viewed = {
        source: 'pin', sourceId: product.id, productId: product.id, productTitle: product.title, variantId: variant.id,
        variantTitle: variant.title, price: {...price}, ...(deal ? {dealId: deal.dealId} : {}), showId,
      };
      push({
        event: 'view_item',
        ecommerce: {currency: price.currencyCode, value: amount(price), items: [ga4Item({...viewed, quantity: 1, kolRef: null})]},
        kolkit: viewed,
      });
    });
  };
}

/**
 * An add as GA4's recommended `add_to_cart` event (`ecommerce.items[]`), with kolkit's fields: the item's list
 * is the live show (`item_list_id`: the show's id), its `affiliation` the credited host (`kol_ref`) and its
 * `promotion_id` the deal, auction or group that priced it.
 */
export function ga4AddToCart(detail: Readonly<AddToCartDetail>): Record<string, unknown> {
  const {price, quantity} = detail;
  return {
    event: 'add_to_cart',
    ecommerce: {currency: price.currencyCode, value: amount(multiplyMoney(price, quantity)), items: [ga4Item(detail)]},
    kolkit: {...detail, price: {...price}},
  };
}

/** The item of a GA4 ecommerce event, from what kolkit knows of an add or a pin. */
function ga4Item(d: Pick<AddToCartDetail, 'productId' | 'productTitle' | 'variantTitle' | 'price' | 'quantity' | 'showId' | 'kolRef' | 'dealId'>) {
  const item: Record<string, unknown> = {
    item_id: d.productId,
    item_name: d.productTitle,
    item_variant: d.variantTitle,
    price: amount(d.price),
    quantity: d.quantity,
    item_list_name: LIVE_SHOW_LIST,
  };
  if (d.showId) item.item_list_id = d.showId;
  if (d.kolRef) item.affiliation = d.kolRef;
  if (d.dealId) item.promotion_id = d.dealId;
  return item;
}

/** GA4 wants numbers; the decimal string is exact, so this is the nearest double to it. */
const amount = (money: Money) => Number(money.amount);

/**
 * What kolkit uses of an online store's `window.Shopify`, as Shopify documents it: `analytics.publish(name, data)`
 * for custom customer events, and the Customer Privacy API's `analyticsProcessingAllowed()`.
 */
interface ShopifyGlobal {
  analytics?: {publish?: (name: string, data: Record<string, unknown>) => unknown};
  customerPrivacy?: {analyticsProcessingAllowed?: () => unknown};
}

/**
 * Publishes the add as a custom customer event when the page is a Shopify online store, with the show's consent
 * (`consented`) or the visitor's consent to analytics given through Shopify.
 */
function publishToShopify(detail: Readonly<AddToCartDetail>, consented: boolean): void {
  const shopify = (globalThis as {Shopify?: ShopifyGlobal}).Shopify;
  const analytics = shopify?.analytics;
  if (typeof analytics?.publish !== 'function') return;
  if (!consented && !shopifyAllowsAnalytics(shopify!)) return;
  try {
    analytics.publish(SHOPIFY_ADD_TO_CART_EVENT, {...detail, price: {...detail.price}});
  } catch (error) {
    console.warn('kolkit: Shopify.analytics.publish failed; the add itself stands.', error);
  }
}

/** True when Shopify's Customer Privacy API is loaded and says the visitor allowed analytics; a broken one is no. */
function shopifyAllowsAnalytics(shopify: ShopifyGlobal): boolean {
  try {
    return shopify.customerPrivacy?.analyticsProcessingAllowed?.() === true;
  } catch {
    return false;
  }
}
