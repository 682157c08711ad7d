/**
 * Show events over server-sent events, read with fetch so that kolkit controls what EventSource does
 * not let a page control: the `Last-Event-ID` header on every reconnect (also across the server
 * closing the stream), exponential backoff with jitter, and the `Date` header for the server clock.
 * Works with any SSE hub (Mercure, Centrifugo, Ably) that resumes from Last-Event-ID.
 */
import {createParser} from 'eventsource-parser';

/** Callbacks of an `SseSource`. */
export interface SseHandlers {
  /** One parsed `data:` payload (a show event or an array of them). */
  onData(data: unknown): void;
  /** The server's clock, from a response `Date` header (ms), when readable. */
  onServerTime?(serverTime: number, receivedAt: number): void;
  /** The connection dropped or could not be made; it will be retried after `retryInMs`. */
  onDisconnect?(message: string, retryInMs: number): void;
  /** (Re)connected. */
  onConnect?(): void;
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** A reconnecting SSE reader. `start()` once; `stop()` ends it for good. */
export class SseSource {
  private lastEventId: string | undefined;
  private failures = 0;
  private retryMs: number | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly url: string, private readonly handlers: SseHandlers) {}

  /** Connects, and keeps reconnecting until `stop()`. */
  start(): void {
    void this.run();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.controller.abort();
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.readOnce(signal);
        this.failures = 0; // a clean end of stream: the server closed it; come back promptly
        await this.wait(this.retryMs ?? BASE_DELAY_MS, signal);
      } catch (error) {
        if (signal.aborted) return;
        const delay = this.backoff();
        this.handlers.onDisconnect?.(error instanceof Error ? error.message : String(error), delay);
        await this.wait(delay, signal);
      }
    }
  }

  private async readOnce(signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = {accept: 'text/event-stream'};
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const response = await fetch(this.url, {headers, signal, cache: 'no-store'});
    if (!response.ok || !response.body) throw new Error(`The events URL ${this.url} answered ${response.status}.`);
    if (!/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
      throw new Error(`The events URL ${this.url} is not an event stream.`);
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) this.handlers.onServerTime?.(date, Date.now());
    this.failures = 0;
    this.handlers.onConnect?.();
    const parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) this.lastEventId = message.id;
        if (message.event && message.event !== 'message') return;
        try {
          this.handlers.onData(JSON.parse(message.data));
        } catch {
          this.handlers.onData(message.data); // not JSON: let validation report it as a bad event
        }
      },
      onRetry: (ms) => (this.retryMs = ms),
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  }

  private backoff(): number {
    const exponential = Math.min(BASE_DELAY_MS * 2 ** this.failures++, MAX_DELAY_MS);
    return Math.max(this.retryMs ?? 0, exponential * (0.5 + Math.random() / 2));
  }

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {once: true});
    });
  }
}
