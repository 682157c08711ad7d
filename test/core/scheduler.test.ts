import {expect} from '@open-wc/testing';
import {ReleaseScheduler, type ProgramTimeSource, type Timers} from '../../src/core/scheduler.js';
import {ServerClock} from '../../src/core/clock.js';
import type {ReleaseResult} from '../../src/core/release-queue.js';
import {pin, unpin} from '../fixtures/events.js';
import type {ShowEvent} from '../../src/core/schema.js';

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

/** A `chat.message` and a `viewers.update` at `at`: the types a live source's events are released on arrival. */
const chat = (text: string, at: number) =>
  ({v: 1, id: `chat-${text}-${Math.random().toString(36).slice(2, 6)}`, type: 'chat.message', at: new Date(at).toISOString(), author: 'ada', text}) as ShowEvent;
const viewers = (count: number, at: number) =>
  ({v: 1, id: `viewers-${count}-${Math.random().toString(36).slice(2, 6)}`, type: 'viewers.update', at: new Date(at).toISOString(), count}) as ShowEvent;

describe('ReleaseScheduler: chat and counts on arrival (DESIGN.md §8.3)', () => {
  /** A scheduler whose player watches 6 s behind the host's `t0`. */
  function behindLive() {
    const parts = setup();
    const player = new FakePlayer();
    player.time = t0 - 6000;
    parts.scheduler.setSource(player);
    return {...parts, player};
  }

  it('releases a live source\'s chat and viewer count at once; a pin sent with them waits for program time', () => {
    const {scheduler, released, player} = behindLive();
    const [thePin, message, count] = [pin('a', t0), chat('hi', t0), viewers(7, t0)];
    scheduler.add([thePin, message, count], true);
    expect(released()).to.deep.equal([message.id, count.id]);
    expect(scheduler.queue.state.viewers).to.equal(7);
    expect(scheduler.queue.state.chat.map((m) => m.text)).to.deep.equal(['hi']);
    expect(scheduler.queue.state.pinned, 'the pin waits for the viewer').to.deep.equal([]);
    player.time = t0;
    scheduler.sync();
    expect(released()).to.deep.equal([message.id, count.id, thePin.id]);
  });

  it('places them where they arrived in the viewer\'s timeline: a seek back before that takes them out, forward brings them back', () => {
    const {scheduler, player} = behindLive();
    scheduler.add([viewers(7, t0 - 1000), chat('hi', t0)], true);
    expect(scheduler.queue.state.chat).to.have.length(1);
    player.time = t0 - 30_000; // back in the DVR window, before they arrived
    scheduler.sync();
    expect(scheduler.queue.state.chat).to.deep.equal([]);
    expect(scheduler.queue.state.viewers).to.equal(null);
    player.time = t0 - 5000; // forward past the moment they arrived (t0 - 6 s), not yet at their `at`
    scheduler.sync();
    expect(scheduler.queue.state.chat.map((m) => m.text)).to.deep.equal(['hi']);
    expect(scheduler.queue.state.viewers).to.equal(7);
  });

  it('keeps an older one at its own `at` (already behind the viewer), in order among the released events', () => {
    const {scheduler, player} = behindLive();
    scheduler.add([chat('first', t0 - 20_000), chat('third', t0 - 8000)], true);
    scheduler.add([chat('second', t0 - 10_000)], true);
    expect(scheduler.queue.state.chat.map((m) => m.text)).to.deep.equal(['first', 'second', 'third']);
    player.time = t0 - 15_000;
    scheduler.sync();
    expect(scheduler.queue.state.chat.map((m) => m.text)).to.deep.equal(['first']);
  });

  it('from a recording (not live) they wait for their program time like every event', () => {
    const {scheduler, released, player} = behindLive();
    const [message, count] = [chat('hi', t0), viewers(7, t0)];
    scheduler.add([message, count]);
    expect(released()).to.deep.equal([]);
    player.time = t0;
    scheduler.sync();
    expect(released()).to.deep.equal([message.id, count.id]);
  });

  it('waits like every event while the player does not know its program time (no position to place them at)', () => {
    const {scheduler, released, player} = behindLive();
    player.time = null;
    const message = chat('hi', t0 - 7000);
    scheduler.add([message], true);
    expect(released()).to.deep.equal([]);
    player.time = t0 - 6000;
    scheduler.sync();
    expect(released()).to.deep.equal([message.id]);
  });

  it('without a player: a live chat whose `at` is ahead of the server clock shows at once; a recorded one waits', () => {
    const {scheduler, released, time} = setup();
    const [live, recorded] = [chat('now', t0 + 5000), chat('later', t0 + 5000)];
    scheduler.add([live], true);
    scheduler.add([recorded]);
    expect(released()).to.deep.equal([live.id]);
    time.advance(5000);
    expect(released()).to.deep.equal([live.id, recorded.id]);
  });
});
