// <kol-poll> in Chromium: a poll from pushed events (each test a show id of its own), its states (open, voted,
// closed with results), the server's refusals as states (409 voted, 410 closed), a failed vote with retry,
// keyboard; then end to end on the embedded show server: the host opens a poll, the element votes, the counts
// come back, a second vote is refused as voted, the host closes it and the results show.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../src/index.js';
import type {KolPoll, KolShow} from '../../src/index.js';
import type {ActionOutcome} from '../../src/elements/show/show-server.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, showServerUrl} from '../fixtures/show-server.js';

const parts = (el: HTMLElement, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const part = (el: HTMLElement, name: string) => parts(el, name)[0];
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const options = (el: HTMLElement) => parts(el, 'option') as HTMLButtonElement[];
const liveRegion = (el: HTMLElement) => el.shadowRoot!.querySelector('.visually-hidden[role=status]');
const iso = (ms: number) => new Date(ms).toISOString();

const recorded = recordKolErrors();

async function setup(attributes: {pollId?: string} = {}) {
  const showId = uniqueId('poll');
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${showId}></kol-show>`);
  const el = document.createElement('kol-poll') as KolPoll;
  if (attributes.pollId) el.setAttribute('poll-id', attributes.pollId);
  show.append(el);
  await el.updateComplete;
  return {show, el, showId};
}

/** A poll.open as the server stamps it, ending `seconds` from now. */
const pollOpen = (pollId: string, seconds = 60, counts?: number[]) => ({
  v: 1, id: uniqueId('e'), type: 'poll.open', at: iso(Date.now() - 1000), pollId, question: 'Which colour next?',
  options: ['Grey', 'Blue', 'Red'], endsAt: iso(Date.now() + seconds * 1000), ...(counts ? {counts} : {}),
});
const pollEvent = (type: 'poll.update' | 'poll.close', pollId: string, counts: number[]) =>
  ({v: 1, id: uniqueId('e'), type, at: iso(Date.now() - 500), pollId, counts});

/** Replaces the show's `vote` with `answer` (the n-th call's outcome), recording the calls. */
function fakeVote(show: KolShow, answer: (n: number) => Promise<ActionOutcome>) {
  const calls: [string, number][] = [];
  show.vote = (pollId: string, option: number) => answer(calls.push([pollId, option]) - 1);
  return calls;
}

describe('<kol-poll>', () => {
  it('says there is no poll before one opens', async () => {
    const {el} = await setup();
    expect(read(part(el, 'base'))).to.equal('No poll right now.');
    expect(el.hasAttribute('state')).to.equal(false);
  });

  it('shows an open poll: question, options, shares, countdown on the server clock; axe-clean', async () => {
    const {show, el} = await setup();
    show.push(pollOpen('p1', 90, [1, 3, 0]));
    await waitUntil(() => el.state === 'open', 'the poll never opened');
    await el.updateComplete;
    expect(read(part(el, 'question'))).to.equal('Which colour next?');
    expect(options(el).map((o) => read(o.querySelector('[part~=label]')))).to.deep.equal(['Grey', 'Blue', 'Red']);
    expect(options(el).map((o) => read(o.querySelector('[part~=share]')))).to.deep.equal(['25%, 1 vote', '75%, 3 votes', '0%, 0 votes']);
    expect((options(el)[1]!.querySelector('progress') as HTMLProgressElement).value).to.equal(75);
    expect(read(part(el, 'timer'))).to.match(/^1:(29|30) left$/);
    expect(read(part(el, 'total'))).to.equal('4 votes');
    await expect(el).shadowDom.to.be.accessible();
    expect(el.shadowRoot!.querySelector('[style]'), 'no inline style (CSP)').to.equal(null);
  });

  it('votes once: the choice shows as voted, the others can no longer be chosen, live counts follow', async () => {
    const {show, el} = await setup();
    const calls = fakeVote(show, async () => ({status: 'accepted', data: {accepted: true}}));
    show.push(pollOpen('p2'));
    await waitUntil(() => el.state === 'open', 'the poll never opened');
    await el.updateComplete;
    options(el)[1]!.click();
    await waitUntil(() => el.state === 'voted', 'the vote never counted');
    await el.updateComplete;
    expect(calls).to.deep.equal([['p2', 1]]);
    expect(options(el).map((o) => o.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true', 'false']);
    expect(options(el).every((o) => o.getAttribute('aria-disabled') === 'true')).to.equal(true);
    expect(read(liveRegion(el))).to.equal('Your vote for Blue is in.');
    options(el)[0]!.click();
    await el.updateComplete;
    expect(calls, 'no second vote').to.have.length(1);

    show.push(pollEvent('poll.update', 'p2', [0, 9, 1]));
    await waitUntil(() => read(part(el, 'total')) === '10 votes', 'the counts did not follow');
    expect(read(options(el)[1]!.querySelector('[part~=share]'))).to.equal('90%, 9 votes');

    // Another poll element of the same show on the page knows of the vote.
    const second = document.createElement('kol-poll') as KolPoll;
    show.append(second);
    await second.updateComplete;
    expect(second.state).to.equal('voted');
  });

  it('shows 409 as voted and 410 as closed, without an error', async () => {
    const {show, el} = await setup();
    fakeVote(show, async (n) => n === 0
      ? {status: 'refused', code: 'already-voted', message: 'You already voted.', details: {}}
      : {status: 'refused', code: 'closed', message: 'The poll is closed.', details: {}});
    show.push(pollOpen('p3'));
    await waitUntil(() => el.state === 'open');
    options(el)[0]!.click();
    await waitUntil(() => el.state === 'voted', 'a 409 did not show as voted');
    await el.updateComplete;
    expect(read(part(el, 'status'))).to.equal('You already voted in this poll.');
    expect(options(el).every((o) => o.getAttribute('aria-pressed') === 'false'), 'which option is not known').to.equal(true);
    expect(el.hasAttribute('error')).to.equal(false);

    show.push(pollOpen('p4'));
    await waitUntil(() => el.state === 'open', 'the next poll did not open');
    options(el)[2]!.click();
    await waitUntil(() => el.state === 'closed', 'a 410 did not show as closed');
    expect(el.hasAttribute('error')).to.equal(false);
  });

  it('a failed vote shows why with a retry, which sends the same option again', async () => {
    const {show, el} = await setup();
    const calls = fakeVote(show, async (n) => n === 0
      ? {status: 'failed', code: 'action-failed', message: 'offline'}
      : {status: 'accepted', data: {}});
    show.push(pollOpen('p5'));
    await waitUntil(() => el.state === 'open');
    options(el)[2]!.click();
    await waitUntil(() => el.error === 'action-failed', 'the failure was not shown');
    await el.updateComplete;
    expect(el.state).to.equal('open');
    expect(read(part(el, 'status'))).to.contain('Your vote did not go through.');
    (part(el, 'retry') as HTMLButtonElement).click();
    await waitUntil(() => el.state === 'voted', 'the retry did not vote');
    expect(calls).to.deep.equal([['p5', 2], ['p5', 2]]);
    expect(el.error).to.equal(null);
  });

  it('closes at endsAt on the clock, then shows and announces the final results of poll.close', async () => {
    const {show, el} = await setup();
    show.push(pollOpen('p6', 2));
    await waitUntil(() => el.state === 'open');
    await waitUntil(() => el.state === 'closed', 'the poll did not close at its end', {timeout: 5000});
    await el.updateComplete;
    expect(read(part(el, 'timer'))).to.equal('Voting has ended');
    expect(read(liveRegion(el))).to.equal('Voting has ended.');
    expect(options(el).every((o) => o.getAttribute('aria-disabled') === 'true')).to.equal(true);
    show.push(pollEvent('poll.close', 'p6', [2, 6, 0]));
    await waitUntil(() => read(liveRegion(el)) === 'The poll has closed. Results: Grey 25%, Blue 75%, Red 0%.', `said: ${read(liveRegion(el))}`);
    expect(read(part(el, 'badge'))).to.equal('Poll closed');
  });

  it('with poll-id shows only that poll', async () => {
    const {show, el} = await setup({pollId: 'mine'});
    show.push(pollOpen('other'));
    await el.updateComplete;
    expect(el.hasAttribute('state')).to.equal(false);
    show.push(pollOpen('mine'));
    await waitUntil(() => el.state === 'open');
  });

  it('moves between options with the arrow keys, one tab stop for the group', async () => {
    const {show, el} = await setup();
    fakeVote(show, async () => ({status: 'accepted', data: {}}));
    show.push(pollOpen('p7'));
    await waitUntil(() => el.state === 'open');
    await el.updateComplete;
    expect(options(el).map((o) => o.tabIndex)).to.deep.equal([0, -1, -1]);
    options(el)[0]!.focus();
    await sendKeys({press: 'ArrowDown'});
    expect(el.shadowRoot!.activeElement).to.equal(options(el)[1]);
    await sendKeys({press: 'ArrowUp'});
    await sendKeys({press: 'ArrowUp'});
    expect(el.shadowRoot!.activeElement, 'wraps around').to.equal(options(el)[2]);
    await sendKeys({press: 'Enter'});
    await waitUntil(() => el.state === 'voted');
    expect(options(el)[2]!.getAttribute('aria-pressed')).to.equal('true');
  });

  it('is no-show without a show', async () => {
    const el = await fixture<KolPoll>(html`<kol-poll show="nowhere"></kol-poll>`);
    await waitUntil(() => el.error === 'no-show');
    expect(recorded.codes()).to.include('no-show');
  });
});

describe('<kol-poll> on a show server (another origin)', function () {
  this.timeout(40000);

  it('the host opens a poll, the viewer votes, the counts come back, a second vote is refused as voted, the host closes it with results', async () => {
    const server = await showServerUrl();
    const showId = uniqueId('poll');
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId}><kol-poll></kol-poll></kol-show>`);
    const el = show.querySelector('kol-poll')!;
    const opened = await hostEvent(showId, {type: 'poll.open', question: 'Grey or blue?', options: ['Grey', 'Blue'], durationSeconds: 60});
    const pollId = opened.pollId as string;
    await waitUntil(() => el.state === 'open', 'the poll never reached the page', {timeout: 15000});
    await el.updateComplete;
    expect(read(part(el, 'question'))).to.equal('Grey or blue?');

    options(el)[1]!.click();
    await waitUntil(() => el.state === 'voted', `the vote did not go through (${read(part(el, 'status'))})`, {timeout: 15000});
    await waitUntil(() => read(part(el, 'total')) === '1 vote', `the server's count never came (${read(part(el, 'total'))})`, {timeout: 15000});
    expect(read(options(el)[1]!.querySelector('[part~=share]'))).to.equal('100%, 1 vote');

    // The same viewer again, from a show element that does not know of the vote: the server refuses it (409),
    // and the poll shows as voted.
    const again = await fixture<KolShow>(html`<kol-show server=${server} show-id=${showId}><kol-poll></kol-poll></kol-show>`);
    const second = again.querySelector('kol-poll')!;
    await waitUntil(() => second.state === 'open', 'the second page never saw the poll', {timeout: 15000});
    await second.updateComplete;
    options(second)[0]!.click();
    await waitUntil(() => second.state === 'voted', `a second vote did not show as voted (${read(part(second, 'status'))})`, {timeout: 15000});
    await second.updateComplete;
    expect(read(part(second, 'status'))).to.equal('You already voted in this poll.');
    expect(second.hasAttribute('error')).to.equal(false);

    await hostEvent(showId, {type: 'poll.close', pollId});
    await waitUntil(() => el.state === 'closed' && read(liveRegion(el)).startsWith('The poll has closed.'), 'the close never came', {timeout: 15000});
    expect(read(liveRegion(el))).to.equal('The poll has closed. Results: Grey 0%, Blue 100%.');
    expect(read(part(el, 'badge'))).to.equal('Poll closed');
  });
});
