/**
 * Server hooks (DESIGN.md §8.4): signed POSTs to a merchant's backend when something there must happen — an
 * auction won (`auction.won`: create a draft order at the winning price), a group filled (`group.filled`:
 * issue the members' codes) — for backends whose cart cannot take a price from the page.
 *
 * Each hook is a JWT (HS256 over `KOLKIT_HOOK_SECRET`, jose's SignJWT) sent as the body with
 * `Content-Type: application/jwt`: the claims are the payload plus `jti` (the hook's idempotency id, also
 * sent as `Idempotency-Key`), `iss: "kolkit"`, `iat` and `exp` (10 minutes). Delivery is at least once: a
 * timeout per attempt, retries with exponential backoff on a network error, 408, 429 or 5xx, none on other
 * refusals; the receiver keeps the ids it has handled and answers 2xx to a repeat.
 */
import {SignJWT} from 'jose';
import type {Logger} from './log.js';
// index.ts imports this module too: the constant is read at call time only, so the cycle is harmless.
import {MIN_SECRET_BYTES} from './index.js';

/** Where hooks go and what signs them (`ShowServerOptions.hooks`). */
export interface HookOptions {
  /** The merchant's endpoint: `https://…` (or `http://` on a private network). */
  url: string;
  /** `KOLKIT_HOOK_SECRET`: at least 32 bytes, not the host's or the viewers' secret. */
  secret: string;
}

/** A hook's payload: its `type` (`auction.won`, `group.filled`…) and its fields. */
export type HookPayload = {type: string} & Record<string, unknown>;

/** Sends hooks in the background; what could not be delivered is logged. */
export interface HookSender {
  /**
   * Delivers `payload` under the idempotency id `id` (the same id for the same happening, whichever node
   * sends it). Answers the delivery (resolves true when the receiver took it, false when it gave up); never rejects.
   */
  send(id: string, payload: HookPayload): Promise<boolean>;
  /** Stops retrying (deliveries under way give up) and waits for them. */
  close(): Promise<void>;
}

/** Options of `createHookSender`. */
export interface HookSenderOptions extends HookOptions {
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** One attempt's time limit (default 5000 ms). */
  timeoutMs?: number;
  /** Attempts in all (default 6: about 30 s of retries). */
  attempts?: number;
  /** The first retry's wait, doubled each time up to 30 s (default 500 ms). */
  backoffMs?: number;
}

/** How long a signed hook is valid: a receiver refuses older ones (a replay). */
const HOOK_TTL_SECONDS = 10 * 60;
const MAX_BACKOFF_MS = 30_000;

/** Throws an `Error` saying what is wrong with `hooks` (a URL that is not http(s), a short or shared secret). */
export function checkHookOptions(hooks: Partial<HookOptions>, others: {host?: string; viewer?: string} = {}): asserts hooks is HookOptions {
  let url: URL;
  try {
    url = new URL(hooks.url ?? '');
  } catch {
    throw new Error(`--hook-url: ${JSON.stringify(hooks.url ?? '')} is not a URL (https://shop.example/kolkit-hooks)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--hook-url: ${url.protocol} is not http: or https:`);
  if (url.username || url.password) throw new Error('--hook-url: put no credentials in the URL; hooks are signed with KOLKIT_HOOK_SECRET');
  if (!hooks.secret) throw new Error('KOLKIT_HOOK_SECRET is not set (hooks are signed with it).');
  if (Buffer.byteLength(hooks.secret) < MIN_SECRET_BYTES) throw new Error(`KOLKIT_HOOK_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: use a long random string (e.g. \`openssl rand -base64 48\`).`);
  // The merchant's backend holds this one: were it a token secret too, the backend could sign host tokens.
  if (hooks.secret === others.host || hooks.secret === others.viewer) throw new Error('KOLKIT_HOOK_SECRET must differ from KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET.');
}

/** A hook sender for `url`, signing with `secret`. */
export function createHookSender({url, secret, log, timeoutMs = 5000, attempts = 6, backoffMs = 500}: HookSenderOptions): HookSender {
  const key = new TextEncoder().encode(secret);
  const stopping = new AbortController();
  const underWay = new Set<Promise<boolean>>();

  const sign = (id: string, payload: HookPayload) =>
    new SignJWT(payload).setProtectedHeader({alg: 'HS256', typ: 'JWT'}).setJti(id).setIssuer('kolkit').setIssuedAt().setExpirationTime(`${HOOK_TTL_SECONDS}s`).sign(key);

  /** One attempt: 'done', 'retry' or 'give-up', with what the log says of it. */
  async function attempt(id: string, payload: HookPayload): Promise<{outcome: 'done' | 'retry' | 'give-up'; status?: number; err?: unknown}> {
    // One signal for this attempt's time limit and for shutdown (AbortSignal.any is Node ≥ 20.3 only).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    const stop = () => controller.abort(new Error('shutting down'));
    stopping.signal.addEventListener('abort', stop, {once: true});
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {'content-type': 'application/jwt', 'idempotency-key': id, 'user-agent': 'kolkit-hooks'},
        body: await sign(id, payload),
        signal: controller.signal,
        redirect: 'error',
      });
      await response.body?.cancel();
      const status = response.status;
      if (status >= 200 && status < 300) return {outcome: 'done', status};
      return {outcome: status === 408 || status === 429 || status >= 500 ? 'retry' : 'give-up', status};
    } catch (err) {
      return {outcome: 'retry', err};
    } finally {
      clearTimeout(timer);
      stopping.signal.removeEventListener('abort', stop);
    }
  }

  async function deliver(id: string, payload: HookPayload): Promise<boolean> {
    const started = Date.now();
    for (let tried = 1; ; tried++) {
      const {outcome, status, err} = await attempt(id, payload);
      const fields = {event: 'hook', hook: payload.type, id, attempt: tried, status, ms: Date.now() - started};
      if (outcome === 'done') {
        log.info(fields, 'hook delivered');
        return true;
      }
      if (outcome === 'give-up' || tried >= attempts || stopping.signal.aborted) {
        log.error({...fields, err}, outcome === 'give-up' ? 'hook refused by the receiver: not retried' : 'hook not delivered: gave up');
        return false;
      }
      log.warn({...fields, err}, 'hook attempt failed: retrying');
      const wait = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (tried - 1)) * (0.75 + Math.random() / 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {once: true});
      });
    }
  }

  return {
    send(id, payload) {
      if (stopping.signal.aborted) {
        log.error({event: 'hook', hook: payload.type, id}, 'hook not sent: the server is shutting down');
        return Promise.resolve(false);
      }
      const delivery = deliver(id, payload).finally(() => underWay.delete(delivery));
      underWay.add(delivery);
      return delivery;
    },
    async close() {
      stopping.abort();
      await Promise.allSettled([...underWay]);
    },
  };
}
