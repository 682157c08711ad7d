// The cart store on its own (src/core/cart-store.ts): mutations one at a time, and the resend rule of an add
// that failed — resent only when the adapter says the backend did not run it and the cart agrees
// (DESIGN.md §5). The backend is the real in-page memory adapter; the wrapper only decides how its add fails.
import {expect} from '@open-wc/testing';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {CartUnconfirmedError, cartStoreFor} from '../../src/page/cart-store.js';
import {notApplied} from '../../src/core/add-failure.js';
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, RequestOptions} from '../../src/adapters/types.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {quantityOf} from '../fixtures/cart.js';

const CAP = {productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1};

/** How each add fails, in order; an add past the list goes through. */
type Failure = 'not-run' | 'lost' | 'applied-then-lost';

/** The memory adapter, with adds that fail as scripted, and a count of what reached it. */
function backend(failures: Failure[] = []) {
  const memory = new MemoryAdapter({products: freshCatalog()});
  const log = {sent: 0, running: 0, mostAtOnce: 0};
  const adapter: CommerceAdapter = {
    name: 'scripted',
    getProducts: (ids, o) => memory.getProducts(ids, o),
    getCart: (o?: RequestOptions) => memory.getCart(o),
    async addToCart(input: AddToCartInput, o?: RequestOptions): Promise<CartMutationResult> {
      log.sent++;
      log.mostAtOnce = Math.max(log.mostAtOnce, ++log.running);
      try {
        await Promise.resolve(); // an add takes a moment: a second one started now would overlap
        const failure = failures.shift();
        if (failure === 'not-run') throw notApplied(new Error('503 Service Unavailable'));
        if (failure === 'lost') throw new TypeError('Failed to fetch');
        const result = await memory.addToCart(input, o);
        if (failure === 'applied-then-lost') throw new TypeError('Failed to fetch');
        return result;
      } finally {
        log.running--;
      }
    },
  };
  return {adapter, memory, log};
}

describe('CartStore', () => {
  it('runs adds one at a time, in the order asked', async () => {
    const {adapter, log} = backend();
    const store = cartStoreFor(adapter);
    const results = await Promise.all([store.add(adapter, CAP), store.add(adapter, CAP), store.add(adapter, CAP)]);
    expect(log.mostAtOnce).to.equal(1);
    expect(results.map((r) => quantityOf(r.result.cart, CAP.variantId))).to.deep.equal([1, 2, 3]);
  });

  it('resends an add the backend did not run, once, when the cart agrees it is absent', async () => {
    const {adapter, memory, log} = backend(['not-run']);
    const {added} = await cartStoreFor(adapter).add(adapter, CAP);
    expect(log.sent).to.equal(2);
    expect(added).to.equal(1);
    expect(quantityOf(await memory.getCart(), CAP.variantId)).to.equal(1);
  });

  it('does not resend an add whose fate is unknown (a network error): it is unconfirmed', async () => {
    const {adapter, log} = backend(['lost']);
    let error: unknown;
    await cartStoreFor(adapter).add(adapter, CAP).catch((e) => (error = e));
    expect(error).to.be.instanceOf(CartUnconfirmedError);
    expect(log.sent, 'a late-applying backend must not get it twice').to.equal(1);
  });

  it('takes an add the cart shows after a failure as done, without sending it again', async () => {
    const {adapter, memory, log} = backend(['applied-then-lost']);
    const {added, result} = await cartStoreFor(adapter).add(adapter, CAP);
    expect(log.sent).to.equal(1);
    expect(added).to.equal(1);
    expect(quantityOf(result.cart, CAP.variantId)).to.equal(1);
    expect(quantityOf(await memory.getCart(), CAP.variantId)).to.equal(1);
  });

  it("does not let a read that started before a change overwrite the change's cart", async () => {
    const {adapter, memory} = backend();
    let hold = false;
    let releaseRead!: () => void;
    const slowAdapter: CommerceAdapter = {
      ...adapter,
      updateLine: (lineId, quantity, o) => memory.updateLine(lineId, quantity, o),
      // A held read answers the cart as it was when the read began.
      getCart: async (o) => {
        const then: Cart | null = structuredClone(await memory.getCart(o));
        if (hold) await new Promise<void>((resolve) => (releaseRead = resolve));
        return then;
      },
    };
    const store = cartStoreFor(slowAdapter);
    const {result} = await store.add(slowAdapter, CAP);
    hold = true;
    const read = store.refresh(slowAdapter); // begins with 1 in the cart, and is held
    await new Promise((resolve) => setTimeout(resolve));
    await store.updateLine(slowAdapter, result.cart.lines[0].id, 3);
    expect(quantityOf(store.cart, CAP.variantId)).to.equal(3);
    releaseRead();
    await read;
    expect(quantityOf(store.cart, CAP.variantId), 'the older read did not win').to.equal(3);
  });
});
