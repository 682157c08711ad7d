// The demo app (demo/server.mjs) as the browser sees it: it is mounted as middleware of the test server, so
// these requests hit the same live origin and embedded show server that `npm start` serves. Other test files
// post host events to the same process, so nothing here assumes an empty history. The show server's own
// answers and refusals are tested in Node (test/node/server-http.test.mjs); here, that the demo mounts it.
import {expect, waitUntil} from '@open-wc/testing';
import Hls from 'hls.js';

import {DEMO_EVENTS, hostToken, postHostEvent} from '../fixtures/host.js';
import {
  attributes, base64urlJson, hostEvent, mediaSequence, playlist, post, programDates, SEGMENT_MS, segmentUris, statusOf, unique,
  type Json, type ShowEvent,
} from './helpers.js';

interface SseMessage {
  sseId?: string;
  data: ShowEvent & {sentAt?: string};
}

/** An open viewer stream of the demo show, parsed as it arrives. `close()` aborts it (Chromium has 6 connections per host). */
function openEvents(options: {lastEventId?: string; query?: string} = {}) {
  const controller = new AbortController();
  const messages: SseMessage[] = [];
  let headers: Headers | undefined;
  const headerInit: Record<string, string> = options.lastEventId ? {'Last-Event-ID': options.lastEventId} : {};
  void (async () => {
    // cache: 'no-store', as src/sources/sse.ts does: Firefox otherwise holds a second GET of the same URL
    // until the first, an endless stream, ends (its HTTP cache entry stays locked while the first is open).
    const res = await fetch(`${DEMO_EVENTS}${options.query ?? ''}`, {headers: headerInit, signal: controller.signal, cache: 'no-store'});
    headers = res.headers;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => {
          const colon = l.indexOf(':');
          return [l.slice(0, colon), l.slice(colon + 1).replace(/^ /, '')] as const;
        }));
        if (fields.has('data')) messages.push({sseId: fields.get('id'), data: JSON.parse(fields.get('data')!)});
      }
    }
  })().catch(() => undefined); // aborted by close()
  return {
    messages,
    headers: () => headers,
    /** Waits for a message matching `match` and returns it. */
    async next(match: (m: SseMessage) => boolean, timeout = 5000) {
      await waitUntil(() => messages.some(match), 'no matching SSE message', {timeout, interval: 50});
      return messages.find(match)!;
    },
    close: () => controller.abort(),
  };
}

describe('demo: catalog', () => {
  it('is an array of valid products with images, variants, stock and compare-at prices', async () => {
    const res = await fetch('/demo/catalog.json');
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const products = (await res.json()) as Array<Json & {variants: Json[]; image: Json}>;
    expect(products).to.be.an('array');
    expect(products.length).to.be.within(5, 8);
    expect(products.map((p) => p.id)).to.include.members(['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks']);
    expect(new Set(products.map((p) => p.id)).size).to.equal(products.length);
    const isMoney = (m: unknown) => {
      const money = m as {amount?: unknown; currencyCode?: unknown};
      return typeof money?.amount === 'string' && /^\d+\.\d{2}$/.test(money.amount) && money.currencyCode === 'EUR';
    };
    for (const product of products) {
      expect(product.title, product.id as string).to.be.a('string').and.not.empty;
      expect(product.image.width).to.be.a('number');
      expect(product.image.height).to.be.a('number');
      expect(product.image.alt).to.be.a('string').and.not.empty;
      const image = await fetch(product.image.url as string);
      expect(image.status, product.image.url as string).to.equal(200);
      expect(image.headers.get('content-type')).to.equal('image/svg+xml');
      expect(product.variants.length).to.be.within(1, 3);
      for (const variant of product.variants) {
        expect(variant.id).to.be.a('string').and.not.empty;
        expect(variant.title).to.be.a('string').and.not.empty;
        expect(variant.available).to.be.a('boolean');
        expect(isMoney(variant.price), `${variant.id} price`).to.equal(true);
        if (variant.compareAtPrice) expect(isMoney(variant.compareAtPrice), `${variant.id} compareAtPrice`).to.equal(true);
      }
    }
    const variants = products.flatMap((p) => p.variants);
    expect(products.some((p) => p.variants.length >= 2)).to.equal(true);
    expect(variants.some((v) => v.quantityAvailable === 2 && v.available)).to.equal(true);
    const amount = (m: unknown) => Number((m as {amount: string}).amount);
    expect(variants.some((v) => v.compareAtPrice && amount(v.compareAtPrice) > amount(v.price))).to.equal(true);
  });

  it('serves the demo pages, and no file outside demo/ through them', async () => {
    for (const page of ['/demo/store.html', '/demo/store.js', '/demo/store.css']) {
      expect((await fetch(page)).status, page).to.equal(200);
    }
    expect((await fetch('/demo/store.html')).headers.get('content-security-policy')).to.contain("script-src 'self'");
    // An encoded "../" must not climb out of demo/ (under the test runner, /demo/server.mjs itself is the
    // runner's to serve, so only the traversal is checked here).
    expect(await statusOf('/demo/..%2fpackage.json')).to.equal(404);
    expect(await statusOf('/media/..%2f..%2fpackage.json')).to.equal(404);
  });
});

describe('demo: live playlist', () => {
  it('is a live sliding window with a PROGRAM-DATE-TIME on every segment', async () => {
    const {text, res} = await playlist();
    expect(res.headers.get('content-type')).to.equal('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(text.startsWith('#EXTM3U\n')).to.equal(true);
    expect(text).not.to.contain('#EXT-X-ENDLIST');
    expect(text).not.to.contain('#EXT-X-PLAYLIST-TYPE');

    const lines = text.trim().split('\n');
    const uris = lines.filter((l) => !l.startsWith('#'));
    const pdts = lines.filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:')).map((l) => Date.parse(l.slice(25)));
    expect(uris.length).to.equal(6);
    expect(pdts.length).to.equal(uris.length);
    pdts.slice(1).forEach((t, i) => expect(t - pdts[i]).to.equal(SEGMENT_MS));
    // The newest listed segment is the newest that has ended.
    const newestEnd = pdts.at(-1)! + SEGMENT_MS;
    expect(newestEnd).to.be.at.most(Date.now() + 100);
    expect(newestEnd).to.be.above(Date.now() - SEGMENT_MS - 500);

    const first = mediaSequence(text);
    expect(uris).to.deep.equal(uris.map((_, i) => `seg/${first + i}.ts`));
    const segment = await fetch(new URL(uris.at(-1)!, res.url));
    expect(new URL(segment.url).pathname).to.equal(`/live/seg/${first + 5}.ts`);
    expect(segment.headers.get('content-type')).to.equal('video/mp2t');
    expect(new Uint8Array(await segment.arrayBuffer())[0]).to.equal(0x47); // MPEG-TS sync byte
    expect(await statusOf(`/live/seg/${first + 50}.ts`), 'a future segment').to.equal(404);
  });

  it('serves the same show in fMP4 (EXT-X-MAP, init segment, CMAF segments) on the same program clock', async () => {
    const [{text: tsText}, {text, res}] = await Promise.all([playlist(), playlist('/live-fmp4/index.m3u8')]);
    expect(res.headers.get('content-type')).to.equal('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(text).to.contain('#EXT-X-MAP:URI="init.mp4"\n');
    expect(text).not.to.contain('#EXT-X-ENDLIST');
    const uris = segmentUris(text);
    const first = mediaSequence(text);
    expect(uris.length).to.equal(6);
    expect(uris).to.deep.equal(uris.map((_, i) => `seg/${first + i}.m4s`));
    expect(programDates(text).length).to.equal(uris.length);

    // One clock for both streams: a sequence number starts at the same program time in each.
    const startOf = (playlistText: string) => new Map(programDates(playlistText).map((pdt, i) => [mediaSequence(playlistText) + i, pdt]));
    const ts = startOf(tsText);
    const common = [...startOf(text)].filter(([seq]) => ts.has(seq));
    expect(common.length).to.be.at.least(4);
    for (const [seq, pdt] of common) expect(pdt, `segment ${seq}`).to.equal(ts.get(seq));

    const boxType = (bytes: Uint8Array) => String.fromCharCode(...bytes.subarray(4, 8));
    const init = await fetch('/live-fmp4/init.mp4');
    expect(init.headers.get('content-type')).to.equal('video/mp4');
    expect(boxType(new Uint8Array(await init.arrayBuffer()))).to.equal('ftyp');
    const segment = await fetch(new URL(uris.at(-1)!, res.url));
    expect(segment.headers.get('content-type')).to.equal('video/iso.segment');
    const bytes = new Uint8Array(await segment.arrayBuffer());
    expect(boxType(bytes)).to.equal('styp');
    expect(new TextDecoder('latin1').decode(bytes.subarray(0, 2000))).to.contain('moof');
    expect(await statusOf(`/live-fmp4/seg/${first + 50}.m4s`), 'a future segment').to.equal(404);
  });

  it('advances its media sequence with the clock', async () => {
    const before = mediaSequence((await playlist()).text);
    await waitUntil(async () => mediaSequence((await playlist()).text) > before, 'media sequence did not advance', {
      timeout: 3 * SEGMENT_MS,
      interval: 250,
    });
  });
});

describe('demo: the show server', () => {
  it('stamps, validates and stores a host event posted with the host token', async () => {
    const label = unique('#');
    const before = Date.now();
    const event = await hostEvent({type: 'product.pin', productId: 'p-cap', label, v: 7, id: 'mine', at: '2000-01-01T00:00:00Z'});
    expect(event).to.include({v: 1, type: 'product.pin', productId: 'p-cap', label});
    expect(event.id).to.be.a('string').and.not.equal('mine');
    expect(Date.parse(event.at)).to.be.within(before - 1000, Date.now() + 1000);

    const state = (await (await fetch('/v1/shows/demo/state')).json()) as {pinned: Json[]};
    expect(state.pinned[0]).to.include({productId: 'p-cap', label, at: event.at});
  });

  it('turns deal.start durationSeconds into startsAt/endsAt and accepts a plain price', async () => {
    const dealId = unique('deal');
    const deal = await hostEvent({type: 'deal.start', dealId, productId: 'p-tee', price: '19.00', durationSeconds: 90, stock: 5});
    expect(deal).to.deep.include({dealId, price: {amount: '19.00', currencyCode: 'EUR'}, stock: 5, startsAt: deal.at});
    expect(Date.parse(deal.endsAt as string) - Date.parse(deal.at)).to.equal(90_000);
    const end = await hostEvent({type: 'deal.end', dealId, reason: 'cancelled'});
    const state = (await (await fetch('/v1/shows/demo/state')).json()) as {deals: Record<string, Json>};
    expect(state.deals[dealId]).to.include({ended: 'cancelled'});
    expect(end.type).to.equal('deal.end');
  });

  it('answers 400 naming the field to a malformed event, 401 without a token', async () => {
    const bad: unknown[] = [
      '{not json',
      [],
      {productId: 'p-cap'},
      {type: 'product.dance', productId: 'p-cap'},
      {type: 'product.pin'},
      {type: 'deal.start', productId: 'p-tee', price: 'cheap'},
      {type: 'deal.start', productId: 'p-tee', price: '9.00', durationSeconds: -5},
      {type: 'viewers.update', count: -1},
      {type: 'show.snapshot', state: {}},
    ];
    for (const body of bad) {
      const {status, json} = await post(body);
      expect(status, JSON.stringify(body)).to.equal(400);
      expect(json.error, JSON.stringify(body)).to.be.a('string').and.not.empty;
      expect(json.message, JSON.stringify(body)).to.be.a('string').and.not.empty;
    }
    const {status, json} = await postHostEvent({type: 'product.pin', productId: 'p-cap'}, {token: Promise.resolve(null)});
    expect(status).to.equal(401);
    expect(json.error).to.equal('unauthorized');
    const wrong = await fetch('/v1/shows/another-show/events', {
      method: 'POST',
      headers: {'content-type': 'application/json', authorization: `Bearer ${await hostToken()}`},
      body: JSON.stringify({type: 'product.pin', productId: 'p-cap'}),
    });
    expect(wrong.status, 'a demo token for another show').to.equal(403);
  });

  it('has no host API of its own any more', async () => {
    for (const path of ['/events', '/api/host/event', '/api/host/state', '/api/clock']) expect(await statusOf(path), path).to.equal(404);
  });
});

describe('demo: viewers\' event stream', () => {
  const streams: Array<{close(): void}> = [];
  const track = <T extends {close(): void}>(stream: T) => (streams.push(stream), stream);
  afterEach(() => streams.splice(0).forEach((s) => s.close()));

  it('delivers a host event, with sentAt and its sequence as id, as soon as it is posted', async () => {
    const stream = track(openEvents());
    await stream.next((m) => m.data.type === 'show.snapshot'); // connected
    expect(stream.headers()!.get('content-type')).to.match(/^text\/event-stream/);

    const event = await hostEvent({type: 'product.pin', productId: 'p-socks', label: unique('#')});
    const message = await stream.next((m) => m.data.id === event.id);
    expect(message.sseId).to.match(/^\d+$/);
    const {sentAt, ...data} = message.data;
    expect(data).to.deep.equal(event);
    expect(Date.parse(sentAt!)).to.be.closeTo(Date.now(), 2000);
    expect(Date.parse(event.at)).to.be.closeTo(Date.now(), 2000);
  });

  it('resumes after Last-Event-ID (header or query) with only the later events', async () => {
    const productId = unique('p-resume');
    const first = track(openEvents());
    const [a, b, c] = [
      await hostEvent({type: 'product.pin', productId}),
      await hostEvent({type: 'stock.update', productId, available: 3}),
      await hostEvent({type: 'product.unpin', productId}),
    ];
    const seqOfA = (await first.next((m) => m.data.id === a.id)).sseId!;
    for (const options of [{lastEventId: seqOfA}, {query: `?lastEventId=${seqOfA}`}]) {
      const stream = track(openEvents(options));
      await stream.next((m) => m.data.id === c.id);
      const ids = stream.messages.map((m) => m.data.id).filter((id) => id === b.id || id === c.id || id === a.id);
      expect(ids, JSON.stringify(options)).to.deep.equal([b.id, c.id]);
      expect(stream.messages.some((m) => m.data.type === 'show.snapshot')).to.equal(false);
    }
  });

  it('sends a snapshot, then the raw events of the last 60 s, without a known Last-Event-ID', async () => {
    const event = await hostEvent({type: 'product.pin', productId: unique('p-snap')});
    for (const options of [{}, {lastEventId: 'no-such-event'}]) {
      const stream = track(openEvents(options));
      const recent = await stream.next((m) => m.data.id === event.id);
      const [snapshot] = stream.messages;
      expect(snapshot.data.type).to.equal('show.snapshot');
      expect(Date.parse(snapshot.data.at)).to.be.closeTo(Date.now() - 60_000, 2000);
      expect(snapshot.data.state).to.include.keys('status', 'pinned', 'deals', 'stock', 'viewers', 'lineup', 'chat');
      expect(recent.sseId).to.match(/^\d+$/);
      for (const m of stream.messages.slice(1)) expect(Date.parse(m.data.at)).to.be.at.least(Date.parse(snapshot.data.at));
    }
  });
});

describe('demo: host events in the stream', () => {
  it('writes each event as an EXT-X-DATERANGE on the segment that contains its time', async function () {
    this.timeout(20000);
    const event = await hostEvent({type: 'product.pin', productId: 'p-bag', label: unique('#'), note: 'crème brûlée ☾'});
    let line: string | undefined;
    let text = '';
    await waitUntil(async () => {
      text = (await playlist()).text;
      line = text.split('\n').find((l) => l.startsWith('#EXT-X-DATERANGE:') && attributes(l).ID === event.id);
      return line;
    }, 'the event never appeared in the playlist', {timeout: 3 * SEGMENT_MS + 2000, interval: 250});

    const attrs = attributes(line!);
    expect(attrs.CLASS).to.equal('com.kolkit.event');
    expect(attrs['START-DATE']).to.equal(event.at);
    expect(base64urlJson(attrs['X-KOL-EVENT'])).to.deep.equal(event);

    // It sits in the block of the segment whose [PDT, PDT + duration) holds `at`.
    const lines = text.split('\n');
    const pdtLine = lines.slice(0, lines.indexOf(line!)).reverse().find((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))!;
    const start = Date.parse(pdtLine.slice(25));
    expect(Date.parse(event.at)).to.be.within(start, start + SEGMENT_MS - 1);
  });

  it('leaves the conversation (a viewer\'s chat) to the event stream', async function () {
    this.timeout(20000);
    const chat = await fetch('/v1/shows/demo/chat', {method: 'POST', headers: {'content-type': 'application/json', 'x-kol-viewer': 'viewer-demo-test'}, body: JSON.stringify({text: unique('hello')})});
    expect(chat.status).to.equal(202);
    const {id} = (await chat.json()) as {id: string};
    // A host event posted after it reaches the playlist: by then the chat message would have too.
    const event = await hostEvent({type: 'product.pin', productId: 'p-cap', label: unique('#')});
    let text = '';
    await waitUntil(async () => (text = (await playlist()).text).includes(`ID="${event.id}"`), 'the host event never appeared', {timeout: 3 * SEGMENT_MS + 2000, interval: 250});
    expect(text).not.to.contain(`ID="${id}"`);
  });
});

describe('demo: live playback with hls.js', () => {
  let hls: Hls | undefined;
  let video: HTMLVideoElement | undefined;
  afterEach(() => {
    hls?.destroy();
    video?.remove();
  });

  it('plays the live stream near the live edge, on wall-clock program time, and reads event date ranges', async function () {
    this.timeout(40000);
    expect(Hls.isSupported()).to.equal(true);
    video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    hls = new Hls();
    const fatal: string[] = [];
    hls.on(Hls.Events.ERROR, (_e, data) => data.fatal && fatal.push(data.details));
    hls.loadSource('/live/index.m3u8');
    hls.attachMedia(video);
    await new Promise((resolve) => hls!.once(Hls.Events.MANIFEST_PARSED, resolve));
    await video.play();

    const start = video.currentTime;
    await waitUntil(() => video!.currentTime > start + 2, `currentTime stuck at ${video.currentTime}`, {timeout: 15000, interval: 100});
    expect(hls.levels[hls.currentLevel]?.details?.live).to.equal(true);
    expect(hls.playingDate, 'program time').to.be.an.instanceOf(Date);
    expect(Math.abs(hls.playingDate!.getTime() - Date.now())).to.be.below(15000);

    const event = await hostEvent({type: 'product.pin', productId: 'p-mug', label: unique('#')});
    await waitUntil(() => hls!.levels[hls!.currentLevel]?.details?.dateRanges[event.id], 'hls.js did not see the date range', {
      timeout: 4 * SEGMENT_MS + 2000,
      interval: 100,
    });
    const range = hls.levels[hls.currentLevel].details!.dateRanges[event.id]!;
    expect(range.class).to.equal('com.kolkit.event');
    expect(range.startDate.toISOString()).to.equal(event.at);
    expect(base64urlJson(range.attr['X-KOL-EVENT'])).to.deep.equal(event);
    expect(fatal).to.deep.equal([]);
  });
});
