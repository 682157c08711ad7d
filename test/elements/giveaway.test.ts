// <kol-giveaway> in Chromium: a giveaway from pushed events (each test a show id of its own), its states (open,
// entered, closed, drawn), sign-in for an anonymous viewer, the server's refusals as states (409 entered, 410
// closed, 401 sign in), a failed entry with retry; then end to end on a show server on another origin: the host
// opens a giveaway, a customer enters (twice: the second is 409, shown as entered), an anonymous viewer is asked to
// sign in, a bad token is refused (401) and asked to sign in, the host draws, and the winner shows.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolGiveaway, KolShow} from '../../src/index.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, hostPost, serverViewerToken, showServerUrl} from '../fixtures/show-server.js';

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const liveRegion = (el: HTMLElement) => el.shadowRoot!.querySelector('.visually-hidden[role=status]');
const iso = (ms: number) => new Date(ms).toISOString();
const RULES = 'No purchase necessary. One entry per customer; the winner is drawn at random.';

/** A token-shaped viewer token naming `name` (the element reads the name only; the server is faked here). */
const fakeToken = (name: string) => `e30.${btoa(JSON.stringify({sub: 'c1', name})).replace(/=+$/, '')}.sig`;

const recorded = recordKolErrors();

async function setup({token = fakeToken('Ana') as string | null, signInUrl = null as string | null} = {}) {
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${uniqueId('giveaway')}></kol-show>`);
  if (token) show.viewerToken = token;
  const el = document.createElement('kol-giveaway') as KolGiveaway;
  if (signInUrl) el.setAttribute('sign-in-url', signInUrl);
  show.append(el);
  await el.updateComplete;
  return {show, el};
}

const giveawayOpen = (giveawayId: string, seconds = 60) => ({
  v: 1, id: uniqueId('e'), type: 'giveaway.open', at: iso(Date.now() - 1000), giveawayId, prize: 'A signed tote bag',
  endsAt: iso(Date.now() + seconds * 1000), rules: RULES,
});
const giveawayWinner = (giveawayId: string, winner: string | null, entries: number) =>
  ({v: 1, id: uniqueId('e'), type: 'giveaway.winner', at: iso(Date.now() - 500), giveawayId, winner, entries});

function fakeEnter(show: KolShow, answer: (n: number) => Promise<ActionOutcome>) {
  const calls: string[] = [];
  show.enterGiveaway = (id: string) => answer(calls.push(id) - 1);
  return calls;
}

describe('<kol-giveaway>', () => {
  it('says there is no giveaway before one opens', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No giveaway right now.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an open giveaway: prize, countdown, rules, Enter; entering shows entered; axe-clean', async () => {
    const {show, el} = await setup();
    const calls = fakeEnter(show, async () => ({status: 'accepted', data: {entered: true}}));
    show.push(giveawayOpen('g1', 90));
    await waitUntil(() => el.state === 'open', 'the giveaway never opened');
    await el.updateComplete;
    expect(read(part(el, 'prize'))).to.equal('A signed tote bag');
    expect(read(part(el, 'timer'))).to.match(/^Draw in 1:(29|30)$/);
    expect(read(part(el, 'rules'))).to.equal(RULES);
    await expect(el).shadowDom.to.be.accessible();
    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'entered', 'the entry never counted');
    await el.updateComplete;
    expect(calls).to.deep.equal(['g1']);
    expect(read(part(el, 'status'))).to.equal("You're in the draw.");
    expect(part(el, 'cta'), 'no second entry').to.equal(null);
  });

  it('asks an anonymous viewer to sign in, linking to sign-in-url', async () => {
    const {show, el} = await setup({token: null, signInUrl: 'https://shop.example/account/login'});
    const calls = fakeEnter(show, async () => ({status: 'accepted', data: {}}));
    show.push(giveawayOpen('g2'));
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    const link = part(el, 'sign-in') as HTMLAnchorElement;
    expect(link.localName).to.equal('a');
    expect(link.href).to.equal('https://shop.example/account/login');
    expect(read(link)).to.equal('Sign in to enter');
    expect(part(el, 'cta')).to.equal(null);
    expect(calls).to.have.length(0);
    await expect(el).shadowDom.to.be.accessible();

    el.signInUrl = 'javascript:alert(1)';
    await el.updateComplete;
    expect(el.error).to.equal('bad-attribute');
    expect(part(el, 'sign-in')!.localName, 'no link to a refused URL').to.equal('p');
  });

  it('shows 409 as entered, 410 as closed and 401 as sign in, without an error', async () => {
    const {show, el} = await setup();
    const answers: ActionOutcome[] = [
      {status: 'refused', code: 'already-entered', message: 'Already entered.', details: {}},
      {status: 'refused', code: 'closed', message: 'Closed.', details: {}},
      {status: 'refused', code: 'unauthorized', message: 'Sign in.', details: {}},
    ];
    fakeEnter(show, async (n) => answers[n]!);
    show.push(giveawayOpen('g3'));
    await waitUntil(() => el.state === 'open');
    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'entered', 'a 409 did not show as entered');
    show.push(giveawayOpen('g4'));
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'closed', 'a 410 did not show as closed');
    await el.updateComplete;
    expect(read(part(el, 'timer'))).to.equal('Drawing the winner…');
    show.push(giveawayOpen('g5'));
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    part(el, 'cta')!.click();
    await waitUntil(() => read(part(el, 'sign-in')) === 'Sign in to enter.', 'a 401 did not ask to sign in');
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('a failed entry shows why with a retry', async () => {
    const {show, el} = await setup();
    const calls = fakeEnter(show, async (n) => (n === 0 ? {status: 'failed', code: 'action-failed', message: 'offline'} : {status: 'accepted', data: {}}));
    show.push(giveawayOpen('g6'));
    await waitUntil(() => el.state === 'open');
    part(el, 'cta')!.click();
    await waitUntil(() => el.error === 'action-failed', 'the failure was not shown');
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.contain('Your entry did not go through.');
    part(el, 'retry')!.click();
    await waitUntil(() => el.state === 'entered', 'the retry did not enter');
    expect(calls).to.deep.equal(['g6', 'g6']);
    expect(el.error).to.equal(null);
  });

  it('shows the winner by display name (and "may be you" only to an entrant of that name), or that nobody entered', async () => {
    const {show, el} = await setup({token: fakeToken('Ana')});
    fakeEnter(show, async () => ({status: 'accepted', data: {}}));
    show.push(giveawayOpen('g7'));
    await waitUntil(() => el.state === 'open');
    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'entered');
    show.push(giveawayWinner('g7', 'Ana', 12));
    await waitUntil(() => el.state === 'drawn', 'the winner never showed');
    await el.updateComplete;
    expect(read(part(el, 'winner'))).to.equal('Winner: Ana');
    expect(read(part(el, 'base'))).to.contain('That may be you');
    expect(read(liveRegion(el))).to.equal('Giveaway winner: Ana.');

    show.push(giveawayOpen('g8'));
    await waitUntil(() => el.state === 'open');
    show.push(giveawayWinner('g8', 'Bo', 3));
    await waitUntil(() => el.state === 'drawn');
    await el.updateComplete;
    expect(read(part(el, 'winner'))).to.equal('Winner: Bo');
    expect(read(part(el, 'base'))).to.not.contain('may be you');

    show.push(giveawayOpen('g9'));
    show.push(giveawayWinner('g9', null, 0));
    await waitUntil(() => read(part(el, 'winner')) === 'No one entered: there is no winner.');
  });

  it('is no-show without a show', async () => {
    const el = await fixture<KolGiveaway>(html`<kol-giveaway show="nowhere"></kol-giveaway>`);
    await waitUntil(() => el.error === 'no-show');
    expect(recorded.codes()).to.include('no-show');
  });
});

describe('<kol-giveaway> on a show server (another origin)', function () {
  this.timeout(40000);

  it('a customer enters (a second entry shows as entered), an anonymous viewer is asked to sign in, a bad token gets 401, the host draws, the winner shows', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('giveaway');
    const token = await serverViewerToken(uniqueId('customer'), 'Ana');
    const customer = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${token}><kol-giveaway></kol-giveaway></kol-show>`);
    const anonymous = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId}><kol-giveaway></kol-giveaway></kol-show>`);
    const forged = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${fakeToken('Eve')}><kol-giveaway></kol-giveaway></kol-show>`);
    const [el, anon, eve] = [customer, anonymous, forged].map((show) => show.querySelector('kol-giveaway')!) as [KolGiveaway, KolGiveaway, KolGiveaway];

    const opened = await hostEvent(showId, {type: 'giveaway.open', prize: 'A signed tote bag', durationSeconds: 60});
    const giveawayId = opened.giveawayId as string;
    await waitUntil(() => [el, anon, eve].every((g) => g.state === 'open'), 'the giveaway never reached the pages', {timeout: 15000});
    await el.updateComplete;
    expect(read(part(el, 'rules'))).to.contain('No purchase necessary');

    part(el, 'cta')!.click();
    await waitUntil(() => el.state === 'entered', `the entry did not go through (${read(part(el, 'status'))})`, {timeout: 15000});

    // The same customer from another show element that does not know of the entry: 409, shown as entered.
    const again = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId} viewer-token=${token}><kol-giveaway></kol-giveaway></kol-show>`);
    const second = again.querySelector('kol-giveaway')!;
    await waitUntil(() => second.state === 'open', 'the second page never saw the giveaway', {timeout: 15000});
    await second.updateComplete;
    part(second, 'cta')!.click();
    await waitUntil(() => second.state === 'entered', 'a second entry did not show as entered', {timeout: 15000});
    expect(second.hasAttribute('error')).to.equal(false);

    await anon.updateComplete;
    expect(read(part(anon, 'sign-in'))).to.equal('Sign in to enter.');
    await eve.updateComplete;
    part(eve, 'cta')!.click();
    await waitUntil(() => read(part(eve, 'sign-in')) === 'Sign in to enter.', 'a refused token was not asked to sign in', {timeout: 15000});

    const draw = await hostPost(showId, `giveaways/${encodeURIComponent(giveawayId)}/draw`);
    expect(draw.status, JSON.stringify(draw.json)).to.equal(200);
    expect((draw.json.winner as {name: string}).name).to.equal('Ana');
    await waitUntil(() => [el, anon].every((g) => g.state === 'drawn'), 'the winner never reached the pages', {timeout: 15000});
    await el.updateComplete;
    await anon.updateComplete;
    expect(read(part(el, 'winner'))).to.equal('Winner: Ana');
    expect(read(part(anon, 'winner'))).to.equal('Winner: Ana');
    expect(read(part(anon, 'base'))).to.not.contain('may be you');
  });
});
