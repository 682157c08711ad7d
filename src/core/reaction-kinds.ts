/** The reactions a viewer can send (DESIGN.md §8.3): shared by the show server and `<kol-reactions>`. */

/** The reaction kinds the show server accepts, in the order an element shows them. */
export const REACTION_KINDS = ['heart', 'fire', 'clap', 'laugh', 'wow'] as const;

/** One reaction kind. */
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** True for a kind the server accepts. */
export function isReactionKind(value: string): value is ReactionKind {
  return (REACTION_KINDS as readonly string[]).includes(value);
}
