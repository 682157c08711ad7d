/**
 * Auctions (DESIGN.md §8.4 `auction.open` / `auction.update` / `auction.close`): bids from customers on any
 * node, one winner, one close at `endsAt` as extended, whichever nodes are up.
 *
 * One order for everything: each auction is a chain of numbered KV records, `auction-bid.<show>.<auction>.<n>`
 * (n = 1, 2, …). Record n is either an accepted bid — with the auction's state after it: the amount, the
 * bidder, `endsAt` as that bid left it — or the close. A node takes number n with `kv.create`, which is exact
 * across nodes (nats-server 2.9.10 R3 included), after checking the bid against record n - 1: above its
 * minimum (core/auction.ts), before its `endsAt`, not after a close. Of two bids racing for n exactly one is
 * created; the other reads the winner's record and answers `409 outbid` with the new minimum, or, when it is
 * still above that minimum, tries n + 1. The close is one more record in the same chain, taken the same way by
 * whichever node's timer reaches `endsAt` first; a bid that checks against it is a 410, and a close that loses
 * its number to a bid reads that bid (whose `endsAt` may have moved) and tries again. So the bids and the
 * close are totally ordered without a node-local lock, and the log's events are only announcements:
 * `auction.update` with the id `auction-bid-<show>-<auction>-<n>` from the node that took n, `auction.close`
 * with the id `auction-close-<show>-<auction>` from every node that sees the close record (the bus keeps one
 * per id). A node that dies after taking a number loses nothing: the next bid's update carries the whole
 * state, and another node's timer finds the chain's last `endsAt` and closes.
 *
 * Why not `bus.append` with `expectedLastSeq`: it is per show, so every chat message, heart and viewer count
 * would make bids fail and retry; why not one record updated by revision: `kv.update(revision)` is not
 * serialized on a replicated NATS 2.9.10 bucket (see reactions.ts).
 *
 * A bid's `key` makes a retry the same bid: `auction-key.<show>.<auction>.<customer and key>` names the number it
 * took, and a race between two sends of one key is settled by the chain (the loser finds its own key there).
 * Records live at least 6 hours in cluster mode (until a restart in embedded mode; then the log's state is
 * the chain's start, and the winner's customer id is not known to `result`).
 */
import {createHash} from 'node:crypto';
import {compareAmounts, DECIMAL_AMOUNT, minimumBid} from '../../core/auction.js';
import type {Auction, ShowState} from '../../core/schema.js';
import type {Money} from '../../adapters/types.js';
import type {ShowBus} from '../bus/types.js';
import {BusConflictError} from '../bus/types.js';
import type {HookSender} from '../hooks.js';
import {IDEMPOTENCY_KEY} from '../host-event.js';
import {ShowInputError, type HostEventEntry, type ShowLogs, type ViewerIdentity} from '../types.js';
import {DEFAULT_AUTHOR} from './chat.js';
import {assertShow, sleepUntil, type EngagementLog} from './period.js';
import {checkEngagementId, currentOf, notFound} from './show-time.js';

/** Options of `createAuctions`. */
export interface AuctionsOptions {
  bus: ShowBus;
  logs: ShowLogs;
  log: EngagementLog;
  /** Where `auction.won` goes when the merchant has a hook (src/server/hooks.ts). */
  hooks?: HookSender;
}

/** What a bid is answered (`201`), the same again for a retry with the same key. */
export interface BidAccepted {
  accepted: true;
  highBid: Money;
  endsAt: string;
  leading: true;
  /** The bid's number: bids accepted so far, this one included. */
  bids: number;
}

/** What a customer reads of an auction (`GET …/auctions/{auction}/result`). */
export interface AuctionResult {
  auctionId: string;
  closed: boolean;
  /** True for the winner, once closed. */
  won: boolean;
  /** The winning price, for the winner. */
  price?: Money;
  productId: string;
  variantId?: string;
}

/** A node's share of the auctions. */
export interface Auctions {
  /**
   * The host's `auction.open`: refused with 409 `auction-open` while the show's last auction is still open,
   * else stamped and stored like any host event.
   */
  open(show: string, body: Record<string, unknown>, options: {idempotencyKey?: string}): Promise<HostEventEntry>;
  /**
   * `identity`'s bid `{amount, key?}` on `show`'s auction. Rejects with a `ShowInputError`: 401 `unauthorized`
   * (not a customer), 404 `not-found`, 400 `bad-field`, 409 `too-low` / `outbid` with `minimum`, 410 `ended`.
   */
  bid(show: string, auctionId: string, body: Record<string, unknown>, identity: ViewerIdentity): Promise<BidAccepted>;
  /** Whether `identity` won `show`'s auction and at what price (401 for an anonymous viewer, 404 unknown). */
  result(show: string, auctionId: string, identity: ViewerIdentity): Promise<AuctionResult>;
  /** Stops closing on this node. */
  stop(): Promise<void>;
}

/** An accepted bid in the chain, with the auction's state after it. */
interface BidRecord {
  kind: 'bid';
  n: number;
  amount: string;
  /** The customer's `sub` ('' when the chain was rebuilt from the log and it is not known). */
  sub: string;
  name: string;
  /** The bid's key, hashed with the customer (`keyToken`), or ''. */
  key: string;
  endsAt: string;
}

/** The close, with the winning bid (null when nobody bid). */
interface CloseRecord {
  kind: 'close';
  n: number;
  winner: BidRecord | null;
}

type ChainRecord = BidRecord | CloseRecord;

/** The chain's head: its number and record (n = 0 before any bid: the auction as opened). */
interface Head {
  n: number;
  record: ChainRecord | null;
}

/** How long a node that finds a close another node took waits before announcing it in its place. */
const STAND_IN_AFTER_MS = 2000;
/** How long a close that failed waits before trying again. */
const CLOSE_RETRY_MS = 1000;

/** Starts this node's auctions: bids, and the close at `endsAt` as extended. */
export function createAuctions({bus, logs, log, hooks}: AuctionsOptions): Auctions {
  const kv = bus.kv;
  /** The furthest head this node has seen per auction: probing starts there. */
  const heads = new Map<string, Head>();
  const timers = new Map<string, {timer: NodeJS.Timeout; atMs: number}>();
  const closing = new Set<Promise<void>>();
  let stopped = false;

  const id = (show: string, auctionId: string) => `${show}\n${auctionId}`;
  const bidKey = (show: string, auctionId: string, n: number) => `auction-bid.${show}.${auctionId}.${n}`;

  /** The show's auction `auctionId`, read again from the log when this node does not have it yet; else a 404. */
  async function auctionOf(show: string, auctionId: string): Promise<Auction> {
    const auction = await currentOf(logs, show, 'auction', auctionId);
    if (!auction) throw notFound('auction', auctionId);
    return auction;
  }

  async function recordAt(show: string, auctionId: string, n: number): Promise<ChainRecord | null> {
    const entry = await kv.get(bidKey(show, auctionId, n));
    return entry ? parseRecord(entry.value, n) : null;
  }

  /**
   * The chain's head now: from the furthest head known (this node's, or the log's bid count), each next
   * number read until one is absent. `seen` hears every record passed over (a retry finding its own bid).
   */
  async function headOf(show: string, auction: Auction, seen?: (record: ChainRecord) => void): Promise<Head> {
    const known = heads.get(id(show, auction.auctionId));
    const fromLog = auction.bids ?? 0;
    let head: Head;
    if (known && known.n >= fromLog) head = known;
    else {
      const record = fromLog ? await recordAt(show, auction.auctionId, fromLog) : null;
      // A log count with no record: the shared records were lost (an embedded server restarted). The log's state is the chain's start.
      head = {n: fromLog, record: record ?? (fromLog && auction.highBid ? fromState(auction, fromLog) : null)};
    }
    for (;;) {
      const next = await recordAt(show, auction.auctionId, head.n + 1);
      if (!next) break;
      seen?.(next);
      head = {n: head.n + 1, record: next};
    }
    remember(show, auction.auctionId, head);
    return head;
  }

  function remember(show: string, auctionId: string, head: Head): void {
    const key = id(show, auctionId);
    if ((heads.get(key)?.n ?? -1) < head.n) heads.set(key, head);
  }

  /** Takes number `n` with `record`: true when this node took it, false when another writer had. */
  async function take(show: string, auctionId: string, n: number, record: ChainRecord): Promise<boolean> {
    try {
      await kv.create(bidKey(show, auctionId, n), JSON.stringify(record));
    } catch (error) {
      if (error instanceof BusConflictError) return false;
      throw error;
    }
    remember(show, auctionId, {n, record});
    return true;
  }

  async function bid(show: string, auctionId: string, body: Record<string, unknown>, identity: ViewerIdentity): Promise<BidAccepted> {
    assertShow(show);
    checkEngagementId(auctionId, 'auction');
    const sub = customerSub(identity, 'Bidding');
    const auction = await auctionOf(show, auctionId);
    const amount = bidAmount(body.amount, auction.startingBid.currencyCode);
    const key = body.key === undefined ? '' : keyToken(sub, bidKeyOf(body.key));
    if (key) {
      const first = await kv.get(`auction-key.${show}.${auctionId}.${key}`);
      const n = first ? Number(first.value) : 0;
      const mine = n ? await recordAt(show, auctionId, n) : null;
      if (mine?.kind === 'bid') return accepted(auction, mine);
    }
    if (auction.closed) throw ended();
    let own: BidRecord | undefined;
    let head = await headOf(show, auction, (record) => record.kind === 'bid' && key && record.key === key && (own = record));
    // This node may have taken that bid itself a moment ago (its head starts there): still the same bid.
    if (!own && key && head.record?.kind === 'bid' && head.record.key === key) own = head.record;
    if (own) return accepted(auction, own);
    let raced = false;
    for (;;) {
      const after = head.record;
      if (after?.kind === 'close') throw ended();
      const now = Date.now();
      const endsAt = Date.parse(after?.endsAt ?? auction.endsAt);
      if (now >= endsAt) throw ended();
      const minimum = minimumBid({
        startingBid: auction.startingBid,
        ...(auction.increments && {increments: auction.increments}),
        ...(after && {highBid: {amount: after.amount, currencyCode: auction.startingBid.currencyCode}}),
      });
      if (compareAmounts(amount, minimum.amount) < 0) {
        throw raced
          ? new ShowInputError(409, 'outbid', `Another bid came first: the minimum is now ${minimum.amount}.`, {minimum})
          : new ShowInputError(409, 'too-low', `The minimum bid is ${minimum.amount}.`, {minimum});
      }
      const extended = !auction.suddenDeath && endsAt - now < auction.extendBy * 1000;
      const record: BidRecord = {
        kind: 'bid',
        n: head.n + 1,
        amount,
        sub,
        name: identity.name || DEFAULT_AUTHOR,
        key,
        endsAt: extended ? new Date(now + auction.extendBy * 1000).toISOString() : new Date(endsAt).toISOString(),
      };
      if (await take(show, auctionId, record.n, record)) {
        if (key) await kv.create(`auction-key.${show}.${auctionId}.${key}`, String(record.n)).catch((error: unknown) => error instanceof BusConflictError || Promise.reject(error));
        await announceBid(show, auction, record);
        return accepted(auction, record);
      }
      // Another bid (or the close) took this number: check again against it.
      raced = true;
      const taken = await recordAt(show, auctionId, record.n);
      if (!taken) throw new Error(`auction ${auctionId}: record ${record.n} exists and cannot be read`);
      if (taken.kind === 'bid' && key && taken.key === key) return accepted(auction, taken);
      head = {n: record.n, record: taken};
      remember(show, auctionId, head);
    }
  }

  /** Appends `auction.update` for bid `record.n`; stored is stored, so a failure here is only logged (the next bid's update carries the state). */
  async function announceBid(show: string, auction: Auction, record: BidRecord): Promise<void> {
    try {
      await logs.serverEvent(show, {
        type: 'auction.update',
        id: `auction-bid-${show}-${auction.auctionId}-${record.n}`,
        auctionId: auction.auctionId,
        highBid: {amount: record.amount, currencyCode: auction.startingBid.currencyCode},
        bidder: record.name,
        endsAt: record.endsAt,
        bids: record.n,
      });
    } catch (error) {
      log.warn({err: error, show, auctionId: auction.auctionId, n: record.n}, 'auctions: a bid was taken but its update was not stored');
    }
    schedule(show, auction.auctionId, Date.parse(record.endsAt));
  }

  /** Closes the auction once its chain's `endsAt` has passed (see the file's note); reschedules when a bid moved it. */
  async function close(show: string, auctionId: string): Promise<void> {
    const auction = await auctionOf(show, auctionId);
    if (auction.closed) return;
    let head = await headOf(show, auction);
    let tookIt = false;
    for (;;) {
      const after = head.record;
      if (after?.kind === 'close') break;
      const endsAt = Date.parse(after?.endsAt ?? auction.endsAt);
      if (Date.now() < endsAt) {
        schedule(show, auctionId, endsAt);
        return;
      }
      const record: CloseRecord = {kind: 'close', n: head.n + 1, winner: after ?? null};
      if (await take(show, auctionId, record.n, record)) {
        head = {n: record.n, record};
        tookIt = true;
        break;
      }
      const taken = await recordAt(show, auctionId, record.n);
      if (!taken) throw new Error(`auction ${auctionId}: record ${record.n} exists and cannot be read`);
      head = {n: record.n, record: taken};
    }
    // Another node took the close: it announces it (and sends the hook). This one only steps in when that
    // node has not, a while later (it died in between), so a merchant normally gets one hook, not one per node.
    if (!tookIt) await sleepUntil(Date.now() + STAND_IN_AFTER_MS);
    await announceClose(show, auction, head.record as CloseRecord);
  }

  /** Appends `auction.close` unless the log has it, then sends `auction.won` (the receiver dedupes by its id). */
  async function announceClose(show: string, auction: Auction, record: CloseRecord): Promise<void> {
    const latest = (await logs.state(show, {fresh: true})).auction;
    if (latest?.auctionId === auction.auctionId && latest.closed) return;
    const winner = record.winner;
    const highBid = winner ? {amount: winner.amount, currencyCode: auction.startingBid.currencyCode} : null;
    await logs.serverEvent(show, {
      type: 'auction.close',
      id: `auction-close-${show}-${auction.auctionId}`,
      auctionId: auction.auctionId,
      winner: winner?.name ?? null,
      highBid,
      bids: winner?.n ?? 0,
    });
    log.debug({show, auctionId: auction.auctionId, bids: winner?.n ?? 0}, 'auctions: closed');
    if (hooks && winner && highBid && winner.sub) {
      void hooks.send(`auction-won-${show}-${auction.auctionId}`, {
        type: 'auction.won',
        show,
        auctionId: auction.auctionId,
        productId: auction.productId,
        ...(auction.variantId !== undefined && {variantId: auction.variantId}),
        price: highBid,
        customer: winner.sub,
        name: winner.name,
      });
    }
  }

  /** Runs this node's close at `atMs` (again, later, when a bid moved the end). */
  function schedule(show: string, auctionId: string, atMs: number): void {
    if (stopped) return;
    const key = id(show, auctionId);
    const pending = timers.get(key);
    if (pending && pending.atMs >= atMs) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      timers.delete(key);
      const run = close(show, auctionId)
        .catch((error: unknown) => {
          if (error instanceof ShowInputError) return; // another auction is the show's now
          log.warn({err: error, show, auctionId}, 'auctions: the close failed; trying again');
          schedule(show, auctionId, Date.now() + CLOSE_RETRY_MS);
        })
        .finally(() => closing.delete(run));
      closing.add(run);
    }, Math.max(0, atMs - Date.now()));
    timer.unref();
    timers.set(key, {timer, atMs});
  }

  /** Every node holding a show closes its open auction at `endsAt` (as the log knows it; the chain may say later). */
  function watch(show: string, state: ShowState): void {
    const auction = state.auction;
    if (!auction || auction.closed || stopped) return;
    schedule(show, auction.auctionId, Date.parse(auction.endsAt));
  }

  const unwatch = logs.watch(watch);

  return {
    async open(show, body, options) {
      const current = (await logs.state(show, {fresh: true})).auction;
      if (current && !current.closed) {
        throw new ShowInputError(409, 'auction-open', `The auction ${current.auctionId} is still open: it closes at ${current.endsAt}.`, {auctionId: current.auctionId, endsAt: current.endsAt});
      }
      return logs.hostEvent(show, body, options);
    },
    bid,
    async result(show, auctionId, identity) {
      assertShow(show);
      checkEngagementId(auctionId, 'auction');
      const sub = customerSub(identity, 'An auction\'s result');
      const auction = await auctionOf(show, auctionId);
      const about = {auctionId, productId: auction.productId, ...(auction.variantId !== undefined && {variantId: auction.variantId})};
      const head = await headOf(show, auction);
      const closed = auction.closed === true || head.record?.kind === 'close';
      const winner = head.record?.kind === 'close' ? head.record.winner : null;
      if (closed && winner?.sub === sub) return {...about, closed, won: true, price: {amount: winner.amount, currencyCode: auction.startingBid.currencyCode}};
      return {...about, closed, won: false};
    },
    async stop() {
      stopped = true;
      unwatch();
      for (const {timer} of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...closing]);
    },
  };
}

/** `201`'s body for the bid `record`. */
function accepted(auction: Auction, record: BidRecord): BidAccepted {
  return {accepted: true, highBid: {amount: record.amount, currencyCode: auction.startingBid.currencyCode}, endsAt: record.endsAt, leading: true, bids: record.n};
}

const ended = () => new ShowInputError(410, 'ended', 'This auction has ended.');

/** The customer's `sub` of a viewer, or a 401 (`what` needs a signed-in customer). */
function customerSub(identity: ViewerIdentity, what: string): string {
  if (!identity.customer) throw new ShowInputError(401, 'unauthorized', `${what} needs a signed-in customer: send Authorization: Bearer <viewer token>.`);
  return identity.id.replace(/^customer:/, '');
}

/** The minor-unit digits of `currency` (2 for EUR, 0 for JPY). */
function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A bid's `amount`: a decimal string in the currency's digits, written with all of them ("22" → "22.00"); a 400 otherwise. */
export function bidAmount(value: unknown, currency: string): string {
  const digits = currencyDigits(currency);
  if (typeof value !== 'string' || !DECIMAL_AMOUNT.test(value) || (value.split('.')[1] ?? '').length > digits) {
    throw new ShowInputError(400, 'bad-field', `amount: a decimal string in ${currency} with at most ${digits} decimals is expected, e.g. "${digits ? `22.${'0'.repeat(digits)}` : '2200'}"`, {field: 'amount'});
  }
  const [whole, fraction = ''] = value.split('.');
  return digits ? `${BigInt(whole!).toString()}.${fraction.padEnd(digits, '0')}` : BigInt(whole!).toString();
}

function bidKeyOf(value: unknown): string {
  if (typeof value === 'string' && IDEMPOTENCY_KEY.test(value)) return value;
  throw new ShowInputError(400, 'bad-field', 'key: 1 to 128 characters of A-Z a-z 0-9 . _ ~ : + / = - (the same for a retry of the same bid)', {field: 'key'});
}

/** A customer's key as one KV token: another customer's same key is another bid. */
function keyToken(sub: string, key: string): string {
  return createHash('sha256').update(`${sub}\n${key}`).digest('base64url').slice(0, 22);
}

/** The head the log's state describes, when the chain's records are gone. */
function fromState(auction: Auction, n: number): BidRecord {
  return {kind: 'bid', n, amount: auction.highBid!.amount, sub: '', name: auction.bidder ?? DEFAULT_AUTHOR, key: '', endsAt: auction.endsAt};
}

/** A chain record, read defensively (never trusted to be well formed): null when it is not one. */
function parseRecord(value: string, n: number): ChainRecord | null {
  try {
    const raw = JSON.parse(value) as Record<string, unknown>;
    if (raw.kind === 'close') return {kind: 'close', n, winner: raw.winner ? parseBid(raw.winner as Record<string, unknown>) : null};
    return parseBid(raw);
  } catch {
    return null;
  }
}

function parseBid(r: Record<string, unknown>): BidRecord | null {
  const {n, amount, endsAt, name, sub, key} = r;
  if (r.kind !== 'bid' || !Number.isSafeInteger(n) || typeof amount !== 'string' || typeof endsAt !== 'string' || typeof name !== 'string') return null;
  return {kind: 'bid', n: n as number, amount, endsAt, name, sub: typeof sub === 'string' ? sub : '', key: typeof key === 'string' ? key : ''};
}
