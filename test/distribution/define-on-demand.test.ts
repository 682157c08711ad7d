/**
 * The script-tag build defines the elements a page holds and fetches no other element's chunk until the page
 * adds one (src/cdn/lazy-elements.ts; issue 16: a phone pays for no element the page does not use).
 */
import {expect, waitUntil} from '@open-wc/testing';
import {fetchedScripts, openHtml, whenDefined} from './helpers.js';

/** The element chunks a window has fetched, by element name (`kolkit-poll-<hash>.js` → `poll`). */
const elementChunks = (win: Window) =>
  fetchedScripts(win).map((path) => /\/kolkit-([a-z-]+)-[\w-]{8}\.js$/.exec(path)?.[1]).filter((name): name is string => !!name);

describe('the script-tag build defines elements as the page holds them', function () {
  this.timeout(30000);

  it('fetches only the chunks of the elements on the page, then one for an element the page adds', async () => {
    const frame = await openHtml(`<!doctype html>
      <script type="module" src="/dist/cdn/kolkit.js"></script>
      <kol-show adapter="memory" products="/test/fixtures/catalog.json"><kol-cart-button></kol-cart-button></kol-show>`);
    try {
      const win = frame.contentWindow!;
      await whenDefined(frame);
      expect(elementChunks(win)).to.include.members(['show', 'cart-button']);
      for (const absent of ['live-player', 'product-pin', 'poll', 'chat', 'auction', 'group-buy']) {
        expect(elementChunks(win), `<kol-${absent}> is not on the page`).not.to.include(absent);
      }
      expect(win.customElements.get('kol-poll')).to.equal(undefined);

      // The page adds a poll (a client-side route, a section rendered later): it is defined then.
      const poll = win.document.createElement('kol-poll');
      win.document.querySelector('kol-show')!.append(poll);
      await waitUntil(() => !!win.customElements.get('kol-poll') && !!poll.shadowRoot, 'the added poll was never defined', {timeout: 15000});
      expect(elementChunks(win)).to.include('poll');
      expect(elementChunks(win), 'no other element chunk came with it').not.to.include.members(['chat', 'auction', 'group-buy']);
    } finally {
      frame.remove();
    }
  });

  it('defines <kol-product-pin> with a player, for its picture-in-picture window', async () => {
    const frame = await openHtml(`<!doctype html>
      <script type="module" src="/dist/cdn/kolkit.js"></script>
      <kol-live-player></kol-live-player>`);
    try {
      await whenDefined(frame);
      await waitUntil(() => !!frame.contentWindow!.customElements.get('kol-product-pin'), "no pin for the player's window", {timeout: 15000});
    } finally {
      frame.remove();
    }
  });
});
