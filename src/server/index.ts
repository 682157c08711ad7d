/**
 * `kolkit/server`: the show server (DESIGN.md §8), Node ≥ 20 only. `createShowServer` puts the parts
 * together — a bus (embedded: files under `dataDir`; cluster: NATS JetStream), the show logs over it,
 * presence and reactions, and the HTTP edge — and answers a running server with a graceful `close()`.
 * `kolkit serve` (cli.ts) is this plus flags, secrets from the environment and signals.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {hostname} from 'node:os';
import {signHostToken, signViewerToken, verifyHost, viewerIdentity} from './auth.js';
import {createEmbeddedBus} from './bus/embedded.js';
import {natsCredentialsFromEnv, type NatsCredentials} from './bus/nats-auth.js';
import type {ShowBus} from './bus/types.js';
import {createHttpEdge, type EdgeLimits, type HttpEdge} from './http/edge.js';
import type {StudioOptions} from './http/studio.js';
import {createLogger, type Logger} from './log.js';
import {checkHookOptions, createHookSender, type HookOptions} from './hooks.js';
import {createChatBudget} from './engagement/chat-budget.js';
import {createAuctions} from './engagement/auctions.js';
import {createChat} from './engagement/chat.js';
import {createModeration} from './engagement/moderation.js';
import {createGiveaways} from './engagement/giveaways.js';
import {createGroups} from './engagement/groups.js';
import {createPolls} from './engagement/polls.js';
import {createPresence} from './engagement/presence.js';
import {createReactions, validateReaction} from './engagement/reactions.js';
import {createRequests} from './engagement/requests.js';
import {createShowLogs} from './show-log.js';
import type {ShowLogs} from './types.js';

export {createLogger, natsCredentialsFromEnv, signHostToken, signViewerToken};
export type {EdgeLimits, HookOptions, Logger, NatsCredentials, ShowLogs, StudioOptions};

/** Options of `createShowServer`. */
export interface ShowServerOptions {
  /** The port to listen on; 0 (the default) picks a free one (`ShowServer.port` says which). */
  port?: number;
  /**
   * The interface to listen on. Default `0.0.0.0`, every IPv4 interface: a show server is meant to be
   * reached by viewers, usually through a load balancer on another machine. Give `127.0.0.1` to keep it
   * local (a load balancer on the same machine, tests), `::` for IPv6 as well.
   */
  host?: string;
  /** Embedded mode's data directory (the show logs); required unless `nats` is given. */
  dataDir?: string;
  /**
   * Cluster mode: the NATS servers' URLs (`nats://a:4222`…; `nats://user:pass@a:4222` or `nats://token@a:4222`
   * to authenticate). The NATS client is loaded only then.
   */
  nats?: string[];
  /** Cluster mode: NATS credentials (`natsCredentialsFromEnv` reads `KOLKIT_NATS_*`), unless the URLs carry them. */
  natsCredentials?: NatsCredentials | null;
  /** Origins allowed to call the viewer endpoints (default: any; viewers use no cookies). */
  allowOrigins?: string[];
  /** Take client addresses from `X-Forwarded-For` (behind a load balancer only). */
  trustProxy?: boolean;
  /** `KOLKIT_HOST_SECRET` (host and moderator tokens) and `KOLKIT_VIEWER_SECRET` (viewer tokens). */
  secrets: {host: string; viewer: string};
  /** This node's name: unique per node in a cluster (default: the host name and process id). */
  node?: string;
  /** The ISO 4217 currency of deal prices a host gives as decimal strings (default `EUR`). */
  currency?: string;
  /** The logger (default: JSON lines on stdout). */
  logger?: Logger;
  /** The edge's bounds and timeouts (tests shorten them). */
  limits?: Partial<EdgeLimits>;
  /** The viewer count's period: at most one `viewers.update` per show per period (default 5000 ms; tests shorten it). */
  viewersPeriodMs?: number;
  /** What the studio at `/studio` offers: the show it opens, a catalog to pin from, a stream to preview. */
  studio?: StudioOptions;
  /**
   * Fan-out worker processes that write the event streams (default 0: this process writes them); one per
   * core for thousands of viewers per node (docs/scaling.md).
   */
  fanOutWorkers?: number;
  /**
   * Viewer chat messages forwarded per show per second, on this node (default 20; 0: no budget). Plain viewers'
   * messages take at most half; customers' and those mentioning a product the rest. A message past the budget
   * is answered to its sender (`forwarded: false`) and still counts toward the request ranking.
   */
  chatBudget?: number;
  /**
   * Server hooks (src/server/hooks.ts): where the node that closes an auction posts `auction.won` (and a filled
   * group `group.filled`), signed with `secret` (`KOLKIT_HOOK_SECRET`, at least 32 bytes, unlike the token
   * secrets). None by default.
   */
  hooks?: HookOptions;
  /** How long a node trusts the moderation settings it read (default 2000 ms): a change made on another node holds here within it. */
  moderationCacheMs?: number;
}

/** A running show server. */
export interface ShowServer {
  /** The base URL (`http://127.0.0.1:43121`; a wildcard host is shown as 127.0.0.1, where it is reachable). */
  readonly url: string;
  readonly port: number;
  readonly node: string;
  readonly mode: 'embedded' | 'cluster';
  /**
   * Graceful shutdown: stops accepting, ends every event stream with a last comment (viewers reconnect
   * elsewhere with `Last-Event-ID`), waits for requests under way (up to `limits.shutdownGraceMs`), then
   * stops presence and reactions and closes the bus. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Shortest secret accepted: HS256 keys shorter than the hash are guessable, and jose would not refuse them. */
export const MIN_SECRET_BYTES = 32;

/** Throws an `Error` saying what is wrong with `secrets` (too short, or one secret for both roles). */
export function checkSecrets(secrets: {host?: string; viewer?: string}): asserts secrets is {host: string; viewer: string} {
  for (const [name, secret] of [['KOLKIT_HOST_SECRET', secrets.host], ['KOLKIT_VIEWER_SECRET', secrets.viewer]] as const) {
    if (!secret) throw new Error(`${name} is not set.`);
    if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) throw new Error(`${name} is shorter than ${MIN_SECRET_BYTES} bytes: use a long random string (e.g. \`openssl rand -base64 48\`).`);
  }
  // One secret for both would let a host token pass as a viewer token and the reverse.
  if (secrets.host === secrets.viewer) throw new Error('KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET must differ.');
}

/** A default node name: host name and process id, in the characters KV keys and subjects allow. */
const defaultNode = () => `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);

/** Options of `createShowService`: a show server's, less where it listens. */
export type ShowServiceOptions = Omit<ShowServerOptions, 'port' | 'host'>;

/**
 * The show server without a listening socket, to mount in an existing node:http server (the demo app, a
 * merchant's own server): `handle` serves `/v1/…` and `/studio…` and answers false for any other path.
 */
export interface ShowService {
  readonly node: string;
  readonly mode: 'embedded' | 'cluster';
  /** Every show's log (host events, state, timeline, joins), for what runs next to the server (the demo's stream). */
  readonly logs: ShowLogs;
  /**
   * Serves `req` when its path is the server's; otherwise answers false at once without touching `res`.
   * The host server's own timeouts apply to its sockets (createShowServer sets the edge's).
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Ends every event stream, waits for requests under way (up to `limits.shutdownGraceMs`), closes the bus. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the show server's parts without listening. Rejects (having released what it took) when the bus cannot be had. */
export async function createShowService(options: ShowServiceOptions): Promise<ShowService> {
  return (await start(options)).service;
}

/** Starts a show server. Rejects (having released what it took) when the bus or the port cannot be had. */
export async function createShowServer(options: ShowServerOptions): Promise<ShowServer> {
  const {service, edge, log} = await start(options);
  try {
    const {port, url} = await edge.listen(options.port ?? 0, options.host ?? '0.0.0.0');
    const reachable = url.replace(/^http:\/\/(0\.0\.0\.0|\[::\])/, 'http://127.0.0.1');
    log.info({event: 'listening', url: reachable, mode: service.mode}, 'listening');
    return {url: reachable, port, node: service.node, mode: service.mode, close: () => service.close()};
  } catch (error) {
    await service.close();
    throw error;
  }
}

/** The parts of a server, started: the service (what both entry points answer) and its edge. */
async function start(options: ShowServiceOptions): Promise<{service: ShowService; edge: HttpEdge; log: Logger}> {
  checkSecrets(options.secrets);
  if (options.hooks) checkHookOptions(options.hooks, options.secrets);
  const node = options.node ?? defaultNode();
  const log = options.logger ?? createLogger({node});
  const bus = await openBus(options, node, log);
  const closers: Array<() => void | Promise<void>> = [() => bus.close()];
  try {
    // Closed after everything that sends hooks (closers run last-added first).
    const hooks = options.hooks ? createHookSender({...options.hooks, log}) : undefined;
    if (hooks) closers.unshift(() => hooks.close());
    const logs = createShowLogs({bus, log, ...(options.currency ? {currency: options.currency} : {})});
    const presence = createPresence({bus, logs, node, log, ...(options.viewersPeriodMs ? {periodMs: options.viewersPeriodMs} : {})});
    closers.unshift(() => presence.close());
    const reactions = createReactions({bus, logs, node, log});
    closers.unshift(() => reactions.close());
    const polls = createPolls({bus, logs, node, log});
    closers.unshift(() => polls.stop());
    const giveaways = createGiveaways({bus, logs, log});
    closers.unshift(() => giveaways.stop());
    const groups = createGroups({bus, logs, node, log, ...(hooks && {hooks})});
    closers.unshift(() => groups.stop());
    const auctions = createAuctions({bus, logs, log, ...(hooks && {hooks})});
    closers.unshift(() => auctions.stop());
    const moderation = createModeration({kv: bus.kv, logs, log, ...(options.moderationCacheMs !== undefined && {cacheMs: options.moderationCacheMs})});
    closers.unshift(() => moderation.close());
    const requests = createRequests({kv: bus.kv, node, log});
    closers.unshift(() => requests.close());
    const chat = createChat({logs, moderation, requests, budget: createChatBudget(options.chatBudget), log});
    const edge = createHttpEdge({
      services: {bus, logs, presence, reactions, validateReaction, chat, moderation, hostFeed: requests.feed, polls, giveaways, auctions, groups, verifyHost, viewerIdentity},
      secrets: options.secrets,
      node,
      log,
      allowOrigins: options.allowOrigins,
      trustProxy: options.trustProxy,
      limits: options.limits,
      studio: options.studio,
      fanOutWorkers: options.fanOutWorkers,
    });
    closers.unshift(() => edge.close());
    let closing: Promise<void> | null = null;
    const service: ShowService = {
      node,
      mode: bus.mode,
      logs,
      handle: (req, res) => edge.handle(req, res),
      close() {
        closing ??= (async () => {
          log.info({event: 'shutting-down'}, 'shutting down');
          await closeAll(closers, log);
          log.info({event: 'stopped'}, 'stopped');
        })();
        return closing;
      },
    };
    return {service, edge, log};
  } catch (error) {
    await closeAll(closers, log);
    throw error;
  }
}

/** The bus of `options`: NATS when servers are named (loaded only then), else files under `dataDir`. */
async function openBus(options: ShowServerOptions, node: string, log: Logger): Promise<ShowBus> {
  if (options.nats?.length) {
    const {createNatsBus} = await import('./bus/nats.js');
    return createNatsBus({servers: options.nats, credentials: options.natsCredentials ?? null, node, log});
  }
  if (!options.dataDir) throw new Error('dataDir is required in embedded mode (or give NATS servers for cluster mode).');
  return createEmbeddedBus({dir: options.dataDir, log});
}

/** Runs each closer in order; one failing is logged and the rest still run. */
async function closeAll(closers: Array<() => void | Promise<void>>, log: Logger): Promise<void> {
  for (const close of closers.splice(0)) {
    try {
      await close();
    } catch (error) {
      log.error({event: 'close-failed', err: error}, 'a part of the server failed to close');
    }
  }
}
