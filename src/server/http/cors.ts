/**
 * CORS for the viewer endpoints (DESIGN.md §8.2): any origin by default, since viewers send no cookies and
 * are named by a header or a bearer token; `--allow-origin` narrows it to a list. The host endpoints are
 * never cross-origin: they get no CORS headers at all, so a browser on another origin cannot call them.
 */
import type {IncomingMessage} from 'node:http';
import type {Headers} from './errors.js';

/** Request headers a viewer page may send: JSON bodies, a viewer token, the anonymous id, SSE resume. */
const ALLOW_HEADERS = 'Content-Type, Authorization, X-Kol-Viewer, Last-Event-ID';
/** Response headers a viewer page may read: `Date` is the SDK's server clock (design.md §4, change 2). */
const EXPOSE_HEADERS = 'Date, Retry-After';

/** The CORS policy of the viewer endpoints. */
export interface CorsPolicy {
  /**
   * The CORS headers for a viewer response to `req`: `{}` for a request without `Origin`, `null` when
   * its origin is not allowed (the request is refused rather than run without CORS headers).
   */
  headers(req: IncomingMessage): Headers | null;
  /** The headers of a preflight answer (`OPTIONS`) for `methods`, or `null` when the origin is not allowed. */
  preflight(req: IncomingMessage, methods: string): Headers | null;
}

/** The policy for `allowOrigins` (undefined or empty: any origin). Origins are compared exactly. */
export function createCors(allowOrigins?: readonly string[]): CorsPolicy {
  const list = allowOrigins?.length ? new Set(allowOrigins.map((o) => o.replace(/\/+$/, ''))) : null;
  const headers = (req: IncomingMessage): Headers | null => {
    const origin = req.headers.origin;
    if (!origin) return list ? {vary: 'Origin'} : {};
    if (!list) return {'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE_HEADERS};
    if (!list.has(origin)) return null;
    return {'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS, vary: 'Origin'};
  };
  return {
    headers,
    preflight(req, methods) {
      const base = headers(req);
      if (!base) return null;
      return {
        ...base,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': 600,
      };
    },
  };
}
