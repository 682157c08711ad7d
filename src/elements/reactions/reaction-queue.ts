/**
 * The shopper's own taps on `<kol-reactions>`, on their way to the show server. The API takes one reaction per
 * POST (`{kind}`) and limits each viewer (30 per 10 s by default), so taps are queued and sent one at a time
 * at a steady pace below that limit, while the element shows each tap at once. Nothing is dropped without a
 * word: a rate limit waits for its `Retry-After`, a network failure is tried again with backoff, a full queue
 * refuses the tap visibly, and a refusal the server means (banned, unknown kind) is said and ends the queue.
 */
import {msg, str} from '@lit/localize';
import {plural} from '../../i18n/plural.js';
import type {ActionOutcome} from '../../sources/server-actions.js';
import type {KolErrorCode} from '../../core/errors.js';

/** The least time between two POSTs: 2.5 a second, under the server's default 3 a second per viewer. */
export const SEND_GAP_MS = 400;
/** The most taps waiting to be sent; past it a tap is refused (and the shopper told) rather than kept for minutes. */
export const MAX_PENDING = 20;
/** Backoff after a failed POST: from 1 s, doubling, to 30 s. */
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** Why taps wait or were dropped: words for the shopper and, when it is a fault, the error the element shows. */
export interface QueueNotice {
  text: string;
  /** `action-failed` while retrying; the refusal's code once the queue gave up; null for a wait that will pass. */
  code: KolErrorCode | null;
}

/** What the queue tells its element. */
export interface ReactionQueueHost {
  /** Sends one reaction; never rejects (`KolShow.react`). */
  send(kind: string): Promise<ActionOutcome>;
  /** The server took one of the shopper's reactions (it will come back inside a `reactions.update`). */
  accepted(kind: string): void;
  /** The queue's state changed: `pending`, `notice`. */
  changed(): void;
}

/** The shopper's taps waiting to be sent, sent in tap order at a steady pace. */
export class ReactionQueue {
  /** Why taps wait or were dropped; null while all is well. */
  notice: QueueNotice | null = null;
  readonly #taps: string[] = [];
  #running = false;
  #stopped = false;
  #wake: (() => void) | null = null;

  readonly #host: ReactionQueueHost;

  constructor(host: ReactionQueueHost) {
    this.#host = host;
  }

  /** Taps waiting to be sent. */
  get pending(): number {
    return this.#taps.length;
  }

  /** Queues one tap; false (with a notice) when the queue is full and the tap is not kept. */
  add(kind: string): boolean {
    if (this.#taps.length >= MAX_PENDING) {
      this.#say({text: msg('Your reactions are still on their way: wait a moment before sending more.', {id: 'reactions.queue-full'}), code: null});
      return false;
    }
    this.#stopped = false;
    if (this.#gaveUp()) this.#say(null);
    this.#taps.push(kind);
    void this.#run();
    this.#host.changed();
    return true;
  }

  /** Stops sending (the element left the page): the taps still waiting are dropped with it. */
  stop(): void {
    this.#stopped = true;
    this.#taps.length = 0;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    let backoff = RETRY_MIN_MS;
    try {
      while (this.#taps.length && !this.#stopped) {
        const kind = this.#taps[0]!;
        const outcome = await this.#host.send(kind);
        if (this.#stopped) return;
        if (outcome.status === 'accepted') {
          this.#taps.shift();
          backoff = RETRY_MIN_MS;
          if (!this.#gaveUp()) this.#say(null);
          this.#host.accepted(kind);
          this.#host.changed();
          await this.#sleep(SEND_GAP_MS);
        } else if (outcome.status === 'refused' && outcome.retryAfterMs !== undefined) {
          // A rate limit: the taps wait as long as the server asks, then go on.
          const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
          this.#say({text: msg(str`Sending your reactions in ${seconds} s…`, {id: 'reactions.waiting'}), code: null});
          await this.#sleep(Math.max(outcome.retryAfterMs, SEND_GAP_MS));
        } else if (outcome.status === 'failed' && outcome.code === 'action-failed') {
          this.#say({text: msg('Your reactions could not be sent yet: trying again…', {id: 'reactions.retrying'}), code: 'action-failed'});
          await this.#sleep(backoff);
          backoff = Math.min(backoff * 2, RETRY_MAX_MS);
        } else {
          // The server means it (banned, an unknown kind) or there is no server: more tries would not help.
          const dropped = this.#taps.length;
          this.#taps.length = 0;
          const code = outcome.status === 'refused' ? 'action-refused' : outcome.code;
          this.#say({text: `${outcome.message} (${notSentText(dropped)})`, code});
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** The notice is a refusal that ended the queue: it stays until the shopper taps again. */
  #gaveUp(): boolean {
    return !!this.notice?.code && this.notice.code !== 'action-failed';
  }

  #say(notice: QueueNotice | null): void {
    if (notice?.text === this.notice?.text) return;
    this.notice = notice;
    this.#host.changed();
  }

  /** Waits `ms`, or less when the queue is stopped. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

/** "1 reaction not sent", "3 reactions not sent". */
function notSentText(count: number): string {
  return plural(count, {
    '=1': () => msg('1 reaction not sent', {id: 'reactions.not-sent.=1'}),
    '=2': () => msg('2 reactions not sent', {id: 'reactions.not-sent.=2'}),
    one: () => msg(str`${count} reaction not sent`, {id: 'reactions.not-sent.one'}),
    few: () => msg(str`${count} reactions not sent`, {id: 'reactions.not-sent.few'}),
    many: () => msg(str`${count} reactions not sent`, {id: 'reactions.not-sent.many'}),
    other: () => msg(str`${count} reactions not sent`, {id: 'reactions.not-sent.other'}),
  });
}
