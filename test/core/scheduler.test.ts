import {expect} from '@open-wc/testing';
import {ReleaseScheduler, type ProgramTimeSource, type Timers} from '../../src/core/scheduler.js';
import {ServerClock} from '../../src/core/clock.js';
import type {ReleaseResult} from '../../src/core/release-queue.js';
import {pin, unpin} from '../fixtures/events.js';

/** A manual clock and timer queue: time moves only when the test says so. */
function fakeTime(start: number) {
  let now = start;
  const timers: Array<{at: number; callback: () => void; id: number}> = [];
  let nextId = 1;
  const api: Timers = {
    set: (callback, ms) => {
      const id = nextId++;
      timers.push({at: now + ms, callback, id});
      return id;
    },
    clear: (handle) => {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  return {
    timers: api,
    now: () => now,
    pendingTimers: () => timers.length,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > until) break;
        timers.shift();
        now = next.at;
        next.callback();
      }
      now = until;
    },
  };
}

/** A player whose program time the test sets (null: not known yet). */
class FakePlayer implements ProgramTimeSource {
  time: number | null = null;
  lacksProgramTime = false;
  programTime() {
    return this.time;
  }
}

const t0 = Date.parse('2026-11-21T10:00:00Z');

function setup() {
  const time = fakeTime(t0);
  const clock = new ServerClock(time.now);
  const results: ReleaseResult[] = [];
  const scheduler = new ReleaseScheduler(clock, (r) => results.push(r), time.timers);
  const released = () => results.flatMap((r) => r.released.map((e) => e.id));
  return {time, clock, scheduler, results, released};
}

describe('ReleaseScheduler (DESIGN.md §4)', () => {
  it('without a player, releases each event when the server clock reaches its program time', () => {
    const {time, scheduler, released} = setup();
    const early = pin('a', t0 - 5000);
    const later = pin('b', t0 + 3000);
    scheduler.add([later, early]);
    expect(released()).to.deep.equal([early.id]); // older than now: at once
    time.advance(2999);
    expect(released()).to.deep.equal([early.id]);
    time.advance(1);
    expect(released()).to.deep.equal([early.id, later.id]);
    expect(scheduler.queue.state.pinned[0].productId).to.equal('b');
  });

  it('follows the server clock offset, not the device clock', () => {
    const {clock, scheduler, released} = setup();
    clock.offset = 10_000; // the server is 10 s ahead of this device
    const event = pin('a', t0 + 5000);
    scheduler.add([event]);
    expect(released()).to.deep.equal([event.id]);
  });

  it('with a player, waits for its program time, not for arrival: the pin shows when the viewer reaches it', () => {
    const {scheduler, released, time} = setup();
    const player = new FakePlayer();
    scheduler.setSource(player);
    const event = pin('a', t0); // arrives 20 s before this viewer (latency 20 s) sees that moment
    scheduler.add([event]);
    time.advance(60_000);
    expect(released(), 'program time unknown: wait').to.deep.equal([]);
    player.time = t0 - 20_000;
    scheduler.sync();
    expect(released()).to.deep.equal([]);
    player.time = t0 - 1;
    scheduler.sync();
    expect(released()).to.deep.equal([]);
    player.time = t0;
    scheduler.sync();
    expect(released()).to.deep.equal([event.id]);
    expect(time.pendingTimers(), 'the player drives sync, no timer').to.equal(0);
  });

  it('releases at once when the stream has no program time', () => {
    const {scheduler, released} = setup();
    const player = new FakePlayer();
    scheduler.setSource(player);
    const event = pin('a', t0 + 3_600_000);
    scheduler.add([event]);
    expect(released()).to.deep.equal([]);
    player.lacksProgramTime = true;
    scheduler.sync();
    expect(released()).to.deep.equal([event.id]);
  });

  it('drops a duplicate delivered by a second carrier (same id)', () => {
    const {scheduler, released} = setup();
    const event = pin('a', t0 - 1);
    scheduler.add([event]);
    scheduler.add([{...event}]);
    expect(released()).to.deep.equal([event.id]);
  });

  it('seeking back re-derives the state from the events up to the new position; forward re-releases', () => {
    const {scheduler, released, results} = setup();
    const player = new FakePlayer();
    scheduler.setSource(player);
    const events = [pin('a', t0), pin('b', t0 + 10_000), unpin('a', t0 + 20_000)];
    scheduler.add(events);
    player.time = t0 + 30_000;
    scheduler.sync();
    expect(scheduler.queue.state.pinned.map((p) => p.productId)).to.deep.equal(['b']);
    player.time = t0 + 5_000; // the viewer seeks back in the replay
    scheduler.sync();
    expect(scheduler.queue.state.pinned.map((p) => p.productId)).to.deep.equal(['a']);
    expect(results.at(-1)!.released).to.deep.equal([]);
    player.time = t0 + 15_000;
    scheduler.sync();
    expect(scheduler.queue.state.pinned.map((p) => p.productId)).to.deep.equal(['b', 'a']);
    expect(released().filter((id) => id === events[1].id)).to.have.length(2);
  });

  it('applies a late, older event in program-time order (a pin arriving after its unpin stays unpinned)', () => {
    const {scheduler} = setup();
    const thePin = pin('a', t0 - 3000);
    const theUnpin = unpin('a', t0 - 1000);
    scheduler.add([theUnpin]);
    scheduler.add([thePin]);
    expect(scheduler.queue.state.pinned).to.deep.equal([]);
    expect(scheduler.queue.state.lineup.map((l) => l.productId)).to.deep.equal(['a']);
  });

  it('ignores sub-second jitter backwards in the reported time', () => {
    const {scheduler, results} = setup();
    const player = new FakePlayer();
    scheduler.setSource(player);
    scheduler.add([pin('a', t0)]);
    player.time = t0 + 500;
    scheduler.sync();
    const count = results.length;
    player.time = t0 + 100;
    scheduler.sync();
    expect(results.length).to.equal(count);
    expect(scheduler.queue.state.pinned).to.have.length(1);
  });
});

describe('ReleaseQueue compaction (long live shows)', () => {
  it('folds events behind the live window into a base state, keeps the state, and still drops late duplicates', () => {
    const {scheduler} = setup();
    const player = new FakePlayer();
    (player as FakePlayer & {seekableSpan(): number}).seekableSpan = () => 60_000;
    scheduler.setSource(player);
    const events = Array.from({length: 200}, (_, i) => pin(`p${i % 7}`, t0 + i * 10_000));
    scheduler.add(events);
    for (let i = 0; i < 200; i++) {
      player.time = t0 + i * 10_000 + 5;
      scheduler.sync();
    }
    const timeline = scheduler.queue;
    const held = timeline.allEvents().length;
    expect(held, 'only the window and its margin are held').to.be.below(20);
    // The state is what reducing every event gives.
    expect(timeline.state.pinned.map((p) => p.productId)).to.deep.equal(['p3', 'p2', 'p1']);
    expect(timeline.state.lineup).to.have.length(7);
    // A copy of a recently folded event from a second carrier is not applied again.
    expect(timeline.add(events[150])).to.equal(false);
  });

  it('keeps every event of a replay (no seekable span)', () => {
    const {scheduler} = setup();
    const player = new FakePlayer();
    scheduler.setSource(player);
    scheduler.add(Array.from({length: 50}, (_, i) => pin(`p${i}`, t0 + i * 60_000)));
    player.time = t0 + 50 * 60_000;
    scheduler.sync();
    expect(scheduler.queue.allEvents()).to.have.length(50);
  });
});
