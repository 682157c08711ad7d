// The studio's Polls and Giveaways panels (src/server/studio/panel-polls.js, panel-giveaways.js) in Chromium,
// on the show server the demo embeds, for a show of this file's own: the host opens a poll from the panel,
// viewers vote through the real API and the panel shows the counts, then closes it; the host opens a
// giveaway with the prefilled rules, two customers enter, "Draw now" shows the winner's name and customer id.
import {expect, waitUntil} from '@open-wc/testing';
import {uniqueId, viewerToken} from '../fixtures/host.js';
import {closeStudio, input, openStudio, text} from '../fixtures/studio.js';

const SHOW = uniqueId('studio-polls');
const RULES = 'No purchase necessary. One entry per customer; the winner is drawn at random.';
const viewerId = () => `viewer-${Math.random().toString(36).slice(2, 12)}`;

async function vote(pollId: string, option: number): Promise<number> {
  const response = await fetch(`/v1/shows/${SHOW}/polls/${pollId}/votes`, {
    method: 'POST',
    headers: {'content-type': 'application/json', 'x-kol-viewer': viewerId()},
    body: JSON.stringify({option}),
  });
  return response.status;
}

async function enter(giveawayId: string, sub: string, name: string): Promise<number> {
  const response = await fetch(`/v1/shows/${SHOW}/giveaways/${giveawayId}/entries`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${await viewerToken(sub, name)}`},
    body: '{}',
  });
  return response.status;
}

afterEach(closeStudio);

describe('studio: polls', () => {
  it('opens a poll from the panel, shows the votes as they are counted, and closes it', async function () {
    this.timeout(40000);
    const doc = await openStudio(SHOW);
    const form = doc.getElementById('poll-form') as HTMLFormElement;
    input(form, 'question').value = 'Which colour next?';
    const answers = form.querySelectorAll<HTMLInputElement>('input[name="option"]');
    answers[0].value = 'Red';
    answers[1].value = 'Blue';
    answers[2].value = 'Green';
    form.requestSubmit();
    const poll = doc.getElementById('poll')!;
    await waitUntil(() => text(poll).includes('Which colour next?'), `the panel shows ${text(poll)}`, {timeout: 5000});
    const pollId = poll.dataset.pollId!;
    expect(poll.querySelectorAll('.poll__option')).to.have.length(3);

    expect(await Promise.all([vote(pollId, 1), vote(pollId, 1), vote(pollId, 2)])).to.deep.equal([202, 202, 202]);
    const counts = () => [...poll.querySelectorAll('.poll__count')].map((n) => n.textContent).join();
    await waitUntil(() => counts() === '0,2,1', `the panel's counts are ${counts()}`, {timeout: 10000});
    expect(text(poll)).to.contain('3 votes');

    (poll.querySelector('button.danger') as HTMLButtonElement).click();
    await waitUntil(() => poll.dataset.closed === 'true', 'the poll was not shown closed', {timeout: 10000});
    expect(text(poll)).to.contain('closed');
    expect(counts()).to.equal('0,2,1');
    expect(await vote(pollId, 0)).to.equal(410);
  });
});

describe('studio: giveaways', () => {
  it('opens a giveaway with the default rules, counts the entries and draws a winner the host can fulfil', async function () {
    this.timeout(40000);
    const doc = await openStudio(SHOW);
    const form = doc.getElementById('giveaway-form') as HTMLFormElement;
    expect((form.elements.namedItem('rules') as HTMLTextAreaElement).value).to.equal(RULES);
    input(form, 'prize').value = 'A signed mug';
    form.requestSubmit();
    const giveaway = doc.getElementById('giveaway')!;
    await waitUntil(() => text(giveaway).includes('A signed mug'), `the panel shows ${text(giveaway)}`, {timeout: 5000});
    const giveawayId = giveaway.dataset.giveawayId!;
    const state = await (await fetch(`/v1/shows/${SHOW}/state`)).json();
    expect(state.giveaway.rules).to.equal(RULES);

    expect(await enter(giveawayId, 'cust-ann', 'Ann')).to.equal(201);
    expect(await enter(giveawayId, 'cust-bob', 'Bob')).to.equal(201);
    await waitUntil(() => text(giveaway).includes('2 entries'), `the panel shows ${text(giveaway)}`, {timeout: 10000});

    (giveaway.querySelector('button.primary') as HTMLButtonElement).click();
    await waitUntil(() => doc.getElementById('giveaway-winner'), 'no winner shown', {timeout: 10000});
    const winner = text(doc.getElementById('giveaway-winner'));
    expect(winner).to.match(/^Winner: (Ann · customer cust-ann|Bob · customer cust-bob)$/);
    // The viewers' log names the winner, never the customer id.
    const drawn = (await (await fetch(`/v1/shows/${SHOW}/state`)).json()).giveaway;
    expect(winner).to.contain(drawn.winner);
    expect(JSON.stringify(drawn)).not.to.contain('cust-');
  });
});
