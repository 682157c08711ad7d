// Every element in the page's language (@lit/localize, runtime mode; docs/i18n.md): French on a
// lang="fr" page, a switch of <html lang> re-renders, Arabic text and digits as Intl writes them, plurals by
// each language's rules, and English for a language kolkit does not ship.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import {setLocale, getLocale, resolveLocale} from '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import {dealStart, pin, stock} from '../fixtures/events.js';
import {uniqueId} from '../fixtures/host.js';
import {freshCatalog} from '../fixtures/catalog.js';

/** Text as a shopper reads it: whitespace collapsed. */
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

const pageLang = document.documentElement.lang;
const iso = (ms: number) => new Date(ms).toISOString();
/** A viewer token's payload as the page reads it (the show server would verify the signature, not the page). */
const fakeToken = (name: string) => `e30.${btoa(JSON.stringify({sub: name.toLowerCase(), name})).replace(/=+$/, '')}.sig`;
/** A number as Intl writes it in `locale` (Arabic-Indic digits or Latin, as the engine decides). */
const digits = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);

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

/** A card of `tag` in a show on the embedded server (its own show id), with the customer Ana signed in. */
async function card<T extends Element>(tag: string) {
  const show = await fixture<KolShow>(html`<kol-show server="/" show-id=${uniqueId('i18n')} .viewerToken=${fakeToken('Ana')}
    .adapter=${new MemoryAdapter({products: freshCatalog()})}></kol-show>`);
  const el = document.createElement(tag) as unknown as T;
  show.append(el as unknown as Node);
  return {show, el};
}

const pollOpen = (pollId: string, counts: number[]) => ({
  v: 1, id: uniqueId('e'), type: 'poll.open', at: iso(Date.now() - 1000), pollId, question: 'Quelle couleur ?',
  options: ['Gris', 'Bleu', 'Rouge'], endsAt: iso(Date.now() + 90_000), counts,
});
const pollUpdate = (pollId: string, counts: number[]) => ({v: 1, id: uniqueId('e'), type: 'poll.update', at: iso(Date.now() - 500), pollId, counts});

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

  it('shows times, counts and prices in English on a page whose lang is no language tag ("C": Intl would throw on it)', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent | PromiseRejectionEvent) => errors.push('reason' in event ? event.reason : event.error);
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onError);
    try {
      await pageIn('C'); // what WebKitGTK reports as navigator.language under the C locale
      const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}>
        <kol-upcoming-show show-title="Night market" starts-at="2030-01-10T20:00:00Z" host-name="Leo"></kol-upcoming-show>
        <kol-cart-button></kol-cart-button></kol-show>`);
      const upcoming = show.querySelector('kol-upcoming-show')!;
      const english = new Intl.DateTimeFormat('en', {month: 'long'}).format(Date.UTC(2030, 0, 10));
      await waitUntil(() => read(part(upcoming, 'time')).includes(english), `the time reads "${read(part(upcoming, 'time'))}"`);
      await waitUntil(() => read(part(show.querySelector('kol-cart-button')!, 'count')).startsWith('0'), 'the cart shows no count');
      expect(errors).to.deep.equal([]);
    } finally {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onError);
    }
  });

  it('shows the flash deal in French, its countdown in Intl digits', async () => {
    await pageIn('fr');
    const show = await fixture<KolShow>(html`<kol-show .adapter=${new MemoryAdapter({products: freshCatalog()})}><kol-countdown-deal></kol-countdown-deal></kol-show>`);
    const el = show.querySelector('kol-countdown-deal')!;
    show.push(dealStart('d1', 'p-cap', Date.now(), 90, {stock: 12, limitPerCustomer: 2}));
    await waitUntil(() => read(part(el, 'cta')) === 'Ajouter au panier', `the button says "${read(part(el, 'cta'))}"`);
    expect(read(part(el, 'badge'))).to.equal('Vente flash');
    expect(read(part(el, 'stock'))).to.equal('Plus que 12');
    expect(read(part(el, 'limit'))).to.equal('Limite : 2 par client');
    expect(read(part(el, 'timer'))).to.match(/^1:[0-3]\d$/);
  });

  it('shows the chat composer in French', async () => {
    await pageIn('fr');
    const {el} = await card('kol-chat');
    await waitUntil(() => el.shadowRoot?.querySelector('[part~=send]'), 'the chat never showed its composer');
    expect(el.shadowRoot!.querySelector('input')!.placeholder).to.equal('Dites quelque chose');
    expect(read(part(el, 'send'))).to.equal('Envoyer');
    expect(el.shadowRoot!.querySelector('[part~=base]')!.getAttribute('aria-label')).to.equal('Chat en direct');
  });

  it('words the chat\'s messages again when the language changes (a host\'s badge)', async () => {
    const {show, el} = await card('kol-chat');
    show.push({v: 1, id: uniqueId('e'), type: 'chat.message', at: iso(Date.now() - 500), author: 'Lina', role: 'host', text: 'Bienvenue !'});
    const badge = () => read(el.shadowRoot!.querySelector('[part~=message] [part~=badge]'));
    await waitUntil(() => badge() === 'Host', `the badge says "${badge()}"`);
    await pageIn('fr');
    await waitUntil(() => badge() === 'Animateur', `the badge says "${badge()}"`);
  });

  it('counts votes by French rules: 0 and 1 are singular', async () => {
    await pageIn('fr');
    const {show, el} = await card('kol-poll');
    show.push(pollOpen('p1', [0, 0, 0]));
    await waitUntil(() => read(part(el, 'total')) === '0 vote', `the total says "${read(part(el, 'total'))}"`);
    expect(read(part(el, 'badge'))).to.equal('Sondage');
    show.push(pollUpdate('p1', [1, 0, 0]));
    await waitUntil(() => read(part(el, 'total')) === '1 vote', `the total says "${read(part(el, 'total'))}"`);
    show.push(pollUpdate('p1', [1, 1, 0]));
    await waitUntil(() => read(part(el, 'total')) === '2 votes', `the total says "${read(part(el, 'total'))}"`);
  });

  it('counts votes by Arabic rules, in the digits Intl gives Arabic', async () => {
    await pageIn('ar');
    const {show, el} = await card('kol-poll');
    const totals: [number[], string][] = [
      [[1, 0, 0], 'صوت واحد'],
      [[1, 1, 0], 'صوتان'],
      [[1, 1, 1], `${digits(3, 'ar')} أصوات`],
      [[5, 5, 1], `${digits(11, 'ar')} صوتًا`],
      [[50, 50, 0], `${digits(100, 'ar')} صوت`],
    ];
    show.push(pollOpen('p1', [0, 0, 0]));
    await waitUntil(() => read(part(el, 'badge')) === 'استطلاع', `the badge says "${read(part(el, 'badge'))}"`);
    for (const [counts, total] of totals) {
      show.push(pollUpdate('p1', counts));
      await waitUntil(() => read(part(el, 'total')) === total, `for ${counts} the total says "${read(part(el, 'total'))}", not "${total}"`);
    }
    // The countdown's digits are Intl's for Arabic too.
    expect(read(part(el, 'timer'))).to.contain(digits(1, 'ar'));
  });

  it('shows the auction in French', async () => {
    await pageIn('fr');
    const {show, el} = await card('kol-auction');
    show.push({v: 1, id: uniqueId('e'), type: 'auction.open', at: iso(Date.now() - 1000), auctionId: 'a1', productId: 'p-cap',
      startingBid: {amount: '10.00', currencyCode: 'EUR'}, endsAt: iso(Date.now() + 60_000), extendBy: 10, suddenDeath: false});
    await waitUntil(() => read(part(el, 'badge')) === 'Enchère en direct', `the badge says "${read(part(el, 'badge'))}"`);
    expect(read(part(el, 'cta'))).to.equal('Enchérir');
    expect(read(el.shadowRoot!.querySelector('[part~=bids]'))).to.equal('0 enchère');
    expect(read(el.shadowRoot!.querySelector('[part~=base]'))).to.contain('Mise à prix');
  });

  it('says "3 of 5 joined" in French with the verb agreeing, and the group card in French', async () => {
    await pageIn('fr');
    const {show, el} = await card('kol-group-buy');
    const open = {v: 1, id: uniqueId('e'), type: 'group.open', at: iso(Date.now() - 1000), groupId: 'g1', productId: 'p-cap',
      price: {amount: '18.00', currencyCode: 'EUR'}, needed: 5, endsAt: iso(Date.now() + 600_000), joined: 1};
    show.push(open);
    await waitUntil(() => read(part(el, 'progress')).startsWith('1 sur 5 a rejoint'), `the progress says "${read(part(el, 'progress'))}"`);
    expect(read(part(el, 'badge'))).to.equal("Prix d'équipe");
    show.push({v: 1, id: uniqueId('e'), type: 'group.update', at: iso(Date.now() - 500), groupId: 'g1', joined: 3});
    await waitUntil(() => read(part(el, 'progress')).startsWith('3 sur 5 ont rejoint'), `the progress says "${read(part(el, 'progress'))}"`);
  });

  it('shows the live player\'s controls and viewer count in the page language', async () => {
    await pageIn('es');
    const show = await fixture<KolShow>(html`<kol-show><kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player></kol-show>`);
    const player = show.querySelector('kol-live-player')!;
    await waitUntil(() => player.status === 'live' && show.programTime !== null, `status stayed ${player.status}`, {timeout: 20000});
    expect(part(player, 'unmute')?.textContent?.trim()).to.equal('Toca para activar el sonido');
    expect(part(player, 'mute')?.getAttribute('aria-label')).to.equal('Activar sonido');
    show.push({v: 1, id: uniqueId('viewers'), type: 'viewers.update', count: 1234, at: show.programTime!.toISOString()});
    const count = new Intl.NumberFormat('es', {notation: 'compact', maximumFractionDigits: 1}).format(1234).replace(/\s+/g, ' ');
    await waitUntil(() => read(part(player, 'viewers')) === `${count} espectadores`, `the badge said "${read(part(player, 'viewers'))}"`, {timeout: 5000});
  });

  it('shows the pin in Arabic with the price in Intl\'s Arabic format', async () => {
    await pageIn('ar');
    const {el} = await pinned();
    await waitUntil(() => read(part(el, 'cta')) === 'أضف إلى السلة', `the button says "${read(part(el, 'cta'))}"`);
    const price = freshCatalog().find((p) => p.id === 'p-cap')!.variants[0]!.price;
    const arabic = new Intl.NumberFormat('ar', {style: 'currency', currency: price.currencyCode}).format(Number(price.amount));
    expect(read(part(el, 'price')).replace(/\s+/g, ' ')).to.contain(arabic.replace(/\s+/g, ' '));
  });

  it('lays out right to left on a lang="ar" page that states no direction, and back when the language changes', async () => {
    await pageIn('ar');
    const {el} = await pinned();
    const image = () => part(el, 'image')!.getBoundingClientRect();
    const title = () => part(el, 'title')!.getBoundingClientRect();
    await waitUntil(() => read(part(el, 'cta')) === 'أضف إلى السلة', 'the pin never spoke Arabic');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(title().right, 'the text is left of the image').to.be.at.most(image().left);
    await pageIn('fr');
    await waitUntil(() => getComputedStyle(el).direction === 'ltr', 'French stayed right to left');
    expect(el.hasAttribute('dir'), 'kolkit took back its own dir').to.equal(false);
    expect(image().right, 'the image is left of the text again').to.be.at.most(title().left);
  });

  it('keeps the direction a page states: dir on the element or around it wins over the language', async () => {
    const {el} = await pinned();
    el.setAttribute('dir', 'ltr');
    await pageIn('ar');
    expect(getComputedStyle(el).direction, 'dir="ltr" on the element').to.equal('ltr');
    el.removeAttribute('dir');
    const ltrPage = document.createElement('div');
    ltrPage.dir = 'ltr';
    document.body.append(ltrPage);
    ltrPage.append(el.closest('kol-show')!);
    expect(getComputedStyle(el).direction, 'Arabic inside a dir="ltr" part of the page').to.equal('ltr');
    expect(el.hasAttribute('dir')).to.equal(false);
    ltrPage.remove();
  });

  it('lets the page choose the language over <html lang> with setLocale, and follow it again', async () => {
    const {el} = await pinned();
    expect(await setLocale('es-MX')).to.equal('es');
    await waitUntil(() => read(part(el, 'cta')) === 'Añadir al carrito', `the button says "${read(part(el, 'cta'))}"`);
    expect(await setLocale(null)).to.equal(resolveLocale(document.documentElement.lang));
  });
});
