/**
 * Reactions (DESIGN.md §8.3 `reactions.update`): hearts and the like, summed per period across every node
 * and sent as one event per period with reactions — never one event per heart.
 *
 * Each node counts its viewers' reactions per show and kind during a period. At the period's end it writes
 * that period's counts into its own KV key (`reactions.<show>.<period>.<node>`: one writer, a plain put).
 * Half a period later — time for the other nodes' writes to land — every node that had reactions tries to
 * claim `reactions-pub.<show>.<period>` with a KV create; the one winner sums the nodes' keys and appends
 * `reactions.update {counts, total}`. So a show gets at most one event per period (two a second by default),
 * about one period after the reactions, whatever the number of nodes.
 *
 * Why not one shared record per period updated by compare-and-set: on a replicated bucket of NATS 2.9
 * (before 2.9.21) concurrent `update(revision)` calls can all succeed, losing counts; `create` stays exact.
 */
import type {ShowBus} from '../bus/types.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import {assertShow, claim, createJanitor, keyPart, sleepUntil, tickEvery, type EngagementLog} from './period.js';
import {REACTION_KINDS, type ReactionKind} from '../../core/reaction-kinds.js';

export {REACTION_KINDS, type ReactionKind};
const KINDS = new Set<string>(REACTION_KINDS);

/** How many periods a period's keys are kept before their writers remove them. */
const KEEP_PERIODS = 8;
/** Shows one node counts reactions for in one period; past it a period's reactions are dropped (and logged). */
const MAX_SHOWS_PER_PERIOD = 10_000;

/** The kind of a `POST /v1/shows/{show}/reactions` body `{kind}`; a 400 naming `kind` otherwise. */
export function validateReaction(body: unknown): ReactionKind {
  const kind = body && typeof body === 'object' ? (body as {kind?: unknown}).kind : undefined;
  if (typeof kind === 'string' && KINDS.has(kind)) return kind as ReactionKind;
  throw new ShowInputError(400, 'bad-field', `kind must be one of ${REACTION_KINDS.join(', ')}`, {field: 'kind', allowed: REACTION_KINDS});
}

/** Options of `createReactions`. */
export interface ReactionsOptions {
  bus: ShowBus;
  logs: ShowLogs;
  /** This node's id (unique among the nodes; made KV-safe here). */
  node: string;
  log: EngagementLog;
  /** The period reactions are summed over: at most one `reactions.update` per show per period. Default 500 ms. */
  periodMs?: number;
}

/** A node's share of the reactions. */
export interface Reactions {
  /** Counts one reaction in the current period; throws `validateReaction`'s 400 for an unknown `kind`. */
  add(show: string, kind: string, identity: ViewerIdentity): void;
  /** Stops taking reactions, sends the ones already taken, then stops. */
  close(): Promise<void>;
}

type Counts = Partial<Record<ReactionKind, number>>;

/** Starts summing this node's reactions into the shared per-period `reactions.update`. */
export function createReactions({bus, logs, node, log, periodMs = 500}: ReactionsOptions): Reactions {
  const kv = bus.kv;
  const me = keyPart(node);
  const janitor = createJanitor(kv, log);
  const settleMs = Math.round(periodMs / 2);
  /** This period's counts per show. */
  let current = new Map<string, Counts>();
  let dropped = 0;
  let closed = false;

  /** Writes the counts of `period` (which just ended), waits for the other nodes' writes, then publishes. */
  async function tick(index: number, keepAlive = false): Promise<void> {
    const period = index - 1;
    const taken = current;
    current = new Map();
    if (dropped) log.warn({dropped, period}, `reactions: more than ${MAX_SHOWS_PER_PERIOD} shows in one period; some were dropped`);
    dropped = 0;
    if (taken.size) {
      const due = Date.now() + KEEP_PERIODS * periodMs;
      const writes = await Promise.allSettled(
        [...taken].map(async ([show, counts]) => {
          const key = `reactions.${show}.${period}.${me}`;
          await kv.put(key, JSON.stringify(counts));
          janitor.later(key, due);
        }),
      );
      report(writes, [...taken.keys()], 'reactions: a period was not written');
      await sleepUntil((period + 1) * periodMs + settleMs, keepAlive);
      const shows = [...taken.keys()];
      report(await Promise.allSettled(shows.map((show) => publish(show, period))), shows, 'reactions: a period was not sent');
    }
    await janitor.sweep();
  }

  /** Sends `period`'s sum for `show` if this node wins the claim. */
  async function publish(show: string, period: number): Promise<void> {
    const claimKey = `reactions-pub.${show}.${period}`;
    if (!(await claim(kv, claimKey, me))) return;
    janitor.later(claimKey, Date.now() + KEEP_PERIODS * periodMs);
    const counts: Counts = {};
    let total = 0;
    for (const entry of (await kv.list(`reactions.${show}.${period}.`)).values()) {
      for (const [kind, n] of Object.entries(parseCounts(entry.value))) {
        counts[kind as ReactionKind] = (counts[kind as ReactionKind] ?? 0) + n;
        total += n;
      }
    }
    // The id makes a second append for this period (were there ever two winners) a duplicate the bus drops.
    if (total > 0) await logs.serverEvent(show, {type: 'reactions.update', id: `reactions-${show}-${period}`, counts, total});
  }

  function report(results: PromiseSettledResult<unknown>[], shows: string[], message: string): void {
    results.forEach((result, i) => {
      if (result.status === 'rejected') log.warn({err: result.reason, show: shows[i]}, message);
    });
  }

  const ticker = tickEvery(periodMs, (index) => tick(index), log, 'reactions');

  return {
    add(show, kind, _identity) {
      // `_identity` is the seam for per-viewer limits beyond the HTTP edge's rate limit (next issues).
      assertShow(show);
      const known = validateReaction({kind});
      if (closed) return;
      let counts = current.get(show);
      if (!counts) {
        if (current.size >= MAX_SHOWS_PER_PERIOD) return void dropped++;
        current.set(show, (counts = {}));
      }
      counts[known] = (counts[known] ?? 0) + 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      await ticker.stop();
      // The period in progress ends at its boundary: run its tick then (it publishes), as the ticker would have.
      if (current.size) {
        const index = Math.floor(Date.now() / periodMs) + 1;
        await sleepUntil(index * periodMs + 2, true);
        await tick(index, true).catch((error: unknown) => log.warn({err: error}, 'reactions: the last period was not sent'));
        // Another node may have won that period's claim at the same moment: let it read our key first.
        await sleepUntil(Date.now() + settleMs, true);
      }
      await janitor.flush();
    },
  };
}

/** A node's record of one period, keeping only known kinds with sane counts (never trusted to be well formed). */
function parseCounts(value: string): Counts {
  const counts: Counts = {};
  try {
    const raw = JSON.parse(value) as Record<string, unknown>;
    for (const kind of REACTION_KINDS) {
      const n = raw?.[kind];
      if (Number.isSafeInteger(n) && (n as number) > 0) counts[kind] = n as number;
    }
  } catch {
    // a record that is not JSON counts nothing
  }
  return counts;
}
