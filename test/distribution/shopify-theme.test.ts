/**
 * The Shopify theme app extension (integrations/shopify-app/extensions/kolkit-theme/) in a theme page (/demo/shopify-theme/, its
 * blocks' Liquid rendered by demo/lib/shopify-theme-page.mjs) against the local Ajax Cart API under /shopify/:
 * what a shopper gets on the storefront, and what a merchant gets in the theme editor, whose section reloads
 * replace the blocks' DOM. The page comes in a Horizon-style theme (its cart UI follows DOM events) and a
 * Dawn-like one (`?theme=dawn`: Dawn's pub/sub globals and a header icon re-rendered from `?sections=`).
 */
import {expect, waitUntil} from '@open-wc/testing';
import {hostAct, uniqueId} from '../fixtures/host.js';
import {resetShop, shopRequests, SHOP, SHOP_ROOT} from '../fixtures/shopify-store.js';
import {fetchedScripts, openPage, part, whenDefined} from './helpers.js';

const PAGE = '/demo/shopify-theme/';
const ASSETS = '/demo/shopify-theme/assets/';
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

interface Player extends HTMLElement {
  readonly status: string;
  readonly paused: boolean;
  readonly engineKind: string | null;
  play(): Promise<void>;
}

interface AjaxCart {
  item_count: number;
  items: Array<{handle: string; quantity: number; properties: Record<string, string>}>;
}

async function shopCart(): Promise<AjaxCart> {
  return (await fetch(`${SHOP_ROOT}cart.js`)).json();
}

/** The count in the Horizon-style theme's header cart icon (demo/shopify-theme/theme.js keeps it). */
const themeCount = (doc: Document) => Number(read(doc.querySelector('cart-icon .cart-bubble__text-count')));

async function waitUntilLive(player: Player): Promise<void> {
  await waitUntil(() => player.status === 'live', `the player stayed ${player.status}`, {timeout: 20000});
  const video = player.shadowRoot!.querySelector('video')!;
  const start = video.currentTime;
  await waitUntil(() => video.currentTime > start + 0.5, 'the video did not advance', {timeout: 10000});
}

/** Pins `handle` as the host and waits for `pin` to show it. */
async function pinAndSee(pin: Element, handle: string): Promise<string> {
  const label = `#${uniqueId('shop')}`;
  await hostAct({type: 'product.pin', productId: handle, label});
  await waitUntil(() => read(part(pin, 'badge')) === label, 'the pin never showed the host\'s product', {timeout: 20000});
  const cta = () => part(pin, 'cta') as HTMLButtonElement | null;
  await waitUntil(() => cta() && !cta()!.disabled, 'the pin never became addable', {timeout: 5000});
  return label;
}

describe('Shopify theme app extension (/demo/shopify-theme/)', function () {
  this.timeout(90000);
  let frame: HTMLIFrameElement | undefined;
  beforeEach(() => resetShop());
  afterEach(() => frame?.remove());

  it('renders the app blocks and embed into the theme, with only the extension\'s loader as a script', async () => {
    const html = await (await fetch(PAGE)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const scripts = [...doc.querySelectorAll('script[src]')] as HTMLScriptElement[];
    const ours = scripts.filter((s) => s.getAttribute('src')!.startsWith(ASSETS));
    expect(ours.map((s) => new URL(s.getAttribute('src')!, location.href).pathname)).to.deep.equal([`${ASSETS}kolkit-loader.js`]);
    expect(ours[0].defer, 'the loader is deferred').to.equal(true);
    expect(ours[0].type, 'the loader is a classic script').to.equal('');
    expect(html).not.to.include('kolkit.js');

    const show = doc.querySelector('kol-show')!;
    expect(show.id).to.equal('kolkit-live');
    expect(show.getAttribute('adapter')).to.equal('shopify-theme');
    expect(show.getAttribute('events')).to.equal('/v1/shows/demo/events');
    const player = doc.querySelector('#shopify-section-kolkit-live kol-live-player')!;
    expect(player.getAttribute('src')).to.equal('/live/index.m3u8');
    expect(player.hasAttribute('autoplay') && player.hasAttribute('muted')).to.equal(true);
    for (const tag of ['kol-live-player', 'kol-product-pin', 'kol-countdown-deal', 'kol-cart-button']) {
      expect(doc.querySelector(`#shopify-section-kolkit-live ${tag}`)!.getAttribute('show'), tag).to.equal('kolkit-live');
    }
    // The storefront gets no editor attributes; the theme editor's page does.
    expect(doc.querySelector('[data-shopify-editor-block]')).to.equal(null);
  });

  it('sells the store\'s own Lune Cap: the product section matches /shopify/products/lune-cap.js', async () => {
    const product = await (await fetch(`${SHOP_ROOT}products/${SHOP.cap.handle}.js`)).json();
    const doc = new DOMParser().parseFromString(await (await fetch(PAGE)).text(), 'text/html');
    expect(read(doc.querySelector('.product__title'))).to.equal(product.title);
    const variants = [...doc.querySelectorAll<HTMLInputElement>('.product-form input[name="id"]')].map((input) => input.value);
    expect(variants).to.deep.equal(product.variants.map((v: {id: number}) => String(v.id)));
  });

  it('loads kolkit from the extension\'s assets only when the shopper scrolls to the live section', async () => {
    frame = await openPage(`${PAGE}?layout=long`, {height: 500});
    const win = frame.contentWindow!;
    const doc = frame.contentDocument!;
    await waitUntil(() => (win as unknown as Record<symbol, unknown>)[Symbol.for('kolkit.loader')], 'the loader never ran');
    // Let the loader's observer deliver its first records (it does at the next rendering opportunities).
    for (let i = 0; i < 3; i++) await new Promise((resolve) => win.requestAnimationFrame(resolve));
    expect(fetchedScripts(win).filter((path) => path.startsWith(ASSETS)).map((path) => path.split('?')[0])).to.deep.equal([`${ASSETS}kolkit-loader.js`]);
    expect(win.customElements.get('kol-show')).to.equal(undefined);

    doc.getElementById('shopify-section-kolkit-live')!.scrollIntoView();
    await whenDefined(frame);
    const scripts = fetchedScripts(win);
    expect(scripts).to.include(`${ASSETS}kolkit.js`);
    expect(scripts.filter((path) => path.startsWith('/dist/')), 'nothing from outside the extension').to.deep.equal([]);
  });

  it('plays the live stream, shows the host\'s pin from the store, and the theme\'s cart count follows an add', async () => {
    frame = await openPage(PAGE);
    const doc = frame.contentDocument!;
    await whenDefined(frame);
    await waitUntilLive(doc.querySelector<Player>('kol-live-player')!);

    const pin = doc.querySelector('kol-product-pin')!;
    await pinAndSee(pin, SHOP.tee.handle);
    expect(read(part(pin, 'title'))).to.equal('Crescent Tee');
    expect(themeCount(doc)).to.equal(0);
    part(pin, 'cta')!.click();

    // The adapter tells the theme (cart:refresh / cart:update); the theme re-reads /cart.js for its icon.
    await waitUntil(() => themeCount(doc) === 1, 'the theme\'s cart count never went to 1', {timeout: 10000});
    expect(doc.querySelector('kol-cart-button')!.getAttribute('count')).to.equal('1');
    const cart = await shopCart();
    expect(cart.items.map((item) => [item.handle, item.quantity])).to.deep.equal([[SHOP.tee.handle, 1]]);
    expect(cart.items[0].properties._kol_show).to.equal('kolkit-live');
    // The page has no #cart-icon-bubble: kolkit asks the Section Rendering API for nothing.
    expect((await shopRequests()).filter((request) => request.includes('sections='))).to.deep.equal([]);
  });

  it('follows the theme\'s own add to cart (its cart:update) in kolkit\'s cart button', async () => {
    frame = await openPage(PAGE);
    const doc = frame.contentDocument!;
    await whenDefined(frame);
    const button = doc.querySelector('kol-cart-button')!;
    doc.querySelector<HTMLButtonElement>('.product-form__submit')!.click();
    await waitUntil(() => themeCount(doc) === 1, 'the theme\'s own add did not count', {timeout: 10000});
    await waitUntil(() => button.getAttribute('count') === '1', 'kolkit\'s cart button missed the theme\'s add', {timeout: 10000});
    expect((await shopCart()).items.map((item) => item.handle)).to.deep.equal([SHOP.cap.handle]);
  });

  it('in the theme editor: never autoplays, and the live section works again after the editor reloads it', async () => {
    frame = await openPage(`${PAGE}?design_mode=1`);
    const win = frame.contentWindow! as Window & {Shopify?: {designMode?: boolean}};
    const doc = frame.contentDocument!;
    expect(win.Shopify?.designMode).to.equal(true);
    expect(doc.querySelector('[data-shopify-editor-block]'), 'blocks carry the editor\'s attributes').not.to.equal(null);
    await whenDefined(frame);

    const oldSection = doc.getElementById('shopify-section-kolkit-live')!;
    const oldPlayer = oldSection.querySelector<Player>('kol-live-player')!;
    expect(oldPlayer.hasAttribute('autoplay')).to.equal(false);
    // Loaded with frames to show, and still paused: it would be live by now if it autoplayed.
    const oldVideo = oldPlayer.shadowRoot!.querySelector('video')!;
    await waitUntil(() => oldPlayer.status === 'paused' && oldVideo.readyState >= 2, `the player is ${oldPlayer.status}`, {timeout: 20000});
    expect(oldPlayer.paused).to.equal(true);
    await oldPlayer.play(); // the merchant presses play
    await waitUntilLive(oldPlayer);

    // The editor's section reload: unload on the old section, its DOM replaced by freshly rendered HTML, load on the new one.
    const heard: string[] = [];
    for (const type of ['shopify:section:unload', 'shopify:section:load']) doc.addEventListener(type, (event) => heard.push(event.type));
    const fresh = await (await fetch(`${PAGE}?design_mode=1&section_id=kolkit-live`)).text();
    oldSection.dispatchEvent(new CustomEvent('shopify:section:unload', {bubbles: true, detail: {sectionId: 'kolkit-live'}}));
    const template = doc.createElement('template');
    template.innerHTML = fresh;
    const newSection = template.content.firstElementChild!;
    oldSection.replaceWith(newSection);
    newSection.dispatchEvent(new CustomEvent('shopify:section:load', {bubbles: true, detail: {sectionId: 'kolkit-live'}}));
    expect(heard).to.deep.equal(['shopify:section:unload', 'shopify:section:load']);

    // Nothing of the old section keeps running: its player let go of hls.js and of the stream.
    // A removed player lets go a task later (a move in the same task keeps its stream: docs/player.md).
    expect(oldPlayer.isConnected).to.equal(false);
    await waitUntil(() => oldPlayer.engineKind === null, `the old player still holds ${oldPlayer.engineKind}`);
    expect(oldPlayer.paused).to.equal(true);
    expect(oldVideo.readyState, 'the old video holds no media').to.equal(HTMLMediaElement.HAVE_NOTHING);
    expect([HTMLMediaElement.NETWORK_EMPTY, HTMLMediaElement.NETWORK_NO_SOURCE], 'the old video loads nothing').to.include(oldVideo.networkState);
    expect(doc.querySelectorAll('kol-live-player')).to.have.length(1);

    // The new blocks are kolkit's, linked to the embed's show, and work.
    const player = newSection.querySelector<Player>('kol-live-player')!;
    expect(player).not.to.equal(oldPlayer);
    await waitUntil(() => player.status === 'paused', `the new player is ${player.status}`, {timeout: 20000});
    await player.play();
    await waitUntilLive(player);
    const show = doc.querySelector('kol-show') as HTMLElement & {programTime: Date | null};
    await waitUntil(() => show.programTime !== null, 'the show never took its time from the new player', {timeout: 5000});

    const pin = newSection.querySelector('kol-product-pin')!;
    await pinAndSee(pin, SHOP.cap.handle);
    part(pin, 'cta')!.click();
    await waitUntil(() => themeCount(doc) === 1, 'the add after the reload did not reach the theme', {timeout: 10000});
    expect(newSection.querySelector('kol-cart-button')!.getAttribute('count')).to.equal('1');
    expect((await shopCart()).item_count).to.equal(1);
  });

  it('floats the player, the pin and the deal from the app embed', async () => {
    frame = await openPage(`${PAGE}?embed=floating`);
    const doc = frame.contentDocument!;
    expect(doc.getElementById('shopify-section-kolkit-live')).to.equal(null);
    await whenDefined(frame);
    const float = doc.querySelector('kol-show > details.kolkit-float')!;
    expect(getComputedStyle(float).position).to.equal('fixed');
    await waitUntilLive(float.querySelector<Player>('kol-live-player')!);
    const pin = float.querySelector('kol-product-pin')!;
    await pinAndSee(pin, SHOP.mug.handle);
    expect(getComputedStyle(pin).display).not.to.equal('none');
    part(pin, 'cta')!.click();
    await waitUntil(() => themeCount(doc) === 1, 'the floating pin\'s add did not reach the theme', {timeout: 10000});
  });
});

/** The Dawn-like page's window: its pub/sub's functions are window properties (PUB_SUB_EVENTS is not). */
type DawnWindow = Window & {
  subscribe(eventName: string, callback: (data: {source?: string; cartData?: {item_count?: number}}) => unknown): () => void;
  fetch: typeof fetch;
};

/** The count in the Dawn-like header's #cart-icon-bubble, as the cart-icon-bubble section renders it (0: no bubble). */
const dawnCount = (doc: Document) => Number(read(doc.querySelector('#cart-icon-bubble .cart-count-bubble [aria-hidden]')) || 0);

/**
 * Opens the Dawn-like page with kolkit defined and the theme's first cart render done, and records from then
 * on what a shopper's tab does: every `cartUpdate` published, and every URL fetched (at the call, so a
 * request started in the same turn as a render is already there when a test sees the render).
 */
async function openDawn(query = '') {
  const frame = await openPage(`${PAGE}?theme=dawn${query}`);
  const win = frame.contentWindow as DawnWindow;
  const doc = frame.contentDocument!;
  await whenDefined(frame);
  await waitUntil(() => doc.documentElement.hasAttribute('data-cart-ready'), 'the theme never rendered its cart');
  const published: Array<{source?: string; cartData?: {item_count?: number}}> = [];
  win.subscribe('cart-update', (data) => void published.push(data));
  const fetched: string[] = [];
  const original = win.fetch;
  win.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), win.location.href);
    fetched.push(decodeURIComponent(url.pathname + url.search));
    return original.call(win, input, init);
  };
  return {frame, win, doc, published, fetched, drawer: doc.querySelector('cart-drawer')!, button: doc.querySelector('kol-cart-button')!};
}

describe('The extension in a Dawn-like theme (/demo/shopify-theme/?theme=dawn)', function () {
  this.timeout(90000);
  let frame: HTMLIFrameElement | undefined;
  beforeEach(() => resetShop());
  afterEach(() => frame?.remove());

  it('an add from the pin: Dawn\'s drawer hears cartUpdate from kolkit, the header bubble follows from ?sections=, nothing opens', async () => {
    const page = await openDawn();
    frame = page.frame;
    const {doc, published, fetched, drawer} = page;
    await waitUntilLive(doc.querySelector<Player>('kol-live-player')!);
    const pin = doc.querySelector('kol-product-pin')!;
    await pinAndSee(pin, SHOP.tee.handle);
    expect(dawnCount(doc)).to.equal(0);
    part(pin, 'cta')!.click();

    await waitUntil(() => dawnCount(doc) === 1, 'the header bubble never went to 1', {timeout: 10000});
    expect(read(doc.querySelector('#cart-icon-bubble .cart-count-bubble .visually-hidden'))).to.equal('1 item');
    expect(page.button.getAttribute('count')).to.equal('1');
    // Published once, as kolkit, with the cart.js answer.
    expect(published.map((event) => [event.source, event.cartData?.item_count])).to.deep.equal([['kolkit', 1]]);
    // The theme's own subscriber re-rendered its drawer (closed); kolkit re-rendered the icon, which it does not.
    await waitUntil(() => read(doc.querySelector('cart-drawer-items')).includes('Crescent Tee - S'), 'the drawer never showed the add', {timeout: 10000});
    expect(drawer.classList.contains('active'), 'the drawer stays closed').to.equal(false);
    expect(fetched.filter((url) => url.includes('section')).sort()).to.deep.equal([
      '/shopify/?sections=cart-icon-bubble', // kolkit
      '/shopify/cart?section_id=cart-drawer', // the theme's cartUpdate subscriber
    ]);
    expect(page.win.location.pathname, 'no navigation').to.equal('/demo/shopify-theme/');
  });

  it('the theme\'s own add (its cartUpdate) reaches <kol-cart-button> with one cart read, and opens the theme\'s drawer', async () => {
    const page = await openDawn();
    frame = page.frame;
    const {doc, fetched, drawer, button} = page;
    await waitUntil(() => button.getAttribute('count') === '0', 'kolkit never read the empty cart');
    doc.querySelector<HTMLButtonElement>('.product-form__submit')!.click();

    await waitUntil(() => button.getAttribute('count') === '1', 'kolkit\'s cart button missed the theme\'s add', {timeout: 10000});
    expect(dawnCount(doc)).to.equal(1);
    expect(drawer.classList.contains('active'), 'the theme opened its drawer for its own add').to.equal(true);
    expect(fetched.filter((url) => url === '/shopify/cart.js'), 'one cart read').to.have.length(1);
    expect(fetched.filter((url) => url.includes('sections=cart-icon-bubble') && url.startsWith('/shopify/?')), 'kolkit re-renders nothing for the theme\'s own add').to.deep.equal([]);
    expect((await shopCart()).items.map((item) => item.handle)).to.deep.equal([SHOP.cap.handle]);
  });

  it('skips its section refresh when the theme\'s own cartUpdate subscriber already re-rendered the icon', async () => {
    const page = await openDawn('&cart_icon=on-update');
    frame = page.frame;
    const {doc, fetched} = page;
    await waitUntilLive(doc.querySelector<Player>('kol-live-player')!);
    const pin = doc.querySelector('kol-product-pin')!;
    await pinAndSee(pin, SHOP.mug.handle);
    part(pin, 'cta')!.click();

    await waitUntil(() => dawnCount(doc) === 1, 'the header bubble never went to 1', {timeout: 10000});
    expect(page.button.getAttribute('count')).to.equal('1');
    // kolkit waited for the subscribers it published to: the theme's request re-rendered the icon, so kolkit's
    // own would have been started by now, in the same turn.
    expect(fetched.filter((url) => url.includes('section'))).to.deep.equal(['/shopify/cart?sections=cart-drawer,cart-icon-bubble']);
  });
});
