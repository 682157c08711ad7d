/**
 * What the periodic engagement aggregates (presence, reactions) share: ticks on clock-aligned period
 * boundaries, a one-winner claim per period through the shared KV, and deferred removal of the keys they
 * write. Every node computes the same period index from its own clock, so with clocks a few milliseconds
 * apart (NTP) the nodes tick together and compete for the same claim.
 */
import type {Logger} from 'pino';
import {BusConflictError, SHOW_ID, type SharedKv} from '../bus/types.js';

/** The logger the engagement parts write to (a pino logger). */
export type EngagementLog = Pick<Logger, 'warn' | 'debug'>;

/** A node id as one KV key token: NATS keys split on `.`, and only `[A-Za-z0-9_-]` is safe in every store. */
export const keyPart = (node: string): string => node.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_';

/** Refuses a show id the HTTP edge should never have passed (it would break the KV key layout). */
export function assertShow(show: string): void {
  if (!SHOW_ID.test(show)) throw new TypeError(`kolkit engagement: bad show id ${JSON.stringify(show)}`);
}

/**
 * Claims `key` for this node: true for exactly one caller across all nodes. Built on the KV's `create`, which
 * stays serialized on a replicated NATS 2.9 bucket where `update(revision)` does not (see docs/server.md).
 * Each claim key is used once (one per show per period), never re-created after its removal.
 */
export async function claim(kv: SharedKv, key: string, node: string): Promise<boolean> {
  try {
    await kv.create(key, node);
    return true;
  } catch (error) {
    if (error instanceof BusConflictError) return false;
    throw error;
  }
}

/**
 * Resolves at `epochMs` on the wall clock (at once if that has passed). Background waits do not keep the
 * process alive; a shutdown's do (`keepAlive`), so what it still has to send is sent.
 */
export function sleepUntil(epochMs: number, keepAlive = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, epochMs - Date.now()));
    if (!keepAlive) timer.unref();
  });
}

/** A clock-aligned periodic task; `stop` waits for a run in progress. */
export interface Ticker {
  stop(): Promise<void>;
}

/**
 * Calls `run(index)` just after every multiple of `periodMs` on the wall clock (`index` = that multiple / periodMs).
 * A run still going at the next boundary makes that boundary skip (a slow bus must not pile runs up).
 */
export function tickEvery(periodMs: number, run: (index: number) => Promise<void>, log: EngagementLog, what: string): Ticker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    // A few ms past the boundary, so a timer firing early still computes the new index.
    timer = setTimeout(fire, periodMs - (Date.now() % periodMs) + 2);
    timer.unref();
  };
  const fire = () => {
    const index = Math.floor(Date.now() / periodMs);
    if (running) {
      log.debug({what, index}, 'engagement tick skipped: the previous one is still running');
    } else {
      running = run(index)
        .catch((error: unknown) => log.warn({err: error, what, index}, 'engagement tick failed'))
        .finally(() => (running = undefined));
    }
    schedule();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Removes KV keys a while after they were written, and all at once on close. */
export interface Janitor {
  /** Removes `key` once `dueMs` (epoch ms) has passed. */
  later(key: string, dueMs: number): void;
  /** Removes every key that is due now. */
  sweep(): Promise<void>;
  /** Removes every key still pending, due or not. */
  flush(): Promise<void>;
}

/** A janitor over `kv`; a removal that fails is logged and dropped (the bucket's own expiry is the backstop). */
export function createJanitor(kv: SharedKv, log: EngagementLog): Janitor {
  let pending: Array<{key: string; dueMs: number}> = [];
  const remove = async (keys: string[]) => {
    const results = await Promise.allSettled(keys.map((key) => kv.delete(key)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed) log.warn({failed}, 'engagement: some KV keys could not be removed');
  };
  return {
    later(key, dueMs) {
      pending.push({key, dueMs});
    },
    async sweep() {
      const now = Date.now();
      const due = pending.filter((p) => p.dueMs <= now);
      if (!due.length) return;
      pending = pending.filter((p) => p.dueMs > now);
      await remove(due.map((p) => p.key));
    },
    async flush() {
      const all = pending;
      pending = [];
      await remove(all.map((p) => p.key));
    },
  };
}
