// The demo pages: the store page's markup is the documented one (DESIGN.md §6) and CSP-clean, like the
// studio's page (the studio itself is driven in test/studio/studio.test.ts).
import {expect} from '@open-wc/testing';
import {DEMO_SHOW} from '../fixtures/host.js';

async function page(path: string): Promise<Document> {
  return new DOMParser().parseFromString(await (await fetch(path)).text(), 'text/html');
}

describe('demo: store page', () => {
  it('uses the documented kolkit markup, loaded from the CDN bundle', async () => {
    const doc = await page('/demo/store.html');
    const show = doc.querySelector('kol-show')!;
    expect(show.id).to.equal('live');
    expect(show.getAttribute('adapter')).to.equal('memory');
    expect(show.getAttribute('products')).to.equal('/demo/catalog.json');
    // The show server on the page's own origin: the events stream and the viewer actions derive from it.
    expect([show.getAttribute('server'), show.getAttribute('show-id'), show.getAttribute('events')]).to.deep.equal(['/', DEMO_SHOW, null]);
    expect([...show.children].map((c) => c.localName)).to.deep.equal(['kol-live-player', 'kol-product-pin', 'kol-countdown-deal', 'kol-reactions', 'kol-poll', 'kol-giveaway', 'kol-auction', 'kol-group-buy', 'kol-chat']);
    const player = show.querySelector('kol-live-player')!;
    expect(player.getAttribute('src')).to.equal('/live/index.m3u8');
    expect(player.hasAttribute('muted') && player.hasAttribute('autoplay')).to.equal(true);
    expect(doc.querySelector('header kol-cart-button')!.getAttribute('show')).to.equal('live');
    expect(doc.querySelector('aside kol-upcoming-show')!.getAttribute('show'), 'the next show, bound to the show by id').to.equal('live');
    const modules = [...doc.querySelectorAll('script')].map((s) => [s.type, s.getAttribute('src')]);
    expect(modules).to.deep.include(['module', '/dist/cdn/kolkit.js']);
    expect(doc.querySelector('dialog#cart-drawer')).to.exist;
  });

  for (const path of ['/demo/store.html', '/studio']) {
    it(`${path} has no inline script or style (it runs under a strict CSP)`, async () => {
      const doc = await page(path);
      expect([...doc.querySelectorAll('script')].every((s) => s.src && !s.textContent!.trim())).to.equal(true);
      expect(doc.querySelectorAll('style, [style]').length).to.equal(0);
      const onAttributes = [...doc.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith('on')));
      expect(onAttributes).to.deep.equal([]);
    });
  }
});

describe('demo: the host console', () => {
  it('is the studio now: the old address leads there', async () => {
    const res = await fetch('/demo/host.html', {redirect: 'manual'});
    expect(res.type === 'opaqueredirect' || res.status === 301).to.equal(true);
    const followed = await fetch('/demo/host.html');
    expect(new URL(followed.url).pathname).to.equal('/studio');
    expect(followed.headers.get('content-security-policy')).to.contain("script-src 'self'");
  });
});
