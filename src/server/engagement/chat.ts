/**
 * Viewer chat (DESIGN.md §8.2 `POST /v1/shows/{show}/chat`): a checked `{text, name?}` becomes a `chat.message`.
 *
 * Kept minimal on purpose: validate, then append. Moderation (blocked words, bans, slow mode: a `422
 * {reason}`), `#N` mentions and the per-show forwarding budget (DESIGN.md §8.4) belong between the two, where
 * `acceptChat` marks the seam.
 */
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';

/** The longest message, in UTF-16 code units: how the wire schema's `text(500)` counts. */
export const MAX_CHAT_LENGTH = 500;
/** The author shown for a viewer without a name (an anonymous viewer, or a customer token without `name`). */
export const DEFAULT_AUTHOR = 'Viewer';

// Control characters other than tab and newline have no place in plain text (they can garble a line).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** The text of a chat body `{text}`: plain text, control characters removed, trimmed, 1–500 long; a 400 naming `text` otherwise. */
export function validateChat(body: unknown): string {
  const raw = body && typeof body === 'object' ? (body as {text?: unknown}).text : undefined;
  if (typeof raw !== 'string') throw badText('text must be a string');
  const text = raw.replace(CONTROL, '').trim();
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
  const name = raw.replace(CONTROL, '').replace(/[\t\n]/g, ' ').trim();
  if (name.length > MAX_NAME_LENGTH) throw badName(`name is over ${MAX_NAME_LENGTH} characters`);
  return name || undefined;
}

const badName = (message: string) => new ShowInputError(400, 'bad-field', message, {field: 'name', maxLength: MAX_NAME_LENGTH});

/**
 * Accepts a viewer's chat message for `show`: checks the body, then appends a `chat.message` with the
 * sender's display name (their token's, else the body's `name`) and role (`customer` or `viewer`, from their identity — never from the body).
 * Answers the message's id (the event's id, which a later `chat.remove` names).
 */
export async function acceptChat(logs: ShowLogs, show: string, body: unknown, identity: ViewerIdentity): Promise<{id: string}> {
  const text = validateChat(body);
  // An anonymous viewer may name themself in the body; a customer token's name always wins.
  const given = validateChatName(body);
  const name = identity.name || given;
  // Seam: moderation and the forwarding budget (next issue) decide here, before anything is stored.
  const {event} = await logs.serverEvent(show, {
    type: 'chat.message',
    author: name || DEFAULT_AUTHOR,
    text,
    role: identity.customer ? 'customer' : 'viewer',
  });
  return {id: event.id};
}
