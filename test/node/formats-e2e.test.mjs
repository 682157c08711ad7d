// Group buy and the upcoming show end to end, as issue 14's "done when" describes them (the auction's is
// auction-e2e.test.mjs): customers in separate browser contexts of Debian's Chromium on the demo store page (one
// origin), following a show on two nodes of a 3-node NATS cluster (another origin). A group of 3 fills with
// customers on both nodes and all 3 add the product at the team price; another group expires with one member and
// nobody is offered the price. An announced show's .ics parses with Mozilla's ical.js, and the card turns live at
// the start without a reload. The studio's own tests drive the same from its panels (test/studio/). Needs the
// build (`npm run build`) and Debian's nats-server.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import {
  hostEvent, openShopper, startScene, viewerToken, waitFor,
} from '../servers/shoppers.mjs';

/** Generous bounds for a shared, noisy machine: each is a deadline, never a wait. */
const SEE_MS = 30_000;

/** A card's reflected state and the text of its parts, read on a shopper's page. */
const groupCard = (shopper) => shopper.page.evaluate(() => {
  const el = document.querySelector('kol-group-buy');
  const text = (name) => el.shadowRoot.querySelector(`[part~="${name}"]`)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
  return {state: el.state, cta: text('cta'), outcome: text('outcome'), progress: text('progress')};
});
const linesOf = (shopper) => shopper.page.evaluate(() =>
  (document.querySelector('kol-show').cart?.lines ?? []).map((l) => ({productId: l.productId, price: l.price.amount, deal: l.attributes?._kol_deal})));
const click = (shopper, selector) => shopper.page.locator(selector).click();

describe('group buy and the upcoming show, customers on two nodes of a NATS cluster', () => {
  const show = `formats-${Date.now().toString(36)}`;
  let scene, storefront, servers, browser, shoppers;

  before(async () => {
    scene = await startScene('cluster');
    ({servers, storefront, browser} = scene);
    const [nodeA, nodeB] = servers.nodes;
    await hostEvent(nodeA, show, {type: 'show.status', status: 'live'});
    // Ana and Cy on node A, Bo on node B.
    shoppers = [];
    for (const [sub, name, node] of [['cust-ana', 'Ana', nodeA], ['cust-bo', 'Bo', nodeB], ['cust-cy', 'Cy', nodeA]]) {
      shoppers.push(await openShopper(browser, storefront, node.url, show, {token: await viewerToken(sub, name)}));
    }
  });

  after(() => scene?.stop());

  test('a group of 3 fills with customers on both nodes, and all 3 add the product at the team price', async () => {
    const {groupId} = await hostEvent(servers.nodes[0], show, {type: 'group.open', productId: 'p-tee', price: '18.00', needed: 3, durationSeconds: 300});
    for (const shopper of shoppers) {
      await waitFor(async () => (await groupCard(shopper)).state === 'open', SEE_MS, 'a customer never saw the group open');
    }
    for (const shopper of shoppers) await click(shopper, 'kol-group-buy >>> button[part="cta"]');
    for (const shopper of shoppers) {
      await waitFor(async () => (await groupCard(shopper)).state === 'unlocked', SEE_MS, 'a member never saw the team price unlocked');
    }
    assert.match((await groupCard(shoppers[1])).outcome, /Team price unlocked: €18\.00/);
    for (const shopper of shoppers) {
      await click(shopper, 'kol-group-buy >>> button[part="cta"]');
      await waitFor(async () => (await linesOf(shopper)).length === 1, SEE_MS, 'a member\'s add at the team price never reached the cart');
      assert.deepEqual(await linesOf(shopper), [{productId: 'p-tee', price: '18.00', deal: groupId}]);
    }
  });

  test('a group that does not fill expires: nobody is offered the team price', async () => {
    const [ana, bo] = shoppers;
    // Long enough to outlast the video's few seconds behind the host, when the open is shown.
    await hostEvent(servers.nodes[1], show, {type: 'group.open', productId: 'p-cap', price: '15.00', needed: 3, durationSeconds: 25});
    await waitFor(async () => (await groupCard(ana)).state === 'open', SEE_MS, 'Ana never saw the second group open');
    await click(ana, 'kol-group-buy >>> button[part="cta"]');
    await waitFor(async () => (await groupCard(ana)).state === 'joined', SEE_MS, 'Ana never joined');
    for (const shopper of [ana, bo]) {
      await waitFor(async () => (await groupCard(shopper)).state === 'expired', SEE_MS, 'the group never expired');
      const card = await groupCard(shopper);
      assert.equal(card.outcome, 'Not enough joined — no team price.');
      assert.equal(card.cta, null, 'no add at the team price is offered');
    }
    assert.ok((await linesOf(ana)).every((line) => line.productId !== 'p-cap'), 'the cap never reached a cart');
  });

  test('an announced show: its .ics parses (RFC 5545), and the card turns live at the start without a reload', async () => {
    // The next show, not yet live: a page of its own.
    const next = `${show}-next`;
    const [nodeA, nodeB] = servers.nodes;
    const startsAt = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, '.000Z');
    await hostEvent(nodeA, next, {type: 'show.scheduled', title: 'Winter drop; scarves, hats', startsAt, host: 'Ines'});
    const viewer = await openShopper(browser, storefront, nodeB.url, next);
    try {
      const card = () => viewer.page.evaluate(() => document.querySelector('kol-upcoming-show').state);
      await waitFor(async () => (await card()) === 'upcoming', SEE_MS, 'the card never showed the announced show');
      const text = await viewer.page.evaluate(() => document.querySelector('kol-upcoming-show').ics());
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent'));
      assert.equal(event.summary, 'Winter drop; scarves, hats');
      assert.equal(event.startDate.toJSDate().toISOString(), startsAt);
      assert.ok(event.uid);
      assert.ok(text.includes('\r\n'), 'CRLF line endings');
      const wentLive = viewer.page.evaluate(() => new Promise((resolve) => document.addEventListener('kol-show-live', () => resolve(true), {once: true})));
      await hostEvent(nodeA, next, {type: 'show.status', status: 'live'});
      await waitFor(async () => (await card()) === 'live', SEE_MS, 'the card never turned live');
      assert.equal(await wentLive, true);
      assert.deepEqual(viewer.errors, []);
    } finally {
      await viewer.close();
    }
  });

  test('nothing went wrong on any page', () => {
    for (const shopper of shoppers) assert.deepEqual(shopper.errors, []);
  });
});
