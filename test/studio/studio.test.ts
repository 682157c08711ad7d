// The host's studio (DESIGN.md §10) in Chromium, served by the show server the demo embeds: it refuses
// without a host token; with one, the host goes live, pins a product, starts a deal and chats through the
// studio's own controls, and a viewer's <kol-show> (state and elements) shows each; the studio's viewer count
// rises as viewers connect.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import {DEMO_EVENTS, hostToken, hostTokenFor} from '../fixtures/host.js';

/** Where the studio keeps the token for the tab (src/server/studio/studio.js); frames of this page share it. */
const TOKEN_KEY = 'kolkit-studio-token';

let frame: HTMLIFrameElement | undefined;

/** Opens `src` in an iframe and answers its document once loaded. */
async function openFrame(src: string): Promise<Document> {
  frame = document.createElement('iframe');
  frame.style.width = '1200px';
  frame.style.height = '900px';
  const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, {once: true}));
  frame.src = src;
  document.body.append(frame);
  await loaded;
  return frame.contentDocument!;
}

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
/** The text of an element and its shadow tree (a kolkit element renders in its shadow root). */
const shadowText = (node: Element | null) => text(node) + ' ' + (node?.shadowRoot ? text(node.shadowRoot as unknown as Element) : '');

beforeEach(() => sessionStorage.removeItem(TOKEN_KEY));
afterEach(() => {
  frame?.remove();
  frame = undefined;
  sessionStorage.removeItem(TOKEN_KEY);
});

describe('studio: without a valid host token', () => {
  it('refuses with a page that says what to do', async () => {
    const doc = await openFrame('/studio');
    await waitUntil(() => doc.querySelector('.refusal h1'), 'no refusal shown', {timeout: 5000});
    expect(text(doc.querySelector('.refusal h1'))).to.equal('The studio needs a host token');
    expect(text(doc.querySelector('.refusal p'))).to.contain('studio link');
    expect(doc.querySelector('#panel-show')).to.equal(null);
  });

  it('refuses a bad token, server-side in a query and client-side in a fragment, with the reason', async () => {
    const res = await fetch('/studio?token=not.a.token', {referrerPolicy: 'no-referrer'});
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-security-policy')).to.contain("script-src 'self'");
    expect(await res.text()).to.contain('malformed host token');

    const doc = await openFrame('/studio#token=not.a.token');
    await waitUntil(() => doc.querySelector('.refusal h1'), 'no refusal shown', {timeout: 5000});
    expect(text(doc.querySelector('.refusal h1'))).to.equal('The studio refused this token');
    expect(text(doc.querySelector('.refusal p'))).to.contain('malformed host token');
    expect(sessionStorage.getItem(TOKEN_KEY), 'a refused token is forgotten').to.equal(null);
  });
});

describe('studio: with the host token', () => {
  const viewers: EventSource[] = [];
  afterEach(() => viewers.splice(0).forEach((source) => source.close()));

  it('goes live, pins, starts a deal and chats: a viewer\'s <kol-show> shows each', async function () {
    this.timeout(40000);
    const show = await fixture<KolShow>(html`
      <kol-show adapter="memory" products="/demo/catalog.json" events=${DEMO_EVENTS}>
        <kol-product-pin></kol-product-pin>
        <kol-countdown-deal></kol-countdown-deal>
      </kol-show>`);
    const doc = await openFrame(`/studio#token=${await hostToken()}`);
    await waitUntil(() => doc.querySelector('#connection[data-status="open"]'), 'the studio did not connect', {timeout: 10000});
    // The token left the address bar (and any copy of the URL) as soon as the page read it.
    expect(frame!.contentWindow!.location.hash).to.equal('');
    await waitUntil(() => doc.querySelectorAll('#products .product').length >= 5, 'the catalog was not listed', {timeout: 5000});
    const click = (selector: string, root: ParentNode = doc) => (root.querySelector(selector) as HTMLButtonElement).click();

    // Go live.
    click('[data-action="status-live"]');
    await waitUntil(() => show.state.status === 'live', 'the viewer never saw the show go live', {timeout: 5000});
    await waitUntil(() => doc.getElementById('show-status')!.textContent === 'live', 'the studio did not show the status', {timeout: 5000});

    // Pin the mug with a label of our own.
    const label = `#${Math.random().toString(36).slice(2, 6)}`;
    const row = doc.querySelector('#products .product[data-product-id="p-mug"]')!;
    (row.querySelector('input[name="label"]') as HTMLInputElement).value = label;
    click('[data-action="pin"]', row);
    await waitUntil(() => show.state.pinned[0]?.productId === 'p-mug' && show.state.pinned[0]?.label === label, 'the viewer never saw the pin', {timeout: 5000});
    const pin = show.querySelector('kol-product-pin')!;
    await waitUntil(() => shadowText(pin).includes('Moonrise Mug'), `the pin element shows ${shadowText(pin)}`, {timeout: 5000});
    await waitUntil(() => row.classList.contains('product--pinned'), 'the studio did not mark the product pinned', {timeout: 5000});

    // Start a deal on the cap.
    const form = doc.getElementById('deal-form') as HTMLFormElement;
    const product = form.elements.namedItem('productId') as HTMLSelectElement;
    product.value = 'p-cap';
    product.dispatchEvent(new Event('change'));
    (form.elements.namedItem('price') as HTMLInputElement).value = '12.34';
    (form.elements.namedItem('durationSeconds') as HTMLInputElement).value = '120';
    (form.elements.namedItem('stock') as HTMLInputElement).value = '3';
    form.requestSubmit();
    let dealId = '';
    await waitUntil(() => {
      const deal = Object.values(show.state.deals).find((d) => d.productId === 'p-cap' && d.price.amount === '12.34' && !d.ended);
      dealId = deal?.dealId ?? '';
      return deal?.stock === 3;
    }, 'the viewer never saw the deal', {timeout: 5000});
    const countdown = show.querySelector('kol-countdown-deal')!;
    await waitUntil(() => shadowText(countdown).includes('12.34'), `the deal element shows ${shadowText(countdown)}`, {timeout: 5000});
    await waitUntil(() => doc.querySelector(`#deals [data-deal-id="${dealId}"]`), 'the studio did not list the running deal', {timeout: 5000});

    // Chat as the host.
    const words = `Welcome ${Math.random().toString(36).slice(2, 7)}`;
    const chat = doc.getElementById('chat-form') as HTMLFormElement;
    (chat.elements.namedItem('text') as HTMLInputElement).value = words;
    chat.requestSubmit();
    await waitUntil(() => show.state.chat.some((m) => m.text === words), 'the viewer never saw the host\'s message', {timeout: 5000});
    await waitUntil(() => text(doc.getElementById('chat')).includes(words), 'the studio did not show its own message', {timeout: 5000});
    expect(doc.querySelector('#chat .chat__message--host')).to.exist;

    // End the deal from its row.
    const end = [...doc.querySelectorAll(`#deals [data-deal-id="${dealId}"] button`)].find((b) => b.textContent === 'End deal') as HTMLButtonElement;
    end.click();
    await waitUntil(() => show.state.deals[dealId]?.ended === 'cancelled', 'the viewer never saw the deal end', {timeout: 5000});
  });

  it('shows every refusal with the server\'s message', async () => {
    const doc = await openFrame(`/studio#token=${await hostToken()}`);
    await waitUntil(() => doc.querySelector('#connection[data-status="open"]'), 'the studio did not connect', {timeout: 10000});
    const form = doc.getElementById('deal-form') as HTMLFormElement;
    (form.elements.namedItem('price') as HTMLInputElement).value = 'cheap';
    form.requestSubmit();
    await waitUntil(() => !doc.getElementById('notice')!.hidden, 'no refusal shown', {timeout: 5000});
    expect(text(doc.getElementById('notice'))).to.contain('deal.start was refused').and.contain('price');
    expect(text(doc.querySelector('#activity .error'))).to.match(/refused\s+deal\.start\s+400 price/);
  });

  it('counts the viewers as they connect', async function () {
    this.timeout(30000);
    const doc = await openFrame(`/studio#token=${await hostToken()}`);
    await waitUntil(() => doc.querySelector('#connection[data-status="open"]'), 'the studio did not connect', {timeout: 10000});
    const count = () => Number(doc.getElementById('viewer-count')!.textContent);
    // Whatever other tests left open is counted too: settle first, then add three.
    const before = await settled(count);
    for (let i = 0; i < 3; i++) viewers.push(new EventSource(DEMO_EVENTS));
    // The server publishes the count once per period (1 s under the test runner).
    await waitUntil(() => count() >= before + 3, `the count stayed at ${count()} (was ${before})`, {timeout: 15000, interval: 100});
    viewers.splice(0).forEach((source) => source.close());
    await waitUntil(() => count() <= before, `the count stayed at ${count()} after the viewers left`, {timeout: 15000, interval: 100});
  });
});

describe('studio: chat moderation and requests', () => {
  /** A show of this test's own, its host token, and the viewers' side of it (same origin: the demo embeds the server). */
  async function ownShow() {
    const show = `studio-chat-${Math.random().toString(36).slice(2, 8)}`;
    const token = await hostTokenFor(show);
    const base = `/v1/shows/${show}`;
    const hostPost = async (body: unknown) => {
      const res = await fetch(`${base}/events`, {method: 'POST', headers: {'content-type': 'application/json', authorization: `Bearer ${token}`}, body: JSON.stringify(body)});
      expect(res.status, await res.clone().text()).to.equal(201);
    };
    const chat = async (viewer: string, text: string) => {
      const res = await fetch(`${base}/chat`, {method: 'POST', headers: {'content-type': 'application/json', 'x-kol-viewer': viewer}, body: JSON.stringify({text})});
      return {status: res.status, body: (await res.json()) as {id: string; error?: string}};
    };
    const state = async () => (await (await fetch(`${base}/state`)).json()) as {pinned: Array<{productId: string; label?: string}>; chat: Array<{id: string}>};
    return {show, token, hostPost, chat, state};
  }

  it('a viewer\'s "#7 …" appears in the ranking as "#7 Lune Cap ×2", and one click pins it', async function () {
    this.timeout(30000);
    const {show, token, hostPost, chat, state} = await ownShow();
    await hostPost({type: 'product.pin', productId: 'p-cap', label: '#7'});
    await hostPost({type: 'product.pin', productId: 'p-mug', label: '#3'});
    const doc = await openFrame(`/studio?show=${show}#token=${token}`);
    await waitUntil(() => doc.querySelector('#connection[data-status="open"]'), 'the studio did not connect', {timeout: 10000});
    expect((await chat('studio-viewer-01', '#7 please')).status).to.equal(202);
    expect((await chat('studio-viewer-02', 'can we see #7 in blue?')).status).to.equal(202);
    const row = () => doc.querySelector('#requests .request[data-product-id="p-cap"]');
    await waitUntil(() => text(row()).includes('×2'), `the ranking shows ${text(doc.getElementById('requests'))}`, {timeout: 10000});
    expect(text(row())).to.match(/^#7 Lune Cap ×2 Pin$/);
    expect((await state()).pinned[0].productId).to.equal('p-mug');
    (row()!.querySelector('[data-action="pin-request"]') as HTMLButtonElement).click();
    await waitUntil(async () => (await state()).pinned[0]?.productId === 'p-cap', 'the request was not pinned', {timeout: 5000});
    expect((await state()).pinned[0].label).to.equal('#7');
  });

  it('Remove takes a message away for everyone; Ban refuses its sender; slow mode is set from the studio', async function () {
    this.timeout(30000);
    const {show, token, chat, state} = await ownShow();
    const doc = await openFrame(`/studio?show=${show}#token=${token}`);
    await waitUntil(() => doc.querySelector('#connection[data-status="open"]'), 'the studio did not connect', {timeout: 10000});
    const rude = await chat('rude-viewer-01', 'something rude');
    const spam = await chat('spam-viewer-01', 'buy followers');
    const rowOf = (id: string) => doc.querySelector(`#chat [data-message-id="${id}"]`);
    await waitUntil(() => rowOf(rude.body.id) && rowOf(spam.body.id), 'the studio did not show the messages', {timeout: 5000});
    const click = (id: string, name: string) => ([...rowOf(id)!.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement).click();

    click(rude.body.id, 'Remove');
    await waitUntil(() => !rowOf(rude.body.id), 'the studio kept the removed message', {timeout: 5000});
    await waitUntil(async () => !(await state()).chat.some((m) => m.id === rude.body.id), 'the message stayed in the show', {timeout: 5000});

    click(spam.body.id, 'Ban');
    await waitUntil(() => text(doc.getElementById('banned')).startsWith('1 banned'), 'the studio did not show the ban', {timeout: 5000});
    const again = await chat('spam-viewer-01', 'buy more followers');
    expect(again.status).to.equal(403);
    expect(again.body.error).to.equal('banned');
    await waitUntil(() => !rowOf(spam.body.id), 'the banned sender\'s message stayed', {timeout: 5000});
    expect((await chat('nice-viewer-01', 'hello')).status).to.equal(202);

    (doc.querySelector('#moderation input[name="slowModeSeconds"]') as HTMLInputElement).value = '30';
    (doc.querySelector('#moderation [data-action="slow-mode"]') as HTMLButtonElement).click();
    await waitUntil(async () => (await chat('nice-viewer-01', 'and again')).status === 429, 'slow mode did not hold', {timeout: 5000});
  });
});

/** `read()` once it has held the same value for 2.5 s (two and a half viewer-count periods), within 15 s. */
async function settled(read: () => number): Promise<number> {
  let value = read();
  let since = Date.now();
  await waitUntil(() => {
    const now = read();
    if (now !== value) [value, since] = [now, Date.now()];
    return Date.now() - since >= 2500;
  }, 'the viewer count never settled', {timeout: 15000, interval: 100});
  return value;
}
