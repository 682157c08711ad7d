/**
 * Following one subject of a JetStream stream, in order, through server deaths. An ordered consumer alone
 * is not enough on 2.9.10: when the server hosting its (R1, ephemeral) consumer dies, the client keeps
 * asking that consumer for its state and stalled 19–30 s in the research runs. So a watchdog checks,
 * after `stallMs` without a delivery, whether the subject has an entry newer than the last delivered one,
 * and if so starts a new consumer right after it. The last delivered sequence is the single cursor:
 * every (re)start begins after it and anything at or below it is dropped, so no entry is delivered twice
 * or skipped, whichever consumer delivers it.
 */
import {DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg, type ConsumerMessages} from '@nats-io/jetstream';
import type {Logger} from '../log.js';
import {describe} from './nats-retry.js';

/** Options of `followSubject`. */
export interface FollowOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subject: string;
  /** Deliver what comes after this stream sequence; undefined: after the stream's last at the start. */
  afterSeq?: number;
  /** Called once per entry, in stream order. An exception is logged, and the entry counts as delivered. */
  onMessage: (m: JsMsg) => void;
  log: Logger;
  /** How long without a delivery before the watchdog checks for newer entries (3 s, as measured). */
  stallMs?: number;
}

/** Follows `subject` until the returned stop is called. */
export function followSubject(options: FollowOptions): () => void {
  const {js, jsm, stream, subject, log} = options;
  const stallMs = options.stallMs ?? 3000;
  let lastSeq = options.afterSeq;
  let lastAt = Date.now();
  let messages: ConsumerMessages | undefined;
  let generation = 0;
  let stopped = false;
  let starting = false;

  /** Starts a consumer after `lastSeq`, retrying with a growing pause until it works or we stop. */
  const start = async (): Promise<void> => {
    if (starting || stopped) return;
    starting = true;
    messages?.stop();
    messages = undefined;
    const mine = ++generation;
    try {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          lastSeq ??= (await jsm.streams.info(stream)).state.last_seq;
          const consumer = await js.consumers.get(stream, {
            filter_subjects: subject, // a string: 2.9 has no multiple filters
            deliver_policy: DeliverPolicy.StartSequence,
            opt_start_seq: lastSeq + 1,
          });
          const it = await consumer.consume({expires: 5000}); // the default 30 s pull recovers too slowly
          if (stopped) {
            it.stop();
            return;
          }
          messages = it;
          lastAt = Date.now();
          void pump(it, mine);
          return;
        } catch (err) {
          log.warn({subject, err: describe(err)}, 'follow: cannot start a consumer yet; retrying');
          await sleep(Math.min(2000, 100 * 2 ** attempt));
        }
      }
    } finally {
      starting = false;
    }
  };

  const pump = async (it: ConsumerMessages, mine: number): Promise<void> => {
    try {
      for await (const m of it) {
        if (mine !== generation) break;
        lastAt = Date.now();
        if (lastSeq !== undefined && m.seq <= lastSeq) continue; // delivered already (by an earlier consumer)
        lastSeq = m.seq;
        try {
          options.onMessage(m);
        } catch (err) {
          log.error({subject, seq: m.seq, err}, 'follow: a listener threw; the entry counts as delivered');
        }
      }
    } catch (err) {
      log.warn({subject, err: describe(err)}, 'follow: the consumer failed');
    }
    // The consumer ended by itself (not replaced, not stopped): start again after the last entry delivered.
    if (!stopped && mine === generation) {
      await sleep(250);
      if (!stopped && mine === generation) void start();
    }
  };

  const watchdog = setInterval(() => {
    if (stopped || starting || Date.now() - lastAt < stallMs) return;
    void jsm.streams
      .getMessage(stream, {last_by_subj: subject})
      .then((last) => {
        if (stopped || starting) return;
        if (!last || (lastSeq !== undefined && last.seq <= lastSeq)) {
          lastAt = Date.now(); // quiet, not stalled
          return;
        }
        log.warn(
          {subject, stalledMs: Date.now() - lastAt, last: last.seq, delivered: lastSeq},
          'follow: the consumer stalled behind the stream; starting a new one after the last entry delivered',
        );
        void start();
      })
      .catch(() => {
        // NATS cannot answer now (an election, an outage): look again on the next tick.
      });
  }, Math.min(1000, stallMs));
  watchdog.unref();

  void start();
  return () => {
    stopped = true;
    clearInterval(watchdog);
    generation++;
    messages?.stop();
    messages = undefined;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
