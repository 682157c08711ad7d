import {expect} from '@open-wc/testing';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {Cart, DealTerms, Money} from '../../src/adapters/types.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {runAdapterContract} from './contract.js';

const byId = (id: string) => catalog.find((p) => p.id === id)!;
const priceOf = (variantId: string): Money => catalog.flatMap((p) => p.variants).find((v) => v.id === variantId)!.price;

/** `amount × quantity` summed over `items`, worked out in whole cents so the test itself has no float drift. */
function cents(items: Array<[Money, number]>): string {
  const total = items.reduce((sum, [money, quantity]) => {
    const [whole, frac = ''] = money.amount.split('.');
    return sum + (Number(whole) * 100 + Number(frac.padEnd(2, '0'))) * quantity;
  }, 0);
  return `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`;
}

/** A catalog where one product has no stock limit, for adds of several units. */
function unlimited(): MemoryAdapter {
  const products = freshCatalog();
  delete products.find((p) => p.id === 'p-mug')!.variants[0].quantityAvailable;
  return new MemoryAdapter({products});
}

const add = (adapter: MemoryAdapter, productId: string, variantId: string, quantity = 1, deal?: DealTerms) =>
  adapter.addToCart({productId, variantId, quantity, ...(deal ? {deal} : {})});

describe('MemoryAdapter', () => {
  describe('products', () => {
    it('answers products from an array, in the order asked, leaving unknown ids out', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      const products = await adapter.getProducts(['p-mug', 'no-such-product', 'p-cap']);
      expect(products.map((p) => p.id)).to.deep.equal(['p-mug', 'p-cap']);
      expect(products[0]).to.deep.equal(byId('p-mug'));
      expect(await adapter.getProducts(['nothing', 'here'])).to.deep.equal([]);
    });

    it('loads products from a URL answering a JSON array', async () => {
      const adapter = new MemoryAdapter({products: '/test/fixtures/catalog.json'});
      const products = await adapter.getProducts(['p-tee', 'p-cap', 'unknown']);
      expect(products).to.deep.equal([byId('p-tee'), byId('p-cap')]);
    });

    it('loads products from a URL answering {products: [...]}', async () => {
      const body = JSON.stringify({products: [byId('p-mug')]});
      const url = URL.createObjectURL(new Blob([body], {type: 'application/json'}));
      try {
        const adapter = new MemoryAdapter({products: url});
        expect(await adapter.getProducts(['p-mug'])).to.deep.equal([byId('p-mug')]);
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('rejects with a message naming the URL when the catalog cannot be loaded', async () => {
      const url = '/test/fixtures/no-such-catalog.json';
      const adapter = new MemoryAdapter({products: url});
      let error: unknown;
      await adapter.getProducts(['p-cap']).catch((e) => (error = e));
      expect(error, 'getProducts should reject').to.be.instanceOf(Error);
      expect((error as Error).message).to.contain(url).and.to.contain('404');
    });

    it('rejects when the URL answers JSON that is not a list of products', async () => {
      const url = URL.createObjectURL(new Blob(['{"items": 3}'], {type: 'application/json'}));
      try {
        let error: unknown;
        await new MemoryAdapter({products: url}).getProducts(['p-cap']).catch((e) => (error = e));
        expect((error as Error)?.message).to.contain(url);
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('rejects getProducts and addToCart whose signal is already aborted, and changes nothing', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      const signal = AbortSignal.abort();
      let productsError: unknown;
      await adapter.getProducts(['p-cap'], {signal}).catch((e) => (productsError = e));
      expect((productsError as DOMException)?.name, 'getProducts').to.equal('AbortError');
      let addError: unknown;
      await adapter.addToCart({productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1}, {signal}).catch((e) => (addError = e));
      expect((addError as DOMException)?.name, 'addToCart').to.equal('AbortError');
      expect(await adapter.getCart()).to.equal(null);
    });

    it('rejects a catalog load aborted in flight, without failing another caller sharing the load', async () => {
      const adapter = new MemoryAdapter({products: '/test/fixtures/catalog.json'});
      const controller = new AbortController();
      const aborted = adapter.getProducts(['p-cap'], {signal: controller.signal});
      const other = adapter.getProducts(['p-mug']);
      controller.abort();
      let error: unknown;
      await aborted.catch((e) => (error = e));
      expect((error as DOMException)?.name).to.equal('AbortError');
      expect((await other).map((p) => p.id)).to.deep.equal(['p-mug']);
    });
  });

  describe('cart', () => {
    it('has no cart before the first add', async () => {
      expect(await new MemoryAdapter({products: freshCatalog()}).getCart()).to.equal(null);
    });

    it('adds lines and keeps an exact decimal subtotal (3 × 19.90 = 59.70, no float drift)', async () => {
      const adapter = unlimited();
      const {cart, userErrors} = await add(adapter, 'p-mug', 'p-mug-std', 3);
      expect(userErrors).to.deep.equal([]);
      expect(cart.totalQuantity).to.equal(3);
      expect(cart.subtotal).to.deep.equal({amount: cents([[priceOf('p-mug-std'), 3]]), currencyCode: 'EUR'});
      expect(cart.subtotal.amount).to.equal('59.70');
      expect(cart.lines).to.have.length(1);
      expect(cart.lines[0]).to.include({productId: 'p-mug', variantId: 'p-mug-std', quantity: 3});
      expect(cart.lines[0].price).to.deep.equal(priceOf('p-mug-std'));

      const second = await add(adapter, 'p-cap', 'p-cap-navy', 1);
      expect(second.cart.totalQuantity).to.equal(4);
      expect(second.cart.subtotal.amount).to.equal(cents([[priceOf('p-mug-std'), 3], [priceOf('p-cap-navy'), 1]]));
      expect(await adapter.getCart()).to.deep.equal(second.cart);
    });

    it('adds to the existing line of the same variant', async () => {
      const adapter = unlimited();
      await add(adapter, 'p-tee', 'p-tee-s');
      const {cart} = await add(adapter, 'p-tee', 'p-tee-s', 2);
      expect(cart.lines).to.have.length(1);
      expect(cart.lines[0].quantity).to.equal(3);
    });

    it('hands out snapshots: changing a returned cart does not change the store', async () => {
      const adapter = unlimited();
      const {cart} = await add(adapter, 'p-cap', 'p-cap-navy');
      cart.lines[0].quantity = 99;
      expect((await adapter.getCart())!.lines[0].quantity).to.equal(1);
    });

    it('refuses out-of-stock when an add would exceed quantityAvailable', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      const limit = byId('p-mug').variants[0].quantityAvailable!;
      const tooMany = await add(adapter, 'p-mug', 'p-mug-std', limit + 1);
      expect(tooMany.userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(tooMany.userErrors[0].message).to.not.equal('');
      for (let i = 0; i < limit; i++) expect((await add(adapter, 'p-mug', 'p-mug-std')).userErrors).to.deep.equal([]);
      const refused = await add(adapter, 'p-mug', 'p-mug-std');
      expect(refused.userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect(refused.cart.totalQuantity, 'the refused add changed the cart').to.equal(limit);
      expect((await adapter.getCart())!.totalQuantity).to.equal(limit);
    });

    it('refuses out-of-stock for a variant that is not available', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      for (const [productId, variantId] of [['p-gone', 'p-gone-std'], ['p-tee', 'p-tee-xl']]) {
        const {userErrors} = await add(adapter, productId, variantId);
        expect(userErrors.map((e) => e.code), variantId).to.deep.equal(['out-of-stock']);
      }
      expect(await adapter.getCart()).to.equal(null);
    });

    it('refuses invalid-variant for an unknown variant or product', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      expect((await add(adapter, 'p-cap', 'p-tee-s')).userErrors.map((e) => e.code)).to.deep.equal(['invalid-variant']);
      expect((await add(adapter, 'nope', 'nope-1')).userErrors.map((e) => e.code)).to.deep.equal(['invalid-variant']);
      expect(await adapter.getCart()).to.equal(null);
    });

    it('applies the deal price to the line, in a line separate from regular lines of the same variant', async () => {
      const adapter = unlimited();
      const deal: DealTerms = {id: 'deal-1', price: {amount: '12.35', currencyCode: 'EUR'}};
      await add(adapter, 'p-cap', 'p-cap-navy');
      const {cart, userErrors} = await add(adapter, 'p-cap', 'p-cap-navy', 2, deal);
      expect(userErrors).to.deep.equal([]);
      expect(cart.lines).to.have.length(2);
      const regular = cart.lines.find((l) => !l.attributes?._kol_deal)!;
      const onDeal = cart.lines.find((l) => l.attributes?._kol_deal === deal.id)!;
      expect(regular).to.include({quantity: 1});
      expect(regular.price).to.deep.equal(priceOf('p-cap-navy'));
      expect(onDeal).to.include({quantity: 2});
      expect(onDeal.price).to.deep.equal(deal.price);
      expect(cart.subtotal.amount).to.equal(cents([[priceOf('p-cap-navy'), 1], [deal.price, 2]]));
      // Another regular add joins the regular line, not the deal line.
      const after = await add(adapter, 'p-cap', 'p-cap-navy');
      expect(after.cart.lines.find((l) => l.id === regular.id)!.quantity).to.equal(2);
      expect(after.cart.lines.find((l) => l.id === onDeal.id)!.quantity).to.equal(2);
    });

    it('refuses quantity-limit beyond a deal\'s limitPerCustomer, counting only that deal\'s lines', async () => {
      const adapter = unlimited();
      const deal: DealTerms = {id: 'deal-1', price: {amount: '9.90', currencyCode: 'EUR'}, limitPerCustomer: 1};
      await add(adapter, 'p-cap', 'p-cap-navy', 2); // regular units do not count toward the deal limit
      expect((await add(adapter, 'p-cap', 'p-cap-navy', 1, deal)).userErrors).to.deep.equal([]);
      const refused = await add(adapter, 'p-cap', 'p-cap-navy', 1, deal);
      expect(refused.userErrors.map((e) => e.code)).to.deep.equal(['quantity-limit']);
      expect(refused.userErrors[0].message).to.contain('1');
      expect(refused.cart.totalQuantity).to.equal(3);
    });

    it('counts deal and regular units together against stock', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      const deal: DealTerms = {id: 'deal-mug', price: {amount: '9.90', currencyCode: 'EUR'}};
      await add(adapter, 'p-mug', 'p-mug-std', 1);
      await add(adapter, 'p-mug', 'p-mug-std', 1, deal);
      expect((await add(adapter, 'p-mug', 'p-mug-std', 1, deal)).userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
    });

    it('updateLine changes a quantity, and 0 removes the line', async () => {
      const adapter = unlimited();
      await add(adapter, 'p-cap', 'p-cap-navy');
      const {cart} = await add(adapter, 'p-mug', 'p-mug-std');
      const mug = cart.lines.find((l) => l.variantId === 'p-mug-std')!;
      const cap = cart.lines.find((l) => l.variantId === 'p-cap-navy')!;

      const three = await adapter.updateLine(mug.id, 3);
      expect(three.userErrors).to.deep.equal([]);
      expect(three.cart.totalQuantity).to.equal(4);
      expect(three.cart.subtotal.amount).to.equal(cents([[priceOf('p-cap-navy'), 1], [priceOf('p-mug-std'), 3]]));

      const removed = await adapter.updateLine(mug.id, 0);
      expect(removed.cart.lines.map((l) => l.id)).to.deep.equal([cap.id]);
      expect(removed.cart.totalQuantity).to.equal(1);
      expect(removed.cart.subtotal.amount).to.equal(cents([[priceOf('p-cap-navy'), 1]]));

      const gone = await adapter.updateLine(mug.id, 2);
      expect(gone.userErrors).to.have.length(1);
      expect(gone.cart.totalQuantity).to.equal(1);
    });

    it('updateLine refuses a quantity beyond the stock left', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog()});
      const {cart} = await add(adapter, 'p-mug', 'p-mug-std');
      const limit = byId('p-mug').variants[0].quantityAvailable!;
      const refused = await adapter.updateLine(cart.lines[0].id, limit + 1);
      expect(refused.userErrors.map((e) => e.code)).to.deep.equal(['out-of-stock']);
      expect((await adapter.getCart())!.totalQuantity).to.equal(1);
      expect((await adapter.updateLine(cart.lines[0].id, limit)).cart.totalQuantity).to.equal(limit);
    });

    it('tells subscribeCart listeners about every change until they unsubscribe', async () => {
      const adapter = unlimited();
      const heard: Cart[] = [];
      const unsubscribe = adapter.subscribeCart((cart) => heard.push(cart));
      const {cart} = await add(adapter, 'p-cap', 'p-cap-navy');
      await adapter.updateLine(cart.lines[0].id, 2);
      await add(adapter, 'p-gone', 'p-gone-std'); // refused: nothing changed, nothing to hear
      expect(heard.map((c) => c.totalQuantity)).to.deep.equal([1, 2]);
      unsubscribe();
      await add(adapter, 'p-cap', 'p-cap-navy');
      expect(heard).to.have.length(2);
    });

    it('still answers an add that succeeded when a subscribeCart listener throws (no reason to retry it)', async () => {
      const adapter = unlimited();
      const heard: number[] = [];
      adapter.subscribeCart(() => {
        throw new Error('a broken listener');
      });
      adapter.subscribeCart((cart) => heard.push(cart.totalQuantity));
      const logged: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => logged.push(args);
      let result;
      try {
        result = await add(adapter, 'p-cap', 'p-cap-navy');
      } finally {
        console.error = consoleError;
      }
      expect(result.cart.totalQuantity).to.equal(1);
      expect(heard, 'later listeners still hear the change').to.deep.equal([1]);
      expect(logged, 'the broken listener is reported').to.have.length(1);
    });

    it('openCart rejects without a checkoutUrl (the show reports cart-open-failed)', async () => {
      let error: unknown;
      await new MemoryAdapter({products: []}).openCart().catch((e) => (error = e));
      expect(error).to.be.instanceOf(Error);
    });

    it('puts the checkoutUrl on the cart', async () => {
      const adapter = new MemoryAdapter({products: freshCatalog(), checkoutUrl: '/checkout'});
      expect((await add(adapter, 'p-cap', 'p-cap-navy')).cart.checkoutUrl).to.equal('/checkout');
    });
  });
});

runAdapterContract('memory', () => ({
  newShopper: () => new MemoryAdapter({products: freshCatalog()}),
  product: {id: 'p-tee'},
  limited: {productId: 'p-mug', variantId: 'p-mug-std', stock: 2},
  overLimit: {
    productId: 'p-cap', variantId: 'p-cap-navy', quantity: 2,
    deal: {id: 'deal-contract', price: {amount: '19.00', currencyCode: 'EUR'}, limitPerCustomer: 1},
  },
  unknownProductId: 'p-none',
  invalidVariant: {productId: 'p-tee', variantId: 'p-tee-none', quantity: 1},
  unreachable: () => new MemoryAdapter({products: '/test/fixtures/no-such-catalog.json'}),
  lineAttributes: true,
}));
