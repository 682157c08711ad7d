// kolkit's Shopify app pixel (integrations/shopify-app/extensions/kolkit-pixel/) run in Node against a fake of
// Shopify's Web Pixels Standard API, shaped as Shopify documents it: `register(callback)` hands the callback
// `{analytics, init, settings, customerPrivacy}`; `analytics.subscribe(name, handler)`; a custom event reaches
// its handler as `{id, name, timestamp, clientId, context, customData}` where `customData` is what the storefront
// passed to `Shopify.analytics.publish(name, data)`. `fetch` is replaced by a recorder.
import {afterEach, beforeEach, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {register as registerHooks} from 'node:module';
import {fileURLToPath, pathToFileURL} from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PIXEL = `${ROOT}integrations/shopify-app/extensions/kolkit-pixel/`;
const {kolkitPixel, conversionOf, KOLKIT_ADD_TO_CART} = await import(pathToFileURL(`${PIXEL}src/pixel.js`).href);

/** What kolkit publishes for an add from the pin (the `kol-add-to-cart` detail). */
const published = () => ({
  source: 'pin', sourceId: 'p-cap', productId: 'p-cap', productTitle: 'Lune Cap', variantId: 'p-cap-one', variantTitle: 'One size',
  quantity: 1, price: {amount: '24.00', currencyCode: 'EUR'}, showId: 'kolkit-live', kolRef: 'host-42',
});

/** A fake Standard API: subscribers by event name, consent listeners, and `publish` as the storefront does it. */
function fakeApi({collectorUrl = 'https://collect.example.com/kolkit', analyticsAllowed = true} = {}) {
  const handlers = new Map();
  const consentListeners = [];
  let n = 0;
  return {
    api: {
      analytics: {subscribe: (name, handler) => handlers.set(name, [...(handlers.get(name) ?? []), handler])},
      init: {
        context: {document: {location: {href: 'https://shop.example.com/products/lune-cap'}}},
        data: {shop: {myshopifyDomain: 'lune.myshopify.com'}},
        customerPrivacy: {analyticsProcessingAllowed: analyticsAllowed, marketingAllowed: false, preferencesProcessingAllowed: false, saleOfDataAllowed: false},
      },
      settings: {collectorUrl},
      customerPrivacy: {subscribe: (name, listener) => name === 'visitorConsentCollected' && consentListeners.push(listener)},
    },
    async publish(name, customData) {
      const event = {id: `sh-${++n}`, name, timestamp: new Date().toISOString(), clientId: 'client-1', context: {}, customData};
      await Promise.all((handlers.get(name) ?? []).map((handler) => handler(event)));
    },
    consent(analyticsProcessingAllowed) {
      for (const listener of consentListeners) listener({customerPrivacy: {analyticsProcessingAllowed}});
    },
    subscribed: () => [...handlers.keys()],
  };
}

let posts;
const realFetch = globalThis.fetch;
beforeEach(() => {
  posts = [];
  globalThis.fetch = async (url, init) => {
    posts.push({url, init, body: JSON.parse(init.body)});
    return new Response(null, {status: 204});
  };
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('kolkit app pixel', () => {
  test('posts each kolkit:add_to_cart to the collector, with the shop and the event id', async () => {
    const shopify = fakeApi();
    kolkitPixel(shopify.api);
    assert.deepEqual(shopify.subscribed(), ['kolkit:add_to_cart']);
    await shopify.publish(KOLKIT_ADD_TO_CART, published());
    assert.equal(posts.length, 1);
    assert.equal(posts[0].url, 'https://collect.example.com/kolkit');
    assert.equal(posts[0].init.method, 'POST');
    assert.equal(posts[0].init.keepalive, true);
    assert.deepEqual(posts[0].body, {
      event: 'add_to_cart', id: 'sh-1', timestamp: posts[0].body.timestamp, clientId: 'client-1', shop: 'lune.myshopify.com', ...published(),
    });
  });

  test('passes on only a well-formed add, and only its known fields (a custom event can come from anyone)', async () => {
    const shopify = fakeApi();
    kolkitPixel(shopify.api);
    await shopify.publish(KOLKIT_ADD_TO_CART, {...published(), source: 'coupon'});
    await shopify.publish(KOLKIT_ADD_TO_CART, {...published(), quantity: -3});
    await shopify.publish(KOLKIT_ADD_TO_CART, {...published(), price: {amount: '1e9', currencyCode: 'EUR'}});
    await shopify.publish(KOLKIT_ADD_TO_CART, 'add_to_cart');
    assert.equal(posts.length, 0);
    await shopify.publish(KOLKIT_ADD_TO_CART, {...published(), kolRef: '<script>', email: 'ana@example.com'});
    assert.equal(posts.length, 1);
    assert.equal(posts[0].body.kolRef, null);
    assert.equal('email' in posts[0].body, false);
    assert.deepEqual(conversionOf({...published(), dealId: 'd-7'}), {...published(), dealId: 'd-7'});
  });

  test('does nothing without an https collector', async () => {
    for (const collectorUrl of ['', 'http://collect.example.com/', 'javascript:alert(1)', 'https://user:pw@collect.example.com/']) {
      const shopify = fakeApi({collectorUrl});
      kolkitPixel(shopify.api);
      await shopify.publish(KOLKIT_ADD_TO_CART, published());
    }
    assert.equal(posts.length, 0);
  });

  test('stops when the visitor withdraws analytics on the page, and goes on when it is given again', async () => {
    const shopify = fakeApi();
    kolkitPixel(shopify.api);
    shopify.consent(false);
    await shopify.publish(KOLKIT_ADD_TO_CART, published());
    assert.equal(posts.length, 0);
    shopify.consent(true);
    await shopify.publish(KOLKIT_ADD_TO_CART, published());
    assert.equal(posts.length, 1);
  });

  test('src/index.js registers the pixel with Shopify\'s register()', async () => {
    // Resolve the package Shopify CLI bundles to a fake whose register() keeps the callback it is given.
    const fake = 'export function register(callback) { globalThis.kolkitPixelRegistered = callback; }';
    const hooks = `export async function resolve(specifier, context, next) {
      if (specifier === '@shopify/web-pixels-extension') return {url: ${JSON.stringify(`data:text/javascript,${encodeURIComponent(fake)}`)}, shortCircuit: true};
      return next(specifier, context);
    }`;
    registerHooks(`data:text/javascript,${encodeURIComponent(hooks)}`);
    await import(pathToFileURL(`${PIXEL}src/index.js`).href);
    const callback = globalThis.kolkitPixelRegistered;
    assert.equal(typeof callback, 'function');
    const shopify = fakeApi();
    callback(shopify.api);
    await shopify.publish(KOLKIT_ADD_TO_CART, published());
    assert.equal(posts.length, 1);
    delete globalThis.kolkitPixelRegistered;
  });

  test('the extension is a strict-sandbox web pixel that loads only with analytics consent, and the storefront publishes the event it reads', () => {
    const toml = readFileSync(`${PIXEL}shopify.extension.toml`, 'utf8');
    assert.match(toml, /^type = "web_pixel_extension"$/m);
    assert.match(toml, /^runtime_context = "strict"$/m);
    const privacy = /\[customer_privacy\]\n([^[]*)/.exec(toml)?.[1] ?? '';
    assert.match(privacy, /^analytics = true$/m);
    assert.match(privacy, /^marketing = false$/m);
    assert.match(privacy, /^preferences = false$/m);
    assert.match(privacy, /^sale_of_data = "disabled"$/m);
    assert.match(toml, /^\[settings\.fields\.collectorUrl\]$/m);
    const bridge = readFileSync(`${ROOT}src/page/analytics-bridge.ts`, 'utf8');
    assert.match(bridge, new RegExp(`SHOPIFY_ADD_TO_CART_EVENT = '${KOLKIT_ADD_TO_CART}'`));
  });
});
