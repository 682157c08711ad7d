/**
 * The message rows of `<kol-chat>`'s list, kept in step with its capped message list by hand: each message is
 * an `<li>` of its own, rendered by Lit's `render()` into it, appended when it arrives and removed (with
 * everything in it) when it leaves. Not Lit's `repeat()`: lit-html 3.3.1+ leaves one comment node in the list
 * for every item `repeat()` removes (lit/lit#5298), and a chat removes an item for every message once full, so
 * an eight-hour show would grow the list without bound. This way a render touches only the rows that are new
 * or that asked to be rendered again (those with product cards, which follow the catalog, deals and adds).
 */
import {render, type TemplateResult} from 'lit';
import type {ChatMessage} from '../../core/schema.js';

interface Row {
  li: HTMLLIElement;
  message: ChatMessage;
}

/** How one row looks: its `part` attribute and its content. */
export interface RowView {
  part: string;
  content: TemplateResult;
}

/** The `<li>` rows of one `<ul>`, keyed by message id. */
export class ChatRows {
  #list: HTMLUListElement | null = null;
  readonly #rows = new Map<string, Row>();

  /**
   * Makes `list` hold one row per message, in order. `view` renders a row; rows whose message is the same
   * object as last time are rendered again only when `live(message)` says so. At most `budget` rows are made
   * afresh (rows used again cost far less): when more are wanted, the oldest messages wait, and the answer
   * is true, so the caller renders again soon. A chat joined mid-burst fills its list over a few frames
   * (newest first) instead of in one long task.
   */
  sync(list: HTMLUListElement, messages: readonly ChatMessage[], view: (message: ChatMessage) => RowView, live: (message: ChatMessage) => boolean, host: object, budget = Infinity): boolean {
    if (list !== this.#list) {
      // A new list element (the chat rendered its box again): start over in it.
      this.#rows.clear();
      list.replaceChildren();
      this.#list = list;
    }
    const wanted = new Set(messages.map((m) => m.id));
    // A row that leaves is used again for a message that arrives: Lit then only updates the values in it
    // (a full list drops one row for every new one, and making each afresh was the burst's longest work).
    const spare: HTMLLIElement[] = [];
    for (const [id, row] of this.#rows) {
      if (!wanted.has(id)) {
        row.li.remove();
        spare.push(row.li);
        this.#rows.delete(id);
      }
    }
    const missing = messages.filter((m) => !this.#rows.has(m.id)).length;
    let waiting = Math.max(0, missing - spare.length - budget);
    const behind = waiting > 0;
    let cursor = list.firstElementChild;
    for (const message of messages) {
      let row = this.#rows.get(message.id);
      if (!row && waiting > 0) {
        waiting--; // one of the oldest of those to make: next time
        continue;
      }
      const fresh = !row;
      if (!row) {
        row = {li: spare.pop() ?? document.createElement('li'), message};
        this.#rows.set(message.id, row);
      }
      if (fresh || row.message !== message || live(message)) {
        row.message = message;
        const {part, content} = view(message);
        if (row.li.getAttribute('part') !== part) row.li.setAttribute('part', part);
        render(content, row.li, {host});
      }
      if (row.li === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(row.li, cursor);
    }
    return behind;
  }
}
