import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/index.js';
import type {KolErrorEvent} from '../../src/elements/events.js';
import {dealStart, pin, unpin} from '../fixtures/events.js';
import {hostAct, uniqueId} from '../fixtures/host.js';
import {countRequests} from '../fixtures/wait.js';

/** Collects every kol-error that reaches the document while `run` runs. */
async function errorsDuring(run: () => unknown): Promise<KolErrorEvent['detail'][]> {
  const seen: KolErrorEvent['detail'][] = [];
  const listener = (e: KolErrorEvent) => seen.push(e.detail);
  document.addEventListener('kol-error', listener);
  try {
    await run();
  } finally {
    document.removeEventListener('kol-error', listener);
  }
  return seen;
}

const jsonUrl = (value: unknown) => URL.createObjectURL(new Blob([JSON.stringify(value)], {type: 'application/json'}));

describe('<kol-show>', () => {
  it('renders nothing of its own (display: contents) and exposes state and programTime', async () => {
    const show = await fixture<KolShow>(html`<kol-show><p>child</p></kol-show>`);
    expect(getComputedStyle(show).display).to.equal('contents');
    expect(show.state.pinned).to.deep.equal([]);
    expect(show.programTime).to.equal(null);
  });

  it('push(): validates, releases, and fires kol-show-event then kol-pin-change', async () => {
    const show = await fixture<KolShow>(html`<kol-show></kol-show>`);
    const order: string[] = [];
    show.addEventListener('kol-show-event', (e) => order.push(`event:${e.detail.event.type}`));
    document.addEventListener('kol-pin-change', function listener(e) {
      order.push(`pins:${e.detail.pinned.map((p) => p.productId).join()}`);
      document.removeEventListener('kol-pin-change', listener);
    });
    show.push([pin('a', Date.now() - 1000), pin('b', Date.now() - 500)]);
    expect(show.state.pinned.map((p) => p.productId)).to.deep.equal(['b', 'a']);
    expect(order).to.deep.equal(['event:product.pin', 'event:product.pin', 'pins:b,a']);
  });

  it('drops a malformed event with kol-error bad-event, keeps the good ones, and never throws into the page', async () => {
    const show = await fixture<KolShow>(html`<kol-show></kol-show>`);
    const good = pin('ok', Date.now() - 1);
    const errors = await errorsDuring(() => show.push([{v: 1, type: 'product.pin', id: 'x', at: 'not a time', productId: 'p'}, 'garbage', null, good]));
    expect(errors.map((e) => e.code)).to.deep.equal(['bad-event', 'bad-event', 'bad-event']);
    expect(errors[0].message).to.match(/at:/);
    expect(show.state.pinned.map((p) => p.productId)).to.deep.equal(['ok']);
    expect(show.getAttribute('error')).to.equal('bad-event');
  });

  it('holds a future event until its program time (no player: the server clock)', async () => {
    const show = await fixture<KolShow>(html`<kol-show></kol-show>`);
    const soon = pin('later', Date.now() + 400);
    show.push(soon);
    expect(show.state.pinned).to.deep.equal([]);
    const released = await oneEvent(show, 'kol-show-event');
    expect(released.detail.event.id).to.equal(soon.id);
    expect(Date.now()).to.be.at.least(Date.parse(soon.at));
  });

  it('replays a timeline URL against program time', async () => {
    const now = Date.now();
    const url = jsonUrl([pin('first', now - 2000), unpin('first', now - 1000), pin('second', now + 300)]);
    const show = await fixture<KolShow>(html`<kol-show timeline=${url}></kol-show>`);
    await waitUntil(() => show.state.lineup.length === 1, 'timeline not loaded');
    expect(show.state.pinned).to.deep.equal([]);
    await waitUntil(() => show.state.pinned[0]?.productId === 'second', 'future timeline event not released', {timeout: 3000});
  });

  it('keeps a timeline\'s chat and viewer count at their program time (a replay), while pushed live ones show on arrival', async () => {
    const now = Date.now();
    const at = new Date(now + 800).toISOString();
    const recorded = [
      pin('replayed', now - 1000),
      {v: 1, id: uniqueId('chat-replay'), type: 'chat.message', at, author: 'host', text: 'in step with the video'},
      {v: 1, id: uniqueId('viewers-replay'), type: 'viewers.update', at, count: 212},
    ];
    const show = await fixture<KolShow>(html`<kol-show timeline=${jsonUrl(recorded)}></kol-show>`);
    await waitUntil(() => show.state.pinned.length === 1, 'timeline not loaded');
    expect(show.state.chat, 'a replay\'s chat waits for its program time').to.deep.equal([]);
    expect(show.state.viewers).to.equal(null);
    // The same kinds pushed live, with the same `at` ahead of the viewer: shown at once.
    show.push({v: 1, id: uniqueId('chat-live'), type: 'chat.message', at, author: 'ada', text: 'live'});
    show.push({v: 1, id: uniqueId('viewers-live'), type: 'viewers.update', at, count: 7});
    expect(show.state.chat.map((m) => m.text)).to.deep.equal(['live']);
    expect(show.state.viewers).to.equal(7);
    await waitUntil(() => show.state.chat.length === 2, 'the replay\'s chat was never released', {timeout: 3000});
    expect(Date.now(), 'not before its program time').to.be.at.least(Date.parse(at));
    expect(show.state.chat.map((m) => m.text)).to.deep.equal(['live', 'in step with the video']);
    expect(show.state.viewers).to.equal(212);
  });

  it('reports a timeline that is missing or not an array (timeline-load-failed)', async () => {
    for (const url of ['/test/fixtures/does-not-exist.json', jsonUrl({not: 'an array'})]) {
      const errors = await errorsDuring(async () => {
        const show = await fixture<KolShow>(html`<kol-show timeline=${url}></kol-show>`);
        await waitUntil(() => show.error === 'timeline-load-failed', `no error for ${url}`);
      });
      expect(errors.map((e) => e.code)).to.include('timeline-load-failed');
    }
  });

  it('follows server-sent events from the host (events attribute), with a snapshot on connect', async () => {
    const productId = uniqueId('sse');
    const show = await fixture<KolShow>(html`<kol-show events="/v1/shows/demo/events"></kol-show>`);
    // Connected or not yet: a pin posted before the stream opens comes in its snapshot.
    const sent = await hostAct({type: 'product.pin', productId, label: '#9'});
    await waitUntil(() => show.state.pinned.some((p) => p.productId === productId), 'SSE pin never arrived', {timeout: 5000});
    expect(show.state.pinned.find((p) => p.productId === productId)!.at).to.equal(sent.at);
    // A late joiner gets the same state from the snapshot plus recent events.
    const late = await fixture<KolShow>(html`<kol-show events="/v1/shows/demo/events"></kol-show>`);
    await waitUntil(() => late.state.lineup.some((l) => l.productId === productId), 'late joiner missed the pin', {timeout: 5000});
  });

  it('reports a dead events URL once per outage (events-disconnected) and keeps retrying', async () => {
    const requests = countRequests(/\/no-such-stream$/);
    const errors = await errorsDuring(async () => {
      const show = await fixture<KolShow>(html`<kol-show events="/no-such-stream"></kol-show>`);
      await waitUntil(() => show.error === 'events-disconnected', 'no error');
      // Two retries: the second is only made once the first one's failure has been handled (and not reported).
      const first = requests.count;
      await waitUntil(() => requests.count > first + 1, `retried ${requests.count - first} times`, {timeout: 20000});
      show.remove();
    });
    requests.stop();
    expect(errors.filter((e) => e.code === 'events-disconnected')).to.have.length(1);
  });

  it('builds the memory adapter from attributes and loads products from its URL', async () => {
    const show = await fixture<KolShow>(html`<kol-show adapter="memory" products="/demo/catalog.json"></kol-show>`);
    await waitUntil(() => show.adapter, 'the memory adapter never loaded');
    expect(show.adapter?.name).to.equal('memory');
    const lookup = await show.whenProduct('p-cap');
    expect(lookup.status).to.equal('ready');
    expect(await show.whenProduct('nope')).to.deep.equal({status: 'missing'});
  });

  it('remakes an attribute-made adapter when one of its options is set later (attribute or property)', async () => {
    const show = await fixture<KolShow>(html`<kol-show adapter="shopify-theme" root="/shopify/"></kol-show>`);
    await waitUntil(() => show.adapter, 'the adapter never loaded');
    const first = show.adapter as unknown as {root: string};
    expect(first.root).to.match(/\/shopify\/$/);
    show.setAttribute('root', '/shopify/fr/'); // a framework filling in config after the first render
    await waitUntil(() => (show.adapter as unknown as {root: string}) !== first, 'the adapter was not remade');
    expect((show.adapter as unknown as {root: string}).root).to.match(/\/shopify\/fr\/$/);

    const memory = await fixture<KolShow>(html`<kol-show adapter="memory" products="/no-such-catalog.json"></kol-show>`);
    await waitUntil(() => memory.adapter, 'the memory adapter never loaded');
    memory.products = '/demo/catalog.json';
    await waitUntil(async () => (await memory.whenProduct('p-cap')).status === 'ready', 'the new catalog was not used');
  });

  it('reports an unknown adapter name (unknown-adapter) and works without an adapter', async () => {
    const errors = await errorsDuring(() => fixture(html`<kol-show adapter="magento"></kol-show>`));
    expect(errors.map((e) => e.code)).to.include('unknown-adapter');
  });

  it('refuses an add on a deal that is over before calling the backend', async () => {
    const adapter = new MemoryAdapter({products: [{id: 'p', title: 'P', variants: [{id: 'v', title: 'V', price: {amount: '5.00', currencyCode: 'EUR'}, available: true}]}]});
    const show = await fixture<KolShow>(html`<kol-show .adapter=${adapter}></kol-show>`);
    show.push(dealStart('d', 'p', Date.now() - 10_000, 5));
    const outcome = await show.addToCart({productId: 'p', variantId: 'v', quantity: 1, source: 'countdown-deal', dealId: 'd'});
    expect(outcome).to.deep.equal({status: 'refused', userErrors: [{code: 'deal-expired', message: 'This deal is no longer available.'}]});
    expect(await adapter.getCart()).to.equal(null);
  });

  it('fires kol-deal-change as a deal goes active then expired on its own', async () => {
    const show = await fixture<KolShow>(html`<kol-show></kol-show>`);
    const phases: string[] = [];
    show.addEventListener('kol-deal-change', (e) => phases.push(e.detail.state));
    show.push(dealStart('quick', 'p', Date.now(), 1.2));
    await waitUntil(() => phases.includes('expired'), 'deal never expired', {timeout: 4000});
    expect(phases).to.deep.equal(['active', 'expired']);
  });
});

describe('finding the show', () => {
  it('by show="id", by ancestor, or as the only show on the page', async () => {
    const root = await fixture(html`<div>
      <kol-show id="one"><kol-cart-button class="inside"></kol-cart-button></kol-show>
      <kol-show id="two"></kol-show>
      <kol-cart-button class="by-id" show="two"></kol-cart-button>
    </div>`);
    const adapter = new MemoryAdapter({products: [{id: 'p', title: 'P', variants: [{id: 'v', title: 'V', price: {amount: '5.00', currencyCode: 'EUR'}, available: true}]}]});
    (root.querySelector('#two') as KolShow).adapter = adapter;
    await (root.querySelector('#two') as KolShow).addToCart({productId: 'p', variantId: 'v', quantity: 2, source: 'test'});
    const byId = root.querySelector('.by-id')!;
    await waitUntil(() => byId.getAttribute('count') === '2', 'button by id did not follow show two');
    expect(root.querySelector('.inside')!.getAttribute('count')).to.equal('0');
  });

  it('shows a visible state and kol-error no-show when there is none', async () => {
    const errors = await errorsDuring(async () => {
      const pinEl = await fixture(html`<kol-product-pin></kol-product-pin>`);
      await waitUntil(() => pinEl.getAttribute('error') === 'no-show', 'no visible error');
      expect(pinEl.shadowRoot!.textContent).to.match(/not connected/i);
    });
    expect(errors.map((e) => e.code)).to.include('no-show');
  });
});

describe('<kol-show> under a failing backend', () => {
  it('does not hammer a failing catalog: one error, then a backed-off retry', async () => {
    const errors = await errorsDuring(async () => {
      const show = await fixture<KolShow>(html`<kol-show adapter="memory" products="/no-such-catalog.json"><kol-product-pin></kol-product-pin></kol-show>`);
      show.push(pin('p', Date.now() - 1));
      const pinEl = show.querySelector('kol-product-pin')!;
      await waitUntil(() => /could not be loaded/.test(pinEl.shadowRoot!.textContent ?? ''), 'no visible error', {timeout: 10000});
      // A second error within a second of the first would be hammering (the retry backs off for longer).
      const reported = performance.now();
      await waitUntil(() => performance.now() - reported > 1000, 'the observation window', {timeout: 5000, interval: 100});
    });
    expect(errors.filter((e) => e.code === 'product-load-failed')).to.have.length(1);
  });

  it('a refused add on a shopper without a cart leaves the cart null and fires no kol-cart-change', async () => {
    const adapter = new MemoryAdapter({products: [{id: 'p', title: 'P', variants: [{id: 'v', title: 'V', price: {amount: '5.00', currencyCode: 'EUR'}, available: false}]}]});
    const show = await fixture<KolShow>(html`<kol-show .adapter=${adapter}></kol-show>`);
    let changes = 0;
    show.addEventListener('kol-cart-change', () => changes++);
    const outcome = await show.addToCart({productId: 'p', variantId: 'v', quantity: 1, source: 'test'});
    expect(outcome.status).to.equal('refused');
    expect([show.cart, changes]).to.deep.equal([null, 0]);
  });
});

describe('<kol-show> moved in the page', () => {
  it('reconnects its event stream after being removed and re-inserted', async () => {
    const productId = uniqueId('moved');
    const show = await fixture<KolShow>(html`<kol-show events="/v1/shows/demo/events"></kol-show>`);
    const parent = show.parentElement!;
    show.remove();
    parent.append(show);
    // Connected or not yet: a pin posted before the stream reopens comes in its snapshot.
    await hostAct({type: 'product.pin', productId});
    await waitUntil(() => show.state.pinned.some((p) => p.productId === productId), 'no events after re-insertion', {timeout: 5000});
  });
});
