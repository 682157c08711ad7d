/**
 * Viewer actions sent to a kolkit show server (docs/server.md: chat, reactions, votes, entries, bids): one POST
 * with the viewer's identity and a time limit, its answer as an `ActionOutcome`; and the few reads that only
 * this viewer may make (an auction's result), one GET with the same identity, time limit and outcomes. A lazy
 * chunk, loaded at a show's first action; `<kol-show>` (elements/show/show-server.ts) derives the URL.
 */
import {errorMessage, type KolErrorCode, type ReportFailure} from '../core/errors.js';
import {REQUEST_TIMEOUT_MS, withTimeout} from '../core/timeout.js';
import {viewerId} from '../page/viewer-id.js';

/** How a viewer action ended. */
export type ActionOutcome =
  /** The server took it; `data` is its answer (chat: `{id}`, the message's event id). */
  | {status: 'accepted'; data: Record<string, unknown>}
  /**
   * The server said no, and why: `code` is its `error` (`rate-limited`, `bad-field`, `unauthorized`,
   * `conflict`…), `message` a sentence for the viewer, `details` the rest of its answer (`field`,
   * `maxLength`…); after a rate limit, `retryAfterMs` says when to try again.
   */
  | {status: 'refused'; code: string; message: string; retryAfterMs?: number; details: Record<string, unknown>}
  /** It did not get through (network, time limit, a server error, no server): it may be tried again. */
  | {status: 'failed'; code: KolErrorCode; message: string};

/** One action to post (or, without `body`, one read to GET). */
export interface ActionRequest {
  url: string;
  /** The JSON body to POST; absent: a GET. */
  body?: unknown;
  /** The merchant's viewer token (a customer), sent as a bearer token; else the page's anonymous id. */
  viewerToken: string | null;
  /** Whether the page's anonymous id may be stored (the show's consent). */
  consent: boolean;
  /** The time limit (ms) for the whole answer; default `REQUEST_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** What an action reads from its show when it is sent. */
export interface ActionShow {
  readonly viewerToken: string | null;
  readonly consent: string | null;
}

/**
 * Sends one action of a show to `{base}/{path}` (`base`: the show's API, null without a server: nothing is
 * sent) and reports an outcome that is not accepted (`action-refused`, `action-failed`, `no-server`). Without a
 * `body` (undefined) it is a GET: a read only this viewer may make, e.g. an auction's result.
 */
export async function sendAction(base: string | null, path: string, body: unknown, show: ActionShow, report: ReportFailure): Promise<ActionOutcome> {
  const outcome: ActionOutcome = base
    ? await postAction({url: `${base}/${path}`, body, viewerToken: show.viewerToken || null, consent: show.consent === 'granted'})
    : {status: 'failed', code: 'no-server', message: 'This show has no server to send to: set its server and show-id attributes.'};
  if (outcome.status !== 'accepted') report(outcome.status === 'refused' ? 'action-refused' : outcome.code, outcome.message, outcome);
  return outcome;
}

/** Statuses that are the server's answer about the action itself, not a fault on the way (docs/server.md). */
const REFUSALS = [400, 401, 403, 409, 410, 413, 422, 429];
/** The most of an answer read: the server's are a few hundred bytes. */
const MAX_ANSWER_CHARS = 64 * 1024;

/** Posts one action (GETs it without a `body`); never rejects. */
export async function postAction({url, body, viewerToken, consent, timeoutMs = REQUEST_TIMEOUT_MS}: ActionRequest): Promise<ActionOutcome> {
  // One identity, never both: sending the anonymous id beside a customer's token would link the two.
  const identity: Record<string, string> = viewerToken ? {authorization: `Bearer ${viewerToken}`} : {'x-kol-viewer': viewerId(consent)};
  try {
    return await withTimeout(timeoutMs, `The show server did not answer within ${Math.round(timeoutMs / 1000)} s.`, async (signal) => {
      const response = await fetch(url, {
        ...(body === undefined
          ? {method: 'GET', headers: identity}
          : {method: 'POST', headers: {'content-type': 'application/json', ...identity}, body: JSON.stringify(body)}),
        // Viewers are named by a header or a token, never a cookie (the server answers CORS with `*`).
        credentials: 'omit',
        cache: 'no-store',
        signal,
      });
      const answer = parseAnswer(await response.text());
      if (response.ok) return {status: 'accepted', data: answer};
      const message = typeof answer.message === 'string' && answer.message ? answer.message : `The show server answered ${response.status}.`;
      if (!REFUSALS.includes(response.status)) return {status: 'failed', code: 'action-failed', message};
      const refused: ActionOutcome = {status: 'refused', code: typeof answer.error === 'string' ? answer.error : `http-${response.status}`, message, details: answer};
      if (response.status === 429) refused.retryAfterMs = retryAfterMs(response.headers.get('retry-after'), answer.retryAfter);
      return refused;
    });
  } catch (error) {
    return {status: 'failed', code: 'action-failed', message: errorMessage(error, 'The show server could not be reached.')};
  }
}

/** The JSON object the server answered, or `{}` for anything else (a proxy's HTML page, nothing). */
function parseAnswer(text: string): Record<string, unknown> {
  try {
    const value: unknown = text.length <= MAX_ANSWER_CHARS ? JSON.parse(text) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The wait a rate limit asks for: `Retry-After` (seconds or an HTTP date), else the body's `retryAfter` (s), else 1 s. */
function retryAfterMs(header: string | null, bodySeconds: unknown): number {
  const seconds = header !== null && /^\s*\d+\s*$/.test(header) ? Number(header) : typeof bodySeconds === 'number' ? bodySeconds : NaN;
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header ?? '') - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : 1000;
}
