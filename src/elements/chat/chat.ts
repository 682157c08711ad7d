import {html, nothing, type PropertyValues} from 'lit';
import {property, query, state} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {getLocale} from '../../i18n/localization.js';
import {msg, str} from '@lit/localize';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {addToCartText, addingText, soldOutText} from '../../i18n/messages.js';
import {plural} from '../../i18n/plural.js';
import {ShowLink} from '../../controllers/show-link.js';
import {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import {formatMoney} from '../../page/format-money.js';
import {safeUrl} from '../../page/url.js';
import {pickVariant} from '../../core/variant.js';
import {stockOf} from '../../core/state.js';
import {liveDealFor} from '../../core/deal-terms.js';
import type {Product, Variant} from '../../adapters/types.js';
import type {ChatMention, ChatMessage, ShowEvent} from '../../core/schema.js';
import type {ActionOutcome} from '../../sources/server-actions.js';
import type {ChatShowHandle} from '../show-handle.js';
import type {KolShowEventEvent} from '../events.js';
import {cardStyles} from '../card-styles.js';
import {chatStyles} from './chat.styles.js';
import {ChatLog} from './chat-log.js';
import {ChatRows, type RowView} from './chat-rows.js';
import {chatName, chatNameConsentChanged, cleanChatName, MAX_CHAT_NAME_LENGTH, setChatName} from './chat-name.js';
import {mentionsName, splitMentions} from './chat-text.js';
import {echoOf} from './chat-echo.js';

/** The longest message the server takes (UTF-16 code units, as `maxlength` counts). */
const MAX_TEXT_LENGTH = 500;
/** How close to the bottom (px) still counts as following the newest messages. */
const FOLLOW_SLACK_PX = 24;
/** An announcement is a sentence, not a wall: longer texts are cut. */
const MAX_ANNOUNCED_CHARS = 200;
/** The shortest time between two renders (ms). */
const MIN_RENDER_INTERVAL_MS = 100;
/** New rows made in one render at most (a list filling up in one go was a long task); more wait for the next. */
const ROWS_MADE_PER_RENDER = 25;
/** Own message ids remembered, so the stream's copy of one is never announced back to its sender. */
const OWN_KEPT = 100;

const BADGES: Record<string, () => string> = {
  host: () => msg('Host', {id: 'chat.badge.host'}),
  moderator: () => msg('Moderator', {id: 'chat.badge.moderator'}),
  customer: () => msg('Customer', {id: 'chat.badge.customer'}),
};

/** What the composer tells the sender about their last send. */
type SendFeedback =
  | {kind: 'refused'; message: string}
  | {kind: 'failed'; message: string}
  | {kind: 'waiting'; message: string; until: number};

/**
 * The show's live chat: the messages as they arrive (author, host/moderator/customer badges, plain text
 * only), `#N` product mentions as small product cards with add to cart (the pin's add, deal terms and
 * errors), and a composer that sends as this viewer through the show's `server`. An anonymous viewer picks
 * a display name once (kept for the page, and in sessionStorage only while the show's consent is granted);
 * a customer with the show's `viewer-token` is named by it.
 *
 * It keeps its own list of the last `max-messages` (default 200: the show state keeps only 50), so an
 * eight-hour show never grows the page; removed messages disappear. It follows the newest messages unless
 * the viewer scrolled up (then a "new messages" button), renders at most ten times a second, and announces
 * politely only host messages and messages that name the viewer, never the flood.
 *
 * @summary The show's live chat, with product mentions and a composer.
 * @fires kol-add-to-cart-request - The shopper pressed add to cart on a mentioned product. Cancelable.
 * @fires kol-add-to-cart - A mentioned product's add went into the cart (`source: 'mention'`, `sourceId`: the message), once.
 * @fires kol-error - An add failed or was refused, or there is no show. (A send that was not accepted is reported by the show.)
 * @csspart base - The chat box.
 * @csspart messages - The scrolling message list (`role="log"`).
 * @csspart message - One message (also `message-host`, `message-moderator`, `message-customer`, `message-viewer`, `message-own`).
 * @csspart author - A message's author.
 * @csspart badge - The author's badge: Host, Moderator or Customer.
 * @csspart text - A message's text.
 * @csspart mention - A product mentioned as `#N`: a small card inside the text.
 * @csspart mention-image - The mentioned product's image.
 * @csspart mention-title - The mentioned product's title.
 * @csspart mention-price - Its price (the deal price while a deal runs on it).
 * @csspart mention-cta - Its add to cart button.
 * @csspart mention-status - The outcome of the last add from this card.
 * @csspart new-messages - The button that jumps to the newest messages after the viewer scrolled up.
 * @csspart composer - The form to send a message (or to choose a display name first).
 * @csspart input - The message (or name) field.
 * @csspart send - The send button (it counts down while the server asks to wait).
 * @csspart retry - Sends the kept text again after a failed send.
 * @csspart composer-status - Why the last message was not sent, or what to do next.
 * @cssprop [--kol-chat-block-size=24rem] - The chat's height; the message list scrolls inside it.
 * @cssprop [--kol-chat-background=var(--kol-color-surface)] - The chat's background.
 * @cssprop [--kol-chat-badge-background=var(--kol-color-accent)] - The host badge's background.
 * @cssprop [--kol-chat-mention-background=var(--kol-color-placeholder)] - A product mention card's background.
 */
export class KolChat extends KolElement {
  static override styles = [cardStyles, chatStyles];

  /** The id of the `<kol-show>` to follow, when the chat is not inside it. */
  @property() show: string | null = null;

  /** The most messages kept and shown (older ones are dropped): 20 to 1000, default 200. */
  @property({type: Number, attribute: 'max-messages'}) maxMessages = 200;

  /** Reflected: a message is being sent. */
  @property({type: Boolean, reflect: true}) busy = false;

  @state() private draft = '';
  @state() private feedback: SendFeedback | null = null;
  /** The viewer asked to change their display name. */
  @state() private renaming = false;
  /** Why this viewer may not chat (a ban), shown instead of the composer. */
  @state() private banned: string | null = null;
  /** A send answered that the show has no server. */
  @state() private noServer = false;
  /** Messages that arrived while the viewer was scrolled up. */
  @state() private unread = 0;
  @state() private announcement = '';

  @query('[part~="messages"]') private logBox?: HTMLElement;
  @query('[part~="messages"] > ul') private list?: HTMLUListElement;

  readonly #link = new ShowLink<ChatShowHandle>(this, () => this.fail('no-show', 'This chat found no <kol-show> to follow.'));
  /** The add to cart of a mention card and its outcome (one add at a time, as on the pin). */
  readonly #adding = new AddToCartController(this, () => this.#link.show);
  /** Ticks while the server asks the sender to wait. */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  #log = new ChatLog(200);
  /** The list's rows, one `<li>` per message shown. */
  readonly #rows = new ChatRows();
  /** The language the rows were last worded in. */
  #rowsLocale = getLocale();
  /** The show whose released events feed the list. */
  #fed: ChatShowHandle | null = null;
  /** The mention card (`messageId productId`) the last add was made from: its outcome shows there only. */
  #addedFrom: string | null = null;
  readonly #own = new Set<string>();
  /** True while the list shows the newest message (the viewer did not scroll up). */
  #following = true;
  #consentWatch?: MutationObserver;
  /** When the last render started (performance.now()). */
  #renderedAt = -Infinity;

  /** The messages shown now, oldest first (at most `max-messages`). */
  get messages(): readonly ChatMessage[] {
    return this.#log.messages;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#feedFrom(null);
  }

  /**
   * At most ten renders a second, each on an animation frame: a burst of messages (hundreds a second) is a
   * few renders, not one per message or per frame (each costs the list's style and layout). A hidden page
   * has no frames: the timeout renders it anyway, rarely.
   */
  protected override async scheduleUpdate(): Promise<void> {
    const wait = this.#renderedAt + MIN_RENDER_INTERVAL_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 250);
      requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#renderedAt = performance.now();
    await super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    if (changed.has('maxMessages')) {
      const cap = Math.min(1000, Math.max(20, Math.floor(this.maxMessages) || 200));
      if (cap !== this.#log.cap) this.#log = this.#log.resized(cap);
    }
    if (this.#link.show !== this.#fed) this.#feedFrom(this.#link.show);
    this.busy = this.busy && !!this.#link.show;
    const waiting = this.feedback?.kind === 'waiting';
    if (waiting && this.#secondsLeft() <= 0) this.feedback = null;
    this.#ticker.run(this.feedback?.kind === 'waiting');
  }

  /** Starts following `show`'s released events (seeded with the messages it holds), or stops. */
  #feedFrom(show: ChatShowHandle | null): void {
    if (this.#fed) this.#fed.removeEventListener('kol-show-event', this.#onShowEvent);
    this.#consentWatch?.disconnect();
    if (this.#fed && show && show !== this.#fed) this.#log = new ChatLog(this.#log.cap); // another show's messages go
    this.#fed = show;
    if (!show) return;
    show.addEventListener('kol-show-event', this.#onShowEvent);
    // The backlog is shown, never announced: only what arrives while the viewer is here is.
    for (const message of show.state.chat) this.#log.put(message);
    // The chosen name follows the show's consent (stored once granted, removed when withdrawn).
    let granted = show.consent === 'granted';
    this.#consentWatch = new MutationObserver(() => {
      const now = show.consent === 'granted';
      if (now !== granted) chatNameConsentChanged(now);
      granted = now;
    });
    this.#consentWatch.observe(show, {attributes: true, attributeFilter: ['consent']});
  }

  readonly #onShowEvent = (event: KolShowEventEvent): void => {
    const showEvent: ShowEvent = event.detail.event;
    if (showEvent.type === 'chat.message') {
      const message: ChatMessage = {id: showEvent.id, author: showEvent.author, text: showEvent.text, at: showEvent.at};
      if (showEvent.role) message.role = showEvent.role;
      if (showEvent.mentions?.length) message.mentions = showEvent.mentions;
      if (this.#log.put(message)) this.#arrived(message);
    } else if (showEvent.type === 'chat.remove') {
      this.#log.remove(showEvent.messageId);
    } else if (showEvent.type === 'show.snapshot') {
      for (const message of showEvent.state.chat) if (this.#log.put(message)) this.#arrived(message, false);
    } else {
      return;
    }
    this.requestUpdate();
  };

  /** A new message: counted as unread while the viewer reads further up; announced when it is for them. */
  #arrived(message: ChatMessage, announce = true): void {
    if (!this.#following) this.unread++;
    if (!announce || this.#own.has(message.id)) return;
    const name = this.#name();
    const text = message.text.length > MAX_ANNOUNCED_CHARS ? `${message.text.slice(0, MAX_ANNOUNCED_CHARS)}…` : message.text;
    if (message.role === 'host') this.announcement = msg(str`${message.author} (host): ${text}`, {id: 'chat.said.host'});
    else if (mentionsName(message.text, name)) this.announcement = msg(str`${message.author} mentioned you: ${text}`, {id: 'chat.said.mention'});
  }

  protected override updated(): void {
    const show = this.#link.show;
    if (show && this.list) {
      // After a change of language every row is worded again (its badge, its product cards); else only the
      // rows with product cards, which follow the catalog, deals and adds.
      const relabel = this.#rowsLocale !== getLocale();
      this.#rowsLocale = getLocale();
      const behind = this.#rows.sync(this.list, this.#log.messages, (m) => this.#renderMessage(m, show), (m) => relabel || !!m.mentions, this, ROWS_MADE_PER_RENDER);
      if (behind) void this.updateComplete.then(() => this.requestUpdate()); // the next render makes more
    }
    const box = this.logBox;
    if (box && this.#following) box.scrollTop = box.scrollHeight;
  }

  #onScroll(): void {
    const box = this.logBox;
    if (!box) return;
    this.#following = box.scrollHeight - box.scrollTop - box.clientHeight <= FOLLOW_SLACK_PX;
    if (this.#following && this.unread) this.unread = 0;
  }

  #jumpToNewest(): void {
    this.#following = true;
    this.unread = 0;
    const box = this.logBox;
    if (box) {
      box.scrollTop = box.scrollHeight;
      box.focus(); // the button goes away: keyboard focus stays in the chat
    }
  }

  protected override render() {
    const show = this.#link.show;
    if (!show) {
      return html`<section part="base" class="empty" aria-label=${liveChatText()}>
        ${this.#link.missing ? msg('This chat is not connected to a show.', {id: 'chat.no-show'}) : msg('Loading chat…', {id: 'chat.loading'})}
      </section>`;
    }
    const messages = this.#log.messages;
    return html`<section part="base" aria-label=${liveChatText()}>
      <div part="messages" role="log" aria-live="off" aria-label=${msg('Chat messages', {id: 'chat.messages'})} tabindex="0" @scroll=${this.#onScroll}>
        ${messages.length ? nothing : html`<p class="empty">${msg('No messages yet.', {id: 'chat.no-messages'})}</p>`}
        <ul></ul>
      </div>
      ${this.unread
        ? html`<button part="new-messages" type="button" @click=${this.#jumpToNewest}>
            ${newMessagesText(this.unread, elementLocale(this))}
          </button>`
        : nothing}
      ${this.#renderComposer(show)}
      <p class="visually-hidden" role="status">${this.announcement}</p>
    </section>`;
  }

  /** One message's row: its parts (role, own) and its content, text only (product cards for mentions). */
  #renderMessage(message: ChatMessage, show: ChatShowHandle): RowView {
    const role = message.role ?? 'viewer';
    const badge = BADGES[role]?.();
    const own = this.#own.has(message.id) ? ' message-own' : '';
    // Tight markup (no whitespace nodes between the parts): each message costs about ten nodes.
    return {
      part: `message message-${role}${own}`,
      content: html`<span part="author">${message.author}</span>${badge ? html`<span part="badge">${badge}</span>` : nothing}<span part="text">${message.mentions
        ? splitMentions(message.text, message.mentions).map((s) => (typeof s === 'string' ? s : this.#renderMention(s, message.id, show)))
        : message.text}</span>`,
    };
  }

  /** A `#N` mention: a product card once the product is known; its label as plain text otherwise. */
  #renderMention(mention: ChatMention, messageId: string, show: ChatShowHandle) {
    const lookup = show.lookupProduct(mention.productId);
    if (lookup.status !== 'ready') return mention.label;
    const product = lookup.product;
    const variant = pickVariant(product);
    const left = stockOf(show.state, product.id) ?? variant.quantityAvailable;
    const soldOut = !variant.available || left === 0;
    const deal = liveDealFor(show.state, {productId: product.id, variantId: variant.id}, show.clock.now());
    const image = safeUrl(product.image?.url);
    const key = `${messageId} ${product.id}`;
    const feedback = this.#addedFrom === key ? this.#adding.feedback : null;
    const busy = this.#adding.busy;
    return html`<span part="mention">${mention.label}
      ${image ? html`<img part="mention-image" src=${image} alt="" width="32" height="32" decoding="async" />` : nothing}
      <span part="mention-title">${product.title}</span>
      <span part="mention-price">${formatMoney(deal?.price ?? variant.price, elementLocale(this))}</span>
      <button part="mention-cta" type="button" ?disabled=${soldOut || busy} aria-label=${soldOut ? msg(str`Sold out: ${product.title}`, {id: 'chat.mention.sold-out'}) : msg(str`Add to cart: ${product.title}`, {id: 'chat.mention.add'})}
        @click=${() => this.#addToCart(key, messageId, product, variant, deal?.dealId)}>${soldOut ? soldOutText() : busy && this.#addedFrom === key ? addingText() : addToCartText()}</button>
      ${feedback ? html`<span part="mention-status" role="status" class=${feedback.kind}>${feedback.message}</span>` : nothing}
    </span>`;
  }

  #addToCart(key: string, messageId: string, product: Product, variant: Variant, dealId: string | undefined): void {
    if (this.#adding.busy) return;
    this.#addedFrom = key;
    void this.#adding.add(
      {productId: product.id, variantId: variant.id, quantity: 1, source: 'chat', ...(dealId ? {dealId} : {})},
      {source: 'mention', sourceId: messageId, product, variant},
    );
  }

  #renderComposer(show: ChatShowHandle) {
    if (this.noServer || !show.server || !show.showId) {
      return html`<p part="composer-status" class="closed">${msg('Chat is read-only here: this show is not connected to a chat server.', {id: 'chat.read-only'})}</p>`;
    }
    if (this.banned !== null) {
      return html`<p part="composer-status" class="refused" role="status">${msg(str`You can't send messages in this chat. ${this.banned}`, {id: 'chat.banned', desc: 'After it: the moderator\'s reason, as they wrote it.'})}</p>`;
    }
    const name = this.#name();
    if (!show.viewerToken && (name === null || this.renaming)) return this.#renderNameForm(name);
    const feedback = this.feedback;
    const waitLeft = feedback?.kind === 'waiting' ? this.#secondsLeft() : 0;
    const blocked = this.busy || waitLeft > 0;
    return html`<form part="composer" @submit=${this.#onSubmit}>
      <label class="visually-hidden" for="text">${msg('Message', {id: 'chat.message'})}</label>
      <input part="input" id="text" name="text" type="text" autocomplete="off" maxlength=${MAX_TEXT_LENGTH}
        placeholder=${name ? msg(str`Chat as ${name}`, {id: 'chat.placeholder.named'}) : msg('Say something', {id: 'chat.placeholder'})} .value=${this.draft}
        @input=${(e: Event) => (this.draft = (e.target as HTMLInputElement).value)} />
      <button part="send" type="submit" ?disabled=${blocked || !this.draft.trim()} aria-busy=${this.busy ? 'true' : 'false'}>
        ${waitLeft > 0 ? msg(str`Wait ${formatCount(waitLeft, elementLocale(this))} s`, {id: 'chat.wait'})
          : this.busy ? msg('Sending…', {id: 'chat.sending'}) : msg('Send', {id: 'chat.send'})}
      </button>
      ${feedback?.kind === 'failed' ? html`<button part="retry" type="button" ?disabled=${this.busy} @click=${() => void this.#send()}>${msg('Retry', {id: 'chat.retry'})}</button>` : nothing}
      ${name && !show.viewerToken ? html`<button class="rename" type="button" @click=${() => (this.renaming = true)}>${msg('Change name', {id: 'chat.rename'})}</button>` : nothing}
      <p part="composer-status" role="status" class=${feedback?.kind ?? ''}>${feedback?.message ?? ''}</p>
    </form>`;
  }

  #renderNameForm(current: string | null) {
    return html`<form part="composer" @submit=${this.#onName}>
      <label for="name">${msg('Your name in chat', {id: 'chat.name'})}</label>
      <input part="input" id="name" name="name" type="text" autocomplete="nickname" required maxlength=${MAX_CHAT_NAME_LENGTH} .value=${current ?? ''} />
      <button part="send" type="submit">${current ? msg('Save', {id: 'chat.name.save'}) : msg('Join chat', {id: 'chat.join'})}</button>
    </form>`;
  }

  #onName(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = cleanChatName(input.value);
    if (!name) return; // `required` tells the viewer; whitespace alone is no name either
    setChatName(name, this.#link.show?.consent === 'granted');
    this.renaming = false;
    this.requestUpdate(); // the name lives outside the element's properties
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#text')?.focus());
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send();
  }

  /** Sends the draft; the text is kept until the server took it. */
  async #send(): Promise<void> {
    const show = this.#link.show;
    const text = this.draft.trim();
    if (!show || !text || this.busy || (this.feedback?.kind === 'waiting' && this.#secondsLeft() > 0)) return;
    this.busy = true;
    this.feedback = null;
    const name = show.viewerToken ? null : this.#name();
    const outcome = await show.sendChat(text, name ? {name} : undefined);
    this.busy = false;
    this.#sent(outcome, text, show);
  }

  #sent(outcome: ActionOutcome, text: string, show: ChatShowHandle): void {
    if (outcome.status === 'accepted') {
      if (this.draft.trim() === text) this.draft = '';
      this.clearError('action-refused', 'action-failed');
      const echo = echoOf(outcome.data, text, show.viewerToken ? 'customer' : 'viewer', this.#name() ?? msg('You', {id: 'chat.you', desc: 'Author shown on your own message when you have no name.'}), show.clock.now());
      if (echo) {
        this.#own.add(echo.id);
        if (this.#own.size > OWN_KEPT) this.#own.delete(this.#own.values().next().value!);
        // The stream's copy may have come first: it wins, the echo is only for a message not yet seen.
        if (!this.#log.has(echo.id) && this.#log.put(echo)) this.#following = true;
      }
      return;
    }
    // The show has already reported it (`kol-error`); the element shows it to the sender and reflects it.
    if (outcome.status === 'failed') {
      this.error = outcome.code;
      if (outcome.code === 'no-server') this.noServer = true;
      else this.feedback = {kind: 'failed', message: msg(str`Your message was not sent: ${outcome.message} Your text is kept.`, {id: 'chat.failed'})};
      return;
    }
    this.error = 'action-refused';
    const reason = typeof outcome.details.reason === 'string' && outcome.details.reason ? outcome.details.reason : outcome.message;
    if (outcome.code === 'banned') this.banned = reason;
    else if (outcome.retryAfterMs !== undefined) {
      const seconds = formatCount(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)), elementLocale(this));
      const message = outcome.code === 'slow-mode'
        ? msg(str`Slow mode is on: one message at a time. You can send again in ${seconds} s.`, {id: 'chat.slow-mode'})
        : msg(str`You are sending too fast. You can send again in ${seconds} s.`, {id: 'chat.too-fast'});
      this.feedback = {kind: 'waiting', message, until: Date.now() + outcome.retryAfterMs};
    } else {
      this.feedback = {kind: 'refused', message: msg(str`Not sent: ${reason}`, {id: 'chat.refused'})};
    }
  }

  #secondsLeft(): number {
    return this.feedback?.kind === 'waiting' ? Math.ceil((this.feedback.until - Date.now()) / 1000) : 0;
  }

  #name(): string | null {
    return chatName(this.#link.show?.consent === 'granted');
  }
}

const liveChatText = () => msg('Live chat', {id: 'chat.label'});

/** "1 new message", "12 new messages", "99+ new messages" on the jump-to-newest button. */
function newMessagesText(unread: number, locale: string): string {
  const n = unread > 99 ? `${formatCount(99, locale)}+` : formatCount(unread, locale);
  return plural(unread, {
    '=1': () => msg('1 new message', {id: 'chat.new.=1'}),
    '=2': () => msg('2 new messages', {id: 'chat.new.=2'}),
    one: () => msg(str`${n} new message`, {id: 'chat.new.one'}),
    few: () => msg(str`${n} new messages`, {id: 'chat.new.few'}),
    many: () => msg(str`${n} new messages`, {id: 'chat.new.many'}),
    other: () => msg(str`${n} new messages`, {id: 'chat.new.other'}),
  });
}
