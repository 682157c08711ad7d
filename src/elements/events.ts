/**
 * Every DOM event kolkit dispatches (DESIGN.md §2): `kol-<noun>-<verb>`, bubbling and composed, typed
 * CustomEvent subclasses registered in GlobalEventHandlersEventMap. Requests the page may veto are
 * cancelable.
 */
import type {Cart, Money} from '../adapters/types.js';
import type {DealState} from '../core/state.js';
import type {Deal, PinnedProduct, ShowEvent} from '../core/schema.js';
import type {KolErrorCode} from '../core/errors.js';

const init = <T>(detail: T, cancelable = false): CustomEventInit<T> => ({detail, bubbles: true, composed: true, cancelable});

/** Which element asked for an add. */
export type AddToCartSource = 'product-pin' | 'countdown-deal' | (string & {});

/** Detail of `kol-add-to-cart-request`. */
export interface AddToCartRequestDetail {
  productId: string;
  variantId: string;
  quantity: number;
  source: AddToCartSource;
  dealId?: string;
}

/**
 * A shopper asked to add to cart. Cancel it (`preventDefault()`) to handle the cart yourself. Its `detail` is
 * a frozen copy, for reading: the add kolkit runs uses its own copy, so a listener cannot change what is added.
 */
export class KolAddToCartRequestEvent extends CustomEvent<Readonly<AddToCartRequestDetail>> {
  static readonly eventName = 'kol-add-to-cart-request';
  constructor(detail: AddToCartRequestDetail) {
    super(KolAddToCartRequestEvent.eventName, init(Object.freeze({...detail}), true));
  }
}

/**
 * Where an add that went in came from: the pinned product (`pin`), the flash deal card (`deal`), an auction won
 * (`auction`), a team price (`group`) or a product mentioned in chat (`mention`).
 */
export type AddToCartOrigin = 'pin' | 'deal' | 'auction' | 'group' | 'mention';

/** Detail of `kol-add-to-cart`: one add that went into the cart, as a merchant counts a conversion. */
export interface AddToCartDetail {
  /** What the shopper added from. */
  source: AddToCartOrigin;
  /**
   * The id of that source: the product id for a pin, the deal's, the auction's or the group's id, the chat
   * message's id for a mention.
   */
  sourceId: string;
  productId: string;
  /** The product's title, as the store gave it. */
  productTitle: string;
  variantId: string;
  /** The variant's title (e.g. "Red / M"), as the store gave it. */
  variantTitle: string;
  /** How many went in: fewer than asked when the store could add only part (see the element's notice). */
  quantity: number;
  /** The unit price added at: the deal's, the winning bid or the team price when the add was made on one, else the list price. */
  price: Money;
  /** The deal, auction or group whose terms priced the line (the line's `_kol_deal`). */
  dealId?: string;
  /** The `<kol-show>`'s id, as on the line (`_kol_show`); null for a show without an id. */
  showId: string | null;
  /** The host or affiliate credited, as on the line (`_kol_ref`): the show's `affiliate` or the landing `kol_ref`. */
  kolRef: string | null;
}

/**
 * An add went into the cart: fired once per add that the cart shows, never for a refusal, a failure or an add
 * the page took over (a cancelled `kol-add-to-cart-request`). Count it as the live show's conversion; `kolRef`
 * names who earns the commission (docs/analytics.md). Its `detail` is frozen.
 */
export class KolAddToCartEvent extends CustomEvent<Readonly<AddToCartDetail>> {
  static readonly eventName = 'kol-add-to-cart';
  constructor(detail: AddToCartDetail) {
    super(KolAddToCartEvent.eventName, init(Object.freeze({...detail, price: Object.freeze({...detail.price})})));
  }
}

/** The cart changed (after an add, a reload, or a change made outside kolkit). */
export class KolCartChangeEvent extends CustomEvent<{cart: Cart | null}> {
  static readonly eventName = 'kol-cart-change';
  constructor(cart: Cart | null) {
    super(KolCartChangeEvent.eventName, init({cart}));
  }
}

/** The shopper asked to open the cart. Cancel it to open your own drawer. */
export class KolCartOpenRequestEvent extends CustomEvent<{cart: Cart | null}> {
  static readonly eventName = 'kol-cart-open-request';
  constructor(cart: Cart | null) {
    super(KolCartOpenRequestEvent.eventName, init({cart}, true));
  }
}

/** The pinned products changed, as the viewer sees them (time-aligned). */
export class KolPinChangeEvent extends CustomEvent<{pinned: PinnedProduct[]}> {
  static readonly eventName = 'kol-pin-change';
  constructor(pinned: PinnedProduct[]) {
    super(KolPinChangeEvent.eventName, init({pinned}));
  }
}

/** A deal started, changed phase (upcoming → active → sold-out/expired) or ended. */
export class KolDealChangeEvent extends CustomEvent<{deal: Deal; state: DealState}> {
  static readonly eventName = 'kol-deal-change';
  constructor(deal: Deal, state: DealState) {
    super(KolDealChangeEvent.eventName, init({deal, state}));
  }
}

/** A show event was released to the viewer (its program time was reached). */
export class KolShowEventEvent extends CustomEvent<{event: ShowEvent}> {
  static readonly eventName = 'kol-show-event';
  constructor(event: ShowEvent) {
    super(KolShowEventEvent.eventName, init({event}));
  }
}

/** Playback figures for integrators (`kol-player-stats`, and `player.stats`). */
export interface PlayerStats {
  /** Milliseconds from loading the source to the first frame on screen, or null before it. */
  timeToFirstFrame: number | null;
  /**
   * Seconds behind the live edge of the playlist, or null when not live. This is what hls.js steers by; it
   * leaves out the time the origin took to package the newest segment, so the viewer is further behind the
   * host than this: see `behindHost`.
   */
  latency: number | null;
  /**
   * Seconds between the host's moment and the frame this viewer sees: the show's server clock minus the
   * frame's program time. The glass-to-glass delay a live-commerce dashboard wants; null without program time.
   */
  behindHost: number | null;
  /** Times playback stopped to wait for data after it had started. */
  rebufferCount: number;
  /** Total milliseconds spent waiting for data after the first frame. */
  rebufferTime: number;
  /**
   * How far from the host's moment the viewer's frame was when show events were released (program time at
   * release minus the event's `at`, ms), over the events that happened while this viewer watched.
   */
  pinSkew: {count: number; p50: number; p95: number} | null;
}

/** The player's figures, every 5 s while playing and at the first frame. */
export class KolPlayerStatsEvent extends CustomEvent<PlayerStats> {
  static readonly eventName = 'kol-player-stats';
  constructor(stats: PlayerStats) {
    super(KolPlayerStatsEvent.eventName, init(stats));
  }
}

/**
 * `<kol-live-player>`'s picture-in-picture opened or closed. `mode` is `document` for the window with the video
 * and the product card (Document Picture-in-Picture), `video` for the browser's video-only one, null once closed.
 */
export class KolPipChangeEvent extends CustomEvent<{mode: 'document' | 'video' | null}> {
  static readonly eventName = 'kol-pip-change';
  constructor(mode: 'document' | 'video' | null) {
    super(KolPipChangeEvent.eventName, init({mode}));
  }
}

/** Detail of `kol-remind-request` and `kol-show-live`: the upcoming show. */
export interface UpcomingShowDetail {
  title: string;
  /** ISO 8601 UTC. */
  startsAt: string;
  host: string;
  /** Where to watch, when known. */
  url?: string;
}

/**
 * The shopper asked `<kol-upcoming-show>` for a reminder. Cancel it (`preventDefault()`) to sign them up your
 * own way (e-mail, SMS): kolkit then does nothing else. Not cancelled, kolkit offers a browser notification
 * (with the show's consent only).
 */
export class KolRemindRequestEvent extends CustomEvent<Readonly<UpcomingShowDetail>> {
  static readonly eventName = 'kol-remind-request';
  constructor(detail: UpcomingShowDetail) {
    super(KolRemindRequestEvent.eventName, init(Object.freeze({...detail}), true));
  }
}

/** The upcoming show went live: the page may show its player now (no reload needed). */
export class KolShowLiveEvent extends CustomEvent<Readonly<UpcomingShowDetail>> {
  static readonly eventName = 'kol-show-live';
  constructor(detail: UpcomingShowDetail) {
    super(KolShowLiveEvent.eventName, init(Object.freeze({...detail})));
  }
}

/** Detail of `kol-error`. */
export interface KolErrorDetail {
  code: KolErrorCode;
  message: string;
  cause?: unknown;
}

/** Something failed. `code` is listed in docs/errors.md; the element that failed shows it too. */
export class KolErrorEvent extends CustomEvent<KolErrorDetail> {
  static readonly eventName = 'kol-error';
  constructor(detail: KolErrorDetail) {
    super(KolErrorEvent.eventName, init(detail));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'kol-add-to-cart-request': KolAddToCartRequestEvent;
    'kol-add-to-cart': KolAddToCartEvent;
    'kol-cart-change': KolCartChangeEvent;
    'kol-cart-open-request': KolCartOpenRequestEvent;
    'kol-pin-change': KolPinChangeEvent;
    'kol-deal-change': KolDealChangeEvent;
    'kol-show-event': KolShowEventEvent;
    'kol-error': KolErrorEvent;
    'kol-player-stats': KolPlayerStatsEvent;
    'kol-pip-change': KolPipChangeEvent;
    'kol-remind-request': KolRemindRequestEvent;
    'kol-show-live': KolShowLiveEvent;
  }
}
