/**
 * Giveaways (DESIGN.md §8.3 `giveaway.open` / `giveaway.winner`): one entry per customer, over every node,
 * and one draw — by the host, or by itself at `endsAt` — uniform among the entries.
 *
 * - One entry: an entry is a KV `create` of `giveaway-entry.<show>.<giveaway>.<customer>` holding the
 *   customer's `sub` and display name; a second entry of the same customer on any node is a 409.
 * - Closing: the draw first puts `giveaway-closed.<show>.<giveaway>`, then lists the entries. An entry
 *   creates its key and only then reads the marker, refusing itself (410) when it is there: so every entry
 *   that was answered 201 was created before the marker, and so before the list (the KV reads from one
 *   leader): the draw sees every accepted entry.
 * - One winner: each drawer picks with `crypto.randomInt` among the entries, then `create`s
 *   `giveaway-result.<show>.<giveaway>`; the first create wins and every drawer answers what it holds. The
 *   `giveaway.winner` event (the display name only) has the id `giveaway-winner-<show>-<giveaway>`, so the
 *   bus keeps one; every node holding the show draws at `endsAt` (ShowLogs.watch), whichever are up.
 * The result (with the winner's `sub`, for the host's fulfilment) lives in the shared KV: at least 6 hours
 * in cluster mode, until a restart in embedded mode.
 */
import {randomInt} from 'node:crypto';
import type {ShowBus} from '../bus/types.js';
import {BusConflictError} from '../bus/types.js';
import type {Giveaway, ShowState} from '../../core/schema.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import {DEFAULT_AUTHOR} from './chat.js';
import {assertShow, type EngagementLog} from './period.js';
import {checkEngagementId, closedError, createDeadlines, currentOf, notFound, skipRefusal, viewerKey} from './show-time.js';

/** A drawn winner: the customer's `sub` (for fulfilment; only the host sees it) and display name. */
export interface GiveawayWinner {
  id: string;
  name: string;
}

/** What a draw decided. */
export interface GiveawayResult {
  winner: GiveawayWinner | null;
  /** The number of entries drawn from. */
  entries: number;
}

/** What the host reads of a giveaway (`GET …/giveaways/{giveaway}`). */
export interface GiveawayReport {
  giveawayId: string;
  prize?: string;
  endsAt?: string;
  /** Entries so far, or drawn from. */
  entries: number;
  /** Once drawn: the winner (null when nobody entered). */
  winner?: GiveawayWinner | null;
  drawn: boolean;
}

/** Options of `createGiveaways`. */
export interface GiveawaysOptions {
  bus: ShowBus;
  logs: ShowLogs;
  log: EngagementLog;
}

/** A node's share of the giveaways. */
export interface Giveaways {
  /**
   * Enters `identity` (a customer) into `show`'s giveaway. Rejects with a `ShowInputError`: 401
   * `unauthorized` for an anonymous viewer, 404 `not-found`, 410 `closed`, 409 `already-entered`.
   */
  enter(show: string, giveawayId: string, identity: ViewerIdentity): Promise<void>;
  /** Draws the winner once (a later draw answers the same); 404 for a giveaway the show does not have. */
  draw(show: string, giveawayId: string): Promise<GiveawayResult>;
  /** The giveaway as the host sees it: entries, and the winner with their id once drawn. */
  report(show: string, giveawayId: string): Promise<GiveawayReport>;
  /** Stops drawing at `endsAt` on this node. */
  stop(): Promise<void>;
}

/** Starts this node's giveaways: entries, draws, and the draw at `endsAt`. */
export function createGiveaways({bus, logs, log}: GiveawaysOptions): Giveaways {
  const kv = bus.kv;
  const deadlines = createDeadlines(log, 'giveaways');
  let stopped = false;

  const keys = (show: string, giveawayId: string) => ({
    closed: `giveaway-closed.${show}.${giveawayId}`,
    entries: `giveaway-entry.${show}.${giveawayId}.`,
    result: `giveaway-result.${show}.${giveawayId}`,
  });

  /** The show's giveaway `giveawayId`, read again from the log when this node does not have it yet; else null. */
  async function giveawayOf(show: string, giveawayId: string): Promise<Giveaway | null> {
    return currentOf(logs, show, 'giveaway', giveawayId);
  }

  async function resultOf(show: string, giveawayId: string): Promise<GiveawayResult | null> {
    const entry = await kv.get(keys(show, giveawayId).result);
    return entry ? parseResult(entry.value) : null;
  }

  async function draw(show: string, giveawayId: string): Promise<GiveawayResult> {
    assertShow(show);
    checkEngagementId(giveawayId, 'giveaway');
    const k = keys(show, giveawayId);
    let result = await resultOf(show, giveawayId);
    if (!result) {
      const giveaway = await giveawayOf(show, giveawayId);
      if (!giveaway) throw notFound('giveaway', giveawayId);
      if (giveaway.winner !== undefined) {
        throw new ShowInputError(410, 'closed', 'This giveaway was drawn, and its result is no longer kept (the log still names the winner).');
      }
      await kv.put(k.closed, String(Date.now()));
      const entries = [...(await kv.list(k.entries)).values()].map((e) => parseEntry(e.value)).filter((e) => e !== null);
      const mine: GiveawayResult = {winner: entries.length ? entries[randomInt(entries.length)]! : null, entries: entries.length};
      try {
        await kv.create(k.result, JSON.stringify(mine));
        result = mine;
      } catch (error) {
        if (!(error instanceof BusConflictError)) throw error;
        // Another drawer got there first: its winner is the winner.
        result = (await resultOf(show, giveawayId)) ?? mine;
      }
    }
    await announce(show, giveawayId, result);
    return result;
  }

  /** Appends `giveaway.winner` unless this node's log already has it (the id keeps one if two race). */
  async function announce(show: string, giveawayId: string, result: GiveawayResult): Promise<void> {
    const giveaway = (await logs.state(show, {fresh: true})).giveaway;
    if (giveaway?.giveawayId === giveawayId && giveaway.winner !== undefined) return;
    await logs.serverEvent(show, {
      type: 'giveaway.winner',
      id: `giveaway-winner-${show}-${giveawayId}`,
      giveawayId,
      winner: result.winner?.name ?? null,
      entries: result.entries,
    });
  }

  /** Every node holding a show draws its open giveaway at `endsAt`. */
  function watch(show: string, state: ShowState): void {
    const giveaway = state.giveaway;
    if (!giveaway || giveaway.winner !== undefined || stopped) return;
    deadlines.at(show, giveaway.giveawayId, Date.parse(giveaway.endsAt), () => draw(show, giveaway.giveawayId).then(() => {}, skipRefusal));
  }

  const unwatch = logs.watch(watch);

  return {
    async enter(show, giveawayId, identity) {
      assertShow(show);
      checkEngagementId(giveawayId, 'giveaway');
      if (!identity.customer) {
        throw new ShowInputError(401, 'unauthorized', 'Entering a giveaway needs a signed-in customer: send Authorization: Bearer <viewer token>.');
      }
      const giveaway = await giveawayOf(show, giveawayId);
      if (!giveaway) throw notFound('giveaway', giveawayId);
      if (giveaway.winner !== undefined || Date.now() >= Date.parse(giveaway.endsAt)) throw closedError('giveaway');
      const k = keys(show, giveawayId);
      const entryKey = `${k.entries}${viewerKey(identity.id)}`;
      const sub = identity.id.replace(/^customer:/, '');
      try {
        await kv.create(entryKey, JSON.stringify({id: sub, name: identity.name || DEFAULT_AUTHOR}));
      } catch (error) {
        if (error instanceof BusConflictError) throw new ShowInputError(409, 'already-entered', 'You have already entered this giveaway.');
        throw error;
      }
      if (await kv.get(k.closed)) {
        // Drawn between the two: the draw may not have seen this entry, so it is no entry.
        await kv.delete(entryKey).catch(() => {});
        throw closedError('giveaway');
      }
    },
    draw,
    async report(show, giveawayId) {
      assertShow(show);
      checkEngagementId(giveawayId, 'giveaway');
      const giveaway = await giveawayOf(show, giveawayId);
      const result = await resultOf(show, giveawayId);
      if (!giveaway && !result) throw notFound('giveaway', giveawayId);
      const about = giveaway ? {prize: giveaway.prize, endsAt: giveaway.endsAt} : {};
      if (result) return {giveawayId, ...about, entries: result.entries, winner: result.winner, drawn: true};
      return {giveawayId, ...about, entries: (await kv.list(keys(show, giveawayId).entries)).size, drawn: false};
    },
    async stop() {
      stopped = true;
      unwatch();
      await deadlines.stop();
    },
  };
}

/** An entry record `{id, name}`, or null when it is not one (never trusted to be well formed). */
function parseEntry(value: string): GiveawayWinner | null {
  try {
    const {id, name} = JSON.parse(value) as {id?: unknown; name?: unknown};
    if (typeof id === 'string' && id && typeof name === 'string' && name) return {id, name};
  } catch {
    // fall through
  }
  return null;
}

function parseResult(value: string): GiveawayResult | null {
  try {
    const raw = JSON.parse(value) as {winner?: unknown; entries?: unknown};
    const winner = raw.winner === null ? null : parseEntry(JSON.stringify(raw.winner));
    if (Number.isSafeInteger(raw.entries) && (raw.winner === null || winner)) return {winner, entries: raw.entries as number};
  } catch {
    // fall through
  }
  return null;
}
