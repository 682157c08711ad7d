/**
 * Reading a chat message's text for display, never as markup: where its `#N` mentions are (so the element
 * can put a product card there and leave the rest as text), and whether it names the viewer.
 */
import type {ChatMention} from '../../core/schema.js';

/** A piece of a message: plain text, or a mention of a product. */
export type ChatSegment = string | ChatMention;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Neither a letter nor a digit on that side: `#2` is not found inside `#23`, a name not inside a longer word. */
const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';

/**
 * Splits `text` at its mentions (each label found case-insensitively, as a whole token). Text around them
 * stays text; a message without mentions is one segment.
 */
export function splitMentions(text: string, mentions: readonly ChatMention[] | undefined): ChatSegment[] {
  if (!mentions?.length) return [text];
  const byLabel = new Map(mentions.map((m) => [m.label.toLowerCase(), m]));
  const pattern = new RegExp(`${BEFORE}(${[...byLabel.keys()].map(escape).join('|')})${AFTER}`, 'giu');
  const segments: ChatSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const mention = byLabel.get(match[0].toLowerCase());
    if (!mention) continue;
    if (match.index > last) segments.push(text.slice(last, match.index));
    segments.push(mention);
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push(text.slice(last));
  return segments;
}

/** True when `text` names `name` as a whole word (with or without `@`), case-insensitively. */
export function mentionsName(text: string, name: string | null): boolean {
  if (!name) return false;
  return new RegExp(`${BEFORE}${escape(name)}${AFTER}`, 'iu').test(text);
}
