/**
 * kolkit for React (`import {KolShow, KolProductPin} from 'kolkit/react'`): the elements wrapped with
 * @lit/react. Element properties are props (`adapter={new MemoryAdapter(…)}` sets the property, not an
 * attribute) and every kolkit event has a typed prop (`onKolCartChange={(e) => e.detail.cart}`).
 *
 * A wrapper defines its element when it first renders, not when this module loads, so a bundle carries only
 * the elements the app uses (the player stays out of an app that renders a cart button only). Importing this
 * module on a server (SSR) defines nothing and touches no DOM.
 */
import * as React from 'react';
import {createComponent, type EventName, type ReactWebComponent} from '@lit/react';
import {KolShow as KolShowElement} from '../elements/show/show.js';
import {KolLivePlayer as KolLivePlayerElement} from '../elements/live-player/live-player.js';
import {KolProductPin as KolProductPinElement} from '../elements/product-pin/product-pin.js';
import {KolCountdownDeal as KolCountdownDealElement} from '../elements/countdown-deal/countdown-deal.js';
import {KolCartButton as KolCartButtonElement} from '../elements/cart-button/cart-button.js';
import {KolChat as KolChatElement} from '../elements/chat/chat.js';
import {KolReactions as KolReactionsElement} from '../elements/reactions/reactions.js';
import {KolPoll as KolPollElement} from '../elements/poll/poll.js';
import {KolGiveaway as KolGiveawayElement} from '../elements/giveaway/giveaway.js';
import {KolUpcomingShow as KolUpcomingShowElement} from '../elements/upcoming-show/upcoming-show.js';
import {KolAuction as KolAuctionElement} from '../elements/auction/auction.js';
import {KolGroupBuy as KolGroupBuyElement} from '../elements/group-buy/group-buy.js';
import {
  auctionEvents, cartButtonEvents, chatEvents, countdownDealEvents, giveawayEvents, livePlayerEvents, pollEvents, productPinEvents, reactionsEvents, showEvents,
  upcomingShowEvents, groupBuyEvents,
} from './events.js';

/** A kolkit element class: constructible, with KolElement's guarded `define()`. */
interface ElementClass<I extends HTMLElement> {
  new (): I;
  define(tag: string): void;
}

/** Props as the wrapper passes them through; callers see the typed props of `ReactWebComponent`. */
type Props = Record<string, unknown>;

/**
 * The @lit/react component for `tagName`, behind a wrapper that defines the element as it renders. Render
 * order is parent first, so `<kol-show>` is defined before the elements inside it connect, as `import 'kolkit'`
 * does. `define()` is idempotent, so rendering twice (StrictMode) or beside `import 'kolkit'` is harmless.
 */
function wrap<I extends HTMLElement, E extends Record<string, EventName>>(
  tagName: string, elementClass: ElementClass<I>, events: E, displayName: string,
): ReactWebComponent<I, E> {
  // Typed loosely inside: the props only pass through; the returned component carries the precise types.
  const Inner = createComponent({react: React, tagName, elementClass, events, displayName: `${displayName}Element`}) as unknown as React.ElementType<Props>;
  const Outer = React.forwardRef<I, Props>((props, ref) => {
    elementClass.define(tagName);
    return React.createElement(Inner, {...props, ref});
  });
  Outer.displayName = displayName;
  return Outer as unknown as ReactWebComponent<I, E>;
}

/** `<kol-show>`: the live session. Its event props also hear the events of the elements inside it. */
export const KolShow = /* @__PURE__ */ wrap('kol-show', KolShowElement, showEvents, 'KolShow');

/** `<kol-live-player>`: the live video, in sync with the show. */
export const KolLivePlayer = /* @__PURE__ */ wrap('kol-live-player', KolLivePlayerElement, livePlayerEvents, 'KolLivePlayer');

/** `<kol-product-pin>`: the product the host is showing now, with add to cart. */
export const KolProductPin = /* @__PURE__ */ wrap('kol-product-pin', KolProductPinElement, productPinEvents, 'KolProductPin');

/** `<kol-countdown-deal>`: a flash deal with its countdown and add to cart. */
export const KolCountdownDeal = /* @__PURE__ */ wrap('kol-countdown-deal', KolCountdownDealElement, countdownDealEvents, 'KolCountdownDeal');

/** `<kol-cart-button>`: the cart count and subtotal, opening the cart. */
export const KolCartButton = /* @__PURE__ */ wrap('kol-cart-button', KolCartButtonElement, cartButtonEvents, 'KolCartButton');

/** `<kol-chat>`: the show's live chat, with product mentions and a composer. */
export const KolChat = /* @__PURE__ */ wrap('kol-chat', KolChatElement, chatEvents, 'KolChat');

/** `<kol-reactions>`: send hearts and watch everyone's rise. */
export const KolReactions = /* @__PURE__ */ wrap('kol-reactions', KolReactionsElement, reactionsEvents, 'KolReactions');

/** `<kol-poll>`: a live poll, one vote per viewer. */
export const KolPoll = /* @__PURE__ */ wrap('kol-poll', KolPollElement, pollEvents, 'KolPoll');

/** `<kol-giveaway>`: a giveaway to enter with one click, and its winner. */
export const KolGiveaway = /* @__PURE__ */ wrap('kol-giveaway', KolGiveawayElement, giveawayEvents, 'KolGiveaway');

/** `<kol-upcoming-show>`: the next show's countdown, add to calendar and reminder; live at the start. */
export const KolUpcomingShow = /* @__PURE__ */ wrap('kol-upcoming-show', KolUpcomingShowElement, upcomingShowEvents, 'KolUpcomingShow');

/** `<kol-auction>`: a live auction to bid in; the winner's cart gets the product at the winning price. */
export const KolAuction = /* @__PURE__ */ wrap('kol-auction', KolAuctionElement, auctionEvents, 'KolAuction');

/** `<kol-group-buy>`: a team price that unlocks when enough customers join; members add at it. */
export const KolGroupBuy = /* @__PURE__ */ wrap('kol-group-buy', KolGroupBuyElement, groupBuyEvents, 'KolGroupBuy');
