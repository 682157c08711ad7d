/**
 * The show state as a pure reducer over released events. State is a function of the events up to the
 * viewer's program time and nothing else, so seeking back in a replay simply reduces again.
 *
 * Ids from the wire index the state's records, so every lookup is an own-property one (`dealOf`,
 * `stockOf`): a `dealId` of `"toString"` or `"__proto__"` is just an id. A batch of events is applied to
 * one copy of the state, so handling n events costs O(n), and every collection is capped (DESIGN.md §3):
 * a show cannot grow a page's memory without bound.
 */
import type {ChatMessage, Deal, PinnedProduct, ShowEvent, ShowState} from './schema.js';

/** At most this many products are pinned at once (DESIGN.md §2). */
export const MAX_PINNED = 3;
/** Chat kept in state: enough for an overlay, bounded for an eight-hour show. */
export const MAX_CHAT = 50;
/** Deals held at once. Past it, deals that have ended make room (oldest first); else a new deal is dropped. */
export const MAX_DEALS = 200;
/** Products with a live stock figure. Past it, a figure for a further product is dropped. */
export const MAX_STOCK = 2_000;
/** Products in the show's lineup (first pins). Past it, a further product is not listed. */
export const MAX_LINEUP = 500;

/** A cap the reducer had to apply: a `kol-error` (`show-limit`) tells the page. */
export type ShowLimit = 'deals' | 'stock' | 'lineup';

/** The state before any event. */
export const initialShowState = (): ShowState => ({
  status: 'unknown',
  pinned: [],
  deals: {},
  stock: {},
  viewers: null,
  lineup: [],
  chat: [],
});

/** The deal with this id, if the state holds one (own properties only). */
export function dealOf(state: Pick<ShowState, 'deals'>, dealId: string): Deal | undefined {
  return Object.hasOwn(state.deals, dealId) ? state.deals[dealId] : undefined;
}

/** The host's live stock figure for a product, if any (own properties only). */
export function stockOf(state: Pick<ShowState, 'stock'>, productId: string): number | undefined {
  return Object.hasOwn(state.stock, productId) ? state.stock[productId] : undefined;
}

/** Applies one event. Never mutates `state`; returns it unchanged when the event changes nothing. */
export function reduceShow(state: ShowState, event: ShowEvent): ShowState {
  return reduceShowEvents(state, [event]);
}

/**
 * Applies events in order, in time linear in their number. Never mutates `state`; returns it unchanged
 * when nothing changed. `onLimit` hears each cap that dropped something.
 */
export function reduceShowEvents(state: ShowState, events: Iterable<ShowEvent>, onLimit?: (limit: ShowLimit) => void): ShowState {
  const draft = new ShowDraft(state, onLimit);
  for (const event of events) draft.apply(event);
  return draft.result();
}

type RecordKey = 'deals' | 'stock';
type ListKey = 'pinned' | 'lineup' | 'chat';

/** A copy-on-write working state: each collection is copied at most once per batch. */
class ShowDraft {
  #next: ShowState;
  #copied = false;
  readonly #owned = new Set<RecordKey | ListKey>();
  readonly #sizes = new Map<RecordKey, number>();

  readonly #base: ShowState;
  readonly #onLimit: ((limit: ShowLimit) => void) | undefined;

  constructor(base: ShowState, onLimit?: (limit: ShowLimit) => void) {
    this.#base = base;
    this.#onLimit = onLimit;
    this.#next = base;
  }

  result(): ShowState {
    if (this.#owned.has('chat') && this.#next.chat.length > MAX_CHAT) this.#next.chat = this.#next.chat.slice(-MAX_CHAT);
    return this.#next;
  }

  apply(event: ShowEvent): void {
    switch (event.type) {
      case 'show.snapshot':
        // The snapshot's own objects are the event's: copy before any later event of the batch writes.
        this.#next = {...event.state, chat: event.state.chat.slice(-MAX_CHAT)};
        this.#copied = true;
        this.#owned.clear();
        this.#sizes.clear();
        return this.#trimToCaps(Date.parse(event.at));
      case 'show.status':
        this.#top().status = event.status;
        if (event.startsAt) this.#next.startsAt = event.startsAt;
        return;
      case 'product.pin':
        return this.#pin(event);
      case 'product.unpin': {
        if (!this.#next.pinned.some((p) => p.productId === event.productId)) return;
        this.#top().pinned = this.#next.pinned.filter((p) => p.productId !== event.productId);
        return;
      }
      case 'deal.start': {
        const {v: _v, id: _id, type: _type, at, sentAt: _sentAt, ...terms} = event;
        return this.#putDeal({...terms, startsAt: event.startsAt ?? at}, at);
      }
      case 'deal.end': {
        const deal = dealOf(this.#next, event.dealId);
        if (deal) this.#set('deals', event.dealId, {...deal, ended: event.reason});
        return;
      }
      case 'stock.update': {
        if (event.dealId) {
          const deal = dealOf(this.#next, event.dealId);
          if (deal) this.#set('deals', event.dealId, {...deal, stock: event.available});
        } else if (stockOf(this.#next, event.productId!) !== undefined || this.#size('stock') < MAX_STOCK) {
          this.#set('stock', event.productId!, event.available);
        } else {
          this.#onLimit?.('stock');
        }
        return;
      }
      case 'viewers.update':
        this.#top().viewers = event.count;
        return;
      case 'chat.message': {
        const message: ChatMessage = {id: event.id, author: event.author, text: event.text, at: event.at};
        if (event.role) message.role = event.role;
        if (event.mentions?.length) message.mentions = event.mentions;
        this.#list('chat').push(message);
        return;
      }
      case 'chat.remove': {
        if (!this.#next.chat.some((m) => m.id === event.messageId)) return;
        this.#top().chat = this.#next.chat.filter((m) => m.id !== event.messageId);
        this.#owned.add('chat');
        return;
      }
      case 'poll.open': {
        const {pollId, question, options, endsAt} = event;
        const counts = options.map((_, i) => event.counts?.[i] ?? 0);
        this.#top().poll = {pollId, question, options, endsAt, counts};
        return;
      }
      case 'poll.update':
      case 'poll.close': {
        const current = this.#next.poll;
        if (current?.pollId !== event.pollId) return;
        const counts = current.options.map((_, i) => event.counts[i] ?? 0);
        this.#top().poll = event.type === 'poll.close' ? {...current, counts, closed: true} : {...current, counts};
        return;
      }
      case 'giveaway.open': {
        const {giveawayId, prize, endsAt, rules} = event;
        this.#top().giveaway = rules === undefined ? {giveawayId, prize, endsAt} : {giveawayId, prize, endsAt, rules};
        return;
      }
      case 'auction.open': {
        const {v: _v, id: _id, type: _type, at: _at, sentAt: _sentAt, ...auction} = event;
        this.#top().auction = auction;
        return;
      }
      case 'auction.update': {
        const current = this.#next.auction;
        // Bids are numbered: an update stored after a later one (two nodes announcing bids 4 and 5) is stale.
        if (current?.auctionId !== event.auctionId || current.closed || (current.bids ?? 0) >= event.bids) return;
        const {highBid, bidder, endsAt, bids} = event;
        this.#top().auction = {...current, highBid, bidder, endsAt, bids};
        return;
      }
      case 'auction.close': {
        const current = this.#next.auction;
        if (current?.auctionId !== event.auctionId) return;
        const closed = {...current, closed: true, winner: event.winner, bids: event.bids};
        if (event.highBid) closed.highBid = event.highBid;
        this.#top().auction = closed;
        return;
      }
      case 'group.open': {
        const {v: _v, id: _id, type: _type, at: _at, sentAt: _sentAt, joined, ...group} = event;
        this.#top().group = {...group, joined: joined ?? 0};
        return;
      }
      case 'group.update':
      case 'group.close': {
        const current = this.#next.group;
        if (current?.groupId !== event.groupId || current.ended) return;
        this.#top().group = event.type === 'group.close' ? {...current, joined: event.joined, ended: event.reason} : {...current, joined: event.joined};
        return;
      }
      case 'show.scheduled': {
        const {v: _v, id: _id, type: _type, at: _at, sentAt: _sentAt, ...scheduled} = event;
        this.#top().scheduled = scheduled;
        return;
      }
      case 'giveaway.winner': {
        const current = this.#next.giveaway;
        if (current?.giveawayId !== event.giveawayId) return;
        this.#top().giveaway = {...current, winner: event.winner, entries: event.entries};
        return;
      }
    }
  }

  #pin(event: Extract<ShowEvent, {type: 'product.pin'}>): void {
    const pin: PinnedProduct = {productId: event.productId, at: event.at};
    if (event.variantId) pin.variantId = event.variantId;
    if (event.label) pin.label = event.label;
    if (event.promoCode) pin.promoCode = event.promoCode;
    if (event.note) pin.note = event.note;
    const others = this.#next.pinned.filter((p) => p.productId !== event.productId);
    this.#top().pinned = [pin, ...others].slice(0, MAX_PINNED);
    if (this.#next.lineup.some((l) => l.productId === event.productId)) return;
    if (this.#next.lineup.length >= MAX_LINEUP) return this.#onLimit?.('lineup');
    this.#list('lineup').push({productId: event.productId, label: event.label, at: event.at});
  }

  /** Starts (or restarts) a deal, making room among ended deals when the cap is reached. */
  #putDeal(deal: Deal, at: string): void {
    if (!dealOf(this.#next, deal.dealId) && this.#size('deals') >= MAX_DEALS) this.#evictDeals(Date.parse(at), MAX_DEALS * 0.9);
    if (!dealOf(this.#next, deal.dealId) && this.#size('deals') >= MAX_DEALS) return this.#onLimit?.('deals');
    this.#set('deals', deal.dealId, deal);
  }

  /** Forgets deals that were over at program time `now` (or, with `any`, any deal), oldest first, down to `target`. */
  #evictDeals(now: number, target: number, any = false): void {
    const deals = this.#record('deals');
    for (const [id, deal] of Object.entries(deals)) {
      if (this.#size('deals') <= target) break;
      if (any || deal.ended || deal.stock === 0 || Date.parse(deal.endsAt) <= now) {
        delete deals[id];
        this.#sizes.set('deals', this.#size('deals') - 1);
      }
    }
  }

  /**
   * Brings a snapshot within the caps, as if its events had come one by one: ended deals go first, then
   * the oldest; stock figures and lineup entries past the cap are left out. Each cap applied is reported.
   */
  #trimToCaps(now: number): void {
    if (this.#size('deals') > MAX_DEALS) {
      this.#evictDeals(now, MAX_DEALS);
      this.#evictDeals(now, MAX_DEALS, true);
      this.#onLimit?.('deals');
    }
    if (this.#size('stock') > MAX_STOCK) {
      this.#next.stock = Object.fromEntries(Object.entries(this.#next.stock).slice(0, MAX_STOCK));
      this.#owned.add('stock');
      this.#sizes.set('stock', MAX_STOCK);
      this.#onLimit?.('stock');
    }
    if (this.#next.lineup.length > MAX_LINEUP) {
      this.#next.lineup = this.#next.lineup.slice(0, MAX_LINEUP);
      this.#onLimit?.('lineup');
    }
  }

  /** The working state, copied from the base on first write. */
  #top(): ShowState {
    if (!this.#copied) {
      this.#next = {...this.#base};
      this.#copied = true;
    }
    return this.#next;
  }

  #record<K extends RecordKey>(key: K): ShowState[K] {
    const state = this.#top();
    if (!this.#owned.has(key)) {
      state[key] = {...state[key]};
      this.#owned.add(key);
    }
    return state[key];
  }

  #list<K extends ListKey>(key: K): ShowState[K] {
    const state = this.#top();
    if (!this.#owned.has(key)) {
      state[key] = state[key].slice() as ShowState[K];
      this.#owned.add(key);
    }
    return state[key];
  }

  #size(key: RecordKey): number {
    let size = this.#sizes.get(key);
    if (size === undefined) this.#sizes.set(key, (size = Object.keys(this.#next[key]).length));
    return size;
  }

  /** Writes an own property, `__proto__` included (an assignment would set the prototype instead). */
  #set<K extends RecordKey>(key: K, id: string, value: ShowState[K][string]): void {
    const record = this.#record(key) as Record<string, ShowState[K][string]>;
    if (!Object.hasOwn(record, id)) this.#sizes.set(key, this.#size(key) + 1);
    Object.defineProperty(record, id, {value, writable: true, enumerable: true, configurable: true});
  }
}

/** Where a deal stands at a given server time. */
export type DealState = 'upcoming' | 'active' | 'sold-out' | 'expired';

/**
 * The phase of `deal` at `now` (ms on the server clock). A cancelled deal reads as expired, and so does a
 * deal whose times cannot be read: nothing is sold on terms kolkit cannot check.
 */
export function dealState(deal: Pick<Deal, 'startsAt' | 'endsAt' | 'stock' | 'ended'>, now: number): DealState {
  if (deal.ended === 'sold-out' || deal.stock === 0) return 'sold-out';
  const startsAt = Date.parse(deal.startsAt);
  const endsAt = Date.parse(deal.endsAt);
  if (deal.ended || !(now < endsAt) || Number.isNaN(startsAt)) return 'expired';
  return now < startsAt ? 'upcoming' : 'active';
}

/**
 * The deal a `<kol-countdown-deal>` without a `deal-id` shows: the most recently started active deal (one
 * the shopper can buy now), else the soonest upcoming one, else the most recent deal (so a shopper sees
 * that it ended rather than nothing).
 */
export function currentDeal(state: ShowState, now: number): Deal | undefined {
  const deals = Object.values(state.deals).sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return (
    deals.find((d) => dealState(d, now) === 'active') ??
    deals.filter((d) => dealState(d, now) === 'upcoming').at(-1) ??
    deals[0]
  );
}
