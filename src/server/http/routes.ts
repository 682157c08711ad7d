/**
 * The paths of the HTTP API (DESIGN.md §8.2) and who may call each: which are viewer endpoints (CORS, rate
 * limits) and which are the host's (no CORS). Anything else is a JSON 404; polls, bids and groups join in
 * later issues as more rows here.
 */
import {SHOW_ID} from '../bus/types.js';
import {HttpError} from './errors.js';

/** The endpoints of issue 12. */
export type RouteName =
  | 'health'
  | 'events'
  | 'host-events'
  | 'state'
  | 'timeline'
  | 'chat'
  | 'reactions'
  | 'moderation'
  | 'studio'
  | 'poll-votes'
  | 'giveaway'
  | 'giveaway-entries'
  | 'giveaway-draw'
  | 'auction-bids'
  | 'auction-result'
  | 'group-members'
  | 'group-membership';

/** A matched path: the endpoint and, for `/v1/shows/{show}/…`, the show. */
export interface RouteMatch {
  name: RouteName;
  show: string;
  /** The poll or giveaway of `…/polls/{poll}/…`, `…/giveaways/{giveaway}…` (as given, decoded; checked by its service). */
  item?: string;
}

/** Per endpoint: the methods it answers, and the ones a page on another origin may call (CORS). */
export const METHODS: Record<RouteName, {allow: string[]; crossOrigin: string[]}> = {
  health: {allow: ['GET'], crossOrigin: []},
  // GET is the viewers' stream; POST is the host's, and is not cross-origin.
  events: {allow: ['GET', 'POST'], crossOrigin: ['GET']},
  'host-events': {allow: ['GET'], crossOrigin: []},
  state: {allow: ['GET'], crossOrigin: ['GET']},
  timeline: {allow: ['GET'], crossOrigin: ['GET']},
  chat: {allow: ['POST'], crossOrigin: ['POST']},
  reactions: {allow: ['POST'], crossOrigin: ['POST']},
  // The host's and moderators' (a bearer token): not cross-origin.
  moderation: {allow: ['GET', 'POST'], crossOrigin: []},
  studio: {allow: ['GET'], crossOrigin: []},
  'poll-votes': {allow: ['POST'], crossOrigin: ['POST']},
  'giveaway-entries': {allow: ['POST'], crossOrigin: ['POST']},
  // The host's: the winner with their customer id, and the draw.
  giveaway: {allow: ['GET'], crossOrigin: []},
  'giveaway-draw': {allow: ['POST'], crossOrigin: []},
  // A customer's bid and their own result (a viewer token).
  'auction-bids': {allow: ['POST'], crossOrigin: ['POST']},
  'auction-result': {allow: ['GET'], crossOrigin: ['GET']},
  // A customer's join and their own membership (a viewer token).
  'group-members': {allow: ['POST'], crossOrigin: ['POST']},
  'group-membership': {allow: ['GET'], crossOrigin: ['GET']},
};

/** `/v1/shows/{show}/<tail>` with a poll or giveaway id in it → endpoint. */
const ITEM_ROUTES: Array<[RegExp, RouteName]> = [
  [/^polls\/([^/]+)\/votes$/, 'poll-votes'],
  [/^giveaways\/([^/]+)$/, 'giveaway'],
  [/^giveaways\/([^/]+)\/entries$/, 'giveaway-entries'],
  [/^giveaways\/([^/]+)\/draw$/, 'giveaway-draw'],
  [/^auctions\/([^/]+)\/bids$/, 'auction-bids'],
  [/^auctions\/([^/]+)\/result$/, 'auction-result'],
  [/^groups\/([^/]+)\/members$/, 'group-members'],
  [/^groups\/([^/]+)\/membership$/, 'group-membership'],
];

/** `/v1/shows/{show}/<tail>` → endpoint. */
const SHOW_ROUTES: Record<string, RouteName> = {
  events: 'events',
  'host/events': 'host-events',
  state: 'state',
  timeline: 'timeline',
  chat: 'chat',
  reactions: 'reactions',
  moderation: 'moderation',
};

const notFound = (path: string) => new HttpError(404, 'not-found', `There is nothing at ${path}.`);

/**
 * The endpoint at `pathname`, or null. Throws a 400 naming `show` when the path is an endpoint's but its
 * show id is not one the server accepts (`[A-Za-z0-9_-]{1,64}`: ids name files and NATS subjects).
 */
export function matchRoute(pathname: string): RouteMatch | null {
  if (pathname === '/v1/health') return {name: 'health', show: ''};
  if (pathname === '/studio' || pathname.startsWith('/studio/')) return {name: 'studio', show: ''};
  const match = /^\/v1\/shows\/([^/]*)\/(.+)$/.exec(pathname);
  if (!match) return null;
  const tail = match[2]!;
  let name = SHOW_ROUTES[tail];
  let item: string | undefined;
  for (const [pattern, route] of name ? [] : ITEM_ROUTES) {
    const found = pattern.exec(tail);
    if (found) {
      name = route;
      item = decoded(found[1]!);
      break;
    }
  }
  if (!name) return null;
  const show = decoded(match[1]!);
  if (!SHOW_ID.test(show)) {
    throw new HttpError(400, 'bad-field', 'The show id must be 1 to 64 letters, digits, "-" or "_".', {field: 'show'});
  }
  return item === undefined ? {name, show} : {name, show, item};
}

/** A path segment decoded, or as given when it is not valid percent-encoding. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether `pathname` is the edge's to answer (`/v1/…`, `/studio…`), when it is mounted in another server. */
export function ownsPath(pathname: string): boolean {
  return pathname === '/v1' || pathname.startsWith('/v1/') || pathname === '/studio' || pathname.startsWith('/studio/');
}

/** The 404 for a path no endpoint has. */
export function routeNotFound(pathname: string): HttpError {
  return notFound(pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname);
}
