// <kol-show server show-id> against a REAL kolkit show server on another origin (test/servers/show-server.mjs:
// createShowServer on 127.0.0.1, port 0; the page is on the test runner's origin): events derived from the two
// attributes (snapshot, then live, the Date header read through CORS), viewer actions (chat as a customer, the
// rate limit's 429), bad attributes, the anonymous viewer id and consent, and the player's viewer count.
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolLivePlayer, KolShow, ShowEvent} from '../../src/index.js';
import type {KolErrorEvent} from '../../src/elements/events.js';
import {VIEWER_ID_KEY, forgetPageViewerId, viewerId} from '../../src/page/viewer-id.js';
import {hostEvent, openViewers, serverViewerToken, showServerUrl} from '../fixtures/show-server.js';

/** A show id unique to one test: tests never see each other's events or viewers. */
const newShow = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** Every kol-error reaching the document from now on. */
function collectErrors(): KolErrorEvent['detail'][] & {stop(): void} {
  const seen = [] as unknown as KolErrorEvent['detail'][] & {stop(): void};
  const listener = (e: KolErrorEvent) => seen.push(e.detail);
  document.addEventListener('kol-error', listener);
  seen.stop = () => document.removeEventListener('kol-error', listener);
  return seen;
}

/** Every URL the page fetches from now on (kolkit reads events and posts actions with fetch). */
function spyFetch(): {urls: string[]; stop(): void} {
  const original = window.fetch;
  const urls: string[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return original(input, init);
  };
  return {urls, stop: () => (window.fetch = original)};
}

/** The released events of `show`, in order, from now on. */
function released(show: KolShow): ShowEvent[] {
  const events: ShowEvent[] = [];
  show.addEventListener('kol-show-event', (e) => events.push(e.detail.event));
  return events;
}

let server: string;
before(async () => {
  server = await showServerUrl();
  expect(new URL(server).origin, 'the show server must be on another origin than the page').to.not.equal(location.origin);
});

afterEach(() => {
  sessionStorage.removeItem(VIEWER_ID_KEY);
  forgetPageViewerId();
});

describe('<kol-show server show-id>: events', () => {
  it('streams the show from {server}/v1/shows/{show-id}/events across origins: a snapshot, then live events; the Date header sets the clock', async () => {
    const id = newShow('events');
    await hostEvent(id, {type: 'product.pin', productId: 'before-join'});
    const show = document.createElement('kol-show') as KolShow;
    const sources: string[] = [];
    const sample = show.clock.sample.bind(show.clock);
    show.clock.sample = (time, receivedAt, source) => (sources.push(source ?? 'event'), sample(time, receivedAt, source));
    const events = released(show);
    const fetches = spyFetch();
    try {
      show.setAttribute('server', server);
      show.setAttribute('show-id', id);
      await fixture(html`<div>${show}</div>`);
      await waitUntil(() => show.state.pinned.some((p) => p.productId === 'before-join'), 'the snapshot never arrived', {timeout: 10000});
      expect(fetches.urls).to.include(`${server}/v1/shows/${id}/events`);
      expect(events[0].type, 'a join starts with a snapshot').to.equal('show.snapshot');
      expect(sources, 'the Date header is readable cross-origin (Access-Control-Expose-Headers)').to.include('date-header');

      await hostEvent(id, {type: 'product.pin', productId: 'live-one'});
      await waitUntil(() => show.state.pinned[0]?.productId === 'live-one', 'the live event never arrived', {timeout: 10000});
      expect(events.filter((e) => e.type === 'show.snapshot')).to.have.length(1);
    } finally {
      fetches.stop();
    }
  });

  it('takes `events` over the stream `server` derives, while actions still go to `server`', async () => {
    const id = newShow('both');
    const other = newShow('other');
    await hostEvent(other, {type: 'product.pin', productId: 'from-events'});
    const fetches = spyFetch();
    try {
      const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${id} events=${`${server}/v1/shows/${other}/events`}></kol-show>`);
      await waitUntil(() => show.state.pinned[0]?.productId === 'from-events', 'the events stream was not the one followed', {timeout: 10000});
      expect(fetches.urls.filter((u) => u.endsWith('/events'))).to.deep.equal([`${server}/v1/shows/${other}/events`]);
      const outcome = await show.react('heart');
      expect(outcome.status).to.equal('accepted');
      expect(fetches.urls).to.include(`${server}/v1/shows/${id}/reactions`);
    } finally {
      fetches.stop();
    }
  });

  it('accepts `server="/"` as the page\'s own origin', async () => {
    const fetches = spyFetch();
    try {
      await fixture<KolShow>(html`<kol-show server="/" show-id="demo"></kol-show>`);
      await waitUntil(() => fetches.urls.includes(`${location.origin}/v1/shows/demo/events`), 'no stream from the page origin', {timeout: 5000});
    } finally {
      fetches.stop();
    }
  });
});

describe('<kol-show server show-id>: bad attributes', () => {
  for (const [attrs, attribute] of [
    [{server: 'javascript:alert(1)', 'show-id': 'ok'}, 'server'],
    [{server: 'http://example.com', 'show-id': 'ok'}, 'server'],
    [{server: 'https://live.example.com/?x=1', 'show-id': 'ok'}, 'server'],
    [{server: 'https://live.example.com', 'show-id': 'no spaces'}, 'show-id'],
    [{server: 'https://live.example.com', 'show-id': 'x'.repeat(65)}, 'show-id'],
    [{server: 'https://live.example.com'}, 'show-id'],
  ] as const) {
    it(`${JSON.stringify(attrs)} → bad-attribute naming ${attribute}, and nothing is sent`, async () => {
      const errors = collectErrors();
      const fetches = spyFetch();
      const warn = console.warn;
      const warnings: string[] = [];
      console.warn = (message: string) => warnings.push(message);
      try {
        const show = document.createElement('kol-show') as KolShow;
        for (const [name, value] of Object.entries(attrs)) show.setAttribute(name, value);
        await fixture(html`<div>${show}</div>`);
        await waitUntil(() => errors.length, 'no kol-error');
        expect(errors.map((e) => e.code)).to.deep.equal(['bad-attribute']);
        expect(errors[0].message).to.match(new RegExp(`^${attribute}`));
        expect(warnings.join()).to.contain(`<kol-show> ${attribute}:`);
        const outcome = await show.sendChat('hello');
        expect(outcome).to.deep.include({status: 'failed', code: 'no-server'});
        expect(errors.map((e) => e.code)).to.deep.equal(['bad-attribute', 'no-server']);
        expect(fetches.urls, 'nothing is sent without a valid server').to.deep.equal([]);
      } finally {
        console.warn = warn;
        fetches.stop();
        errors.stop();
      }
    });
  }
});

describe('<kol-show server show-id>: viewer actions', () => {
  it('sendChat as a customer (viewer-token): accepted, and the chat.message arrives with the customer role and name', async () => {
    const id = newShow('chat');
    const token = await serverViewerToken('cust-42', 'Ada');
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${id} .viewerToken=${token}></kol-show>`);
    const events = released(show);
    await waitUntil(() => events.some((e) => e.type === 'show.snapshot'), 'never joined', {timeout: 10000});
    const fetches = spyFetch();
    try {
      const outcome = await show.sendChat('  try number seven  ');
      expect(outcome.status, JSON.stringify(outcome)).to.equal('accepted');
      const messageId = outcome.status === 'accepted' ? outcome.data.id : undefined;
      expect(messageId).to.be.a('string');
      await waitUntil(() => show.state.chat.some((m) => m.id === messageId), 'the chat message never arrived', {timeout: 10000});
      const event = events.find((e) => e.id === messageId) as Extract<ShowEvent, {type: 'chat.message'}>;
      expect(event).to.deep.include({type: 'chat.message', role: 'customer', author: 'Ada', text: 'try number seven'});
      expect(sessionStorage.getItem(VIEWER_ID_KEY), 'a customer needs no anonymous id').to.equal(null);
    } finally {
      fetches.stop();
    }
  });

  it('an anonymous viewer over the rate limit is refused with retryAfterMs (429 + Retry-After) and an action-refused kol-error', async () => {
    const id = newShow('limit');
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${id}></kol-show>`);
    const errors = collectErrors();
    try {
      const outcomes = [];
      // The server allows 5 chats per 10 s per viewer (docs/server.md): the sixth is refused.
      for (let i = 0; i < 6; i++) outcomes.push(await show.sendChat(`message ${i}`));
      expect(outcomes.slice(0, 5).map((o) => o.status)).to.deep.equal(Array(5).fill('accepted'));
      const refused = outcomes[5];
      expect(refused.status).to.equal('refused');
      if (refused.status !== 'refused') return;
      expect(refused.code).to.equal('rate-limited');
      expect(refused.message).to.be.a('string').and.not.equal('');
      expect(refused.retryAfterMs).to.be.within(1000, 10_000);
      expect(errors.map((e) => e.code)).to.deep.equal(['action-refused']);
      expect(show.error, 'a refusal does not put the show in an error state').to.equal(null);
    } finally {
      errors.stop();
    }
  });

  it('a refusal carries the server\'s reason (400 bad-field: empty chat); an unknown reaction too', async () => {
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${newShow('refuse')}></kol-show>`);
    const errors = collectErrors();
    try {
      const empty = await show.sendChat('   ');
      expect(empty).to.deep.include({status: 'refused', code: 'bad-field'});
      if (empty.status === 'refused') expect(empty.details.field).to.equal('text');
      const reaction = await show.react('tomato');
      expect(reaction).to.deep.include({status: 'refused', code: 'bad-field'});
      expect(errors.map((e) => e.code)).to.deep.equal(['action-refused', 'action-refused']);
    } finally {
      errors.stop();
    }
  });

  it('a bad viewer token is refused (401), never sent as anonymous', async () => {
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${newShow('token')} viewer-token="not.a.token"></kol-show>`);
    const outcome = await show.sendChat('hi');
    expect(outcome).to.deep.include({status: 'refused', code: 'unauthorized'});
  });

  it('a server that cannot be reached fails with action-failed', async () => {
    // A loopback port nothing listens on (the discard port): the connection is refused at once.
    const show = await fixture<KolShow>(html`<kol-show server="http://127.0.0.1:9" show-id=${newShow('down')}></kol-show>`);
    const errors = collectErrors();
    try {
      const outcome = await show.sendChat('hi');
      expect(outcome).to.deep.include({status: 'failed', code: 'action-failed'});
      expect(errors.map((e) => e.code)).to.include('action-failed');
    } finally {
      errors.stop();
    }
  });
});

describe('<kol-show server show-id>: the anonymous viewer id and consent', () => {
  it('stores nothing before consent, stores the page\'s id once granted, removes it when withdrawn', async () => {
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${newShow('consent')}></kol-show>`);
    const stored = () => sessionStorage.getItem(VIEWER_ID_KEY);
    expect((await show.react('heart')).status).to.equal('accepted');
    expect(stored(), 'nothing stored before consent').to.equal(null);
    const id = viewerId(false);
    expect(id).to.match(/^[A-Za-z0-9_-]{8,64}$/);

    show.consent = 'granted';
    await waitUntil(() => stored() === id, `the page's id was not stored once consent was given (stored: ${stored()})`, {timeout: 5000});

    // The next page of the tab takes the stored id up (with consent).
    forgetPageViewerId();
    expect(viewerId(true)).to.equal(id);

    show.consent = 'denied';
    await waitUntil(() => stored() === null, 'the stored id stayed after consent was withdrawn', {timeout: 5000});
    expect((await show.react('heart')).status, 'the page keeps its id').to.equal('accepted');
    expect(stored()).to.equal(null);
  });

  it('without consent, a new page neither reads nor reuses a stored id', async () => {
    sessionStorage.setItem(VIEWER_ID_KEY, 'stored-by-an-earlier-page');
    const id = viewerId(false);
    expect(id).to.not.equal('stored-by-an-earlier-page');
    expect(sessionStorage.getItem(VIEWER_ID_KEY), 'left as it was: no consent to touch it').to.equal('stored-by-an-earlier-page');
  });
});

describe('<kol-live-player> viewer count', function () {
  this.timeout(60000);

  it('shows the real viewer count beside LIVE as viewers connect (compact, in the page\'s locale, not a live region)', async () => {
    const id = newShow('viewers');
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${id}>
      <kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player>
    </kol-show>`);
    const player = show.querySelector<KolLivePlayer>('kol-live-player')!;
    const part = (name: string) => player.shadowRoot!.querySelector(`[part~=${name}]`);
    await waitUntil(() => player.status === 'live', `status stayed ${player.status}`, {timeout: 20000});
    expect(part('badge')!.textContent).to.equal('LIVE');
    expect(!!part('viewers'), 'hidden while the count is unknown').to.equal(show.state.viewers !== null);

    const close = await openViewers(id, 3);
    const lang = document.documentElement.lang;
    try {
      // This page's own stream and the three from Node.
      await waitUntil(() => part('viewers')?.textContent === '4 watching', `the badge said ${part('viewers')?.textContent ?? 'nothing'} (state: ${show.state.viewers})`, {timeout: 30000});
      const viewers = part('viewers')!;
      expect(viewers.closest('[aria-live]'), 'not announced on every change').to.equal(null);
      expect(viewers.getAttribute('role')).to.equal(null);

      // A count at the viewer's program time: released at once, and the newest (the server sends none while
      // its count stays 4).
      document.documentElement.lang = 'en';
      show.push({v: 1, id: newShow('count'), type: 'viewers.update', count: 1234, at: show.programTime!.toISOString()});
      await waitUntil(() => part('viewers')?.textContent === '1.2K watching', `the badge said ${part('viewers')?.textContent}`, {timeout: 5000});
    } finally {
      document.documentElement.lang = lang;
      await close();
    }
  });
});

describe('<kol-show server> with a player behind live: chat and counts on arrival (DESIGN.md §8.3)', function () {
  this.timeout(60000);

  it('a chat message and the viewer count over SSE are in show.state at once; a pin sent at the same moment waits for program time', async () => {
    const id = newShow('arrival');
    const token = await serverViewerToken(newShow('customer'), 'Ada');
    const show = await fixture<KolShow>(html`<kol-show server=${server} show-id=${id} viewer-token=${token}>
      <kol-live-player src="/live/index.m3u8" muted autoplay></kol-live-player>
    </kol-show>`);
    const player = show.querySelector<KolLivePlayer>('kol-live-player')!;
    await waitUntil(() => player.status === 'live' && show.programTime !== null, `status stayed ${player.status}`, {timeout: 20000});
    const behind = Date.now() - show.programTime!.getTime();
    expect(behind, 'the viewer watches well behind live (ms)').to.be.above(2000);
    // Each release with the viewer's program time at that moment.
    const releases: Array<{event: ShowEvent; programTime: number}> = [];
    show.addEventListener('kol-show-event', (e) => releases.push({event: e.detail.event, programTime: show.programTime?.getTime() ?? NaN}));
    const released = (id: string) => releases.find((r) => r.event.id === id);

    const productId = newShow('product');
    const [pinned, outcome] = await Promise.all([hostEvent(id, {type: 'product.pin', productId}), show.sendChat('on arrival')]);
    expect(outcome.status).to.equal('accepted');
    await waitUntil(() => show.state.chat.some((m) => m.text === 'on arrival'), 'the chat message was not released on arrival', {timeout: 5000});
    expect(show.programTime!.getTime(), 'the viewer has not reached the pin yet').to.be.below(Date.parse(pinned.at));
    expect(show.state.pinned.some((p) => p.productId === productId), 'the pin waits for program time').to.equal(false);
    const message = releases.find((r) => r.event.type === 'chat.message')!;
    expect(message.programTime, 'released before the viewer reached its `at`').to.be.below(Date.parse(message.event.at));

    const close = await openViewers(id, 2);
    try {
      // This page's own stream and the two from Node; the server counts every 5 s at most.
      await waitUntil(() => show.state.viewers === 3, `the count stayed ${show.state.viewers}`, {timeout: 15000});
      const count = releases.filter((r) => r.event.type === 'viewers.update').at(-1)!;
      expect(count.programTime, 'the count was released before the viewer reached its `at`').to.be.below(Date.parse(count.event.at));
    } finally {
      await close();
    }

    await waitUntil(() => released(pinned.id), 'the pin was never released', {timeout: 20000});
    expect(released(pinned.id)!.programTime, 'the pin showed when the viewer reached it').to.be.at.least(Date.parse(pinned.at));
  });
});
