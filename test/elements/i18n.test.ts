// Every element in the page's language (@lit/localize, runtime mode; docs/i18n.md): French on a
// lang="fr" page, a switch of <html lang> re-renders, Arabic text and digits as Intl writes them, plurals by
// each language's rules, and English for a language kolkit does not ship.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import {setLocale, getLocale, resolveLocale} from '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {pin, stock} from '../fixtures/events.js';
import {freshCatalog} from '../fixtures/catalog.js';

/** Text as a shopper reads it: whitespace collapsed. */
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

const pageLang = document.documentElement.lang;

/** Sets <html lang> and waits until kolkit's text is in that language. */
async function pageIn(lang: string): Promise<void> {
  document.documentElement.lang = lang;
  await waitUntil(() => getLocale() === resolveLocale(lang), `kolkit never switched to ${lang}`);
}

afterEach(async () => {
  await setLocale(null);
  await pageIn(pageLang);
});

async function pinned(productId = 'p-cap') {
  const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-product-pin></kol-product-pin></kol-show>`);
  const el = show.querySelector('kol-product-pin')!;
  show.push(pin(productId, Date.now()));
  await waitUntil(() => !!el.shadowRoot!.querySelector('article'), 'the pin never showed its product');
  return {show, el};
}

describe('languages', () => {
  it('resolves a page language to the closest shipped one, else English', () => {
    expect(resolveLocale('fr-CA')).to.equal('fr');
    expect(resolveLocale('zh')).to.equal('zh-CN');
    expect(resolveLocale('zh-Hans')).to.equal('zh-CN');
    expect(resolveLocale('ZH-cn')).to.equal('zh-CN');
    expect(resolveLocale('de-AT')).to.equal('de');
    expect(resolveLocale('pt-BR')).to.equal('en');
    expect(resolveLocale('not a tag')).to.equal('en');
    expect(resolveLocale('')).to.equal('en');
  });

  it('shows the product pin in French on a lang="fr" page', async () => {
    await pageIn('fr');
    const {show, el} = await pinned();
    await waitUntil(() => read(part(el, 'cta')) === 'Ajouter au panier', `the button says "${read(part(el, 'cta'))}"`);
    show.push(stock({productId: 'p-cap'}, 3, Date.now()));
    await waitUntil(() => read(part(el, 'stock')) === 'Plus que 3 en stock', `the stock says "${read(part(el, 'stock'))}"`);
  });

  it('re-renders in German when <html lang> changes to "de"', async () => {
    await pageIn('fr');
    const {el} = await pinned();
    await waitUntil(() => read(part(el, 'cta')) === 'Ajouter au panier');
    document.documentElement.lang = 'de';
    await waitUntil(() => read(part(el, 'cta')) === 'In den Warenkorb', `the button says "${read(part(el, 'cta'))}"`);
  });

  it('falls back to English for a language kolkit does not ship', async () => {
    await pageIn('pt-BR');
    const {el} = await pinned();
    await waitUntil(() => read(part(el, 'cta')) === 'Add to cart', `the button says "${read(part(el, 'cta'))}"`);
  });

  it('lets the page choose the language over <html lang> with setLocale, and follow it again', async () => {
    const {el} = await pinned();
    expect(await setLocale('es-MX')).to.equal('es');
    await waitUntil(() => read(part(el, 'cta')) === 'Añadir al carrito', `the button says "${read(part(el, 'cta'))}"`);
    expect(await setLocale(null)).to.equal(resolveLocale(document.documentElement.lang));
  });
});
