/**
 * The request ranking (DESIGN.md §8.3 `requests.update`, §10 "the live request ranking `#7 ×43`"): how often
 * viewers mentioned each product (`#N`) over a sliding window (5 minutes by default), summed over every node,
 * sent to the host's stream only — never into the show's log, so viewers never get it.
 *
 * Each node counts the mentions its viewers sent, per show, in buckets of `bucketMs` (10 s), and once a
 * second writes the buckets still in the window into its own KV key (`requests.<show>.<node>`: one writer, a
 * plain put; removed when its buckets aged out). Every node with host streams on a show reads the show's keys
 * once a second (one `list`), sums the buckets inside the window, and sends `requests.update {top}` to its
 * host streams when the top ten changed: at most one per second. A host that connects gets the current
 * ranking at once. Each node ranks for its own hosts, so no claim is needed: the sum is the same everywhere.
 */
import type {ShowEvent} from '../../core/schema.js';
import {MAX_REQUESTS, type ChatMention} from '../../core/schema.js';
import type {SharedKv} from '../bus/types.js';
import {stampServerEvent} from '../host-event.js';
import {assertShow, keyPart, tickEvery, type EngagementLog} from './period.js';

/** Options of `createRequests`. */
export interface RequestsOptions {
  kv: SharedKv;
  /** This node's id (unique among the nodes; made KV-safe here). */
  node: string;
  log: EngagementLog;
  /** The sliding window mentions count over (default 5 minutes). */
  windowMs?: number;
  /** The window's granularity (default 10 s): a mention leaves the ranking between `windowMs` and `windowMs + bucketMs` after it. */
  bucketMs?: number;
  /** How often counts are written and rankings sent when changed (default 1000 ms). */
  periodMs?: number;
}

/** One product of the ranking. */
export interface RequestRank {
  label: string;
  productId: string;
  count: number;
}

/** A node's share of the request ranking. */
export interface Requests {
  /** Counts the mentions of one chat message (forwarded or not). */
  count(show: string, mentions: readonly ChatMention[]): void;
  /** The host feed (http/services.ts `HostFeed`): the current ranking at once, then each change. */
  feed(show: string, send: (event: ShowEvent) => void): () => void;
  /** Stops; this node's counts leave the ranking. */
  close(): Promise<void>;
}

/** Per bucket index, per product: `[label, count]`. */
type Buckets = Record<string, Record<string, [string, number]>>;

/** Starts counting this node's mentions into the shared ranking. */
export function createRequests({kv, node, log, windowMs = 5 * 60_000, bucketMs = 10_000, periodMs = 1000}: RequestsOptions): Requests {
  const me = keyPart(node);
  /** This node's counts per show. */
  const local = new Map<string, Buckets>();
  /** Shows whose counts changed since they were last written. */
  const dirty = new Set<string>();
  /** Host listeners per show. */
  const listeners = new Map<string, Set<(event: ShowEvent) => void>>();
  /** The last ranking sent per show (its JSON, to see a change), and the event. */
  const last = new Map<string, {json: string; event: ShowEvent}>();
  let closed = false;

  const oldestBucket = (now: number) => Math.floor((now - windowMs) / bucketMs) + 1;
  const ownKey = (show: string) => `requests.${show}.${me}`;

  /** Drops buckets that left the window; true when some counts are left. */
  function trim(buckets: Buckets, now: number): boolean {
    const oldest = oldestBucket(now);
    for (const index of Object.keys(buckets)) if (Number(index) < oldest) delete buckets[index];
    return Object.keys(buckets).length > 0;
  }

  async function write(show: string, now: number): Promise<void> {
    const buckets = local.get(show);
    if (buckets && trim(buckets, now)) return void (await kv.put(ownKey(show), JSON.stringify(buckets)));
    local.delete(show);
    await kv.delete(ownKey(show));
  }

  /** The ranking of `show` from every node's key. */
  async function rank(show: string, now: number): Promise<RequestRank[]> {
    const totals = new Map<string, RequestRank>();
    const oldest = oldestBucket(now);
    for (const {value} of (await kv.list(`requests.${show}.`)).values()) {
      for (const [index, products] of Object.entries(parseBuckets(value))) {
        if (Number(index) < oldest) continue;
        for (const [productId, [label, n]] of Object.entries(products)) {
          const total = totals.get(productId) ?? {label, productId, count: 0};
          total.count += n;
          total.label = label;
          totals.set(productId, total);
        }
      }
    }
    return [...totals.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, MAX_REQUESTS);
  }

  /** Sends `show`'s ranking to its hosts when it changed; a host just joined (`joining`) gets it anyway. */
  async function publish(show: string, now: number, joining?: (event: ShowEvent) => void): Promise<void> {
    const top = await rank(show, now);
    const json = JSON.stringify(top);
    const previous = last.get(show);
    if (previous?.json === json) {
      if (joining) tell(joining, previous.event);
      return;
    }
    const event = stampServerEvent({type: 'requests.update', id: `requests-${show}-${now}`, top}, now);
    last.set(show, {json, event});
    // Every host of the show is listed, the joining one included.
    for (const send of listeners.get(show) ?? []) tell(send, event);
  }

  function tell(send: (event: ShowEvent) => void, event: ShowEvent): void {
    try {
      send(event);
    } catch (error) {
      log.warn({err: error}, 'requests: a host stream threw');
    }
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    const writing = [...dirty];
    dirty.clear();
    // Shows with counts write them again as buckets age out (so an old mention leaves), changed or not.
    for (const show of local.keys()) if (!writing.includes(show)) writing.push(show);
    const written = await Promise.allSettled(writing.map((show) => write(show, now)));
    written.forEach((r, i) => r.status === 'rejected' && log.warn({err: r.reason, show: writing[i]}, 'requests: counts not written'));
    const shows = [...listeners.keys()];
    const sent = await Promise.allSettled(shows.map((show) => publish(show, now)));
    sent.forEach((r, i) => r.status === 'rejected' && log.warn({err: r.reason, show: shows[i]}, 'requests: ranking not sent'));
  }

  const ticker = tickEvery(periodMs, tick, log, 'requests');

  return {
    count(show, mentions) {
      if (closed || !mentions.length) return;
      assertShow(show);
      const index = String(Math.floor(Date.now() / bucketMs));
      let buckets = local.get(show);
      if (!buckets) local.set(show, (buckets = {}));
      const bucket = (buckets[index] ??= {});
      for (const {label, productId} of mentions) {
        const counted = bucket[productId];
        bucket[productId] = [label, (counted?.[1] ?? 0) + 1];
      }
      dirty.add(show);
    },

    feed(show, send) {
      assertShow(show);
      let hosts = listeners.get(show);
      if (!hosts) listeners.set(show, (hosts = new Set()));
      hosts.add(send);
      const known = last.get(show);
      if (known) tell(send, known.event);
      else void publish(show, Date.now(), send).catch((error: unknown) => log.warn({err: error, show}, 'requests: ranking not sent'));
      return () => {
        hosts.delete(send);
        if (hosts.size === 0 && listeners.get(show) === hosts) {
          listeners.delete(show);
          last.delete(show);
        }
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await ticker.stop();
      listeners.clear();
      const shows = [...local.keys()];
      local.clear();
      await Promise.allSettled(shows.map((show) => kv.delete(ownKey(show))));
    },
  };
}

/** A node's buckets, keeping only well-formed counts (never trusted to be well formed). */
function parseBuckets(value: string): Buckets {
  const buckets: Buckets = {};
  try {
    const raw = JSON.parse(value) as Record<string, Record<string, unknown>>;
    for (const [index, products] of Object.entries(raw ?? {})) {
      if (!/^\d+$/.test(index) || !products || typeof products !== 'object') continue;
      const kept: Record<string, [string, number]> = {};
      for (const [productId, pair] of Object.entries(products)) {
        if (!Array.isArray(pair)) continue;
        const [label, n] = pair as unknown[];
        if (typeof label === 'string' && label && Number.isSafeInteger(n) && (n as number) > 0) kept[productId] = [label, n as number];
      }
      buckets[index] = kept;
    }
  } catch {
    // a record that is not JSON counts nothing
  }
  return buckets;
}
