/**
 * The demo, end to end, as a shopper and a host use it: the store page (built script-tag bundle, memory
 * adapter, live loopback stream, SSE) in a frame, and the host acting through the host API.
 */
import {expect, waitUntil} from '@open-wc/testing';
import type {KolShow} from '../../src/index.js';
import {hostAct} from '../fixtures/host.js';

type StorePage = {doc: Document; show: KolShow; win: Window};

async function openStore(): Promise<StorePage> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:1200px;height:900px';
  frame.src = '/demo/store.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, {once: true}));
  const win = frame.contentWindow!;
  await waitUntil(() => !!win.customElements.get('kol-show'), 'kolkit.js did not define the elements', {timeout: 10000});
  const doc = frame.contentDocument!;
  const show = doc.querySelector('kol-show') as KolShow;
  await waitUntil(() => show.programTime !== null, 'the store page video never reported program time', {timeout: 20000});
  return {doc, show, win};
}

const part = (el: Element, name: string) => el.shadowRoot!.querySelector(`[part~="${name}"]`) as HTMLElement | null;

describe('demo store page (npm start)', function () {
  this.timeout(60000);
  let page: StorePage;

  before(async () => {
    page = await openStore();
  });

  it('loads kolkit from the script tag only, with window.Kolkit as its one global, and plays the live video', async () => {
    expect((page.win as Window & {Kolkit?: {VERSION: string}}).Kolkit?.VERSION).to.be.a('string');
    const player = page.doc.querySelector('kol-live-player')!;
    await waitUntil(() => player.getAttribute('status') === 'live', `player status ${player.getAttribute('status')}`, {timeout: 20000});
    const loaded = page.win.performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    expect(loaded, 'hls.js transmuxes in its worker, served beside kolkit.js').to.include('/dist/cdn/hls.worker.js');
  });

  it('shows a host pin when the viewer reaches the moment the host acted, not when the message arrives', async () => {
    const pinEl = page.doc.querySelector('kol-product-pin')!;
    const sent = await hostAct({type: 'product.pin', productId: 'p-tee', label: '#7', promoCode: 'LIVE10'});
    const sentAt = Date.parse(sent.at);
    let shownAt = 0;
    await waitUntil(() => {
      const title = part(pinEl, 'title')?.textContent;
      if (title === 'Crescent Tee' && pinEl.hasAttribute('active') && !shownAt) shownAt = page.show.programTime!.getTime();
      return !!shownAt;
    }, 'the pin never appeared', {timeout: 20000, interval: 20});
    expect(Date.now() - sentAt, 'waited for the viewer').to.be.greaterThan(1500);
    expect(shownAt - sentAt, 'appeared at the video moment of the host action (ms)').to.be.within(0, 300);
    expect(part(pinEl, 'badge')!.textContent).to.equal('#7');
  });

  it('adds to cart from the pin and the header cart button follows', async () => {
    const pinEl = page.doc.querySelector('kol-product-pin')!;
    const cartButton = page.doc.querySelector('kol-cart-button')!;
    const before = Number(cartButton.getAttribute('count'));
    part(pinEl, 'cta')!.click();
    await waitUntil(() => Number(cartButton.getAttribute('count')) === before + 1, 'cart count did not go up', {timeout: 5000});
    expect(part(cartButton, 'subtotal')!.textContent).to.match(/29/);
    expect(part(pinEl, 'status')!.textContent).to.equal('Added to cart');
  });

  it('runs a deal on the server clock, refuses a second add over the limit with the reason, and closes itself', async () => {
    const dealEl = page.doc.querySelector('kol-countdown-deal')!;
    const dealId = `smoke-${Date.now()}`;
    await hostAct({type: 'deal.start', dealId, productId: 'p-bag', price: {amount: '49.00', currencyCode: 'EUR'},
      durationSeconds: 14, limitPerCustomer: 1, stock: 50});
    await waitUntil(() => dealEl.getAttribute('state') === 'active' && part(dealEl, 'title')?.textContent !== 'Loading deal',
      'the deal never became active', {timeout: 20000});
    expect(part(dealEl, 'timer')!.textContent).to.match(/0:\d\d/);
    part(dealEl, 'cta')!.click();
    await waitUntil(() => part(dealEl, 'status')?.textContent === 'Added to cart', 'first deal add failed', {timeout: 5000});
    const line = page.show.cart!.lines.find((l) => l.attributes?._kol_deal === dealId)!;
    expect(line.price.amount, 'the line has the deal price').to.equal('49.00');
    part(dealEl, 'cta')!.click();
    await waitUntil(() => /limited to 1 per customer/.test(part(dealEl, 'status')?.textContent ?? ''), 'no limit reason shown', {timeout: 5000});
    await waitUntil(() => dealEl.getAttribute('state') === 'expired', 'the deal did not close itself', {timeout: 20000});
    expect(part(dealEl, 'badge')!.textContent).to.equal('Deal ended');
  });

  it('shows why a sold-out add is refused', async () => {
    const pinEl = page.doc.querySelector('kol-product-pin')!;
    await hostAct({type: 'product.pin', productId: 'p-mug', label: '#3'});
    await waitUntil(() => part(pinEl, 'title')?.textContent === 'Moonrise Mug', 'mug never pinned', {timeout: 20000});
    const mugs = () => page.show.cart?.lines.filter((l) => l.productId === 'p-mug').reduce((n, l) => n + l.quantity, 0) ?? 0;
    for (let i = 1; i <= 2; i++) {
      part(pinEl, 'cta')!.click();
      await waitUntil(() => mugs() === i && !pinEl.hasAttribute('busy'), `add ${i} failed`);
      await pinEl.updateComplete;
    }
    part(pinEl, 'cta')!.click();
    await waitUntil(() => /sold out|Only/i.test(part(pinEl, 'status')?.textContent ?? ''), 'no out-of-stock reason shown', {timeout: 5000});
    expect(part(pinEl, 'status')!.className).to.equal('refused');
  });
});
