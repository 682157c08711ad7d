/**
 * The typed event props of the React wrappers: `onKolCartChange` listens for `kol-cart-change` and hands
 * the handler a `KolCartChangeEvent`. Each element has a prop for every event its `@fires` lines list
 * (test/node checks these maps against custom-elements.json).
 */
import type {EventName} from '@lit/react';
import {
  KolAddToCartEvent, KolAddToCartRequestEvent, KolCartChangeEvent, KolCartOpenRequestEvent, KolDealChangeEvent, KolErrorEvent,
  KolPinChangeEvent, KolPipChangeEvent, KolPlayerStatsEvent, KolRemindRequestEvent, KolShowEventEvent, KolShowLiveEvent,
} from '../elements/events.js';

/** The DOM event name of an event class, typed so @lit/react gives its handler that class. */
const nameOf = <T extends Event>(type: {readonly eventName: string; readonly prototype: T}) => type.eventName as EventName<T>;

const onKolAddToCartRequest = nameOf(KolAddToCartRequestEvent);
const onKolAddToCart = nameOf(KolAddToCartEvent);
const onKolCartChange = nameOf(KolCartChangeEvent);
const onKolCartOpenRequest = nameOf(KolCartOpenRequestEvent);
const onKolDealChange = nameOf(KolDealChangeEvent);
const onKolError = nameOf(KolErrorEvent);
const onKolPinChange = nameOf(KolPinChangeEvent);
const onKolPlayerStats = nameOf(KolPlayerStatsEvent);
const onKolPipChange = nameOf(KolPipChangeEvent);
const onKolShowEvent = nameOf(KolShowEventEvent);
const onKolRemindRequest = nameOf(KolRemindRequestEvent);
const onKolShowLive = nameOf(KolShowLiveEvent);

/**
 * `<kol-show>`'s own events, and those of the elements inside it: every kolkit event bubbles and is
 * composed, so a handler on the show hears an add to cart requested by its pin.
 */
export const showEvents = {
  onKolPinChange, onKolDealChange, onKolShowEvent, onKolCartChange, onKolError,
  onKolAddToCartRequest, onKolAddToCart, onKolCartOpenRequest, onKolPlayerStats, onKolPipChange, onKolRemindRequest, onKolShowLive,
};

/** `<kol-live-player>`'s events. */
export const livePlayerEvents = {onKolPlayerStats, onKolPipChange, onKolError};

/** `<kol-product-pin>`'s events. */
export const productPinEvents = {onKolAddToCartRequest, onKolAddToCart, onKolError};

/** `<kol-countdown-deal>`'s events. */
export const countdownDealEvents = {onKolAddToCartRequest, onKolAddToCart, onKolError};

/** `<kol-cart-button>`'s events. */
export const cartButtonEvents = {onKolCartOpenRequest, onKolError};

/** `<kol-chat>`'s events. */
export const chatEvents = {onKolAddToCartRequest, onKolAddToCart, onKolError};

/** `<kol-reactions>`'s events. */
export const reactionsEvents = {onKolError};

/** `<kol-poll>`'s events. */
export const pollEvents = {onKolError};

/** `<kol-giveaway>`'s events. */
export const giveawayEvents = {onKolError};

/** `<kol-upcoming-show>`'s events: the reminder request (cancelable), the show going live, errors. */
export const upcomingShowEvents = {onKolRemindRequest, onKolShowLive, onKolError};

/** `<kol-auction>`'s events: the winning add's request, and errors. */
export const auctionEvents = {onKolAddToCartRequest, onKolAddToCart, onKolError};

/** `<kol-group-buy>`'s events: a member's add at the team price (cancelable), and errors. */
export const groupBuyEvents = {onKolAddToCartRequest, onKolAddToCart, onKolError};
