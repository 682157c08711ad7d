/**
 * The messages `<kol-chat>` shows: its own list, because the show state keeps only the last 50 and a viewer
 * reads further back than that. Capped, so an eight-hour show cannot grow the page: past `cap` the oldest
 * go. A message is keyed by its id (its event's id): the same message arriving twice (the sender's own echo,
 * then the stream; a snapshot after a reconnect; a replay seeking back) is one message, the stream's copy
 * winning. A removed message stays removed even if its copy arrives again.
 */
import type {ChatMessage} from '../../core/schema.js';

/** How many removed ids are remembered, so a late copy of a removed message is not shown again. */
const REMOVED_KEPT = 1000;

/** A capped, id-keyed list of chat messages in arrival order. */
export class ChatLog {
  /** Arrival order; may hold up to twice `cap` between compactions (the view shows the last `cap`). */
  #messages: ChatMessage[] = [];
  readonly #byId = new Map<string, ChatMessage>();
  readonly #removed = new Set<string>();
  /** Bumped on every change, so a view knows when to render again. */
  revision = 0;

  /** @param cap the most messages kept (and shown). */
  constructor(readonly cap: number) {}

  /** The messages kept, oldest first: at most `cap`. */
  get messages(): readonly ChatMessage[] {
    return this.#messages.length > this.cap ? this.#messages.slice(-this.cap) : this.#messages;
  }

  /** True when the message is kept now. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /**
   * Adds a message, or replaces the kept one of the same id in place (the stream's copy after the sender's
   * echo). Returns true when it is new to the list.
   */
  put(message: ChatMessage): boolean {
    if (this.#removed.has(message.id)) return false;
    const kept = this.#byId.get(message.id);
    if (kept) {
      const at = this.#messages.lastIndexOf(kept);
      if (at >= 0) this.#messages[at] = message;
      this.#byId.set(message.id, message);
      this.revision++;
      return false;
    }
    this.#messages.push(message);
    this.#byId.set(message.id, message);
    // Compacting at twice the cap keeps the cost per message constant (no shift per message).
    if (this.#messages.length >= this.cap * 2) {
      for (const old of this.#messages.splice(0, this.#messages.length - this.cap)) this.#byId.delete(old.id);
    }
    this.revision++;
    return true;
  }

  /** A list of another cap holding the newest of these messages (the element's `max-messages` changed). */
  resized(cap: number): ChatLog {
    const log = new ChatLog(cap);
    for (const message of this.messages.slice(-cap)) log.put(message);
    for (const id of this.#removed) log.#removed.add(id);
    return log;
  }

  /** Removes a message (a moderator's `chat.remove`); it is not shown again. */
  remove(id: string): void {
    this.#removed.add(id);
    if (this.#removed.size > REMOVED_KEPT) this.#removed.delete(this.#removed.values().next().value!);
    const kept = this.#byId.get(id);
    if (!kept) return;
    this.#byId.delete(id);
    this.#messages = this.#messages.filter((m) => m !== kept);
    this.revision++;
  }
}
