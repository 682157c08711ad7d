import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolProductPin, KolShow, KolAddToCartRequestEvent, AddToCartRequestDetail} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {AddToCartInput, CartMutationResult, Money, RequestOptions} from '../../src/adapters/types.js';
import {pin, stock, unpin} from '../fixtures/events.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';

const product = (id: string) => catalog.find((p) => p.id === id)!;
/** Text as a shopper reads it: whitespace collapsed. */
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const cta = (el: HTMLElement) => part(el, 'cta') as HTMLButtonElement;
/** Money as Intl formats it for the page's locale, worked out here independently of kolkit. */
const formatted = (money: Money, locale = document.documentElement.lang || navigator.language) =>
  new Intl.NumberFormat(locale, {style: 'currency', currency: money.currencyCode}).format(Number(money.amount)).replace(/\s+/g, ' ');

const recorded = recordKolErrors();
const errorCodes = () => recorded.codes();

/** A real memory backend whose adds wait until the test lets them through, like a slow network. */
class SlowMemoryAdapter extends MemoryAdapter {
  adds = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  override async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    this.adds++;
    await this.gate;
    return super.addToCart(input, options);
  }
  /** Lets every waiting and future add through. */
  open(): void {
    this.release();
  }
}

async function setup(adapter: MemoryAdapter = new MemoryAdapter({products: freshCatalog()})) {
  const show = await fixture<KolShow>(html`<kol-show id="s1" .adapter=${adapter}><kol-product-pin></kol-product-pin></kol-show>`);
  const el = show.querySelector('kol-product-pin')!;
  await el.updateComplete;
  return {show, el, adapter};
}

/** Waits until the pin shows `title` (products load asynchronously through the adapter). */
const showing = (el: KolProductPin, title: string) =>
  waitUntil(() => read(part(el, 'title')) === title && !!el.shadowRoot!.querySelector('article'), `pin never showed "${title}"`);

const pinNow = (show: KolShow, productId: string, extra: Record<string, unknown> = {}) => show.push(pin(productId, Date.now(), extra));

describe('<kol-product-pin>', () => {
  it('says nothing is being shown, and is not [active], before any pin', async () => {
    const {el} = await setup();
    expect(read(el.shadowRoot!.querySelector('[part~=base]'))).to.equal('No product is being shown right now.');
    expect(el.hasAttribute('active')).to.equal(false);
    expect(el.shadowRoot!.querySelector('[part~=cta]')).to.equal(null);
  });

  it('shows the pinned product: title, price, compare-at price, label and promo code; reflects [active]', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-cap', {label: '#7', promoCode: 'LIVE10'});
    await showing(el, 'Lune Cap');
    const variant = product('p-cap').variants[0];
    expect(el.hasAttribute('active')).to.equal(true);
    expect(read(part(el, 'price'))).to.contain(formatted(variant.price));
    expect(read(part(el, 'compare-at-price'))).to.contain(formatted(variant.compareAtPrice!));
    expect(read(part(el, 'badge'))).to.equal('#7');
    expect(read(part(el, 'promo'))).to.contain('LIVE10');
    expect(read(part(el, 'cta'))).to.equal('Add to cart');
    expect((part(el, 'image') as HTMLImageElement).getAttribute('alt')).to.equal(product('p-cap').image!.alt);
    expect(read(el.shadowRoot!.querySelector('.visually-hidden[role=status]'))).to.equal('Now showing: Lune Cap');
  });

  it('formats prices in the page locale (<html lang>)', async () => {
    const before = document.documentElement.lang;
    document.documentElement.lang = 'de-DE';
    try {
      const {show, el} = await setup();
      pinNow(show, 'p-mug');
      await showing(el, 'Moon Mug');
      const expected = formatted(product('p-mug').variants[0].price, 'de-DE');
      expect(expected).to.contain('19,90');
      expect(read(part(el, 'price'))).to.contain(expected);
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('goes back to empty and drops [active] when the product is unpinned', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-cap');
    await showing(el, 'Lune Cap');
    show.push(unpin('p-cap', Date.now()));
    await waitUntil(() => !el.hasAttribute('active'), 'still active after unpin');
    await el.updateComplete;
    expect(read(part(el, 'base'))).to.equal('No product is being shown right now.');
  });

  it('shows the previous pin with index=1', async () => {
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const show = await fixture<KolShow>(html`<kol-show .adapter=${adapter}>
      <kol-product-pin id="latest"></kol-product-pin><kol-product-pin id="previous" index="1"></kol-product-pin>
    </kol-show>`);
    const latest = show.querySelector<KolProductPin>('#latest')!;
    const previous = show.querySelector<KolProductPin>('#previous')!;
    show.push([pin('p-cap', Date.now() - 2000), pin('p-tee', Date.now() - 1000)]);
    await showing(latest, 'Crescent Tee');
    await showing(previous, 'Lune Cap');
  });

  it('shows a fixed product-id whatever the host pins', async () => {
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const show = await fixture<KolShow>(html`<kol-show .adapter=${adapter}><kol-product-pin product-id="p-mug"></kol-product-pin></kol-show>`);
    const el = show.querySelector('kol-product-pin')!;
    await showing(el, 'Moon Mug');
    expect(el.hasAttribute('active')).to.equal(true);
    pinNow(show, 'p-cap', {label: '#1'});
    await show.updateComplete;
    await el.updateComplete;
    expect(read(part(el, 'title'))).to.equal('Moon Mug');
    expect(part(el, 'badge'), 'the pin label belongs to another product').to.equal(null);
  });

  it('shows "not available" for an unknown product and reports unknown-product on document', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-no-such-thing');
    await waitUntil(() => !!el.shadowRoot!.querySelector('[role=alert]'), 'no visible error');
    expect(read(el.shadowRoot!.querySelector('[role=alert]'))).to.match(/not available/i);
    expect(cta(el)).to.equal(null);
    const error = recorded.list.find((e) => e.detail.code === 'unknown-product');
    expect(error, `errors: ${errorCodes()}`).to.exist;
    expect(error!.detail.message).to.contain('p-no-such-thing');
  });

  describe('add to cart', () => {
    it('is busy and disabled while the add is in flight, then says "Added to cart"; the cart grows by exactly 1', async () => {
      const adapter = new SlowMemoryAdapter({products: freshCatalog()});
      const {show, el} = await setup(adapter);
      pinNow(show, 'p-cap');
      await showing(el, 'Lune Cap');
      const before = show.cart?.totalQuantity ?? 0;
      cta(el).click();
      await el.updateComplete;
      expect(el.hasAttribute('busy')).to.equal(true);
      expect(cta(el).disabled).to.equal(true);
      expect(cta(el).getAttribute('aria-busy')).to.equal('true');
      expect(show.cart?.totalQuantity ?? 0).to.equal(before);
      adapter.open();
      await waitUntil(() => read(part(el, 'status')) === 'Added to cart', 'no confirmation');
      expect(el.hasAttribute('busy')).to.equal(false);
      expect(cta(el).disabled).to.equal(false);
      expect(show.cart!.totalQuantity).to.equal(before + 1);
      expect(show.cart!.lines.map((l) => l.variantId)).to.deep.equal(['p-cap-navy']);
    });

    it('adds only once on a quick double click', async () => {
      const adapter = new SlowMemoryAdapter({products: freshCatalog()});
      const {show, el} = await setup(adapter);
      pinNow(show, 'p-cap');
      await showing(el, 'Lune Cap');
      cta(el).click();
      cta(el).click();
      await el.updateComplete;
      cta(el).click(); // the button is disabled by now: a third click is no add either
      adapter.open();
      await waitUntil(() => read(part(el, 'status')) === 'Added to cart');
      expect(adapter.adds).to.equal(1);
      expect(show.cart!.totalQuantity).to.equal(1);
      expect((await adapter.getCart())!.totalQuantity).to.equal(1);
    });

    it('adds nothing when a listener on document cancels kol-add-to-cart-request, which carries the add', async () => {
      const {show, el, adapter} = await setup();
      pinNow(show, 'p-cap');
      await showing(el, 'Lune Cap');
      const requests: KolAddToCartRequestEvent[] = [];
      const veto = (e: KolAddToCartRequestEvent) => {
        requests.push(e);
        e.preventDefault();
      };
      document.addEventListener('kol-add-to-cart-request', veto);
      try {
        cta(el).click();
        await el.updateComplete;
      } finally {
        document.removeEventListener('kol-add-to-cart-request', veto);
      }
      expect(requests).to.have.length(1);
      expect(requests[0].cancelable).to.equal(true);
      expect(requests[0].detail).to.deep.equal({productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1, source: 'product-pin'} satisfies AddToCartRequestDetail);
      expect(await adapter.getCart()).to.equal(null);
      await el.updateComplete;
      expect(show.cart).to.equal(null);
      expect(el.hasAttribute('busy')).to.equal(false);
      expect(read(part(el, 'status'))).to.equal('');
    });

    it('shows the store\'s out-of-stock refusal and reports cart-add-refused', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-mug');
      await showing(el, 'Moon Mug');
      const stockLeft = product('p-mug').variants[0].quantityAvailable!;
      for (let i = 1; i <= stockLeft; i++) {
        cta(el).click();
        await waitUntil(() => show.cart?.totalQuantity === i && !el.hasAttribute('busy'), `add ${i} failed`);
      }
      cta(el).click();
      await waitUntil(() => part(el, 'status')?.classList.contains('refused'), 'no refusal shown');
      const refusal = recorded.list.find((e) => e.detail.code === 'cart-add-refused');
      expect(refusal, `errors: ${errorCodes()}`).to.exist;
      const userErrors = refusal!.detail.cause as Array<{code: string; message: string}>;
      expect(userErrors.map((u) => u.code)).to.deep.equal(['out-of-stock']);
      expect(read(part(el, 'status'))).to.equal(userErrors[0].message);
      expect(read(part(el, 'status'))).to.contain('Moon Mug');
      expect(show.cart!.totalQuantity).to.equal(stockLeft);
    });

    it('does not carry the outcome of an add over to the next product the host pins', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-cap');
      await showing(el, 'Lune Cap');
      cta(el).click();
      await waitUntil(() => read(part(el, 'status')) === 'Added to cart', 'no confirmation');
      pinNow(show, 'p-tee');
      await showing(el, 'Crescent Tee');
      expect(read(part(el, 'status')), 'the tee was not added').to.equal('');
    });

    it('offers a variant choice for a multi-variant product and adds the chosen variant', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-tee');
      await showing(el, 'Crescent Tee');
      const select = part(el, 'variant') as HTMLSelectElement;
      expect(select, 'no variant select').to.exist;
      const tee = product('p-tee');
      expect([...select.options].map((o) => o.value)).to.deep.equal(tee.variants.map((v) => v.id));
      expect(select.querySelector<HTMLOptionElement>('option[value="p-tee-xl"]')!.disabled, 'sold-out variant').to.equal(true);
      const medium = tee.variants.find((v) => v.id === 'p-tee-m')!;
      select.value = medium.id;
      select.dispatchEvent(new Event('change', {bubbles: true}));
      await el.updateComplete;
      expect(read(part(el, 'price'))).to.contain(formatted(medium.price));
      let requested: string | undefined;
      const listen = (e: KolAddToCartRequestEvent) => (requested = e.detail.variantId);
      document.addEventListener('kol-add-to-cart-request', listen);
      try {
        cta(el).click();
        await waitUntil(() => show.cart?.totalQuantity === 1);
      } finally {
        document.removeEventListener('kol-add-to-cart-request', listen);
      }
      expect(requested).to.equal(medium.id);
      expect(show.cart!.lines.map((l) => [l.variantId, l.price.amount])).to.deep.equal([[medium.id, medium.price.amount]]);
    });

    it('preselects the variant the host pinned', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-tee', {variantId: 'p-tee-m'});
      await showing(el, 'Crescent Tee');
      expect((part(el, 'variant') as HTMLSelectElement).value).to.equal('p-tee-m');
    });

    it('shows "Sold out" and disables the button when live stock reaches 0', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-cap');
      await showing(el, 'Lune Cap');
      expect(cta(el).disabled).to.equal(false);
      show.push(stock({productId: 'p-cap'}, 3, Date.now()));
      await waitUntil(() => read(part(el, 'stock')) === 'Only 3 left', 'low stock not shown');
      show.push(stock({productId: 'p-cap'}, 0, Date.now()));
      await waitUntil(() => cta(el).disabled, 'button still enabled');
      expect(read(cta(el))).to.equal('Sold out');
    });

    it('shows "Sold out" for a product the store has no stock of', async () => {
      const {show, el} = await setup();
      pinNow(show, 'p-gone');
      await showing(el, 'Old Socks');
      expect(cta(el).disabled).to.equal(true);
      expect(read(cta(el))).to.equal('Sold out');
    });
  });

  it('reserves the image box before the image loads', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-slow'); // its image URL answers 404: it never loads
    await showing(el, 'Slow Candle');
    const img = part(el, 'image') as HTMLImageElement;
    expect(img, 'no img').to.exist;
    expect(img.naturalWidth, 'the image should not have loaded').to.equal(0);
    const box = el.shadowRoot!.querySelector('.media')!.getBoundingClientRect();
    expect(box.height).to.be.greaterThan(0);
    expect(box.height).to.be.closeTo(box.width, 1);
    const title = part(el, 'title')!.getBoundingClientRect();
    expect(title.left, 'the text sits beside the image box').to.be.at.least(box.right);
  });

  it('never renders a javascript: image URL', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-evil');
    await showing(el, 'Evil Bag');
    for (const img of el.shadowRoot!.querySelectorAll('img')) expect(img.getAttribute('src') ?? '').to.not.match(/^\s*javascript:/i);
    expect(el.shadowRoot!.innerHTML).to.not.contain('javascript:');
  });

  it('follows the show named by show="id" from outside it', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <kol-show id="first" .adapter=${new MemoryAdapter({products: freshCatalog()})}></kol-show>
      <kol-show id="second" .adapter=${new MemoryAdapter({products: freshCatalog()})}></kol-show>
      <kol-product-pin show="second"></kol-product-pin>
    </div>`);
    const [first, second] = wrapper.querySelectorAll<KolShow>('kol-show');
    const el = wrapper.querySelector('kol-product-pin')!;
    first.push(pin('p-cap', Date.now()));
    second.push(pin('p-mug', Date.now()));
    await showing(el, 'Moon Mug');
    cta(el).click();
    await waitUntil(() => second.cart?.totalQuantity === 1, 'the add did not go through the named show');
    expect(first.cart).to.equal(null);
    expect(errorCodes()).to.not.include('no-show');
  });

  it('says it is not connected, and reports no-show, when there is no show on the page', async () => {
    const el = await fixture<KolProductPin>(html`<kol-product-pin></kol-product-pin>`);
    await waitUntil(() => errorCodes().includes('no-show'), 'no kol-error no-show');
    await el.updateComplete;
    expect(read(part(el, 'base'))).to.match(/not connected/i);
    expect(el.getAttribute('error')).to.equal('no-show');
  });

  it('says it is not connected with a fixed product-id and no show (not "loading" forever)', async () => {
    const el = await fixture<KolProductPin>(html`<kol-product-pin product-id="p-cap"></kol-product-pin>`);
    await waitUntil(() => errorCodes().includes('no-show'), 'no kol-error no-show');
    await el.updateComplete;
    expect(read(part(el, 'base'))).to.match(/not connected/i);
    expect(el.shadowRoot!.querySelector('[aria-busy=true]')).to.equal(null);
  });

  it('is accessible when showing a product (axe)', async () => {
    const {show, el} = await setup();
    pinNow(show, 'p-tee', {label: '#3', promoCode: 'LIVE10', note: 'Runs small'});
    await showing(el, 'Crescent Tee');
    await expect(el).shadowDom.to.be.accessible();
  });
});
