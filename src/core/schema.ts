/**
 * The v1 show-event wire format (DESIGN.md §3), as valibot schemas: one source for validation and types.
 * Every carrier (stream, SSE, timeline, push()) hands raw JSON to `parseShowEvent`.
 */
import * as v from 'valibot';

// The state's caps (state.ts imports only types from here, so this is no import cycle at run time).
import {MAX_CHAT, MAX_DEALS, MAX_LINEUP, MAX_STOCK} from './state.js';

/**
 * A snapshot may carry up to ten times what the show keeps (a server may keep every deal of a long show);
 * the show trims it to its caps. Past that it is not a show's state but a flood, refused as a bad event.
 */
const SNAPSHOT_SLACK = 10;
/** The most kinds one `reactions.update` may count (the server sends its few fixed kinds). */
const MAX_REACTION_KINDS = 16;
/** The most `#N` mentions one chat message carries (the server keeps the first ones). */
export const MAX_MENTIONS = 5;
/** The most products one `requests.update` ranks. */
export const MAX_REQUESTS = 10;
/** A poll's options: 2 to 4 (DESIGN.md §8.3). */
export const MIN_POLL_OPTIONS = 2;
export const MAX_POLL_OPTIONS = 4;

const nonEmpty = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
/** ISO 8601 date-time that Date.parse understands (with a zone, as the wire format requires). */
const isoTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'an ISO 8601 UTC time'),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'a valid date'),
);
const money = v.object({
  amount: v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'a decimal string')),
  currencyCode: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'an ISO 4217 code')),
});
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** Plain text, never HTML: it is only ever rendered as a text node. Clamped so a bad event cannot flood. */
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

const showStatus = v.picklist(['scheduled', 'live', 'paused', 'ended']);
const dealEndReason = v.picklist(['expired', 'sold-out', 'cancelled']);
/** Who wrote a chat message: a badge, given by the server from the sender's identity, never by the sender. */
const chatRole = v.picklist(['host', 'moderator', 'customer', 'viewer']);

/**
 * The fields a `product.pin` event and a pinned product of the state share, written once. Spread as entries
 * (the order of the entries is the order fields are checked in, so the first bad field named stays the same).
 */
const pinFields = {
  productId: nonEmpty,
  variantId: v.optional(nonEmpty),
  label: v.optional(text(32)),
  promoCode: v.optional(text(64)),
  note: v.optional(text(280)),
};
const pinnedProduct = v.object({...pinFields, at: isoTime});

/**
 * The fields a `deal.start` event and a deal of the state share, written once. The event may leave
 * `startsAt` out (the deal then starts at the event's `at`), so it overrides that one entry, in place.
 */
const dealFields = {
  dealId: nonEmpty,
  productId: nonEmpty,
  variantId: v.optional(nonEmpty),
  price: money,
  compareAtPrice: v.optional(money),
  startsAt: isoTime,
  endsAt: isoTime,
  stock: v.optional(count),
  limitPerCustomer: v.optional(v.pipe(count, v.minValue(1))),
  code: v.optional(text(64)),
};
const deal = v.object({...dealFields, ended: v.optional(dealEndReason)});

/** One deal as the show state holds it: also checks a deal set by `<kol-countdown-deal>` attributes. */
export const DealSchema = deal;

/** A `#N` in a chat message that names a product of the show (its pin label): rendered as a product card. */
const mention = v.object({label: v.pipe(text(32), v.minLength(1)), productId: nonEmpty});

/** A list of at most `max` items, counted before its items are checked one by one. */
const cappedArray = <T extends v.GenericSchema>(max: number, item: T) =>
  v.pipe(v.custom<unknown[]>((input) => Array.isArray(input) && input.length <= max, `at most ${max} items`), v.array(item));

/**
 * The fields a `chat.message` event and a message of the state share. A message's id is its event's `id`
 * (what `chat.remove` names as `messageId`).
 */
const chatFields = {
  author: text(64),
  text: text(500),
  role: v.optional(chatRole),
  mentions: v.optional(cappedArray(MAX_MENTIONS, mention)),
};
const chatMessage = v.object({id: nonEmpty, ...chatFields, at: isoTime});

/** The most steps an auction's increment table may have. */
export const MAX_INCREMENT_STEPS = 16;
/**
 * An auction's increment table: the step a bid must add over the high bid while the high bid is `below` an
 * amount (the last step, without `below`, applies above every bound). Amounts are decimal strings in the
 * auction's currency.
 */
const incrementStep = v.object({below: v.optional(v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'a decimal string'))), step: v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'a decimal string'))});
/** The fields an `auction.open` event and the state's auction share. */
const auctionFields = {
  auctionId: nonEmpty,
  productId: nonEmpty,
  variantId: v.optional(nonEmpty),
  startingBid: money,
  endsAt: isoTime,
  /** Seconds a bid in the last `extendBy` seconds pushes `endsAt` to (from now), unless `suddenDeath`. */
  extendBy: v.pipe(count, v.maxValue(600)),
  suddenDeath: v.boolean(),
  increments: v.optional(cappedArray(MAX_INCREMENT_STEPS, incrementStep)),
};
/** The show's latest auction: its high bid and bidder (a display name) once bid on; `closed` with its `winner`. */
const auction = v.object({
  ...auctionFields,
  highBid: v.optional(money),
  bidder: v.optional(text(64)),
  bids: v.optional(count),
  closed: v.optional(v.boolean()),
  winner: v.optional(v.nullable(text(64))),
});
/** The fields a `group.open` event and the state's group buy share. */
const groupFields = {
  groupId: nonEmpty,
  productId: nonEmpty,
  variantId: v.optional(nonEmpty),
  price: money,
  needed: v.pipe(count, v.minValue(2), v.maxValue(1000)),
  endsAt: isoTime,
};
const groupEndReason = v.picklist(['filled', 'expired']);
/** The show's latest group buy (team price): members so far, and how it ended. */
const group = v.object({...groupFields, joined: count, ended: v.optional(groupEndReason)});
/** The fields a `show.scheduled` event and the state's upcoming show share. */
const scheduledFields = {title: v.pipe(text(120), v.minLength(1)), startsAt: isoTime, host: text(64), url: v.optional(v.pipe(text(2048), v.minLength(1))), image: v.optional(v.pipe(text(2048), v.minLength(1)))};
const scheduled = v.object(scheduledFields);

/** A poll's options (2 to 4 short texts) and its counts (one per option, in the same order). */
const pollOptions = v.pipe(v.array(v.pipe(text(80), v.minLength(1))), v.minLength(MIN_POLL_OPTIONS), v.maxLength(MAX_POLL_OPTIONS));
const pollCounts = v.pipe(v.array(count), v.maxLength(MAX_POLL_OPTIONS));
/** The fields a `poll.open` event and the state's poll share. */
const pollFields = {pollId: nonEmpty, question: v.pipe(text(200), v.minLength(1)), options: pollOptions, endsAt: isoTime};
/** The show's latest poll: open until `closed`, or until `endsAt` on the server clock. */
const poll = v.object({...pollFields, counts: pollCounts, closed: v.optional(v.boolean())});

/** The fields a `giveaway.open` event and the state's giveaway share. */
const giveawayFields = {giveawayId: nonEmpty, prize: v.pipe(text(120), v.minLength(1)), endsAt: isoTime, rules: v.optional(text(280))};
/** The show's latest giveaway; `winner` once drawn (a display name, or null when nobody entered). */
const giveaway = v.object({...giveawayFields, winner: v.optional(v.nullable(text(64))), entries: v.optional(count)});

/** A record of at most `max` entries, counted before its entries are checked one by one. */
const cappedRecord = <T extends v.GenericSchema>(max: number, item: T) =>
  v.pipe(
    v.custom<Record<string, unknown>>((input) => !!input && typeof input === 'object' && Object.keys(input).length <= max, `at most ${max} entries`),
    v.record(v.string(), item),
  );
/**
 * The whole show state, as carried by `show.snapshot` and held by `<kol-show>`. A snapshot's collections may
 * be up to `SNAPSHOT_SLACK` times the show's caps (state.ts), which the show then trims them to.
 */
export const ShowStateSchema = v.object({
  status: v.picklist(['unknown', 'scheduled', 'live', 'paused', 'ended']),
  startsAt: v.optional(isoTime),
  pinned: v.pipe(v.array(pinnedProduct), v.maxLength(3)),
  deals: cappedRecord(MAX_DEALS * SNAPSHOT_SLACK, deal),
  stock: cappedRecord(MAX_STOCK * SNAPSHOT_SLACK, count),
  viewers: v.nullable(count),
  lineup: cappedArray(MAX_LINEUP * SNAPSHOT_SLACK, v.object({productId: nonEmpty, label: v.optional(text(32)), at: isoTime})),
  chat: cappedArray(MAX_CHAT * SNAPSHOT_SLACK, chatMessage),
  // Optional: a snapshot from a server before polls and giveaways has neither.
  poll: v.optional(poll),
  giveaway: v.optional(giveaway),
  auction: v.optional(auction),
  group: v.optional(group),
  scheduled: v.optional(scheduled),
});

const envelope = {v: v.literal(1), id: nonEmpty, at: isoTime, sentAt: v.optional(isoTime)};

/** Every known event type, discriminated by `type`. */
export const ShowEventSchema = v.variant('type', [
  v.object({...envelope, type: v.literal('show.status'), status: showStatus, startsAt: v.optional(isoTime)}),
  v.object({...envelope, type: v.literal('show.snapshot'), state: ShowStateSchema}),
  v.object({...envelope, type: v.literal('product.pin'), ...pinFields}),
  v.object({...envelope, type: v.literal('product.unpin'), productId: nonEmpty}),
  // A key spread and then set again keeps its place: `startsAt` is still checked between price and endsAt.
  v.object({...envelope, type: v.literal('deal.start'), ...dealFields, startsAt: v.optional(isoTime)}),
  v.object({...envelope, type: v.literal('deal.end'), dealId: nonEmpty, reason: dealEndReason}),
  v.pipe(
    v.object({
      ...envelope,
      type: v.literal('stock.update'),
      productId: v.optional(nonEmpty),
      dealId: v.optional(nonEmpty),
      available: count,
    }),
    v.check((e) => !e.productId !== !e.dealId, 'stock.update needs either productId or dealId'),
  ),
  v.object({...envelope, type: v.literal('viewers.update'), count}),
  v.object({...envelope, type: v.literal('chat.message'), ...chatFields}),
  v.object({...envelope, type: v.literal('chat.remove'), messageId: nonEmpty}),
  // What viewers ask the host to show (`#N` mentions over a sliding window): on the host's stream only.
  v.object({
    ...envelope,
    type: v.literal('requests.update'),
    top: cappedArray(MAX_REQUESTS, v.object({label: v.pipe(text(32), v.minLength(1)), productId: nonEmpty, count})),
  }),
  v.object({...envelope, type: v.literal('poll.open'), ...pollFields, counts: v.optional(pollCounts)}),
  v.object({...envelope, type: v.literal('poll.update'), pollId: nonEmpty, counts: pollCounts}),
  v.object({...envelope, type: v.literal('poll.close'), pollId: nonEmpty, counts: pollCounts}),
  v.object({...envelope, type: v.literal('giveaway.open'), ...giveawayFields}),
  v.object({...envelope, type: v.literal('giveaway.winner'), giveawayId: nonEmpty, winner: v.nullable(text(64)), entries: count}),
  v.object({...envelope, type: v.literal('auction.open'), ...auctionFields}),
  v.object({...envelope, type: v.literal('auction.update'), auctionId: nonEmpty, highBid: money, bidder: text(64), endsAt: isoTime, bids: count}),
  v.object({...envelope, type: v.literal('auction.close'), auctionId: nonEmpty, winner: v.nullable(text(64)), highBid: v.nullable(money), bids: count}),
  v.object({...envelope, type: v.literal('group.open'), ...groupFields, joined: v.optional(count)}),
  v.object({...envelope, type: v.literal('group.update'), groupId: nonEmpty, joined: count}),
  v.object({...envelope, type: v.literal('group.close'), groupId: nonEmpty, joined: count, reason: groupEndReason}),
  v.object({...envelope, type: v.literal('show.scheduled'), ...scheduledFields}),
  // Hearts and the like, summed by the server over one period (at most 2 a second): not part of the state.
  v.object({...envelope, type: v.literal('reactions.update'), counts: cappedRecord(MAX_REACTION_KINDS, count), total: count}),
]);

/** A validated show event. */
export type ShowEvent = v.InferOutput<typeof ShowEventSchema>;
/** The show state: pinned products, deals, stock, status, viewers, lineup, chat. */
export type ShowState = v.InferOutput<typeof ShowStateSchema>;
/** One pinned product, most recent first in `ShowState.pinned`. */
export type PinnedProduct = ShowState['pinned'][number];
/** One chat message as the show state holds it (the last `MAX_CHAT`). */
export type ChatMessage = ShowState['chat'][number];
/** A `#N` product mention of a chat message. */
export type ChatMention = NonNullable<ChatMessage['mentions']>[number];
/** The show's latest poll. */
export type Poll = NonNullable<ShowState['poll']>;
/** The show's latest giveaway. */
export type Giveaway = NonNullable<ShowState['giveaway']>;
/** The show's latest auction. */
export type Auction = NonNullable<ShowState['auction']>;
/** The show's latest group buy (team price). */
export type GroupBuy = NonNullable<ShowState['group']>;
/** The show announced as coming (`show.scheduled`). */
export type ScheduledShow = NonNullable<ShowState['scheduled']>;
/** A flash deal as the show state holds it. */
export type Deal = ShowState['deals'][string];
/** A show-event type kolkit knows. */
export type ShowEventType = ShowEvent['type'];

/** The event types the schema knows, read off its variants (one checked with a pipe wraps its object). */
const KNOWN_TYPES = new Set<string>(
  ShowEventSchema.options.map((option) => ('pipe' in option ? option.pipe[0] : option).entries.type.literal),
);

/** What `parseShowEvent` made of one raw value. */
export type ParseResult =
  | {kind: 'event'; event: ShowEvent}
  | {kind: 'ignored'; type: string}
  | {kind: 'invalid'; message: string};

/**
 * Validates one raw event. Unknown `type`s of a well-formed v1 envelope are ignored (newer senders may
 * add types); anything else malformed is `invalid`, with a message naming the first bad field.
 */
export function parseShowEvent(raw: unknown): ParseResult {
  if (
    raw && typeof raw === 'object' && (raw as {v?: unknown}).v === 1 &&
    typeof (raw as {type?: unknown}).type === 'string' && !KNOWN_TYPES.has((raw as {type: string}).type)
  ) {
    return {kind: 'ignored', type: (raw as {type: string}).type};
  }
  const result = v.safeParse(ShowEventSchema, raw);
  if (result.success) return {kind: 'event', event: result.output};
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return {kind: 'invalid', message: path ? `${path}: ${issue.message}` : issue.message};
}
