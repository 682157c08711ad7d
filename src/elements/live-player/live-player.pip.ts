/**
 * Picture-in-picture for `<kol-live-player>`. Where the browser has Document Picture-in-Picture (Chromium
 * 116+, `documentPictureInPicture.requestWindow()`), the shopper gets a small always-on-top window with the
 * live video AND the pinned product card with its add to cart: the player's own <video> moves into that
 * window (same element, same stream: no reload) beside a `<kol-product-pin>` that follows the same show and
 * adds to the same cart. Closing the window ('pagehide' on it) moves the video back, still playing. Where the
 * API is missing or refused, the browser's video-only picture-in-picture (`requestPictureInPicture`) stays.
 */
import {css, type ReactiveController, type ReactiveControllerHost} from 'lit';
import {nextTask} from '../../page/next-task.js';
import {KolAddToCartRequestEvent, KolErrorEvent} from '../events.js';

/** Chromium's Document Picture-in-Picture API (not in TypeScript's DOM library yet). */
interface DocumentPictureInPictureApi {
  requestWindow(options?: {width?: number; height?: number; preferInitialWindowPlacement?: boolean}): Promise<Window>;
  readonly window: Window | null;
}

/** Which picture-in-picture is open: the window with the card, or the browser's video-only one. */
export type PipMode = 'document' | 'video';

/** The window's size: the 16:9 video over the product card. */
const WINDOW_WIDTH = 360;
const WINDOW_HEIGHT = 420;

/** The window's layout: the video on top, the card below it, nothing around them. */
const windowStyles = css`
  html, body { margin: 0; block-size: 100%; background: #000; color-scheme: light dark; }
  .kol-pip { display: flex; flex-direction: column; block-size: 100%; }
  .kol-pip video { inline-size: 100%; aspect-ratio: 16 / 9; flex: none; background: #000; object-fit: contain; }
  .kol-pip kol-product-pin { flex: 1; overflow: auto; display: block; }
`;

/** The browser's Document Picture-in-Picture, or null where it is missing (or the page is not secure). */
function documentPip(): DocumentPictureInPictureApi | null {
  const api = (window as Window & {documentPictureInPicture?: DocumentPictureInPictureApi}).documentPictureInPicture;
  return api && window.isSecureContext ? api : null;
}

/** True when this browser offers some picture-in-picture: the player shows its button then. */
export function pipAvailable(): boolean {
  return !!documentPip() || document.pictureInPictureEnabled;
}

/** The player as its picture-in-picture sees it. */
export interface PipInputs {
  /** The player's video element. */
  video(): HTMLVideoElement | undefined;
  /** The player's `<kol-show>` element (for the card), or null. */
  show(): HTMLElement | null;
  /** Picture-in-picture opened (`mode`) or closed (null): the player reflects it and tells the page. */
  changed(mode: PipMode | null): void;
}

/**
 * The card's events a page listens for on its own document, which the window's document does not reach: a copy
 * is dispatched from the show (where a card inside it would bubble through), and a request cancelled there is
 * cancelled here (the page adds its own way). `kol-add-to-cart` is told on the show by the add itself.
 */
const FORWARDED_EVENTS = [KolAddToCartRequestEvent, KolErrorEvent];

/** Forwards the card's events from `stage` (in the window) to `show` (on the page). */
function forwardCardEvents(stage: HTMLElement, show: HTMLElement): void {
  for (const type of FORWARDED_EVENTS) {
    stage.addEventListener(type.eventName, (event) => {
      const copy = new (type as new (detail: unknown) => CustomEvent)((event as CustomEvent).detail);
      show.dispatchEvent(copy);
      if (copy.defaultPrevented) event.preventDefault();
    });
  }
}

/**
 * The custom properties (`--kol-*`) the page set for its cards, read where the card would be on the page (its
 * show), so the card in the window looks like the page's: the window's document inherits none of them.
 */
function themeOf(from: Element): string {
  const computed = getComputedStyle(from);
  const declarations: string[] = [];
  for (const name of computed) {
    if (name.startsWith('--kol-')) declarations.push(`${name}: ${computed.getPropertyValue(name)};`);
  }
  return `.kol-pip { ${declarations.join(' ')} }`;
}

/**
 * The player's picture-in-picture: opens the Document Picture-in-Picture window with the video and the card,
 * else the video-only one; brings the video back when the window closes, and closes it when the player
 * leaves the page.
 */
export class PictureInPicture implements ReactiveController {
  /** The open window, while the video is in it. */
  #window: Window | null = null;
  /** Where the video stood in the player, to put it back there. */
  #home: {parent: Node; next: Node | null} | null = null;
  #listening?: HTMLVideoElement;

  readonly #host: ReactiveControllerHost & Node;
  readonly #inputs: PipInputs;

  constructor(host: ReactiveControllerHost & Node, inputs: PipInputs) {
    this.#host = host;
    this.#inputs = inputs;
    host.addController(this);
  }

  /** Which picture-in-picture is open now, or null. */
  get mode(): PipMode | null {
    if (this.#window) return 'document';
    const video = this.#inputs.video();
    return video && document.pictureInPictureElement === video ? 'video' : null;
  }

  /** The window with the video and the card, while open (tests and pages read it). */
  get window(): Window | null {
    return this.#window;
  }

  /** The video-only picture-in-picture is the browser's: its own events tell when it opens and closes. */
  hostUpdated(): void {
    const video = this.#inputs.video();
    if (!video || video === this.#listening) return;
    this.#listening = video;
    video.addEventListener('enterpictureinpicture', () => this.#inputs.changed('video'));
    video.addEventListener('leavepictureinpicture', () => this.#inputs.changed(null));
  }

  /** The player left the page: the window closes (its video comes back). A move in the page (back a task later) keeps it. */
  hostDisconnected(): void {
    void nextTask().then(() => {
      if (!this.#host.isConnected) this.close();
    });
  }

  /** Opens picture-in-picture, or closes the one open. Needs the shopper's gesture (a click, a key). */
  async toggle(): Promise<void> {
    if (this.mode) return this.close();
    const api = documentPip();
    if (api) {
      try {
        await this.#openWindow(api);
        return;
      } catch {
        // Refused (no gesture left, a permissions policy, another window open): the video-only one instead.
      }
    }
    await this.#inputs.video()?.requestPictureInPicture().catch(() => undefined);
  }

  /** Closes whichever picture-in-picture is open; the video plays on in the player. */
  close(): void {
    if (this.#window) this.#window.close(); // its 'pagehide' brings the video back
    else if (this.mode === 'video') void document.exitPictureInPicture().catch(() => undefined);
  }

  async #openWindow(api: DocumentPictureInPictureApi): Promise<void> {
    const video = this.#inputs.video();
    if (!video?.parentNode) throw new Error('no video to show');
    const pipWindow = await api.requestWindow({width: WINDOW_WIDTH, height: WINDOW_HEIGHT});
    const doc = pipWindow.document;
    const stage = doc.createElement('main');
    stage.className = 'kol-pip';
    const show = this.#inputs.show();
    // The window's document is blank: the page's language and direction (the card's words, numbers and
    // layout follow them), and its title (what the window is called to assistive technology).
    const scope = this.#host instanceof Element ? this.#host.closest('[lang]') : null;
    doc.documentElement.lang = scope?.getAttribute('lang') ?? document.documentElement.lang;
    doc.documentElement.dir = document.documentElement.dir;
    doc.title = document.title;
    // Sheets made by the window itself: ours cannot be adopted in its document (../document-styles.ts).
    const sheet = new (pipWindow as typeof window).CSSStyleSheet();
    sheet.replaceSync(windowStyles.cssText + (show ? themeOf(show) : ''));
    doc.adoptedStyleSheets = [sheet];
    const playing = !video.paused;
    this.#home = {parent: video.parentNode, next: video.nextSibling};
    // The window has no player controls around the video: the browser's own (play, sound) while it is there.
    video.controls = true;
    this.#window = pipWindow;
    // Moved, not copied: the same element keeps its stream, its buffer and hls.js's hold on it.
    stage.append(video);
    const card = productCard(show);
    if (card && show) {
      forwardCardEvents(stage, show);
      stage.append(card);
    }
    doc.body.append(stage);
    // Closed by the shopper, by close(), or with this page: 'pagehide' fires on the window each time.
    pipWindow.addEventListener('pagehide', () => this.#bringBack(!video.paused), {once: true});
    if (playing) void video.play().catch(() => undefined);
    this.#inputs.changed('document');
  }

  /** The window closed: the video goes back where it stood in the player, playing on if it played. */
  #bringBack(playing: boolean): void {
    const video = this.#inputs.video();
    const home = this.#home;
    this.#window = null;
    this.#home = null;
    if (video && home) {
      video.controls = false;
      home.parent.insertBefore(video, home.next?.parentNode === home.parent ? home.next : null);
      if (playing) void video.play().catch(() => undefined);
    }
    this.#inputs.changed(null);
  }
}

/**
 * A `<kol-product-pin>` for the window, following `show`: by its id, else (a page with one show) the only one.
 * Made by this page's registry, then moved: the window's own registry knows no kolkit element. None when the
 * page has no pin element defined (a player loaded alone), or when the card could not find the show (several
 * shows on the page, this one without an id): the window then shows the video only.
 */
function productCard(show: HTMLElement | null): HTMLElement | null {
  if (!customElements.get('kol-product-pin') || !show) return null;
  if (!show.id && document.querySelectorAll('kol-show').length !== 1) return null;
  const card = document.createElement('kol-product-pin');
  if (show?.id) card.setAttribute('show', show.id);
  return card;
}
