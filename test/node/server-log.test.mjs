// The show server's log (issue 12): the embedded bus (src/server/bus/embedded.ts) — durable appends,
// restore after a restart and after a real crash, dedupe by id, optimistic concurrency, follow, a full disk —
// and the show logs over it (src/server/show-log.ts) — stamping, join with snapshot and resume, live entries
// with no gap and nothing twice, state by the SDK's reducer.
// Needs the server build: `npx tsc -p tsconfig.server.json` (part of `npm run build`).
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {existsSync} from 'node:fs';
import {appendFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node');
assert.ok(existsSync(join(DIST, 'server/bus/embedded.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const distUrl = (path) => pathToFileURL(join(DIST, path)).href;
const {createEmbeddedBus} = await import(distUrl('server/bus/embedded.js'));
const {FileKv} = await import(distUrl('server/bus/file-kv.js'));
const {BusConflictError, BusUnavailableError} = await import(distUrl('server/bus/types.js'));
const {createShowLogs} = await import(distUrl('server/show-log.js'));
const {ShowView, MAX_HELD_ENTRIES, RAW_REPLAY_MS} = await import(distUrl('server/show-view.js'));
const {ShowInputError} = await import(distUrl('server/types.js'));
const {initialShowState, reduceShowEvents} = await import(distUrl('core/state.js'));
const {parseShowEvent} = await import(distUrl('core/schema.js'));

const run = promisify(execFile);
const SHOW = 'spring-sale';
const temps = [];
after(() => Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true}))));

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-log-'));
  temps.push(dir);
  return dir;
}

/** A stamped event as the bus stores it. */
function viewers(count, at = Date.now()) {
  return {v: 1, id: randomUUID(), type: 'viewers.update', at: new Date(at).toISOString(), count};
}

/** Waits for `check()` to be truthy, polling, up to `ms`. */
async function until(check, ms = 10_000, what = 'the condition') {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const seqsOf = (entries) => entries.map((e) => e.seq);
const reduceAll = (events) => reduceShowEvents(initialShowState(), events);

describe('embedded bus', () => {
  test('an append is on disk when it resolves; a restart restores events and sequences and continues after them', async () => {
    const dir = await tempDir();
    let bus = await createEmbeddedBus({dir});
    assert.equal(bus.mode, 'embedded');
    assert.equal(bus.healthy(), true);
    const sent = [];
    for (let i = 1; i <= 5; i++) {
      const event = viewers(i);
      const entry = await bus.append(SHOW, event);
      assert.deepEqual(entry, {seq: i, event});
      sent.push(entry);
      // Durable before the promise resolved: the line is in the file already.
      const lines = (await readFile(join(dir, 'shows', `${SHOW}.jsonl`), 'utf8')).trim().split('\n');
      assert.deepEqual(JSON.parse(lines.at(-1)), entry);
    }
    await bus.close();

    bus = await createEmbeddedBus({dir});
    assert.deepEqual(await bus.read(SHOW), sent);
    assert.deepEqual(await bus.read(SHOW, 3), sent.slice(3));
    assert.equal((await bus.append(SHOW, viewers(6))).seq, 6);
    assert.deepEqual(seqsOf(await bus.read('another-show')), []);
    await bus.close();
  });

  test('one process per data directory: a second bus on it is refused until the first closes', async () => {
    const dir = await tempDir();
    const bus = await createEmbeddedBus({dir});
    await assert.rejects(createEmbeddedBus({dir}), /in use by process/);
    await bus.close();
    await (await createEmbeddedBus({dir})).close();
  });

  test('a torn last line is ignored and cut off, so the next append starts on a fresh line', async () => {
    const dir = await tempDir();
    let bus = await createEmbeddedBus({dir});
    const first = await bus.append(SHOW, viewers(1));
    await bus.close();
    const file = join(dir, 'shows', `${SHOW}.jsonl`);
    await appendFile(file, '{"seq":2,"event":{"v":1,"id":"torn","ty');

    bus = await createEmbeddedBus({dir});
    assert.deepEqual(await bus.read(SHOW), [first]);
    const second = await bus.append(SHOW, viewers(2));
    assert.equal(second.seq, 2);
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.deepEqual(lines.slice(0, 2).map((l) => JSON.parse(l)), [first, second]);
    assert.equal(lines[2], '');
    await bus.close();
  });

  test('a crash (SIGKILL mid-append): a new bus restores every acknowledged entry with its sequence and continues', async () => {
    const dir = await tempDir();
    // The child appends with up to 4 appends in flight (so batches are written while others wait) and
    // prints each acknowledgement; it never stops by itself.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
        import {randomUUID} from 'node:crypto';
        const {createEmbeddedBus} = await import(${JSON.stringify(distUrl('server/bus/embedded.js'))});
        const bus = await createEmbeddedBus({dir: ${JSON.stringify(dir)}});
        let n = 0;
        const one = async () => {
          for (;;) {
            const event = {v: 1, id: randomUUID(), type: 'viewers.update', at: new Date().toISOString(), count: n++};
            const entry = await bus.append('${SHOW}', event);
            process.stdout.write('ack ' + entry.seq + ' ' + event.id + '\\n');
          }
        };
        for (let i = 0; i < 4; i++) one();
        `,
      ],
      {stdio: ['ignore', 'pipe', 'inherit']},
    );
    const acked = new Map();
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        const [, seq, id] = line.split(' ');
        acked.set(id, Number(seq));
      }
    });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal)));
    try {
      await until(() => acked.size >= 200, 30_000, '200 acknowledged appends');
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');

    const bus = await createEmbeddedBus({dir});
    const restored = await bus.read(SHOW);
    const seqs = seqsOf(restored);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'the sequences run 1..n with no gap');
    const seqById = new Map(restored.map((e) => [e.event.id, e.seq]));
    for (const [id, seq] of acked) assert.equal(seqById.get(id), seq, `acknowledged ${id} is restored as ${seq}`);
    assert.ok(restored.length >= acked.size);
    const next = await bus.append(SHOW, viewers(0));
    assert.equal(next.seq, restored.length + 1);
    await bus.close();
  });

  test('an id already in the log stores nothing and answers the first entry (one after another, at once, after a restart)', async () => {
    const dir = await tempDir();
    let bus = await createEmbeddedBus({dir});
    const event = viewers(1);
    const first = await bus.append(SHOW, event);
    assert.deepEqual(await bus.append(SHOW, {...event, count: 99}), first);
    const other = viewers(2);
    const together = await Promise.all([bus.append(SHOW, other), bus.append(SHOW, other), bus.append(SHOW, other)]);
    assert.deepEqual(seqsOf(together), [2, 2, 2]);
    await bus.close();
    bus = await createEmbeddedBus({dir});
    assert.deepEqual(await bus.append(SHOW, event), first);
    assert.deepEqual(seqsOf(await bus.read(SHOW)), [1, 2]);
    await bus.close();
  });

  test('expectedLastSeq: an append expecting another last sequence is refused with BusConflictError, and one of rivals wins', async () => {
    const bus = await createEmbeddedBus({dir: await tempDir()});
    assert.equal((await bus.append(SHOW, viewers(1), {expectedLastSeq: 0})).seq, 1);
    await assert.rejects(bus.append(SHOW, viewers(2), {expectedLastSeq: 0}), BusConflictError);
    const rivals = await Promise.allSettled([1, 2, 3, 4].map((n) => bus.append(SHOW, viewers(n), {expectedLastSeq: 1})));
    assert.equal(rivals.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of rivals.filter((r) => r.status === 'rejected')) assert.ok(r.reason instanceof BusConflictError);
    assert.deepEqual(seqsOf(await bus.read(SHOW)), [1, 2]);
    await bus.close();
  });

  test('follow: from now on, or after a sequence (what the log has first, then live), in order, nothing missed or twice', async () => {
    const bus = await createEmbeddedBus({dir: await tempDir()});
    for (let i = 1; i <= 10; i++) await bus.append(SHOW, viewers(i));
    const live = [];
    const stopLive = bus.follow(SHOW, (e) => live.push(e.seq));
    const fromFour = [];
    // Followers start while 40 appends run.
    const appends = Array.from({length: 40}, (_, i) => bus.append(SHOW, viewers(100 + i)));
    const stopFromFour = bus.follow(SHOW, (e) => fromFour.push(e.seq), 4);
    await Promise.all(appends);
    await until(() => fromFour.at(-1) === 50, 5000, 'the follower from 4 to reach 50');
    assert.deepEqual(fromFour, Array.from({length: 46}, (_, i) => i + 5));
    assert.deepEqual(live, Array.from({length: 40}, (_, i) => i + 11));
    stopLive();
    stopFromFour();
    await bus.append(SHOW, viewers(0));
    assert.equal(live.length, 40);
    await bus.close();
  });

  test('kv: create and update are compare-and-set, revisions grow, list by prefix', async () => {
    const bus = await createEmbeddedBus({dir: await tempDir()});
    const {kv} = bus;
    const r1 = await kv.create('viewers.show.a', '3');
    await assert.rejects(kv.create('viewers.show.a', '4'), BusConflictError);
    const r2 = await kv.update('viewers.show.a', '5', r1);
    assert.ok(r2 > r1);
    await assert.rejects(kv.update('viewers.show.a', '6', r1), BusConflictError);
    await assert.rejects(kv.update('absent', '1', 1), BusConflictError);
    assert.deepEqual(await kv.get('viewers.show.a'), {value: '5', revision: r2});
    const r3 = await kv.put('viewers.show.b', '7');
    assert.ok(r3 > r2);
    assert.deepEqual([...(await kv.list('viewers.show.')).keys()].sort(), ['viewers.show.a', 'viewers.show.b']);
    await kv.delete('viewers.show.a');
    await kv.delete('viewers.show.a');
    assert.equal(await kv.get('viewers.show.a'), null);
    await assert.rejects(kv.put('bad key', '1'), TypeError);
    await bus.close();
  });

  test('a full disk: writes are refused with BusUnavailableError and store nothing, reads go on, and writes resume once there is room', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a small tmpfs');
    const mountPoint = await tempDir();
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    } catch (error) {
      return t.skip(`cannot mount a tmpfs here: ${error.message}`);
    }
    const opened = [];
    try {
      const dir = join(mountPoint, 'data');
      const bus = await createEmbeddedBus({dir});
      opened.push(bus);
      const logs = createShowLogs({bus});
      const stored = [];
      for (let i = 0; i < 3; i++) stored.push(await bus.append(SHOW, viewers(i)));
      // Fill the file system to the last byte.
      const filler = join(mountPoint, 'filler');
      await writeFile(filler, '');
      await assert.rejects(
        (async () => {
          for (let i = 0; i < 1000; i++) await appendFile(filler, Buffer.alloc(16 * 1024));
        })(),
        {code: 'ENOSPC'},
      );
      // The log file's last page may still hold a few lines: append until the disk says no (then less room
      // is left than one such line, so the longer host event below cannot fit either).
      let refusal;
      for (let i = 0; i < 1000 && !refusal; i++) {
        await bus.append(SHOW, viewers(i)).then((e) => stored.push(e), (error) => (refusal = error));
      }
      assert.ok(refusal instanceof BusUnavailableError, `refused with ${refusal}`);
      assert.match(refusal.message, /ENOSPC/);
      assert.equal(bus.healthy(), false);

      // Reads go on, and the refused event is nowhere: not read, not in the file (no torn line either).
      assert.deepEqual(await bus.read(SHOW), stored);
      const lines = (await readFile(join(dir, 'shows', `${SHOW}.jsonl`), 'utf8')).split('\n');
      assert.equal(lines.pop(), '');
      assert.deepEqual(lines.map((l) => JSON.parse(l)), stored);
      assert.deepEqual(await logs.state(SHOW), reduceAll(stored.map((e) => e.event)));
      const joined = [];
      const leave = await logs.join(SHOW, null, (e) => joined.push(e));
      assert.equal(joined[0].event.type, 'show.snapshot');
      const pin = {type: 'product.pin', productId: 'p1', note: 'n'.repeat(280)};
      await assert.rejects(logs.hostEvent(SHOW, pin), BusUnavailableError);
      assert.deepEqual(await bus.read(SHOW), stored);

      // Room again: the next write is stored right after the last acknowledged one.
      await rm(filler);
      const next = await logs.hostEvent(SHOW, pin);
      assert.equal(next.seq, stored.at(-1).seq + 1);
      assert.equal(bus.healthy(), true);
      assert.deepEqual(joined.at(-1), next);
      leave();
      await bus.close();
      const reopened = await createEmbeddedBus({dir});
      opened.push(reopened);
      assert.deepEqual(await reopened.read(SHOW), [...stored, next]);
    } finally {
      await Promise.all(opened.map((bus) => bus.close()));
      await run('umount', [mountPoint]);
    }
  });
});

describe('show logs', () => {
  /** A clock the test moves. */
  function clock(start = Date.parse('2025-05-01T18:00:00Z')) {
    let now = start;
    return {now: () => now, advance: (ms) => (now += ms)};
  }

  async function setUp(now) {
    const bus = await createEmbeddedBus({dir: await tempDir()});
    return {bus, logs: createShowLogs({bus, now})};
  }

  test('host events are stamped (v, a fresh id, at = the server clock) and checked with the SDK schema', async () => {
    const time = clock();
    const {bus, logs} = await setUp(time.now);
    const pin = await logs.hostEvent(SHOW, {type: 'product.pin', productId: 'p1', label: '#1', v: 7, id: 'mine', at: '2000-01-01T00:00:00Z', sentAt: '2000-01-01T00:00:00Z'});
    assert.equal(pin.seq, 1);
    assert.equal(pin.event.v, 1);
    assert.notEqual(pin.event.id, 'mine');
    assert.equal(pin.event.at, new Date(time.now()).toISOString());
    assert.equal(pin.event.sentAt, undefined);
    assert.equal(parseShowEvent(pin.event).kind, 'event');

    const deal = await logs.hostEvent(SHOW, {type: 'deal.start', productId: 'p1', price: '19.90', compareAtPrice: '29.90', durationSeconds: 90});
    assert.deepEqual(deal.event.price, {amount: '19.90', currencyCode: 'EUR'});
    assert.deepEqual(deal.event.compareAtPrice, {amount: '29.90', currencyCode: 'EUR'});
    assert.equal(deal.event.startsAt, deal.event.at);
    assert.equal(Date.parse(deal.event.endsAt) - Date.parse(deal.event.at), 90_000);
    assert.match(deal.event.dealId, /^deal-/);
    const fallback = await logs.hostEvent(SHOW, {type: 'deal.start', dealId: 'd2', productId: 'p1', price: {amount: '5', currencyCode: 'USD'}});
    assert.equal(Date.parse(fallback.event.endsAt) - Date.parse(fallback.event.at), 60_000);
    const usd = createShowLogs({bus, now: time.now, currency: 'USD'});
    assert.equal((await usd.hostEvent(SHOW, {type: 'deal.start', productId: 'p2', price: '3.50'})).event.price.currencyCode, 'USD');
    assert.throws(() => createShowLogs({bus, currency: 'euro'}), /currency/);
    await bus.close();
  });

  test('a bad host event is refused with 400 naming the field, and nothing is stored', async () => {
    const {bus, logs} = await setUp();
    const refusal = async (body, field) => {
      const error = await logs.hostEvent(SHOW, body).then(() => null, (e) => e);
      assert.ok(error instanceof ShowInputError, `${JSON.stringify(body)} refused`);
      assert.equal(error.status, 400);
      if (field === undefined) {
        assert.equal(error.code, 'bad-body');
      } else {
        assert.equal(error.code, 'bad-field');
        assert.equal(error.details.field, field, error.message);
        assert.ok(error.message.startsWith(`${field}: `), error.message);
      }
    };
    await refusal(null, undefined);
    await refusal([{type: 'show.status'}], undefined);
    await refusal('show.status', undefined);
    await refusal({}, 'type');
    await refusal({type: 'show.snapshot', state: initialShowState()}, 'type');
    await refusal({type: 'confetti'}, 'type');
    await refusal({type: 'product.pin'}, 'productId');
    await refusal({type: 'show.status', status: 'dancing'}, 'status');
    await refusal({type: 'deal.start', productId: 'p', price: 'free'}, 'price.amount');
    await refusal({type: 'deal.start', productId: 'p', price: '1.00', compareAtPrice: 'x'}, 'compareAtPrice.amount');
    await refusal({type: 'deal.start', productId: 'p', price: '1.00', durationSeconds: -5}, 'durationSeconds');
    await refusal({type: 'deal.start', productId: 'p', price: '1.00', durationSeconds: '60'}, 'durationSeconds');
    await refusal({type: 'stock.update', productId: 'p', available: -1}, 'available');
    const badShow = await logs.hostEvent('no/such show', {type: 'show.status', status: 'live'}).catch((e) => e);
    assert.equal(badShow.code, 'bad-show');
    assert.deepEqual(await bus.read(SHOW), []);
    await bus.close();
  });

  test('server events: known types are checked (naming the field), new ones kept as given, a given id deduplicates', async () => {
    const {bus, logs} = await setUp();
    const reactions = await logs.serverEvent(SHOW, {type: 'reactions.update', counts: {heart: 3}, total: 3});
    assert.deepEqual(reactions.event.counts, {heart: 3});
    const long = await logs.serverEvent(SHOW, {type: 'chat.message', author: 'Ana', text: 'x'.repeat(501)}).catch((e) => e);
    assert.equal(long.details.field, 'text');
    const once = await logs.serverEvent(SHOW, {type: 'viewers.update', id: `viewers:${SHOW}:1`, count: 4});
    assert.deepEqual(await logs.serverEvent(SHOW, {type: 'viewers.update', id: `viewers:${SHOW}:1`, count: 5}), once);
    await assert.rejects(logs.serverEvent(SHOW, {type: 'show.snapshot'}), TypeError);
    assert.deepEqual(seqsOf(await bus.read(SHOW)), [1, 2]);
    await bus.close();
  });

  test('state and timeline: the SDK reducer over every event, the same after a restart', async () => {
    const dir = await tempDir();
    let bus = await createEmbeddedBus({dir});
    let logs = createShowLogs({bus});
    const bodies = [
      {type: 'show.status', status: 'live'},
      {type: 'product.pin', productId: 'p1', label: '#1'},
      {type: 'deal.start', dealId: 'd1', productId: 'p1', price: '9.90', durationSeconds: 600},
      {type: 'stock.update', dealId: 'd1', available: 7},
      {type: 'stock.update', productId: 'p2', available: 12},
      {type: 'product.pin', productId: 'p2'},
      {type: 'product.unpin', productId: 'p1'},
      {type: 'deal.end', dealId: 'd1', reason: 'sold-out'},
    ];
    for (const body of bodies) {
      const entry = await logs.hostEvent(SHOW, body);
      // Each answer is already in this node's state.
      assert.deepEqual(await logs.state(SHOW), reduceAll((await logs.timeline(SHOW))));
      assert.equal((await logs.timeline(SHOW)).at(-1).id, entry.event.id);
    }
    await logs.serverEvent(SHOW, {type: 'chat.message', author: 'Host', text: 'hello'});
    await logs.serverEvent(SHOW, {type: 'viewers.update', count: 12});
    const timeline = await logs.timeline(SHOW);
    assert.deepEqual(timeline, (await bus.read(SHOW)).map((e) => e.event));
    const state = await logs.state(SHOW);
    assert.deepEqual(state, reduceAll(timeline));
    assert.equal(state.status, 'live');
    assert.equal(state.deals.d1.ended, 'sold-out');
    assert.equal(state.viewers, 12);
    await bus.close();

    bus = await createEmbeddedBus({dir});
    logs = createShowLogs({bus});
    assert.deepEqual(await logs.state(SHOW), state);
    assert.deepEqual(await logs.timeline(SHOW), timeline);
    await bus.close();
  });

  test('join: a snapshot of what is older than 60 s, then the recent events raw, then live; a resume gets only what came after', async () => {
    const time = clock();
    const {bus, logs} = await setUp(time.now);
    const old = [];
    old.push(await logs.hostEvent(SHOW, {type: 'show.status', status: 'live'}));
    old.push(await logs.hostEvent(SHOW, {type: 'product.pin', productId: 'p1'}));
    time.advance(30_000);
    old.push(await logs.hostEvent(SHOW, {type: 'deal.start', dealId: 'd1', productId: 'p1', price: '9.90', durationSeconds: 3600}));
    time.advance(RAW_REPLAY_MS + 5_000);
    const recent = [];
    recent.push(await logs.hostEvent(SHOW, {type: 'stock.update', dealId: 'd1', available: 3}));
    time.advance(10_000);
    recent.push(await logs.hostEvent(SHOW, {type: 'product.pin', productId: 'p2'}));

    const got = [];
    const leave = await logs.join(SHOW, null, (e) => got.push(e));
    const [snapshot, ...rest] = got;
    assert.equal(snapshot.event.type, 'show.snapshot');
    assert.equal(parseShowEvent(snapshot.event).kind, 'event', 'the snapshot is an event the SDK accepts');
    assert.equal(snapshot.seq, old.at(-1).seq, 'its sequence is the last entry it folds');
    assert.deepEqual(snapshot.event.state, reduceAll(old.map((e) => e.event)));
    assert.ok(Date.parse(snapshot.event.at) <= time.now() - RAW_REPLAY_MS);
    assert.ok(Date.parse(snapshot.event.at) > Date.parse(old.at(-1).event.at));
    assert.deepEqual(rest, recent);

    const live = await logs.hostEvent(SHOW, {type: 'product.unpin', productId: 'p2'});
    assert.deepEqual(got.at(-1), live);
    leave();
    await logs.hostEvent(SHOW, {type: 'product.unpin', productId: 'p1'});
    assert.deepEqual(got.at(-1), live, 'nothing after leaving');

    // Resume: after an id still in the log, only what came after (the snapshot's own sequence included).
    const resumed = [];
    (await logs.join(SHOW, recent[0].seq, (e) => resumed.push(e)))();
    assert.deepEqual(seqsOf(resumed), [recent[1].seq, live.seq, live.seq + 1]);
    const fromSnapshot = [];
    (await logs.join(SHOW, snapshot.seq, (e) => fromSnapshot.push(e)))();
    assert.deepEqual(seqsOf(fromSnapshot), [recent[0].seq, recent[1].seq, live.seq, live.seq + 1]);
    const upToDate = [];
    (await logs.join(SHOW, live.seq + 1, (e) => upToDate.push(e)))();
    assert.deepEqual(upToDate, []);
    // An id this log never had (another server's, a wiped data directory): a snapshot again.
    const unknown = [];
    (await logs.join(SHOW, 10_000, (e) => unknown.push(e)))();
    assert.equal(unknown[0].event.type, 'show.snapshot');
    assert.deepEqual(seqsOf(unknown.slice(1)), [recent[0].seq, recent[1].seq, live.seq, live.seq + 1]);

    // With nothing old yet, the snapshot folds nothing (sequence 0) and every event follows raw.
    const fresh = await setUp(time.now);
    const first = await fresh.logs.hostEvent(SHOW, {type: 'show.status', status: 'live'});
    const all = [];
    (await fresh.logs.join(SHOW, null, (e) => all.push(e)))();
    assert.deepEqual(all[0].seq, 0);
    assert.deepEqual(all[0].event.state, initialShowState());
    assert.deepEqual(all.slice(1), [first]);
    await fresh.bus.close();
    await bus.close();
  });

  test('joins while appends run: each listener gets every entry after its snapshot once, in order, with no gap', async () => {
    const time = clock();
    const {bus, logs} = await setUp(time.now);
    for (let i = 0; i < 20; i++) {
      await logs.serverEvent(SHOW, {type: 'viewers.update', count: i});
      time.advance(5_000);
    }
    const listeners = [];
    const appends = [];
    for (let i = 0; i < 60; i++) {
      // Appends in flight (not awaited one by one) while joins start between them.
      appends.push(logs.serverEvent(SHOW, {type: 'viewers.update', count: 100 + i}));
      if (i % 6 === 0) {
        const got = [];
        listeners.push({got, leave: logs.join(SHOW, i % 12 === 0 ? null : 10 + i / 6, (e) => got.push(e))});
      }
      time.advance(1_000);
      if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appends);
    const log = await bus.read(SHOW);
    const lastSeq = log.at(-1).seq;
    for (const {got} of listeners) await until(() => got.at(-1)?.seq === lastSeq, 5000, 'every listener to reach the end');
    for (const [n, {got, leave}] of listeners.entries()) {
      (await leave)();
      let after;
      if (got[0].event.type === 'show.snapshot') {
        const snapshot = got.shift();
        after = snapshot.seq;
        assert.deepEqual(snapshot.event.state, reduceAll(log.filter((e) => e.seq <= after).map((e) => e.event)), `listener ${n}'s snapshot`);
      } else {
        after = got[0].seq - 1;
      }
      assert.deepEqual(seqsOf(got), seqsOf(log.filter((e) => e.seq > after)), `listener ${n}: no gap, nothing twice`);
      assert.deepEqual(got, log.filter((e) => e.seq > after));
    }
    await bus.close();
  });

  test('a show view holds at most MAX_HELD_ENTRIES raw: an older resume gets a snapshot, and state and snapshot stay exact', () => {
    const view = new ShowView(SHOW);
    const start = Date.parse('2025-05-01T18:00:00Z');
    const total = MAX_HELD_ENTRIES + 4_000;
    const events = [];
    view.load([]);
    for (let seq = 1; seq <= total; seq++) {
      const event = {v: 1, id: `e${seq}`, type: seq % 2 ? 'viewers.update' : 'stock.update', at: new Date(start + seq * 10).toISOString(), count: seq, productId: `p${seq % 50}`, available: seq};
      if (event.type === 'viewers.update') delete event.productId, delete event.available;
      else delete event.count;
      events.push(event);
      view.apply({seq, event});
    }
    assert.deepEqual(view.state, reduceAll(events));
    assert.equal(view.heldTimeline(), null, 'past the cap the timeline is read from the log');
    // A resume from far back (dropped) gets a snapshot; from within the held window, the rest raw.
    const far = [];
    view.join(10, start + total * 10, (e) => far.push(e))();
    assert.equal(far[0].event.type, 'show.snapshot');
    assert.deepEqual(far[0].event.state, reduceAll(events.slice(0, far[0].seq)));
    assert.ok(far.length - 1 <= 3_000, 'a join gets a bounded raw catch-up');
    assert.deepEqual(seqsOf(far.slice(1)), Array.from({length: total - far[0].seq}, (_, i) => far[0].seq + 1 + i));
    const near = [];
    view.join(total - 5, start, (e) => near.push(e))();
    assert.deepEqual(seqsOf(near), [total - 4, total - 3, total - 2, total - 1, total]);
  });
});

describe('the embedded bus\'s shared records (kv.jsonl)', () => {

  test('survive a restart: records, deletes and revisions; a second create still conflicts; a torn last line is skipped', async () => {
    const dir = await tempDir();
    let bus = await createEmbeddedBus({dir});
    await bus.kv.create('poll.s.p1.vote.viewer-a', '0');
    await bus.kv.put('poll.s.p1.n.node', '[1,0]');
    const replaced = await bus.kv.put('poll.s.p1.n.node', '[2,0]');
    await bus.kv.create('gone', 'x');
    await bus.kv.delete('gone');
    await bus.close();
    // A crash mid-write leaves half a line at the end.
    await appendFile(join(dir, 'kv.jsonl'), '{"k":"half","v":"x","r":99');

    bus = await createEmbeddedBus({dir});
    try {
      assert.equal((await bus.kv.get('poll.s.p1.vote.viewer-a'))?.value, '0');
      assert.deepEqual(await bus.kv.get('poll.s.p1.n.node'), {value: '[2,0]', revision: replaced});
      assert.equal(await bus.kv.get('gone'), null);
      assert.equal(await bus.kv.get('half'), null);
      await assert.rejects(bus.kv.create('poll.s.p1.vote.viewer-a', '1'), BusConflictError, 'one vote per viewer across a restart');
      assert.ok((await bus.kv.put('next', 'y')) > replaced, 'revisions keep rising across a restart');
    } finally {
      await bus.close();
    }
  });

  test('forget records older than the age limit when reopened, and keep the file to the live records', async () => {
    const dir = await tempDir();
    const path = join(dir, 'kv.jsonl');
    let kv = await FileKv.open(path);
    await kv.put('old', '1');
    for (let i = 0; i < 50; i++) await kv.put('busy', String(i));
    await kv.close();
    kv = await FileKv.open(path, {now: Date.now() + 7 * 3600_000});
    try {
      assert.equal(await kv.get('old'), null);
      assert.equal(await kv.get('busy'), null);
    } finally {
      await kv.close();
    }
    kv = await FileKv.open(path);
    await kv.put('kept', '1');
    for (let i = 0; i < 50; i++) await kv.put('busy', String(i));
    await kv.close();
    kv = await FileKv.open(path);
    try {
      assert.equal((await kv.get('busy'))?.value, '49');
      const lines = (await readFile(path, 'utf8')).trim().split('\n');
      assert.ok(lines.length <= 4, `reopening rewrites the file with the live records only (${lines.length} lines)`);
    } finally {
      await kv.close();
    }
  });
});
