/**
 * Issue 10, adapters: a deal's per-customer limit on Vendure without line attributes (finding 9; the
 * contract suite holds every adapter to the limit itself), checkout URLs that are never `javascript:`
 * (finding 10), nothing stored on the device before consent, with one switch on the show (finding 13),
 * and a loud, named error for every misconfiguration while a developer's loopback mock is accepted
 * (finding 14). Against the real test servers: the Storefront API (test/servers/storefront.mjs, also as a
 * cross-origin loopback mock through test/servers/loopback-cors.mjs) and Vendure 3.7 (test/servers/vendure.mjs).
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolCartButton, KolProductPin, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {ShopifyStorefrontAdapter} from '../../src/adapters/shopify-storefront/index.js';
import {cartIdKey, forgetPageCartIds} from '../../src/adapters/shopify-storefront/cart-id-store.js';
import {VendureAdapter} from '../../src/adapters/vendure/index.js';
import {forgetBearerTokens} from '../../src/adapters/vendure/session.js';
import {consentOf} from '../../src/adapters/consent.js';
import {safeUrl} from '../../src/page/url.js';
import {STOREFRONT_API_VERSION, STOREFRONT_TOKEN, ids} from '../fixtures/storefront-catalog.mjs';
import {catalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';

const ENDPOINT = `/storefront/api/${STOREFRONT_API_VERSION}/graphql.json`;
const STORAGE_KEY = cartIdKey(ENDPOINT);
const VENDURE_CHANNEL = 'kolkit-test-channel'; // test/servers/vendure.mjs
const recorded = recordKolErrors();
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** Every key kolkit holds in the page's storage, and its cookies: what "stored on the device" means here. */
function storedByKolkit(): string[] {
  const keys = (storage: Storage) => Array.from({length: storage.length}, (_, i) => storage.key(i)!).filter((k) => k.startsWith('kolkit'));
  const cookies = document.cookie.split(';').map((c) => c.trim()).filter((c) => c.startsWith('kolkit'));
  return [...keys(localStorage), ...keys(sessionStorage), ...cookies];
}

/** A new shopper: nothing stored, nothing held in the page's memory. */
function forgetEverything(): void {
  for (const storage of [localStorage, sessionStorage]) {
    for (const key of Array.from({length: storage.length}, (_, i) => storage.key(i)!)) if (key.startsWith('kolkit')) storage.removeItem(key);
  }
  forgetPageCartIds();
  forgetBearerTokens();
}

let vendureShoppers = 0;
/** A Shop API URL of one shopper's own (Vendure ignores the parameter; kolkit keeps a session per URL). */
const vendureApiUrl = () => `/vendure/shop-api?shopper=hardening-${Date.now()}-${++vendureShoppers}`;

/** The console warnings of the current test. */
const warnings: string[] = [];
const originalWarn = console.warn;
beforeEach(() => {
  warnings.length = 0;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  forgetEverything();
});
afterEach(() => {
  console.warn = originalWarn;
  forgetEverything();
});

/** Adds one of `variantId` through the show, as an element would. */
const addThrough = (show: KolShow, productId: string, variantId: string) =>
  show.addToCart({productId, variantId, quantity: 1, source: 'product-pin'});

describe('hardening: adapters', function () {
  this.timeout(60_000);

  before(async function () {
    this.timeout(180_000);
    const response = await fetch('/vendure/ready'); // boots Vendure on first use
    if (response.status !== 204) throw new Error(`Vendure did not start: ${await response.text()}`);
  });

  describe("finding 9: a deal's per-customer limit on Vendure", () => {
    it('holds on a store without the line attributes field: every line of the variant counts', async () => {
      const adapter = new VendureAdapter({apiUrl: vendureApiUrl(), channelToken: VENDURE_CHANNEL, session: 'bearer'});
      const deal = {id: 'deal-no-field', price: {amount: '12.00', currencyCode: 'USD'}, limitPerCustomer: 1};
      const first = await adapter.addToCart({productId: 'T_1', variantId: 'T_1', quantity: 1, deal});
      expect(first.userErrors).to.deep.equal([]);
      const second = await adapter.addToCart({productId: 'T_1', variantId: 'T_1', quantity: 1, deal});
      expect(second.userErrors.map((e) => e.code)).to.deep.equal(['quantity-limit']);
      expect((await adapter.getCart())?.totalQuantity, 'the refused add was not sent').to.equal(1);
    });
  });

  describe('finding 10: a checkout URL is never javascript:', () => {
    it('the cart button on a memory adapter whose checkoutUrl is javascript: runs nothing, reports cart-open-failed and shows it', async () => {
      const ran = window as unknown as {__kolCheckoutRan?: boolean};
      delete ran.__kolCheckoutRan;
      const show = await fixture<KolShow>(html`<kol-show><kol-cart-button></kol-cart-button></kol-show>`);
      show.adapter = new MemoryAdapter({products: [...catalog], checkoutUrl: 'javascript:window.__kolCheckoutRan=true'});
      const button = show.querySelector<KolCartButton>('kol-cart-button')!;
      await button.updateComplete;
      part(button, 'base')!.click();
      await waitUntil(() => button.error === 'cart-open-failed', 'the button shows the failure');
      await button.updateComplete;
      expect(part(button, 'status')?.textContent).to.contain('could not be opened');
      expect(recorded.codes()).to.include('cart-open-failed');
      // A javascript: navigation would have run by the time a task queued after it runs.
      await new Promise((resolve) => setTimeout(resolve));
      expect(ran.__kolCheckoutRan, 'the script in the URL did not run').to.equal(undefined);
    });

    it('safeUrl in a frame with an opaque origin (data:) refuses javascript: and data:, keeps https', async () => {
      const source = await (await fetch('/src/page/url.ts')).text(); // served as JS, and it imports nothing
      const frame = document.createElement('iframe');
      frame.src = `data:text/html,${encodeURIComponent(`<script>
        onmessage = async (event) => {
          const {safeUrl} = await import(URL.createObjectURL(new Blob([event.data], {type: 'text/javascript'})));
          parent.postMessage({origin: self.origin, js: safeUrl('javascript:void 0'), data: safeUrl('data:text/html,x'), https: safeUrl('https://shop.example/cart')}, '*');
        };
        parent.postMessage('ready', '*');
      </script>`)}`;
      const messages: unknown[] = [];
      const listen = (event: MessageEvent) => event.source === frame.contentWindow && messages.push(event.data);
      window.addEventListener('message', listen);
      document.body.append(frame);
      try {
        await waitUntil(() => messages.includes('ready'), 'the data: frame runs');
        frame.contentWindow!.postMessage(source, '*');
        await waitUntil(() => messages.length > 1, 'the frame answers');
        expect(messages[1]).to.deep.equal({origin: 'null', js: null, data: null, https: 'https://shop.example/cart'});
      } finally {
        window.removeEventListener('message', listen);
        frame.remove();
      }
    });

    it('safeUrl takes http on loopback (a local mock), refuses other plain http', () => {
      for (const url of ['http://127.0.0.1:9999/graphql', 'http://[::1]:9999/graphql', 'http://localhost:9999/graphql', 'http://shop.localhost/cart']) {
        expect(safeUrl(url), url).to.equal(new URL(url).href);
      }
      expect(safeUrl('http://shop.example/cart')).to.equal(null);
      expect(safeUrl('javascript:void 0')).to.equal(null);
    });
  });

  describe('finding 13: nothing stored on the device before consent, one switch on the show', () => {
    it('shopify-storefront by attributes: nothing stored at the first add; consent="granted" stores the cart id, denied removes it', async () => {
      const show = await fixture<KolShow>(html`<kol-show adapter="shopify-storefront" endpoint=${ENDPOINT} storefront-token=${STOREFRONT_TOKEN}></kol-show>`);
      await waitUntil(() => show.adapter, 'the adapter loads');
      const outcome = await addThrough(show, ids.tee, ids.teeS);
      expect(outcome.status).to.equal('added');
      const cartId = show.cart!.id;
      expect(storedByKolkit(), 'nothing stored before consent').to.deep.equal([]);
      show.consent = 'granted';
      await waitUntil(() => localStorage.getItem(STORAGE_KEY) === cartId, 'stored once consent is granted');
      show.consent = 'denied';
      await waitUntil(() => localStorage.getItem(STORAGE_KEY) === null, 'removed when consent is withdrawn');
      expect((await show.adapter!.getCart())?.id, 'the cart still works on this page').to.equal(cartId);
    });

    it('shopify-storefront in code: nothing stored without a consent option; consentOf(show) follows the show', async () => {
      const bare = new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN});
      expect((await bare.addToCart({productId: ids.tee, variantId: ids.teeS, quantity: 1})).userErrors).to.deep.equal([]);
      expect(storedByKolkit(), 'no consent option: nothing stored').to.deep.equal([]);
      bare.dispose();
      forgetEverything();
      const show = await fixture<KolShow>(html`<kol-show consent="granted"></kol-show>`);
      const followed = new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN, consent: consentOf(show)});
      const {cart} = await followed.addToCart({productId: ids.tee, variantId: ids.teeS, quantity: 1});
      expect(localStorage.getItem(STORAGE_KEY), 'the show granted it').to.equal(cart.id);
      followed.dispose();
    });

    it('shopify-storefront reads no stored cart id before consent either; once granted it reads it', async () => {
      // A cart made on an earlier page, with consent: its id is in localStorage.
      const earlier = await fixture<KolShow>(html`<kol-show consent="granted"></kol-show>`);
      const maker = new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN, consent: consentOf(earlier)});
      const {cart: stored} = await maker.addToCart({productId: ids.tee, variantId: ids.teeS, quantity: 1});
      maker.dispose();
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(stored.id);
      forgetPageCartIds(); // a new page

      const show = await fixture<KolShow>(html`<kol-show></kol-show>`);
      const adapter = new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN, consent: consentOf(show)});
      const reads: string[] = [];
      const getItem = Storage.prototype.getItem;
      Storage.prototype.getItem = function (this: Storage, key: string) {
        if (key.startsWith('kolkit')) reads.push(key);
        return getItem.call(this, key);
      };
      try {
        expect(await adapter.getCart(), 'the stored cart is not read before consent').to.equal(null);
        const {cart: added} = await adapter.addToCart({productId: ids.tee, variantId: ids.teeM, quantity: 1});
        expect(added.id, 'a cart of this page').to.not.equal(stored.id);
        expect(reads, 'no read of the device before consent').to.deep.equal([]);
        show.consent = 'granted';
        expect((await adapter.getCart())?.id, 'granted: the stored cart is read as before').to.equal(stored.id);
        expect(reads).to.include(STORAGE_KEY);
      } finally {
        Storage.prototype.getItem = getItem;
        adapter.dispose();
      }
    });

    it('an adapter built in code without a consent option warns once, when it would first have stored, how to give consent', async () => {
      const consentWarnings = () => warnings.filter((w) => w.includes('consentOf(show)'));
      const storefront = new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN});
      expect(await storefront.getCart()).to.equal(null);
      expect(consentWarnings(), 'not at construction, nor before anything is held').to.deep.equal([]);
      await storefront.addToCart({productId: ids.tee, variantId: ids.teeS, quantity: 1});
      expect(consentWarnings(), 'at the first cart id').to.have.length(1);
      await storefront.addToCart({productId: ids.tee, variantId: ids.teeM, quantity: 1});
      await storefront.getCart();
      expect(consentWarnings(), 'once per adapter').to.have.length(1);
      expect(consentWarnings()[0]).to.contain('shopify-storefront');
      storefront.dispose();

      const vendure = new VendureAdapter({apiUrl: vendureApiUrl(), channelToken: VENDURE_CHANNEL, session: 'bearer'});
      expect(consentWarnings(), 'not at construction').to.have.length(1);
      expect((await vendure.addToCart({productId: 'T_1', variantId: 'T_1', quantity: 1})).userErrors).to.deep.equal([]);
      await vendure.addToCart({productId: 'T_1', variantId: 'T_1', quantity: 1});
      await vendure.getCart();
      expect(consentWarnings().filter((w) => w.includes('vendure')), 'once per adapter').to.have.length(1);
      expect(storedByKolkit(), 'and still nothing stored').to.deep.equal([]);
      vendure.dispose();

      // Given consent (the documented way, or by attributes): no warning.
      const show = await fixture<KolShow>(html`<kol-show adapter="shopify-storefront" endpoint=${ENDPOINT} storefront-token=${STOREFRONT_TOKEN}></kol-show>`);
      await waitUntil(() => show.adapter, 'the adapter loads');
      expect((await addThrough(show, ids.tee, ids.teeS)).status).to.equal('added');
      expect(consentWarnings(), 'an adapter with a consent signal does not warn').to.have.length(2);
    });

    it('vendure by attributes (bearer): consent="granted" keeps the session in sessionStorage, a later grant stores it, none stores nothing', async () => {
      const apiUrl = vendureApiUrl();
      const show = await fixture<KolShow>(html`<kol-show adapter="vendure" api-url=${apiUrl} channel-token=${VENDURE_CHANNEL} session="bearer"></kol-show>`);
      await waitUntil(() => show.adapter, 'the adapter loads');
      expect((await addThrough(show, 'T_1', 'T_1')).status).to.equal('added');
      expect(storedByKolkit(), 'nothing stored before consent').to.deep.equal([]);
      show.setAttribute('consent', 'granted');
      await waitUntil(() => storedByKolkit().length === 1, 'stored once consent is granted');
      expect(storedByKolkit()[0]).to.contain('vendure');
      show.removeAttribute('consent');
      await waitUntil(() => storedByKolkit().length === 0, 'removed when consent is withdrawn');

      forgetEverything();
      const granted = await fixture<KolShow>(html`<kol-show adapter="vendure" api-url=${vendureApiUrl()} channel-token=${VENDURE_CHANNEL} session="bearer" consent="granted"></kol-show>`);
      await waitUntil(() => granted.adapter, 'the adapter loads');
      expect((await addThrough(granted, 'T_1', 'T_1')).status).to.equal('added');
      expect(storedByKolkit().length, 'granted from the start: stored at the first add').to.equal(1);
    });

    it('a consent value that is neither granted nor denied is a bad-attribute error, and stores nothing', async () => {
      const show = await fixture<KolShow>(html`<kol-show consent="yes"></kol-show>`);
      await waitUntil(() => recorded.codes().includes('bad-attribute'), 'reported');
      expect(recorded.list.find((e) => e.detail.code === 'bad-attribute')!.detail.message).to.contain('consent');
      expect(warnings.some((w) => w.includes('consent'))).to.equal(true);
      expect(consentOf(show).allowed()).to.equal(false);
    });
  });

  describe('finding 14: a misconfigured adapter is loud; a loopback mock is accepted', () => {
    it('shopify-storefront with an http endpoint on loopback (another origin, CORS) sends its requests and shows the product', async () => {
      const otherHost = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
      const endpoint = `http://${otherHost}:${location.port}/loopback-cors${ENDPOINT}`;
      const show = await fixture<KolShow>(html`<kol-show adapter="shopify-storefront" endpoint=${endpoint} storefront-token=${STOREFRONT_TOKEN}>
        <kol-product-pin product-id=${ids.tee}></kol-product-pin></kol-show>`);
      const lookup = await show.whenProduct(ids.tee);
      expect(lookup.status, JSON.stringify(lookup)).to.equal('ready');
      expect(recorded.codes()).to.deep.equal([]);
    });

    const cases: Array<{what: string; attributes: Record<string, string>; attribute: string}> = [
      {what: 'shopify-storefront without store-domain', attributes: {adapter: 'shopify-storefront', 'storefront-token': 'x'}, attribute: 'store-domain'},
      {what: 'shopify-storefront without a token', attributes: {adapter: 'shopify-storefront', 'store-domain': 'shop.myshopify.com'}, attribute: 'storefront-token'},
      {what: 'shopify-storefront with a store-domain that is a URL path', attributes: {adapter: 'shopify-storefront', 'store-domain': 'shop.example/api', 'storefront-token': 'x'}, attribute: 'store-domain'},
      {what: 'shopify-storefront with a plain-http endpoint off loopback', attributes: {adapter: 'shopify-storefront', endpoint: 'http://shop.example/graphql', 'storefront-token': 'x'}, attribute: 'endpoint'},
      {what: 'vendure with a plain-http api-url off loopback', attributes: {adapter: 'vendure', 'api-url': 'http://shop.example/shop-api'}, attribute: 'api-url'},
      {what: 'vendure with an unknown session mode', attributes: {adapter: 'vendure', session: 'token'}, attribute: 'session'},
      {what: 'vendure with a javascript: checkout-url', attributes: {adapter: 'vendure', 'checkout-url': 'javascript:void 0'}, attribute: 'checkout-url'},
      {what: 'memory with a javascript: checkout-url', attributes: {adapter: 'memory', products: '/test/fixtures/catalog.json', 'checkout-url': 'javascript:void 0'}, attribute: 'checkout-url'},
    ];
    for (const {what, attributes, attribute} of cases) {
      it(`${what}: a bad-attribute kol-error and a console warning naming ${attribute}; the pin shows an error`, async () => {
        const show = document.createElement('kol-show') as KolShow;
        for (const [name, value] of Object.entries(attributes)) show.setAttribute(name, value);
        const pinned = document.createElement('kol-product-pin') as KolProductPin;
        pinned.setAttribute('product-id', 'any-product');
        show.append(pinned);
        await fixture(show);
        await waitUntil(() => recorded.codes().includes('bad-attribute'), 'reported');
        const error = recorded.list.find((e) => e.detail.code === 'bad-attribute')!;
        expect(error.detail.message).to.contain(attribute);
        expect(warnings.some((w) => w.includes(attribute)), `warned: ${warnings.join(' | ')}`).to.equal(true);
        expect(show.adapter).to.equal(null);
        await waitUntil(() => part(pinned, 'base')?.classList.contains('error'), 'the pin says it could not load');
        expect(part(pinned, 'base')!.textContent).not.to.contain('not available in this store');
      });
    }
  });
});
