// The script-tag build (dist/cdn/kolkit.js) on a French page: the elements speak French, only the French
// translation's chunk is fetched, and Kolkit.setLocale switches language, fetching that one chunk then.
import {expect, waitUntil} from '@open-wc/testing';
import {fetchedScripts, openHtml} from '../distribution/helpers.js';

type KolkitGlobal = {setLocale(locale: string | null): Promise<string>; getLocale(): string};
const LOCALE_CHUNK = /^\/dist\/cdn\/kolkit-(fr|es|de|ja|ar|zh-CN)-[\w-]+\.js$/;

describe('languages in the script-tag build', function () {
  this.timeout(30000);

  it('loads only the page language\'s chunk, and Kolkit.setLocale loads another on demand', async () => {
    const frame = await openHtml(`<!doctype html><html lang="fr"><head><script type="module" src="/dist/cdn/kolkit.js"></script></head>
      <body><kol-show></kol-show><kol-cart-button></kol-cart-button></body></html>`);
    try {
      const win = frame.contentWindow as Window & {Kolkit?: KolkitGlobal};
      const label = () => {
        const slot = win.document.querySelector('kol-cart-button')?.shadowRoot?.querySelector('slot[name=label]');
        return slot?.textContent?.trim() ?? '';
      };
      const localeChunks = () => fetchedScripts(win).map((path) => LOCALE_CHUNK.exec(path)?.[1]).filter(Boolean);
      await waitUntil(() => label() === 'Panier', `the cart button says "${label()}"`, {timeout: 15000});
      expect(localeChunks()).to.deep.equal(['fr']);

      expect(await win.Kolkit!.setLocale('de-AT')).to.equal('de');
      await waitUntil(() => label() === 'Warenkorb', `the cart button says "${label()}"`);
      expect(localeChunks()).to.deep.equal(['fr', 'de']);

      // Back to following <html lang>: French again, from the chunk already loaded.
      expect(await win.Kolkit!.setLocale(null)).to.equal('fr');
      await waitUntil(() => label() === 'Panier', `the cart button says "${label()}"`);
      expect(win.Kolkit!.getLocale()).to.equal('fr');
    } finally {
      frame.remove();
    }
  });
});
