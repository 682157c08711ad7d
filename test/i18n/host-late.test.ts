// An English page never configures @lit/localize: a host app that configures it after kolkit's elements have
// rendered does not throw, and its language then reaches kolkit too (docs/i18n.md).
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {configureLocalization} from '@lit/localize';
import '../../src/index.js';
import {loadKolkitTemplates, type KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {pin} from '../fixtures/events.js';

const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('a host app that configures @lit/localize after kolkit rendered, on an English page', () => {
  it('configures without throwing, and its setLocale switches kolkit too', async () => {
    expect(document.documentElement.lang || 'en').to.match(/^en/);
    const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show>`);
    const el = show.querySelector('kol-product-pin')!;
    show.push(pin('p-cap', Date.now()));
    const cta = () => read(el.shadowRoot!.querySelector('[part~=cta]'));
    await waitUntil(() => cta() === 'Add to cart', `the button says "${cta()}"`);

    let host: ReturnType<typeof configureLocalization> | undefined;
    expect(() => {
      host = configureLocalization({sourceLocale: 'en', targetLocales: ['de'], loadLocale: async (locale) => ({templates: await loadKolkitTemplates(locale)})});
    }).not.to.throw();
    await host!.setLocale('de');
    await waitUntil(() => cta() === 'In den Warenkorb', `the button says "${cta()}"`);
  });
});
