// A page whose own app uses @lit/localize (configured before kolkit, as an app does at start-up) and a second
// copy of kolkit's localization sharing the module: nothing throws, and the host's configuration shows
// kolkit's translations once it merges them (docs/i18n.md).
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {configureLocalization, msg} from '@lit/localize';

const hostTemplates: Record<string, Record<string, string>> = {fr: {'host.greeting': 'Bonjour'}};
const host = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['fr'],
  loadLocale: async (locale) => {
    const {loadKolkitTemplates} = await import('../../src/index.js');
    return {templates: {...(await loadKolkitTemplates(locale)), ...hostTemplates[locale]}};
  },
});

const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('kolkit beside a host app that uses @lit/localize', () => {
  it('defines and renders its elements without throwing, in the host\'s language', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    try {
      const {MemoryAdapter} = await import('../../src/adapters/memory.js');
      const {freshCatalog} = await import('../fixtures/catalog.js');
      const {pin} = await import('../fixtures/events.js');
      await import('../../src/index.js');
      const show = await fixture(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show>`);
      const el = show.querySelector('kol-product-pin')!;
      (show as unknown as {push(e: unknown): void}).push(pin('p-cap', Date.now()));
      const cta = () => read(el.shadowRoot!.querySelector('[part~=cta]'));
      await waitUntil(() => cta() === 'Add to cart', `the button says "${cta()}"`);
      // The host owns the language: its setLocale switches its own strings and kolkit's together.
      await host.setLocale('fr');
      expect(msg('Hello', {id: 'host.greeting'})).to.equal('Bonjour');
      await waitUntil(() => cta() === 'Ajouter au panier', `the button says "${cta()}"`);
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
  });

  it('a second copy of kolkit\'s localization sharing the module starts without throwing', async () => {
    // The same source under another URL is another module instance, as a second bundled copy of kolkit would be.
    const copy = (await import(/* @vite-ignore */ `../../src/i18n/localization.ts?copy=${Date.now()}`)) as typeof import('../../src/i18n/localization.js');
    const original = await import('../../src/i18n/localization.js');
    expect(copy.startLocalization, 'a module instance of its own').to.not.equal(original.startLocalization);
    expect(() => copy.startLocalization()).not.to.throw();
    // Asked for French, it finds @lit/localize configured (by the host here) and leaves the language to it.
    await copy.setLocale('fr');
  });
});
