/**
 * The `shopify-theme` adapter against the local Shopify storefront (demo/lib/shopify-ajax.mjs, mounted in the
 * test runner under /shopify/): the shared contract on the Ajax Cart API and on `Shopify.actions` (fake
 * actions in their documented shapes, served by the same store), then what only a theme page does —
 * partial adds, theme events both ways, deal codes, retried reads, adds that hang.
 */
import {expect, waitUntil} from '@open-wc/testing';
import {
  ShopifyThemeAdapter, fromAttributes, type ShopifyActions, type ShopifyThemeAdapterOptions, type StandardCart, type UpdateCartLine,
} from '../../src/adapters/shopify-theme/index.js';
import {productFromAjax} from '../../src/adapters/shopify-theme/mapping.js';
import type {AddToCartInput, Cart, DealTerms} from '../../src/adapters/types.js';
import {runAdapterContract, type ContractFixture} from './contract.js';
import {fakeShopifyActions, type FakeActions, type FakeActionsOptions} from '../fixtures/shopify-actions.js';
import {
  SHOP, SHOP_ROOT, resetShop, shopFault, shopRequests, themeAddsQuietly, themeChangesLine, untilShopSaw,
} from '../fixtures/shopify-store.js';
import {quantityOf} from '../fixtures/cart.js';

/** Nothing listens there: every call to it fails to connect. */
const UNREACHABLE_ROOT = 'http://127.0.0.1:9/shopify/';

type ShopifyWindow = {Shopify?: unknown};

/** Puts `window.Shopify` on the page as a theme would (routes, currency, and actions if given). */
function installShopify(actions?: FakeActions, root = SHOP_ROOT): void {
  (window as ShopifyWindow).Shopify = {routes: {root}, currency: {active: 'EUR'}, ...(actions ? {actions} : {})};
}

function uninstallShopify(): void {
  delete (window as ShopifyWindow).Shopify;
}

const contractBase: Omit<ContractFixture, 'newShopper' | 'unreachable'> = {
  product: {id: SHOP.cap.handle},
  limited: {productId: SHOP.mug.handle, variantId: SHOP.mug.variant, stock: SHOP.mug.stock},
  overLimit: {productId: SHOP.socks.handle, variantId: SHOP.socks.variant, quantity: SHOP.socks.max + 1},
  unknownProductId: 'no-such-product',
  invalidVariant: {productId: SHOP.cap.handle, variantId: '999999', quantity: 1},
  lineAttributes: true,
};

runAdapterContract('shopify-theme (Ajax Cart API)', () => ({
  ...contractBase,
  async newShopper() {
    await resetShop();
    return new ShopifyThemeAdapter({root: SHOP_ROOT, actions: null});
  },
  unreachable: () => new ShopifyThemeAdapter({root: UNREACHABLE_ROOT, actions: null}),
}));

runAdapterContract('shopify-theme (Shopify.actions)', () => ({
  ...contractBase,
  async newShopper() {
    await resetShop();
    installShopify(fakeShopifyActions(SHOP_ROOT)); // found on window.Shopify, as on a theme page
    return new ShopifyThemeAdapter();
  },
  cleanup: uninstallShopify,
  unreachable: () => new ShopifyThemeAdapter({root: UNREACHABLE_ROOT, actions: fakeShopifyActions(UNREACHABLE_ROOT)}),
}));


const cap = (quantity = 1, extra: Partial<AddToCartInput> = {}): AddToCartInput =>
  ({productId: SHOP.cap.handle, variantId: SHOP.cap.navy, quantity, ...extra});

const deal = (terms: Partial<DealTerms>): DealTerms => ({id: 'deal-7', price: {amount: '21.60', currencyCode: 'EUR'}, ...terms});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls to a cart listener, and a way to wait for the next one. */
function recorder() {
  const calls: Cart[] = [];
  let wake: (() => void) | undefined;
  return {
    calls,
    listener: (cart: Cart) => {
      calls.push(cart);
      wake?.();
    },
    /** Resolves with the next call's cart. */
    next: () => new Promise<Cart>((resolve) => {
      const count = calls.length;
      wake = () => {
        if (calls.length > count) resolve(calls[count]);
      };
    }),
  };
}

/** The events kolkit dispatches for the theme, as a theme listening on `<html>` and `document` sees them. */
function themeEar() {
  const heard: Array<{type: string; detail: any; bubbles: boolean}> = [];
  const onEvent = (event: Event) => heard.push({type: event.type, detail: (event as CustomEvent).detail, bubbles: event.bubbles});
  const types = ['cart:refresh', 'cart:build', 'cart:update', 'shopify:cart:lines-update'];
  for (const type of types) document.addEventListener(type, onEvent);
  return {heard, stop: () => types.forEach((type) => document.removeEventListener(type, onEvent))};
}

describe('ShopifyThemeAdapter', () => {
  let adapter: ShopifyThemeAdapter | undefined;
  const shopper = (options: ShopifyThemeAdapterOptions = {}) => (adapter = new ShopifyThemeAdapter({root: SHOP_ROOT, actions: null, ...options}));
  const withActions = (options: FakeActionsOptions = {}) => {
    const actions = fakeShopifyActions(SHOP_ROOT, options);
    installShopify(actions);
    return {actions, adapter: (adapter = new ShopifyThemeAdapter())};
  };

  beforeEach(resetShop);
  afterEach(() => {
    adapter?.dispose();
    adapter = undefined;
    uninstallShopify();
  });

  describe('products', () => {
    it('reads a product by handle: prices from cents, the compare-at price, the image, the description as text', async () => {
      installShopify();
      const [product] = await shopper().getProducts([SHOP.cap.handle]);
      expect(product).to.deep.equal({
        id: 'lune-cap',
        title: 'Lune Cap',
        url: new URL('/shopify/products/lune-cap', location.href).href,
        image: {url: '/demo/img/cap.svg', alt: 'Lune Cap', width: 320, height: 320},
        variants: [
          {id: '47001', title: 'Navy', price: {amount: '24.00', currencyCode: 'EUR'}, compareAtPrice: {amount: '30.00', currencyCode: 'EUR'}, available: true},
          {id: '47002', title: 'Sand', price: {amount: '24.00', currencyCode: 'EUR'}, compareAtPrice: {amount: '30.00', currencyCode: 'EUR'}, available: true},
        ],
        description: 'Washed cotton twill, adjustable strap & an embroidered crescent.',
      });
      expect(await shopRequests(), 'the storefront currency is enough: no cart is made for a product read').to.deep.equal(['GET /products/lune-cap.js']);
    });

    it('marks a sold-out variant unavailable, and takes the currency from the cart without Shopify.currency', async () => {
      const [tee] = await shopper().getProducts([SHOP.tee.handle]);
      expect(tee.variants.map((v) => [v.id, v.available, v.price.currencyCode])).to.deep.equal([
        ['47011', true, 'EUR'], ['47012', true, 'EUR'], ['47013', false, 'EUR'],
      ]);
    });

    it("loads Shopify's protocol-relative CDN images over https", () => {
      const product = productFromAjax({
        id: 1, handle: 'cdn-cap', title: 'CDN Cap', featured_image: '//cdn.shopify.com/s/files/1/0001/cap.png',
        variants: [{id: 2, title: 'Default Title', price: 1000, compare_at_price: null, available: true}],
      }, 'cdn-cap', 'EUR', new URL(SHOP_ROOT, location.href).href);
      expect(product.image?.url).to.equal('https://cdn.shopify.com/s/files/1/0001/cap.png');
    });

    it('drops a javascript: image and every bit of markup and script from hostile product data', async () => {
      const [bag] = await shopper().getProducts([SHOP.evil.handle]);
      expect(bag.image).to.equal(undefined);
      expect(bag.description).to.equal('A bag for everything.');
    });
  });

  describe('adds on the Ajax Cart API', () => {
    it('a partial add (5 asked, 3 left) answers the re-read cart holding 3, and the 422\'s reason as out-of-stock', async () => {
      const {cart, userErrors} = await shopper().addToCart({productId: SHOP.mug.handle, variantId: SHOP.mug.variant, quantity: 5});
      expect(userErrors).to.deep.equal([{code: 'out-of-stock', message: 'Only 3 items were added to your cart.'}]);
      expect(quantityOf(cart, SHOP.mug.variant)).to.equal(3);
      expect(cart.totalQuantity).to.equal(3);
      expect(cart.subtotal).to.deep.equal({amount: '59.70', currencyCode: 'EUR'});
      expect(await shopRequests(), 'sent once, then the cart re-read').to.deep.equal(['POST /cart/add.js', 'GET /cart.js']);

      const again = await adapter!.addToCart({productId: SHOP.mug.handle, variantId: SHOP.mug.variant, quantity: 1});
      expect(again.userErrors).to.deep.equal([{code: 'quantity-limit', message: 'The maximum quantity of this item is already in your cart.'}]);
      expect(quantityOf(again.cart, SHOP.mug.variant)).to.equal(3);
    });

    it('a sold-out variant is refused as out-of-stock with Shopify\'s reason', async () => {
      const {cart, userErrors} = await shopper().addToCart({productId: SHOP.tee.handle, variantId: SHOP.tee.soldOut, quantity: 1});
      expect(userErrors).to.deep.equal([{code: 'out-of-stock', message: "The product 'Crescent Tee - XL' is already sold out."}]);
      expect(cart.totalQuantity).to.equal(0);
    });

    it('credits the host on the cart (a cart attribute through update.js), keeping the cart\'s other attributes', async () => {
      const adapter = shopper();
      await adapter.addToCart(cap(1));
      await adapter.setCartAttributes({gift: 'yes'});
      const {cart, userErrors} = await adapter.setCartAttributes({_kol_ref: 'host-7'});
      expect(userErrors).to.deep.equal([]);
      expect(cart.attributes).to.deep.equal({gift: 'yes', _kol_ref: 'host-7'});
      expect((await shopper().getCart())!.attributes).to.deep.equal({gift: 'yes', _kol_ref: 'host-7'});
    });

    it('sends the attributes as line properties, and tells the theme\'s cart UI with the de-facto events', async () => {
      const ear = themeEar();
      try {
        const {cart} = await shopper().addToCart(cap(2, {attributes: {_kol_show: 'show-1', _kol_ref: 'host-7'}}));
        expect(cart.lines).to.have.length(1);
        expect(cart.lines[0]).to.deep.include({productId: 'lune-cap', variantId: '47001', title: 'Lune Cap - Navy', quantity: 2});
        expect(cart.lines[0].attributes).to.deep.equal({_kol_show: 'show-1', _kol_ref: 'host-7'});
        expect(cart.lines[0].id, 'the Ajax line key').to.match(/^47001:/);
        expect(ear.heard.map((e) => e.type)).to.deep.equal(['cart:refresh', 'cart:build', 'cart:update']);
        expect(ear.heard.every((e) => e.bubbles && e.detail.sourceId === 'kolkit')).to.equal(true);
        const update = ear.heard.find((e) => e.type === 'cart:update')!;
        expect(update.detail.resource.item_count, "Horizon's detail.resource: the cart").to.equal(2);
        expect(update.detail.data).to.deep.equal({source: 'kolkit', itemCount: 2});
      } finally {
        ear.stop();
      }
    });

    it('refuses a bad quantity or variant id before sending anything', async () => {
      const zero = await shopper().addToCart(cap(0));
      expect(zero.userErrors.map((e) => e.code)).to.deep.equal(['invalid-quantity']);
      const named = await adapter!.addToCart({...cap(), variantId: 'navy'});
      expect(named.userErrors.map((e) => e.code)).to.deep.equal(['invalid-variant']);
      expect((await shopRequests()).filter((r) => r.startsWith('POST'))).to.deep.equal([]);
    });

    it('updateLine sets a line by its key; more than the stock keeps what is left and says why', async () => {
      const {cart} = await shopper().addToCart({productId: SHOP.mug.handle, variantId: SHOP.mug.variant, quantity: 2});
      const {cart: after, userErrors} = await adapter!.updateLine(cart.lines[0].id, 5);
      expect(userErrors).to.deep.equal([{code: 'out-of-stock', message: 'Only 3 items were added to your cart.'}]);
      expect(quantityOf(after, SHOP.mug.variant)).to.equal(3);
      const gone = await adapter!.updateLine('47021:no-such-line', 1);
      expect(gone.userErrors.map((e) => e.code)).to.deep.equal(['invalid-line']);
    });
  });

  describe('deals', () => {
    it("applies the deal's code with update.js, keeps the deal id on the line, and the subtotal shows the discount", async () => {
      const {cart, userErrors} = await shopper().addToCart(cap(2, {attributes: {_kol_show: 'show-1'}, deal: deal({code: 'LIVE10'})}));
      expect(userErrors).to.deep.equal([]);
      expect(cart.lines[0].attributes).to.deep.equal({_kol_show: 'show-1', _kol_deal: 'deal-7'});
      expect(cart.subtotal, '48.00 less 10%').to.deep.equal({amount: '43.20', currencyCode: 'EUR'});
      expect(await shopRequests()).to.deep.equal(['POST /cart/add.js', 'GET /cart.js', 'POST /cart/update.js']);
    });

    it("keeps the cart's other codes, and says so when the deal's code does not apply (the item stays added)", async () => {
      await shopper().addToCart(cap(1, {deal: deal({code: 'LIVE10'})}));
      const {cart, userErrors} = await adapter!.addToCart(cap(1, {deal: deal({id: 'deal-8', code: 'SPRING'})}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(userErrors[0].message).to.contain('SPRING');
      expect(quantityOf(cart, SHOP.cap.navy)).to.equal(2);
      const codes = (await (await fetch(`${SHOP_ROOT}cart.js`)).json()).discount_codes;
      expect(codes).to.deep.equal([{code: 'LIVE10', applicable: true}, {code: 'SPRING', applicable: false}]);
    });

    for (const path of ['Ajax', 'actions'] as const) {
      it(`the caller aborts while update.js hangs: the add resolves with its cart and deal-code-not-applied (${path})`, async () => {
        const shop = path === 'Ajax' ? shopper() : withActions().adapter;
        await shopFault({path: '/cart/update.js', mode: 'hang'});
        const controller = new AbortController();
        const adding = shop.addToCart(cap(2, {deal: deal({code: 'LIVE10'})}), {signal: controller.signal});
        await untilShopSaw('POST /cart/update.js'); // the add is made; the code step hangs
        controller.abort();
        const {cart, userErrors} = await adding;
        expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
        expect(userErrors[0].message).to.contain('LIVE10');
        expect(quantityOf(cart, SHOP.cap.navy), "the add's cart").to.equal(2);
        expect(cart.subtotal.amount, 'no discount').to.equal('48.00');
        expect((await shopRequests()).filter((r) => r === 'POST /cart/add.js'), 'added once').to.have.length(1);
      });
    }

    it('update.js failing (503): deal-code-not-applied, and the item stays added', async () => {
      await shopFault({path: '/cart/update.js', mode: 'status', status: 503});
      const {cart, userErrors} = await shopper().addToCart(cap(1, {deal: deal({code: 'LIVE10'})}));
      expect(userErrors.map((e) => e.code)).to.deep.equal(['deal-code-not-applied']);
      expect(quantityOf(cart, SHOP.cap.navy)).to.equal(1);
    });

    it('refuses past the per-customer limit before sending the add', async () => {
      const limited = deal({limitPerCustomer: 2});
      expect((await shopper().addToCart(cap(2, {deal: limited}))).userErrors).to.deep.equal([]);
      const {cart, userErrors} = await adapter!.addToCart(cap(1, {deal: limited}));
      expect(userErrors).to.deep.equal([{code: 'quantity-limit', message: 'This deal is limited to 2 per customer.'}]);
      expect(quantityOf(cart, SHOP.cap.navy)).to.equal(2);
      expect((await shopRequests()).filter((r) => r === 'POST /cart/add.js')).to.have.length(1);
    });
  });

  describe('the Shopify.actions path', () => {
    it('adds through updateCart with the variant GID and the attributes, and leaves the theme events to the theme', async () => {
      const {actions, adapter} = withActions();
      const ear = themeEar();
      try {
        const {cart, userErrors} = await adapter.addToCart(cap(2, {attributes: {_kol_show: 'show-1'}}));
        expect(userErrors).to.deep.equal([]);
        expect(actions.updates).to.deep.equal([[{merchandiseId: 'gid://shopify/ProductVariant/47001', quantity: 2, attributes: [{key: '_kol_show', value: 'show-1'}]}]]);
        expect(cart.lines[0]).to.deep.include({productId: 'lune-cap', variantId: '47001', quantity: 2, price: {amount: '24.00', currencyCode: 'EUR'}});
        expect(cart.lines[0].id).to.match(/^gid:\/\/shopify\/CartLine\//);
        expect(cart.subtotal).to.deep.equal({amount: '48.00', currencyCode: 'EUR'});
        expect(ear.heard.map((e) => e.type), "only the action's own standard event").to.deep.equal(['shopify:cart:lines-update']);
      } finally {
        ear.stop();
      }
    });

    it('a partial add comes back as the cart holding what was left, and the stock warning as out-of-stock', async () => {
      const {adapter} = withActions();
      const {cart, userErrors} = await adapter.addToCart({productId: SHOP.mug.handle, variantId: SHOP.mug.variant, quantity: 5});
      expect(userErrors).to.deep.equal([{code: 'out-of-stock', message: 'Only 3 items were added to your cart.'}]);
      expect(quantityOf(cart, SHOP.mug.variant)).to.equal(3);
    });

    it("applies a deal's code through update.js and tells the theme, since the action did not carry it", async () => {
      const {adapter} = withActions();
      const ear = themeEar();
      try {
        const {cart, userErrors} = await adapter.addToCart(cap(2, {deal: deal({code: 'LIVE10'})}));
        expect(userErrors).to.deep.equal([]);
        expect(cart.subtotal).to.deep.equal({amount: '43.20', currencyCode: 'EUR'});
        expect(ear.heard.map((e) => e.type)).to.deep.equal(['shopify:cart:lines-update', 'cart:refresh', 'cart:build', 'cart:update']);
      } finally {
        ear.stop();
      }
    });

    it('finds product handles in cart.js when the action\'s cart lines do not carry them', async () => {
      const {adapter} = withActions({withHandles: false});
      const {cart} = await adapter.addToCart(cap(1));
      expect(cart.lines.map((l) => l.productId)).to.deep.equal(['lune-cap']);
    });

    it("a change waits for the theme's updateCart still running after an aborted one (it ignores the signal)", async () => {
      const fake = fakeShopifyActions(SHOP_ROOT);
      const log: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slowTheme: ShopifyActions = {
        ...fake,
        updateCart: Object.assign(async (payload: {lines: UpdateCartLine[]}) => {
          const call = log.filter((entry) => entry.startsWith('start')).length + 1;
          log.push(`start ${call}`);
          if (call === 1) await gate; // the theme's first update is slow, and cannot be cancelled
          const result = await fake.updateCart(payload); // no signal: the theme ignores it
          log.push(`end ${call}`);
          return result;
        }, {isDefault: () => false}),
      };
      const adapter = shopper({actions: slowTheme});
      const controller = new AbortController();
      const first = adapter.addToCart(cap(1), {signal: controller.signal});
      while (!log.length) await sleep(10);
      controller.abort();
      expect(((await first.then(() => null, (e: unknown) => e)) as Error)?.name, 'the caller stops waiting').to.equal('AbortError');
      const second = adapter.addToCart(cap(1));
      await sleep(200); // time for a second update to start, were it not queued
      expect(log, 'the second change has not started').to.deep.equal(['start 1']);
      release();
      const {cart} = await second;
      expect(log).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2']);
      expect(quantityOf(cart, SHOP.cap.navy), 'both adds, one after the other').to.equal(2);
    });

    it("a cart from the theme's getCart that has no lines rejects with a clear message, not a TypeError", async () => {
      const fake = fakeShopifyActions(SHOP_ROOT);
      const broken: ShopifyActions = {...fake, getCart: async () => ({cart: {id: 'gid://shopify/Cart/x'} as StandardCart})};
      const error = await shopper({actions: broken}).getCart().then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(Error).and.not.to.be.instanceOf(TypeError);
      expect((error as Error).message).to.contain('Shopify.actions.getCart');
    });

    it("uses the Ajax API when the theme left Shopify's default updateCart (it may reload the page), unless told to", async () => {
      const {actions, adapter} = withActions({configured: false});
      const {cart} = await adapter.addToCart(cap(1));
      expect(actions.updates).to.deep.equal([]);
      expect(cart.lines[0].id).to.match(/^47001:/);
      const opted = new ShopifyThemeAdapter({useDefaultActions: true});
      await opted.addToCart(cap(1));
      expect(actions.updates).to.have.length(1);
    });
  });

  describe('changes made by the theme reach subscribeCart', () => {
    it('a theme quantity change with its cart:update event, but never an echo of kolkit\'s own events', async () => {
      const heard = recorder();
      shopper().subscribeCart(heard.listener);
      const {cart} = await adapter!.addToCart(cap(1));
      await sleep(500); // longer than the debounce: an echo of kolkit's own events would have been heard by now
      const next = heard.next();
      await themeChangesLine(cart.lines[0].id, 4);
      const changed = await next;
      expect(quantityOf(changed, SHOP.cap.navy)).to.equal(4);
      expect(heard.calls, 'only the theme change').to.have.length(1);
    });

    it("another app's updateCart: the standard event's promise settles, then the cart is read", async () => {
      const {actions, adapter} = withActions();
      const heard = recorder();
      adapter.subscribeCart(heard.listener);
      const next = heard.next();
      await actions.updateCart({lines: [{merchandiseId: 'gid://shopify/ProductVariant/47011', quantity: 2}]});
      const changed = await next;
      expect(quantityOf(changed, SHOP.tee.small)).to.equal(2);
      expect(changed.lines[0].productId).to.equal('crescent-tee');
    });

    it('stops hearing after the last unsubscribe', async () => {
      const heard = recorder();
      const stop = shopper().subscribeCart(heard.listener);
      const next = heard.next();
      await themeAddsQuietly(SHOP.cap.sand, 1);
      document.documentElement.dispatchEvent(new CustomEvent('cart:refresh', {bubbles: true}));
      expect(quantityOf(await next, SHOP.cap.sand)).to.equal(1);
      stop();
      await themeAddsQuietly(SHOP.cap.sand, 1);
      document.documentElement.dispatchEvent(new CustomEvent('cart:refresh', {bubbles: true}));
      await sleep(500);
      expect(heard.calls).to.have.length(1);
    });
  });

  describe('failures', () => {
    it('retries a read answered 429 after its Retry-After', async () => {
      await shopFault({path: '/cart.js', mode: 'status', status: 429, retryAfter: 1});
      await shopFault({path: '/products/lune-cap.js', mode: 'status', status: 429, retryAfter: 1});
      installShopify();
      const [cart, products] = await Promise.all([shopper().getCart(), adapter!.getProducts([SHOP.cap.handle])]);
      expect(cart?.totalQuantity).to.equal(0);
      expect(products.map((p) => p.id)).to.deep.equal(['lune-cap']);
      const requests = await shopRequests();
      expect(requests.filter((r) => r === 'GET /cart.js')).to.have.length(2);
      expect(requests.filter((r) => r === 'GET /products/lune-cap.js')).to.have.length(2);
    });

    it('never resends an add the store answered 503: the call rejects and the store saw one add', async () => {
      await shopFault({path: '/cart/add.js', mode: 'status', status: 503});
      const error = await shopper().addToCart(cap(1)).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(Error);
      expect((await shopRequests()).filter((r) => r === 'POST /cart/add.js')).to.have.length(1);
    });

    for (const path of ['Ajax', 'actions'] as const) {
      it(`an add that hangs after it applied rejects when its signal aborts, and is not sent again (${path})`, async () => {
        const shop = path === 'Ajax' ? shopper() : withActions().adapter;
        await shop.getCart(); // a theme page has its cart cookie before anyone adds (the hung answer never sets it)
        await shopFault({path: '/cart/add.js', mode: 'apply-then-hang'});
        const controller = new AbortController();
        const adding = shop.addToCart(cap(1), {signal: controller.signal});
        await untilShopSaw('POST /cart/add.js');
        controller.abort();
        const error = await adding.then(() => null, (e: unknown) => e);
        expect((error as Error)?.name).to.equal('AbortError');
        expect(quantityOf(await shop.getCart(), SHOP.cap.navy), 'the store made the add once').to.equal(1);
        expect((await shopRequests()).filter((r) => r === 'POST /cart/add.js')).to.have.length(1);
      });
    }

    it('an add that hangs before it applied rejects on abort, and the cart is unchanged', async () => {
      await shopFault({path: '/cart/add.js', mode: 'hang'});
      const controller = new AbortController();
      const adding = shopper().addToCart(cap(1), {signal: controller.signal});
      await untilShopSaw('POST /cart/add.js');
      controller.abort();
      expect(((await adding.then(() => null, (e: unknown) => e)) as Error)?.name).to.equal('AbortError');
      expect((await adapter!.getCart())?.totalQuantity).to.equal(0);
      const next = await adapter!.addToCart(cap(1));
      expect(next.cart.totalQuantity, 'the next add is not stuck behind the aborted one').to.equal(1);
    });
  });

  describe('open cart, options', () => {
    it("opens the theme's cart with Shopify.actions.openCart, else goes to the cart page", async () => {
      const visited: string[] = [];
      await shopper({navigate: (url) => visited.push(url)}).openCart();
      expect(visited).to.deep.equal([new URL('/shopify/cart', location.href).href]);
      const {actions, adapter: themed} = withActions();
      await themed.openCart();
      expect(actions.opened).to.equal(1);
    });

    it('takes its root from the root attribute, else Shopify.routes.root; its cart scope is the origin', () => {
      const show = document.createElement('kol-show');
      show.setAttribute('root', '/shopify/');
      const fromShow = fromAttributes(show);
      expect(fromShow.root).to.equal(new URL('/shopify/', location.href).href);
      // Shopify's cart cookie covers the whole origin: a /fr/ tab and a / tab hold the same cart.
      expect(fromShow.cartScope).to.equal(`shopify-theme:${location.origin}`);
      installShopify(undefined, '/fr');
      const french = fromAttributes(document.createElement('kol-show'));
      expect(french.root).to.equal(new URL('/fr/', location.href).href);
      expect(french.cartScope).to.equal(new ShopifyThemeAdapter({root: '/'}).cartScope);
      uninstallShopify();
      expect(new ShopifyThemeAdapter().root).to.equal(new URL('/', location.href).href);
      expect(new ShopifyThemeAdapter({root: 'javascript:alert(1)//'}).root, 'never a script URL').to.equal(new URL('/', location.href).href);
    });
  });

  // Last: the pub/sub's globals, once declared, stay on this test page.
  describe("Dawn's pub/sub and the Section Rendering API", () => {
    type Published = {source?: string; cartData?: {item_count?: number}};
    const dawn = window as unknown as {
      subscribe(name: string, callback: (data: Published) => unknown): () => void;
      publish(name: string, data: Published): Promise<unknown>;
    };
    let published: Published[];
    let unsubscribe: (() => void) | undefined;
    let placed: Element[] = [];
    /** Puts markup on the page as the theme's header would have it. */
    const place = (html: string) => {
      const template = document.createElement('template');
      template.innerHTML = html;
      placed.push(...template.content.children);
      document.body.append(template.content);
    };

    before(async () => {
      // The demo's Dawn-like theme declares them as Dawn does: classic scripts, PUB_SUB_EVENTS a top-level const.
      for (const name of ['constants.js', 'pubsub.js']) {
        const script = document.createElement('script');
        script.src = `/demo/shopify-theme/dawn/${name}`;
        const loaded = new Promise((resolve, reject) => {
          script.addEventListener('load', resolve);
          script.addEventListener('error', reject);
        });
        document.head.append(script);
        await loaded;
      }
      expect('PUB_SUB_EVENTS' in window, 'a lexical binding, not a property of window').to.equal(false);
    });
    beforeEach(() => {
      published = [];
      unsubscribe = dawn.subscribe('cart-update', (data) => void published.push(data));
    });
    afterEach(() => {
      unsubscribe?.();
      placed.forEach((element) => element.remove());
      placed = [];
    });

    it("publishes each change once as kolkit with the cart.js answer, and never hears its own back", async () => {
      const heard = recorder();
      shopper().subscribeCart(heard.listener);
      const {cart} = await adapter!.addToCart(cap(2));
      await adapter!.updateLine(cart.lines[0].id, 1);
      expect(published.map((event) => [event.source, event.cartData?.item_count])).to.deep.equal([['kolkit', 2], ['kolkit', 1]]);
      await sleep(500); // longer than the debounce: a re-read of kolkit's own publish would have been heard by now
      expect(heard.calls, 'no re-read of its own changes').to.have.length(0);
      expect((await shopRequests()).filter((r) => r === 'GET /cart.js'), 'only the reads of the add').to.have.length(1);
    });

    it("hears the theme's cartUpdate (any other source): one re-read, and the cart it reads", async () => {
      const heard = recorder();
      shopper().subscribeCart(heard.listener);
      const next = heard.next();
      await themeAddsQuietly(SHOP.cap.sand, 3);
      await dawn.publish('cart-update', {source: 'product-form', cartData: {item_count: 3}});
      expect(quantityOf(await next, SHOP.cap.sand)).to.equal(3);
      expect((await shopRequests()).filter((r) => r === 'GET /cart.js')).to.have.length(1);
    });

    it("re-renders #cart-icon-bubble from one ?sections= request, and asks for no section that is not on the page", async () => {
      place('<a id="cart-icon-bubble" href="/shopify/cart"><span class="visually-hidden">Cart</span></a>');
      const bubble = document.getElementById('cart-icon-bubble')!;
      await shopper({cartSections: [{id: 'cart-icon-bubble'}, {id: 'cart-drawer', selector: '#CartDrawer'}]}).addToCart(cap(2));
      await waitUntil(() => bubble.querySelector('.cart-count-bubble'), 'the bubble was never re-rendered');
      expect(bubble.querySelector('.cart-count-bubble [aria-hidden]')!.textContent).to.equal('2');
      expect(bubble.isConnected && document.getElementById('cart-icon-bubble'), 'the same element, its content replaced').to.equal(bubble);
      expect((await shopRequests()).filter((r) => r.includes('sections'))).to.deep.equal(['GET /?sections=cart-icon-bubble']);
    });

    it('re-renders the sections the show\'s cart-sections attribute names, and none when it is blank', async () => {
      place('<span id="cart-icon-bubble">as it was</span><div id="kol-test-drawer"><div id="cart-drawer">as it was</div></div>');
      const show = document.createElement('kol-show');
      show.setAttribute('root', SHOP_ROOT);
      show.setAttribute('cart-sections', 'cart-drawer');
      adapter = fromAttributes(show);
      await adapter.addToCart(cap(1));
      await waitUntil(() => document.getElementById('cart-drawer')!.textContent!.includes('Lune Cap - Navy'), 'the drawer section was never re-rendered');
      expect(document.getElementById('cart-icon-bubble')!.textContent, 'not named: left alone').to.equal('as it was');
      adapter.dispose();

      show.setAttribute('cart-sections', '');
      adapter = fromAttributes(show);
      await adapter.addToCart(cap(1));
      expect(published.map((event) => event.cartData?.item_count), 'each add published').to.deep.equal([1, 2]);
      expect((await shopRequests()).filter((r) => r.includes('sections'))).to.deep.equal(['GET /?sections=cart-drawer']);
    });
  });
});
