/**
 * The per-show forwarding budget (DESIGN.md §8.4): fan-out grows with viewers × messages, so at most
 * `perSecond` viewer messages per show are forwarded to everyone in each clock second (default 20). Plain
 * viewers' messages may use at most half of it; customers' messages and messages that mention a product may
 * use all of it, so they always have at least the other half. (Host messages are host events and never count.)
 * A message not forwarded is still answered to its sender, and still counts toward the request ranking.
 *
 * The budget is per node: with n nodes a show forwards up to n × `perSecond` (each node decides alone, with
 * no round trip on the chat's hot path).
 */

/** Viewer messages forwarded per show per second, per node, unless configured. */
export const DEFAULT_CHAT_BUDGET = 20;

/** A node's forwarding budget. */
export interface ChatBudget {
  /** Takes one forwarding slot of `show` for a message (`priority`: a customer's, or one with mentions); false when none is left. */
  take(show: string, priority: boolean): boolean;
}

/** A budget of `perSecond` messages per show per clock second (0 or less: no budget, everything is forwarded). */
export function createChatBudget(perSecond = DEFAULT_CHAT_BUDGET, now: () => number = Date.now): ChatBudget {
  if (!(perSecond > 0)) return {take: () => true};
  const plainShare = Math.ceil(perSecond / 2);
  const seconds = new Map<string, {second: number; total: number; plain: number}>();
  return {
    take(show, priority) {
      const second = Math.floor(now() / 1000);
      let used = seconds.get(show);
      if (!used || used.second !== second) {
        // Forget shows that went quiet, so the map stays as small as the shows chatting now.
        if (seconds.size > 1000) for (const [key, old] of seconds) if (old.second < second) seconds.delete(key);
        seconds.set(show, (used = {second, total: 0, plain: 0}));
      }
      if (used.total >= perSecond || (!priority && used.plain >= plainShare)) return false;
      used.total++;
      if (!priority) used.plain++;
      return true;
    },
  };
}
