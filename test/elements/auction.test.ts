// <kol-auction> in Chromium: an auction from pushed events (each test a show of its own) with the show's bid and
// result faked: the product and the starting bid, quick bids from the increment table, leading and outbid (said
// once), a 409 naming the new minimum, a 410 as ended, a failed bid retried with the same key, a typed amount
// checked before it is sent, sign-in for an anonymous viewer, a late bid's extension made visible, the video's
// delay said, and the win: the product in the cart once at the winning price. Then end to end on a show server on
// another origin: two customers bid, one is outbid, a late bid extends the end, and only the winner's cart gets
// the product, at the winning price.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolAuction, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, serverViewerToken, showServerUrl} from '../fixtures/show-server.js';

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: HTMLElement, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const liveRegion = (el: HTMLElement) => read(el.shadowRoot!.querySelector('.visually-hidden[role=status]'));
const iso = (ms: number) => new Date(ms).toISOString();
const eur = (amount: string) => ({amount, currencyCode: 'EUR'});

/** A token-shaped viewer token naming `name` (the element reads the name only; the server is faked here). */
const fakeToken = (name: string) => `e30.${btoa(JSON.stringify({sub: name.toLowerCase(), name})).replace(/=+$/, '')}.sig`;

const recorded = recordKolErrors();

async function setup({token = fakeToken('Ana') as string | null, signInUrl = null as string | null} = {}) {
  const adapter = new MemoryAdapter({products: freshCatalog()});
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${uniqueId('auction')} .adapter=${adapter}></kol-show>`);
  if (token) show.viewerToken = token;
  const el = document.createElement('kol-auction') as KolAuction;
  if (signInUrl) el.setAttribute('sign-in-url', signInUrl);
  show.append(el);
  await el.updateComplete;
  return {show, el, adapter};
}

const auctionOpen = (auctionId: string, seconds = 60, extra: Record<string, unknown> = {}) => ({
  v: 1, id: uniqueId('e'), type: 'auction.open', at: iso(Date.now() - 1000), auctionId, productId: 'p-cap',
  startingBid: eur('10.00'), endsAt: iso(Date.now() + seconds * 1000), extendBy: 10, suddenDeath: false, ...extra,
});
const auctionUpdate = (auctionId: string, amount: string, bidder: string, bids: number, endsAt: string) =>
  ({v: 1, id: uniqueId('e'), type: 'auction.update', at: iso(Date.now() - 200), auctionId, highBid: eur(amount), bidder, endsAt, bids});
const auctionClose = (auctionId: string, winner: string | null, amount: string | null, bids: number) =>
  ({v: 1, id: uniqueId('e'), type: 'auction.close', at: iso(Date.now() - 100), auctionId, winner, highBid: amount ? eur(amount) : null, bids});

/** Replaces the show's bid with `answer`; answers the bids asked, in order. */
function fakeBid(show: KolShow, answer: (n: number, amount: string) => Promise<ActionOutcome>) {
  const calls: {auctionId: string; amount: string; key: string | undefined}[] = [];
  show.bid = (auctionId: string, amount: string, key?: string) => answer(calls.push({auctionId, amount, key}) - 1, amount);
  return calls;
}
const accepted = (amount: string): ActionOutcome => ({status: 'accepted', data: {accepted: true, highBid: eur(amount), leading: true}});

describe('<kol-auction>', () => {
  it('says there is no auction before one opens', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No auction right now.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an open auction: product, starting bid, countdown, quick bids from the increment table, the live note; axe-clean', async () => {
    const {show, el} = await setup();
    show.push(auctionOpen('a1', 90));
    await waitUntil(() => el.state === 'open' && read(part(el, 'title')) === 'Lune Cap', 'the auction never showed');
    expect(read(part(el, 'high-bid'))).to.equal('Starting bid €10.00 · 0 bids');
    expect(read(part(el, 'timer'))).to.match(/^1:(29|30)$/);
    expect(parts(el, 'quick-bid').map(read)).to.deep.equal(['Bid €10.00', '€11.00', '€12.00']);
    expect(read(part(el, 'live-note'))).to.equal("Live bids, on the show's clock");
    expect((part(el, 'image') as HTMLImageElement).alt).to.equal('A cap with a crescent moon');
    expect(part(el, 'extended')!.hidden).to.equal(true);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('a bid leads; a higher bid by another makes it outbid, said once, and the quick bids move to the new minimum', async () => {
    const {show, el} = await setup();
    const calls = fakeBid(show, async (_, amount) => accepted(amount));
    const open = auctionOpen('a2', 90);
    show.push(open);
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[1]!.click();
    await waitUntil(() => el.state === 'leading', 'the bid never led');
    expect(calls).to.have.length(1);
    expect(calls[0]).to.include({auctionId: 'a2', amount: '11.00'});
    expect(calls[0]!.key, 'an idempotency key').to.match(/^[A-Za-z0-9_-]{16,}$/);
    show.push(auctionUpdate('a2', '11.00', 'Ana', 1, open.endsAt));
    await el.updateComplete;
    expect(el.state).to.equal('leading');
    expect(read(part(el, 'badge'))).to.equal("You're winning");
    expect(read(part(el, 'high-bid'))).to.equal('Current bid €11.00 · Ana · 1 bid');
    expect(read(part(el, 'status'))).to.equal("You're winning at €11.00.");
    show.push(auctionUpdate('a2', '14.00', 'Bo', 2, open.endsAt));
    await waitUntil(() => el.state === 'outbid', 'never outbid');
    await el.updateComplete;
    expect(liveRegion(el)).to.equal("You've been outbid: €14.00 by Bo.");
    expect(parts(el, 'quick-bid').map(read)).to.deep.equal(['Bid €15.00', '€16.00', '€17.00']);
    expect(read(part(el, 'status'))).to.equal("You've been outbid. Bid at least €15.00 to lead.");
    await expect(el).shadowDom.to.be.accessible();
    // A tick later nothing is said again.
    const said = liveRegion(el);
    el.requestUpdate();
    await el.updateComplete;
    expect(liveRegion(el)).to.equal(said);
  });

  it('a 409 shows the new minimum at once, before the update arrives; a 410 shows the auction as ended', async () => {
    const {show, el} = await setup();
    fakeBid(show, async (n) => n === 0
      ? {status: 'refused', code: 'outbid', message: 'Another bid came first: the minimum is now 13.00.', details: {error: 'outbid', minimum: eur('13.00')}}
      : {status: 'refused', code: 'ended', message: 'This auction has ended.', details: {error: 'ended'}});
    show.push(auctionOpen('a3', 90));
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => read(part(el, 'status')) === 'Someone bid first. The next bid is at least €13.00.', 'no new minimum');
    expect(parts(el, 'quick-bid').map(read)).to.deep.equal(['Bid €13.00', '€14.00', '€15.00']);
    expect(el.state).to.equal('open');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => el.state === 'ended', 'a 410 did not end it');
    expect(read(part(el, 'result'))).to.equal('Bidding has ended: the result is coming.');
    expect(part(el, 'quick-bid')).to.equal(null);
  });

  it('a bid that failed on the way is retried with the same key: one bid, never two', async () => {
    const {show, el} = await setup();
    const calls = fakeBid(show, async (n, amount) => n === 0
      ? {status: 'failed', code: 'action-failed', message: 'The show server could not be reached.'}
      : accepted(amount));
    show.push(auctionOpen('a4', 90));
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[2]!.click();
    await waitUntil(() => part(el, 'retry') !== null, 'no retry offered');
    expect(el.getAttribute('error')).to.equal('action-failed');
    expect(read(part(el, 'status'))).to.equal('Your bid of €12.00 did not go through.Try again');
    part(el, 'retry')!.click();
    await waitUntil(() => el.state === 'leading', 'the retry never led');
    expect(calls.map((c) => c.amount)).to.deep.equal(['12.00', '12.00']);
    expect(calls[1]!.key).to.equal(calls[0]!.key);
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('a typed amount is checked before it is sent: not an amount, under the minimum, then sent', async () => {
    const {show, el} = await setup();
    const calls = fakeBid(show, async (_, amount) => accepted(amount));
    show.push(auctionOpen('a5', 90));
    await waitUntil(() => el.state === 'open');
    const input = part(el, 'amount') as HTMLInputElement;
    const submit = () => (part(el, 'custom') as HTMLFormElement).requestSubmit();
    input.value = 'lots';
    input.dispatchEvent(new Event('input'));
    submit();
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.equal('Enter an amount, e.g. 10.00.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    input.value = '9,50';
    input.dispatchEvent(new Event('input'));
    submit();
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.equal('Your bid must be at least €10.00.');
    expect(calls).to.have.length(0);
    input.value = '€ 25,50';
    input.dispatchEvent(new Event('input'));
    submit();
    await waitUntil(() => el.state === 'leading');
    expect(calls.map((c) => c.amount)).to.deep.equal(['25.50']);
  });

  it('asks an anonymous viewer to sign in, linking to sign-in-url', async () => {
    const {show, el} = await setup({token: null, signInUrl: 'https://shop.example/account/login'});
    const calls = fakeBid(show, async (_, amount) => accepted(amount));
    show.push(auctionOpen('a6'));
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    const link = part(el, 'sign-in') as HTMLAnchorElement;
    expect(link.localName).to.equal('a');
    expect(link.href).to.equal('https://shop.example/account/login');
    expect(read(link)).to.equal('Sign in to bid');
    expect(part(el, 'quick-bid')).to.equal(null);
    expect(calls).to.have.length(0);
  });

  it('makes a late bid\'s extension visible ("Extended +N s") and says the video\'s delay when a player knows it', async () => {
    const {show, el} = await setup();
    // A player 6 s behind the host: the frame on screen is 6 s old on the show's clock.
    Object.defineProperty(show, 'programTime', {get: () => new Date(show.clock.now() - 6000)});
    const open = auctionOpen('a7', 5);
    show.push(open);
    await waitUntil(() => el.state === 'open');
    expect(read(part(el, 'live-note'))).to.equal('Live bids · the video is ~6 s behind');
    show.push(auctionUpdate('a7', '10.00', 'Bo', 1, iso(Date.parse(open.endsAt) + 8000)));
    await waitUntil(() => el.extended, 'no extension shown');
    expect(part(el, 'extended')!.hidden).to.equal(false);
    expect(read(part(el, 'extended'))).to.match(/^Extended \+\d+ s$/);
    expect(liveRegion(el)).to.match(/^Bidding extended: 0:1\d left\.$/);
    expect(read(part(el, 'timer'))).to.match(/^0:1[0-3]$/);
  });

  it('the winner gets the product in the cart once, at the winning price, however often the close is seen', async () => {
    const {show, el, adapter} = await setup();
    fakeBid(show, async (_, amount) => accepted(amount));
    const results: string[] = [];
    show.auctionResult = async (auctionId: string) => {
      results.push(auctionId);
      return {status: 'accepted', data: {auctionId, closed: true, won: true, price: eur('15.00'), productId: 'p-cap'}};
    };
    const requests: unknown[] = [];
    show.addEventListener('kol-add-to-cart-request', (e) => requests.push(e.detail));
    const open = auctionOpen('a8', 90);
    show.push(open);
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => el.state === 'leading');
    show.push(auctionClose('a8', 'Ana', '15.00', 4));
    await waitUntil(() => el.state === 'won' && /added/.test(read(part(el, 'result'))), 'the win never reached the cart');
    expect(read(part(el, 'result'))).to.equal('You won — added to your cart at €15.00.');
    expect(liveRegion(el)).to.equal('You won — added to your cart at €15.00.');
    const cart = await adapter.getCart();
    expect(cart!.lines.map((l) => [l.productId, l.quantity, l.price.amount, l.attributes?._kol_deal])).to.deep.equal([['p-cap', 1, '15.00', 'a8']]);
    expect(requests).to.deep.equal([{productId: 'p-cap', variantId: 'p-cap-navy', quantity: 1, source: 'auction', dealId: 'a8'}]);
    // The close again (a reconnect's snapshot) and a second element: nothing more is asked or added.
    show.push({...auctionClose('a8', 'Ana', '15.00', 4), id: uniqueId('e')});
    const second = document.createElement('kol-auction') as KolAuction;
    show.append(second);
    await waitUntil(() => second.state === 'won');
    await el.updateComplete;
    expect(read(part(second, 'result'))).to.equal('You won — added to your cart at €15.00.');
    expect(results).to.deep.equal(['a8']);
    expect((await adapter.getCart())!.lines.map((l) => l.quantity)).to.deep.equal([1]);
    expect(recorded.codes()).to.deep.equal([]);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('a customer who bid and did not win sees who won; one who never bid asks nothing', async () => {
    const {show, el, adapter} = await setup();
    fakeBid(show, async (_, amount) => accepted(amount));
    const results: string[] = [];
    show.auctionResult = async (auctionId: string) => {
      results.push(auctionId);
      return {status: 'accepted', data: {auctionId, closed: true, won: false, productId: 'p-cap'}};
    };
    show.push(auctionOpen('a9', 90));
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => el.state === 'leading');
    show.push(auctionClose('a9', 'Bo', '30.00', 6));
    await waitUntil(() => el.state === 'lost', 'never lost');
    await el.updateComplete;
    expect(read(part(el, 'result'))).to.equal('Bo won. Thanks for bidding!');
    expect(read(part(el, 'high-bid'))).to.equal('Sold to Bo for €30.00 · 6 bids');
    expect(await adapter.getCart()).to.equal(null);
    show.push(auctionOpen('a10', 90));
    await waitUntil(() => el.state === 'open');
    show.push(auctionClose('a10', 'Cy', '12.00', 2));
    await waitUntil(() => el.state === 'ended');
    await el.updateComplete;
    expect(results).to.deep.equal(['a9']);
  });

  it('keeps its reserved box in every state at a phone column\'s width: nothing around it moves', async () => {
    const {show, el} = await setup();
    fakeBid(show, async (_, amount) => accepted(amount));
    el.style.width = '280px';
    const reserved = el.getBoundingClientRect().height;
    expect(reserved, '23rem').to.equal(368);
    const open = auctionOpen('a12', 90);
    show.push(open);
    await waitUntil(() => el.state === 'open' && read(part(el, 'title')) === 'Lune Cap');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => el.state === 'leading');
    show.push(auctionUpdate('a12', '10.00', 'Ana', 1, iso(Date.parse(open.endsAt) + 10000)));
    await waitUntil(() => el.extended);
    await el.updateComplete;
    expect(el.getBoundingClientRect().height, 'leading, extended').to.equal(reserved);
    show.push(auctionUpdate('a12', '11.00', 'Bartholomew the Bold', 2, iso(Date.parse(open.endsAt) + 15000)));
    await waitUntil(() => el.state === 'outbid' && el.extended);
    await el.updateComplete;
    expect(el.getBoundingClientRect().height, 'outbid, extended').to.equal(reserved);
    show.push(auctionClose('a12', 'Bartholomew the Bold', '11.00', 2));
    await waitUntil(() => el.state === 'ended' || el.state === 'lost');
    await el.updateComplete;
    expect(el.getBoundingClientRect().height, 'closed').to.equal(reserved);
  });

  it('a winning add that the cart refuses is a visible error, a kol-error', async () => {
    const {show, el} = await setup();
    fakeBid(show, async (_, amount) => accepted(amount));
    show.auctionResult = async (auctionId: string) =>
      ({status: 'accepted', data: {auctionId, closed: true, won: true, price: eur('15.00'), productId: 'p-gone'}});
    show.push(auctionOpen('a11', 90, {productId: 'p-gone'}));
    await waitUntil(() => el.state === 'open');
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => el.state === 'leading');
    show.push(auctionClose('a11', 'Ana', '10.00', 1));
    await waitUntil(() => el.getAttribute('error') === 'cart-add-refused', 'no error shown');
    expect(read(part(el, 'result'))).to.equal('You won at €15.00, but it could not be added to your cart. Old Socks is sold out.');
    expect(recorded.codes()).to.include('cart-add-refused');
  });
});

describe('<kol-auction> on a show server (another origin)', function () {
  this.timeout(60000);

  /** A customer's page: a show on the server with their viewer token, their own cart (memory), an auction card. */
  async function customerPage(server: string, showId: string, name: string) {
    const token = await serverViewerToken(uniqueId(name.toLowerCase()), name);
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${token} .adapter=${adapter}><kol-auction></kol-auction></kol-show>`);
    return {show, adapter, el: show.querySelector('kol-auction')!};
  }

  it('two customers bid: one is outbid, late bids extend the end (shown), one close, the winner\'s cart has the product at the winning price, the loser\'s not', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('auction');
    const ana = await customerPage(server, showId, 'Ana');
    const bo = await customerPage(server, showId, 'Bo');
    // 5 s, and every bid in the last 10 s pushes the end to 10 s after it: each bid here extends.
    const opened = await hostEvent(showId, {type: 'auction.open', productId: 'p-cap', startingBid: '10.00', durationSeconds: 5, extendBy: 10});
    await waitUntil(() => ana.el.state === 'open' && bo.el.state === 'open', 'the auction never reached both pages', {timeout: 15000});
    await ana.el.updateComplete;
    expect(ana.el.auction!.auctionId).to.equal(opened.auctionId);
    expect(parts(ana.el, 'quick-bid').map(read)).to.deep.equal(['Bid €10.00', '€11.00', '€12.00']);

    parts(ana.el, 'quick-bid')[0]!.click();
    await waitUntil(() => ana.el.state === 'leading', `Ana's bid did not lead (${read(part(ana.el, 'status'))})`, {timeout: 15000});
    // Bo sees Ana's bid arrive, with the end pushed back.
    await waitUntil(() => bo.el.auction?.highBid?.amount === '10.00' && bo.el.extended, 'Bo never saw the bid extend the auction', {timeout: 15000});
    await bo.el.updateComplete;
    expect(read(part(bo.el, 'extended'))).to.match(/^Extended \+\d+ s$/);
    expect(read(part(bo.el, 'high-bid'))).to.equal('Current bid €10.00 · Ana · 1 bid');
    expect(parts(bo.el, 'quick-bid').map(read)).to.deep.equal(['Bid €11.00', '€12.00', '€13.00']);

    parts(bo.el, 'quick-bid')[1]!.click();
    await waitUntil(() => bo.el.state === 'leading', `Bo's bid did not lead (${read(part(bo.el, 'status'))})`, {timeout: 15000});
    await waitUntil(() => ana.el.state === 'outbid', 'Ana was never outbid', {timeout: 15000});
    await ana.el.updateComplete;
    expect(liveRegion(ana.el)).to.equal("You've been outbid: €12.00 by Bo.");
    expect(read(part(ana.el, 'badge'))).to.equal('Outbid');
    await expect(ana.el).shadowDom.to.be.accessible();

    // The close on the server's clock, 10 s after Bo's bid: Bo won, Ana lost.
    await waitUntil(() => bo.el.state === 'won' && /added/.test(read(part(bo.el, 'result'))), `Bo's win never reached the cart (${read(part(bo.el, 'result'))})`, {timeout: 30000});
    await waitUntil(() => ana.el.state === 'lost', `Ana never saw the result (${ana.el.state})`, {timeout: 15000});
    await bo.el.updateComplete;
    await ana.el.updateComplete;
    expect(read(part(bo.el, 'result'))).to.equal('You won — added to your cart at €12.00.');
    expect(read(part(ana.el, 'result'))).to.equal('Bo won. Thanks for bidding!');
    const won = await bo.adapter.getCart();
    expect(won!.lines.map((l) => [l.productId, l.quantity, l.price.amount, l.attributes?._kol_deal])).to.deep.equal([['p-cap', 1, '12.00', opened.auctionId]]);
    expect(await ana.adapter.getCart(), "nothing in the loser's cart").to.equal(null);
    expect(recorded.codes()).to.deep.equal([]);
    await expect(bo.el).shadowDom.to.be.accessible();
  });

  it('a retried bid with the same key is one bid on the server; a new key under the minimum is a 409 naming it; the result is a GET as the customer', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('auction');
    const ana = await customerPage(server, showId, 'Ana');
    const opened = await hostEvent(showId, {type: 'auction.open', productId: 'p-cap', startingBid: '10.00', durationSeconds: 60});
    const auctionId = opened.auctionId as string;
    await waitUntil(() => ana.el.state === 'open', 'the auction never reached the page', {timeout: 15000});
    const key = 'a-bid-whose-answer-was-lost';
    const first = await ana.show.bid(auctionId, '10.00', key);
    const retry = await ana.show.bid(auctionId, '10.00', key);
    expect(first.status).to.equal('accepted');
    expect(retry, 'the retry answers the same').to.deep.equal(first);
    const low = await ana.show.bid(auctionId, '10.00');
    expect(low.status === 'refused' && [low.code, low.details.minimum]).to.deep.equal(['too-low', eur('11.00')]);
    await waitUntil(() => ana.el.auction?.bids === 1, 'the bid never arrived', {timeout: 15000});
    const result = await ana.show.auctionResult(auctionId);
    expect(result.status === 'accepted' && result.data).to.deep.include({auctionId, closed: false, won: false, productId: 'p-cap'});
    expect(ana.show.state.auction!.bids, 'one bid, not two').to.equal(1);
  });

  it('bids arrive ahead of the video: the card says by how much, and the bid reaches the page that long before the video shows it', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('auction');
    const token = await serverViewerToken(uniqueId('ana'), 'Ana');
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${token} .adapter=${adapter}>
      <kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player><kol-auction></kol-auction></kol-show>`);
    const el = show.querySelector('kol-auction')!;
    const player = show.querySelector('kol-live-player')!;
    await waitUntil(() => player.status === 'live' && show.programTime !== null, `the player stayed ${player.status}`, {timeout: 20000});
    await hostEvent(showId, {type: 'auction.open', productId: 'p-cap', startingBid: '10.00', durationSeconds: 60});
    // The open is the host's on-air moment: it waits for the video. Bids are on arrival.
    await waitUntil(() => el.state === 'open', 'the auction never opened on the video', {timeout: 30000});
    const behind = (show.clock.now() - show.programTime!.getTime()) / 1000;
    await el.updateComplete;
    const said = /~(\d+) s behind/.exec(read(part(el, 'live-note')));
    expect(said, read(part(el, 'live-note'))).to.not.equal(null);
    expect(Number(said![1])).to.be.closeTo(behind, 1.5);

    let arrival: {clock: number; at: number} | null = null;
    show.addEventListener('kol-show-event', (e) => {
      if (e.detail.event.type === 'auction.update' && !arrival) arrival = {clock: show.clock.now(), at: Date.parse(e.detail.event.at)};
    });
    parts(el, 'quick-bid')[0]!.click();
    await waitUntil(() => arrival !== null, 'the bid never arrived', {timeout: 15000});
    const {clock, at} = arrival!;
    await waitUntil(() => (show.programTime?.getTime() ?? 0) >= at, 'the video never reached the bid', {timeout: 30000});
    const ahead = (show.clock.now() - clock) / 1000;
    console.log(`[auction] the video is ${behind.toFixed(1)} s behind the server clock; the bid reached the page ${((clock - at) / 1000).toFixed(2)} s after the server took it and ${ahead.toFixed(1)} s before the video showed that moment`);
    expect(ahead, 'the bid arrives ahead of the video').to.be.greaterThan(1);
  });
});
