/**
 * Document Picture-in-Picture in real Chromium and Firefox (both open the window headless here): the player's
 * button (a real click, so the window gets its user activation) opens a window with the live video and the
 * pinned product card; the card adds to the page's cart; closing the window brings the video back, playing on.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
import '../../src/index.js';
import type {KolCartButton, KolProductPin, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {KolAddToCartEvent, KolAddToCartRequestEvent, KolPipChangeEvent} from '../../src/elements/events.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {pin} from '../fixtures/events.js';
import {uniqueId} from '../fixtures/host.js';

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** The number the cart button's count badge shows. */
const badge = (button: KolCartButton) =>
  [...part(button, 'count')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
const pipApi = () => (window as Window & {documentPictureInPicture?: {window: Window | null}}).documentPictureInPicture;

/** Clicks `element` with the mouse (a real gesture: the browser's user activation), at its centre. */
async function click(element: HTMLElement): Promise<void> {
  element.scrollIntoView({block: 'center'});
  const box = element.getBoundingClientRect();
  await sendMouse({type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)]});
}

/** A show with a live player, a cart button and a pinned product, playing. */
async function playingShow() {
  const id = uniqueId('pip');
  const show = await fixture<KolShow>(html`<kol-show id=${id} consent="denied" lang="en-GB">
    <kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player>
    <kol-cart-button></kol-cart-button>
  </kol-show>`);
  show.adapter = new MemoryAdapter({products: freshCatalog()});
  const player = show.querySelector('kol-live-player')!;
  const cart = show.querySelector('kol-cart-button') as KolCartButton;
  await waitUntil(() => !player.paused && show.programTime !== null, `player stayed ${player.status}`, {timeout: 20000});
  show.push(pin('p-cap', Date.now() - 60_000));
  await waitUntil(() => show.state.pinned[0]?.productId === 'p-cap', 'the pin was never released');
  return {show, player, cart};
}

describe('<kol-live-player> Document Picture-in-Picture', function () {
  this.timeout(60000);

  afterEach(() => pipApi()?.window?.close());

  it('opens a window with the live video and the pinned card, adds to the page\'s cart from it, and brings the video back', async () => {
    expect(pipApi(), 'this browser has documentPictureInPicture (Chromium 116+, Firefox 151+)').to.exist;
    const {show, player, cart} = await playingShow();
    const video = player.shadowRoot!.querySelector('video')!;
    const modes: Array<string | null> = [];
    player.addEventListener('kol-pip-change', (e) => modes.push((e as KolPipChangeEvent).detail.mode));
    const count = () => show.cart?.totalQuantity ?? 0;
    const before = count();
    // The page's theme for its cards (a token set where the show is): the card in the window must wear it too.
    show.style.setProperty('--kol-product-pin-background', 'rgb(10, 20, 30)');

    await player.updateComplete;
    await click(part(player, 'pip')!);
    await waitUntil(() => player.pip === 'document', `no window opened (pip=${player.pip})`, {timeout: 10000});
    const pipWindow = pipApi()!.window!;
    expect(pipWindow, 'the Document Picture-in-Picture window').to.exist;
    expect(pipWindow.document.documentElement.lang, 'the player\'s language').to.equal('en-GB');

    // The same video element, in the window, still playing.
    expect(video.ownerDocument).to.equal(pipWindow.document);
    expect(player.shadowRoot!.querySelector('video'), 'the video left the player').to.equal(null);
    const t0 = video.currentTime;
    await waitUntil(() => video.currentTime > t0 + 0.5 && !video.paused, 'the video stopped in the window', {timeout: 10000});
    expect(read(part(player, 'state')), 'the player says where the video went').to.contain('picture-in-picture');
    expect(video.controls, 'the browser\'s controls (play, sound) in the window').to.equal(true);

    // The card: the pinned product, styled by its own sheets in the window's document.
    const card = pipWindow.document.querySelector('kol-product-pin') as KolProductPin;
    expect(card, 'a product card in the window').to.exist;
    const title = catalog.find((p) => p.id === 'p-cap')!.title;
    await waitUntil(() => read(part(card, 'title')) === title, `the card shows "${read(part(card, 'title'))}"`);
    const cta = part(card, 'cta') as HTMLButtonElement;
    expect(pipWindow.getComputedStyle(cta).cursor, 'the card is styled in the window').to.equal('pointer');
    expect(card.shadowRoot!.adoptedStyleSheets.length, 'sheets adopted in the window').to.be.greaterThan(0);
    expect(pipWindow.getComputedStyle(part(card, 'base')!).backgroundColor, 'the page\'s --kol-* theme in the window').to.equal('rgb(10, 20, 30)');

    // A page that adds its own way cancels the request on its document: the card in the window obeys too.
    const requested: string[] = [];
    const cancel = (event: KolAddToCartRequestEvent) => {
      requested.push(event.detail.productId);
      event.preventDefault();
    };
    document.addEventListener('kol-add-to-cart-request', cancel);
    cta.click();
    document.removeEventListener('kol-add-to-cart-request', cancel);
    expect(requested, 'the page heard the card\'s request').to.deep.equal(['p-cap']);
    await card.updateComplete;
    expect(card.busy, 'the card added anyway').to.equal(false);
    expect(count(), 'added though the page took it over').to.equal(before);

    // Its add to cart adds to the page's cart, and the page hears of it once.
    const added: string[] = [];
    const onAdded = (event: KolAddToCartEvent) => added.push(event.detail.productId);
    document.addEventListener('kol-add-to-cart', onAdded);
    cta.click();
    await waitUntil(() => count() === before + 1, 'the cart did not grow');
    await waitUntil(() => added.length > 0, 'the page never heard kol-add-to-cart');
    document.removeEventListener('kol-add-to-cart', onAdded);
    expect(added, 'kol-add-to-cart on the page\'s document').to.deep.equal(['p-cap']);
    await cart.updateComplete;
    expect(badge(cart), 'the page\'s cart count').to.equal(String(before + 1));

    // The card follows the show: a new pin shows in the window.
    show.push(pin('p-tee', Date.now() - 30_000));
    const tee = catalog.find((p) => p.id === 'p-tee')!.title;
    await waitUntil(() => read(part(card, 'title')) === tee, 'the card in the window did not follow the show');

    // Closing the window ('pagehide') brings the video back, playing on.
    pipWindow.close();
    await waitUntil(() => player.pip === null, 'the player still says picture-in-picture');
    expect(player.shadowRoot!.querySelector('video'), 'the video is back in the player').to.equal(video);
    expect(video.ownerDocument).to.equal(document);
    const t1 = video.currentTime;
    await waitUntil(() => video.currentTime > t1 + 0.5 && !video.paused, 'playback did not continue in the player', {timeout: 10000});
    expect(modes).to.deep.equal(['document', null]);
    expect(video.controls, 'the player\'s own controls again').to.equal(false);
    expect(part(player, 'pip-return')).to.equal(null);
  });

  it('closes the window, video back, when the player leaves the page', async () => {
    const {player} = await playingShow();
    const video = player.shadowRoot!.querySelector('video')!;
    await player.updateComplete;
    await click(part(player, 'pip')!);
    await waitUntil(() => player.pip === 'document', 'no window opened', {timeout: 10000});
    player.remove();
    await waitUntil(() => player.pip === null && !pipApi()!.window, 'the window stayed open');
    expect(video.getRootNode()).to.equal(player.shadowRoot);
  });

  it('keeps the window open when the player only moves in the page (a router re-parenting it)', async () => {
    const {show, player} = await playingShow();
    await player.updateComplete;
    await click(part(player, 'pip')!);
    await waitUntil(() => player.pip === 'document', 'no window opened', {timeout: 10000});
    const elsewhere = document.createElement('div');
    show.after(elsewhere);
    elsewhere.append(player); // removed and inserted in the same task
    // Two tasks later (past the one the player waits before deciding it left), the window is still open.
    await new Promise((resolve) => setTimeout(resolve));
    await new Promise((resolve) => setTimeout(resolve));
    expect(player.pip, 'the window closed on a move').to.equal('document');
    expect(pipApi()!.window, 'the window').to.exist;
    await player.togglePictureInPicture();
    await waitUntil(() => player.pip === null, 'togglePictureInPicture() did not close it');
    expect(player.shadowRoot!.querySelector('video'), 'the video is back').to.exist;
    elsewhere.remove();
  });

  it('falls back to the video-only picture-in-picture where the browser has no Document Picture-in-Picture', async () => {
    const {player} = await playingShow();
    const video = player.shadowRoot!.querySelector('video')!;
    // This browser has both: take Document Picture-in-Picture away for this test, as in a browser without it.
    // The video-only window itself is not opened here: in headless Chromium here, requestPictureInPicture()
    // stalled the test until the runner lost the page ("Attempted to use detached Frame"), so the test checks
    // that the player asks for it, on the shopper's click.
    const asked: HTMLVideoElement[] = [];
    video.requestPictureInPicture = function (this: HTMLVideoElement) {
      asked.push(this);
      return Promise.resolve({} as PictureInPictureWindow);
    };
    const original = Object.getOwnPropertyDescriptor(window, 'documentPictureInPicture');
    Object.defineProperty(window, 'documentPictureInPicture', {value: undefined, configurable: true});
    try {
      player.requestUpdate();
      await player.updateComplete;
      await click(part(player, 'pip')!);
      await waitUntil(() => asked.length > 0, 'the player did not ask for the video-only picture-in-picture');
      expect(asked[0]).to.equal(video);
      expect(video.getRootNode(), 'the video stays in the player').to.equal(player.shadowRoot);
    } finally {
      if (original) Object.defineProperty(window, 'documentPictureInPicture', original);
      else delete (window as {documentPictureInPicture?: unknown}).documentPictureInPicture;
    }
  });
});
