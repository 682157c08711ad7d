/**
 * The `vendure` adapter against a real Vendure 3.7 server (test/servers/vendure.mjs, booted on first use,
 * seeded from test/servers/vendure/): the shared contract, then what only Vendure does — partial adds on
 * short stock, coupon codes for deals, cookie and bearer sessions.
 *
 * Seed ids (products.csv, in order): product T_1 "Live Tee" with variants T_1 (S, 12.00 with tax) and
 * T_2 (M, 15.00); T_2 "Studio Mug", variant T_3, 5 in stock, inventory tracked; T_3 "Sold Out Poster",
 * variant T_4, none in stock.
 */
import {expect} from '@open-wc/testing';
import {VendureAdapter, fromAttributes, type VendureAdapterOptions} from '../../src/adapters/vendure/index.js';
import {forgetBearerTokens} from '../../src/adapters/vendure/session.js';
import {HttpError} from '../../src/adapters/http.js';
import type {AddToCartInput, DealTerms} from '../../src/adapters/types.js';
import {runAdapterContract} from './contract.js';
import {graphqlFaults} from '../fixtures/graphql-faults.js';
import {quantityOf} from '../fixtures/cart.js';

const API_URL = '/vendure/shop-api';
const CHANNEL_TOKEN = 'kolkit-test-channel'; // test/servers/vendure.mjs
const EMPTY_CHANNEL_TOKEN = 'kolkit-empty-channel'; // a second channel there, in EUR, with no products
const ATTRIBUTES_FIELD = 'kolAttributes'; // the OrderLine custom field the test server configures
const TEE = {productId: 'T_1', small: 'T_1', medium: 'T_2'};
const MUG = {productId: 'T_2', variantId: 'T_3', stock: 5};
const POSTER = {productId: 'T_3', variantId: 'T_4'};

let shoppers = 0;
/**
 * The Shop API URL as one shopper's own: kolkit keeps a bearer token per cart scope (API URL and channel),
 * so a page has one shopper per scope; a query parameter Vendure ignores gives each test shopper a scope.
 */
const ownApiUrl = () => `${API_URL}?shopper=${++shoppers}`;

/** A shopper with their own session (a bearer token in memory), unless told otherwise. */
const shopper = (options: VendureAdapterOptions = {}) => new VendureAdapter({
  apiUrl: ownApiUrl(), channelToken: CHANNEL_TOKEN, session: 'bearer', lineAttributesField: ATTRIBUTES_FIELD, ...options,
});

const {fault: serverFault, untilHung} = graphqlFaults('/vendure');

const tee = (quantity: number, extra: Partial<AddToCartInput> = {}): AddToCartInput =>
  ({productId: TEE.productId, variantId: TEE.small, quantity, ...extra});

const deal = (code: string): DealTerms => ({id: `deal-${code}`, price: {amount: '10.80', currencyCode: 'USD'}, code});

// The first request boots Vendure (seeding it the first time on this machine): wait for it once, here.
before(async function () {
  this.timeout(180_000);
  const response = await fetch('/vendure/ready');
  if (response.status !== 204) throw new Error(`Vendure did not start: ${await response.text()}`);
});

runAdapterContract('vendure', () => ({
  newShopper: () => shopper(),
  product: {id: TEE.productId},
  limited: MUG,
  overLimit: tee(21), // the server's orderLineItemsLimit is 20
  unknownProductId: 'T_999',
  invalidVariant: {productId: TEE.productId, variantId: 'T_999', quantity: 1},
  unreachable: () => shopper({apiUrl: '/vendure/down/shop-api'}),
  lineAttributes: true,
}));

describe('VendureAdapter', function () {
  this.timeout(30_000);

  describe('products', () => {
    it('maps a description with markup to text on a page that enforces Trusted Types (no DOMParser there)', async () => {
      const mapping = new URL('/src/adapters/vendure/mapping.ts', location.href).href;
      const frame = document.createElement('iframe');
      const answer = new Promise<{parserThrows?: boolean; description?: string; error?: string}>((resolve) => {
        window.addEventListener('message', function listen(event) {
          if (event.source !== frame.contentWindow) return;
          window.removeEventListener('message', listen);
          resolve(event.data);
        });
      });
      frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'">
<script>
  import('${mapping}').then(({toProduct}) => {
    let parserThrows = false;
    try { new DOMParser().parseFromString('<p>x</p>', 'text/html'); } catch { parserThrows = true; }
    const description = toProduct({id: '1', name: 'Tee', featuredAsset: null, variants: [],
      description: '<p>Soft <b>organic</b> cotton &amp; a <' + 'script>alert(1)<' + '/script>logo.</p>'}, {moneyPrecision: 2}).description;
    parent.postMessage({parserThrows, description}, '*');
  }).catch((error) => parent.postMessage({error: String(error)}, '*'));
</script>`;
      document.body.append(frame);
      try {
        const {parserThrows, description, error} = await answer;
        expect(error, 'the mapping ran').to.equal(undefined);
        expect(parserThrows, 'Trusted Types are enforced in the frame').to.equal(true);
        expect(description).to.equal('Soft organic cotton & a logo.');
      } finally {
        frame.remove();
      }
    });

    it('an answer that is not GraphQL (null) rejects with an HttpError, not a TypeError', async () => {
      const odd = shopper({apiUrl: '/vendure/null/shop-api'});
      for (const call of [odd.getProducts([TEE.productId]), odd.getCart(), odd.addToCart(tee(1))]) {
        const error = await call.then(() => null, (e: unknown) => e);
        expect(error).to.be.instanceOf(HttpError);
        expect((error as HttpError).message).to.contain('not a GraphQL answer');
      }
    });

    it('shows prices with tax from minor units, variants by their options, and the description as plain text', async () => {
      const [product] = await shopper().getProducts([TEE.productId]);
      expect(product.title).to.equal('Live Tee');
      expect(product.variants.map((v) => [v.id, v.title, v.price, v.available])).to.deep.equal([
        [TEE.small, 'S', {amount: '12.00', currencyCode: 'USD'}, true],
        [TEE.medium, 'M', {amount: '15.00', currencyCode: 'USD'}, true],
      ]);
      // The seed's description is HTML with a script in it: only the readable text is kept.
      expect(product.description).to.equal('Soft organic cotton & a logo.');
    });

    it('marks a variant with no stock left as unavailable, and answers products in the order asked', async () => {
      const products = await shopper().getProducts([POSTER.productId, 'T_999', 'not-a-vendure-id', MUG.productId]);
      expect(products.map((p) => p.id)).to.deep.equal([POSTER.productId, MUG.productId]);
      expect(products[0].variants.map((v) => v.available)).to.deep.equal([false]);
      expect(products[1].variants.map((v) => v.available)).to.deep.equal([true]);
    });

    it('sends the channel token: a channel that sells nothing answers no products, and carts in its currency', async () => {
      const elsewhere = shopper({channelToken: EMPTY_CHANNEL_TOKEN});
      expect(await elsewhere.getProducts([TEE.productId])).to.deep.equal([]);
      const {cart, userErrors} = await elsewhere.addToCart(tee(1));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['invalid-variant']);
      expect(cart.totalQuantity).to.equal(0);
      expect(cart.subtotal).to.deep.equal({amount: '0.00', currencyCode: 'EUR'});
    });
  });

  describe('stock and limits', () => {
    it('asked 7 of a variant with 5 in stock: adds the 5 and says the rest is out of stock', async () => {
      const adapter = shopper();
      const {cart, userErrors} = await adapter.addToCart({...MUG, quantity: 7});
      expect(userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(userErrors[0].message).to.contain('5');
      expect(quantityOf(cart, MUG.variantId)).to.equal(5);
      expect(cart.totalQuantity).to.equal(5);
      expect(cart.subtotal).to.deep.equal({amount: '48.00', currencyCode: 'USD'});
      expect(quantityOf(await adapter.getCart(), MUG.variantId), 'the order really holds 5').to.equal(5);
    });

    it('a sold-out variant is refused as out-of-stock with nothing added', async () => {
      const {cart, userErrors} = await shopper().addToCart({...POSTER, quantity: 1});
      expect(userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(cart.totalQuantity).to.equal(0);
    });

    it('refuses a quantity that is not a whole number of at least 1 before sending the add', async () => {
      for (const quantity of [0, -2, 1.5]) {
        const {userErrors, cart} = await shopper().addToCart(tee(quantity));
        expect(userErrors.map((e) => e.code), `quantity ${quantity}`).to.deep.equal(['invalid-quantity']);
        expect(cart.totalQuantity).to.equal(0);
      }
    });

    it('an update beyond the line limit is refused as quantity-limit and the line keeps its quantity', async () => {
      const adapter = shopper();
      const {cart} = await adapter.addToCart(tee(2));
      const result = await adapter.updateLine(cart.lines[0].id, 25);
      expect(result.userErrors.map((e) => e.code)).to.deep.equal(['quantity-limit']);
      expect(quantityOf(result.cart, TEE.small)).to.equal(2);
    });

    it('an update of a line that is not in the cart is refused as invalid-line', async () => {
      const adapter = shopper();
      await adapter.addToCart(tee(1));
      const result = await adapter.updateLine('T_999', 2);
      expect(result.userErrors.map((e) => e.code)).to.deep.equal(['invalid-line']);
      expect(result.cart.totalQuantity).to.equal(1);
    });
  });

  describe('deals: the coupon code', () => {
    it('applies the deal code after the add: the shopper pays the discounted price', async () => {
      const adapter = shopper();
      const {cart, userErrors} = await adapter.addToCart(tee(2, {deal: deal('LIVE10')}));
      expect(userErrors).to.deep.equal([]);
      expect(cart.subtotal).to.deep.equal({amount: '21.60', currencyCode: 'USD'}); // 2 × 12.00, less 10%
      expect(cart.lines[0].price.amount, 'the line price is what is paid per item').to.equal('10.80');
      expect((await adapter.getCart())?.subtotal.amount).to.equal('21.60');
    });

    it("an expired code is deal-code-not-applied with Vendure's reason, and the add stays at the full price", async () => {
      const adapter = shopper();
      const {cart, userErrors} = await adapter.addToCart(tee(1, {deal: deal('GONE5')}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('GONE5').and.to.match(/expired/i);
      expect(quantityOf(cart, TEE.small)).to.equal(1);
      expect(cart.subtotal.amount).to.equal('12.00');
      expect(quantityOf(await adapter.getCart(), TEE.small)).to.equal(1);
    });

    it('an unknown code is deal-code-not-applied, and the add stays', async () => {
      const {cart, userErrors} = await shopper().addToCart(tee(1, {deal: deal('NO-SUCH-CODE')}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('NO-SUCH-CODE');
      expect(quantityOf(cart, TEE.small)).to.equal(1);
    });

    it('the coupon step fails (the server answers 503): the add resolves with its cart and deal-code-not-applied', async () => {
      const adapter = shopper();
      await serverFault('KolApplyCoupon', 'status');
      const {cart, userErrors} = await adapter.addToCart(tee(2, {deal: deal('LIVE10')}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('LIVE10');
      expect(quantityOf(cart, TEE.small)).to.equal(2);
      expect(cart.subtotal.amount, 'no discount: the code was not applied').to.equal('24.00');
      expect(quantityOf(await adapter.getCart(), TEE.small), 'added once').to.equal(2);
    });

    it('the caller aborts while the coupon step hangs: the add resolves with its cart, not a rejection', async () => {
      const adapter = shopper();
      await serverFault('KolApplyCoupon', 'hang');
      const controller = new AbortController();
      const adding = adapter.addToCart(tee(1, {deal: deal('LIVE10')}), {signal: controller.signal});
      await untilHung('KolApplyCoupon'); // the add answered; only the code step is left
      controller.abort();
      const {cart, userErrors} = await adding;
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(quantityOf(cart, TEE.small)).to.equal(1);
      expect(quantityOf(await adapter.getCart(), TEE.small)).to.equal(1);
    });
  });

  describe('line attributes', () => {
    it('merges adds with the same attributes into one line, whatever their order, and keeps others apart', async () => {
      const adapter = shopper();
      await adapter.addToCart(tee(1, {attributes: {_kol_show: 's1', _kol_ref: 'host-7'}}));
      await adapter.addToCart(tee(1, {attributes: {_kol_ref: 'host-7', _kol_show: 's1'}}));
      const {cart} = await adapter.addToCart(tee(1, {attributes: {_kol_show: 's2'}}));
      expect(cart.lines.map((l) => [l.quantity, l.attributes])).to.have.deep.members([
        [2, {_kol_ref: 'host-7', _kol_show: 's1'}],
        [1, {_kol_show: 's2'}],
      ]);
    });

    it('a field the store does not have: a warning, then the cart works without attributes', async () => {
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args);
      try {
        // With a consent signal: an adapter without one also warns, once, about consent.
        const adapter = shopper({lineAttributesField: 'noSuchField', consent: {allowed: () => false}});
        const {cart, userErrors} = await adapter.addToCart(tee(2, {attributes: {_kol_show: 's1'}}));
        expect(userErrors).to.deep.equal([]);
        expect(quantityOf(cart, TEE.small)).to.equal(2);
        expect(cart.lines[0].attributes).to.equal(undefined);
        expect(quantityOf(await adapter.getCart(), TEE.small), 'added once').to.equal(2);
        expect(warnings).to.have.length(1);
        expect(String(warnings[0][0])).to.contain('"noSuchField"');
      } finally {
        console.warn = warn;
      }
    });

    it('without a configured field the attributes are not sent, and the add works', async () => {
      const adapter = shopper({lineAttributesField: undefined});
      const {cart, userErrors} = await adapter.addToCart(tee(1, {attributes: {_kol_show: 's1'}}));
      expect(userErrors).to.deep.equal([]);
      expect(cart.lines[0].attributes).to.equal(undefined);
    });
  });

  describe('sessions', () => {
    beforeEach(() => sessionStorage.clear());
    afterEach(() => sessionStorage.clear());

    it('bearer: the token Vendure sends keeps one order across calls, and another shopper has their own', async () => {
      const adapter = shopper();
      const first = await adapter.addToCart(tee(1));
      const second = await adapter.addToCart({productId: TEE.productId, variantId: TEE.medium, quantity: 1});
      expect(second.cart.id).to.equal(first.cart.id);
      expect(second.cart.totalQuantity).to.equal(2);
      expect((await adapter.getCart())?.id).to.equal(first.cart.id);
      expect(await shopper().getCart(), 'a new shopper').to.equal(null);
    });

    it('bearer: two adapters of one scope (two shows on a page) are one shopper, before any consent', async () => {
      const apiUrl = ownApiUrl();
      const consent = {allowed: () => false};
      const first = shopper({apiUrl, consent});
      const second = shopper({apiUrl, consent});
      expect(second.cartScope).to.equal(first.cartScope);
      const {cart} = await first.addToCart(tee(1));
      expect((await second.getCart())?.id, 'the other show sees the same order').to.equal(cart.id);
      const after = await second.addToCart({productId: TEE.productId, variantId: TEE.medium, quantity: 1});
      expect(after.cart.id).to.equal(cart.id);
      expect(after.cart.totalQuantity).to.equal(2);
      expect(sessionStorage.length, 'nothing stored').to.equal(0);
    });

    it('bearer: the token is kept in sessionStorage only while consent allows, so a reload finds the cart', async () => {
      let allowed = false;
      const consent = {allowed: () => allowed};
      const apiUrl = ownApiUrl();
      /** A page load: nothing in memory, only what sessionStorage kept. */
      const reload = () => {
        forgetBearerTokens();
        return shopper({apiUrl, consent});
      };
      const before = await shopper({apiUrl, consent}).addToCart(tee(1));
      expect(sessionStorage.length, 'nothing stored before consent').to.equal(0);
      expect(await reload().getCart(), 'a reload without consent starts over').to.equal(null);

      allowed = true;
      const adapter = shopper({apiUrl, consent});
      const {cart} = await adapter.addToCart(tee(3));
      expect(sessionStorage.length).to.equal(1);
      const reloaded = await reload().getCart();
      expect(reloaded?.id, 'a reload with consent finds the same order').to.equal(cart.id);
      expect(reloaded?.id).not.to.equal(before.cart.id);
      expect(quantityOf(reloaded, TEE.small)).to.equal(3);
    });

    it('cookie: the browser keeps the session, so every cookie adapter on the page sees one order', async () => {
      const cookie = () => shopper({session: 'cookie'});
      const start = quantityOf(await cookie().getCart(), TEE.medium);
      const {cart, userErrors} = await cookie().addToCart({productId: TEE.productId, variantId: TEE.medium, quantity: 2});
      expect(userErrors).to.deep.equal([]);
      const read = await cookie().getCart();
      expect(read?.id).to.equal(cart.id);
      expect(quantityOf(read, TEE.medium)).to.equal(start + 2);
      expect(await shopper().getCart(), 'a bearer shopper does not share the cookie session').to.equal(null);
    });
  });

  describe('configuration', () => {
    it('names its cart by API URL and channel: a relative and an absolute URL of one API share a cart', () => {
      const absoluteUrl = new URL(API_URL, location.href).href;
      const relative = shopper({apiUrl: API_URL});
      const absolute = shopper({apiUrl: absoluteUrl});
      expect(relative.cartScope).to.equal(`vendure:${absoluteUrl}#${CHANNEL_TOKEN}`);
      expect(absolute.cartScope).to.equal(relative.cartScope);
      expect(shopper({channelToken: 'other'}).cartScope).not.to.equal(relative.cartScope);
    });

    it('fromAttributes reads api-url, channel-token, session and line-attributes-field from the show', async () => {
      const show = document.createElement('kol-show');
      const apiUrl = ownApiUrl();
      show.setAttribute('api-url', apiUrl);
      show.setAttribute('channel-token', CHANNEL_TOKEN);
      show.setAttribute('session', 'bearer');
      show.setAttribute('line-attributes-field', ATTRIBUTES_FIELD);
      const adapter = fromAttributes(show);
      expect(adapter.name).to.equal('vendure');
      expect(adapter.cartScope).to.equal(shopper({apiUrl}).cartScope);
      const {cart} = await adapter.addToCart(tee(1, {attributes: {_kol_show: 'live'}}));
      expect(cart.lines[0].attributes).to.deep.equal({_kol_show: 'live'});
      expect(await adapter.getCart().then((c) => c?.id), 'the bearer session').to.equal(cart.id);
    });
  });
});
