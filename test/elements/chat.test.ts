import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import {ifDefined} from 'lit/directives/if-defined.js';
import '../../src/index.js';
import type {KolChat, KolShow} from '../../src/index.js';
import {MemoryAdapter} from '../../src/adapters/memory.js';
import type {ShowEvent} from '../../src/core/schema.js';
import {forgetPageViewerId} from '../../src/page/viewer-id.js';
import {CHAT_NAME_KEY, forgetPageChatName} from '../../src/elements/chat/chat-name.js';
import {catalog, freshCatalog} from '../fixtures/catalog.js';
import {quantityOf} from '../fixtures/cart.js';
import {uniqueId} from '../fixtures/host.js';
import {hostEvent, hostPost, serverViewerToken, showServerUrl} from '../fixtures/show-server.js';
import {recordKolErrors} from '../fixtures/errors.js';

/** Text as a viewer reads it: whitespace collapsed. */
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: KolChat) => el.shadowRoot!;
const part = (el: KolChat, name: string) => root(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (el: KolChat, name: string) => [...root(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const messages = (el: KolChat) => parts(el, 'message');
const textsShown = (el: KolChat) => parts(el, 'text').map((t) => t.textContent ?? '');
const announced = (el: KolChat) => read(root(el).querySelector('.visually-hidden[role=status]'));

const recorded = recordKolErrors();

let counter = 0;
/** A chat.message as a live source brings it (released on arrival). */
const chatEvent = (text: string, extra: Record<string, unknown> = {}): ShowEvent =>
  ({v: 1, id: `m${++counter}-${Math.random().toString(36).slice(2, 6)}`, type: 'chat.message', at: new Date().toISOString(), author: 'Lu', text, ...extra}) as ShowEvent;

/** Counts every node under `node`, shadow roots included: what the page holds for the chat. */
function countNodes(node: Node): number {
  let count = 1;
  for (let child = node.firstChild; child; child = child.nextSibling) count += countNodes(child);
  const shadow = (node as Element).shadowRoot;
  if (shadow) count += countNodes(shadow);
  return count;
}

/**
 * A show with a chat inside, on a real kolkit show server (test/servers/show-server.mjs: another origin, as a
 * merchant's page would have it), under its own show id.
 */
async function setup({server = true, consent = null as string | null, token = null as string | null, adapter = new MemoryAdapter({products: freshCatalog()})} = {}) {
  const showId = uniqueId('chat');
  const base = server ? await showServerUrl() : undefined;
  const show = await fixture<KolShow>(html`<kol-show server=${ifDefined(base)} show-id=${showId}
    consent=${ifDefined(consent ?? undefined)} .viewerToken=${token} .adapter=${adapter}><kol-chat></kol-chat></kol-show>`);
  const el = show.querySelector('kol-chat')!;
  await el.updateComplete;
  return {show, el, showId, adapter};
}

/** Types a display name and joins. */
async function join(el: KolChat, name: string) {
  await waitUntil(() => root(el).querySelector('#name'), 'the chat never asked for a name');
  const input = root(el).querySelector<HTMLInputElement>('#name')!;
  input.value = name;
  part(el, 'send')!.click();
  await waitUntil(() => root(el).querySelector('#text'), 'the composer never opened');
}

/** Types `text` and presses send. */
async function type(el: KolChat, text: string) {
  const input = root(el).querySelector<HTMLInputElement>('#text')!;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
  part(el, 'send')!.click();
}

describe('<kol-chat>', () => {
  beforeEach(() => {
    forgetPageViewerId(); // each test is a new anonymous viewer: its own rate limit
    forgetPageChatName();
    sessionStorage.removeItem(CHAT_NAME_KEY);
  });

  it('asks an anonymous viewer for a name once, sends as them, and shows their message once (echo, then the stream)', async () => {
    const {show, el} = await setup();
    await waitUntil(() => read(part(el, 'messages')) === 'No messages yet.', 'no empty state');
    await join(el, '  Mia  ');
    await type(el, 'hello from Mia');
    await waitUntil(() => messages(el).length === 1, 'the own message never showed');
    // The stream brings the same message (same id): once it has, still one.
    const id = el.messages[0]!.id;
    await waitUntil(() => show.state.chat.some((m) => m.id === id), 'the stream never brought the message');
    await el.updateComplete;
    expect(el.messages.length).to.equal(1);
    expect(messages(el).length).to.equal(1);
    expect(read(part(el, 'author'))).to.equal('Mia');
    expect(part(el, 'badge')).to.equal(null);
    expect(textsShown(el)).to.deep.equal(['hello from Mia']);
    expect((root(el).querySelector('#text') as HTMLInputElement).value).to.equal('');
    // The name is asked once: the next send goes straight out.
    await type(el, 'second');
    await waitUntil(() => messages(el).length === 2, 'the second message never showed');
    expect(parts(el, 'author').map(read)).to.deep.equal(['Mia', 'Mia']);
    // Without consent nothing was stored.
    expect(sessionStorage.getItem(CHAT_NAME_KEY)).to.equal(null);
  });

  it('stores the chosen name only once consent is granted, and removes it when consent is withdrawn', async () => {
    const {show, el} = await setup();
    await join(el, 'Noor');
    expect(sessionStorage.getItem(CHAT_NAME_KEY)).to.equal(null);
    show.consent = 'granted';
    await waitUntil(() => sessionStorage.getItem(CHAT_NAME_KEY) === 'Noor', 'the name was not stored after consent');
    show.consent = 'denied';
    await waitUntil(() => sessionStorage.getItem(CHAT_NAME_KEY) === null, 'the name stayed after consent was withdrawn');
  });

  it('a customer with a viewer token is not asked a name, and gets the customer badge from the server', async () => {
    const {el} = await setup({token: await serverViewerToken(uniqueId('cust'), 'Ana Customer')});
    await waitUntil(() => root(el).querySelector('#text'), 'a customer was asked for a name');
    await type(el, 'hi as a customer');
    await waitUntil(() => read(part(el, 'author')) === 'Ana Customer', 'the stream never named the customer');
    expect(read(part(el, 'badge'))).to.equal('Customer');
  });

  it('shows the host’s messages with a Host badge, and announces only host messages and those naming the viewer', async () => {
    const {show, el, showId} = await setup();
    await join(el, 'Mia');
    await hostEvent(showId, {type: 'chat.message', author: 'Hostess Ana', text: 'Welcome to the show!', role: 'host'});
    await waitUntil(() => read(part(el, 'badge')) === 'Host', 'the host message never showed with its badge');
    await waitUntil(() => announced(el) === 'Hostess Ana (host): Welcome to the show!', `announced "${announced(el)}"`);
    // A flood from others is not announced...
    show.push(Array.from({length: 30}, (_, i) => chatEvent(`flood ${i}`)));
    await waitUntil(() => messages(el).length === 31, 'the flood never showed');
    expect(announced(el)).to.equal('Hostess Ana (host): Welcome to the show!');
    // ...a message naming the viewer is.
    show.push(chatEvent('@mia which size do you wear?', {author: 'Sam'}));
    await waitUntil(() => announced(el) === 'Sam mentioned you: @mia which size do you wear?', `announced "${announced(el)}"`);
    show.push(chatEvent('mianne and amia are not you', {author: 'Kai'}));
    show.push(chatEvent('nothing for you', {author: 'Kai'}));
    await waitUntil(() => messages(el).length === 34, 'later messages never showed');
    expect(announced(el)).to.equal('Sam mentioned you: @mia which size do you wear?');
  });

  it('renders markup, javascript: links, a right-to-left override and zero-width characters as inert text', async () => {
    const {show, el} = await setup();
    (window as unknown as {pwned?: boolean}).pwned = false;
    const hostile = [
      '<img src=x onerror="window.pwned=true">',
      'javascript:window.pwned=true',
      'abc\u202Edef <b>bold</b>',
      'zero\u200Bwidth\u200D\uFEFF',
    ];
    show.push(hostile.map((text, i) => chatEvent(text, {author: i === 2 ? '\u202EtsoH' : `<i>x${i}</i>`})));
    await waitUntil(() => messages(el).length === 4, 'messages never showed');
    expect(textsShown(el)).to.deep.equal(hostile);
    expect(parts(el, 'author').map((a) => a.textContent)).to.deep.equal(['<i>x0</i>', '<i>x1</i>', '\u202EtsoH', '<i>x3</i>']);
    const list = part(el, 'messages')!;
    expect(list.querySelectorAll('img, a, b, i, script').length).to.equal(0);
    // The override is isolated: it cannot reorder the author beside its text.
    expect(getComputedStyle(parts(el, 'author')[2]).unicodeBidi).to.equal('isolate');
    expect(getComputedStyle(parts(el, 'text')[2]).unicodeBidi).to.equal('isolate');
    // No element was made from the text, so nothing could run (an <img> is the only way its onerror could).
    expect((window as unknown as {pwned?: boolean}).pwned).to.equal(false);
  });

  it('removes a message the moderator removed', async () => {
    const {el, showId} = await setup();
    const {id} = await hostEvent(showId, {type: 'chat.message', author: 'Troll', text: 'spam spam', role: 'viewer'});
    await hostEvent(showId, {type: 'chat.message', author: 'Ana', text: 'kept', role: 'host'});
    await waitUntil(() => messages(el).length === 2, 'messages never showed');
    await hostEvent(showId, {type: 'chat.remove', messageId: id});
    await waitUntil(() => messages(el).length === 1, 'the removed message stayed');
    expect(textsShown(el)).to.deep.equal(['kept']);
  });

  it('shows a #N mention as a product card that adds to cart through the show’s adapter; an unknown product stays text', async () => {
    const adapter = new MemoryAdapter({products: freshCatalog()});
    const {show, el} = await setup({adapter});
    const cap = catalog.find((p) => p.id === 'p-cap')!;
    show.push(chatEvent('try #2 please, and #9', {mentions: [{label: '#2', productId: 'p-cap'}, {label: '#9', productId: 'no-such-product'}]}));
    await waitUntil(() => part(el, 'mention-title')?.textContent === cap.title, 'the mention card never showed');
    const text = part(el, 'text')!;
    expect(read(text)).to.equal(`try #2 ${cap.title} ${read(part(el, 'mention-price'))} Add to cart please, and #9`);
    expect(parts(el, 'mention').length).to.equal(1);
    expect(read(part(el, 'mention-price'))).to.not.equal('');
    part(el, 'mention-cta')!.click();
    await waitUntil(() => quantityOf(show.cart, cap.variants[0].id) === 1, 'the mention never added to cart');
    await waitUntil(() => read(part(el, 'mention-status')) === 'Added to cart', 'no add feedback on the card');
    // The unknown product is the show's to report; the add itself raised nothing.
    expect(recorded.codes().filter((code) => code.startsWith('cart-'))).to.deep.equal([]);
  });

  it('counts down and disables send while the server says wait (429), then sends again; the text is kept', async () => {
    const {el} = await setup();
    await join(el, 'Fast');
    // The server takes 5 messages per 10 s from one viewer: the 6th is refused with Retry-After.
    for (let i = 1; i <= 5; i++) {
      await type(el, `msg ${i}`);
      await waitUntil(() => messages(el).length === i && !el.busy, `message ${i} never showed`);
    }
    await type(el, 'one too many');
    await waitUntil(() => /Wait \d+ s/.test(read(part(el, 'send'))), 'no countdown on the send button');
    const send = part(el, 'send') as HTMLButtonElement;
    expect(send.disabled).to.equal(true);
    expect(read(part(el, 'composer-status'))).to.match(/too fast.*send again in \d+ s/);
    expect(el.getAttribute('error')).to.equal('action-refused');
    expect((root(el).querySelector('#text') as HTMLInputElement).value).to.equal('one too many');
    const first = Number(/Wait (\d+) s/.exec(read(send))![1]);
    await waitUntil(() => Number(/Wait (\d+) s/.exec(read(send))?.[1] ?? 0) < first, 'the countdown never moved', {timeout: 5000});
    await waitUntil(() => read(part(el, 'send')) === 'Send' && !(part(el, 'send') as HTMLButtonElement).disabled, 'send never came back', {timeout: 15000});
    part(el, 'send')!.click();
    await waitUntil(() => textsShown(el).includes('one too many'), 'the kept text was never sent', {timeout: 5000});
  });

  it('shows why a message was refused, and an error state with retry (keeping the text) when sending failed', async () => {
    const {el} = await setup();
    await join(el, 'Long');
    const input = root(el).querySelector<HTMLInputElement>('#text')!;
    expect(input.maxLength).to.equal(500);
    // Sending fails (the server is unreachable): an error state, the text kept, a retry.
    const originalFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/chat') ? Promise.reject(new TypeError('Failed to fetch')) : originalFetch(input, init);
    try {
      await type(el, 'will fail');
      await waitUntil(() => part(el, 'retry'), 'no retry after a failed send');
    } finally {
      window.fetch = originalFetch;
    }
    expect(el.getAttribute('error')).to.equal('action-failed');
    expect(read(part(el, 'composer-status'))).to.match(/not sent.*kept/);
    expect(input.value).to.equal('will fail');
    part(el, 'retry')!.click();
    await waitUntil(() => textsShown(el).includes('will fail'), 'retry never sent the kept text');
    expect(el.hasAttribute('error')).to.equal(false);
    expect(part(el, 'retry')).to.equal(null);
  });

  it('shows the moderators\' refusals to the sender: a blocked word with its reason (text kept), then a ban closes the composer', async () => {
    const {el, showId} = await setup();
    expect((await hostPost(showId, 'moderation', {action: 'blocked-words', words: ['knockoff']})).status).to.equal(200);
    await join(el, 'Sly');
    await type(el, 'is this a KNOCKOFF?');
    await waitUntil(() => read(part(el, 'composer-status')) === 'Not sent: contains a blocked word', 'the blocked word\'s reason was never shown');
    expect(el.getAttribute('error')).to.equal('action-refused');
    expect((root(el).querySelector('#text') as HTMLInputElement).value).to.equal('is this a KNOCKOFF?');
    expect(messages(el).length).to.equal(0);
    // A message that passes, then the moderator bans its sender by it: the next send is refused, and the
    // composer says so instead of offering to send.
    await type(el, 'fine then');
    await waitUntil(() => messages(el).length === 1 && !el.busy, 'the allowed message never showed');
    const ban = await hostPost(showId, 'moderation', {action: 'ban', messageId: el.messages[0]!.id});
    expect(ban.status).to.equal(200);
    await type(el, 'still here?');
    await waitUntil(() => /can't send messages in this chat/.test(read(part(el, 'composer-status'))), 'the ban was never shown');
    expect(root(el).querySelector('#text')).to.equal(null);
  });

  it('without a server the chat shows messages and says it is read-only', async () => {
    const {show, el} = await setup({server: false});
    show.push(chatEvent('from a hub'));
    await waitUntil(() => messages(el).length === 1, 'the message never showed');
    expect(read(part(el, 'composer-status'))).to.match(/read-only/);
    expect(root(el).querySelector('input')).to.equal(null);
  });

  it('keeps the DOM bounded: 50,000 messages (in 50 renders) leave the last 200 and a few thousand nodes', async () => {
    const {show, el} = await setup({server: false});
    const empty = countNodes(el);
    // In pieces with a render after each, as a live stream brings them: every render drops old rows.
    const size = 1000;
    for (let chunk = 0; chunk < 50_000 / size; chunk++) {
      show.push(Array.from({length: size}, (_, i) => chatEvent(`message ${chunk * size + i}`, {author: `viewer ${(chunk * size + i) % 1000}`})));
      await el.updateComplete;
    }
    await waitUntil(() => textsShown(el).at(-1) === 'message 49999', 'the newest message never showed');
    const nodes = countNodes(el);
    expect(messages(el).length).to.equal(200);
    expect(textsShown(el)[0]).to.equal('message 49800');
    expect(nodes - empty).to.be.below(3000, `${nodes - empty} nodes for 200 messages`);
  });

  it('follows the newest messages, and offers a "new messages" button after the viewer scrolled up', async () => {
    const {show, el} = await setup({server: false});
    show.push(Array.from({length: 60}, (_, i) => chatEvent(`line ${i}`)));
    await waitUntil(() => messages(el).length === 60, 'messages never showed');
    const box = part(el, 'messages')!;
    await waitUntil(() => box.scrollHeight - box.scrollTop - box.clientHeight < 2, 'not scrolled to the newest');
    box.scrollTop = 0;
    box.dispatchEvent(new Event('scroll'));
    show.push([chatEvent('while away 1'), chatEvent('while away 2')]);
    await waitUntil(() => read(part(el, 'new-messages')) === '2 new messages', 'no new-messages button');
    expect(box.scrollTop).to.equal(0);
    part(el, 'new-messages')!.click();
    await el.updateComplete;
    expect(box.scrollHeight - box.scrollTop - box.clientHeight).to.be.below(2);
    expect(part(el, 'new-messages')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(box);
  });

  it('is accessible (axe): the list is a log that does not announce every message', async () => {
    const {show, el} = await setup();
    show.push([chatEvent('hello', {role: 'host'}), chatEvent('try #2', {mentions: [{label: '#2', productId: 'p-cap'}]})]);
    await waitUntil(() => part(el, 'mention-title'), 'no mention card');
    const list = part(el, 'messages')!;
    expect(list.getAttribute('role')).to.equal('log');
    expect(list.getAttribute('aria-live')).to.equal('off');
    await expect(el).shadowDom.to.be.accessible();
    await join(el, 'Axe');
    await expect(el).shadowDom.to.be.accessible();
  });
});
