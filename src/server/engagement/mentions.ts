/**
 * `#N` mentions (DESIGN.md §8.4): a chat message's `#7` becomes `{label: '#7', productId}` when a product
 * of the show's lineup carries that label (it was pinned with it), so the element can render it as a product
 * card and the host's ranking can count it. An unknown number stays plain text.
 *
 * Runs once per chat message, so the label table is built once per lineup and kept while the show's state
 * keeps the same lineup and pinned arrays (the reducer replaces an array only when it changes).
 */
import {MAX_MENTIONS, type ChatMention, type ShowState} from '../../core/schema.js';

/** `#` and 1 to 4 digits, not inside a longer run of digits or a word (`#12345`, `a#7` are not mentions). */
const TOKEN = /(?<![\p{L}\p{N}_])#(\d{1,4})(?![\p{N}])/gu;

/** A label's number as a key: `#07`, `#7` and `7` name the same product. Null for a label that is not `#N`. */
export function labelKey(label: string): string | null {
  const match = /^#?\s*(\d{1,4})$/.exec(label.trim());
  return match ? String(Number(match[1])) : null;
}

type Table = Map<string, ChatMention>;
const tables = new WeakMap<object, {pinned: object; table: Table}>();

/**
 * The show's labels: every lineup entry with a `#N` label, and the pinned products' (a product re-pinned
 * with a new label answers to the new one too). A later pin of the same number wins.
 */
function tableOf(state: Pick<ShowState, 'lineup' | 'pinned'>): Table {
  const cached = tables.get(state.lineup);
  if (cached && cached.pinned === state.pinned) return cached.table;
  const table: Table = new Map();
  const add = ({label, productId}: {label?: string; productId: string}) => {
    const key = label === undefined ? null : labelKey(label);
    if (key !== null) table.set(key, {label: label!.trim(), productId});
  };
  state.lineup.forEach(add);
  // Pinned is newest first: add oldest first so the newest pin of a number wins.
  [...state.pinned].reverse().forEach(add);
  tables.set(state.lineup, {pinned: state.pinned, table});
  return table;
}

/** The mentions of `text` against `state`'s labels: known numbers only, each product once, at most `MAX_MENTIONS`. */
export function findMentions(text: string, state: Pick<ShowState, 'lineup' | 'pinned'>): ChatMention[] {
  if (!text.includes('#')) return [];
  const table = tableOf(state);
  if (!table.size) return [];
  const mentions: ChatMention[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const mention = table.get(String(Number(match[1])));
    if (!mention || mentions.some((m) => m.productId === mention.productId)) continue;
    mentions.push(mention);
    if (mentions.length === MAX_MENTIONS) break;
  }
  return mentions;
}
