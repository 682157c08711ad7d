/**
 * How the script-tag build defines its elements (issue 16: no long task of kolkit's on a phone). Each
 * element's class is a chunk of its own beside kolkit.js, and each is defined in a task of its own, so the
 * evaluation of the SDK and the first render of every element are split into short tasks instead of one:
 *
 * - the elements the page already holds first, in page-independent order (`<kol-show>` before the elements
 *   inside it, so they find an upgraded show as they connect), one per task;
 * - then, at the first idle moment a second later (at most 3 s later), the others, one per task, so
 *   `customElements.whenDefined()` resolves for every kolkit tag and an element a page adds later upgrades.
 *   Not at once: their chunks would compete with the page's own elements and the first video frame.
 *
 * Each class is prepared (Lit's finalization, its style sheets) a task before it is defined. Each chunk is
 * asked for in a task of its own too: a dynamic `import()` starts a module fetch, a few
 * milliseconds of main-thread work on a phone, and five of them made kolkit.js's own evaluation a long task.
 *
 * A tag another copy of kolkit has already defined is reported at once (core/second-copy.ts) and its chunk is
 * not fetched: the first copy stays in charge, as with the npm build.
 */
import {nextTask} from '../page/next-task.js';
import {whenIdle} from '../page/when-idle.js';
import {reportSecondCopy} from '../core/second-copy.js';
import {VERSION} from '../core/version.js';

/** What `define()` needs of an element class (KolElement's static side). */
interface ElementClass {
  prepare(): void;
  define(tag: string): void;
}

/** How long the elements the page does not hold wait before they are defined, ms (then for an idle moment). */
const OTHERS_AFTER_MS = 1000;

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

/**
 * Defines every kolkit element, those on the page first, one per task, the others a second later when idle.
 * Resolves when all are defined.
 */
export async function defineElements(): Promise<void> {
  // A tag another copy defined stays that copy's: reported now, in one warning, and its chunk never fetched.
  const undefinedHere = ELEMENTS.filter(([tag]) => {
    const existing = customElements.get(tag) as (CustomElementConstructor & {version?: string}) | undefined;
    if (existing) reportSecondCopy(existing.version, VERSION, `<${tag}>`);
    return !existing;
  });
  const onPage = new Set([...document.querySelectorAll(ELEMENTS.map(([tag]) => tag).join(','))].map((element) => element.localName));
  await defineInTurn(undefinedHere.filter(([tag]) => onPage.has(tag)));
  const others = undefinedHere.filter(([tag]) => !onPage.has(tag));
  if (!others.length) return;
  await whenIdle(OTHERS_AFTER_MS);
  await defineInTurn(others);
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
