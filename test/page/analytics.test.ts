// Conversion events and the analytics bridges, in Chromium: an add that goes in fires one `kol-add-to-cart`
// naming where it came from (pin, deal, chat mention), the product, the price added at and the credited
// `kol_ref`; a refused or failed add fires none, and an add the backend turned away once and kolkit resent
// fires one. The dataLayer bridge pushes GA4's `add_to_cart` only with consent (before it nothing is pushed
// and nothing stored), and an online store's `Shopify.analytics.publish` gets the add as `kolkit:add_to_cart`.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import {bridgeToDataLayer, type AddToCartDetail, type KolAddToCartEvent, type KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {AddToCartInput, CartMutationResult, RequestOptions} from '../../src/adapters/types.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {notApplied} from '../../src/core/add-failure.js';
import {ATTRIBUTION_KEY, forgetPageAttribution} from '../../src/page/attribution.js';
import {dealStart, pin, unpin} from '../fixtures/events.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {quantityOf} from '../fixtures/cart.js';
import {uniqueId} from '../fixtures/host.js';

const product = (id: string) => catalog.find((p) => p.id === id)!;
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const eur = (amount: string) => ({amount, currencyCode: 'EUR'});
const iso = (ms: number) => new Date(ms).toISOString();
/** A token-shaped viewer token (the elements read the name only; the server's answers are faked below). */
const fakeToken = `e30.${btoa(JSON.stringify({sub: 'ana', name: 'Ana'})).replace(/=+$/, '')}.sig`;
const errors = recordKolErrors();

/** A memory backend that turns the first `refusals` adds away unrun (429), as a busy backend does. */
class BusyMemoryAdapter extends MemoryAdapter {
  adds = 0;
  constructor(private refusals: number) {
    super({products: freshCatalog()});
  }
  override async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    this.adds++;
    if (this.adds <= this.refusals) throw notApplied(new Error('429 Too Many Requests'));
    return super.addToCart(input, options);
  }
}

/** Every `kol-add-to-cart` that reaches `document` during a test. */
let conversions: AddToCartDetail[] = [];
const count = (e: KolAddToCartEvent) => conversions.push(e.detail);

/** A show (its own id, affiliate, consent) around `inner`, on a fresh memory cart. */
async function setup(inner: ReturnType<typeof html>, {adapter = new MemoryAdapter({products: freshCatalog()}), consent = 'denied'} = {}) {
  const id = `an-${Math.random().toString(36).slice(2, 8)}`;
  const show = await fixture<KolShow>(html`<kol-show id=${id} affiliate="host-42" consent=${consent} .adapter=${adapter}>${inner}</kol-show>`);
  return {show, id, adapter};
}

/** Pins `productId` and presses the pin's add to cart once it shows the product. */
async function addFromPin(show: KolShow, productId: string) {
  show.push(pin(productId, Date.now()));
  const el = show.querySelector('kol-product-pin')!;
  await waitUntil(() => part(el, 'cta') && !(part(el, 'cta') as HTMLButtonElement).disabled, 'the pin never offered add to cart');
  part(el, 'cta')!.click();
  return el;
}

/** Waits until the pin's add has settled (its status says so). */
const settled = (el: HTMLElement) => waitUntil(() => el.shadowRoot!.querySelector('[part~=status]')?.textContent?.trim(), 'the add never settled', {timeout: 10_000});

describe('kol-add-to-cart', () => {
  beforeEach(() => {
    conversions = [];
    document.addEventListener('kol-add-to-cart', count);
  });
  afterEach(() => document.removeEventListener('kol-add-to-cart', count));

  it('an add from the pin fires one event naming the pin, the product, the price added at and the kol_ref', async () => {
    const {show, id} = await setup(html`<kol-product-pin></kol-product-pin>`);
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => conversions.length === 1, 'no kol-add-to-cart');
    const variant = product('p-cap').variants[0]!;
    expect(conversions[0]).to.deep.equal({
      source: 'pin', sourceId: 'p-cap', productId: 'p-cap', productTitle: 'Lune Cap', variantId: variant.id, variantTitle: variant.title,
      quantity: 1, price: variant.price, showId: id, kolRef: 'host-42',
    });
    // The line the order will carry says the same.
    const line = show.cart!.lines.find((l) => l.variantId === variant.id)!;
    expect(line.attributes).to.include({_kol_show: id, _kol_ref: 'host-42'});
    await settled(el);
    expect(conversions).to.have.length(1);
  });

  it('an add on the flash deal names the deal and its price', async () => {
    const {show} = await setup(html`<kol-countdown-deal></kol-countdown-deal>`);
    show.push(dealStart('d-an', 'p-tee', Date.now(), 60, {price: eur('19.00'), variantId: 'p-tee-m'}));
    const el = show.querySelector('kol-countdown-deal')!;
    await waitUntil(() => part(el, 'cta') && !(part(el, 'cta') as HTMLButtonElement).disabled, 'the deal never offered add to cart');
    part(el, 'cta')!.click();
    await waitUntil(() => conversions.length === 1, 'no kol-add-to-cart');
    expect(conversions[0]).to.include({source: 'deal', sourceId: 'd-an', dealId: 'd-an', productId: 'p-tee', variantId: 'p-tee-m', quantity: 1});
    expect(conversions[0]!.price).to.deep.equal(eur('19.00'));
  });

  it('an add from a chat mention names the message', async () => {
    const {show} = await setup(html`<kol-chat no-server></kol-chat>`);
    show.push({v: 1, id: 'msg-an-1', type: 'chat.message', at: new Date().toISOString(), author: 'Lu', text: 'try #2', mentions: [{label: '#2', productId: 'p-cap'}]});
    const chat = show.querySelector('kol-chat')!;
    await waitUntil(() => part(chat, 'mention-cta'), 'the mention never showed its card');
    part(chat, 'mention-cta')!.click();
    await waitUntil(() => conversions.length === 1, 'no kol-add-to-cart');
    const message = show.state.chat.find((m) => m.text === 'try #2')!;
    expect(conversions[0]).to.include({source: 'mention', sourceId: message.id, productId: 'p-cap', kolRef: 'host-42'});
  });

  it('the won auction\'s add names the auction and the winning price, once however often the close is seen', async () => {
    const {show, id} = await setup(html`<kol-auction></kol-auction>`);
    show.setAttribute('server', '/');
    show.setAttribute('show-id', uniqueId('analytics'));
    show.viewerToken = fakeToken;
    show.bid = async (_id: string, amount: string): Promise<ActionOutcome> => ({status: 'accepted', data: {accepted: true, highBid: eur(amount), leading: true}});
    show.auctionResult = async (auctionId: string): Promise<ActionOutcome> =>
      ({status: 'accepted', data: {auctionId, closed: true, won: true, price: eur('15.00'), productId: 'p-cap'}});
    const el = show.querySelector('kol-auction')!;
    const close = () => ({v: 1, id: uniqueId('e'), type: 'auction.close', at: iso(Date.now() - 100), auctionId: 'a-an', winner: 'Ana', highBid: eur('15.00'), bids: 3});
    show.push({v: 1, id: uniqueId('e'), type: 'auction.open', at: iso(Date.now() - 1000), auctionId: 'a-an', productId: 'p-cap',
      startingBid: eur('10.00'), endsAt: iso(Date.now() + 60_000), extendBy: 10, suddenDeath: false});
    await waitUntil(() => el.state === 'open');
    el.shadowRoot!.querySelector<HTMLElement>('[part~=quick-bid]')!.click();
    await waitUntil(() => el.state === 'leading');
    show.push(close());
    await waitUntil(() => conversions.length === 1, 'the win was never counted');
    expect(conversions[0]).to.include({source: 'auction', sourceId: 'a-an', dealId: 'a-an', productId: 'p-cap', quantity: 1, showId: id, kolRef: 'host-42'});
    expect(conversions[0]!.price).to.deep.equal(eur('15.00'));
    // The close again (a reconnect's snapshot): nothing is added, nothing counted.
    show.push(close());
    await el.updateComplete;
    expect(conversions).to.have.length(1);
  });

  it('a member\'s add at the team price names the group and the team price', async () => {
    const {show} = await setup(html`<kol-group-buy></kol-group-buy>`);
    show.setAttribute('server', '/');
    show.setAttribute('show-id', uniqueId('analytics'));
    show.viewerToken = fakeToken;
    show.groupMembership = async (): Promise<ActionOutcome> => ({status: 'accepted', data: {member: true, joined: 3, needed: 3}});
    const el = show.querySelector('kol-group-buy')!;
    show.push([
      {v: 1, id: uniqueId('e'), type: 'group.open', at: iso(Date.now() - 1000), groupId: 'g-an', productId: 'p-cap', price: eur('18.00'), needed: 3,
        endsAt: iso(Date.now() + 600_000), joined: 0},
      {v: 1, id: uniqueId('e'), type: 'group.close', at: iso(Date.now() - 500), groupId: 'g-an', joined: 3, reason: 'filled'},
    ]);
    await waitUntil(() => el.state === 'unlocked' && part(el, 'cta'), 'the member was never offered the team price');
    part(el, 'cta')!.click();
    await waitUntil(() => conversions.length === 1, 'the team price add was never counted');
    expect(conversions[0]).to.include({source: 'group', sourceId: 'g-an', dealId: 'g-an', productId: 'p-cap', quantity: 1});
    expect(conversions[0]!.price).to.deep.equal(eur('18.00'));
  });

  it('a backend that fails every add fires none (the failure is a kol-error)', async () => {
    const adapter = new BusyMemoryAdapter(Infinity);
    const {show} = await setup(html`<kol-product-pin></kol-product-pin>`, {adapter});
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => errors.codes().includes('cart-add-failed'), 'no cart-add-failed', {timeout: 10_000});
    await settled(el);
    expect(adapter.adds).to.equal(2);
    expect(conversions).to.deep.equal([]);
  });

  it('an add turned away once and sent again fires once', async () => {
    const adapter = new BusyMemoryAdapter(1);
    const {show} = await setup(html`<kol-product-pin></kol-product-pin>`, {adapter});
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => conversions.length === 1, 'no kol-add-to-cart', {timeout: 10_000});
    await settled(el);
    expect(adapter.adds).to.equal(2);
    expect(quantityOf(show.cart, product('p-cap').variants[0]!.id)).to.equal(1);
    expect(conversions).to.have.length(1);
    expect(errors.codes()).to.deep.equal([]);
  });

  it('an add the page took over (a cancelled request) fires none', async () => {
    const take = (e: Event) => e.preventDefault();
    document.addEventListener('kol-add-to-cart-request', take);
    try {
      const {show} = await setup(html`<kol-product-pin></kol-product-pin>`);
      let asked = 0;
      show.addEventListener('kol-add-to-cart-request', () => asked++);
      await addFromPin(show, 'p-cap');
      await waitUntil(() => asked === 1, 'no request');
      expect(show.cart?.totalQuantity ?? 0).to.equal(0);
      expect(conversions).to.deep.equal([]);
    } finally {
      document.removeEventListener('kol-add-to-cart-request', take);
    }
  });
});

describe('the dataLayer bridge', () => {
  const page = window as unknown as {dataLayer?: unknown[]};
  let stop: (() => void) | undefined;
  const start = location.href;

  afterEach(() => {
    stop?.();
    stop = undefined;
    delete page.dataLayer;
    sessionStorage.removeItem(ATTRIBUTION_KEY);
    forgetPageAttribution();
    history.replaceState(null, '', start);
  });

  /** What the page stores that a tag or kolkit could have left: storage and cookies. */
  const stored = () => ({session: sessionStorage.length, local: localStorage.length, cookie: document.cookie});

  it('pushes nothing and stores nothing before consent, then GA4\'s add_to_cart once consent is given', async () => {
    history.replaceState(null, '', `${location.pathname}?kol_ref=landed-7`);
    stop = bridgeToDataLayer();
    const before = stored();
    const {show, id} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'denied'});
    show.removeAttribute('affiliate');
    await show.updateComplete;
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => show.cart?.totalQuantity === 1, 'the add never went in');
    await settled(el);
    expect(page.dataLayer).to.equal(undefined);
    expect(stored()).to.deep.equal(before);

    show.consent = 'granted';
    await show.updateComplete;
    await waitUntil(() => !(part(el, 'cta') as HTMLButtonElement).disabled);
    part(el, 'cta')!.click();
    await waitUntil(() => page.dataLayer?.length === 2, 'nothing pushed after consent');
    const variant = product('p-cap').variants[0]!;
    expect(page.dataLayer![0]).to.deep.equal({ecommerce: null});
    const pushed = page.dataLayer![1] as Record<string, unknown>;
    expect(pushed).to.deep.include({
      event: 'add_to_cart',
      ecommerce: {
        currency: variant.price.currencyCode,
        value: Number(variant.price.amount),
        items: [{
          item_id: 'p-cap', item_name: 'Lune Cap', item_variant: variant.title, price: Number(variant.price.amount), quantity: 1,
          item_list_name: 'live show', item_list_id: id, affiliation: 'landed-7',
        }],
      },
    });
    expect(pushed.kolkit).to.include({source: 'pin', sourceId: 'p-cap', showId: id, kolRef: 'landed-7'});
  });

  it('pushes a view_item for each product the host pins, once a pin, at the price the pin shows; none before consent', async () => {
    stop = bridgeToDataLayer();
    const {show, id} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'denied'});
    const pins: string[] = [];
    show.addEventListener('kol-pin-change', (e) => pins.push(e.detail.pinned[0]?.productId ?? ''));
    show.push(pin('p-mug', Date.now()));
    await waitUntil(() => pins.length === 1);
    await show.whenProduct('p-mug');
    expect(page.dataLayer).to.equal(undefined);
    show.consent = 'granted';
    await show.updateComplete;
    const now = Date.now();
    show.push([dealStart('d-view', 'p-cap', now, 60, {price: eur('9.90')}), pin('p-cap', now)]);
    await waitUntil(() => page.dataLayer?.length === 2, 'no view_item for the new pin');
    const variant = product('p-cap').variants[0]!;
    expect(page.dataLayer![1]).to.deep.include({
      event: 'view_item',
      ecommerce: {currency: 'EUR', value: 9.9, items: [{
        item_id: 'p-cap', item_name: 'Lune Cap', item_variant: variant.title, price: 9.9, quantity: 1,
        item_list_name: 'live show', item_list_id: id, promotion_id: 'd-view',
      }]},
    });
    // The older pin taken down: the pins change, the product shown does not: not a new view. A new pin is.
    show.push(unpin('p-mug', Date.now()));
    await waitUntil(() => pins.length === 3);
    expect(pins[2]).to.equal('p-cap');
    show.push(pin('p-mug', Date.now() + 1));
    await waitUntil(() => page.dataLayer?.length === 4, 'no view_item for the next pin');
    expect((page.dataLayer![3] as {ecommerce: {items: {item_id: string}[]}}).ecommerce.items[0]!.item_id).to.equal('p-mug');
    expect(page.dataLayer!.filter((e) => (e as {event?: string}).event === 'view_item')).to.have.length(2);
  });

  it('counts the product already pinned when the page opts in late', async () => {
    const {show} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'granted'});
    show.push(pin('p-mug', Date.now()));
    await waitUntil(() => show.state.pinned.length === 1);
    stop = bridgeToDataLayer();
    await waitUntil(() => page.dataLayer?.length === 2, 'no view_item for the pin already shown');
    expect(page.dataLayer![1]).to.deep.include({event: 'view_item'});
    expect((page.dataLayer![1] as {kolkit: {productId: string}}).kolkit.productId).to.equal('p-mug');
  });

  it('follows the page\'s own consent signal when given one, and stops when asked', async () => {
    let allowed = false;
    stop = bridgeToDataLayer({name: 'kolLayer', consent: {allowed: () => allowed}});
    const layer = () => (window as unknown as {kolLayer?: unknown[]}).kolLayer;
    try {
      const {show} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'granted'});
      let adds = 0;
      show.addEventListener('kol-add-to-cart', () => adds++);
      const el = await addFromPin(show, 'p-cap');
      // The bridges hear an add right after its event: once the event is seen, the bridge has had it.
      await waitUntil(() => adds === 1);
      expect(layer()).to.equal(undefined);
      allowed = true;
      await waitUntil(() => !(part(el, 'cta') as HTMLButtonElement).disabled);
      part(el, 'cta')!.click();
      await waitUntil(() => layer()?.length === 2, 'nothing pushed with the page\'s consent');
      stop();
      await waitUntil(() => !(part(el, 'cta') as HTMLButtonElement).disabled);
      part(el, 'cta')!.click();
      await waitUntil(() => adds === 3);
      expect(layer()).to.have.length(2);
    } finally {
      delete (window as unknown as {kolLayer?: unknown[]}).kolLayer;
    }
  });
});

describe('Shopify customer events', () => {
  type Published = [string, Record<string, unknown>];
  const page = window as unknown as {Shopify?: unknown};
  afterEach(() => delete page.Shopify);

  /**
   * An online store's `Shopify.analytics`, as Shopify documents it: `publish(event_name, event_data)`; with
   * `analyticsAllowed`, its Customer Privacy API too (`customerPrivacy.analyticsProcessingAllowed()`).
   */
  function shopifyStub(analyticsAllowed?: () => boolean) {
    const published: Published[] = [];
    page.Shopify = {
      analytics: {publish: (name: string, data: Record<string, unknown>) => void published.push([name, data])},
      ...(analyticsAllowed ? {customerPrivacy: {analyticsProcessingAllowed: analyticsAllowed}} : {}),
    };
    return published;
  }

  it('publishes kolkit:add_to_cart with the add when Shopify.analytics is there, only with consent', async () => {
    const published = shopifyStub();
    const {show, id} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'denied'});
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => show.cart?.totalQuantity === 1);
    await settled(el);
    expect(published).to.deep.equal([]);
    show.consent = 'granted';
    await show.updateComplete;
    part(el, 'cta')!.click();
    await waitUntil(() => published.length === 1, 'nothing published with consent');
    const [name, data] = published[0]!;
    expect(name).to.equal('kolkit:add_to_cart');
    expect(data).to.include({source: 'pin', sourceId: 'p-cap', productId: 'p-cap', quantity: 1, showId: id, kolRef: 'host-42'});
    expect(data.price).to.deep.equal(product('p-cap').variants[0]!.price);
  });

  it('on a store whose visitor allowed analytics through Shopify\'s banner, publishes without the show\'s consent; refused, not', async () => {
    let allowed = false;
    const published = shopifyStub(() => allowed);
    const {show} = await setup(html`<kol-product-pin></kol-product-pin>`, {consent: 'denied'});
    let adds = 0;
    show.addEventListener('kol-add-to-cart', () => adds++);
    const el = await addFromPin(show, 'p-cap');
    await waitUntil(() => adds === 1);
    expect(published).to.deep.equal([]);
    allowed = true;
    await waitUntil(() => !(part(el, 'cta') as HTMLButtonElement).disabled);
    part(el, 'cta')!.click();
    await waitUntil(() => adds === 2);
    expect(published.map(([name]) => name)).to.deep.equal(['kolkit:add_to_cart']);
    // Shopify's consent is for Shopify's pixels only: nothing was stored by kolkit.
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal(null);
  });
});
