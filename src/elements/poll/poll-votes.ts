/**
 * The votes this page cast, per show and poll, for the page's life: every `<kol-poll>` of a show shows the
 * viewer's choice, and one that joins later knows the viewer voted. Kept in memory only (nothing is stored on
 * the device); the server, not this, is what enforces one vote per viewer.
 */

/** Per show: poll id → the option voted for, or null when the server said "already voted" without saying which. */
const votes = new WeakMap<object, Map<string, number | null>>();

/** The vote this page cast in `pollId` of `show`: the option, null (voted, option unknown), or undefined (none). */
export function votedIn(show: object, pollId: string): number | null | undefined {
  return votes.get(show)?.get(pollId);
}

/** Remembers a vote (an option, or null when only the fact is known). A known option is never forgotten for null. */
export function rememberVote(show: object, pollId: string, option: number | null): void {
  let polls = votes.get(show);
  if (!polls) votes.set(show, (polls = new Map()));
  if (option !== null || !polls.has(pollId)) polls.set(pollId, option);
}
