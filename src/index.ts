/**
 * kolkit: `import 'kolkit'` defines every element and exports the public API (DESIGN.md §6).
 * `<kol-show>` is defined first so the elements inside it find an upgraded show as they connect.
 */
export {KolShow} from './kol-show.js';
export {KolLivePlayer} from './kol-live-player.js';
export {KolProductPin} from './kol-product-pin.js';
export {KolCountdownDeal} from './kol-countdown-deal.js';
export {KolCartButton} from './kol-cart-button.js';
export {KolChat} from './kol-chat.js';
export {KolReactions} from './kol-reactions.js';
export {KolPoll} from './kol-poll.js';
export {KolGiveaway} from './kol-giveaway.js';
export {KolAuction} from './kol-auction.js';
export {KolUpcomingShow} from './kol-upcoming-show.js';
export {KolGroupBuy} from './kol-group-buy.js';
export {KolElement} from './elements/kol-element.js';
export {VERSION} from './core/version.js';
export {ERROR_CODES, type KolErrorCode} from './core/errors.js';
export * from './elements/events.js';
export {parseShowEvent, type ShowEvent, type ShowEventType, type ShowState, type PinnedProduct, type Deal} from './core/schema.js';
export {reduceShow, initialShowState, dealState, currentDeal, type DealState} from './core/state.js';
/** @deprecated 0.1's names for `dealState` and `DealState` (a deal's state, as `kol-deal-change` and `<kol-countdown-deal state>` call it). */
export {dealState as dealPhase, type DealState as DealPhase} from './core/state.js';
export {formatMoney} from './page/format-money.js';
export {setLocale, getLocale, loadKolkitTemplates} from './i18n/localization.js';
export {LOCALES, resolveLocale, type KolLocale} from './i18n/resolve-locale.js';
export {bridgeToDataLayer, ga4AddToCart, SHOPIFY_ADD_TO_CART_EVENT, type DataLayerBridgeOptions} from './page/analytics-bridge.js';
export {ServerClock} from './core/clock.js';
export {setHlsWorkerPath} from './player/engine.js';
export type {ShowHandle, CardShowHandle, PlayerShowHandle, ChatShowHandle, EngagementShowHandle, AuctionShowHandle, GroupBuyShowHandle, UpcomingShowHandle, LinkedShow, ProductLookup, AddToCartOutcome, AddedLine, PushOptions} from './elements/show-handle.js';
export type {ActionOutcome} from './elements/show/show-server.js';
export type {ProgramTimeSource} from './core/scheduler.js';
export type {PlayerStatus} from './elements/live-player/live-player.js';
export type * from './adapters/types.js';
