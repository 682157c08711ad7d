/**
 * What the HTTP edge calls: the show logs, the bus's health, auth and engagement. They are handed in (by
 * src/server/index.ts) rather than imported, so the edge is one job — HTTP — and a test can run it on a
 * real socket around a log it drives itself.
 */
import type {verifyHost, viewerIdentity} from '../auth.js';
import type {ShowEvent} from '../../core/schema.js';
import type {ShowBus} from '../bus/types.js';
import type {Auctions} from '../engagement/auctions.js';
import type {Chat} from '../engagement/chat.js';
import type {Moderation} from '../engagement/moderation.js';
import type {Giveaways} from '../engagement/giveaways.js';
import type {Groups} from '../engagement/groups.js';
import type {Polls} from '../engagement/polls.js';
import type {Presence} from '../engagement/presence.js';
import type {Reactions, validateReaction} from '../engagement/reactions.js';
import type {ShowLogs} from '../types.js';

/**
 * Host-only events for `host/events` (DESIGN.md §8.3: `requests.update`): joins the host's stream after its
 * catch-up; calls `send` with each; answers the leave. The events are not in the log, so they have no
 * sequence of their own: the stream sends each with the id of the last log entry it sent (handlers.ts), so a
 * host resuming from it gets exactly the log entries after it, and the viewers' sequence is untouched.
 */
export type HostFeed = (show: string, send: (event: ShowEvent) => void) => () => void;

/** The edge's collaborators. */
export interface EdgeServices {
  /** For `GET /v1/health`. */
  bus: Pick<ShowBus, 'mode' | 'healthy'>;
  /** Every show's log: host events, joins, state, timeline. */
  logs: ShowLogs;
  /** Counts this node's open viewer streams per show: `open` on connect, the answered close on disconnect. */
  presence: Pick<Presence, 'open'>;
  /** Sums reactions into `reactions.update` (src/server/engagement/reactions.ts). */
  reactions: Pick<Reactions, 'add'>;
  /** The kind of a reactions body, or a 400 naming `kind`. */
  validateReaction: typeof validateReaction;
  /** Validates, moderates, stamps and stores (or only answers, past the budget) a viewer's chat message (src/server/engagement/chat.ts). */
  chat: Pick<Chat, 'accept'>;
  /** Chat moderation for `POST`/`GET moderation` (src/server/engagement/moderation.ts). */
  moderation: Pick<Moderation, 'act' | 'settings'>;
  /** Votes and the host's close of a poll (src/server/engagement/polls.ts). */
  polls: Pick<Polls, 'vote' | 'closeByHost'>;
  /** Entries, draws and the host's view of a giveaway (src/server/engagement/giveaways.ts). */
  giveaways: Pick<Giveaways, 'enter' | 'draw' | 'report'>;
  /** The host's open, customers' bids and results of an auction (src/server/engagement/auctions.ts). */
  auctions: Pick<Auctions, 'open' | 'bid' | 'result'>;
  /** Joins and memberships of a group buy (src/server/engagement/groups.ts). */
  groups: Pick<Groups, 'join' | 'membership'>;
  /** Verifies a host or moderator token for `show` (throws a `ShowInputError` 401 / 403): src/server/auth.ts. */
  verifyHost: typeof verifyHost;
  /** Names the viewer of a request (throws a `ShowInputError` 400 / 401): src/server/auth.ts. */
  viewerIdentity: typeof viewerIdentity;
  /** Host-only events: the request ranking (src/server/engagement/requests.ts). */
  hostFeed?: HostFeed;
}
