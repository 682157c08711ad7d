/**
 * The commerce adapter contract: one suite every adapter passes (memory, shopify-storefront, shopify-theme,
 * vendure — and yours). It drives the adapter as kolkit does and checks what a shopper would notice:
 * the right product and price, a cart that adds up, refusals that say why, aborts honoured, and a
 * rejected promise only when the backend cannot be reached.
 *
 * Use it from a test file run by @web/test-runner (mocha):
 *
 *   runAdapterContract('my-backend', async () => ({newShopper: async () => new MyAdapter(...), ...}));
 *
 * docs/adapters.md explains each fixture field.
 */
import {expect} from '@open-wc/testing';
import type {AddToCartInput, Cart, CommerceAdapter, Money} from '../../src/adapters/types.js';

/** What the contract needs to know about a backend. */
export interface ContractFixture {
  /** A new adapter for a new shopper: no cart yet, or an empty one. Called before each test. */
  newShopper(): Promise<CommerceAdapter> | CommerceAdapter;
  /** Runs after each test (dispose, reset the backend). */
  cleanup?(): Promise<void> | void;
  /** A product with at least two available variants. */
  product: {id: string};
  /** A variant of which only `stock` (≥ 1) can be bought. */
  limited: {productId: string; variantId: string; stock: number};
  /** An add the backend refuses for a quantity limit (a `quantity-limit` userError). */
  overLimit: AddToCartInput;
  /** A product id the backend does not know. */
  unknownProductId: string;
  /** An add naming a variant that does not exist (an `invalid-variant` userError). */
  invalidVariant: AddToCartInput;
  /** An adapter whose backend cannot be reached: its product and cart calls reject. */
  unreachable(): CommerceAdapter;
  /** True when cart lines keep the attributes given on add (show, deal, host/affiliate ids). */
  lineAttributes: boolean;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function expectMoney(money: Money, what: string): void {
  expect(money.amount, `${what}: amount is a decimal string`).to.be.a('string').and.match(DECIMAL);
  expect(money.currencyCode, `${what}: ISO 4217 currency`).to.match(/^[A-Z]{3}$/);
}

/** Quantity of `variantId` over every line of `cart`. */
function quantityOf(cart: Cart | null, variantId: string): number {
  return (cart?.lines ?? []).filter((l) => l.variantId === variantId).reduce((n, l) => n + l.quantity, 0);
}

/** A cart's totalQuantity, with no cart counting as 0. */
const total = (cart: Cart | null) => cart?.totalQuantity ?? 0;

/** Sum of the lines' quantities: a cart whose lines and total disagree lies to the shopper. */
function expectConsistent(cart: Cart): void {
  expect(cart.lines.reduce((n, l) => n + l.quantity, 0), 'totalQuantity equals the lines').to.equal(cart.totalQuantity);
  expectMoney(cart.subtotal, 'cart subtotal');
  for (const line of cart.lines) {
    expect(line.quantity, 'a line holds at least one item').to.be.greaterThan(0);
    expectMoney(line.price, `line ${line.id} price`);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

/** Registers the contract suite for one adapter. */
export function runAdapterContract(name: string, setup: () => ContractFixture | Promise<ContractFixture>): void {
  describe(`adapter contract: ${name}`, function () {
    this.timeout(30_000);
    let fixture: ContractFixture;
    let adapter: CommerceAdapter;
    /** Two available variants of the fixture product, as the backend describes them. */
    let variants: Array<{id: string; price: Money}>;

    before(async () => {
      fixture = await setup();
      const [product] = await (await fixture.newShopper()).getProducts([fixture.product.id]);
      variants = (product?.variants ?? []).filter((v) => v.available).slice(0, 2);
    });

    beforeEach(async () => {
      adapter = await fixture.newShopper();
    });

    afterEach(async () => {
      adapter.dispose?.();
      await fixture.cleanup?.();
    });

    const line = (variantId: string, quantity = 1): AddToCartInput => ({productId: fixture.product.id, variantId, quantity});

    describe('products', () => {
      it('answers a product by id with its variants and prices as decimal strings', async () => {
        const products = await adapter.getProducts([fixture.product.id]);
        expect(products.map((p) => p.id)).to.deep.equal([fixture.product.id]);
        const [product] = products;
        expect(product.title, 'a title to show').to.be.a('string').and.not.be.empty;
        expect(product.variants.filter((v) => v.available).length, 'two available variants').to.be.at.least(2);
        for (const variant of product.variants) {
          expect(variant.id).to.be.a('string').and.not.be.empty;
          expectMoney(variant.price, `variant ${variant.id}`);
          if (variant.compareAtPrice) expectMoney(variant.compareAtPrice, `variant ${variant.id} compare-at`);
        }
        if (product.image) expect(product.image.url, 'image URL').to.match(/^(https:|\/)/);
      });

      it('leaves unknown ids out instead of failing', async () => {
        const products = await adapter.getProducts([fixture.unknownProductId, fixture.product.id]);
        expect(products.map((p) => p.id)).to.deep.equal([fixture.product.id]);
        expect(await adapter.getProducts([fixture.unknownProductId])).to.deep.equal([]);
      });
    });

    describe('cart', () => {
      it('has no items for a new shopper', async () => {
        expect(total(await adapter.getCart())).to.equal(0);
      });

      it('adds a line, with the price and the count the shopper expects, and reads it back', async () => {
        const [a] = variants;
        const result = await adapter.addToCart(line(a.id, 2));
        expect(result.userErrors).to.deep.equal([]);
        expect(quantityOf(result.cart, a.id)).to.equal(2);
        expect(result.cart.totalQuantity).to.equal(2);
        expectConsistent(result.cart);
        const added = result.cart.lines.find((l) => l.variantId === a.id)!;
        expect(added.productId).to.equal(fixture.product.id);
        expect(added.title, 'a line title to show').to.be.a('string').and.not.be.empty;
        expect(result.cart.subtotal.currencyCode).to.equal(a.price.currencyCode);
        expect(Number(result.cart.subtotal.amount)).to.be.closeTo(Number(a.price.amount) * 2, 0.005);
        const read = await adapter.getCart();
        expect(read?.id).to.equal(result.cart.id);
        expect(quantityOf(read, a.id)).to.equal(2);
        expect(total(read)).to.equal(2);
      });

      it('adds up across adds of the same and another variant', async () => {
        const [a, b] = variants;
        await adapter.addToCart(line(a.id));
        await adapter.addToCart(line(b.id, 2));
        const {cart, userErrors} = await adapter.addToCart(line(a.id));
        expect(userErrors).to.deep.equal([]);
        expect(quantityOf(cart, a.id)).to.equal(2);
        expect(quantityOf(cart, b.id)).to.equal(2);
        expect(cart.totalQuantity).to.equal(4);
        expectConsistent(cart);
      });

      it('updates a line, and removes it at 0', async function () {
        if (!adapter.updateLine) this.skip();
        const [a, b] = variants;
        await adapter.addToCart(line(b.id));
        const {cart} = await adapter.addToCart(line(a.id));
        const lineId = cart.lines.find((l) => l.variantId === a.id)!.id;
        const raised = await adapter.updateLine!(lineId, 3);
        expect(raised.userErrors).to.deep.equal([]);
        expect(quantityOf(raised.cart, a.id)).to.equal(3);
        expect(raised.cart.totalQuantity).to.equal(4);
        const removed = await adapter.updateLine!(raised.cart.lines.find((l) => l.variantId === a.id)!.id, 0);
        expect(removed.userErrors).to.deep.equal([]);
        expect(quantityOf(removed.cart, a.id)).to.equal(0);
        expect(removed.cart.totalQuantity).to.equal(1);
        expect(total(await adapter.getCart())).to.equal(1);
      });

      it('keeps the attributes given on add on the line', async function () {
        if (!fixture.lineAttributes) this.skip();
        const [a] = variants;
        const attributes = {_kol_show: 'show-contract', _kol_ref: 'host-7'};
        const {cart} = await adapter.addToCart({...line(a.id), attributes});
        const added = cart.lines.find((l) => l.variantId === a.id)!;
        expect(added.attributes).to.include(attributes);
        const read = await adapter.getCart();
        expect(read!.lines.find((l) => l.variantId === a.id)!.attributes).to.include(attributes);
      });
    });

    describe('refusals come back as userErrors, with the cart as it is', () => {
      it('out of stock: more than is left is refused and the cart never holds more than the stock', async () => {
        const {productId, variantId, stock} = fixture.limited;
        const result = await adapter.addToCart({productId, variantId, quantity: stock + 2});
        expect(result.userErrors.map((e) => e.code)).to.include('out-of-stock');
        for (const error of result.userErrors) expect(error.message, 'a reason to show').to.be.a('string').and.not.be.empty;
        expect(quantityOf(result.cart, variantId)).to.be.at.most(stock);
        expect(quantityOf(await adapter.getCart(), variantId), 'the backend agrees').to.equal(quantityOf(result.cart, variantId));
      });

      it('a quantity limit is refused as quantity-limit', async () => {
        const result = await adapter.addToCart(fixture.overLimit);
        expect(result.userErrors.map((e) => e.code)).to.include('quantity-limit');
        expect(result.userErrors[0].message).to.be.a('string').and.not.be.empty;
      });

      it("a deal's per-customer limit holds across adds: the add past it is quantity-limit and adds nothing", async () => {
        const [a] = variants;
        const deal = {id: 'deal-contract-limit', price: a.price, limitPerCustomer: 2};
        const first = await adapter.addToCart({...line(a.id), deal});
        expect(first.userErrors, 'one under a limit of two').to.deep.equal([]);
        const over = await adapter.addToCart({...line(a.id, 2), deal});
        expect(over.userErrors.map((e) => e.code), 'two more would make three').to.include('quantity-limit');
        expect(over.userErrors[0].message, 'a reason to show').to.be.a('string').and.not.be.empty;
        expect(quantityOf(over.cart, a.id), 'the refused add added nothing').to.equal(1);
        const second = await adapter.addToCart({...line(a.id), deal});
        expect(second.userErrors, 'up to the limit is fine').to.deep.equal([]);
        const third = await adapter.addToCart({...line(a.id), deal});
        expect(third.userErrors.map((e) => e.code), 'one past the limit').to.include('quantity-limit');
        expect(quantityOf(await adapter.getCart(), a.id), 'the backend holds the limit').to.equal(2);
      });

      it('a variant that does not exist is refused as invalid-variant, and nothing is added', async () => {
        const [a] = variants;
        await adapter.addToCart(line(a.id));
        const result = await adapter.addToCart(fixture.invalidVariant);
        expect(result.userErrors.map((e) => e.code)).to.include('invalid-variant');
        expect(total(await adapter.getCart())).to.equal(1);
      });
    });

    describe('signals and failures', () => {
      it('honours an aborted signal: every call rejects with its reason and nothing is added', async () => {
        const [a] = variants;
        const controller = new AbortController();
        controller.abort();
        const {signal} = controller;
        for (const call of [
          adapter.getProducts([fixture.product.id], {signal}),
          adapter.getCart({signal}),
          adapter.addToCart(line(a.id), {signal}),
        ]) {
          const error = await rejection(call);
          expect((error as Error).name, 'the signal reason').to.equal('AbortError');
        }
        expect(total(await adapter.getCart())).to.equal(0);
      });

      it('rejects only when the backend cannot be reached', async () => {
        const down = fixture.unreachable();
        try {
          const [a] = variants;
          expect(await rejection(down.getProducts([fixture.product.id]))).to.be.instanceOf(Error);
          expect(await rejection(down.addToCart(line(a.id)))).to.be.instanceOf(Error);
        } finally {
          down.dispose?.();
        }
      });
    });
  });
}
