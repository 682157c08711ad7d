/**
 * What polls, giveaways, auctions and group buys share: a viewer's KV key token, the one the show has now, the
 * timers that act at its `endsAt` on every node that holds the show, and the refusals a viewer's action gets.
 */
import {createHash} from 'node:crypto';
import type {ShowState} from '../../core/schema.js';
import {ENGAGEMENT_ID} from '../host-event.js';
import {ShowInputError, type ShowLogs} from '../types.js';
import type {EngagementLog} from './period.js';

/**
 * A viewer id as one KV key token: 22 characters of base64url over SHA-256 (the id may hold `:` and is
 * the viewer's; the key only needs to be the same for the same viewer on every node).
 */
export function viewerKey(viewerId: string): string {
  return createHash('sha256').update(viewerId).digest('base64url').slice(0, 22);
}

/** What a viewer acts on at a show's time: a poll, a giveaway, an auction, a group buy. */
export type EngagementKind = 'poll' | 'giveaway' | 'auction' | 'group';

/** The poll or giveaway id of a path, or a 404 (an id that cannot exist names nothing). */
export function checkEngagementId(id: string, what: EngagementKind): string {
  if (ENGAGEMENT_ID.test(id)) return id;
  throw notFound(what, id);
}

/** `404 not-found` for a poll or giveaway this show does not have (now). */
export function notFound(what: EngagementKind, id: string): ShowInputError {
  const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
  return new ShowInputError(404, 'not-found', `This show has no ${what} ${JSON.stringify(shown)} open or last opened.`, {[`${what}Id`]: shown});
}

/** The show's current poll, giveaway, auction or group buy, as the state holds it. */
type Current<K extends EngagementKind> = NonNullable<ShowState[K]>;

/**
 * The show's current `what` when its id (`pollId`, `giveawayId`…) is `id`: from this node's state, read again
 * from the log when this node does not have it yet (another node may have stored its open a moment ago), or
 * from the log at once with `fresh`. Null when the show's current one is another, or none.
 */
export async function currentOf<K extends EngagementKind>(
  logs: Pick<ShowLogs, 'state'>, show: string, what: K, id: string, {fresh = false} = {},
): Promise<Current<K> | null> {
  const ifCurrent = (state: ShowState) => {
    const current = state[what] as Current<K> | undefined;
    return current && (current as unknown as Record<string, unknown>)[`${what}Id`] === id ? current : null;
  };
  const current = ifCurrent(await logs.state(show, {fresh}));
  return current ?? (fresh ? null : ifCurrent(await logs.state(show, {fresh: true})));
}

/** `410 closed`. */
export function closedError(what: 'poll' | 'giveaway'): ShowInputError {
  return new ShowInputError(410, 'closed', what === 'poll' ? 'This poll is closed.' : 'This giveaway is closed.');
}

/**
 * For a run at `endsAt`: a refusal (the show opened another poll or giveaway since, so this one is no
 * longer the show's) means there is nothing to do; anything else is a failure, thrown on.
 */
export function skipRefusal(error: unknown): void {
  if (!(error instanceof ShowInputError)) throw error;
}

/**
 * One timer per (show, id) that runs `run` at a given epoch ms on this node (at once when past), never
 * twice for the same pair; the timers do not keep the process alive.
 */
export interface Deadlines {
  /** Runs `run` at `atMs` unless this (show, id) already has one. */
  at(show: string, id: string, atMs: number, run: () => Promise<void>): void;
  /** Cancels every pending timer and waits for runs under way. */
  stop(): Promise<void>;
}

/** Longest single setTimeout Node takes (about 24.8 days); a poll lasts an hour at most. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function createDeadlines(log: EngagementLog, what: string): Deadlines {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  return {
    at(show, id, atMs, run) {
      const key = `${show}\n${id}`;
      if (stopped || timers.has(key)) return;
      const timer = setTimeout(() => {
        const done = run()
          .catch((error: unknown) => {
            log.warn({err: error, show, id}, `${what}: the run at its end failed; the show's next change tries again`);
            timers.delete(key);
          })
          .finally(() => running.delete(done));
        running.add(done);
      }, Math.min(MAX_TIMEOUT_MS, Math.max(0, atMs - Date.now())));
      timer.unref();
      // The key stays after a run that worked: the same (show, id) is not run twice on this node.
      timers.set(key, timer);
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
