/**
 * The `shopify-storefront` adapter against a Storefront API that validates every document against the
 * schema Shopify ships in @shopify/hydrogen-react (2026-04) and executes it on a small store
 * (test/servers/storefront.mjs, catalog in test/fixtures/storefront-catalog.mjs): the shared contract,
 * then what only this adapter does — documents the real schema accepts, the buyer context, the cart id
 * kept per store (and only with consent), deal codes as discount codes, stock warnings as refusals.
 */
import {expect} from '@open-wc/testing';
import {ShopifyStorefrontAdapter, fromAttributes, type ShopifyStorefrontOptions} from '../../src/adapters/shopify-storefront/index.js';
import {StorefrontClient} from '../../src/adapters/shopify-storefront/client.js';
import {cartIdKey, forgetPageCartIds} from '../../src/adapters/shopify-storefront/cart-id-store.js';
import {CART_QUERY, storefrontDocuments} from '../../src/adapters/shopify-storefront/operations.js';
import type {StorefrontCart} from '../../src/adapters/shopify-storefront/mapping.js';
import type {AddToCartInput, DealTerms} from '../../src/adapters/types.js';
import {HttpError} from '../../src/adapters/http.js';
import {AdapterConfigError} from '../../src/adapters/config-error.js';
import {STOREFRONT_API_VERSION, STOREFRONT_TOKEN, ids} from '../fixtures/storefront-catalog.mjs';
import {runAdapterContract} from './contract.js';
import {graphqlFaults} from '../fixtures/graphql-faults.js';
import {quantityOf} from '../fixtures/cart.js';

const ENDPOINT = `/storefront/api/${STOREFRONT_API_VERSION}/graphql.json`;
const STORAGE_KEY = cartIdKey(ENDPOINT);

/** A shopper of the test store. Call `forgetCart()` first for a new shopper. */
const shopper = (options: Partial<ShopifyStorefrontOptions> = {}) =>
  new ShopifyStorefrontAdapter({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN, ...options});

/** A new shopper: no stored cart id, and none held in memory by the page (as after a reload). */
const forgetCart = () => {
  localStorage.removeItem(STORAGE_KEY);
  forgetPageCartIds();
};

const {fault: storeFault, untilHung} = graphqlFaults('/storefront');

const tee = (quantity = 1, extra: Partial<AddToCartInput> = {}): AddToCartInput =>
  ({productId: ids.tee, variantId: ids.teeS, quantity, ...extra});

const deal = (code: string): DealTerms => ({id: `deal-${code}`, price: {amount: '20.0', currencyCode: 'EUR'}, code});

/** The cart's discount codes as the store has them (the adapter's Cart type does not carry them). */
async function discountCodesOf(cartId: string): Promise<string[]> {
  const client = new StorefrontClient({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN});
  const {cart} = await client.request<{cart: StorefrontCart | null}>(CART_QUERY, {cartId}, {read: true});
  return (cart?.discountCodes ?? []).map((c) => c.code);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to reject');
}

/** Consent given for good: the cart id is stored (without a signal nothing is, DESIGN.md §5). */
const GRANTED = {allowed: () => true};

/** A consent signal the test flips, like a CMP's. */
function consentSignal(initially: boolean) {
  let allowed = initially;
  const listeners = new Set<() => void>();
  return {
    allowed: () => allowed,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(value: boolean) {
      allowed = value;
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

runAdapterContract('shopify-storefront', () => ({
  newShopper: () => {
    forgetCart();
    return shopper();
  },
  cleanup: forgetCart,
  product: {id: ids.tee},
  limited: {productId: ids.mug, variantId: ids.mugDefault, stock: 3},
  overLimit: {productId: ids.cap, variantId: ids.capDefault, quantity: 3}, // a quantity rule of at most 2
  unknownProductId: ids.unknownProduct,
  invalidVariant: {productId: ids.tee, variantId: ids.unknownVariant, quantity: 1},
  unreachable: () => shopper({endpoint: `/storefront/down/api/${STOREFRONT_API_VERSION}/graphql.json`}),
  lineAttributes: true,
}));

describe('ShopifyStorefrontAdapter', function () {
  this.timeout(20_000);
  beforeEach(forgetCart);
  afterEach(forgetCart);

  describe('documents', () => {
    const validate = async (query: string) => {
      const response = await fetch('/storefront/validate', {method: 'POST', body: JSON.stringify({query})});
      return ((await response.json()) as {errors: string[]}).errors;
    };

    for (const [name, document] of Object.entries(storefrontDocuments)) {
      it(`${name} is valid against the shipped 2026-04 schema`, async () => {
        expect(await validate(document)).to.deep.equal([]);
      });
    }

    it('the validation catches a misspelt field (so the checks above can fail)', async () => {
      const errors = await validate(CART_QUERY.replace('checkoutUrl', 'checkoutUrll'));
      expect(errors.join(' ')).to.contain('Cannot query field "checkoutUrll" on type "Cart"');
    });

    it('a document the schema rejects reaches the caller as a rejection naming the field', async () => {
      const client = new StorefrontClient({endpoint: ENDPOINT, storefrontToken: STOREFRONT_TOKEN});
      const error = await rejection(client.request('query Bad { shop { idd } }', {}, {read: true}));
      expect(error).to.be.instanceOf(HttpError);
      expect(error.message).to.contain('Cannot query field "idd" on type "Shop"');
    });
  });

  describe('products', () => {
    it('maps variants, stock, compare-at prices, the image and the description, in the order asked', async () => {
      const products = await shopper().getProducts([ids.mug, ids.unknownProduct, ids.tee]);
      expect(products.map((p) => p.id)).to.deep.equal([ids.mug, ids.tee]);
      const [mug, tee] = products;
      expect(mug.variants).to.deep.equal([
        {id: ids.mugDefault, title: 'Default Title', price: {amount: '12.5', currencyCode: 'EUR'}, available: true, quantityAvailable: 3},
      ]);
      expect(tee.title).to.equal('Crescent Tee');
      expect(tee.description).to.equal('Organic cotton, printed in Lyon.');
      expect(tee.image).to.deep.equal({
        url: 'https://cdn.shopify.com/s/files/1/0000/0001/files/tee.png', alt: 'A white T-shirt', width: 800, height: 800,
      });
      expect(tee.url).to.equal('https://kolkit-test.myshopify.com/products/crescent-tee');
      expect(tee.variants.map((v) => [v.title, v.price.amount, v.compareAtPrice?.amount, v.available, v.quantityAvailable])).to.deep.equal([
        ['S', '29.0', '35.0', true, 40],
        ['M', '29.0', '35.0', true, 40],
        ['XL', '31.0', undefined, false, 0],
      ]);
    });

    it('drops an image that is not https', async () => {
      const [poster] = await shopper().getProducts([ids.poster]);
      expect(poster.title).to.equal('Show Poster');
      expect(poster).not.to.have.property('image');
      expect(poster.variants[0]).not.to.have.property('quantityAvailable'); // stock not tracked
    });

    it('leaves out ids that are not product GIDs instead of failing the whole list', async () => {
      const products = await shopper().getProducts(['crescent-tee', '7001', ids.teeS, ids.tee]);
      expect(products.map((p) => p.id)).to.deep.equal([ids.tee]);
    });
  });

  describe('buyer context (@inContext)', () => {
    it('sends country and language on every operation: prices, currency and titles of that market', async () => {
      const adapter = shopper({country: 'us', language: 'fr'});
      const [product] = await adapter.getProducts([ids.tee]);
      expect(product.title).to.equal('T-shirt Croissant');
      expect(product.variants[0].price).to.deep.equal({amount: '32.0', currencyCode: 'USD'});
      const {cart} = await adapter.addToCart(tee(2));
      expect(cart.subtotal).to.deep.equal({amount: '64.0', currencyCode: 'USD'});
      expect(cart.lines[0].title).to.equal('T-shirt Croissant – S');
      expect((await adapter.getCart())!.subtotal.currencyCode).to.equal('USD');
    });

    it('omits the context when none is configured: the store default (EUR, English)', async () => {
      const [product] = await shopper().getProducts([ids.tee]);
      expect([product.title, product.variants[0].price.currencyCode]).to.deep.equal(['Crescent Tee', 'EUR']);
    });
  });

  describe('access', () => {
    it('rejects with 401 when the storefront token is missing or wrong', async () => {
      for (const storefrontToken of [undefined, 'not-the-token']) {
        const adapter = shopper({storefrontToken});
        const error = await rejection(adapter.getProducts([ids.tee]));
        expect((error as HttpError).status).to.equal(401);
        expect(((await rejection(adapter.addToCart(tee()))) as HttpError).status).to.equal(401);
      }
      expect(localStorage.getItem(STORAGE_KEY), 'no cart').to.equal(null);
    });

    it('retries a read when the store is down, never a mutation (an add is not idempotent)', async () => {
      const down = shopper({endpoint: `/storefront/down/api/${STOREFRONT_API_VERSION}/graphql.json`});
      const log = async () => ((await (await fetch('/storefront/down/log', {method: 'POST'})).json()) as {operations: string[]}).operations;
      await log();
      expect((await rejection(down.getProducts([ids.tee]))).message).to.contain('503');
      expect(await log(), 'the first try and 3 retries').to.deep.equal(Array(4).fill('KolProducts'));
      expect((await rejection(down.addToCart(tee()))).message).to.contain('503');
      expect(await log(), 'sent once').to.deep.equal(['KolCartCreate']);
    });

    it('refuses, when made, an endpoint that is neither https, loopback nor same-origin, and a missing store domain or token', () => {
      const configError = (make: () => unknown) => {
        try {
          make();
        } catch (error) {
          expect(error).to.be.instanceOf(AdapterConfigError);
          return (error as AdapterConfigError).attribute;
        }
        throw new Error('expected the constructor to throw');
      };
      expect(configError(() => shopper({endpoint: 'http://shop.example/api/2026-04/graphql.json'}))).to.equal('endpoint');
      expect(configError(() => new ShopifyStorefrontAdapter({storefrontToken: STOREFRONT_TOKEN}))).to.equal('store-domain');
      expect(configError(() => new ShopifyStorefrontAdapter({storeDomain: 'shop.example'}))).to.equal('storefront-token');
    });
  });

  describe('the cart id', () => {
    it('is stored per store, with consent, and picked up by a new adapter (the same shopper on the next page)', async () => {
      const {cart} = await shopper({consent: GRANTED}).addToCart(tee(2));
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(cart.id);
      const nextPage = shopper();
      expect(nextPage.cartScope).to.equal(`shopify-storefront:${ENDPOINT}`);
      const read = await nextPage.getCart();
      expect(read?.id).to.equal(cart.id);
      expect(quantityOf(read, ids.teeS)).to.equal(2);
      const {cart: after} = await nextPage.addToCart(tee(1));
      expect(after.id, 'adds to the same cart').to.equal(cart.id);
      expect(quantityOf(after, ids.teeS)).to.equal(3);
    });

    it('is not stored before consent, and is stored as soon as consent is given', async () => {
      const consent = consentSignal(false);
      const adapter = shopper({consent});
      expect(await adapter.getCart()).to.equal(null);
      const {cart} = await adapter.addToCart(tee());
      expect(cart.totalQuantity).to.equal(1);
      expect(localStorage.getItem(STORAGE_KEY), 'nothing stored without consent').to.equal(null);
      expect((await adapter.getCart())?.id, 'the cart still works on this page').to.equal(cart.id);
      expect(quantityOf((await adapter.addToCart(tee())).cart, ids.teeS)).to.equal(2);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
      consent.set(true);
      expect(localStorage.getItem(STORAGE_KEY), 'stored when consent arrives').to.equal(cart.id);
      expect((await shopper().getCart())?.id).to.equal(cart.id);
      adapter.dispose();
      expect(consent.listeners.size, 'dispose unsubscribes').to.equal(0);
    });

    it('is one per store on the page before consent: two adapters of one endpoint (two shows) share the cart', async () => {
      const consent = consentSignal(false);
      const first = shopper({consent});
      const second = shopper({consent});
      expect(second.cartScope).to.equal(first.cartScope);
      const {cart} = await first.addToCart(tee());
      expect(localStorage.getItem(STORAGE_KEY), 'nothing stored').to.equal(null);
      expect((await second.getCart())?.id, 'the other show sees the same cart').to.equal(cart.id);
      const {cart: after} = await second.addToCart({productId: ids.tee, variantId: ids.teeM, quantity: 1});
      expect(after.id, 'and adds to it').to.equal(cart.id);
      expect(after.totalQuantity).to.equal(2);
      forgetPageCartIds();
      expect(await shopper({consent}).getCart(), 'a new page without consent starts over').to.equal(null);
    });

    it('a stored id the store cannot read as a cart id: the add rejects with Shopify\'s error, not a TypeError', async () => {
      localStorage.setItem(STORAGE_KEY, 'not-a-cart-id');
      const error = await rejection(shopper({consent: GRANTED}).addToCart(tee())); // read only with consent
      expect(error).to.be.instanceOf(HttpError);
      expect(error.message).to.contain("Invalid global id 'not-a-cart-id'");
    });

    it('is stored on the next call when consent arrives through a signal without subscribe', async () => {
      let allowed = false;
      const adapter = shopper({consent: {allowed: () => allowed}});
      const {cart} = await adapter.addToCart(tee());
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
      allowed = true;
      await adapter.getCart();
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(cart.id);
    });

    it('is dropped when the store no longer knows the cart, and the next add makes a new one', async () => {
      const stale = 'gid://shopify/Cart/checked-out-long-ago?key=0000';
      localStorage.setItem(STORAGE_KEY, stale);
      const adapter = shopper({consent: GRANTED});
      expect(await adapter.getCart()).to.equal(null);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
      const {cart, userErrors} = await adapter.addToCart(tee());
      expect(userErrors).to.deep.equal([]);
      expect(cart.id).to.not.equal(stale);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(cart.id);
    });

    it('a stale id met on add: the line goes into a new cart, added once', async () => {
      localStorage.setItem(STORAGE_KEY, 'gid://shopify/Cart/expired?key=0000');
      const {cart, userErrors} = await shopper({consent: GRANTED}).addToCart(tee(2));
      expect(userErrors).to.deep.equal([]);
      expect(quantityOf(cart, ids.teeS)).to.equal(2);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(cart.id);
    });

    it('two adds at once before there is a cart make one cart holding both', async () => {
      const adapter = shopper();
      const [first, second] = await Promise.all([
        adapter.addToCart(tee()),
        adapter.addToCart({productId: ids.tee, variantId: ids.teeM, quantity: 1}),
      ]);
      expect(second.cart.id).to.equal(first.cart.id);
      expect(second.cart.totalQuantity).to.equal(2);
      expect((await adapter.getCart())?.totalQuantity).to.equal(2);
    });
  });

  describe('line attributes and deals', () => {
    it('keeps the show, deal and referrer attributes on the line, read back on the next page', async () => {
      const attributes = {_kol_show: 'show-42', _kol_ref: 'host-ana'};
      const {cart} = await shopper().addToCart(tee(1, {attributes, deal: deal('LIVE10')}));
      expect(cart.lines[0].attributes).to.deep.equal({...attributes, _kol_deal: 'deal-LIVE10'});
      const read = await shopper().getCart();
      expect(read!.lines[0].attributes).to.deep.equal({...attributes, _kol_deal: 'deal-LIVE10'});
    });

    it('credits the host on the cart (a cart attribute), keeping the cart\'s other attributes; read back on the next page', async () => {
      const adapter = shopper();
      expect((await adapter.setCartAttributes({_kol_ref: 'host-ana'})).cart.lines, 'no cart yet: nothing to set').to.deep.equal([]);
      await adapter.addToCart(tee(1));
      await adapter.setCartAttributes({gift: 'yes'});
      const {cart, userErrors} = await adapter.setCartAttributes({_kol_ref: 'host-ana'});
      expect(userErrors).to.deep.equal([]);
      expect(cart.attributes).to.deep.equal({gift: 'yes', _kol_ref: 'host-ana'});
      expect((await shopper().getCart())!.attributes).to.deep.equal({gift: 'yes', _kol_ref: 'host-ana'});
    });

    it('applies a deal code as a discount code, keeping the codes already on the cart', async () => {
      const adapter = shopper();
      const first = await adapter.addToCart(tee(1, {deal: deal('LIVE10')}));
      expect(first.userErrors).to.deep.equal([]);
      expect(first.cart.subtotal.amount, '10% off 29.00').to.equal('26.1');
      const second = await adapter.addToCart({productId: ids.cap, variantId: ids.capDefault, quantity: 1, deal: deal('CAP20')});
      expect(second.userErrors).to.deep.equal([]);
      expect(second.cart.subtotal.amount, '26.10 + 20% off 24.00').to.equal('45.3');
      expect(await discountCodesOf(second.cart.id)).to.deep.equal(['LIVE10', 'CAP20']);
      const third = await adapter.addToCart(tee(1, {deal: deal('live10')}));
      expect(await discountCodesOf(third.cart.id), 'a code already there is not added twice').to.deep.equal(['LIVE10', 'CAP20']);
    });

    it('reports a code the store does not know as deal-code-not-applied with its reason, and keeps the line', async () => {
      const adapter = shopper();
      await adapter.addToCart(tee());
      const {cart, userErrors} = await adapter.addToCart({productId: ids.cap, variantId: ids.capDefault, quantity: 1, deal: deal('NOPE')});
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('NOPE');
      expect(quantityOf(cart, ids.capDefault)).to.equal(1);
    });

    it('the same on the first add (the code goes with cartCreate)', async () => {
      const {cart, userErrors} = await shopper().addToCart(tee(1, {deal: deal('NOPE')}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('NOPE');
      expect(quantityOf(cart, ids.teeS)).to.equal(1);
    });

    it('a code that exists but applies to nothing in the cart is deal-code-not-applied', async () => {
      const {cart, userErrors} = await shopper().addToCart(tee(1, {deal: deal('CAP20')})); // CAP20 is for caps only
      expect(userErrors).to.deep.equal([{code: 'deal-code-not-applied', message: 'The code CAP20 does not apply to this cart.'}]);
      expect(cart.subtotal.amount).to.equal('29.0');
    });

    it('an order code (a cart-level discount) shows in the subtotal: the items after every discount', async () => {
      const adapter = shopper();
      const {cart, userErrors} = await adapter.addToCart(tee(1, {deal: deal('TAKE5')}));
      expect(userErrors).to.deep.equal([]);
      expect(cart.subtotal, '29.00 less 5.00 off the order').to.deep.equal({amount: '24.0', currencyCode: 'EUR'});
      const second = await adapter.addToCart({productId: ids.cap, variantId: ids.capDefault, quantity: 1, deal: deal('LIVE10')});
      expect(second.cart.subtotal.amount, '(29.00 + 24.00) less 10%, less 5.00').to.equal('42.7');
      expect((await adapter.getCart())?.subtotal.amount).to.equal('42.7');
    });

    for (const mode of ['status', 'hang'] as const) {
      it(`a code step that ${mode === 'status' ? 'fails (503)' : 'hangs until the caller aborts'}: the add stands with deal-code-not-applied`, async () => {
        const adapter = shopper();
        await adapter.addToCart(tee());
        await storeFault('KolCartDiscountCodesUpdate', mode);
        const controller = new AbortController();
        const adding = adapter.addToCart({productId: ids.cap, variantId: ids.capDefault, quantity: 1, deal: deal('LIVE10')}, {signal: controller.signal});
        if (mode === 'hang') {
          await untilHung('KolCartDiscountCodesUpdate'); // the add answered; the code step hangs: the caller gives up
          controller.abort();
        }
        const {cart, userErrors} = await adding;
        expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
        expect(userErrors[0].message).to.contain('LIVE10');
        expect(quantityOf(cart, ids.capDefault), "the add's cart").to.equal(1);
        expect(quantityOf(await adapter.getCart(), ids.capDefault), 'added once').to.equal(1);
        expect(await discountCodesOf(cart.id)).to.deep.equal([]);
      });
    }

    it("refuses more than the deal's per-customer limit as quantity-limit, before sending the add", async () => {
      const adapter = shopper();
      const limited: DealTerms = {...deal('LIVE10'), limitPerCustomer: 2};
      expect((await adapter.addToCart(tee(2, {deal: limited}))).userErrors).to.deep.equal([]);
      const refused = await adapter.addToCart(tee(1, {deal: limited}));
      expect(refused.userErrors.map((e) => e.code)).to.deep.equal(['quantity-limit']);
      expect(quantityOf(refused.cart, ids.teeS)).to.equal(2);
      expect(quantityOf(await adapter.getCart(), ids.teeS)).to.equal(2);
    });
  });

  describe('refusals', () => {
    it('a sold-out variant: out-of-stock from the cart warning, and no zero line in the cart', async () => {
      const adapter = shopper();
      await adapter.addToCart(tee());
      const {cart, userErrors} = await adapter.addToCart({productId: ids.tee, variantId: ids.teeXl, quantity: 1});
      expect(userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(userErrors[0].message).to.contain('sold out');
      expect(cart.lines.map((l) => l.variantId)).to.deep.equal([ids.teeS]);
      expect(cart.totalQuantity).to.equal(1);
    });

    it('more than is left: the store adds what is left, and says so', async () => {
      const {cart, userErrors} = await shopper().addToCart({productId: ids.mug, variantId: ids.mugDefault, quantity: 5});
      expect(userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(userErrors[0].message).to.contain('Only 3');
      expect(quantityOf(cart, ids.mugDefault)).to.equal(3);
    });

    it('a stock warning about another line does not refuse this add', async () => {
      const adapter = shopper();
      await adapter.addToCart({productId: ids.tee, variantId: ids.teeXl, quantity: 1}); // a sold-out line of 0
      const {userErrors} = await adapter.addToCart(tee());
      expect(userErrors).to.deep.equal([]);
    });

    it('updateLine: over the stock, over the quantity rule, an unknown line, a bad quantity', async () => {
      const adapter = shopper();
      const mugLine = (await adapter.addToCart({productId: ids.mug, variantId: ids.mugDefault, quantity: 1})).cart.lines[0];
      const capLine = (await adapter.addToCart({productId: ids.cap, variantId: ids.capDefault, quantity: 1})).cart.lines
        .find((l) => l.variantId === ids.capDefault)!;
      const overStock = await adapter.updateLine(mugLine.id, 9);
      expect(overStock.userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(quantityOf(overStock.cart, ids.mugDefault)).to.equal(3);
      const overRule = await adapter.updateLine(capLine.id, 5);
      expect(overRule.userErrors.map((e) => e.code)).to.deep.equal(['quantity-limit']);
      expect(quantityOf(overRule.cart, ids.capDefault)).to.equal(1);
      const unknown = await adapter.updateLine('gid://shopify/CartLine/nope', 1);
      expect(unknown.userErrors.map((e) => e.code)).to.deep.equal(['invalid-line']);
      expect(unknown.cart.totalQuantity).to.equal(4);
      const bad = await adapter.updateLine(mugLine.id, 1.5);
      expect(bad.userErrors.map((e) => e.code)).to.deep.equal(['invalid-quantity']);
    });

    it('a variant id that is not a GID, or a bad quantity, is refused without a call that could fail', async () => {
      const adapter = shopper();
      const notGid = await adapter.addToCart({productId: ids.tee, variantId: '8001', quantity: 1});
      expect(notGid.userErrors.map((e) => e.code)).to.deep.equal(['invalid-variant']);
      const zero = await adapter.addToCart(tee(0));
      expect(zero.userErrors.map((e) => e.code)).to.deep.equal(['invalid-quantity']);
      expect(zero.cart.totalQuantity).to.equal(0);
      expect(localStorage.getItem(STORAGE_KEY), 'no cart was made').to.equal(null);
    });
  });

  describe('checkout', () => {
    it("maps the cart's checkoutUrl (https) for kolkit's open-cart fallback", async () => {
      const {cart} = await shopper().addToCart(tee());
      expect(cart.checkoutUrl).to.match(/^https:\/\/kolkit-test\.myshopify\.com\/cart\/c\/\w+\?key=\w+$/);
    });
  });

  describe('fromAttributes', () => {
    const show = (attributes: Record<string, string>) => {
      const element = document.createElement('kol-show');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      return element;
    };

    it('reads endpoint, storefront-token, country and language', async () => {
      const adapter = fromAttributes(show({endpoint: ENDPOINT, 'storefront-token': STOREFRONT_TOKEN, country: 'US', language: 'FR'}));
      expect(adapter.name).to.equal('shopify-storefront');
      expect(adapter.cartScope).to.equal(`shopify-storefront:${ENDPOINT}`);
      const [product] = await adapter.getProducts([ids.tee]);
      expect([product.title, product.variants[0].price.currencyCode]).to.deep.equal(['T-shirt Croissant', 'USD']);
    });

    it('builds the endpoint from store-domain and api-version (default 2026-04)', () => {
      const token = {'storefront-token': STOREFRONT_TOKEN};
      expect(fromAttributes(show({'store-domain': 'kolkit-test.myshopify.com', ...token})).cartScope)
        .to.equal('shopify-storefront:https://kolkit-test.myshopify.com/api/2026-04/graphql.json');
      expect(fromAttributes(show({'store-domain': 'https://shop.example/', 'api-version': '2025-10', ...token})).cartScope)
        .to.equal('shopify-storefront:https://shop.example/api/2025-10/graphql.json');
    });
  });
});
