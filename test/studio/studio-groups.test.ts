// The studio's Group prices panel (src/server/studio/panel-groups.js) in Chromium, on the show server the demo
// embeds, for a show of this file's own: the host opens a group from the panel (product, team price, members
// needed, duration), customers join through the real API and the panel shows "1 of 2 joined — m:ss left", then
// that it filled; a second group with too few members shows that it expired at its end.
import {expect, waitUntil} from '@open-wc/testing';
import {closeStudio, openStudio, text, input} from '../fixtures/studio.js';
import {uniqueId, viewerToken} from '../fixtures/host.js';

const SHOW = uniqueId('studio-groups');


async function join(groupId: string, sub: string): Promise<number> {
  const response = await fetch(`/v1/shows/${SHOW}/groups/${groupId}/members`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${await viewerToken(sub, sub)}`},
    body: '{}',
  });
  return response.status;
}

afterEach(() => {
  closeStudio();
});

describe('studio: group prices', () => {
  it('opens a group from the panel, shows the members joining and the time left, then that it filled; another expires', async function () {
    this.timeout(40000);
    const doc = await openStudio(SHOW);
    const form = doc.getElementById('group-form') as HTMLFormElement;
    input(form, 'price').value = '20.00';
    input(form, 'needed').value = '2';
    form.requestSubmit();
    const group = doc.getElementById('group')!;
    await waitUntil(() => group.dataset.groupId, 'the panel shows no group', {timeout: 5000});
    const groupId = group.dataset.groupId!;
    expect(text(group)).to.match(/0 of 2 joined — (9:5\d|10:00) left/);
    expect(text(group)).to.contain('20.00 EUR');

    expect(await join(groupId, uniqueId('ann'))).to.equal(201);
    await waitUntil(() => text(group).includes('1 of 2 joined'), `the panel shows ${text(group)}`, {timeout: 10000});
    expect(await join(groupId, uniqueId('bob'))).to.equal(201);
    await waitUntil(() => group.dataset.ended === 'filled', `the panel shows ${text(group)}`, {timeout: 10000});
    expect(text(doc.getElementById('group-result'))).to.equal('Filled: 2 members get 20.00 EUR.');

    input(form, 'price').value = '15.00';
    input(form, 'needed').value = '3';
    input(form, 'durationSeconds').value = '5';
    form.requestSubmit();
    await waitUntil(() => group.dataset.groupId && group.dataset.groupId !== groupId, 'the second group never showed', {timeout: 5000});
    expect(await join(group.dataset.groupId!, uniqueId('cy'))).to.equal(201);
    await waitUntil(() => group.dataset.ended === 'expired', `the panel shows ${text(group)}`, {timeout: 20000});
    expect(text(group)).to.contain('1 of 3 joined');
    expect(text(doc.getElementById('group-result'))).to.equal('Expired: not enough joined, nobody gets the team price.');
  });
});
