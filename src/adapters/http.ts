/**
 * HTTP for adapters: reads are retried with backoff (honouring `Retry-After` in seconds), mutations never
 * are. An add to cart is not idempotent on any backend: a blind resend could add the item twice, so a
 * failed mutation is reported to the caller, which re-reads the cart before deciding (DESIGN.md §5).
 */

/** How a request may be retried. */
export interface HttpRequestOptions {
  /** True for a read (GET, a GraphQL query): retried on network errors, 429 and 502–504. */
  read: boolean;
  signal?: AbortSignal;
  /** Retries after the first try, for reads. */
  retries?: number;
}

/** A response the backend answered with an unexpected status. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly body?: unknown) {
    super(message);
    this.name = 'HttpError';
  }
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_RETRY_WAIT_MS = 30_000;

/**
 * `fetch`, with reads retried on a network error, 429 or 502–504 (backoff 500 ms · 2ⁿ with jitter, or the
 * server's `Retry-After`). Answers the last response whatever its status; rejects when the call could not
 * run, or with the signal's reason when aborted.
 */
export async function fetchWithRetry(url: string, init: RequestInit, options: HttpRequestOptions): Promise<Response> {
  const retries = options.read ? options.retries ?? 3 : 0;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    let response: Response | undefined;
    try {
      response = await fetch(url, {...init, signal: options.signal});
    } catch (error) {
      if (options.signal?.aborted || attempt >= retries) throw error;
    }
    if (response && (!RETRY_STATUSES.has(response.status) || attempt >= retries)) return response;
    const wait = retryAfterMs(response?.headers.get('retry-after')) ?? backoffMs(attempt);
    await sleep(wait, options.signal);
  }
}

/** `Retry-After` as milliseconds: seconds or an HTTP date (RFC 9110 §10.2.3), capped at 30 s. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_WAIT_MS) : null;
}

function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8000) * (0.75 + Math.random() * 0.5);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}

/** The JSON body of `response`, or an `HttpError` naming `what` when the status is not 2xx. */
export async function jsonOrThrow<T>(response: Response, what: string): Promise<T> {
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new HttpError(response.status, `${what} answered ${response.status}.`, body);
  if (body === undefined) throw new HttpError(response.status, `${what} answered something that is not JSON.`);
  return body as T;
}

/** A GraphQL answer: `data`, and the errors GraphQL reports at the top level. */
export interface GraphQLResponse<T> {
  data?: T;
  errors?: Array<{message: string; path?: Array<string | number>; extensions?: Record<string, unknown>}>;
}

/**
 * Posts a GraphQL operation. A query is a read (retried); a mutation is not. Rejects with an `HttpError`
 * carrying GraphQL's messages on a non-2xx answer, on an answer that is not GraphQL's, when GraphQL reports
 * errors without data (the operation did not run), and when a root field failed (null, with an error at its
 * path): answers the data and the response (for headers such as Vendure's session token).
 */
export async function postGraphQL<T>(
  endpoint: string,
  request: {query: string; variables?: Record<string, unknown>; headers?: Record<string, string>; credentials?: RequestCredentials},
  options: {read: boolean; signal?: AbortSignal},
): Promise<{data: T; response: Response}> {
  const response = await fetchWithRetry(endpoint, {
    method: 'POST',
    headers: {'content-type': 'application/json', accept: 'application/json', ...request.headers},
    credentials: request.credentials,
    body: JSON.stringify({query: request.query, variables: request.variables ?? {}}),
  }, options);
  const body = (await response.json().catch(() => undefined)) as GraphQLResponse<T> | null | undefined;
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  const messages = (list: typeof errors) => list.map((e) => String(e?.message)).join(' ');
  if (!response.ok) {
    throw new HttpError(response.status, `The store API answered ${response.status}${errors.length ? `: ${messages(errors)}` : '.'}`, body);
  }
  if (typeof body !== 'object' || body === null) {
    throw new HttpError(response.status, 'The store API answered something that is not a GraphQL answer.', body);
  }
  const data = body.data as Record<string, unknown> | null | undefined;
  if (typeof data !== 'object' || data === null) {
    throw new HttpError(response.status, messages(errors) || 'The store API answered without data.', body);
  }
  const failed = errors.filter((e) => e?.path?.length === 1 && data[String(e.path[0])] == null);
  if (failed.length) throw new HttpError(response.status, messages(failed), body);
  return {data: data as T, response};
}
