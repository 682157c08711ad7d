/**
 * Viewer chat (DESIGN.md §8.2 `POST /v1/shows/{show}/chat`): a checked `{text, name?}` becomes a `chat.message`, or is refused with a status and a reason.
 *
 * Between validating and appending: moderation (moderation.ts: bans, blocked words, slow mode), `#N`
 * mentions (mentions.ts), the request ranking's count (requests.ts) and the per-show forwarding budget
 * (chat-budget.ts, DESIGN.md §8.4). Each is handed in, so each is tested alone.
 */
import {randomUUID} from 'node:crypto';
import type {ChatMention} from '../../core/schema.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import type {ChatBudget} from './chat-budget.js';
import {findMentions} from './mentions.js';
import type {Moderation} from './moderation.js';
import type {EngagementLog} from './period.js';
import type {Requests} from './requests.js';

/** The longest message, in UTF-16 code units: how the wire schema's `text(500)` counts. */
export const MAX_CHAT_LENGTH = 500;
/** The author shown for a viewer without a name (an anonymous viewer, or a customer token without `name`). */
export const DEFAULT_AUTHOR = 'Viewer';

// Control characters other than tab and newline have no place in plain text (they can garble a line).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
/**
 * Invisible characters that change how text around them reads: bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069: "gpj.exe" shown as "exe.jpg", a name that reverses the rest of a line)
 * and zero-width characters (U+200B–U+200D, U+2060, U+FEFF: "b\u200Bad" slipping past a blocked word).
 * Plain chat needs none of them; natural right-to-left text needs no control characters to show right.
 */
export const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\uFEFF]/g;
/** `INVISIBLE` but the zero-width joiner, which also joins emoji (see `STRAY_JOINER`). */
const INVISIBLE_BUT_JOINER = /[\u202A-\u202E\u2066-\u2069\u200B\u200C\u2060\uFEFF]/g;
/**
 * A zero-width joiner that does not join two emoji. Between pictographs it is what makes 👩‍👩‍👧 one family
 * rather than three people, so it stays there; anywhere else it is only a way to hide a word. (Matching blocked
 * words removes every `INVISIBLE` character, joiners included, so a kept one hides nothing.)
 */
const STRAY_JOINER = /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** `raw` as plain text: control and invisible characters removed (but the joiners of emoji sequences). */
export const plainText = (raw: string): string => raw.replace(CONTROL, '').replace(INVISIBLE_BUT_JOINER, '').replace(STRAY_JOINER, '');

/**
 * The text of a chat body `{text}`: plain text (control, bidi-control and zero-width characters removed),
 * trimmed, 1–500 long; a 400 naming `text` otherwise.
 */
export function validateChat(body: unknown): string {
  const raw = body && typeof body === 'object' ? (body as {text?: unknown}).text : undefined;
  if (typeof raw !== 'string') throw badText('text must be a string');
  const text = plainText(raw).trim();
  if (!text) throw badText('text is empty');
  if (text.length > MAX_CHAT_LENGTH) throw badText(`text is over ${MAX_CHAT_LENGTH} characters`);
  return text;
}

const badText = (message: string) => new ShowInputError(400, 'bad-field', message, {field: 'text', maxLength: MAX_CHAT_LENGTH});

/** The longest display name an anonymous viewer may give (as a customer token's `name` is clamped). */
export const MAX_NAME_LENGTH = 64;

/**
 * The display name an anonymous viewer gave in the body (`{text, name}`): control characters removed,
 * trimmed, at most 64 long; undefined when absent or empty; a 400 naming `name` when it is not a string or
 * is too long. It only names the author: the role always comes from the identity (a viewer is never `host`).
 */
export function validateChatName(body: unknown): string | undefined {
  const raw = body && typeof body === 'object' ? (body as {name?: unknown}).name : undefined;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw badName('name must be a string');
  const name = plainText(raw).replace(/[\t\n]/g, ' ').trim();
  if (name.length > MAX_NAME_LENGTH) throw badName(`name is over ${MAX_NAME_LENGTH} characters`);
  return name || undefined;
}

const badName = (message: string) => new ShowInputError(400, 'bad-field', message, {field: 'name', maxLength: MAX_NAME_LENGTH});

/** A chat message as its sender is answered (the 202 body's `message`): what the stream carries, or would have. */
export interface ChatEcho {
  id: string;
  author: string;
  text: string;
  role: 'customer' | 'viewer';
  mentions?: ChatMention[];
  at: string;
}

/** The 202 answer of `POST chat`: the message's id, whether it went to everyone, and the message itself. */
export interface ChatAccepted {
  id: string;
  /** False when the show's forwarding budget was spent: only the sender shows it (it still counts as a request). */
  forwarded: boolean;
  message: ChatEcho;
}

/** Options of `createChat`: what decides between validating a message and storing it. */
export interface ChatOptions {
  logs: ShowLogs;
  /** Bans, blocked words, slow mode (none: every message passes). */
  moderation?: Pick<Moderation, 'check' | 'remember'>;
  /** The forwarding budget (none: every message is forwarded). */
  budget?: ChatBudget;
  /** The request ranking, which counts every message's mentions. */
  requests?: Pick<Requests, 'count'>;
  /** Where a failure to remember a sender is reported (the message is stored anyway). */
  log?: EngagementLog;
}

/** Viewer chat for the HTTP edge. */
export interface Chat {
  /**
   * Accepts a viewer's message for `show`: checks the body (400), moderation (403 banned, 422 blocked, 429
   * slow-mode), finds its `#N` mentions, counts them, and appends a `chat.message` when the budget allows.
   * The role comes from the identity (`customer` or `viewer`), never from the body.
   */
  accept(show: string, body: unknown, identity: ViewerIdentity): Promise<ChatAccepted>;
}

/** Viewer chat with the given moderation, budget and ranking. */
export function createChat({logs, moderation, budget, requests, log}: ChatOptions): Chat {
  return {
    async accept(show, body, identity) {
      const text = validateChat(body);
      // An anonymous viewer may name themself in the body; a customer token's name always wins.
      const author = identity.name || validateChatName(body) || DEFAULT_AUTHOR;
      await moderation?.check(show, identity, text);
      const mentions = findMentions(text, await logs.state(show));
      requests?.count(show, mentions);
      const role = identity.customer ? 'customer' : 'viewer';
      const forwarded = budget ? budget.take(show, identity.customer || mentions.length > 0) : true;
      const fields = {type: 'chat.message', id: randomUUID(), author, text, role, ...(mentions.length && {mentions})} as const;
      let at = new Date().toISOString();
      if (forwarded) {
        // The sender is remembered beside the append (a ban by this message needs it), not after it.
        const remembered = moderation?.remember(show, fields.id, identity, author).catch((error: unknown) => log?.warn({err: error, show}, 'chat: the sender of a message was not remembered'));
        at = (await logs.serverEvent(show, fields)).event.at;
        await remembered;
      }
      const {type: _type, ...message} = fields;
      return {id: fields.id, forwarded, message: {...message, at}};
    },
  };
}

/** Accepts a viewer's message with no moderation, budget or ranking (`createChat({logs}).accept`). */
export function acceptChat(logs: ShowLogs, show: string, body: unknown, identity: ViewerIdentity): Promise<ChatAccepted> {
  return createChat({logs}).accept(show, body, identity);
}
