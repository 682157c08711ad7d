/**
 * The cluster bus's JetStream streams: what the events stream holds and how it is bounded, and setting a
 * stream up (created, or brought up to date, by whichever node starts first; replicas as the cluster allows).
 *
 * The events stream (`KOLKIT` by default):
 * - subjects `kolkit.show.<show>.events`, file storage, 3 replicas (fewer only when the cluster has fewer
 *   servers, logged as a warning);
 * - a 5-minute duplicate window: an event appended twice (same id, e.g. a retry after a lost ack) within
 *   it is stored once, and the second append answers the first entry. After the window NATS no longer
 *   remembers the id and would store it again; that is far longer than an append retries (15 s), and
 *   event ids are stamped per request by the server, so only a caller re-sending an old event by hand
 *   could meet it (the embedded bus remembers ids for ever: the one difference between the two);
 * - limits: entries older than 30 days are dropped (a show's replay is meant for weeks, not forever), an
 *   entry is at most 256 KiB (the HTTP edge refuses bodies over 64 KiB), and the stream is otherwise
 *   bounded by each server's `max_file_store`.
 *
 * The KV bucket's stream config is nats-kv.ts's (`kvStreamConfig`); `ensureStream` sets up both.
 */
import {nanos} from '@nats-io/transport-node';
import {
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type {Logger} from '../log.js';
import {retrying} from './nats-retry.js';

/** The stream's duplicate window: an event id is deduplicated for this long. */
const DUPLICATE_WINDOW_MS = 5 * 60_000;
/** Entries older than this are dropped. */
const MAX_AGE_MS = 30 * 24 * 3600_000;
/** The largest event entry the stream stores, in bytes (appends refuse larger ones before sending). */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** The subject of `show`'s events (`*` for every show's). */
export function showSubject(show: string): string {
  return `kolkit.show.${show}.events`;
}

/** The events stream's configuration, named `name` (see the file's note for the limits). */
export function eventsStreamConfig(name: string): Partial<StreamConfig> & {name: string} {
  return {
    name,
    subjects: [showSubject('*')],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(MAX_AGE_MS),
    max_msg_size: MAX_ENTRY_BYTES,
    allow_direct: false,
  };
}

/**
 * Creates the stream, or updates an existing one whose settings differ (keeping its replicas); two nodes
 * starting together may both try, which is harmless. Answers the stream's replica count. A cluster with
 * fewer servers than `replicas` gets as many replicas as it has (a warning says so).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  log: Logger,
  config: Partial<StreamConfig> & {name: string},
  replicas: number,
): Promise<number> {
  return retrying(
    `set up the stream ${config.name}`,
    async () => {
      const existing = await jsm.streams.info(config.name).catch((err) => {
        if (err instanceof JetStreamApiError && err.code === 10059) return null; // stream not found
        throw err;
      });
      if (existing) {
        const differs = (Object.keys(config) as (keyof StreamConfig)[]).some(
          (key) => JSON.stringify(existing.config[key]) !== JSON.stringify(config[key]),
        );
        if (differs) {
          await jsm.streams.update(config.name, {...existing.config, ...config, num_replicas: existing.config.num_replicas});
          log.info({stream: config.name}, 'stream settings updated');
        }
        return existing.config.num_replicas;
      }
      for (let n = replicas; ; n--) {
        try {
          await jsm.streams.add({...config, num_replicas: n});
          if (n < 3) {
            log.warn(
              {stream: config.name, replicas: n},
              `the NATS cluster has fewer than 3 JetStream servers: the stream keeps ${n} cop${n === 1 ? 'y' : 'ies'}`,
            );
          }
          return n;
        } catch (err) {
          const message = err instanceof Error ? err.message : '';
          if (n > 1 && /replicas > 1 not supported|insufficient resources|no suitable peers/i.test(message)) continue;
          if (/already in use/i.test(message)) throw Object.assign(new Error('created by another node'), {retry: true});
          throw err;
        }
      }
    },
    {deadlineMs: 30_000},
  ).catch(async (err) => {
    // Another node created it between our look and our add: look again.
    if ((err as {retry?: boolean}).retry) return (await jsm.streams.info(config.name)).config.num_replicas;
    throw err;
  });
}
