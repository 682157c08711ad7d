/**
 * Retrying NATS requests through the pauses a cluster goes through: a stream leader election after a
 * server dies (4–6 s of "no responders" on 2.9.10, measured), interest not yet propagated right after a
 * stream is created, a client reconnecting to another server. Each retry is bounded by a deadline, after
 * which the caller gets a `BusUnavailableError` (the HTTP edge answers 503).
 */
import {JetStreamApiError} from '@nats-io/jetstream';
import {errors} from '@nats-io/transport-node';
import {BusUnavailableError} from './types.js';

/**
 * True for an error that may pass by itself: no responders (the client's `JetStreamNotEnabled` wraps it),
 * a request timeout, a lost connection, or a JetStream API answer with status 503 ("temporarily
 * unavailable", during an election). A closed connection, a bad request or a conflict is not.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'JetStreamNotEnabled') return true; // the client's name for "no responders" on a publish
  if (err instanceof errors.RequestError) return err.isNoResponders() || isTransient(err.cause);
  if (err instanceof errors.TimeoutError || err instanceof errors.NoRespondersError) return true;
  if (err instanceof errors.ConnectionError) return true;
  if (err instanceof JetStreamApiError) return err.status === 503;
  // A consumer's pull answered 503 (no responders: its server is gone); the class is not exported.
  if (err.name === 'JetStreamStatusError') return (err as Error & {code?: number}).code === 503;
  return false;
}

/** Options of `retrying`. */
export interface RetryOptions {
  /** Give up after this many ms (from the first attempt). */
  deadlineMs: number;
  /** Called before each retry, for a log line. */
  onRetry?: (err: unknown, attempt: number) => void;
  /** Stops retrying early (the bus is closing). */
  stopped?: () => boolean;
}

/**
 * Runs `attempt` until it resolves, retrying transient errors with a growing pause (50 ms … 1 s) until
 * the deadline; then rejects with `BusUnavailableError` naming `what`. Other errors reject at once.
 * `attempt` gets its 1-based number, so a caller can tell a first try from a retry.
 */
export async function retrying<T>(what: string, attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const giveUpAt = Date.now() + options.deadlineMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isTransient(err)) throw err;
      const pause = Math.min(1000, 50 * 2 ** (n - 1));
      if (options.stopped?.() || Date.now() + pause >= giveUpAt) {
        throw new BusUnavailableError(`${what}: NATS did not answer within ${options.deadlineMs} ms (${describe(err)})`, {
          cause: err,
        });
      }
      options.onRetry?.(err, n);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** A short description of a NATS error for logs and messages (the cause says more than the wrapper). */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` <- ${err.cause.name}: ${err.cause.message}` : '';
  return `${err.name}: ${err.message}${cause}`;
}
