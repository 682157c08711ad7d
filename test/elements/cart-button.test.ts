import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolCartButton, KolProductPin, KolShow, KolCartOpenRequestEvent} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {Money} from '../../src/adapters/types.js';
import {pin} from '../fixtures/events.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import 'axe-core/axe.min.js';
import {recordKolErrors} from '../fixtures/errors.js';

type Axe = typeof import('axe-core');
/** The button's accessible name as axe-core's accname implementation computes it (shadow DOM included). */
function accessibleName(button: KolCartButton): string {
  const axe = (window as unknown as {axe: Axe}).axe;
  axe.setup(document);
  try {
    return axe.commons.text.accessibleText(part(button, 'base')!).replace(/\s+/g, ' ').trim();
  } finally {
    axe.teardown();
  }
}
/** The number the count badge shows. */
const badge = (button: KolCartButton) =>
  [...part(button, 'count')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();

const priceOf = (variantId: string): Money => catalog.flatMap((p) => p.variants).find((v) => v.id === variantId)!.price;
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const formatted = (money: Money) =>
  new Intl.NumberFormat(document.documentElement.lang || navigator.language, {style: 'currency', currency: money.currencyCode})
    .format(Number(money.amount)).replace(/\s+/g, ' ');
/** The sum of two prices, in cents, so the expectation does not share kolkit's arithmetic. */
const sum = (a: Money, b: Money): Money => {
  const total = Math.round(Number(a.amount) * 100) + Math.round(Number(b.amount) * 100);
  return {amount: `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`, currencyCode: a.currencyCode};
};

const recorded = recordKolErrors();
const errorCodes = () => recorded.codes();

/** Pins `productId` on `show` and adds it to the cart through `pinEl`, as a shopper would. */
async function addThroughPin(show: KolShow, pinEl: KolProductPin, productId: string) {
  const before = show.cart?.totalQuantity ?? 0;
  const title = catalog.find((p) => p.id === productId)!.title;
  show.push(pin(productId, Date.now()));
  await waitUntil(() => {
    const button = part(pinEl, 'cta') as HTMLButtonElement | null;
    return !!button && !button.disabled && read(part(pinEl, 'title')) === title && !!pinEl.shadowRoot!.querySelector('article');
  }, `${productId} never became addable`);
  await pinEl.updateComplete;
  (part(pinEl, 'cta') as HTMLButtonElement).click();
  await waitUntil(() => (show.cart?.totalQuantity ?? 0) === before + 1, `${productId} was not added`);
}

async function setup(adapter = new MemoryAdapter({products: freshCatalog()})) {
  const show = await fixture<KolShow>(html`<kol-show id="s1" .adapter=${adapter}>
    <kol-product-pin></kol-product-pin><kol-cart-button></kol-cart-button>
  </kol-show>`);
  const button = show.querySelector('kol-cart-button')!;
  await button.updateComplete;
  return {show, button, pinEl: show.querySelector('kol-product-pin')!, adapter};
}

describe('<kol-cart-button>', () => {
  it('shows 0 items and reflects count="0" before anything is added', async () => {
    const {button} = await setup();
    expect(button.getAttribute('count')).to.equal('0');
    expect(badge(button)).to.equal('0');
    expect(part(button, 'subtotal')).to.equal(null);
    expect(accessibleName(button)).to.equal('Cart 0 items');
  });

  it('follows the cart: count is cart.totalQuantity and the subtotal is formatted', async () => {
    const {show, button, pinEl} = await setup();
    await addThroughPin(show, pinEl, 'p-cap');
    await button.updateComplete;
    expect(show.cart!.totalQuantity).to.equal(1);
    expect(button.getAttribute('count')).to.equal(String(show.cart!.totalQuantity));
    expect(read(part(button, 'subtotal'))).to.equal(formatted(priceOf('p-cap-navy')));
    await addThroughPin(show, pinEl, 'p-mug');
    await button.updateComplete;
    expect(button.getAttribute('count')).to.equal('2');
    expect(badge(button)).to.equal('2');
    expect(read(part(button, 'subtotal'))).to.equal(formatted(sum(priceOf('p-cap-navy'), priceOf('p-mug-std'))));
    // A second unit of the same product is one more item, not one more line.
    (part(pinEl, 'cta') as HTMLButtonElement).click();
    await waitUntil(() => show.cart?.totalQuantity === 3, 'second mug not added');
    await button.updateComplete;
    expect(show.cart!.lines).to.have.length(2);
    expect(button.getAttribute('count')).to.equal('3');
    expect(badge(button)).to.equal('3');
    expect(accessibleName(button)).to.match(/\b3 items\b/);
  });

  it('has an accessible name that includes the count and the subtotal', async () => {
    const {show, button, pinEl} = await setup();
    await addThroughPin(show, pinEl, 'p-cap');
    await button.updateComplete;
    const name = accessibleName(button);
    expect(name).to.match(/^Cart\b/);
    expect(name).to.match(/\b1 item\b/);
    expect(name).to.contain(formatted(priceOf('p-cap-navy')));
    await expect(button).shadowDom.to.be.accessible();
  });

  it('keeps a merchant\'s slotted label in the accessible name', async () => {
    const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}>
      <kol-cart-button><span slot="label">Bag</span></kol-cart-button>
    </kol-show>`);
    const button = show.querySelector('kol-cart-button')!;
    await button.updateComplete;
    expect(accessibleName(button)).to.match(/^Bag\b/).and.to.match(/\b0 items\b/);
    await expect(button).shadowDom.to.be.accessible();
  });

  it('shows a cart that existed before the page loaded, and changes made outside kolkit', async () => {
    const adapter = new MemoryAdapter({products: freshCatalog()});
    await adapter.addToCart({productId: 'p-tee', variantId: 'p-tee-s', quantity: 2});
    const {button} = await setup(adapter);
    await waitUntil(() => button.getAttribute('count') === '2', 'the existing cart was not read');
    await adapter.addToCart({productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1}); // e.g. the theme's own drawer
    await waitUntil(() => button.getAttribute('count') === '3', 'a change made outside kolkit was missed');
  });

  it('follows the show named by show="id" from outside it', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <kol-cart-button show="second"></kol-cart-button>
      <kol-show id="first" .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show>
      <kol-show id="second" .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show>
    </div>`);
    const [first, second] = wrapper.querySelectorAll<KolShow>('kol-show');
    const button = wrapper.querySelector('kol-cart-button')!;
    await addThroughPin(first, first.querySelector('kol-product-pin')!, 'p-cap');
    await button.updateComplete;
    expect(button.getAttribute('count'), 'it counted the other show\'s cart').to.equal('0');
    await addThroughPin(second, second.querySelector('kol-product-pin')!, 'p-mug');
    await waitUntil(() => button.getAttribute('count') === '1', 'the named show\'s cart was not followed');
    expect(errorCodes()).to.not.include('no-show');
  });

  it('finds the only show on the page with no show attribute, from anywhere', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <header><kol-cart-button></kol-cart-button></header>
      <main><kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show></main>
    </div>`);
    const show = wrapper.querySelector('kol-show')!;
    const button = wrapper.querySelector('kol-cart-button')!;
    await addThroughPin(show, show.querySelector('kol-product-pin')!, 'p-cap');
    await waitUntil(() => button.getAttribute('count') === '1', 'the button did not find the show');
    expect(part(button, 'base')!.hasAttribute('disabled')).to.equal(false);
    expect(errorCodes()).to.not.include('no-show');
  });

  it('dispatches a cancelable kol-cart-open-request with the cart; cancelled, nothing opens', async () => {
    const {show, button, pinEl} = await setup();
    await addThroughPin(show, pinEl, 'p-cap');
    const requests: KolCartOpenRequestEvent[] = [];
    const openDrawer = (e: KolCartOpenRequestEvent) => {
      requests.push(e);
      e.preventDefault();
    };
    const href = location.href;
    document.addEventListener('kol-cart-open-request', openDrawer);
    try {
      part(button, 'base')!.click();
      await button.updateComplete;
      await show.updateComplete;
    } finally {
      document.removeEventListener('kol-cart-open-request', openDrawer);
    }
    expect(requests).to.have.length(1);
    expect(requests[0].cancelable).to.equal(true);
    expect(requests[0].detail.cart).to.equal(show.cart);
    expect(requests[0].detail.cart!.totalQuantity).to.equal(1);
    // Not opened the store's way: the memory adapter without checkoutUrl would have failed with cart-open-failed.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(errorCodes()).to.not.include('cart-open-failed');
    expect(location.href).to.equal(href);
  });

  it('reports cart-open-failed when not cancelled and the store has no cart page to open', async () => {
    const {show, button, pinEl} = await setup();
    await addThroughPin(show, pinEl, 'p-cap');
    part(button, 'base')!.click();
    await waitUntil(() => errorCodes().includes('cart-open-failed'), `errors: ${errorCodes()}`);
  });

  it('is disabled and reports no-show without a show on the page', async () => {
    const button = await fixture<KolCartButton>(html`<kol-cart-button></kol-cart-button>`);
    await waitUntil(() => errorCodes().includes('no-show'), 'no kol-error no-show');
    await button.updateComplete;
    expect(part(button, 'base')!.hasAttribute('disabled')).to.equal(true);
  });
});
