import {expect} from '@open-wc/testing';
import {ShowTimeline, type TimelineLimit} from '../../src/core/timeline.js';
import {initialShowState, reduceShow, reduceShowEvents, MAX_DEALS} from '../../src/core/state.js';
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

describe('ShowTimeline', () => {
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
      const timeline = new ShowTimeline();
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

  it('drops duplicates by id and says so when the held-event cap is reached', () => {
    const limits: TimelineLimit[] = [];
    const timeline = new ShowTimeline((limit) => limits.push(limit));
    const event = pin('a', t0);
    expect(timeline.addAll([event, event])).to.equal(1);
    expect(timeline.addAll([event])).to.equal(0);
    expect(limits).to.deep.equal([]);
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
});
