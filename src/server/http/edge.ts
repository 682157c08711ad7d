/**
 * The HTTP edge of the show server (DESIGN.md §8.2) on node:http: routing, CORS, timeouts on every socket,
 * one log line per request, and a graceful close. What each endpoint does is in handlers.ts; what it calls
 * is handed in as `EdgeServices`.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import type {Logger} from '../log.js';
import {MAX_BODY_BYTES} from './body.js';
import {createCors} from './cors.js';
import {HttpError, refusalOf, sendRefusal} from './errors.js';
import * as handlers from './handlers.js';
import {createViewerLimits, type ActionRates, type LimitedAction} from './rate-limit.js';
import {matchRoute, METHODS, ownsPath, routeNotFound, type RouteName} from './routes.js';
import type {EdgeServices} from './services.js';
import {createSseHub, DEFAULT_SSE_LIMITS, type SseLimits} from './sse.js';
import {createWorkerSseHub} from './sse-workers.js';
import {createStudio, type StudioOptions} from './studio.js';

/** The edge's bounds (tests shorten them). */
export interface EdgeLimits extends SseLimits {
  /** Largest request body read (bytes). */
  bodyBytes: number;
  /** A request's headers must have arrived within this (ms): a slowloris trickling headers is cut. */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must have arrived within this (ms): a trickled body is cut. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /** How often the server looks for requests past their timeouts (ms; Node's default, 30 s, is too late). */
  connectionsCheckingIntervalMs: number;
  /** A socket with no traffic either way for this long is closed (ms; SSE streams have heartbeats). */
  socketIdleMs: number;
  /** How long `close()` waits for requests under way before cutting them (ms). */
  shutdownGraceMs: number;
  /**
   * The listen backlog: connections the kernel completes and holds while the process is busy. A reconnect
   * storm (every viewer of a node that died, at once) overflows Node's default of 511, and each refused
   * SYN is retried by the client's TCP only after 1, 3, 7, 15… s. Linux caps it at `net.core.somaxconn`
   * (4096 by default since 5.4).
   */
  backlog: number;
  /** Viewer action rate limits. */
  rates: Partial<Record<LimitedAction, ActionRates>>;
}

/** Production defaults. */
export const DEFAULT_EDGE_LIMITS: EdgeLimits = {
  ...DEFAULT_SSE_LIMITS,
  bodyBytes: MAX_BODY_BYTES,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  socketIdleMs: 120_000,
  shutdownGraceMs: 10_000,
  backlog: 4096,
  rates: {},
};

/** Options of `createHttpEdge`. */
export interface HttpEdgeOptions {
  services: EdgeServices;
  /** `KOLKIT_HOST_SECRET` and `KOLKIT_VIEWER_SECRET`. */
  secrets: {host: string; viewer: string};
  /** This node's name (health, logs). */
  node: string;
  log: Logger;
  /** Origins allowed to call the viewer endpoints (none given: any). */
  allowOrigins?: readonly string[];
  /**
   * Take the client address from the last `X-Forwarded-For` entry (set it behind a load balancer, or every
   * viewer shares its address and so its rate limit; never without one, or a client can name any address).
   */
  trustProxy?: boolean;
  limits?: Partial<EdgeLimits>;
  /** What the studio offers (its show, catalog, stream preview). */
  studio?: StudioOptions;
  /**
   * Processes that write the event streams beside this one (default 0: this process writes them). One write
   * per viewer per pass is the fan-out's cost and a process writes from one core: with thousands of viewers
   * per node, one per core spreads it (docs/scaling.md).
   */
  fanOutWorkers?: number;
}

/** The running edge. */
export interface HttpEdge {
  readonly server: Server;
  /** Starts listening; answers the port and the base URL. */
  listen(port: number, host: string): Promise<{port: number; url: string}>;
  /**
   * Serves a request another node:http server received (the edge mounted in it) when its path is the edge's
   * (`/v1/…`, `/studio…`); answers false at once, without touching `res`, for any other path.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Open viewer and host streams per show on this node. */
  streams(): Map<string, number>;
  /**
   * Graceful close: stops accepting, ends every stream with a last comment, waits for requests under way
   * up to `shutdownGraceMs`, then cuts what is left.
   */
  close(): Promise<void>;
}

type Handler = (ctx: handlers.RequestContext, deps: handlers.HandlerDeps) => void | Promise<void>;

const HANDLERS: Record<Exclude<RouteName, 'studio'>, Partial<Record<string, Handler>>> = {
  health: {GET: handlers.health},
  events: {GET: handlers.viewerEvents, POST: handlers.postHostEvent},
  'host-events': {GET: handlers.hostEvents},
  state: {GET: handlers.getState},
  timeline: {GET: handlers.getTimeline},
  chat: {POST: handlers.postChat},
  reactions: {POST: handlers.postReaction},
  moderation: {GET: handlers.getModeration, POST: handlers.postModeration},
  'poll-votes': {POST: handlers.postVote},
  giveaway: {GET: handlers.getGiveaway},
  'giveaway-entries': {POST: handlers.postGiveawayEntry},
  'giveaway-draw': {POST: handlers.postGiveawayDraw},
  'auction-bids': {POST: handlers.postBid},
  'auction-result': {GET: handlers.getAuctionResult},
  'group-members': {POST: handlers.postGroupMember},
  'group-membership': {GET: handlers.getGroupMembership},
};

/** Builds the edge (not yet listening). */
export function createHttpEdge(options: HttpEdgeOptions): HttpEdge {
  const limits: EdgeLimits = {...DEFAULT_EDGE_LIMITS, ...options.limits};
  const log = options.log;
  const cors = createCors(options.allowOrigins);
  const hub = options.fanOutWorkers ? createWorkerSseHub(limits, log, options.fanOutWorkers) : createSseHub(limits, log);
  const deps: handlers.HandlerDeps = {
    services: options.services,
    secrets: options.secrets,
    node: options.node,
    limits: createViewerLimits(limits.rates),
    bodyBytes: limits.bodyBytes,
    hub,
    log,
  };
  let closing: Promise<void> | null = null;
  let inFlight = 0;
  let settled: (() => void) | null = null;

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      noDelay: true,
    },
    (req, res) => accept(req, res),
  );
  server.timeout = limits.socketIdleMs;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => refuseClient(error, socket, log));

  const studio = createStudio({...options.studio, hostSecret: options.secrets.host, verifyHost: options.services.verifyHost});

  /** Counts a request in flight (a graceful close waits for it) and serves it. */
  function accept(req: IncomingMessage, res: ServerResponse): void {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) settled?.();
    });
    void handle(req, res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    // Only the path is ever logged: a query may carry a token (the studio link's).
    const url = new URL(req.url ?? '/', 'http://edge.invalid');
    const ctx: handlers.RequestContext = {req, res, url, show: '', item: '', cors: {}, ip: clientIp(req, options.trustProxy), logFields: {}};
    res.once('close', () => {
      log.info(
        {event: 'request', method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started), show: ctx.show || undefined, ...ctx.logFields},
        'request',
      );
    });
    try {
      if (closing) {
        res.setHeader('connection', 'close');
        throw new HttpError(503, 'shutting-down', 'This server is shutting down; try again (another node, or in a moment).', {}, {'retry-after': 1});
      }
      const route = matchRoute(url.pathname);
      if (!route) throw routeNotFound(url.pathname);
      ctx.show = route.show;
      ctx.item = route.item ?? '';
      const methods = METHODS[route.name];
      const preflight = req.method === 'OPTIONS' && methods.crossOrigin.length > 0;
      // A viewer endpoint (or its preflight): every answer, refusals included, carries CORS headers so the
      // page can read it. The same path's host method (POST events) gets none: a browser on another origin
      // cannot call it (its preflight names GET only), while the studio on this origin can.
      if (preflight || methods.crossOrigin.includes(req.method ?? '')) {
        const headers = preflight ? cors.preflight(req, methods.crossOrigin.join(', ')) : cors.headers(req);
        if (!headers) throw new HttpError(403, 'origin-not-allowed', `The origin ${req.headers.origin} may not call this server.`);
        if (preflight) {
          res.writeHead(204, headers).end();
          return;
        }
        ctx.cors = headers;
      }
      if (!methods.allow.includes(req.method ?? '')) {
        throw new HttpError(405, 'method-not-allowed', `${url.pathname} answers ${methods.allow.join(' and ')} only.`, {}, {allow: methods.allow.join(', ')});
      }
      if (route.name === 'studio') await studio(req, res, url);
      else await HANDLERS[route.name][req.method!]!(ctx, deps);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal.unexpected) log.error({event: 'request-failed', method: req.method, path: url.pathname, err: error}, 'request failed');
      if (refusal.status === 503 && refusal.code !== 'shutting-down') log.warn({event: 'unavailable', path: url.pathname, err: error}, 'bus unavailable');
      ctx.logFields.error = refusal.code;
      sendRefusal(req, res, {...refusal, headers: {...ctx.cors, ...refusal.headers}});
    }
  }

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({port, host, backlog: limits.backlog}, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({port: address.port, url: `http://${shown}:${address.port}`});
        });
      });
    },
    handle(req, res) {
      if (!ownsPath(new URL(req.url ?? '/', 'http://edge.invalid').pathname)) return false;
      accept(req, res);
      return true;
    },
    streams: () => hub.counts(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        hub.closeAll('server shutting down: reconnect with Last-Event-ID');
        server.closeIdleConnections();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            settled = resolve;
            setTimeout(resolve, limits.shutdownGraceMs).unref();
          });
        }
        server.closeAllConnections();
        // The streams a fan-out worker writes were ended with the others; the server's close waits for them.
        await hub.stop(limits.shutdownGraceMs);
        await stopped;
      })();
      return closing;
    },
  };
}

/** The client's address: the socket's, or the last `X-Forwarded-For` entry behind a trusted proxy. */
function clientIp(req: IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Statuses for what the HTTP parser refuses before a request exists (timeouts, bad or huge headers). */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'timeout', 'The request did not arrive in time.'],
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'The request headers are too large.'],
};

/**
 * Answers what the HTTP parser refused (a slowloris past its timeout, malformed or oversized headers) with a
 * JSON error, then closes the connection. Resets and closed sockets are just dropped.
 */
function refuseClient(error: NodeJS.ErrnoException, socket: Socket, log: Logger): void {
  const code = error.code ?? '';
  const [status, reason, message] = CLIENT_ERRORS[code] ?? [400, 'bad-request', 'The request is not valid HTTP/1.1.'];
  const answered = (socket as Socket & {_httpMessage?: ServerResponse | null})._httpMessage?.headersSent;
  if (code !== 'ECONNRESET' && socket.writable && !answered) {
    const body = JSON.stringify({error: reason, message});
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    log.info({event: 'client-error', code, status}, 'refused a malformed or slow request');
  }
  socket.destroySoon?.();
  setTimeout(() => socket.destroy(), 1_000).unref();
}
