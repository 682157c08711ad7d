/**
 * What an element may ask of its `<kol-show>`. Elements depend on these interfaces, never on the show's
 * class, adapters or sockets (DESIGN.md §7: intent flows up, state flows down): the cards on
 * `CardShowHandle`, the player on `PlayerShowHandle`; `ShowHandle` is both, and is what `<kol-show>` implements.
 */
import type {Cart, Money, Product, UserError} from '../adapters/types.js';
import type {ServerClock} from '../core/clock.js';
import type {AddToCartRequestDetail} from './events.js';
import type {KolErrorCode} from '../core/errors.js';
import type {ProgramTimeSource} from '../core/scheduler.js';
import type {Deal, ShowState} from '../core/schema.js';
import type {ActionOutcome} from '../sources/server-actions.js';

/** How a product lookup stands. */
export type ProductLookup =
  | {status: 'loading'}
  | {status: 'ready'; product: Product}
  | {status: 'missing'}
  | {status: 'error'; message: string};

/** How an add to cart ended. */
export type AddToCartOutcome =
  /** `notices`: why less was added than asked, or what did not apply (a deal's code); the add stands. */
  | {status: 'added'; cart: Cart; notices: UserError[]; line: AddedLine}
  | {status: 'refused'; userErrors: UserError[]}
  | {status: 'failed'; code: KolErrorCode; message: string};

/** What an add that went in put on its line: how many, at which deal's price, credited to whom. */
export interface AddedLine {
  /** How many went in (the cart's count grew by it; the quantity asked when the store did not say). */
  quantity: number;
  /** The deal, auction or group whose terms priced the line, with that price. */
  deal?: {id: string; price: Money};
  /** `_kol_show` on the line. */
  showId: string | null;
  /** `_kol_ref` on the line. */
  kolRef: string | null;
}

/** Where a product was pinned in the show: a replay chapter. */
export interface Chapter {
  productId: string;
  label?: string;
  /** Program time (ms since the epoch). */
  at: number;
}

/** How pushed events are to be released. */
export interface PushOptions {
  /**
   * The events are a recording (a replay's timeline) or carried in the video itself, which is its own
   * timeline: chat and the counts, too, wait for the viewer's program time, in step with the picture.
   * Otherwise they come from a live source and are released on arrival (docs/design.md §4).
   */
  recorded?: boolean;
}

/**
 * What every element linked to a show reads: change notifications (its `ShowLink` re-renders the element on
 * each) and the server clock. Part of both the cards' view and the player's.
 */
export interface LinkedShow extends HTMLElement {
  /** The server clock: countdowns run on it, and a player measures how far behind the host it is. */
  readonly clock: ServerClock;
  /** Calls `listener` whenever the state or the cart changes. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/**
 * The show as the cards see it (`<kol-product-pin>`, `<kol-countdown-deal>`, `<kol-cart-button>`, the
 * add-to-cart flow): the released state, the catalog and the cart. State flows down; intents come up as
 * calls that return their outcome.
 */
export interface CardShowHandle extends LinkedShow {
  /** The released show state. */
  readonly state: ShowState;
  /** The shopper's cart, or null before it is known. */
  readonly cart: Cart | null;
  /** The show's consent: an add is handed to the analytics bridges (dataLayer, Shopify) only when `granted`. */
  readonly consent: string | null;
  /** The product's lookup as it stands; starts loading it (batched and cached) when first asked. */
  lookupProduct(id: string): ProductLookup;
  /** Waits for a product lookup to finish. */
  whenProduct(id: string): Promise<ProductLookup>;
  /** Adds to cart through the adapter, after the request event was not cancelled. */
  addToCart(request: AddToCartRequestDetail, fixedDeal?: Deal): Promise<AddToCartOutcome>;
  /** Opens the cart the adapter's way, else at the cart's checkout URL; false (after a kol-error) when it could not. */
  openCart(): Promise<boolean>;
}

/**
 * The show as `<kol-live-player>` sees it: the other half of the two-way coupling. The player feeds the show
 * (its program time, the events carried in the stream, a sync on every frame) and reads back what it needs
 * to schedule those syncs and to draw replay chapters and its stats.
 */
export interface PlayerShowHandle extends LinkedShow {
  /** Lets a player report the viewer's program time. Returns the detach. */
  attachPlayer(source: ProgramTimeSource): () => void;
  /** Releases due events now (a player calls this on every video frame). */
  syncTime(): void;
  /** Ingests in-stream or other events (validated, time-aligned; the player's are `recorded`). */
  push(events: unknown, options?: PushOptions): void;
  /** The released show state: the player shows its viewer count (`viewers`) beside LIVE. */
  readonly state: ShowState;
  /** The first time each product was pinned in the whole show (released or ahead), in program-time order. */
  chapters(): Chapter[];
  /** Program time (ms) of the next event still to be released, or null. */
  nextEventAt(): number | null;
  /** Release skew for this viewer (ms), or null before any event was released while watching. */
  pinSkew(): {count: number; p50: number; p95: number} | null;
}

/**
 * The show as `<kol-chat>` sees it: a card's view (its mention cards add to cart like the pin) plus what the
 * composer needs: whether there is a server to send to, who the viewer is, the consent, and the send itself.
 * The messages themselves come as the show's released events (`kol-show-event` on the show).
 */
export interface ChatShowHandle extends CardShowHandle {
  /** The show server's base URL, or null: without one nothing can be sent. */
  readonly server: string | null;
  /** The show's id on its server. */
  readonly showId: string | null;
  /** A customer's viewer token: the server names the customer from it, so the composer asks no name. */
  readonly viewerToken: string | null;
  /** The show's consent (`granted` lets kolkit store the chosen display name). */
  readonly consent: string | null;
  /** Sends a chat message as this viewer; never rejects. */
  sendChat(text: string, options?: {name?: string}): Promise<ActionOutcome>;
}

/**
 * The show as the engagement elements see it (`<kol-reactions>`, `<kol-poll>`, `<kol-giveaway>`): the released
 * state (the latest poll and giveaway), who the viewer is, and the viewer actions, each answering its outcome.
 * Reactions from everyone come as the show's released events (`kol-show-event`: `reactions.update`).
 */
export interface EngagementShowHandle extends LinkedShow {
  /** The released show state. */
  readonly state: ShowState;
  /** A customer's viewer token (a JWT), or null for an anonymous viewer: only a customer may enter a giveaway. */
  readonly viewerToken: string | null;
  /** Sends a reaction as this viewer; never rejects. */
  react(kind: string): Promise<ActionOutcome>;
  /** Votes in a poll as this viewer; never rejects. */
  vote(pollId: string, option: number): Promise<ActionOutcome>;
  /** Enters a giveaway as this customer; never rejects. */
  enterGiveaway(giveawayId: string): Promise<ActionOutcome>;
}

/**
 * The show as `<kol-auction>` sees it: an engagement element's view (the latest auction, the viewer token) plus
 * a card's (the product, the add at the winning price), the bids and the customer's result.
 */
export interface AuctionShowHandle extends EngagementShowHandle, CardShowHandle {
  /** The viewer's program time (the frame on screen, on the server clock), or null without a player that knows it. */
  readonly programTime: Date | null;
  /** Bids as this customer under an idempotency key (the same key on a retry); never rejects. */
  bid(auctionId: string, amount: string, key?: string): Promise<ActionOutcome>;
  /** Whether this customer won the auction, and at what price; never rejects. */
  auctionResult(auctionId: string): Promise<ActionOutcome>;
}

/**
 * The show as `<kol-group-buy>` sees it: an engagement element's view (the latest group, the viewer token) plus a
 * card's (the product, the add at the team price), the join and the customer's membership.
 */
export interface GroupBuyShowHandle extends EngagementShowHandle, CardShowHandle {
  /** The host or affiliate credited (`affiliate`), carried by an invite link as `kol_ref`. */
  readonly affiliate: string | null;
  /** The show's consent (`granted` lets the landing `kol_ref` be kept for the session). */
  readonly consent: string | null;
  /** Joins a group buy as this customer; never rejects. */
  joinGroup(groupId: string): Promise<ActionOutcome>;
  /** Whether this customer is a member of the group, the count and its end; never rejects. */
  groupMembership(groupId: string): Promise<ActionOutcome>;
}

/**
 * The show as `<kol-upcoming-show>` sees it: the released state (the announced show, the status), the clock
 * its countdown runs on, and the consent a reminder needs.
 */
export interface UpcomingShowHandle extends LinkedShow {
  /** The released show state: `scheduled` and `status`. */
  readonly state: ShowState;
  /** The show's consent: a reminder is offered only when it is `granted`. */
  readonly consent: string | null;
}

/** The show as its elements see it: what the cards use and what the player uses. `<kol-show>` implements it. */
export interface ShowHandle extends CardShowHandle, PlayerShowHandle, ChatShowHandle, EngagementShowHandle, AuctionShowHandle, GroupBuyShowHandle {}

/** True for an upgraded `<kol-show>` (an element before upgrade lacks the methods). */
export function isShowHandle(node: unknown): node is ShowHandle {
  return !!node && typeof (node as ShowHandle).subscribe === 'function' && (node as Element).localName === 'kol-show';
}
