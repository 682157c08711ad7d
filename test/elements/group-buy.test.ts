// <kol-group-buy> in Chromium: a group buy from pushed events (each test a show id of its own) with the server's
// answers faked: the product and the team price beside the regular one, "1 of 3 joined — m:ss left", sign-in for an
// anonymous viewer, the invite link (shared, or copied) carrying the group and the host's kol_ref, the refusals as
// states; then end to end on a show server on another origin: a group of 3 fills with three customers (three
// <kol-show>, each with its own viewer token and cart), all three add at the team price and their carts show it, a
// fourth customer sees the team full with no add; another group expires and nobody is offered the price.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import '../../src/kol-group-buy.js';
import type {KolShow} from '../../src/index.js';
import type {KolGroupBuy} from '../../src/kol-group-buy.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {Money} from '../../src/adapters/types.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, serverViewerToken, showServerUrl} from '../fixtures/show-server.js';

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const liveRegion = (el: HTMLElement) => el.shadowRoot!.querySelector('.visually-hidden[role=status]');
const iso = (ms: number) => new Date(ms).toISOString();
const eur = (amount: string): Money => ({amount, currencyCode: 'EUR'});
const formatted = (money: Money) =>
  new Intl.NumberFormat(document.documentElement.lang || navigator.language, {style: 'currency', currency: money.currencyCode})
    .format(Number(money.amount)).replace(/\s+/g, ' ');
/** A token-shaped viewer token (the element only needs one to be there; the server is faked here). */
const fakeToken = `e30.${btoa(JSON.stringify({sub: 'c1', name: 'Ana'})).replace(/=+$/, '')}.sig`;

const recorded = recordKolErrors();

async function setup({token = fakeToken as string | null, signInUrl = null as string | null, affiliate = null as string | null} = {}) {
  const adapter = new MemoryAdapter({products: freshCatalog()});
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${uniqueId('group')} .adapter=${adapter}></kol-show>`);
  if (token) show.viewerToken = token;
  if (affiliate) show.affiliate = affiliate;
  const el = document.createElement('kol-group-buy') as KolGroupBuy;
  if (signInUrl) el.setAttribute('sign-in-url', signInUrl);
  show.append(el);
  await el.updateComplete;
  return {show, el};
}

const groupOpen = (groupId: string, {seconds = 600, joined = 0} = {}) => ({
  v: 1, id: uniqueId('e'), type: 'group.open', at: iso(Date.now() - 1000), groupId, productId: 'p-cap', price: eur('18.00'), needed: 3,
  endsAt: iso(Date.now() + seconds * 1000), joined,
});
const groupUpdate = (groupId: string, joined: number) => ({v: 1, id: uniqueId('e'), type: 'group.update', at: iso(Date.now() - 500), groupId, joined});
const groupClose = (groupId: string, joined: number, reason: 'filled' | 'expired') =>
  ({v: 1, id: uniqueId('e'), type: 'group.close', at: iso(Date.now() - 500), groupId, joined, reason});

/** Fakes the server's join and membership answers on `show`; answers the calls made. */
function fakeServer(show: KolShow, join: (n: number) => Promise<ActionOutcome>, member = false) {
  const calls: string[] = [];
  show.joinGroup = (id: string) => join(calls.push(`join:${id}`) - 1);
  show.groupMembership = async (id: string) => {
    calls.push(`membership:${id}`);
    return {status: 'accepted', data: {member, joined: 0, needed: 3}};
  };
  return calls;
}
const accepted = (joined: number): Promise<ActionOutcome> => Promise.resolve({status: 'accepted', data: {joined, needed: 3, member: true}});

describe('<kol-group-buy>', () => {
  it('says there is no team price before a group opens', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No team price right now.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an open group: product, team price beside the regular one, "1 of 3 joined — m:ss left"; joining makes it joined; axe-clean', async () => {
    const {show, el} = await setup();
    const calls = fakeServer(show, () => accepted(2));
    show.push([groupOpen('g-open', {joined: 1})]);
    await waitUntil(() => read(part(el, 'title')) === 'Lune Cap', 'the product never showed');
    expect(el.state).to.equal('open');
    expect(read(part(el, 'price'))).to.equal(formatted(eur('18.00')));
    expect(read(part(el, 'compare-at-price'))).to.contain(formatted(eur('24.00')));
    expect(read(part(el, 'progress'))).to.match(/^1 of 3 joined — (9:5\d|10:00) left$/);
    expect(part(el, 'image')!.getAttribute('src')).to.contain('/demo/img/cap.svg');
    await expect(el).to.be.accessible();
    expect(calls).to.deep.equal(['membership:g-open']);
    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'joined', 'the join did not show');
    expect(calls).to.deep.equal(['membership:g-open', 'join:g-open']);
    show.push([groupUpdate('g-open', 2)]);
    await waitUntil(() => read(part(el, 'progress')).startsWith('2 of 3 joined'));
    expect(read(liveRegion(el))).to.contain('You joined the team');
    await expect(el).to.be.accessible();
  });

  it('asks an anonymous viewer to sign in, linking to sign-in-url, and never asks the server about a membership', async () => {
    const {show, el} = await setup({token: null, signInUrl: '/account/login'});
    const calls = fakeServer(show, () => accepted(1));
    show.push([groupOpen('g-anon')]);
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    const link = part(el, 'sign-in') as HTMLAnchorElement;
    expect(read(link)).to.equal('Sign in to join');
    expect(link.href).to.equal(new URL('/account/login', location.href).href);
    expect(part(el, 'cta')).to.equal(null);
    expect(calls).to.deep.equal([]);
  });

  it('shows 410 filled as the team full and a failed join with a retry; a kol-error with a visible state for the failure', async () => {
    const {show, el} = await setup();
    let answer: ActionOutcome = {status: 'failed', code: 'action-failed', message: 'The show server could not be reached.'};
    fakeServer(show, () => Promise.resolve(answer));
    show.push([groupOpen('g-fail')]);
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    part(el, 'cta')!.click();
    await waitUntil(() => el.error === 'action-failed', 'the failure was not reflected');
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.contain('Your join did not go through.');
    answer = {status: 'refused', code: 'filled', message: 'This group is full: it filled before you joined.', details: {}};
    part(el, 'retry')!.click();
    await waitUntil(() => el.state === 'closing', 'a 410 did not close the group here');
    expect(el.hasAttribute('error')).to.equal(false);
    expect(read(liveRegion(el))).to.equal('This team filled before you joined.');
  });

  it('invites with the share sheet, a link carrying the group and the host\'s kol_ref; copies it where there is no share sheet', async () => {
    const {show, el} = await setup({affiliate: 'host-42'});
    fakeServer(show, () => accepted(1));
    show.push([groupOpen('g-invite')]);
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    const shared: ShareData[] = [];
    const copied: string[] = [];
    const hadShare = Object.getOwnPropertyDescriptor(navigator, 'share');
    const writeText = navigator.clipboard.writeText;
    Object.defineProperty(navigator, 'share', {configurable: true, value: async (data: ShareData) => void shared.push(data)});
    navigator.clipboard.writeText = async (text: string) => void copied.push(text);
    try {
      part(el, 'invite')!.click();
      await waitUntil(() => shared.length === 1, 'nothing was shared');
      const url = new URL(shared[0].url!);
      expect(url.origin).to.equal(location.origin);
      expect(url.searchParams.get('kol_group')).to.equal('g-invite');
      expect(url.searchParams.get('kol_ref')).to.equal('host-42');
      expect(shared[0].text).to.contain('3 people unlock');
      Object.defineProperty(navigator, 'share', {configurable: true, value: undefined});
      part(el, 'invite')!.click();
      await waitUntil(() => copied.length === 1, 'nothing was copied');
      expect(copied[0]).to.equal(shared[0].url);
      await waitUntil(() => read(el.shadowRoot!.querySelector('.invite-note')) === 'Invite link copied.');
      expect(read(liveRegion(el))).to.equal('Invite link copied.');
    } finally {
      if (hadShare) Object.defineProperty(navigator, 'share', hadShare);
      else delete (navigator as {share?: unknown}).share;
      navigator.clipboard.writeText = writeText;
    }
  });

  it('a member of a filled group is offered the team price; an expired group offers nothing', async () => {
    const {show, el} = await setup();
    fakeServer(show, () => accepted(3), true);
    show.push([groupOpen('g-end'), groupClose('g-end', 3, 'filled')]);
    await waitUntil(() => el.state === 'unlocked', 'a member did not see the price unlocked');
    await el.updateComplete;
    expect(read(part(el, 'cta'))).to.equal(`Add to cart at ${formatted(eur('18.00'))}`);
    show.push([groupOpen('g-exp'), groupClose('g-exp', 1, 'expired')]);
    await waitUntil(() => el.state === 'expired');
    await el.updateComplete;
    expect(read(part(el, 'outcome'))).to.equal('Not enough joined — no team price.');
    expect(part(el, 'cta')).to.equal(null);
    expect(read(liveRegion(el))).to.equal('Not enough joined: no team price.');
  });

  it('is no-show without a show', async () => {
    const el = await fixture<KolGroupBuy>(html`<kol-group-buy show="nowhere"></kol-group-buy>`);
    await waitUntil(() => el.error === 'no-show');
    expect(recorded.codes()).to.include('no-show');
  });
});

describe('<kol-group-buy> on a show server (another origin)', function () {
  this.timeout(60000);

  /** A customer's page: a show with its own token and cart, and a group buy in it. */
  async function customerPage(server: string, showId: string, sub: string) {
    const token = await serverViewerToken(sub, sub);
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${token} .adapter=${adapter}><kol-group-buy></kol-group-buy></kol-show>`);
    return {show, adapter, el: show.querySelector('kol-group-buy')!};
  }

  it('a group of 3 fills with three customers and all three get the team price in their carts; a fourth sees it full; axe-clean', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('group');
    const pages = await Promise.all(['ann', 'bob', 'cy', 'dee'].map((name) => customerPage(server, showId, uniqueId(name))));
    const opened = await hostEvent(showId, {type: 'group.open', productId: 'p-cap', price: '18.00', needed: 3, durationSeconds: 120});
    const groupId = opened.groupId as string;
    const members = pages.slice(0, 3);
    await waitUntil(() => pages.every((p) => p.el.state === 'open' && read(part(p.el, 'title')) === 'Lune Cap'), 'the group never reached the pages', {timeout: 15000});
    await expect(members[0].el).to.be.accessible();
    for (const page of members) {
      await page.el.updateComplete;
      part(page.el, 'cta')!.click();
    }
    await waitUntil(() => members.every((p) => p.el.state === 'unlocked'), `the members never saw the price unlocked (${members.map((p) => p.el.state)})`, {timeout: 15000});
    const outsider = pages[3].el;
    await waitUntil(() => outsider.state === 'filled', 'the fourth customer did not see the team full', {timeout: 15000});
    await outsider.updateComplete;
    expect(part(outsider, 'cta')).to.equal(null);
    expect(read(part(outsider, 'progress'))).to.equal('3 of 3 joined');
    for (const page of members) {
      await page.el.updateComplete;
      expect(read(part(page.el, 'badge'))).to.equal('Team price unlocked');
      part(page.el, 'cta')!.click();
    }
    await waitUntil(() => members.every((p) => read(part(p.el, 'status')) === 'Added to cart'), 'not every member could add', {timeout: 15000});
    for (const {adapter} of members) {
      const cart = (await adapter.getCart())!;
      expect(cart.lines).to.have.length(1);
      expect(cart.lines[0].attributes?._kol_deal).to.equal(groupId);
      expect(cart.lines[0].price).to.deep.equal(eur('18.00'));
    }
    await expect(members[0].el).to.be.accessible();
    expect(await pages[3].adapter.getCart()).to.equal(null);
    expect(recorded.codes()).to.deep.equal([]);
  });

  it('another group expires with one member: nobody is offered the team price', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('group');
    const pages = await Promise.all(['eve', 'fay'].map((name) => customerPage(server, showId, uniqueId(name))));
    await hostEvent(showId, {type: 'group.open', productId: 'p-cap', price: '18.00', needed: 3, durationSeconds: 5});
    await waitUntil(() => pages.every((p) => p.el.state === 'open'), 'the group never reached the pages', {timeout: 15000});
    await pages[0].el.updateComplete;
    part(pages[0].el, 'cta')!.click();
    await waitUntil(() => pages[0].el.state === 'joined', 'the join did not go through', {timeout: 15000});
    await waitUntil(() => pages.every((p) => p.el.state === 'expired'), 'the group never expired on the pages', {timeout: 20000});
    for (const {el, adapter} of pages) {
      await el.updateComplete;
      expect(read(part(el, 'outcome'))).to.equal('Not enough joined — no team price.');
      expect(part(el, 'cta')).to.equal(null);
      expect(await adapter.getCart()).to.equal(null);
    }
    await expect(pages[0].el).to.be.accessible();
  });
});
