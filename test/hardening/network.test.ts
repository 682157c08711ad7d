/**
 * Issue 10, findings 3–5: the event stream must not hammer its server, must not buffer without bound, and no
 * network request may hang for ever. Against test/servers/network.mjs, which records every request it gets.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolShow} from '../../src/index.js';
import type {CommerceAdapter} from '../../src/adapters/types.js';
import {SseSource} from '../../src/sources/sse.js';
import {recordKolErrors} from '../fixtures/errors.js';

interface ServerLog {
  requests: Array<{at: number; lastEventId: string | null}>;
  closes: Array<{at: number; written: number}>;
}

/** What test/servers/network.mjs saw for `key`. */
async function serverLog(key: string): Promise<ServerLog> {
  return (await fetch(`/kol-net/log?key=${key}`, {cache: 'no-store'})).json();
}

const newKey = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;
/** Gaps (ms) between the server's arrival times of consecutive requests. */
const gaps = (log: ServerLog) => log.requests.slice(1).map((r, i) => r.at - log.requests[i].at);
/** Timers and the two clocks (page, server) may differ by a few ms; the bounds below are whole seconds. */
const SLACK_MS = 50;

describe('hardening: network', () => {
  const errors = recordKolErrors();
  const errorsOf = (target: EventTarget, code: string) => errors.list.filter((e) => e.target === target && e.detail.code === code);

  describe('finding 3: the events stream backs off instead of hammering its server', () => {
    // The backoff after the n-th failure in a row is 2ⁿ⁻¹–2ⁿ s (and never under 1 s), so the 2nd request comes
    // ≥ 1 s after the 1st and the 3rd ≥ 2 s after the 2nd: at most 3 requests in the first 3 s, 5 in 15 s.
    for (const [name, route] of [['retry: 0 then a clean close', 'retry-zero'], ['a server that accepts and drops', 'drop']]) {
      it(`${name}: reconnects ≥ 1 s then ≥ 2 s apart, with one events-disconnected`, async function () {
        this.timeout(30_000);
        const key = newKey(route);
        const show = await fixture<KolShow>(html`<kol-show events=${`/kol-net/sse/${route}?key=${key}`}></kol-show>`);
        await waitUntil(async () => (await serverLog(key)).requests.length >= 3, 'fewer than 3 requests', {timeout: 20_000, interval: 100});
        const log = await serverLog(key);
        show.remove();
        const [first, second] = gaps(log);
        expect(first, `gaps ${gaps(log)}`).to.be.at.least(1000 - SLACK_MS);
        expect(second, `gaps ${gaps(log)}`).to.be.at.least(2000 - SLACK_MS);
        expect(errorsOf(show, 'events-disconnected'), 'one error for the whole outage').to.have.length(1);
      });
    }

    it('holds a retry: past 2³¹ ms to 30 s (setTimeout would fire at once)', async () => {
      const key = newKey('retry-huge');
      const delays: number[] = [];
      const source = new SseSource(`/kol-net/sse/retry-huge?key=${key}`, {
        onData: () => {},
        onDisconnect: (_message, retryInMs) => delays.push(retryInMs),
      });
      source.start();
      try {
        await waitUntil(() => delays.length, 'the short-lived stream was not reported as a failure', {timeout: 5000});
        expect(delays).to.deep.equal([30_000]);
        expect((await serverLog(key)).requests).to.have.length(1);
      } finally {
        source.stop();
      }
    });
  });

  describe('finding 4: an event too large to hold', () => {
    it('is dropped with bad-event, the connection dropped, and the stream resumes by Last-Event-ID', async function () {
      this.timeout(30_000);
      const key = newKey('huge');
      const show = await fixture<KolShow>(html`<kol-show events=${`/kol-net/sse/huge?key=${key}`}></kol-show>`);
      await waitUntil(() => errorsOf(show, 'bad-event').length, 'no bad-event for the endless line', {timeout: 20_000});
      expect(errorsOf(show, 'bad-event')[0].detail.message).to.match(/larger than \d+ characters/);
      // The event before it is kept (released when the show's server clock reaches its time).
      await waitUntil(() => show.state.lineup.some((l) => l.productId === `${key}-before`), 'the event before it was lost', {timeout: 5000});
      // The client let go of the stream (the server stops after a few MiB past the limit and would hold it open).
      await waitUntil(async () => (await serverLog(key)).closes.length, 'the client kept reading the endless line', {timeout: 5000});
      await waitUntil(() => show.state.lineup.some((l) => l.productId === key), 'no event after the reconnect', {timeout: 10_000});
      const log = await serverLog(key);
      expect(log.requests[1].lastEventId).to.equal('huge-1');
      expect(gaps(log)[0]).to.be.at.least(1000 - SLACK_MS);
      expect(errorsOf(show, 'bad-event')).to.have.length(1);
      expect(errorsOf(show, 'events-disconnected')).to.have.length(0);
    });
  });

  describe('finding 5: no request waits for ever', () => {
    it('an events stream that goes silent is dropped and reconnected', async () => {
      const key = newKey('silent');
      const failures: string[] = [];
      const source = new SseSource(`/kol-net/sse/silent?key=${key}`, {
        onData: () => {},
        onDisconnect: (message) => failures.push(message),
      }, {idleTimeoutMs: 1000});
      source.start();
      try {
        await waitUntil(() => failures.length, 'the silent stream was never given up', {timeout: 5000});
        expect(failures[0]).to.match(/sent nothing for 1 s/);
        await waitUntil(async () => (await serverLog(key)).closes.length, 'the silent stream was not closed', {timeout: 5000});
      } finally {
        source.stop();
      }
    });

    it('a hanging events URL, timeline, catalog and adapter each end in their kol-error; the pin shows its error', async function () {
      this.timeout(60_000);
      const keys = {events: newKey('events'), timeline: newKey('timeline'), catalog: newKey('catalog')};
      const events = await fixture<KolShow>(html`<kol-show events=${`/kol-net/sse/hang?key=${keys.events}`}></kol-show>`);
      const timeline = await fixture<KolShow>(html`<kol-show timeline=${`/kol-net/hang?key=${keys.timeline}`}></kol-show>`);
      const catalog = await fixture<KolShow>(html`<kol-show adapter="memory" products=${`/kol-net/hang?key=${keys.catalog}`}>
        <kol-product-pin product-id="p-cap"></kol-product-pin>
      </kol-show>`);
      // A merchant's adapter that never answers and ignores the signal.
      const never = {name: 'never', getProducts: () => new Promise(() => {}), getCart: async () => null} as unknown as CommerceAdapter;
      const custom = await fixture<KolShow>(html`<kol-show .adapter=${never}><kol-product-pin product-id="p-1"></kol-product-pin></kol-show>`);

      const pinText = (show: KolShow) => show.querySelector('kol-product-pin')!.shadowRoot!.textContent ?? '';
      const wait = {timeout: 30_000, interval: 100};
      await waitUntil(() => errorsOf(events, 'events-disconnected').length, 'no error for the events URL', wait);
      await waitUntil(() => errorsOf(timeline, 'timeline-load-failed').length, 'no error for the timeline', wait);
      await waitUntil(() => errorsOf(catalog, 'product-load-failed').length, 'no error for the catalog', wait);
      await waitUntil(() => /could not be loaded/.test(pinText(catalog)), 'the pin never left "Loading product"', wait);
      await waitUntil(() => errorsOf(custom, 'product-load-failed').length, 'no error for the adapter', wait);
      await waitUntil(() => /could not be loaded/.test(pinText(custom)), 'the pin never left "Loading product"', wait);

      expect(errorsOf(events, 'events-disconnected')[0].detail.message).to.match(/did not answer within 15 s/);
      expect(errorsOf(timeline, 'timeline-load-failed')[0].detail.message).to.match(/did not load within 15 s/);
      expect(errorsOf(custom, 'product-load-failed')[0].detail.message).to.match(/did not answer within 15 s/);
      // Each hanging request was aborted by the page, not left open.
      for (const key of Object.values(keys)) {
        await waitUntil(async () => (await serverLog(key)).closes.length, `the request of ${key} was left open`, {timeout: 5000});
      }
      // The show asks again for the product (after 2 s), so a catalog that comes back is used.
      await waitUntil(async () => (await serverLog(keys.catalog)).requests.length >= 2, 'the catalog was not asked again', wait);
    });
  });
});
