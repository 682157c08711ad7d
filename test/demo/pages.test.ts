// The demo pages: the store page's markup is the documented one (DESIGN.md §6) and CSP-clean; the host
// console, driven through its own controls in an iframe, really sends host events.
import {expect, waitUntil} from '@open-wc/testing';

interface HostState {
  pinned: Array<{productId: string; label?: string}>;
  deals: Record<string, {dealId: string; productId: string; price: {amount: string}; startsAt: string; stock?: number; ended?: string}>;
}

const hostState = async () => ((await (await fetch('/api/host/state')).json()) as {state: HostState}).state;

async function page(path: string): Promise<Document> {
  return new DOMParser().parseFromString(await (await fetch(path)).text(), 'text/html');
}

describe('demo: store page', () => {
  it('uses the documented kolkit markup, loaded from the CDN bundle', async () => {
    const doc = await page('/demo/store.html');
    const show = doc.querySelector('kol-show')!;
    expect(show.id).to.equal('live');
    expect(show.getAttribute('adapter')).to.equal('memory');
    expect(show.getAttribute('products')).to.equal('/demo/catalog.json');
    expect(show.getAttribute('events')).to.equal('/events');
    expect([...show.children].map((c) => c.localName)).to.deep.equal(['kol-live-player', 'kol-product-pin', 'kol-countdown-deal']);
    const player = show.querySelector('kol-live-player')!;
    expect(player.getAttribute('src')).to.equal('/live/index.m3u8');
    expect(player.hasAttribute('muted') && player.hasAttribute('autoplay')).to.equal(true);
    expect(doc.querySelector('header kol-cart-button')!.getAttribute('show')).to.equal('live');
    const modules = [...doc.querySelectorAll('script')].map((s) => [s.type, s.getAttribute('src')]);
    expect(modules).to.deep.include(['module', '/dist/cdn/kolkit.js']);
    expect(doc.querySelector('dialog#cart-drawer')).to.exist;
  });

  for (const path of ['/demo/store.html', '/demo/host.html']) {
    it(`${path} has no inline script or style (it runs under a strict CSP)`, async () => {
      const doc = await page(path);
      expect([...doc.querySelectorAll('script')].every((s) => s.src && !s.textContent!.trim())).to.equal(true);
      expect(doc.querySelectorAll('style, [style]').length).to.equal(0);
      const onAttributes = [...doc.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith('on')));
      expect(onAttributes).to.deep.equal([]);
    });
  }
});

describe('demo: host console', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  it('pins a product, then starts and ends a deal, through its own controls', async function () {
    this.timeout(15000);
    frame = document.createElement('iframe');
    frame.src = '/demo/host.html';
    const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, {once: true}));
    document.body.append(frame);
    await loaded;
    const doc = frame.contentDocument!;
    await waitUntil(() => doc.querySelectorAll('.product').length >= 5, 'the catalog was not listed');

    const label = `#${Math.random().toString(36).slice(2, 7)}`;
    const row = [...doc.querySelectorAll('.product')].find((r) => r.textContent!.includes('p-socks'))!;
    row.querySelector<HTMLInputElement>('input[name="label"]')!.value = label;
    [...row.querySelectorAll('button')].find((b) => b.textContent === 'Pin')!.click();
    await waitUntil(async () => (await hostState()).pinned[0]?.label === label, 'the pin did not reach the server');
    await waitUntil(() => doc.getElementById('log')!.textContent!.includes(label), 'the pin was not logged');

    const form = doc.getElementById('deal-form') as HTMLFormElement;
    const product = form.elements.namedItem('productId') as HTMLSelectElement;
    product.value = 'p-mug';
    product.dispatchEvent(new Event('change'));
    (form.elements.namedItem('price') as HTMLInputElement).value = '12.34';
    (form.elements.namedItem('stock') as HTMLInputElement).value = '2';
    const before = Date.now() - 1000;
    form.requestSubmit();
    let dealId = '';
    await waitUntil(async () => {
      const deal = Object.values((await hostState()).deals).find(
        (d) => d.productId === 'p-mug' && d.price.amount === '12.34' && Date.parse(d.startsAt) >= before,
      );
      dealId = deal?.dealId ?? '';
      return deal && deal.stock === 2;
    }, 'the deal did not start');

    doc.getElementById('end-deal')!.click();
    await waitUntil(async () => (await hostState()).deals[dealId]?.ended === 'cancelled', 'the deal did not end');
  });
});
