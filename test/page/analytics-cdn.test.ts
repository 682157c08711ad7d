// The script-tag build's bridges, in Chromium (needs `npm run build`: the frame loads dist/cdn/kolkit.js):
// `Kolkit.bridgeToDataLayer()` loads the bridge lazily and pushes GA4's view_item for the pin and add_to_cart
// for the add; an online store's `Shopify.analytics.publish` (a stub of Shopify's documented shape in the frame)
// gets `kolkit:add_to_cart`. The page has given consent on the show.
import {expect, waitUntil} from '@open-wc/testing';
import {openHtml, part, whenDefined} from '../distribution/helpers.js';
import {uniqueId} from '../fixtures/host.js';

type Frame = Window & {
  Kolkit?: {bridgeToDataLayer(): () => void};
  dataLayer?: Array<Record<string, unknown> | null>;
  published?: Array<[string, Record<string, unknown>]>;
};

describe('Kolkit.bridgeToDataLayer and Shopify on the script-tag build', function () {
  this.timeout(60000);

  it('pushes view_item for the pin and add_to_cart for the add, and publishes kolkit:add_to_cart', async () => {
    const showId = uniqueId('cdn-an');
    const frame = await openHtml(`<!doctype html>
      <script type="module" src="/dist/cdn/kolkit.js"></script>
      <kol-show id="${showId}" adapter="memory" products="/test/fixtures/catalog.json" consent="granted" affiliate="host-9">
        <kol-product-pin></kol-product-pin>
      </kol-show>`);
    try {
      const win = frame.contentWindow as Frame;
      const doc = frame.contentDocument!;
      await whenDefined(frame);
      win.published = [];
      (win as unknown as {Shopify: unknown}).Shopify = {analytics: {publish: (name: string, data: Record<string, unknown>) => win.published!.push([name, data])}};
      win.Kolkit!.bridgeToDataLayer();
      const show = doc.querySelector('kol-show') as HTMLElement & {push(event: unknown): void};
      show.push({v: 1, id: uniqueId('e'), type: 'product.pin', at: new Date().toISOString(), productId: 'p-cap'});
      const pin = doc.querySelector('kol-product-pin')!;
      await waitUntil(() => part(pin, 'cta') && !(part(pin, 'cta') as HTMLButtonElement).disabled, 'the pin never offered add to cart', {timeout: 15000});
      await waitUntil(() => win.dataLayer?.some((e) => e?.event === 'view_item'), 'no view_item');
      part(pin, 'cta')!.click();
      await waitUntil(() => win.dataLayer?.some((e) => e?.event === 'add_to_cart'), 'no add_to_cart');
      const events = win.dataLayer!.map((e) => (e === null ? null : e.event ?? (e.ecommerce === null ? 'clear' : '?')));
      expect(events).to.deep.equal(['clear', 'view_item', 'clear', 'add_to_cart']);
      const add = win.dataLayer![3] as {ecommerce: {items: Array<Record<string, unknown>>}};
      expect(add.ecommerce.items[0]).to.include({item_id: 'p-cap', item_name: 'Lune Cap', quantity: 1, item_list_id: showId, affiliation: 'host-9'});
      expect(win.published!.map(([name, data]) => [name, data.source, data.kolRef])).to.deep.equal([['kolkit:add_to_cart', 'pin', 'host-9']]);
    } finally {
      frame.remove();
    }
  });
});
