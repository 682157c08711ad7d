/**
 * Polls (DESIGN.md §8.3 `poll.open` / `poll.update` / `poll.close`): one vote per viewer, counted over every
 * node, closed once at `endsAt` (or earlier by the host) with the final counts.
 *
 * - One vote: a vote is a KV `create` of `poll-vote.<show>.<poll>.<viewer>` (exact on nats-server 2.9.10 R3,
 *   where `update(revision)` is not), so a second vote from the same viewer on any node is a 409.
 * - Counts: each node keeps its own cumulative counts per poll and writes them, when they changed, into
 *   its own key `poll-count.<show>.<poll>.<node>` at each period's end (one writer, a plain put). Half a
 *   period later every node that had votes tries to claim `poll-pub.<show>.<poll>.<period>`; the one
 *   winner sums the nodes' keys and appends `poll.update` (at most one per period: two a second).
 * - Closing: the closer first puts `poll-closed.<show>.<poll>`. A vote creates its key and only then reads
 *   that marker, refusing itself (410) when it is there: so a vote that went through was created before
 *   the marker, and its node counts it in memory at once and writes it within a period. The closer waits
 *   two periods and a half for those writes, sums, and appends `poll.close` with the id
 *   `poll-close-<show>-<poll>`. Every node holding the show runs this at `endsAt` (ShowLogs.watch tells
 *   them of the poll); the bus keeps one event per id, and a node that finds the close in the log already
 *   appends nothing.
 */
import type {ShowBus, LoggedEvent} from '../bus/types.js';
import {BusConflictError} from '../bus/types.js';
import type {Poll, ShowState} from '../../core/schema.js';
import {MAX_POLL_OPTIONS} from '../../core/schema.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import {assertShow, claim, createJanitor, keyPart, sleepUntil, tickEvery, type EngagementLog} from './period.js';
import {checkEngagementId, closedError, createDeadlines, currentOf, notFound, skipRefusal, viewerKey} from './show-time.js';

/** How long a poll's KV keys are kept after its end (then removed; the log keeps the poll). */
const KEEP_AFTER_END_MS = 10 * 60_000;

/** Options of `createPolls`. */
export interface PollsOptions {
  bus: ShowBus;
  logs: ShowLogs;
  /** This node's id (unique among the nodes; made KV-safe here). */
  node: string;
  log: EngagementLog;
  /** The counting period: at most one `poll.update` per poll per period. Default 500 ms. */
  periodMs?: number;
}

/** A node's share of the polls. */
export interface Polls {
  /**
   * Counts `identity`'s vote `{option}` (a 0-based index) in `show`'s poll `pollId`. Rejects with a
   * `ShowInputError`: 404 `not-found` (not the show's poll), 410 `closed`, 400 `bad-field` (option), 409
   * `already-voted`.
   */
  vote(show: string, pollId: string, body: unknown, identity: ViewerIdentity): Promise<void>;
  /**
   * The host's `{type: 'poll.close', pollId}`: closes the poll now and answers the stored `poll.close` with
   * the final counts. 400 without a `pollId`, 404 for a poll the show does not have, 410 when it is closed.
   */
  closeByHost(show: string, body: Record<string, unknown>): Promise<LoggedEvent>;
  /** Stops counting and closing; writes the counts this node still holds. */
  stop(): Promise<void>;
}

/** This node's cumulative counts of one poll. */
interface Tally {
  show: string;
  pollId: string;
  counts: number[];
  /** Changed since last written. */
  dirty: boolean;
  endsAt: number;
  /** This node's key as it was before (a restarted node goes on from its own count). */
  ready: Promise<void>;
}

/** Starts this node's polls: counting, updates, and closing at `endsAt`. */
export function createPolls({bus, logs, node, log, periodMs = 500}: PollsOptions): Polls {
  const kv = bus.kv;
  const me = keyPart(node);
  const janitor = createJanitor(kv, log);
  const deadlines = createDeadlines(log, 'polls');
  const settleMs = Math.round(periodMs / 2);
  const graceMs = 2 * periodMs + settleMs;
  const tallies = new Map<string, Tally>();
  let stopped = false;

  const keys = (show: string, pollId: string) => ({
    closed: `poll-closed.${show}.${pollId}`,
    counts: `poll-count.${show}.${pollId}.`,
    own: `poll-count.${show}.${pollId}.${me}`,
  });

  /** The show's poll `pollId`, read again from the log when this node does not have it yet; else a 404. */
  async function pollOf(show: string, pollId: string): Promise<Poll> {
    const poll = await currentOf(logs, show, 'poll', pollId);
    if (!poll) throw notFound('poll', pollId);
    return poll;
  }

  function tallyOf(show: string, pollId: string, poll: Poll): Tally {
    const id = `${show}\n${pollId}`;
    let tally = tallies.get(id);
    if (!tally) {
      const created: Tally = {show, pollId, counts: poll.options.map(() => 0), dirty: false, endsAt: Date.parse(poll.endsAt), ready: Promise.resolve()};
      created.ready = kv.get(keys(show, pollId).own).then(
        (entry) => {
          if (entry) created.counts = added(created.counts, parseCounts(entry.value, created.counts.length));
        },
        (error: unknown) => log.warn({err: error, show, pollId}, 'polls: this node\'s earlier count could not be read; counting from zero'),
      );
      tallies.set(id, (tally = created));
    }
    return tally;
  }

  /** Writes this node's changed counts of one poll into its own key. */
  async function write(tally: Tally): Promise<void> {
    await tally.ready;
    if (!tally.dirty) return;
    tally.dirty = false;
    try {
      await kv.put(keys(tally.show, tally.pollId).own, JSON.stringify(tally.counts));
    } catch (error) {
      tally.dirty = true;
      throw error;
    }
    janitor.later(keys(tally.show, tally.pollId).own, tally.endsAt + KEEP_AFTER_END_MS);
  }

  /** Every node's counts of one poll, summed. */
  async function sum(show: string, pollId: string, length: number): Promise<number[]> {
    let total = new Array<number>(length).fill(0);
    for (const entry of (await kv.list(keys(show, pollId).counts)).values()) total = added(total, parseCounts(entry.value, length));
    return total;
  }

  /** Writes `period`'s changed counts, waits for the other nodes', then sends one `poll.update` per poll. */
  async function tick(index: number): Promise<void> {
    const period = index - 1;
    const changed = [...tallies.values()].filter((t) => t.dirty);
    const written = await Promise.allSettled(changed.map(write));
    written.forEach((r, i) => r.status === 'rejected' && log.warn({err: r.reason, show: changed[i].show}, 'polls: counts were not written'));
    if (changed.length) {
      await sleepUntil((period + 1) * periodMs + settleMs);
      const sent = await Promise.allSettled(changed.map((t) => publish(t, period)));
      sent.forEach((r, i) => r.status === 'rejected' && log.warn({err: r.reason, show: changed[i].show}, 'polls: an update was not sent'));
    }
    // A tally is kept until its poll is well over (a late close still finds its counts written).
    for (const [id, tally] of tallies) if (!tally.dirty && Date.now() > tally.endsAt + KEEP_AFTER_END_MS) tallies.delete(id);
    await janitor.sweep();
  }

  async function publish(tally: Tally, period: number): Promise<void> {
    const {show, pollId} = tally;
    const poll = (await logs.state(show)).poll;
    if (poll?.pollId !== pollId || poll.closed) return;
    const claimKey = `poll-pub.${show}.${pollId}.${period}`;
    if (!(await claim(kv, claimKey, me))) return;
    janitor.later(claimKey, Date.now() + KEEP_AFTER_END_MS);
    const counts = await sum(show, pollId, poll.options.length);
    // The id makes a second append for this period (were there ever two winners) a duplicate the bus drops.
    await logs.serverEvent(show, {type: 'poll.update', id: `poll-update-${show}-${pollId}-${period}`, pollId, counts});
  }

  /** Closes `show`'s poll `pollId` (see the file's note); null when it was closed already. */
  async function close(show: string, pollId: string): Promise<LoggedEvent | null> {
    const poll = await pollOf(show, pollId);
    if (poll.closed) return null;
    const k = keys(show, pollId);
    await kv.put(k.closed, String(Date.now()));
    janitor.later(k.closed, Date.parse(poll.endsAt) + KEEP_AFTER_END_MS);
    const own = tallies.get(`${show}\n${pollId}`);
    if (own) await write(own);
    // The votes other nodes took before the marker are written at their next period's end.
    await sleepUntil(Date.now() + graceMs, true);
    const latest = (await logs.state(show, {fresh: true})).poll;
    if (latest?.pollId === pollId && latest.closed) return null;
    // Counts only grow: the last update the log holds is a floor (should a node's key be gone already).
    const counts = atLeast(await sum(show, pollId, poll.options.length), poll.counts);
    return logs.serverEvent(show, {type: 'poll.close', id: `poll-close-${show}-${pollId}`, pollId, counts});
  }

  /** Every node holding a show closes its open poll at `endsAt`. */
  function watch(show: string, state: ShowState): void {
    const poll = state.poll;
    if (!poll || poll.closed || stopped) return;
    deadlines.at(show, poll.pollId, Date.parse(poll.endsAt), () => close(show, poll.pollId).then(() => {}, skipRefusal));
  }

  const unwatch = logs.watch(watch);
  const ticker = tickEvery(periodMs, tick, log, 'polls');

  return {
    async vote(show, pollId, body, identity) {
      assertShow(show);
      checkEngagementId(pollId, 'poll');
      const poll = await pollOf(show, pollId);
      if (poll.closed || Date.now() >= Date.parse(poll.endsAt)) throw closedError('poll');
      const option = validateOption(body, poll.options.length);
      const k = keys(show, pollId);
      const voteKey = `poll-vote.${show}.${pollId}.${viewerKey(identity.id)}`;
      try {
        await kv.create(voteKey, String(option));
      } catch (error) {
        if (error instanceof BusConflictError) throw new ShowInputError(409, 'already-voted', 'You have already voted in this poll.');
        throw error;
      }
      janitor.later(voteKey, Date.parse(poll.endsAt) + KEEP_AFTER_END_MS);
      if (await kv.get(k.closed)) {
        // Closed between the two: this vote is not counted, so it must not hold the viewer's place either.
        await kv.delete(voteKey).catch(() => {});
        throw closedError('poll');
      }
      const tally = tallyOf(show, pollId, poll);
      await tally.ready;
      tally.counts[option] = (tally.counts[option] ?? 0) + 1;
      tally.dirty = true;
    },
    async closeByHost(show, body) {
      const pollId = body.pollId;
      if (typeof pollId !== 'string' || !pollId) throw new ShowInputError(400, 'bad-field', 'pollId: the id of the poll to close is required', {field: 'pollId'});
      checkEngagementId(pollId, 'poll');
      const entry = await close(show, pollId);
      if (!entry) throw closedError('poll');
      return entry;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unwatch();
      await ticker.stop();
      await deadlines.stop();
      const left = [...tallies.values()].filter((t) => t.dirty);
      const results = await Promise.allSettled(left.map(write));
      results.forEach((r) => r.status === 'rejected' && log.warn({err: r.reason}, 'polls: the last counts were not written'));
      // Vote keys stay: other nodes still refuse a second vote with them (the bucket's age limit removes them).
    },
  };
}

/** The option of a vote body `{option}`: an integer index into the poll's options; a 400 naming `option` otherwise. */
export function validateOption(body: unknown, optionCount: number): number {
  const option = body && typeof body === 'object' ? (body as {option?: unknown}).option : undefined;
  if (Number.isInteger(option) && (option as number) >= 0 && (option as number) < optionCount) return option as number;
  throw new ShowInputError(400, 'bad-field', `option must be the index of one of the poll's options: 0 to ${optionCount - 1}`, {field: 'option', options: optionCount});
}

/** A node's counts record, keeping sane counts only (never trusted to be well formed). */
function parseCounts(value: string, length: number): number[] {
  const counts = new Array<number>(length).fill(0);
  try {
    const raw = JSON.parse(value) as unknown;
    if (Array.isArray(raw)) {
      for (let i = 0; i < Math.min(length, MAX_POLL_OPTIONS); i++) {
        const n = raw[i];
        if (Number.isSafeInteger(n) && (n as number) > 0) counts[i] = n as number;
      }
    }
  } catch {
    // a record that is not JSON counts nothing
  }
  return counts;
}

const added = (a: number[], b: number[]) => a.map((n, i) => n + (b[i] ?? 0));
const atLeast = (a: number[], floor: number[]) => a.map((n, i) => Math.max(n, floor[i] ?? 0));
