import {expect} from '@open-wc/testing';
import {MAX_HELD_EVENTS, ReleaseQueue, type QueueLimit} from '../../src/core/release-queue.js';
import {initialShowState, reduceShow, reduceShowEvents, MAX_DEALS, MAX_LINEUP} from '../../src/core/state.js';
import type {ShowEvent} from '../../src/core/schema.js';
import {dealEnd, dealStart, pin, stock, unpin} from '../fixtures/events.js';
import {random} from '../fixtures/random.mjs';

const t0 = Date.parse('2026-12-06T10:00:00Z');

/** The state the events at or before `time` reduce to, one by one in (stable) time order: the reference. */
function expected(events: ShowEvent[], time: number): unknown {
  const due = events.map((event, order) => ({event, order, at: Date.parse(event.at)}))
    .filter((e) => e.at <= time)
    .sort((a, b) => a.at - b.at || a.order - b.order);
  return due.reduce((s, e) => reduceShow(s, e.event), initialShowState());
}

describe('ReleaseQueue', () => {
  it('reaches the same state as a plain reduce, whatever order events arrive and release in (checkpoints, late arrivals, rewinds)', () => {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const events: ShowEvent[] = [];
      for (let i = 0; i < 900; i++) {
        const at = t0 + Math.floor(next() * 600) * 1000;
        const product = `p${Math.floor(next() * 12)}`;
        const kind = Math.floor(next() * 5);
        events.push(
          kind === 0 ? pin(product, at) : kind === 1 ? unpin(product, at) : kind === 2 ? dealStart(`d${Math.floor(next() * 20)}`, product, at, 60)
            : kind === 3 ? stock({productId: product}, Math.floor(next() * 9), at) : dealEnd(`d${Math.floor(next() * 20)}`, at),
        );
      }
      const timeline = new ReleaseQueue();
      const arrived: ShowEvent[] = [];
      let time = t0;
      for (let i = 0; i < events.length;) {
        const batch = events.slice(i, (i += 1 + Math.floor(next() * (next() < 0.2 ? 60 : 3))));
        timeline.addAll(batch);
        arrived.push(...batch);
        time = next() < 0.1 ? time - Math.floor(next() * 300_000) : time + Math.floor(next() * 8000); // seeks back now and then
        timeline.releaseUntil(time);
        expect(timeline.state, `round ${round}, after ${arrived.length} events at +${(time - t0) / 1000} s`).to.deep.equal(expected(arrived, time));
      }
    }
  });

  it('drops duplicates by id', () => {
    const timeline = new ReleaseQueue();
    const event = pin('a', t0);
    expect(timeline.addAll([event, event])).to.equal(1);
    expect(timeline.addAll([event])).to.equal(0);
  });

  it(`past ${MAX_HELD_EVENTS} held events folds the oldest released ones away, so a long show without a DVR window keeps working`, () => {
    const limits: QueueLimit[] = [];
    const timeline = new ReleaseQueue((limit) => limits.push(limit));
    const chat = (i: number) => ({v: 1, id: `c${i}`, type: 'chat.message', at: new Date(t0 + i).toISOString(), author: 'a', text: `m${i}`}) as ShowEvent;
    timeline.addAll([pin('early', t0 - 1)]);
    timeline.releaseUntil(Infinity);
    for (let i = 0; i < MAX_HELD_EVENTS; i += 1000) {
      timeline.addAll(Array.from({length: 1000}, (_, k) => chat(i + k)));
      timeline.releaseUntil(Infinity);
    }
    expect(limits).to.deep.equal(['events']);
    timeline.addAll([pin('late', t0 + MAX_HELD_EVENTS)]);
    timeline.releaseUntil(Infinity);
    expect(timeline.state.pinned.map((p) => p.productId)).to.deep.equal(['late', 'early']);
    expect(timeline.state.chat.at(-1)?.text).to.equal(`m${MAX_HELD_EVENTS - 1}`);
    // Every held event still ahead of the viewer: then, and only then, a new one is dropped.
    const ahead = new ReleaseQueue((limit) => limits.push(limit));
    ahead.addAll(Array.from({length: MAX_HELD_EVENTS}, (_, i) => chat(i)));
    expect(ahead.addAll([pin('dropped', t0)])).to.equal(0);
  });
});

describe('show state caps and ids', () => {
  it('takes ids as ids: "toString", "constructor" and "__proto__" are neither deals nor prototypes', () => {
    let state = reduceShow(initialShowState(), stock({dealId: 'toString'}, 3, t0));
    expect(Object.keys(state.deals)).to.deep.equal([]);
    state = reduceShowEvents(state, [dealEnd('constructor', t0), stock({productId: '__proto__'}, 4, t0), dealStart('__proto__', 'a', t0, 60)]);
    expect(Object.getPrototypeOf(state.stock)).to.equal(Object.prototype);
    expect(Object.getPrototypeOf(state.deals)).to.equal(Object.prototype);
    expect(Object.keys(state.deals)).to.deep.equal(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(state.stock, '__proto__')?.value).to.equal(4);
  });

  it(`holds at most ${MAX_DEALS} deals: ended ones make room, else a new one is dropped and reported`, () => {
    const limits: string[] = [];
    const running = Array.from({length: MAX_DEALS}, (_, i) => dealStart(`live-${i}`, 'p', t0, 3600));
    let state = reduceShowEvents(initialShowState(), running, (l) => limits.push(l));
    expect(limits).to.deep.equal([]);
    state = reduceShowEvents(state, [dealStart('one-more', 'p', t0 + 1000, 60)], (l) => limits.push(l));
    expect(limits).to.deep.equal(['deals']);
    expect(Object.keys(state.deals)).to.have.length(MAX_DEALS).and.not.include('one-more');
    // Half of them end: a new deal now makes room by forgetting ended ones, oldest first.
    state = reduceShowEvents(state, running.slice(0, 100).map((d) => dealEnd((d as {dealId: string}).dealId, t0 + 2000)));
    state = reduceShowEvents(state, [dealStart('one-more', 'p', t0 + 3000, 60)], (l) => limits.push(l));
    expect(limits).to.deep.equal(['deals']);
    expect(state.deals['one-more']).to.exist;
    expect(state.deals['live-199'], 'a running deal is never forgotten').to.exist;
    expect(Object.keys(state.deals).length).to.be.at.most(MAX_DEALS);
  });

  it('trims a snapshot past the caps as its events would have been: ended deals first, and says so', () => {
    const limits: string[] = [];
    const at = new Date(t0).toISOString();
    const deals = Object.fromEntries(Array.from({length: MAX_DEALS + 50}, (_, i) => [`d${i}`, {
      dealId: `d${i}`, productId: 'p', price: {amount: '1.00', currencyCode: 'EUR'}, startsAt: at,
      endsAt: new Date(t0 + 3600_000).toISOString(), ...(i < 100 ? {ended: 'expired' as const} : {}),
    }]));
    const lineup = Array.from({length: MAX_LINEUP + 10}, (_, i) => ({productId: `l${i}`, at}));
    const snapshot = {v: 1, id: 'snap', type: 'show.snapshot', at, state: {...initialShowState(), deals, lineup}} as ShowEvent;
    const state = reduceShowEvents(initialShowState(), [snapshot], (l) => limits.push(l));
    expect(limits).to.deep.equal(['deals', 'lineup']);
    expect(Object.keys(state.deals)).to.have.length(MAX_DEALS);
    expect(Object.values(state.deals).filter((d) => !d.ended), 'every running deal kept').to.have.length(MAX_DEALS + 50 - 100);
    expect(state.lineup).to.have.length(MAX_LINEUP);
    expect(Object.keys(snapshot.type === 'show.snapshot' ? snapshot.state.deals : {}), 'the event itself is untouched').to.have.length(MAX_DEALS + 50);
  });
});
