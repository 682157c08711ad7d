/**
 * The show state as a pure reducer over released events. State is a function of the events up to the
 * viewer's program time and nothing else, so seeking back in a replay simply reduces again.
 */
import type {Deal, PinnedProduct, ShowEvent, ShowState} from './schema.js';

/** At most this many products are pinned at once (DESIGN.md §2). */
export const MAX_PINNED = 3;
/** Chat kept in state: enough for an overlay, bounded for an eight-hour show. */
export const MAX_CHAT = 50;

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

/** Applies one event. Never mutates `state`; returns it unchanged when the event changes nothing. */
export function reduceShow(state: ShowState, event: ShowEvent): ShowState {
  switch (event.type) {
    case 'show.snapshot':
      return event.state;
    case 'show.status':
      return {...state, status: event.status, startsAt: event.startsAt ?? state.startsAt};
    case 'product.pin': {
      const pin: PinnedProduct = {productId: event.productId, at: event.at};
      if (event.variantId) pin.variantId = event.variantId;
      if (event.label) pin.label = event.label;
      if (event.promoCode) pin.promoCode = event.promoCode;
      if (event.note) pin.note = event.note;
      const others = state.pinned.filter((p) => p.productId !== event.productId);
      const seen = state.lineup.some((l) => l.productId === event.productId);
      return {
        ...state,
        pinned: [pin, ...others].slice(0, MAX_PINNED),
        lineup: seen ? state.lineup : [...state.lineup, {productId: event.productId, label: event.label, at: event.at}],
      };
    }
    case 'product.unpin': {
      const pinned = state.pinned.filter((p) => p.productId !== event.productId);
      return pinned.length === state.pinned.length ? state : {...state, pinned};
    }
    case 'deal.start': {
      const {v: _v, id: _id, type: _type, at, sentAt: _sentAt, ...terms} = event;
      const deal: Deal = {...terms, startsAt: event.startsAt ?? at};
      return {...state, deals: {...state.deals, [event.dealId]: deal}};
    }
    case 'deal.end':
      return updateDeal(state, event.dealId, (d) => ({...d, ended: event.reason}));
    case 'stock.update':
      if (event.dealId) return updateDeal(state, event.dealId, (d) => ({...d, stock: event.available}));
      return {...state, stock: {...state.stock, [event.productId!]: event.available}};
    case 'viewers.update':
      return {...state, viewers: event.count};
    case 'chat.message':
      return {
        ...state,
        chat: [...state.chat, {id: event.id, author: event.author, text: event.text, at: event.at}].slice(-MAX_CHAT),
      };
  }
}

function updateDeal(state: ShowState, dealId: string, change: (deal: Deal) => Deal): ShowState {
  const deal = state.deals[dealId];
  return deal ? {...state, deals: {...state.deals, [dealId]: change(deal)}} : state;
}

/** Where a deal stands at a given server time. */
export type DealPhase = 'upcoming' | 'active' | 'sold-out' | 'expired';

/** The phase of `deal` at `now` (ms on the server clock). A cancelled deal reads as expired. */
export function dealPhase(deal: Pick<Deal, 'startsAt' | 'endsAt' | 'stock' | 'ended'>, now: number): DealPhase {
  if (deal.ended === 'sold-out' || deal.stock === 0) return 'sold-out';
  if (deal.ended || now >= Date.parse(deal.endsAt)) return 'expired';
  return now < Date.parse(deal.startsAt) ? 'upcoming' : 'active';
}

/**
 * The deal a `<kol-countdown-deal>` without a `deal-id` shows: the most recently started active deal (one
 * the shopper can buy now), else the soonest upcoming one, else the most recent deal (so a shopper sees
 * that it ended rather than nothing).
 */
export function currentDeal(state: ShowState, now: number): Deal | undefined {
  const deals = Object.values(state.deals).sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  return (
    deals.find((d) => dealPhase(d, now) === 'active') ??
    deals.filter((d) => dealPhase(d, now) === 'upcoming').at(-1) ??
    deals[0]
  );
}
