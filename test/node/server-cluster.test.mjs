// The cluster bus (src/server/bus/nats.ts) on a real 3-node nats-server cluster (test/servers/nats-cluster.mjs):
// two buses stand for two kolkit nodes. Appends on one are followed on the other; ids deduplicate; reads
// resume after a sequence; `expectedLastSeq` and the KV compare-and-set give exactly one winner under a
// race (nats-server 2.9.10 does not serialize the per-subject check these would naively use); SIGKILLing
// the stream leader and then a follower's consumer's server mid-appends loses and repeats nothing; health
// follows an outage of the whole cluster. Needs nats-server (Debian's; .ci/run installs it): without it
// the tests fail, naming the fix. Uses the compiled code: `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {pino} from 'pino';
import {startNatsCluster, waitFor} from '../servers/nats-cluster.mjs';

const DIST = new URL('../../dist/node/server/bus/', import.meta.url);
assert.ok(existsSync(new URL('nats.js', DIST)), 'build the server first: npx tsc -p tsconfig.server.json');
const {createNatsBus} = await import(new URL('nats.js', DIST).href);
const {BusConflictError, BusUnavailableError} = await import(new URL('types.js', DIST).href);

let cluster;
let a; // node "a"
let b; // node "b"
let counter = 0;
/** The buses' warnings, kept to report what the failover went through (the watchdog's restarts). */
const warnings = [];
const log = pino({level: 'warn'}, {write: (line) => warnings.push(JSON.parse(line))});
const event = (text = 'hi', id = `e${++counter}-${Date.now()}`) => ({
  v: 1,
  id,
  at: new Date().toISOString(),
  type: 'chat.message',
  author: 'host',
  text,
});

/** Entries `bus` delivers for `show` after `afterSeq`, collected into an array (stop with `.stop()`). */
function collect(bus, show, afterSeq) {
  const entries = [];
  entries.stop = bus.follow(show, (entry) => entries.push(entry), afterSeq);
  return entries;
}

/** Settled results of many calls at once: [fulfilled values, rejection reasons]. */
async function race(calls) {
  const results = await Promise.allSettled(calls);
  return [
    results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
    results.filter((r) => r.status === 'rejected').map((r) => r.reason),
  ];
}

/** Index of the cluster node whose server name is `name`. */
const indexOf = (name) => cluster.nodes.findIndex((n) => n.name === name);

/** The events stream as running node `i`'s monitoring reports it (null when the node is down). */
async function streamOn(i) {
  const jsz = await cluster.jsz(i).catch(() => null);
  return jsz?.account_details?.flatMap((acc) => acc.stream_detail ?? []).find((s) => s.name === 'KOLKIT') ?? null;
}

/** The events stream's leader, as a node index. */
async function streamLeader() {
  for (let i = 0; i < cluster.nodes.length; i++) {
    const leader = (await streamOn(i))?.cluster?.leader;
    if (leader) return indexOf(leader);
  }
  return -1;
}

/** Node indexes hosting at least one consumer of the events stream. */
async function consumerHosts() {
  const hosts = [];
  for (let i = 0; i < cluster.nodes.length; i++) {
    for (const c of (await streamOn(i))?.consumer_detail ?? []) {
      const host = c.cluster?.leader ? indexOf(c.cluster.leader) : i;
      if (host >= 0 && !hosts.includes(host)) hosts.push(host);
    }
  }
  return hosts;
}

before(async () => {
  cluster = await startNatsCluster();
  // Two nodes, each listing the servers in another order (each connects to a different one first).
  [a, b] = await Promise.all([
    createNatsBus({servers: cluster.urls, node: 'a', log}),
    createNatsBus({servers: [...cluster.urls].reverse(), node: 'b', log}),
  ]);
});

after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await cluster?.stop();
});

describe('cluster bus on 3 nats-servers', {timeout: 170_000}, () => {
  test('an append on one node is followed on the other, in order, with the stream sequence', async () => {
    assert.equal(a.mode, 'cluster');
    assert.ok(a.healthy() && b.healthy());
    const heard = collect(b, 'follow-show');
    // "From now on": give the follower its start before appending.
    await waitFor(async () => (await consumerHosts()).length > 0, 5000, 'the follower has no consumer');
    const first = await a.append('follow-show', event('one'));
    const second = await a.append('follow-show', event('two'));
    assert.ok(first.seq > 0 && second.seq > first.seq);
    await waitFor(() => heard.length >= 2, 10_000, 'node b did not hear node a');
    assert.deepEqual(heard.map((e) => e.seq), [first.seq, second.seq]);
    assert.deepEqual(heard.map((e) => e.event.text), ['one', 'two']);
    heard.stop();
  });

  test('an id appended twice (from either node) is stored once and answers the first entry', async () => {
    const e = event('once');
    const first = await a.append('dedupe-show', e);
    const again = await b.append('dedupe-show', {...e, text: 'changed'});
    assert.equal(again.seq, first.seq);
    assert.equal(again.event.text, 'once');
    const [stored] = await race(Array.from({length: 12}, (_, i) => (i % 2 ? a : b).append('dedupe-show', event('x', 'same-id'))));
    assert.equal(new Set(stored.map((entry) => entry.seq)).size, 1, 'concurrent appends of one id got different entries');
    const all = await b.read('dedupe-show');
    assert.deepEqual(all.map((entry) => entry.event.id), [e.id, 'same-id']);
  });

  test('read answers the entries after a sequence, oldest first, and nothing for a show without any', async () => {
    const seqs = [];
    for (let i = 0; i < 5; i++) seqs.push((await a.append('read-show', event(`r${i}`))).seq);
    await a.append('other-show', event('elsewhere'));
    assert.deepEqual((await b.read('read-show')).map((entry) => entry.seq), seqs);
    assert.deepEqual((await b.read('read-show', seqs[1])).map((entry) => entry.event.text), ['r2', 'r3', 'r4']);
    assert.deepEqual(await b.read('read-show', seqs[4]), []);
    assert.deepEqual(await b.read('no-such-show'), []);
    await assert.rejects(() => a.read('bad show'), TypeError);
  });

  test('follow with afterSeq resumes after it: nothing twice, nothing skipped', async () => {
    const seqs = [];
    for (let i = 0; i < 4; i++) seqs.push((await a.append('resume-show', event(`s${i}`))).seq);
    const heard = collect(b, 'resume-show', seqs[1]);
    const later = await a.append('resume-show', event('later'));
    await waitFor(() => heard.length >= 3, 10_000, 'the resumed follower missed entries');
    assert.deepEqual(heard.map((e) => e.seq), [seqs[2], seqs[3], later.seq]);
    heard.stop();
  });

  test('expectedLastSeq: a stale expectation is refused, and of 12 racing appends from one sequence exactly one is stored', async () => {
    const show = 'cas-show';
    const first = await a.append(show, event('first'), {expectedLastSeq: 0});
    await assert.rejects(() => b.append(show, event('stale'), {expectedLastSeq: 0}), BusConflictError);
    // Traffic on another show in between does not make a right expectation fail.
    await b.append('noise-show', event('noise'));
    const second = await b.append(show, event('second'), {expectedLastSeq: first.seq});
    let expected = second.seq;
    for (let trial = 0; trial < 5; trial++) {
      const [won, lost] = await race([
        ...Array.from({length: 12}, (_, i) => (i % 2 ? a : b).append(show, event(`t${trial}-${i}`), {expectedLastSeq: expected})),
        // Other shows' appends at the same time (they move the stream's last sequence the check builds on).
        a.append('noise-show', event('noise')),
        b.append('noise-show', event('noise')),
      ]);
      const winners = won.filter((entry) => entry.event.text.startsWith('t'));
      assert.equal(winners.length, 1, `trial ${trial}: ${winners.length} appends won from sequence ${expected}`);
      assert.ok(lost.every((err) => err instanceof BusConflictError), lost.map(String).join('; '));
      expected = winners[0].seq;
    }
    // With unconditional appends to the same show racing them, a conditional append that wins still
    // directly follows the entry it expected.
    for (let trial = 0; trial < 5; trial++) {
      const before = (await a.read(show)).at(-1).seq;
      const [won] = await race([
        ...Array.from({length: 8}, (_, i) => (i % 2 ? a : b).append(show, event(`u${trial}-${i}`), {expectedLastSeq: before})),
        a.append(show, event('plain')),
        b.append(show, event('plain')),
      ]);
      const log = (await b.read(show)).map((entry) => entry.seq);
      const winners = won.filter((entry) => entry.event.text.startsWith('u'));
      assert.ok(winners.length <= 1, `trial ${trial}: ${winners.length} conditional appends won`);
      for (const winner of winners) assert.equal(log[log.indexOf(winner.seq) - 1], before, 'a conditional append landed after another entry');
    }
  });

  test('kv: get/put/delete/list across nodes, create after delete, keys checked', async () => {
    const r1 = await a.kv.put('viewers.s1.a', '3');
    const r2 = await b.kv.put('viewers.s1.b', '4');
    await a.kv.put('viewers.s2.a', '9');
    assert.ok(r2 > r1);
    assert.deepEqual(await b.kv.get('viewers.s1.a'), {value: '3', revision: r1});
    const list = await b.kv.list('viewers.s1.');
    assert.deepEqual([...list.keys()].sort(), ['viewers.s1.a', 'viewers.s1.b']);
    assert.equal((await a.kv.list('viewers.s')).size, 3);
    await a.kv.delete('viewers.s1.a');
    await a.kv.delete('never-there');
    assert.equal(await b.kv.get('viewers.s1.a'), null);
    assert.equal(await b.kv.get('never-there'), null);
    assert.deepEqual([...(await b.kv.list('viewers.s1.')).keys()], ['viewers.s1.b']);
    await assert.rejects(() => b.kv.update('viewers.s1.a', 'x', r1), BusConflictError);
    const created = await b.kv.create('viewers.s1.a', '5');
    assert.deepEqual(await a.kv.get('viewers.s1.a'), {value: '5', revision: created});
    await assert.rejects(() => a.kv.create('viewers.s1.a', '6'), BusConflictError);
    await assert.rejects(() => a.kv.get('bad key'), TypeError);
    await assert.rejects(() => a.kv.put('.dot', 'x'), TypeError);
  });

  test('kv compare-and-set: 20 trials × 12 concurrent updates from one revision → exactly one winner each; creates too', async () => {
    const key = 'auction.a1.high';
    let revision = await a.kv.create(key, '0');
    for (let trial = 1; trial <= 20; trial++) {
      const [won, lost] = await race(Array.from({length: 12}, (_, i) => (i % 2 ? a : b).kv.update(key, `${trial}:${i}`, revision)));
      assert.equal(won.length, 1, `trial ${trial}: ${won.length} updates won from revision ${revision}`);
      assert.ok(lost.every((err) => err instanceof BusConflictError), lost.map(String).join('; '));
      const now = await b.kv.get(key);
      assert.equal(now.revision, won[0]);
      assert.match(now.value, new RegExp(`^${trial}:`));
      revision = won[0];
    }
    // Puts racing the updates: an update that wins still directly follows the revision it read.
    for (let trial = 0; trial < 5; trial++) {
      const [won, lost] = await race([
        ...Array.from({length: 8}, (_, i) => (i % 2 ? a : b).kv.update(key, `u${trial}:${i}`, revision)),
        a.kv.put(key, 'put-a'),
        b.kv.put(key, 'put-b'),
      ]);
      assert.ok(lost.every((err) => err instanceof BusConflictError), lost.map(String).join('; '));
      const puts = won.slice(-2);
      const updates = won.slice(0, -2);
      assert.equal(puts.length, 2, 'a put failed');
      assert.ok(updates.length <= 1, `trial ${trial}: ${updates.length} updates won`);
      for (const winner of updates) {
        assert.ok(!puts.some((put) => put > revision && put < winner), 'an update won although a put came in after its revision');
      }
      revision = Math.max(...won);
    }
    // 20 concurrent "increments" (read, update, retry on conflict) end at 20, as they would on one process.
    await a.kv.put('counter', '0');
    await Promise.all(
      Array.from({length: 20}, async (_, i) => {
        for (;;) {
          const current = await (i % 2 ? a : b).kv.get('counter');
          try {
            return await (i % 2 ? a : b).kv.update('counter', String(Number(current.value) + 1), current.revision);
          } catch (err) {
            if (!(err instanceof BusConflictError)) throw err;
          }
        }
      }),
    );
    assert.equal((await a.kv.get('counter')).value, '20');
    // Creates of new keys, and creates over a deleted key: one winner each.
    for (let k = 0; k < 5; k++) {
      const [won] = await race(Array.from({length: 12}, (_, i) => (i % 2 ? a : b).kv.create(`join.g${k}`, `${i}`)));
      assert.equal(won.length, 1, `${won.length} creates of a new key won`);
      await a.kv.delete(`join.g${k}`);
      const [again] = await race(Array.from({length: 12}, (_, i) => (i % 2 ? a : b).kv.create(`join.g${k}`, `${i}`)));
      assert.equal(again.length, 1, `${again.length} creates over a deleted key won`);
    }
  });

  test('SIGKILL of the stream leader, then of a consumer\'s server, mid-appends: every acknowledged entry reaches both nodes once, in order', async () => {
    const show = 'failover-show';
    warnings.length = 0;
    const start = (await a.append(show, event('start'))).seq;
    const onA = collect(a, show, start);
    const onB = collect(b, show, start);
    const acked = [];
    let publishing = true;
    let failures = 0;
    const publisher = (async () => {
      for (let i = 0; publishing; i++) {
        const e = event(`f${i}`);
        for (;;) {
          try {
            acked.push((await a.append(show, e)).seq); // the same id until acknowledged
            break;
          } catch {
            failures++;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const ackedAfter = async (n, what) => {
      const from = acked.length;
      await waitFor(() => acked.length >= from + n, 25_000, `appends did not resume after ${what}`);
    };
    await ackedAfter(10, 'the start');

    const leader = await streamLeader();
    assert.ok(leader >= 0, 'no stream leader found');
    const killedAt = Date.now();
    await cluster.kill(leader, 'SIGKILL');
    await ackedAfter(10, `killing the stream leader ${cluster.nodes[leader].name}`);
    const pause = Date.now() - killedAt;
    await cluster.restart(leader);

    const hosts = await consumerHosts();
    assert.ok(hosts.length > 0, 'no consumer host found');
    await cluster.kill(hosts[0], 'SIGKILL');
    await ackedAfter(10, `killing the consumer host ${cluster.nodes[hosts[0]].name}`);
    await cluster.restart(hosts[0]);
    await ackedAfter(5, 'the restarts');
    publishing = false;
    await publisher;

    const last = acked.at(-1);
    for (const [name, heard] of [['a', onA], ['b', onB]]) {
      await waitFor(() => heard.at(-1)?.seq >= last, 30_000, `node ${name} did not catch up to ${last} (has ${heard.at(-1)?.seq})`);
      assert.deepEqual(heard.map((e) => e.seq), acked, `node ${name} heard something else than what was acknowledged`);
    }
    onA.stop();
    onB.stop();
    assert.deepEqual((await b.read(show, start)).map((e) => e.seq), acked);
    // Bounded: the election pause measured on this machine is 4–6 s; allow a loaded machine more.
    assert.ok(pause < 25_000, `appends paused ${pause} ms`);
    const watchdog = warnings.filter((w) => /stalled/.test(w.msg)).length;
    console.log(
      `failover: ${acked.length} appends acknowledged, ${failures} failed after retries, leader-kill pause ${pause} ms, ` +
        `watchdog restarts ${watchdog}, killed ${cluster.nodes[leader].name} (leader) then ${cluster.nodes[hosts[0]].name} (consumer host)`,
    );
  });

  test('healthy() is false while every NATS server is down and true again after they restart; appends resume', async () => {
    const before = await a.append('after-outage', event('before'));
    const heard = collect(b, 'after-outage', before.seq); // a follower that lives through the outage
    await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGKILL')));
    await waitFor(() => !a.healthy() && !b.healthy(), 10_000, 'healthy() stayed true with NATS down');
    // Writes and reads are refused within their deadline (15 s: the HTTP edge answers 503), not left hanging.
    const startedAt = Date.now();
    await Promise.all([
      assert.rejects(() => a.append('after-outage', event('lost')), BusUnavailableError),
      assert.rejects(() => b.read('after-outage'), BusUnavailableError),
    ]);
    assert.ok(Date.now() - startedAt < 20_000, `refusing took ${Date.now() - startedAt} ms`);
    await Promise.all(cluster.nodes.map((_, i) => cluster.restart(i, 60_000)));
    await waitFor(() => a.healthy() && b.healthy(), 30_000, 'healthy() did not come back after NATS restarted');
    const entry = await a.append('after-outage', event('back'));
    assert.deepEqual((await b.read('after-outage')).map((e) => e.event.text), ['before', 'back']);
    await waitFor(() => heard.length > 0, 20_000, 'the follower did not resume after the outage');
    assert.deepEqual(heard.map((e) => e.seq), [entry.seq]);
    heard.stop();
  });

  test('close() drains and the bus reports unhealthy', async () => {
    const c = await createNatsBus({servers: cluster.urls, node: 'c'});
    const heard = collect(c, 'close-show');
    await c.close();
    assert.equal(c.healthy(), false);
    heard.stop(); // after close: harmless
  });
});
