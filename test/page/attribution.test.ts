// Attribution that survives navigation, in Chromium: the `?kol_ref=` a shopper landed with is kept for the
// session only with the show's consent, so an add on a later page (the URL changed with history.pushState,
// and the page's memory forgotten as a new page's would be) still carries `_kol_ref`; without consent it does
// not, nothing is stored, withdrawing consent removes it, and a new `?kol_ref=` replaces it.
import {expect, fixture, html} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {ATTRIBUTION_KEY, forgetPageAttribution} from '../../src/page/attribution.js';

const product = {id: 'p-ref', title: 'Ref tee', variants: [{id: 'v-ref', title: 'M', price: {amount: '5.00', currencyCode: 'EUR'}, available: true}]};
const start = location.href;

/** A page of the shop: a show with its consent and a fresh memory cart. */
async function page(consent: 'granted' | 'denied') {
  const show = await fixture<KolShow>(html`<kol-show consent=${consent} .adapter=${new MemoryAdapter({products: [product]})}></kol-show>`);
  await show.updateComplete;
  return show;
}

/** Adds one item; answers the new line's attributes. */
async function addOne(show: KolShow): Promise<Record<string, string> | undefined> {
  const outcome = await show.addToCart({productId: 'p-ref', variantId: 'v-ref', quantity: 1, source: 'test'});
  if (outcome.status !== 'added') throw new Error(`the add was ${outcome.status}`);
  return outcome.cart.lines[0]!.attributes;
}

/** Lands on the shop with `?kol_ref=`. */
function land(ref: string) {
  history.replaceState(null, '', `/landing?kol_ref=${ref}`);
}

/** Browses to another page of the shop: a URL without the parameter, and (as a new page) nothing in memory. */
function browseOn() {
  history.pushState(null, '', '/collections/all');
  forgetPageAttribution();
}

describe('attribution across pages (kol_ref)', () => {
  afterEach(() => {
    history.replaceState(null, '', start);
    sessionStorage.removeItem(ATTRIBUTION_KEY);
    forgetPageAttribution();
  });

  it('with consent, an add two pages after landing still credits the host', async () => {
    land('host7');
    await page('granted');
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal('host7');
    browseOn();
    browseOn();
    const show = await page('granted');
    expect(await addOne(show)).to.include({_kol_ref: 'host7'});
  });

  it('without consent, nothing is stored and a later page credits nobody', async () => {
    land('host7');
    const first = await page('denied');
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal(null);
    // The same page still knows it (in memory only) after its URL changed.
    history.pushState(null, '', '/collections/all');
    expect(await addOne(first)).to.include({_kol_ref: 'host7'});
    browseOn();
    const later = await page('denied');
    expect(await addOne(later)).not.to.have.property('_kol_ref');
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal(null);
  });

  it('consent given after landing keeps it; withdrawn, it is removed', async () => {
    land('host8');
    const show = await page('denied');
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal(null);
    show.consent = 'granted';
    await show.updateComplete;
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal('host8');
    show.consent = 'denied';
    await show.updateComplete;
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal(null);
    browseOn();
    const later = await page('granted');
    expect(await addOne(later)).not.to.have.property('_kol_ref');
  });

  it('a new ?kol_ref= replaces the kept one; the show’s affiliate attribute wins over both', async () => {
    land('host7');
    await page('granted');
    browseOn();
    land('host9');
    const show = await page('granted');
    expect(sessionStorage.getItem(ATTRIBUTION_KEY)).to.equal('host9');
    expect(await addOne(show)).to.include({_kol_ref: 'host9'});
    const partner = await fixture<KolShow>(html`<kol-show consent="granted" affiliate="partner-1" .adapter=${new MemoryAdapter({products: [product]})}></kol-show>`);
    expect(await addOne(partner)).to.include({_kol_ref: 'partner-1'});
  });

  it('sets the ref on the cart too, once, where the backend has cart attributes (memory)', async () => {
    land('host7');
    const adapter = new MemoryAdapter({products: [product]});
    let calls = 0;
    const setCartAttributes = adapter.setCartAttributes.bind(adapter);
    adapter.setCartAttributes = (attributes, options) => (calls++, setCartAttributes(attributes, options));
    const show = await fixture<KolShow>(html`<kol-show consent="granted" .adapter=${adapter}></kol-show>`);
    await addOne(show);
    expect((await adapter.getCart())!.attributes).to.deep.equal({_kol_ref: 'host7'});
    await addOne(show);
    expect(calls, 'set once per cart').to.equal(1);
  });

  it('a stored id that is not a valid ref is ignored', async () => {
    sessionStorage.setItem(ATTRIBUTION_KEY, '<script>');
    const show = await page('granted');
    expect(await addOne(show)).not.to.have.property('_kol_ref');
  });
});
