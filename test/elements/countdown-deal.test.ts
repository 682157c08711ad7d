import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolCountdownDeal, KolShow, KolAddToCartRequestEvent, KolDealChangeEvent} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {Money} from '../../src/adapters/types.js';
import {dealEnd, dealStart, stock} from '../fixtures/events.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';

const product = (id: string) => catalog.find((p) => p.id === id)!;
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const cta = (el: HTMLElement) => part(el, 'cta') as HTMLButtonElement;
const formatted = (money: Money) =>
  new Intl.NumberFormat(document.documentElement.lang || navigator.language, {style: 'currency', currency: money.currencyCode})
    .format(Number(money.amount)).replace(/\s+/g, ' ');
const iso = (ms: number) => new Date(ms).toISOString();
const eur = (amount: string): Money => ({amount, currencyCode: 'EUR'});
/** Seconds shown by a "m:ss" timer. */
const seconds = (timer: string) => {
  const match = /(\d+):(\d\d)$/.exec(timer);
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
};
const liveRegion = (el: HTMLElement) => el.shadowRoot!.querySelector('.visually-hidden[role=status]');

const recorded = recordKolErrors();

async function setup(inner = html`<kol-countdown-deal></kol-countdown-deal>`) {
  const adapter = new MemoryAdapter({products: freshCatalog()});
  const show = await fixture<KolShow>(html`<kol-show id="s1" .adapter=${adapter}>${inner}</kol-show>`);
  const el = show.querySelector('kol-countdown-deal')!;
  await el.updateComplete;
  const phases: string[] = [];
  show.addEventListener('kol-deal-change', (e: KolDealChangeEvent) => phases.push(`${e.detail.deal.dealId}:${e.detail.state}`));
  return {show, el, adapter, phases};
}

/** Waits until the deal's product has loaded and the card shows `title`. */
const showing = (el: KolCountdownDeal, title: string) => waitUntil(() => read(part(el, 'title')) === title, `deal never showed "${title}"`);

describe('<kol-countdown-deal>', () => {
  it('says there is no deal before any deal starts', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No deal right now.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an active deal: deal price, regular price struck, countdown, stock left and limit', async () => {
    const {show, el} = await setup();
    const now = Date.now();
    show.push(dealStart('d1', 'p-tee', now, 60, {price: eur('19.00'), variantId: 'p-tee-m', stock: 10, limitPerCustomer: 2}));
    await showing(el, 'Crescent Tee');
    expect(el.getAttribute('state')).to.equal('active');
    expect(read(part(el, 'badge'))).to.equal('Flash deal');
    expect(read(part(el, 'price'))).to.equal(formatted(eur('19.00')));
    const regular = product('p-tee').variants.find((v) => v.id === 'p-tee-m')!.price;
    expect(read(part(el, 'compare-at-price'))).to.contain(formatted(regular));
    expect(read(part(el, 'stock'))).to.equal('10 left');
    expect(read(part(el, 'limit'))).to.equal('Limit 2 per customer');
    expect(cta(el).disabled).to.equal(false);
    const timer = read(part(el, 'timer'));
    expect(seconds(timer), timer).to.be.within(55, 60);
    // The shared ticker moves it on, once a second.
    await waitUntil(() => read(part(el, 'timer')) === '0:59', 'the timer never showed 0:59', {timeout: 3000});
  });

  it('shows the deal\'s own compareAtPrice when it has one', async () => {
    const {show, el} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 60, {price: eur('12.00'), compareAtPrice: eur('35.00')}));
    await showing(el, 'Lune Cap');
    expect(read(part(el, 'compare-at-price'))).to.contain(formatted(eur('35.00')));
  });

  it('strikes no "was" price when the regular price is not higher than the deal price', async () => {
    const {show, el} = await setup();
    const regular = product('p-tee').variants.find((v) => v.id === 'p-tee-m')!.price;
    show.push(dealStart('d1', 'p-tee', Date.now(), 60, {price: regular, variantId: 'p-tee-m'}));
    await showing(el, 'Crescent Tee');
    expect(part(el, 'compare-at-price')).to.equal(null);
  });

  it('shows an upcoming deal with "Starts in" and no add to cart', async () => {
    const {show, el, phases} = await setup();
    const now = Date.now();
    show.push(dealStart('d1', 'p-cap', now, 180, {startsAt: iso(now + 90_000)}));
    await showing(el, 'Lune Cap');
    expect(el.getAttribute('state')).to.equal('upcoming');
    const timer = read(part(el, 'timer'));
    expect(timer).to.match(/^Starts in \d+:\d\d$/);
    expect(seconds(timer)).to.be.within(85, 90);
    expect(cta(el).disabled).to.equal(true);
    expect(phases).to.deep.equal(['d1:upcoming']);
  });

  it('moves upcoming → active → expired on the server clock, and the show emits kol-deal-change for each', async () => {
    const {show, el, phases} = await setup();
    const now = Date.now();
    show.push(dealStart('d1', 'p-cap', now, 120, {startsAt: iso(now + 60_000)}));
    await showing(el, 'Lune Cap');
    expect(el.getAttribute('state')).to.equal('upcoming');
    show.clock.offset = 61_000;
    await waitUntil(() => el.getAttribute('state') === 'active', 'never became active', {timeout: 3000});
    expect(cta(el).disabled).to.equal(false);
    show.clock.offset = 121_000;
    await waitUntil(() => el.getAttribute('state') === 'expired', 'never expired', {timeout: 3000});
    await waitUntil(() => phases.length === 3, `phases: ${phases}`, {timeout: 3000});
    expect(phases).to.deep.equal(['d1:upcoming', 'd1:active', 'd1:expired']);
    await el.updateComplete;
    expect(read(cta(el))).to.equal('Deal ended');
    expect(cta(el).disabled).to.equal(true);
    // The timer is gone from sight and from assistive tech, its line kept so the button does not move (issue 16).
    expect(getComputedStyle(part(el, 'timer')!).visibility).to.equal('hidden');
    expect(part(el, 'timer')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('expires by itself when endsAt passes in real time', async () => {
    const {show, el, phases} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 2));
    await showing(el, 'Lune Cap');
    expect(el.getAttribute('state')).to.equal('active');
    await waitUntil(() => el.getAttribute('state') === 'expired', 'never expired', {timeout: 4000});
    await el.updateComplete;
    expect(read(part(el, 'badge'))).to.equal('Deal ended');
    await waitUntil(() => phases.includes('d1:expired'), `phases: ${phases}`, {timeout: 2000});
    expect(phases).to.deep.equal(['d1:active', 'd1:expired']);
  });

  it('is sold out when stock.update for the deal reaches 0', async () => {
    const {show, el, phases} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 60, {stock: 3}));
    await showing(el, 'Lune Cap');
    show.push(stock({dealId: 'd1'}, 1, Date.now()));
    await waitUntil(() => read(part(el, 'stock')) === '1 left');
    show.push(stock({dealId: 'd1'}, 0, Date.now()));
    await waitUntil(() => el.getAttribute('state') === 'sold-out', 'not sold out');
    await el.updateComplete;
    expect(read(cta(el))).to.equal('Sold out');
    expect(cta(el).disabled).to.equal(true);
    expect(phases).to.deep.equal(['d1:active', 'd1:sold-out']);
  });

  it('is expired when the host cancels the deal', async () => {
    const {show, el, phases} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 60));
    await showing(el, 'Lune Cap');
    show.push(dealEnd('d1', Date.now(), 'cancelled'));
    await waitUntil(() => el.getAttribute('state') === 'expired', 'not expired');
    await el.updateComplete;
    expect(cta(el).disabled).to.equal(true);
    expect(phases).to.deep.equal(['d1:active', 'd1:expired']);
  });

  describe('add to cart', () => {
    it('adds the deal\'s variant at the DEAL price, with dealId in the request', async () => {
      const {show, el} = await setup();
      const price = eur('17.35');
      show.push(dealStart('d1', 'p-tee', Date.now(), 60, {price, variantId: 'p-tee-m'}));
      await showing(el, 'Crescent Tee');
      const requests: KolAddToCartRequestEvent[] = [];
      const listen = (e: KolAddToCartRequestEvent) => requests.push(e);
      document.addEventListener('kol-add-to-cart-request', listen);
      try {
        cta(el).click();
        await waitUntil(() => read(part(el, 'status')) === 'Added to cart', 'no confirmation');
      } finally {
        document.removeEventListener('kol-add-to-cart-request', listen);
      }
      expect(requests.map((r) => r.detail)).to.deep.equal([
        {productId: 'p-tee', variantId: 'p-tee-m', quantity: 1, source: 'countdown-deal', dealId: 'd1'},
      ]);
      const cart = show.cart!;
      expect(cart.totalQuantity).to.equal(1);
      expect(cart.lines[0].variantId).to.equal('p-tee-m');
      expect(cart.lines[0].price).to.deep.equal(price);
      expect(cart.subtotal).to.deep.equal(price);
    });

    it('shows the quantity-limit refusal on a second add with limitPerCustomer 1', async () => {
      const {show, el} = await setup();
      show.push(dealStart('d1', 'p-cap', Date.now(), 60, {limitPerCustomer: 1}));
      await showing(el, 'Lune Cap');
      cta(el).click();
      await waitUntil(() => show.cart?.totalQuantity === 1 && !el.hasAttribute('busy'), 'first add failed');
      cta(el).click();
      await waitUntil(() => part(el, 'status')?.classList.contains('refused'), 'no refusal shown');
      const refusal = recorded.list.find((e) => e.detail.code === 'cart-add-refused');
      expect(refusal, `errors: ${recorded.list.map((e) => e.detail.code)}`).to.exist;
      const userErrors = refusal!.detail.cause as Array<{code: string; message: string}>;
      expect(userErrors.map((u) => u.code)).to.deep.equal(['quantity-limit']);
      expect(read(part(el, 'status'))).to.equal(userErrors[0].message);
      expect(read(part(el, 'status'))).to.match(/limited to 1/);
      expect(show.cart!.totalQuantity).to.equal(1);
    });

    it('does not show the last deal\'s refusal on the next deal', async () => {
      const {show, el} = await setup();
      show.push(dealStart('d1', 'p-cap', Date.now() - 1000, 60, {limitPerCustomer: 1}));
      await showing(el, 'Lune Cap');
      cta(el).click();
      await waitUntil(() => show.cart?.totalQuantity === 1 && !el.hasAttribute('busy'));
      cta(el).click();
      await waitUntil(() => part(el, 'status')?.classList.contains('refused'), 'no refusal shown');
      show.push(dealStart('d2', 'p-mug', Date.now(), 60));
      await showing(el, 'Moon Mug');
      expect(read(part(el, 'status'))).to.equal('');
    });

    it('refuses an add clicked just after the deal ended, before the card caught up, and the cart stays as it was', async () => {
      const {show, el, adapter} = await setup();
      show.push(dealStart('d1', 'p-cap', Date.now(), 60));
      await showing(el, 'Lune Cap');
      await el.updateComplete;
      // The deal ends on the server clock; the card has not ticked yet, so its button is still live.
      show.clock.offset = 61_000;
      expect(cta(el).disabled, 'the button should still look active').to.equal(false);
      cta(el).click();
      await waitUntil(() => part(el, 'status')?.classList.contains('refused'), 'no refusal shown');
      expect(read(part(el, 'status'))).to.match(/no longer available/i);
      const refusal = recorded.list.find((e) => e.detail.code === 'cart-add-refused');
      expect((refusal?.detail.cause as Array<{code: string}>)?.map((u) => u.code)).to.deep.equal(['deal-expired']);
      expect(show.cart).to.equal(null);
      expect(await adapter.getCart()).to.equal(null);
    });
  });

  it('announces "Flash deal started." politely, and does not re-announce every second', async () => {
    const {show, el} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 120));
    await showing(el, 'Lune Cap');
    expect(liveRegion(el)!.getAttribute('role')).to.equal('status');
    const samples: string[] = [];
    const timers = new Set<string>();
    // Read both until the timer has ticked twice: the live region must say nothing new meanwhile.
    await waitUntil(() => {
      samples.push(read(liveRegion(el)));
      timers.add(read(part(el, 'timer')));
      return timers.size >= 3;
    }, `the timer did not tick: ${[...timers]}`, {timeout: 10000, interval: 100});
    expect(new Set(samples)).to.deep.equal(new Set(['Flash deal started.']));
    // The timer itself is not a live region that would speak every second.
    expect(part(el, 'timer')!.getAttribute('aria-live') ?? 'off').to.equal('off');
  });

  it('shows a deal set by attributes without any show event, and adds at its price', async () => {
    const endsAt = iso(Date.now() + 60_000);
    const {show, el} = await setup(
      html`<kol-countdown-deal product-id="p-cap" price="11.00" currency="EUR" ends-at=${endsAt} stock="5" limit="1"></kol-countdown-deal>`,
    );
    await showing(el, 'Lune Cap');
    expect(el.getAttribute('state')).to.equal('active');
    expect(read(part(el, 'price'))).to.equal(formatted(eur('11.00')));
    expect(read(part(el, 'stock'))).to.equal('5 left');
    expect(read(part(el, 'limit'))).to.equal('Limit 1 per customer');
    expect(seconds(read(part(el, 'timer')))).to.be.within(55, 60);
    cta(el).click();
    await waitUntil(() => show.cart?.totalQuantity === 1, 'not added');
    expect(show.cart!.lines[0].price).to.deep.equal(eur('11.00'));
    await waitUntil(() => !el.hasAttribute('busy'));
    cta(el).click();
    await waitUntil(() => part(el, 'status')?.classList.contains('refused'), 'the limit attribute was not applied');
    expect(show.cart!.totalQuantity).to.equal(1);
  });

  it('shows a specific deal with deal-id, the most recent one without', async () => {
    const now = Date.now();
    const {show} = await setup(html`<kol-countdown-deal id="latest"></kol-countdown-deal><kol-countdown-deal id="first" deal-id="d1"></kol-countdown-deal>`);
    show.push([dealStart('d1', 'p-cap', now - 2000, 60), dealStart('d2', 'p-mug', now - 1000, 60)]);
    await showing(show.querySelector<KolCountdownDeal>('#latest')!, 'Moon Mug');
    await showing(show.querySelector<KolCountdownDeal>('#first')!, 'Lune Cap');
  });

  it('says it is not connected, and reports no-show, without a show on the page', async () => {
    const el = await fixture<KolCountdownDeal>(
      html`<kol-countdown-deal product-id="p-cap" price="11.00" currency="EUR" ends-at=${iso(Date.now() + 60_000)}></kol-countdown-deal>`,
    );
    await waitUntil(() => recorded.list.some((e) => e.detail.code === 'no-show'), 'no kol-error no-show');
    await el.updateComplete;
    expect(read(part(el, 'base'))).to.match(/not connected/i);
  });

  it('is accessible with an active deal (axe)', async () => {
    const {show, el} = await setup();
    show.push(dealStart('d1', 'p-cap', Date.now(), 60, {stock: 4, limitPerCustomer: 1, code: 'FLASH'}));
    await showing(el, 'Lune Cap');
    await expect(el).shadowDom.to.be.accessible();
  });
});
