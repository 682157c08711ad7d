/**
 * The endpoints of DESIGN.md §8.2 for issue 12, one function each. Each gets a request context and either
 * answers or throws (the edge turns a throw into a JSON refusal).
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {LoggedEvent} from '../bus/types.js';
import {checkIdempotencyKey} from '../host-event.js';
import type {Logger} from '../log.js';
import {readJsonBody, readJsonObject} from './body.js';
import {HttpError, sendJson, type Headers} from './errors.js';
import type {LimitedAction, ViewerLimits} from './rate-limit.js';
import type {EdgeServices} from './services.js';
import type {SseHub} from './sse.js';

/** What a handler knows of its request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The show of `/v1/shows/{show}/…` ('' elsewhere). */
  show: string;
  /** The poll or giveaway of `…/polls/{poll}/…` and `…/giveaways/{giveaway}…` ('' elsewhere). */
  item: string;
  /** CORS headers for this response (`{}` for host endpoints and same-origin requests). */
  cors: Headers;
  /** The client's address (the proxy's `X-Forwarded-For` when trusted). */
  ip: string;
  /** Fields for this request's log line (a handler may add some: the event type, the role). */
  logFields: Record<string, unknown>;
}

/** What every handler shares. */
export interface HandlerDeps {
  services: EdgeServices;
  secrets: {host: string; viewer: string};
  node: string;
  limits: ViewerLimits;
  bodyBytes: number;
  hub: SseHub;
  log: Logger;
}

/** `GET /v1/health`: 200 while the bus takes writes, 503 otherwise. */
export function health({res}: RequestContext, {services, node}: HandlerDeps): void {
  const ok = services.bus.healthy();
  const body = {ok, mode: services.bus.mode, node};
  if (ok) sendJson(res, 200, body);
  else sendJson(res, 503, {...body, error: 'unavailable', message: 'The bus cannot take writes right now.'});
}

/** `POST /v1/shows/{show}/events`: a host event, stamped and stored; 201 with the stamped event. */
export async function postHostEvent(ctx: RequestContext, {services, secrets, bodyBytes}: HandlerDeps): Promise<void> {
  const host = await services.verifyHost(ctx.req.headers.authorization, ctx.show, secrets.host);
  ctx.logFields.role = host.role;
  // Checked before the body is read; stamping derives the event's id from it.
  const header = ctx.req.headers['idempotency-key'];
  const idempotencyKey = header === undefined ? undefined : checkIdempotencyKey(header);
  let body = await readJsonBody(ctx.req, bodyBytes);
  if (host.role === 'moderator') {
    // A moderator speaks in chat (with the moderator's badge, whatever the body says) and moderates; the
    // show itself (pins, deals, polls…) is the host's.
    if (!body || typeof body !== 'object' || (body as {type?: unknown}).type !== 'chat.message') {
      throw new HttpError(403, 'forbidden', 'A moderator token may post chat messages only; show events are the host\'s.');
    }
    body = {...body, role: 'moderator'};
  }
  if (isPollClose(body)) {
    // The shorthand {type: 'poll.close', pollId}: the polls service fills the final counts of every node
    // (its event id is the poll's own, so no idempotency key is needed for a retry to store it once).
    const closed = await services.polls.closeByHost(ctx.show, body);
    ctx.logFields.type = closed.event.type;
    ctx.logFields.seq = closed.seq;
    sendJson(ctx.res, 201, closed.event);
    return;
  }
  const options = idempotencyKey === undefined ? {} : {idempotencyKey};
  // An auction opens only when the show's last one has closed (its close and its winner are one per show at a time).
  const entry = isType(body, 'auction.open') ? await services.auctions.open(ctx.show, body, options) : await services.logs.hostEvent(ctx.show, body, options);
  ctx.logFields.type = entry.event.type;
  ctx.logFields.seq = entry.seq;
  if (entry.replayed) ctx.logFields.replayed = true;
  // A replay answers exactly as the first post did (a client retrying after a lost answer needs no other
  // case); the header tells one that wants to know.
  sendJson(ctx.res, 201, entry.event, entry.replayed ? {'idempotent-replayed': 'true'} : {});
}

/** `GET /v1/shows/{show}/state`: the reduced state. */
export async function getState({res, show, cors}: RequestContext, {services}: HandlerDeps): Promise<void> {
  sendJson(res, 200, await services.logs.state(show), cors);
}

/** `GET /v1/shows/{show}/timeline`: every event, oldest first (the SDK's recorded-timeline source). */
export async function getTimeline({res, show, cors}: RequestContext, {services}: HandlerDeps): Promise<void> {
  sendJson(res, 200, await services.logs.timeline(show), cors);
}

/** `POST /v1/shows/{show}/chat`: `{text, name?}` → 202 `{id, forwarded, message}`. */
export async function postChat(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'chat');
  const body = await readJsonObject(ctx.req, deps.bodyBytes);
  const accepted = await deps.services.chat.accept(ctx.show, body, identity);
  if (!accepted.forwarded) ctx.logFields.forwarded = false;
  sendJson(ctx.res, 202, accepted, ctx.cors);
}

/** `POST /v1/shows/{show}/moderation` (host or moderator): one action → 200 `{settings}`. */
export async function postModeration(ctx: RequestContext, {services, secrets, bodyBytes}: HandlerDeps): Promise<void> {
  const by = await services.verifyHost(ctx.req.headers.authorization, ctx.show, secrets.host);
  ctx.logFields.role = by.role;
  const body = await readJsonObject(ctx.req, bodyBytes);
  ctx.logFields.action = typeof body.action === 'string' ? body.action.slice(0, 32) : undefined;
  sendJson(ctx.res, 200, {settings: await services.moderation.act(ctx.show, body, by)});
}

/** `GET /v1/shows/{show}/moderation` (host or moderator): 200 `{settings}`. */
export async function getModeration(ctx: RequestContext, {services, secrets}: HandlerDeps): Promise<void> {
  ctx.logFields.role = (await services.verifyHost(ctx.req.headers.authorization, ctx.show, secrets.host)).role;
  sendJson(ctx.res, 200, {settings: await services.moderation.settings(ctx.show)});
}

/** `POST /v1/shows/{show}/reactions`: `{kind}` → 202, counted into the next `reactions.update`. */
export async function postReaction(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'reactions');
  const kind = deps.services.validateReaction(await readJsonObject(ctx.req, deps.bodyBytes));
  deps.services.reactions.add(ctx.show, kind, identity);
  sendJson(ctx.res, 202, {accepted: true}, ctx.cors);
}

/** `POST /v1/shows/{show}/polls/{poll}/votes`: `{option}` → 202 `{accepted: true}`; one vote per viewer. */
export async function postVote(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'votes');
  const body = await readJsonObject(ctx.req, deps.bodyBytes);
  await deps.services.polls.vote(ctx.show, ctx.item, body, identity);
  sendJson(ctx.res, 202, {accepted: true}, ctx.cors);
}

/** `POST /v1/shows/{show}/giveaways/{giveaway}/entries` (a customer): → 201 `{entered: true}`; one entry per customer. */
export async function postGiveawayEntry(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'entries');
  await readJsonObject(ctx.req, deps.bodyBytes);
  await deps.services.giveaways.enter(ctx.show, ctx.item, identity);
  sendJson(ctx.res, 201, {entered: true}, ctx.cors);
}

/** `POST /v1/shows/{show}/giveaways/{giveaway}/draw` (host): → 200 `{winner: {id, name} | null, entries}`, the same every time. */
export async function postGiveawayDraw(ctx: RequestContext, {services, secrets}: HandlerDeps): Promise<void> {
  await hostOnly(ctx, services, secrets.host, 'draw a giveaway');
  sendJson(ctx.res, 200, await services.giveaways.draw(ctx.show, ctx.item));
}

/** `GET /v1/shows/{show}/giveaways/{giveaway}` (host): entries, and once drawn the winner with their customer id. */
export async function getGiveaway(ctx: RequestContext, {services, secrets}: HandlerDeps): Promise<void> {
  await hostOnly(ctx, services, secrets.host, 'read a giveaway');
  sendJson(ctx.res, 200, await services.giveaways.report(ctx.show, ctx.item));
}

/**
 * `POST /v1/shows/{show}/groups/{group}/members` (a customer): → 201 `{joined, needed, endsAt, member: true}`,
 * or 200 with the same for a member already; one membership per customer.
 */
export async function postGroupMember(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'joins');
  await readJsonObject(ctx.req, deps.bodyBytes);
  const {created, answer} = await deps.services.groups.join(ctx.show, ctx.item, identity);
  sendJson(ctx.res, created ? 201 : 200, answer, ctx.cors);
}

/** `GET /v1/shows/{show}/groups/{group}/membership` (a customer): → 200 `{member, joined, needed, ended?}`. */
export async function getGroupMembership(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'joins');
  sendJson(ctx.res, 200, await deps.services.groups.membership(ctx.show, ctx.item, identity), ctx.cors);
}

/**
 * `POST /v1/shows/{show}/auctions/{auction}/bids` (a customer): `{amount, key?}` → 201 `{accepted, highBid,
 * endsAt, leading, bids}`, the same for a retry with the same key.
 */
export async function postBid(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'bids');
  const body = await readJsonObject(ctx.req, deps.bodyBytes);
  sendJson(ctx.res, 201, await deps.services.auctions.bid(ctx.show, ctx.item, body, identity), ctx.cors);
}

/** `GET /v1/shows/{show}/auctions/{auction}/result` (a customer): → 200 `{auctionId, closed, won, price?, productId, variantId?}`. */
export async function getAuctionResult(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const identity = await viewerOf(ctx, deps, 'bids');
  sendJson(ctx.res, 200, await deps.services.auctions.result(ctx.show, ctx.item, identity), ctx.cors);
}

/** Checks a host token (a moderator's is a 403: `what` is the host's to do). */
async function hostOnly(ctx: RequestContext, services: EdgeServices, secret: string, what: string): Promise<void> {
  const host = await services.verifyHost(ctx.req.headers.authorization, ctx.show, secret);
  ctx.logFields.role = host.role;
  if (host.role !== 'host') throw new HttpError(403, 'forbidden', `Only a host token may ${what}; this one is a moderator's.`);
}

/** A host event body `{type, …}` of this type. */
function isType(body: unknown, type: string): body is Record<string, unknown> {
  return !!body && typeof body === 'object' && !Array.isArray(body) && (body as {type?: unknown}).type === type;
}

/** A host event body `{type: 'poll.close', …}`. */
function isPollClose(body: unknown): body is Record<string, unknown> {
  return !!body && typeof body === 'object' && !Array.isArray(body) && (body as {type?: unknown}).type === 'poll.close';
}

/** The viewer of an action, after the address's and then the viewer's rate limit. */
async function viewerOf(ctx: RequestContext, {services, secrets, limits}: HandlerDeps, action: LimitedAction) {
  // The address first: it is checked before any work (a token to verify, a body to read) is done.
  await limits.checkIp(action, ctx.ip);
  const identity = await services.viewerIdentity(ctx.req.headers, secrets.viewer);
  await limits.checkViewer(action, identity.id);
  return identity;
}

/** `GET /v1/shows/{show}/events`: the viewers' stream, counted by presence while open. */
export function viewerEvents(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  return streamShow(ctx, deps, 'viewer');
}

/** `GET /v1/shows/{show}/host/events`: the same stream plus host-only events, for a host or moderator. */
export async function hostEvents(ctx: RequestContext, deps: HandlerDeps): Promise<void> {
  const host = await deps.services.verifyHost(ctx.req.headers.authorization, ctx.show, deps.secrets.host);
  ctx.logFields.role = host.role;
  return streamShow(ctx, deps, 'host');
}

/** `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers): a sequence, or null. */
function lastEventIdOf({req, url}: RequestContext): number | null {
  const header = req.headers['last-event-id'];
  const raw = (typeof header === 'string' ? header : url.searchParams.get('lastEventId') ?? '').trim();
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  // An id this server never sent (garbage, a proxy's) is no resume point: the viewer gets a snapshot.
  return Number.isSafeInteger(id) ? id : null;
}

/**
 * Streams `show`: the catch-up `ShowLogs.join` gives (collected until the join answers, so a log that
 * cannot be read is a 503, not a broken stream), then every new entry; a viewer stream is counted by
 * presence, a host stream also gets the host feed.
 */
async function streamShow(ctx: RequestContext, {services, hub}: HandlerDeps, who: 'viewer' | 'host'): Promise<void> {
  const {req, res, show} = ctx;
  const lastEventId = lastEventIdOf(ctx);
  ctx.logFields.lastEventId = lastEventId;
  const pending: LoggedEvent[] = [];
  let send: (entry: LoggedEvent) => void = (entry) => pending.push(entry);
  const leave = await services.logs.join(show, lastEventId, (entry) => send(entry));
  if (req.destroyed || res.destroyed || res.closed) {
    leave();
    return;
  }
  const stream = hub.open(res, show, ctx.cors);
  // The last log sequence this stream sent: a host-only event goes out with it as its id (see HostFeed).
  let lastSeq = 0;
  send = (entry) => {
    lastSeq = Math.max(lastSeq, entry.seq);
    stream.send(entry);
  };
  for (const entry of pending) send(entry);
  stream.endCatchUp();
  stream.onClose(leave);
  if (who === 'viewer') stream.onClose(services.presence.open(show));
  else if (services.hostFeed) stream.onClose(services.hostFeed(show, (event) => stream.send({seq: lastSeq, event})));
}
