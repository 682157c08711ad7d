// Engagement end to end, as issue 13's "done when" describes it: two shoppers in two browser contexts of
// Debian's Chromium, on a store page served from one origin, talk to a kolkit show server on another. A types
// "#2 in grey?" and B sees it with a product card for #2 and adds it to the cart from there; the host's ranking
// counts "#2 ×1"; hearts, a poll and a giveaway work; on the embedded server and on two nodes of a NATS
// cluster (A on node A, B on node B: their votes are both counted, once). Needs the build (`npm run build`)
// and, for the cluster, Debian's nats-server.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
  hostEvent, hostToken, openShopper, startScene, viewerToken, waitFor,
} from '../servers/shoppers.mjs';

/** Generous bounds for a shared, noisy machine: each is a deadline, never a wait. */
const SEE_MS = 30_000;

for (const mode of ['embedded', 'cluster']) {
  describe(`engagement between two shoppers (${mode})`, () => {
    const show = `e2e-${mode}-${Date.now().toString(36)}`;
    let scene, storefront, servers, browser, a, b;

    before(async () => {
      scene = await startScene(mode);
      ({servers, storefront, browser} = scene);
      const [nodeA, nodeB = nodeA] = servers.nodes;
      await hostEvent(nodeA, show, {type: 'show.status', status: 'live'});
      await hostEvent(nodeA, show, {type: 'product.pin', productId: 'p-tee', label: '#2'});
      a = await openShopper(browser, storefront, nodeA.url, show, {token: await viewerToken('cust-ana', 'Ana')});
      b = await openShopper(browser, storefront, nodeB.url, show, {token: await viewerToken('cust-bo', 'Bo')});
    });

    after(() => scene?.stop());

    test('both shoppers follow the show on the other origin', async () => {
      for (const shopper of [a, b]) {
        await waitFor(
          () => shopper.page.evaluate(() => document.querySelector('kol-show')?.state?.pinned?.[0]?.productId === 'p-tee'),
          SEE_MS, 'the shopper never saw the pin',
        );
      }
    });

    test('A asks "#2 in grey?"; B sees it with a card for #2 and adds it to the cart from there; the host\'s ranking shows #2 ×1', async () => {
      await a.page.locator('kol-chat >>> input[part="input"]').fill('#2 in grey?');
      await a.page.locator('kol-chat >>> button[part="send"]').click();
      // B's chat shows A's message, with its mention as a product card (once the product has loaded).
      const card = await waitFor(() => b.page.evaluate(() => {
        const chat = document.querySelector('kol-chat')?.shadowRoot;
        const message = [...(chat?.querySelectorAll('[part~="message"]') ?? [])].find((m) => m.textContent.includes('in grey?'));
        const text = message?.querySelector('[part="mention"]')?.textContent.replace(/\s+/g, ' ');
        return text?.includes('Crescent Tee') ? text : null;
      }), SEE_MS, 'B never saw A\'s message with a card for product #2');
      assert.match(card, /^#2 Crescent Tee €29\.00 Add to cart/);
      await b.page.locator('kol-chat >>> button[part="mention-cta"]').click();
      await waitFor(
        () => b.page.evaluate(() => document.querySelector('kol-show').cart?.lines.some((line) => line.productId === 'p-tee' && line.quantity === 1)),
        SEE_MS, 'B\'s cart never got the tee from the chat card',
      );
      await waitFor(
        () => b.page.evaluate(() => document.querySelector('kol-chat').shadowRoot.querySelector('[part="mention-status"]')?.textContent === 'Added to cart'),
        SEE_MS, 'the card never said the product was added',
      );
      // A's cart is A's own: B's add changed nothing there.
      assert.equal(await a.page.evaluate(() => document.querySelector('kol-show').cart?.lines.length ?? 0), 0);

      // The host's studio, on node A, ranks what viewers ask for.
      const studio = await browser.createBrowserContext();
      try {
        const page = await studio.newPage();
        await page.goto(`${servers.nodes[0].url}/studio?show=${show}#token=${await hostToken()}`);
        const row = await waitFor(
          () => page.evaluate(() => document.querySelector('#requests .request')?.textContent.replace(/\s+/g, ' ').trim()),
          SEE_MS, 'the studio never ranked the request',
        );
        assert.match(row, /^#2 .*×1\b/);
      } finally {
        await studio.close();
      }
    });

    test('a heart from A reaches B', async () => {
      await a.page.locator('kol-reactions >>> button[part~="heart"]').click();
      await waitFor(
        () => b.page.evaluate(() => {
          const count = document.querySelector('kol-reactions')?.shadowRoot?.querySelector('button[part~="heart"] [part="count"]');
          return Number(count?.textContent ?? 0) >= 1;
        }),
        SEE_MS, 'B never saw A\'s heart',
      );
    });

    test('a poll: A and B vote (on their own nodes), each vote counted once, a second vote refused', async () => {
      const [nodeA] = servers.nodes;
      const {pollId} = await hostEvent(nodeA, show, {type: 'poll.open', question: 'Which colour next?', options: ['Grey', 'Red'], durationSeconds: 300});
      for (const [shopper, option] of [[a, 0], [b, 1]]) {
        await shopper.page.locator(`kol-poll >>> button[part="option"]:nth-of-type(${option + 1})`).click();
      }
      for (const shopper of [a, b]) {
        await waitFor(
          () => shopper.page.evaluate(() => JSON.stringify(document.querySelector('kol-show').state.poll?.counts) === '[1,1]'),
          SEE_MS, 'the counts never came to one vote each',
        );
        const total = await shopper.page.evaluate(() => document.querySelector('kol-poll').shadowRoot.querySelector('[part="total"]').textContent.trim());
        assert.equal(total, '2 votes');
      }
      const again = await a.page.evaluate((id) => document.querySelector('kol-show').vote(id, 1), pollId);
      assert.equal(again.status, 'refused');
      assert.equal(again.code, 'already-voted');
    });

    test('a giveaway: both enter, the host draws once, both see the winner by name', async () => {
      const [nodeA] = servers.nodes;
      const {giveawayId} = await hostEvent(nodeA, show, {type: 'giveaway.open', prize: 'A Lune Cap', durationSeconds: 300});
      for (const shopper of [a, b]) {
        await shopper.page.locator('kol-giveaway >>> button[part="cta"]').click();
        await waitFor(
          () => shopper.page.evaluate(() => document.querySelector('kol-giveaway').shadowRoot.querySelector('[part="status"]')?.textContent.includes("You're in")),
          SEE_MS, 'the entry was never confirmed',
        );
      }
      const response = await fetch(`${nodeA.url}/v1/shows/${show}/giveaways/${giveawayId}/draw`, {
        method: 'POST', headers: {authorization: `Bearer ${await hostToken()}`, 'content-type': 'application/json'}, body: '{}',
      });
      assert.equal(response.status, 200);
      const draw = await response.json();
      assert.equal(draw.entries, 2);
      assert.ok(['cust-ana', 'cust-bo'].includes(draw.winner.id), JSON.stringify(draw));
      for (const shopper of [a, b]) {
        await waitFor(
          () => shopper.page.evaluate((name) => document.querySelector('kol-giveaway').shadowRoot.querySelector('[part="winner"]')?.textContent.includes(`Winner: ${name}`), draw.winner.name),
          SEE_MS, 'the shopper never saw the winner',
        );
      }
    });

    test('nothing went wrong on either page (but the second vote, refused on purpose)', () => {
      assert.deepEqual(a.errors, ['action-refused: You have already voted in this poll.']);
      assert.deepEqual(b.errors, []);
    });
  });
}
