import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolProductPin, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/index.js';
import {freshCatalog} from '../fixtures/catalog.js';
import {pin} from '../fixtures/events.js';

const title = (element: KolProductPin) => element.shadowRoot?.querySelector('[part~=title]')?.textContent?.trim();

describe('an element and its show', () => {
  it('follows a show replaced by a new one of the same id (a theme editor re-rendering a section)', async () => {
    const page = await fixture<HTMLElement>(html`<div><kol-product-pin show="s"></kol-product-pin><section></section></div>`);
    const section = page.querySelector('section')!;
    const element = page.querySelector<KolProductPin>('kol-product-pin')!;
    const mount = (productId: string) => {
      section.replaceChildren();
      const show = document.createElement('kol-show') as KolShow;
      show.id = 's';
      show.adapter = new MemoryAdapter({products: freshCatalog()});
      section.append(show);
      show.push(pin(productId, Date.now() - 1));
      return show;
    };
    mount('p-cap');
    await waitUntil(() => title(element) === 'Lune Cap', `the pin shows ${title(element)}`);
    section.replaceChildren(); // the editor unloads the section…
    await Promise.resolve(); // the element lets go of the removed show in a microtask (show-link.ts)
    await element.updateComplete;
    mount('p-mug'); // …and loads its new render
    await waitUntil(() => title(element) === 'Moon Mug', `the pin still shows ${title(element)}`);
    expect(element.error).to.equal(null);
  });
});
