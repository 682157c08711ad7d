/**
 * Finds an element's `<kol-show>` (DESIGN.md §2) and re-renders the element when the show changes:
 * (1) the `show` attribute, an id; else (2) the nearest `<kol-show>` ancestor, across shadow roots;
 * else (3) the only `<kol-show>` on the page. A header cart button far from the player just works.
 */
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {isShowHandle, type LinkedShow, type ShowHandle} from '../elements/show-handle.js';

type Host = ReactiveControllerHost & HTMLElement & {show?: string | null; error?: string | null};

/** Locates the show for `element`, or null. */
export function findShow(element: HTMLElement & {show?: string | null}): ShowHandle | null {
  const id = element.show ?? element.getAttribute('show');
  if (id) {
    const root = element.getRootNode() as Document | ShadowRoot;
    const byId = root.getElementById?.(id) ?? document.getElementById(id);
    return byId && byId.localName === 'kol-show' ? (byId as ShowHandle) : null;
  }
  for (let node: Node | null = element; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node !== element && (node as Element).localName === 'kol-show') return node as ShowHandle;
  }
  const all = document.querySelectorAll('kol-show');
  return all.length === 1 ? (all[0] as ShowHandle) : null;
}

/** Every connected link, so a show that comes or goes can make them look again. */
const links = new Set<ShowLink<LinkedShow>>();

/**
 * A `<kol-show>` connected: links that have no show (or one that left the page) look again. A theme
 * editor or a client-side router replaces a show with a new one of the same id.
 */
export function showConnected(): void {
  for (const link of links) if (!link.show?.isConnected) link.resolve();
}

/** A `<kol-show>` left the page: links to it look again once the DOM change is done. */
export function showDisconnected(): void {
  queueMicrotask(() => {
    for (const link of links) if (link.show && !link.show.isConnected) link.resolve();
  });
}

/**
 * Keeps `show` current for its host and requests an update on every show change. `S` is the side of the show
 * the host uses (`CardShowHandle` for a card, `PlayerShowHandle` for the player): the link finds the whole
 * `<kol-show>` and hands out only that view of it.
 */
export class ShowLink<S extends LinkedShow> implements ReactiveController {
  /** The show, once found and upgraded. */
  show: S | null = null;
  /** True after the page finished loading and no show was found. */
  missing = false;
  #unsubscribe?: () => void;
  #connected = false;

  readonly #host: Host;
  readonly #onMissing: (() => void) | undefined;

  constructor(host: Host, onMissing?: () => void) {
    this.#host = host;
    this.#onMissing = onMissing;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    links.add(this);
    this.resolve();
  }

  hostDisconnected(): void {
    this.#connected = false;
    links.delete(this);
    this.#link(null);
  }

  /** Looks again (call it when the `show` attribute changes). */
  resolve(): void {
    if (!this.#connected) return;
    const found = findShow(this.#host);
    if (isShowHandle(found)) {
      this.#link(found);
      return;
    }
    this.#link(null);
    // The show may not be upgraded or parsed yet: try again when it is, then give up visibly.
    const retry = () => this.#connected && !this.show && this.#retry();
    void customElements.whenDefined('kol-show').then(retry);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', retry, {once: true});
    else if (!found) queueMicrotask(() => this.#connected && !this.show && this.#giveUp());
  }

  #retry(): void {
    const found = findShow(this.#host);
    if (isShowHandle(found)) this.#link(found);
    else if (document.readyState !== 'loading') this.#giveUp();
  }

  #giveUp(): void {
    if (this.missing) return;
    this.missing = true;
    this.#onMissing?.();
    this.#host.requestUpdate();
  }

  #link(show: ShowHandle | null): void {
    if (show === this.show) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.show = show as S | null;
    if (show) {
      this.missing = false;
      if (this.#host.error === 'no-show') this.#host.error = null; // the error it showed is over
      this.#unsubscribe = show.subscribe(() => this.#host.requestUpdate());
    }
    this.#host.requestUpdate();
  }
}
