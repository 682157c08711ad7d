/**
 * Every answer of the HTTP edge that is not a stream is JSON, and every refusal is
 * `{"error": "<code>", "message": "<human sentence>", ...details}` with the status that says why.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {BusConflictError, BusUnavailableError} from '../bus/types.js';
import {ShowInputError} from '../types.js';

/** Extra response headers (CORS, `Retry-After`, `Allow`). */
export type Headers = Record<string, string | number>;

/** A refusal ready to send. */
export interface HttpRefusal {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  headers: Headers;
}

/** Builds a refusal (a `ShowInputError` with headers, for the edge's own checks). */
export class HttpError extends ShowInputError {
  override name = 'HttpError';
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}, readonly headers: Headers = {}) {
    super(status, code, message, details);
  }
}

/**
 * What to answer for an error thrown while handling a request: a `ShowInputError` as it says, the bus's
 * errors as 503 / 409, anything else as a 500 that tells nothing of the server's insides (it is logged).
 */
export function refusalOf(error: unknown): HttpRefusal & {unexpected: boolean} {
  if (error instanceof ShowInputError) {
    const headers: Headers = {...(error instanceof HttpError ? error.headers : {})};
    // A refusal that says when to try again (slow mode's 429) says it in the header too, as HTTP clients read it.
    const retryAfter = error.details.retryAfter;
    if (typeof retryAfter === 'number' && headers['retry-after'] === undefined) headers['retry-after'] = retryAfter;
    return {status: error.status, code: error.code, message: error.message, details: error.details, headers, unexpected: false};
  }
  if (error instanceof BusUnavailableError) {
    return {
      status: 503,
      code: 'unavailable',
      message: 'The show log cannot be reached right now; try again in a few seconds.',
      details: {},
      headers: {'retry-after': 2},
      unexpected: false,
    };
  }
  if (error instanceof BusConflictError) {
    return {status: 409, code: 'conflict', message: 'Someone else changed this first; read it again and retry.', details: {}, headers: {}, unexpected: false};
  }
  return {status: 500, code: 'internal', message: 'The server failed to handle this request.', details: {}, headers: {}, unexpected: true};
}

/** Sends `body` as JSON with `status` (never cached: every answer here is live). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Sends a refusal. When the request's body was not read to its end (a 413, a 401 before the body), the
 * connection is closed after the answer instead of reading and discarding what the client still sends.
 */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: Omit<HttpRefusal, 'headers'> & {headers?: Headers}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  // A request without a body is complete once its headers are parsed (`complete` may not be set yet when a
  // refusal is sent in the same tick): only a body still coming closes the connection.
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const unread = hasBody && !req.complete;
  const headers: Headers = {...refusal.headers};
  if (unread) headers.connection = 'close';
  sendJson(res, refusal.status, {...refusal.details, error: refusal.code, message: refusal.message}, headers);
  // Let the answer reach the client before the socket goes: destroying at once can turn it into a reset.
  if (unread) res.once('finish', () => setTimeout(() => req.socket.destroy(), 100).unref());
}
