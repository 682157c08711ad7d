// Hostile or broken show events (issue 10, findings 1, 2, 6 and 16): whatever arrives, deals keep the
// right phase, nothing throws into the page, memory stays bounded, and each distinct bad event is
// reported once, without its payload.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolCountdownDeal, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {MAX_DEALS} from '../../src/core/state.js';
import {dealStart, pin, stock} from '../fixtures/events.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {countRequests} from '../fixtures/wait.js';
import type {KolErrorEvent} from '../../src/elements/events.js';

const errors = recordKolErrors();
const iso = (ms: number) => new Date(ms).toISOString();
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** Uncaught errors and rejections in the page during a test. */
const pageErrors: string[] = [];
const onPageError = (e: ErrorEvent | PromiseRejectionEvent) => pageErrors.push(String('error' in e ? e.error ?? e.message : e.reason));
beforeEach(() => {
  pageErrors.length = 0;
  window.addEventListener('error', onPageError);
  window.addEventListener('unhandledrejection', onPageError);
});
afterEach(() => {
  window.removeEventListener('error', onPageError);
  window.removeEventListener('unhandledrejection', onPageError);
});

async function setup(deal = html`<kol-countdown-deal></kol-countdown-deal>`) {
  const adapter = new MemoryAdapter({products: freshCatalog()});
  const show = await fixture<KolShow>(html`<kol-show .adapter=${adapter}>${deal}</kol-show>`);
  const el = show.querySelector<KolCountdownDeal>('kol-countdown-deal')!;
  await el.updateComplete;
  return {show, el};
}

/** Lets Lit render what a push changed. */
const settle = async (el: KolCountdownDeal) => {
  el.requestUpdate();
  await el.updateComplete;
};

describe('hostile show events', () => {
  describe('the deal clock (finding 1)', () => {
    it('a sentAt in the year 9999 expires no live deal and releases no future event', async () => {
      const {show, el} = await setup();
      const now = Date.now();
      show.push(dealStart('flash', 'p-cap', now - 1000, 600));
      await waitUntil(() => el.getAttribute('state') === 'active', 'the deal never opened');
      show.push({...pin('p-tee', now + 3600_000), sentAt: '9999-12-31T23:59:59Z'});
      show.push({v: 1, id: 'viewers-9999', type: 'viewers.update', at: iso(now), sentAt: '9999-12-31T23:59:59Z', count: 3});
      await settle(el);
      expect(el.getAttribute('state')).to.equal('active');
      expect(part(el, 'cta')!.hasAttribute('disabled'), 'the deal can still be bought').to.equal(false);
      expect(show.state.pinned, 'the pin an hour ahead waits').to.deep.equal([]);
      expect(Math.abs(show.clock.now() - Date.now())).to.be.below(60_000);
      expect(errors.codes().filter((c) => c === 'clock-skew'), 'one error for the run of bad samples').to.have.length(1);
      expect(show.getAttribute('error')).to.equal('clock-skew');
    });

    it("a first event stamped two hours ago does not reopen a deal that ended an hour ago, and its add is refused", async () => {
      const {show, el} = await setup();
      const now = Date.now();
      const twoHoursAgo = now - 2 * 3600_000;
      show.push({
        ...dealStart('old', 'p-cap', twoHoursAgo - 60_000, 3600, {variantId: 'p-cap-navy'}),
        sentAt: iso(twoHoursAgo),
      });
      await waitUntil(() => el.getAttribute('state'), 'the deal never showed');
      await settle(el);
      expect(el.getAttribute('state')).to.equal('expired');
      const outcome = await show.addToCart({productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1, source: 'test', dealId: 'old'});
      expect(outcome.status).to.equal('refused');
      expect(show.cart, 'nothing was added at the deal price').to.equal(null);
      expect(errors.codes()).to.include('clock-skew');
    });
  });

  describe('ids that are also property names (finding 2)', () => {
    it('stock.update with dealId "toString" makes no phantom deal, and a real deal still shows', async () => {
      const {show, el} = await setup();
      const now = Date.now();
      show.push(stock({dealId: 'toString'}, 5, now - 10));
      show.push(stock({dealId: '__proto__'}, 5, now - 10));
      await settle(el);
      expect(Object.keys(show.state.deals)).to.deep.equal([]);
      expect(el.hasAttribute('state')).to.equal(false);
      expect(read(part(el, 'base'))).to.equal('No deal right now.');
      show.push(dealStart('real', 'p-cap', now - 1000, 600));
      await waitUntil(() => read(part(el, 'title')) === 'Lune Cap', 'the real deal never showed');
      expect(el.getAttribute('state')).to.equal('active');
      expect(pageErrors).to.deep.equal([]);
    });

    it('deal-id="constructor" shows no deal until a deal with that id starts', async () => {
      const {show, el} = await setup(html`<kol-countdown-deal deal-id="constructor"></kol-countdown-deal>`);
      await settle(el);
      expect(read(part(el, 'base'))).to.equal('No deal right now.');
      show.push(dealStart('constructor', 'p-cap', Date.now() - 1000, 600));
      await waitUntil(() => read(part(el, 'title')) === 'Lune Cap', 'the deal never showed');
      expect(el.getAttribute('state')).to.equal('active');
      expect(pageErrors).to.deep.equal([]);
    });
  });

  describe('caps (finding 6)', () => {
    it('refuses a snapshot carrying 300,000 chat messages, keeping the state it had', async () => {
      const {show} = await setup();
      const now = Date.now();
      show.push(pin('p-cap', now - 1000));
      await waitUntil(() => show.state.pinned.length === 1, 'the pin never showed');
      const chat = Array.from({length: 300_000}, (_, i) => ({id: `c${i}`, author: 'a', text: 'spam', at: iso(now - 1000)}));
      const state = {status: 'live', pinned: [], deals: {}, stock: {}, viewers: 1, lineup: [], chat};
      show.push({v: 1, id: 'huge-snapshot', type: 'show.snapshot', at: iso(now - 500), state});
      expect(errors.codes()).to.deep.equal(['bad-event']);
      expect(errors.list[0].detail.message).to.contain('at most');
      expect(show.state.pinned.map((p) => p.productId)).to.deep.equal(['p-cap']);
    });

    it(`holds at most ${MAX_DEALS} running deals and says once that one was dropped`, async () => {
      const {show} = await setup();
      const now = Date.now();
      show.push(Array.from({length: MAX_DEALS + 50}, (_, i) => dealStart(`d${i}`, 'p-cap', now - 1000, 600)));
      await waitUntil(() => Object.keys(show.state.deals).length === MAX_DEALS, 'the deals never arrived');
      expect(errors.codes()).to.deep.equal(['show-limit']);
    });
  });

  describe('reporting (finding 16)', () => {
    it('reports each bad event id once, without its payload', async () => {
      const {show} = await setup();
      const bad = {v: 1, id: 'bad-1', type: 'deal.start', at: iso(Date.now()), secret: 'x'.repeat(10_000)};
      for (let i = 0; i < 5; i++) show.push(bad); // a date range re-read on every playlist load
      show.push({...bad, id: 'bad-2'});
      expect(errors.codes()).to.deep.equal(['bad-event', 'bad-event']);
      for (const error of errors.list) {
        expect(JSON.stringify(error.detail.cause ?? null)).not.to.contain('xxxx');
        expect(error.detail.message.length).to.be.below(300);
      }
      expect(errors.list.map((e) => (e.detail.cause as {id?: string} | undefined)?.id)).to.deep.equal(['bad-1', 'bad-2']);
      // Without an id, the same problem is one report.
      for (let i = 0; i < 5; i++) show.push('not an event');
      expect(errors.codes()).to.have.length(3);
    });
  });
});

describe('a malformed date range in a live playlist (finding 16, with the real player)', function () {
  this.timeout(90000);

  it('is reported once, not on every playlist reload, and the stream plays on', async () => {
    const faultId = uniqueId('bad-daterange');
    const src = `/live/index.m3u8?fault=bad-daterange&faultId=${faultId}&faultAfter=0&faultFor=3600`;
    const playlists = countRequests(/\/live\/index\.m3u8\?/);
    try {
      const show = await fixture<KolShow>(html`<kol-show><kol-live-player src=${src} muted autoplay></kol-live-player></kol-show>`);
      const reports: string[] = [];
      show.addEventListener('kol-error', (e: KolErrorEvent) => e.detail.code === 'bad-event' && reports.push(e.detail.message));
      await waitUntil(() => reports.length > 0, 'the malformed date range was never reported', {timeout: 30000});
      const seen = playlists.count;
      // The date range stays listed while its segment is in the window: several reloads read it again.
      await waitUntil(() => playlists.count >= seen + 3, 'the playlist was not reloaded', {timeout: 30000});
      expect(reports, 'one report for the date range, whatever the reloads').to.have.length(1);
      expect(reports[0]).to.contain(`bad-daterange-${faultId}`);
      expect(show.programTime, 'the stream plays on').to.not.equal(null);
    } finally {
      playlists.stop();
    }
  });
});
