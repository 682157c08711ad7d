/**
 * Rate limits of the viewer actions, per viewer id and per client IP (rate-limiter-flexible, in memory).
 * Both count: the viewer limit keeps one viewer from flooding, the IP limit keeps one client from
 * flooding under ever-new anonymous ids (set high: many viewers may share a carrier's or an office's IP).
 * In cluster mode each node counts its own requests, so a viewer spread over n nodes gets up to n times
 * the limit: enough to stop a flood, which is what the limits are for.
 */
import {RateLimiterMemory, RateLimiterRes} from 'rate-limiter-flexible';
import {HttpError} from './errors.js';

/** `points` actions per `seconds`. */
export interface Rate {
  points: number;
  seconds: number;
}

/** The limits of one kind of viewer action. */
export interface ActionRates {
  perViewer: Rate;
  perIp: Rate;
}

/** The viewer actions that are rate limited. */
export type LimitedAction = 'chat' | 'reactions' | 'votes' | 'entries' | 'bids' | 'joins';

/** Default limits: a chat message every 2 s on average, a tap of hearts, and room for a busy NAT. */
export const DEFAULT_RATES: Record<LimitedAction, ActionRates> = {
  chat: {perViewer: {points: 5, seconds: 10}, perIp: {points: 300, seconds: 10}},
  reactions: {perViewer: {points: 30, seconds: 10}, perIp: {points: 2000, seconds: 10}},
  // One vote and one entry count; the room is for retries and a few polls or giveaways in a row.
  votes: {perViewer: {points: 10, seconds: 10}, perIp: {points: 2000, seconds: 10}},
  entries: {perViewer: {points: 10, seconds: 10}, perIp: {points: 2000, seconds: 10}},
  // Quick bids in a closing auction, and the winner's result reads.
  bids: {perViewer: {points: 30, seconds: 10}, perIp: {points: 3000, seconds: 10}},
  // A group join and the membership reads of the customer's pages.
  joins: {perViewer: {points: 20, seconds: 10}, perIp: {points: 2000, seconds: 10}},
};

/** What the edge asks before running a viewer action. */
export interface ViewerLimits {
  /** Counts one action of `ip`; rejects with a 429 `HttpError` (with `Retry-After`) when over its limit. */
  checkIp(action: LimitedAction, ip: string): Promise<void>;
  /** Counts one action of the viewer `viewerId`; rejects with a 429 `HttpError` when over its limit. */
  checkViewer(action: LimitedAction, viewerId: string): Promise<void>;
}

const WHAT: Record<LimitedAction, string> = {chat: 'chat messages', reactions: 'reactions', votes: 'votes', entries: 'giveaway entries', bids: 'bids', joins: 'group joins'};

/** The limiters for `rates` (defaults for what is not given). */
export function createViewerLimits(rates: Partial<Record<LimitedAction, ActionRates>> = {}): ViewerLimits {
  const limiters = new Map<string, RateLimiterMemory>();
  for (const action of Object.keys(DEFAULT_RATES) as LimitedAction[]) {
    const {perViewer, perIp} = rates[action] ?? DEFAULT_RATES[action];
    limiters.set(`${action}:viewer`, new RateLimiterMemory({keyPrefix: `${action}:viewer`, points: perViewer.points, duration: perViewer.seconds}));
    limiters.set(`${action}:ip`, new RateLimiterMemory({keyPrefix: `${action}:ip`, points: perIp.points, duration: perIp.seconds}));
  }
  const consume = async (action: LimitedAction, who: 'viewer' | 'ip', key: string) => {
    try {
      await limiters.get(`${action}:${who}`)!.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const by = who === 'viewer' ? 'this viewer' : 'this address';
      throw new HttpError(
        429,
        'rate-limited',
        `Too many ${WHAT[action]} from ${by}: try again in ${retryAfter} s.`,
        {retryAfter, retryAt: new Date(Date.now() + rejection.msBeforeNext).toISOString()},
        {'retry-after': retryAfter},
      );
    }
  };
  return {
    checkIp: (action, ip) => consume(action, 'ip', ip),
    checkViewer: (action, viewerId) => consume(action, 'viewer', viewerId),
  };
}
