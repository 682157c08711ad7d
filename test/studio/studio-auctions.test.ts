// The studio's Auctions panel (src/server/studio/panel-auctions.js) in Chromium, on the show server the demo
// embeds, for a show of this file's own: the host opens an auction from the panel; two customers bid through
// the real API; the panel shows the high bid and bidder, the end pushed out by a late bid (an extension), and
// at the end the winner and price.
import {expect, waitUntil} from '@open-wc/testing';
import {uniqueId, viewerToken} from '../fixtures/host.js';
import {closeStudio, input, openStudio, text} from '../fixtures/studio.js';

const SHOW = uniqueId('studio-auctions');

async function bid(auctionId: string, sub: string, name: string, amount: string): Promise<{status: number; body: {endsAt?: string}}> {
  const response = await fetch(`/v1/shows/${SHOW}/auctions/${auctionId}/bids`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${await viewerToken(sub, name)}`},
    body: JSON.stringify({amount, key: `${sub}-${amount}`}),
  });
  return {status: response.status, body: await response.json()};
}

afterEach(closeStudio);

describe('studio: auctions', () => {
  it('opens an auction from the panel, shows each bid and the extension a late bid makes, then the winner', async function () {
    this.timeout(40000);
    const doc = await openStudio(SHOW);
    const form = doc.getElementById('auction-form') as HTMLFormElement;
    expect(input(form, 'extendBy').value).to.equal('10');
    input(form, 'startingBid').value = '10.00';
    // 6 s with late bids extending by 8 s: any bid now is a late one.
    input(form, 'durationSeconds').value = '6';
    input(form, 'extendBy').value = '8';
    form.requestSubmit();
    const auction = doc.getElementById('auction')!;
    await waitUntil(() => auction.dataset.auctionId, 'the panel shows no auction', {timeout: 5000});
    const auctionId = auction.dataset.auctionId!;
    expect(text(auction)).to.contain('No bid yet · starts at 10.00');
    const opened = (await (await fetch(`/v1/shows/${SHOW}/state`)).json()).auction;
    expect(opened).to.deep.include({extendBy: 8, suddenDeath: false});

    expect((await bid(auctionId, 'cust-ann', 'Ann', '10.00')).status).to.equal(201);
    await waitUntil(() => text(doc.getElementById('auction-high')).includes('10.00 EUR by Ann'), `the panel shows ${text(auction)}`, {timeout: 5000});
    const late = await bid(auctionId, 'cust-bob', 'Bob', '12.00');
    expect(late.status).to.equal(201);
    expect(Date.parse(late.body.endsAt!)).to.be.above(Date.parse(opened.endsAt));
    await waitUntil(() => text(doc.getElementById('auction-high')).includes('12.00 EUR by Bob'), `the panel shows ${text(auction)}`, {timeout: 5000});
    expect(auction.dataset.bids).to.equal('2');
    expect(text(doc.getElementById('auction-ends'))).to.match(/2 bids · .*extended \d× \(first end/);

    await waitUntil(() => auction.dataset.closed === 'true', `the auction was not shown closed: ${text(auction)}`, {timeout: 20000});
    expect(text(doc.getElementById('auction-result'))).to.equal('Sold to Bob for 12.00 EUR');
  });
});
