/**
 * Show events over server-sent events, read with fetch so that kolkit controls what EventSource does
 * not let a page control: the `Last-Event-ID` header on every reconnect (also across the server
 * closing the stream), exponential backoff with jitter, and the `Date` header for the server clock.
 * Works with any SSE hub (Mercure, Centrifugo, Ably) that resumes from Last-Event-ID.
 *
 * A show has many viewers, so every path back to the server is paced: a reconnect never comes sooner than
 * 1 s, a connection that does not stay up counts as a failure (a server that accepts and drops, or closes
 * at once with `retry: 0`, is backed off up to 30 s, not hit in a loop), and the server's `retry:` is held
 * to 1–30 s. A request that gets no response headers in time, and an event too large to hold, are ended and
 * reconnected the same way; the stream resumes after the oversized event when its `id:` came before its data.
 * A stream that goes silent (no event and no keep-alive comment) is reconnected too: after a connection that
 * stayed up, at once and as no outage (a quiet server is not a broken one) unless the reconnect fails.
 */
import {createParser} from 'eventsource-parser';
import {REQUEST_TIMEOUT_MS, timeoutError} from '../core/timeout.js';
import {errorMessage} from '../core/errors.js';

/** Callbacks of an `SseSource`. */
export interface SseHandlers {
  /** One parsed `data:` payload (a show event or an array of them). */
  onData(data: unknown): void;
  /** The server's clock, from a response `Date` header (ms), when readable. */
  onServerTime?(serverTime: number, receivedAt: number): void;
  /** The connection dropped, could not be made, or ended too soon; it will be retried after `retryInMs`. */
  onDisconnect?(message: string, retryInMs: number): void;
  /** A connection has stayed up for `stableMs`: whatever outage there was is over. */
  onStable?(): void;
  /**
   * An event was larger than `maxEventChars` and was dropped (`problem` says so; `id` is its SSE `id:` when that
   * came before its data). The stream is reconnected (with backoff) and resumes after it when `id` is known.
   */
  onBadEvent?(problem: string, id?: string): void;
}

/** Limits of an `SseSource`; the defaults are what a show uses (options exist for tests and tuning). */
export interface SseOptions {
  /** How long to wait for the response headers (default `REQUEST_TIMEOUT_MS`, 15 s). */
  connectTimeoutMs?: number;
  /** How long a stream may send nothing at all, not even a `:` comment, before it is taken as dead (default 90 s). */
  idleTimeoutMs?: number;
  /** How long a connection must stay up to count as recovered rather than as one more failure (default 10 s). */
  stableMs?: number;
  /** The most characters held for one unfinished line or event (default 4 MiB). */
  maxEventChars?: number;
}

/** The shortest and longest wait before a reconnect; the server's `retry:` is held to this range. */
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** Hubs send a keep-alive comment every 15–40 s (the demo's every 15 s); three missed ones at 30 s is dead. */
const IDLE_TIMEOUT_MS = 90_000;
const STABLE_MS = 10_000;
/** A `show.snapshot` with a long lineup and chat is well under 1 MiB; 4 MiB leaves room and bounds memory. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/** An event too large to hold: already reported through `onBadEvent`, so not as a disconnect too. */
class OversizedEventError extends Error {}

/** The stream sent nothing for `idleTimeoutMs`. */
class IdleError extends Error {
  override name = 'TimeoutError';
}

/** The longest `id:` line followed (`id: ` and 1 KiB): a longer id is taken as unknown. */
const MAX_ID_LINE = 1028;

/**
 * Follows the raw text line by line for the one thing eventsource-parser tells only at dispatch: the `id:` of
 * the event being received. An event too large to hold never dispatches, and only its id lets the stream
 * resume after it rather than at it.
 */
class PendingId {
  /** The `id:` of the event being received, once its line has arrived. */
  value: string | undefined;
  /** The start of the unfinished line (enough of it to read an id), and its whole length so far. */
  #head = '';
  #headLength = 0;
  /** The last chunk ended with CR: a LF at the start of the next one ends no second line. */
  #afterCr = false;

  feed(chunk: string): void {
    const ends = /\r\n|\r|\n/g;
    let start = (ends.lastIndex = this.#afterCr && chunk.startsWith('\n') ? 1 : 0);
    for (let end; (end = ends.exec(chunk)); start = ends.lastIndex) {
      const text = this.#head.length >= MAX_ID_LINE ? this.#head : this.#head + chunk.slice(start, Math.min(end.index, start + MAX_ID_LINE));
      this.#line(text, this.#headLength + end.index - start);
      this.#head = '';
      this.#headLength = 0;
    }
    this.#afterCr = chunk.endsWith('\r');
    this.#headLength += chunk.length - start;
    if (this.#head.length < MAX_ID_LINE) this.#head += chunk.slice(start, start + MAX_ID_LINE);
  }

  /** As eventsource-parser reads a line: a blank one ends the event, `id` or `id:…` (without NUL) sets its id. */
  #line(text: string, length: number): void {
    if (!length) this.value = undefined;
    else if (/^id(:|$)/.test(text)) {
      const value = text.slice(text[3] === ' ' ? 4 : 3);
      if (length > MAX_ID_LINE) this.value = undefined;
      else if (!value.includes('\0')) this.value = value;
    }
  }
}

/** A reconnecting SSE reader. `start()` once; `stop()` ends it for good. */
export class SseSource {
  #lastEventId: string | undefined;
  /** Failures since the last connection that stayed up: the backoff's exponent. */
  #failures = 0;
  #retryMs = MIN_DELAY_MS;
  /** True once the current connection has stayed up for `stableMs`. */
  #stable = false;
  /**
   * Where the stream resumes after the last event too large to hold, until an event arrives after it: the
   * same overflow at the same place again means the stream is stuck (no id to skip it by, or a server that
   * does not resume by Last-Event-ID). Until then no connection counts as recovered.
   */
  #overflowAt: string | null = null;
  readonly #controller = new AbortController();
  readonly #limits: Required<SseOptions>;

  readonly #url: string;
  readonly #handlers: SseHandlers;

  constructor(url: string, handlers: SseHandlers, options: SseOptions = {}) {
    this.#url = url;
    this.#handlers = handlers;
    this.#limits = {
      connectTimeoutMs: options.connectTimeoutMs ?? REQUEST_TIMEOUT_MS,
      idleTimeoutMs: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      stableMs: options.stableMs ?? STABLE_MS,
      maxEventChars: options.maxEventChars ?? MAX_EVENT_CHARS,
    };
  }

  /** Connects, and keeps reconnecting until `stop()`. */
  start(): void {
    void this.#run();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.#controller.abort();
  }

  async #run(): Promise<void> {
    const stop = this.#controller.signal;
    while (!stop.aborted) {
      this.#stable = false;
      const startedAt = Date.now();
      let failure: string | undefined;
      let reported = false;
      let quiet = false;
      try {
        await this.#readOnce(stop);
        // A clean end counts as a failure unless the connection stayed up: a server that answers and
        // closes at once (or with `retry: 0`) must be backed off like one that is down.
        if (!this.#stable) failure = `The events URL ${this.#url} ended the stream after ${Date.now() - startedAt} ms.`;
      } catch (error) {
        if (stop.aborted) return;
        failure = errorMessage(error, String(error));
        reported = error instanceof OversizedEventError;
        // A stream that stayed up and then went quiet is most likely a server that sends no keep-alives, not an
        // outage: reconnect as after a clean close, and report only if that reconnect fails.
        quiet = error instanceof IdleError && this.#stable;
      }
      if (stop.aborted) return;
      if (failure === undefined || quiet) {
        // The server closed a healthy stream: come back after its retry, spread so viewers do not all return at once.
        await this.#wait(Math.min(this.#retryMs * (1 + Math.random() / 4), MAX_DELAY_MS), stop);
        continue;
      }
      const delay = this.#backoff();
      if (!reported) this.#handlers.onDisconnect?.(failure, delay);
      await this.#wait(delay, stop);
    }
  }

  /**
   * One connection, until the server ends it (resolves) or it fails (rejects). It is aborted when `stop`
   * aborts, when the headers are late, when it goes silent, and when an event outgrows the limit.
   */
  async #readOnce(stop: AbortSignal): Promise<void> {
    const attempt = new AbortController();
    const abortWith = (reason: unknown) => attempt.abort(reason);
    const onStop = () => abortWith(stop.reason);
    stop.addEventListener('abort', onStop, {once: true});
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    let watchdog = setTimeout(
      () => abortWith(timeoutError(`The events URL ${this.#url} did not answer within ${seconds(this.#limits.connectTimeoutMs)}.`)),
      this.#limits.connectTimeoutMs,
    );
    let stableTimer: ReturnType<typeof setTimeout> | undefined;
    try {
      const headers: Record<string, string> = {accept: 'text/event-stream'};
      if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
      const response = await fetch(this.#url, {headers, signal: attempt.signal, cache: 'no-store'});
      if (!response.ok || !response.body) throw new Error(`The events URL ${this.#url} answered ${response.status}.`);
      if (!/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
        throw new Error(`The events URL ${this.#url} is not an event stream.`);
      }
      const date = Date.parse(response.headers.get('date') ?? '');
      if (!Number.isNaN(date)) this.#handlers.onServerTime?.(date, Date.now());
      let stableDue = false;
      const settle = () => {
        if (this.#overflowAt !== null) return void (stableDue = true); // not recovered before an event gets through
        this.#stable = true;
        this.#failures = 0;
        this.#handlers.onStable?.();
      };
      stableTimer = setTimeout(settle, this.#limits.stableMs);
      // Any bytes (an event or a keep-alive comment) show the stream is alive.
      const alive = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(
          () => abortWith(new IdleError(`The events URL ${this.#url} sent nothing for ${seconds(this.#limits.idleTimeoutMs)}.`)),
          this.#limits.idleTimeoutMs,
        );
      };
      alive();
      let oversized = false;
      const pendingId = new PendingId();
      const parser = createParser({
        maxBufferSize: this.#limits.maxEventChars,
        onEvent: (message) => {
          if (message.id !== undefined) this.#lastEventId = message.id;
          if (this.#overflowAt !== null) {
            this.#overflowAt = null;
            if (stableDue) settle();
          }
          if (message.event && message.event !== 'message') return;
          try {
            this.#handlers.onData(JSON.parse(message.data));
          } catch {
            this.#handlers.onData(message.data); // not JSON: let validation report it as a bad event
          }
        },
        // eventsource-parser only reports digits here; 0 or a value past setTimeout's 2³¹ ms would hammer the server.
        onRetry: (ms) => (this.#retryMs = Math.min(Math.max(ms, MIN_DELAY_MS), MAX_DELAY_MS)),
        onError: (error) => (oversized ||= error.type === 'max-buffer-size-exceeded'),
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const {done, value} = await reader.read();
        if (done) return;
        alive();
        pendingId.feed(value); // first: the parser forgets the id when the event overflows
        parser.feed(value);
        if (oversized) this.#overflowed(pendingId.value);
      }
    } catch (error) {
      // A timeout aborts fetch or the body read: report the timeout, not the browser's AbortError.
      throw attempt.signal.aborted && !stop.aborted ? attempt.signal.reason : error;
    } finally {
      clearTimeout(watchdog);
      clearTimeout(stableTimer);
      stop.removeEventListener('abort', onStop);
      attempt.abort(); // closes the body, if the server has not
    }
  }

  /**
   * An event outgrew the limit mid-stream, which cannot be resynchronised: report it, and end the connection to
   * resume after it by its `id` (when it came before the data; else from the last event before it).
   */
  #overflowed(id: string | undefined): never {
    const before = this.#lastEventId;
    const resumeAt = id ?? before ?? '';
    const again = this.#overflowAt === resumeAt;
    this.#overflowAt = resumeAt;
    if (id !== undefined) this.#lastEventId = id;
    const after = id === undefined && before ? `, after event "${before.slice(0, 64)}"` : '';
    this.#handlers.onBadEvent?.(`it was larger than ${this.#limits.maxEventChars} characters (events URL ${this.#url}${after})`, id);
    if (!again) throw new OversizedEventError(`An event from ${this.#url} was too large.`);
    // The same event again after the reconnect: nothing after it can arrive. Reported as a disconnect, once per outage.
    throw new Error(`The events URL ${this.#url} sends the same event of more than ${this.#limits.maxEventChars} characters on every reconnect${
      id === undefined ? ' (it has no id: line before its data to resume after)' : ' (it does not resume by Last-Event-ID)'
    }: no later event can arrive.`);
  }

  /** The next wait after a failure: 1–2 s, then doubling to 15–30 s, never less than the server's `retry:`. */
  #backoff(): number {
    const ceiling = Math.min(MIN_DELAY_MS * 2 ** ++this.#failures, MAX_DELAY_MS);
    return Math.max(this.#retryMs, ceiling * (0.5 + Math.random() / 2));
  }

  #wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
      signal.addEventListener('abort', onAbort, {once: true}); // removed again: a long show waits thousands of times
    });
  }
}
