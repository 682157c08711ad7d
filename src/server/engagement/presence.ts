/**
 * The viewer count (DESIGN.md §8.3 `viewers.update`): open SSE connections, summed over every node.
 *
 * Each node counts its own connections per show and, every period, writes that count with the time into its
 * own KV key (`presence.<show>.<node>`: one writer per key, so a plain put). Then every node watching the
 * show tries to claim `presence-tick.<show>.<period>` with a KV create; the one winner sums the counts written
 * in the last two periods (so a node that died without saying so drops out two to three periods later) and
 * appends `viewers.update` only when the sum differs from the last one published (`presence-last.<show>`):
 * an unchanged count would only cost every viewer a message.
 */
import type {ShowBus} from '../bus/types.js';
import type {ShowLogs} from '../types.js';
import {assertShow, claim, createJanitor, keyPart, tickEvery, type EngagementLog} from './period.js';

/** How many periods a won claim key is kept, so a node a little late cannot claim that period again. */
const KEEP_CLAIMS = 4;
/** A node's count older than this many periods is a dead node's, and left out of the sum. */
const FRESH_PERIODS = 2;

/** Options of `createPresence`. */
export interface PresenceOptions {
  bus: ShowBus;
  logs: ShowLogs;
  /** This node's id (unique among the nodes; made KV-safe here). */
  node: string;
  log: EngagementLog;
  /** The count's period: at most one `viewers.update` per show per period. Default 5000 ms. */
  periodMs?: number;
}

/** A node's share of the viewer count. */
export interface Presence {
  /** Counts one viewer connection to `show`; call the answer (once) when it closes. */
  open(show: string): () => void;
  /** Stops counting; this node's counts leave the sum at once. */
  close(): Promise<void>;
}

/** Starts counting this node's viewers into the shared count. */
export function createPresence({bus, logs, node, log, periodMs = 5000}: PresenceOptions): Presence {
  const kv = bus.kv;
  const me = keyPart(node);
  const janitor = createJanitor(kv, log);
  /** Open connections per show. A show stays here while it has viewers, and for one tick after (to write 0). */
  const counts = new Map<string, number>();
  let closed = false;

  const ownKey = (show: string) => `presence.${show}.${me}`;

  async function tickShow(show: string, count: number, index: number): Promise<void> {
    // No viewers left: remove the key rather than write 0 (nothing left behind for a show nobody watches).
    if (count > 0) await kv.put(ownKey(show), JSON.stringify({count, at: Date.now()}));
    else await kv.delete(ownKey(show));
    const tickKey = `presence-tick.${show}.${index}`;
    if (!(await claim(kv, tickKey, me))) return;
    janitor.later(tickKey, Date.now() + KEEP_CLAIMS * periodMs);
    const total = await sum(show);
    const last = await kv.get(`presence-last.${show}`);
    if (last && Number(last.value) === total) return;
    // The id makes a second append for this period (were there ever two winners) a duplicate the bus drops.
    await logs.serverEvent(show, {type: 'viewers.update', id: `viewers-${show}-${index}`, count: total});
    await kv.put(`presence-last.${show}`, String(total));
  }

  /** The fresh counts of every node for `show`. */
  async function sum(show: string): Promise<number> {
    const freshSince = Date.now() - FRESH_PERIODS * periodMs;
    let total = 0;
    for (const entry of (await kv.list(`presence.${show}.`)).values()) {
      const record = parseCount(entry.value);
      if (record && record.at >= freshSince) total += record.count;
    }
    return total;
  }

  async function tick(index: number): Promise<void> {
    const shows = [...counts];
    for (const [show, count] of shows) if (count === 0) counts.delete(show);
    const results = await Promise.allSettled(shows.map(([show, count]) => tickShow(show, count, index)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') log.warn({err: result.reason, show: shows[i][0]}, 'viewer count: this period was skipped');
    });
    await janitor.sweep();
  }

  const ticker = tickEvery(periodMs, tick, log, 'presence');

  return {
    open(show) {
      assertShow(show);
      if (closed) return () => {};
      counts.set(show, (counts.get(show) ?? 0) + 1);
      let released = false;
      return () => {
        if (released || closed) return;
        released = true;
        counts.set(show, (counts.get(show) ?? 1) - 1);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await ticker.stop();
      // Leave the sum now rather than after the freshness window; the next winner publishes the drop.
      for (const show of counts.keys()) janitor.later(ownKey(show), 0);
      counts.clear();
      await janitor.flush();
    },
  };
}

/** A node's record `{count, at}`, or null when it is not one (never trusted to be well formed). */
function parseCount(value: string): {count: number; at: number} | null {
  try {
    const {count, at} = JSON.parse(value) as {count?: unknown; at?: unknown};
    if (Number.isSafeInteger(count) && (count as number) >= 0 && typeof at === 'number') return {count: count as number, at};
  } catch {
    // fall through
  }
  return null;
}
