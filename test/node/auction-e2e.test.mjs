// An auction end to end, as issue 14's "done when" describes it: two customers in two browser contexts of
// Debian's Chromium, each on the demo store page (one origin) following a show on a kolkit show server on another,
// on the embedded server and on two nodes of a 3-node NATS cluster (Ana on node A, Bo on node B). The host opens an
// auction; Ana bids, Bo sees the bid extend the end (it landed in the last seconds), Bo bids higher, Ana is outbid;
// the server closes it once, Bo's cart gets the cap at his winning price and Ana's gets nothing. Needs the build
// (`npm run build`) and, for the cluster, Debian's nats-server.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
  hostEvent, openShopper, startScene, viewerToken, waitFor,
} from '../servers/shoppers.mjs';

/** Generous bounds for a shared, noisy machine: each is a deadline, never a wait. */
const SEE_MS = 30_000;

/** The auction card's state, text of a part, and the show's cart lines, read on a shopper's page. */
const card = (shopper) => shopper.page.evaluate(() => {
  const el = document.querySelector('kol-auction');
  const text = (name) => el.shadowRoot.querySelector(`[part~="${name}"]`)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
  return {
    state: el.state, extended: el.extended, highBid: el.auction?.highBid?.amount ?? null, result: text('result'), status: text('status'),
    lines: (document.querySelector('kol-show').cart?.lines ?? []).map((l) => ({productId: l.productId, quantity: l.quantity, price: l.price.amount, deal: l.attributes?._kol_deal})),
  };
});

for (const mode of ['embedded', 'cluster']) {
  describe(`an auction between two customers (${mode})`, () => {
    const show = `auction-${mode}-${Date.now().toString(36)}`;
    let scene, storefront, servers, browser, ana, bo, auctionId;

    before(async () => {
      scene = await startScene(mode);
      ({servers, storefront, browser} = scene);
      const [nodeA, nodeB = nodeA] = servers.nodes;
      await hostEvent(nodeA, show, {type: 'show.status', status: 'live'});
      ana = await openShopper(browser, storefront, nodeA.url, show, {token: await viewerToken('cust-ana', 'Ana')});
      bo = await openShopper(browser, storefront, nodeB.url, show, {token: await viewerToken('cust-bo', 'Bo')});
    });

    after(() => scene?.stop());

    test('the host opens an auction; both customers see it with its quick bids', async () => {
      // 20 s, and a bid in the last 15 s pushes the end to 15 s after it: the open waits for each viewer's video (a
      // few seconds), so every bid here lands in the last seconds.
      ({auctionId} = await hostEvent(servers.nodes[0], show, {type: 'auction.open', productId: 'p-cap', startingBid: '10.00', durationSeconds: 20, extendBy: 15}));
      for (const shopper of [ana, bo]) {
        await waitFor(async () => (await card(shopper)).state === 'open', SEE_MS, 'a customer never saw the auction open');
      }
      const quick = await ana.page.evaluate(() => [...document.querySelector('kol-auction').shadowRoot.querySelectorAll('[part~="quick-bid"]')].map((b) => b.textContent.replace(/\s+/g, ' ').trim()));
      assert.deepEqual(quick, ['Bid €10.00', '€11.00', '€12.00']);
    });

    test('Ana bids on her node; Bo, on his, sees the bid extend the end; Bo bids higher and Ana is outbid', async () => {
      // Bo's card shows the extension for a few seconds: note it whenever it shows.
      await bo.page.evaluate(() => {
        const el = document.querySelector('kol-auction');
        window.__sawExtension = false;
        new MutationObserver(() => (window.__sawExtension ||= el.hasAttribute('extended'))).observe(el, {attributes: true});
      });
      await ana.page.locator('kol-auction >>> button[part~="quick-bid"]').click();
      await waitFor(async () => (await card(ana)).state === 'leading', SEE_MS, 'Ana\'s bid never led');
      await waitFor(async () => (await card(bo)).highBid === '10.00', SEE_MS, 'Bo never saw Ana\'s bid');
      await waitFor(() => bo.page.evaluate(() => window.__sawExtension), SEE_MS, 'Bo never saw the extension');

      await bo.page.locator('kol-auction >>> button[part~="quick-bid"]:nth-of-type(2)').click();
      await waitFor(async () => (await card(bo)).state === 'leading', SEE_MS, 'Bo\'s bid never led');
      const outbid = await waitFor(async () => {
        const now = await card(ana);
        return now.state === 'outbid' && now;
      }, SEE_MS, 'Ana was never outbid');
      assert.equal(outbid.status, "You've been outbid. Bid at least €13.00 to lead.");
    });

    test('one close: Bo won and his cart holds the cap at €12.00; Ana lost and her cart is empty', async () => {
      const won = await waitFor(async () => {
        const now = await card(bo);
        return now.state === 'won' && /added/.test(now.result) && now;
      }, 60_000, 'Bo\'s win never reached his cart');
      assert.equal(won.result, 'You won — added to your cart at €12.00.');
      assert.deepEqual(won.lines, [{productId: 'p-cap', quantity: 1, price: '12.00', deal: auctionId}]);
      const lost = await waitFor(async () => {
        const now = await card(ana);
        return now.state === 'lost' && now;
      }, SEE_MS, 'Ana never saw the result');
      assert.equal(lost.result, 'Bo won. Thanks for bidding!');
      assert.deepEqual(lost.lines, []);
      // The show's log has one close, whichever nodes were up.
      for (const node of servers.nodes) {
        const timeline = await (await fetch(`${node.url}/v1/shows/${show}/timeline`)).json();
        const closes = timeline.filter((event) => event.type === 'auction.close');
        assert.equal(closes.length, 1, `${node.url}: ${JSON.stringify(closes)}`);
        assert.equal(closes[0].winner, 'Bo');
        assert.deepEqual(closes[0].highBid, {amount: '12.00', currencyCode: 'EUR'});
      }
    });

    test('nothing went wrong on either page', () => {
      assert.deepEqual(ana.errors, []);
      assert.deepEqual(bo.errors, []);
    });
  });
}
