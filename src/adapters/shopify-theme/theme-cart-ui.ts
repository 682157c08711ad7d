/**
 * Keeps the theme's cart UI and kolkit in step, whatever the theme listens with: the de-facto DOM events
 * (theme-events.ts), Dawn's pub/sub (dawn-pubsub.ts) and the Section Rendering API (section-refresh.ts).
 *
 * kolkit → theme, after each change kolkit made on the Ajax path, once: the DOM events, then Dawn's
 * `cartUpdate` (source `kolkit`), then the configured sections (Dawn's `cart-icon-bubble` by default) that
 * are on the page and that no theme listener re-rendered while it handled the publish. Nothing is opened:
 * a drawer opens when the theme decides to.
 *
 * theme → kolkit: the DOM events and Dawn's `cartUpdate` from any other source, debounced into one re-read.
 */
import type {AjaxCart} from './shopify-types.js';
import {withTimeout} from '../../core/timeout.js';
import {announceCartChange, watchThemeCart} from './theme-events.js';
import {publishCartUpdate, subscribeCartUpdate} from './dawn-pubsub.js';
import {refreshSections, sectionTarget, type CartSection} from './section-refresh.js';

/**
 * How long the theme's `cartUpdate` subscribers may work before kolkit re-renders the sections they left:
 * a bound for a subscriber that never settles, far above one section request.
 */
const SUBSCRIBERS_MS = 10_000;

/** The bridge between kolkit and one theme page's cart UI. */
export class ThemeCartUi {
  /** The pending section refresh: a newer change aborts it, so an older answer never lands after a newer one. */
  #refresh?: AbortController;
  #disposed = false;

  constructor(readonly root: string, readonly sections: readonly CartSection[]) {}

  /**
   * Tells the theme that kolkit changed the cart to `cart` (the `/cart.js` answer), once. Resolves when the
   * sections are re-rendered (callers do not wait for it); never rejects.
   */
  async announce(cart: AjaxCart): Promise<void> {
    if (this.#disposed) return;
    this.#refresh?.abort();
    const refresh = (this.#refresh = new AbortController());
    const untouched = watchRerenders(this.sections);
    announceCartChange(cart);
    // Subscribers that do not settle within the bound are left to it: the sections are refreshed anyway.
    await withTimeout(SUBSCRIBERS_MS, "The theme's cartUpdate subscribers did not settle.", () => publishCartUpdate(cart)).catch(() => {});
    const left = untouched();
    if (refresh.signal.aborted || !left.length) return;
    try {
      await refreshSections(this.root, left, refresh.signal);
    } catch (error) {
      if (!refresh.signal.aborted) console.warn('[kolkit] Could not re-render the theme\'s cart sections:', error);
    }
  }

  /** Calls `onChange` after the theme or another app changed the cart (debounced). Returns the stop function. */
  watch(onChange: () => void): () => void {
    const events = watchThemeCart(onChange);
    let unsubscribe = subscribeCartUpdate(events.changed);
    // Dawn's pubsub.js and constants.js are deferred scripts: on a page still loading they may come later.
    // Subscribed again then, once: the first subscription (if the pub/sub was already there) is dropped.
    const late = () => {
      unsubscribe();
      unsubscribe = subscribeCartUpdate(events.changed);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', late, {once: true});
    return () => {
      document.removeEventListener('DOMContentLoaded', late);
      unsubscribe();
      events.stop();
    };
  }

  /** Drops a pending section refresh; later announcements do nothing. */
  dispose(): void {
    this.#disposed = true;
    this.#refresh?.abort();
  }
}

/**
 * Starts watching the sections' elements on the page; the function returned stops and answers the sections
 * still to re-render: those whose element is there and was neither replaced nor changed meanwhile (a theme
 * listener that re-rendered it has done kolkit's job).
 */
function watchRerenders(sections: readonly CartSection[]): () => CartSection[] {
  const targets = sections.map((section) => ({section, element: sectionTarget(section)}));
  const changed = new Set<Node>();
  const observer = new MutationObserver((records) => records.forEach((r) => changed.add(r.target)));
  for (const {element} of targets) if (element) observer.observe(element, {childList: true, characterData: true, subtree: true});
  return () => {
    observer.takeRecords().forEach((r) => changed.add(r.target));
    observer.disconnect();
    return targets
      .filter(({section, element}) => element?.isConnected && element === sectionTarget(section) && ![...changed].some((node) => element.contains(node)))
      .map(({section}) => section);
  };
}
