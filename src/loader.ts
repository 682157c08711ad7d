/**
 * The script-tag loader, `dist/cdn/kolkit-loader.js`: a classic script of a few KB (Shopify's app-block
 * JavaScript budget is 10,000 bytes) that defines nothing itself. It imports `kolkit.js` from its own
 * directory the first time a kolkit element is near the viewport or interacted with, so a page whose show is
 * far below the fold pays for kolkit only when the shopper gets there.
 *
 * - Near: an IntersectionObserver with a generous rootMargin watches every `kol-*` element. `<kol-show>`
 *   has no box once defined (`display: contents`), so its element children are watched too: the show loads
 *   when anything inside it comes near, not merely because it is on the page.
 * - Interacted with: pointerdown, focusin or keydown on (or inside) a `kol-*` element.
 * - Elements added later (a section re-rendered by the theme editor, a client-side route) are watched too.
 * - Idempotent: the loader's record lives under `Symbol.for('kolkit.loader')`; a second loader on the page
 *   leaves the work to the first (and warns when its version differs). kolkit.js loads once.
 * Nothing is exposed but that symbol-keyed record; kolkit.js itself adds `window.Kolkit`.
 */
import {VERSION} from './core/version.js';
import {reportSecondCopy} from './core/second-copy.js';

/** The record a loader leaves on `window` under `Symbol.for('kolkit.loader')`. */
export interface LoaderRecord {
  /** The loader's kolkit release. */
  readonly version: string;
  /** The URL of the `kolkit.js` it imports. */
  readonly src: string;
  /** Imports kolkit.js now (once), e.g. for a page that knows it needs the elements at once. */
  load(): Promise<void>;
}

/** The element names, written in by the build (rollup.config.mjs) from the `src/kol-*.ts` define files. */
const TAGS = '__KOLKIT_TAGS__';
/** How far outside the viewport an element counts as near: a screen or so of scrolling ahead. */
const NEAR = '800px';
const INTERACTIONS = ['pointerdown', 'focusin', 'keydown'];
const KEY = Symbol.for('kolkit.loader');

function start(script: HTMLScriptElement | null): void {
  const host = window as unknown as Record<symbol, LoaderRecord | undefined>;
  const first = host[KEY];
  if (first) {
    if (first.version !== VERSION) reportSecondCopy(first.version, VERSION, 'kolkit-loader.js');
    return;
  }
  if (!script?.src) {
    console.error('[kolkit] kolkit-loader.js must be loaded by a classic <script src="…/kolkit-loader.js">.');
    return;
  }
  const src = new URL('kolkit.js', script.src).href;
  let loading: Promise<void> | undefined;
  let stopWatching = (): void => undefined;
  const load = (): Promise<void> =>
    (loading ??= import(src).then(
      () => stopWatching(),
      (error: unknown) => {
        loading = undefined; // a network blip: the next interaction tries again
        throw error;
      },
    ));
  host[KEY] = {version: VERSION, src, load};

  const needed = (): void => {
    load().catch((error: unknown) => console.error('[kolkit] kolkit.js could not be loaded:', error));
  };
  if (typeof IntersectionObserver === 'undefined') return needed();

  const near = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && needed(), {rootMargin: NEAR});
  const watch = (element: Element): void => {
    near.observe(element);
    if (element.localName === 'kol-show') for (const child of element.children) near.observe(child);
  };
  const scan = (node: Element | Document): void => {
    if (node instanceof Element) {
      if (node.matches(TAGS)) watch(node);
      else if (node.parentElement?.localName === 'kol-show') near.observe(node);
    }
    node.querySelectorAll(TAGS).forEach(watch);
  };
  const added = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) scan(node);
  });
  const touched = (event: Event): void => {
    if (event.composedPath().some((target) => target instanceof Element && target.matches(TAGS))) needed();
  };
  stopWatching = (): void => {
    near.disconnect();
    added.disconnect();
    for (const type of INTERACTIONS) document.removeEventListener(type, touched, true);
  };

  // Also sees the elements the parser adds after this script, when the loader sits in <head>.
  added.observe(document, {childList: true, subtree: true});
  for (const type of INTERACTIONS) document.addEventListener(type, touched, true);
  scan(document);
}

start(document.currentScript as HTMLScriptElement | null);
