/**
 * How the script-tag build defines its elements (issue 16: no long task of kolkit's on a phone, and a page
 * pays for no element it does not hold). Each element's class is a chunk of its own beside kolkit.js, and
 * each is defined in a task of its own, so the evaluation of the SDK and the first render of every element
 * are split into short tasks instead of one:
 *
 * - the elements the page holds, in page-independent order (`<kol-show>` before the elements inside it, so
 *   they find an upgraded show as they connect), one per task; a page with a player also gets
 *   `<kol-product-pin>`, which the player's picture-in-picture window shows, once the browser is idle (it
 *   is needed only when the shopper opens that window, and would compete with the first frame);
 * - then each other tag as the page adds one to its document (a MutationObserver, as kolkit-loader.js
 *   watches): its chunk is fetched then, not before. Like the loader, it cannot see into a shadow root: a
 *   tag first used inside another component's shadow root is defined once one is in the document, or use
 *   the npm build there.
 *
 * Each class is prepared (Lit's finalization, its style sheets) a task before it is defined. Each chunk is
 * asked for in a task of its own too: a dynamic `import()` starts a module fetch, a few
 * milliseconds of main-thread work on a phone, and five of them made kolkit.js's own evaluation a long task.
 *
 * A tag another copy of kolkit has already defined is reported at once (core/second-copy.ts) and its chunk is
 * not fetched: the first copy stays in charge, as with the npm build.
 */
import {nextTask} from '../page/next-task.js';
import {reportSecondCopy} from '../core/second-copy.js';
import {VERSION} from '../core/version.js';

/** What `define()` needs of an element class (KolElement's static side). */
interface ElementClass {
  prepare(): void;
  define(tag: string): void;
}

/** Every element and the chunk that holds its class. */
const ELEMENTS: readonly (readonly [string, () => Promise<ElementClass>])[] = [
  ['kol-show', () => import('../elements/show/show.js').then((m) => m.KolShow)],
  ['kol-live-player', () => import('../elements/live-player/live-player.js').then((m) => m.KolLivePlayer)],
  ['kol-product-pin', () => import('../elements/product-pin/product-pin.js').then((m) => m.KolProductPin)],
  ['kol-countdown-deal', () => import('../elements/countdown-deal/countdown-deal.js').then((m) => m.KolCountdownDeal)],
  ['kol-cart-button', () => import('../elements/cart-button/cart-button.js').then((m) => m.KolCartButton)],
  ['kol-chat', () => import('../elements/chat/chat.js').then((m) => m.KolChat)],
  ['kol-reactions', () => import('../elements/reactions/reactions.js').then((m) => m.KolReactions)],
  ['kol-poll', () => import('../elements/poll/poll.js').then((m) => m.KolPoll)],
  ['kol-giveaway', () => import('../elements/giveaway/giveaway.js').then((m) => m.KolGiveaway)],
  ['kol-auction', () => import('../elements/auction/auction.js').then((m) => m.KolAuction)],
  ['kol-upcoming-show', () => import('../elements/upcoming-show/upcoming-show.js').then((m) => m.KolUpcomingShow)],
  ['kol-group-buy', () => import('../elements/group-buy/group-buy.js').then((m) => m.KolGroupBuy)],
];

/** Tags whose element makes another kolkit element: the player's picture-in-picture window has a pin. */
const BROUGHT_ALONG: Readonly<Record<string, string>> = {'kol-live-player': 'kol-product-pin'};

/**
 * Defines the kolkit elements the page holds, one per task, then each other one as the page adds it.
 * Resolves when those the page holds now are defined.
 */
export async function defineElements(): Promise<void> {
  // A tag another copy defined stays that copy's: reported now, in one warning, and its chunk never fetched.
  const pending = ELEMENTS.filter(([tag]) => {
    const existing = customElements.get(tag) as (CustomElementConstructor & {version?: string}) | undefined;
    if (existing) reportSecondCopy(existing.version, VERSION, `<${tag}>`);
    return !existing;
  });
  /** Takes the pending elements `root` holds (itself included), with what they bring along, in ELEMENTS order. */
  const takeHeldBy = (root: ParentNode): typeof ELEMENTS => {
    if (!pending.length) return [];
    const held = new Set<string>();
    const selector = pending.map(([tag]) => tag).join(',');
    if (root instanceof Element && root.matches(selector)) held.add(root.localName);
    for (const element of root.querySelectorAll(selector)) held.add(element.localName);
    const taken = pending.filter(([tag]) => held.has(tag));
    for (const element of taken) pending.splice(pending.indexOf(element), 1);
    return taken;
  };
  /** Takes the pending elements that those of `elements` bring along. */
  const takeBroughtAlong = (elements: typeof ELEMENTS): typeof ELEMENTS => {
    const brought = new Set(elements.map(([tag]) => BROUGHT_ALONG[tag]).filter(Boolean));
    const taken = pending.filter(([tag]) => brought.has(tag));
    for (const element of taken) pending.splice(pending.indexOf(element), 1);
    return taken;
  };
  const now = takeHeldBy(document);
  const later = takeBroughtAlong(now);
  if (pending.length) {
    const added = new MutationObserver((records) => {
      const taken: (typeof ELEMENTS)[number][] = [];
      for (const record of records) {
        for (const node of record.addedNodes) if (node instanceof Element) taken.push(...takeHeldBy(node));
      }
      if (!pending.length) added.disconnect();
      if (taken.length) void defineInTurn([...taken, ...takeBroughtAlong(taken)]);
    });
    added.observe(document, {childList: true, subtree: true});
  }
  await defineInTurn(now);
  if (later.length) await whenIdle().then(() => defineInTurn(later));
}

/** Resolves at the browser's next idle moment (at most 2 s from now); where there is no such API (Safari), now. */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), {timeout: 2000}) : resolve()));
}

/**
 * Asks for every chunk of `elements`, one per task and in that order, then defines each in a task of its
 * own as its turn comes. A chunk that cannot be loaded (a network blip) leaves its tag undefined and the
 * others defined.
 */
async function defineInTurn(elements: typeof ELEMENTS): Promise<void> {
  const classes: Promise<ElementClass | null>[] = [];
  for (const [tag, load] of elements) {
    await nextTask();
    classes.push(load().catch((error: unknown) => {
      console.error(`[kolkit] <${tag}> could not be loaded:`, error);
      return null;
    }));
  }
  for (const [i, [tag]] of elements.entries()) {
    const element = await classes[i];
    await nextTask();
    element?.prepare();
    await nextTask();
    element?.define(tag);
  }
}
