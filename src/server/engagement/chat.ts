/**
 * Viewer chat (DESIGN.md §8.2 `POST /v1/shows/{show}/chat`): a checked `{text}` becomes a `chat.message`.
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

/**
 * Accepts a viewer's chat message for `show`: checks the body, then appends a `chat.message` with the
 * sender's display name and role (`customer` or `viewer`, from their identity — never from the body).
 * Answers the message's id (the event's id, which a later `chat.remove` names).
 */
export async function acceptChat(logs: ShowLogs, show: string, body: unknown, identity: ViewerIdentity): Promise<{id: string}> {
  const text = validateChat(body);
  // Seam: moderation and the forwarding budget (next issue) decide here, before anything is stored.
  const {event} = await logs.serverEvent(show, {
    type: 'chat.message',
    author: identity.name || DEFAULT_AUTHOR,
    text,
    role: identity.customer ? 'customer' : 'viewer',
  });
  return {id: event.id};
}
