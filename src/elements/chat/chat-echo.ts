/**
 * The sender's own message, shown as soon as the server accepted it (DESIGN.md §8.4: the sender always sees
 * their own message, even one the per-show forwarding budget did not forward to the stream). The server's
 * answer is `{id, forwarded, message}`, `message` being the stored message; an older server answers `{id}`
 * alone, and the message is then made from what was sent. Its id is the stream's, so the stream's copy
 * replaces it rather than doubling it.
 */
import {MAX_MENTIONS, type ChatMessage} from '../../core/schema.js';

const ROLES = new Set(['host', 'moderator', 'customer', 'viewer']);
/** The most of a field taken from the answer (the wire's own limits are smaller). */
const MAX_FIELD = 1000;

const str = (value: unknown, max = MAX_FIELD): string | null => (typeof value === 'string' && value.length <= max ? value : null);

/**
 * The message to show for an accepted send, or null when the answer names no id (the stream will bring it).
 * @param role the sender's role as the page knows it (`customer` with a viewer token), used without an answer's.
 * @param author the sender's display name as the page knows it, used without an answer's.
 */
export function echoOf(data: Record<string, unknown>, text: string, role: 'customer' | 'viewer', author: string, now: number): ChatMessage | null {
  const id = str(data.id, 256);
  if (!id) return null;
  const answer = data.message && typeof data.message === 'object' ? (data.message as Record<string, unknown>) : {};
  const answeredRole = str(answer.role);
  const at = str(answer.at);
  const message: ChatMessage = {
    id,
    author: str(answer.author, 64) || author,
    text: str(answer.text) ?? text,
    role: answeredRole && ROLES.has(answeredRole) ? (answeredRole as ChatMessage['role']) : role,
    at: at && !Number.isNaN(Date.parse(at)) ? at : new Date(now).toISOString(),
  };
  const mentions = Array.isArray(answer.mentions)
    ? answer.mentions.flatMap((m: unknown) => {
      const {label, productId} = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
      const l = str(label, 32);
      const p = str(productId, 256);
      return l && p ? [{label: l, productId: p}] : [];
    }).slice(0, MAX_MENTIONS)
    : [];
  if (mentions.length) message.mentions = mentions;
  return message;
}
