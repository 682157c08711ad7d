// The show server in cluster mode end to end, as a merchant runs it: a real 3-node nats-server cluster
// (test/servers/nats-cluster.mjs) and two kolkit nodes, `kolkit serve --nats … --node a|b` as child processes
// (started by the bench's startNode, so the test and `npm run bench:server` run nodes the same way). Viewers
// read SSE with fetch on both nodes while the host posts events to node A at 10/s, each with an
// Idempotency-Key, retrying a failed post with it. Mid-stream node B and the NATS stream leader are
// SIGKILLed; B's viewers reconnect to A with Last-Event-ID, as an EventSource behind a load balancer would.
// Then every viewer has every host event once, in log order, with strictly increasing ids; A is healthy
// and its state shows the last pin. Before the kill, the viewer count sums both nodes (presence through the
// NATS KV). Needs nats-server and the compiled server: `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';
import {startNatsCluster, waitFor} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(
  existsSync(join(DIST, 'index.js')) && existsSync(join(DIST, 'cli.js')),
  `dist/node is missing (${DIST}): build the server first: npx tsc -p tsconfig.server.json`,
);
const {signHostToken} = await import(join(DIST, 'index.js'));
const {startNode, SECRETS} = await import(join(ROOT, 'scripts/bench/server/nodes.mjs'));

/** Host events posted, at RATE per second; the kill comes once KILL_AFTER of them are stored. */
const TOTAL = 100;
const RATE = 10;
const KILL_AFTER = 30;
const VIEWERS_ON_B = 3;
/** Deadlines: the machine is shared and noisy, so they are generous (each is a bound, never a wait). */
const PRESENCE_MS = 60_000;
const SETTLE_MS = 60_000;
const POST_RETRY_MS = 60_000;
const SHOW = `e2e-${Date.now().toString(36)}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A viewer as an EventSource behind a load balancer: reads `GET /v1/shows/{show}/events` from the node
 * `route()` names; when the stream ends or fails, connects again (to whatever `route()` names then) with
 * `Last-Event-ID` = the last id it saw. Keeps every message (`{id, event}`) and each connection's node and
 * Last-Event-ID.
 */
function openViewer(name, route) {
  const messages = [];
  const connections = [];
  let controller = null;
  let closed = false;
  let lastId = null;
  let error = null;

  async function readOnce(url) {
    controller = new AbortController();
    const headers = lastId !== null ? {'last-event-id': lastId} : {};
    connections.push({url, lastEventId: lastId, status: 0});
    // Bounded: no answer within 10 s is a failed connection, tried again.
    const headersTimer = setTimeout(() => controller.abort(), 10_000);
    let response;
    try {
      response = await fetch(`${url}/v1/shows/${SHOW}/events`, {headers, signal: controller.signal});
    } finally {
      clearTimeout(headersTimer);
    }
    connections.at(-1).status = response.status;
    if (response.status !== 200) {
      await response.arrayBuffer().catch(() => {});
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, {stream: true}).replace(/\r/g, '');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id = null;
        const data = [];
        for (const line of block.split('\n')) {
          const field = /^(id|data): ?(.*)$/.exec(line);
          if (field?.[1] === 'id') id = field[2];
          else if (field?.[1] === 'data') data.push(field[2]);
        }
        if (!data.length) continue; // a comment (heartbeat)
        messages.push({id, event: JSON.parse(data.join('\n'))});
        if (id !== null) lastId = id;
      }
    }
  }

  const running = (async () => {
    while (!closed) {
      try {
        await readOnce(route());
      } catch (err) {
        if (!closed && !/abort/i.test(err.name)) error = err;
      }
      // EventSource's reconnection delay (it waits before it connects again, here shorter than its 3 s).
      if (!closed) await sleep(250);
    }
  })();

  return {
    name,
    messages,
    connections,
    get lastError() {
      return error;
    },
    /** Events whose id is in `ids`, in the order they came. */
    eventsIn(ids) {
      return messages.filter((m) => ids.has(m.event.id));
    },
    async close() {
      closed = true;
      controller?.abort();
      await running;
    },
  };
}

/**
 * The host: posts TOTAL events to `url()` at RATE per second (each at its scheduled time), every tenth a
 * product.pin, each with its own Idempotency-Key kept across retries; a failed post (network, 5xx) is
 * retried for up to POST_RETRY_MS. `acked` holds the stored event per index.
 */
function startHost(url, token) {
  const acked = new Map();
  const failures = [];
  let retries = 0;
  let stopped = false;
  const post = async (index) => {
    const body =
      index % 10 === 9
        ? {type: 'product.pin', productId: `p-${index % 6}`, note: `pin-${index}`}
        : {type: 'chat.message', author: 'Host', text: `host message ${index}`};
    const key = `${SHOW}-${index}`;
    const first = Date.now();
    while (!stopped) {
      let status = 0;
      let answer = null;
      try {
        const response = await fetch(`${url()}/v1/shows/${SHOW}/events`, {
          method: 'POST',
          headers: {'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key},
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        answer = await response.json().catch(() => null);
      } catch {
        status = 0;
      }
      if (status === 201) {
        acked.set(index, answer);
        return;
      }
      if ((status !== 0 && status < 500) || Date.now() - first > POST_RETRY_MS) {
        failures.push({index, status, answer});
        return;
      }
      retries++;
      await sleep(250);
    }
  };
  const done = (async () => {
    const started = Date.now();
    const posts = [];
    for (let i = 0; i < TOTAL && !stopped; i++) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      posts.push(post(i));
    }
    await Promise.all(posts);
  })();
  return {
    acked,
    failures,
    get retries() {
      return retries;
    },
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

let cluster;
let nodeA;
let nodeB;
const viewers = [];
let host;

before(async () => {
  cluster = await startNatsCluster();
  // Each node lists the servers in another order, so each connects to a different one first.
  [nodeA, nodeB] = await Promise.all([
    startNode({name: 'a', nats: cluster.urls}),
    // B writes its streams from two fan-out worker processes, A from its own: both ways in one cluster.
    startNode({name: 'b', nats: [...cluster.urls].reverse(), fanOutWorkers: 2}),
  ]);
});

// Everything stops, also on failure: the host, the viewers, both kolkit nodes, the NATS servers.
after(async () => {
  await host?.stop().catch(() => {});
  await Promise.allSettled(viewers.map((v) => v.close()));
  await Promise.allSettled([nodeA?.stop(), nodeB?.stop()]);
  await cluster?.stop();
});

/** The NATS server leading the KOLKIT stream, as an index into cluster.nodes (-1 when none says). */
async function streamLeader() {
  for (let i = 0; i < cluster.nodes.length; i++) {
    const jsz = await cluster.jsz(i, 'streams=true').catch(() => null);
    const stream = jsz?.account_details?.flatMap((account) => account.stream_detail ?? []).find((s) => s.name === 'KOLKIT');
    if (stream?.cluster?.leader) return cluster.nodes.findIndex((n) => n.name === stream.cluster.leader);
  }
  return -1;
}

/** What each viewer has so far, for failure messages. */
const summary = (ids) =>
  viewers.map((v) => `${v.name}: ${v.eventsIn(ids).length} host events, ${v.connections.length} connections, last error ${v.lastError?.message ?? 'none'}`).join('; ');

describe('cluster mode end to end: 3 nats-servers, 2 kolkit nodes, SIGKILL of node B and the stream leader', {timeout: 300_000}, () => {
  test('every viewer gets every host event once, in order, across the failover; presence sums both nodes', async (t) => {
    const token = await signHostToken({role: 'host', show: SHOW, ttlSeconds: 3600}, SECRETS.host);
    const logs = `logs: ${nodeA.logPath}, ${nodeB.logPath}, nats in ${cluster.dir}`;

    // 1. Viewers: VIEWERS_ON_B on B (routed to A once B is dead, like a load balancer would), one on A.
    for (let i = 0; i < VIEWERS_ON_B; i++) viewers.push(openViewer(`b${i}`, () => (nodeB.alive ? nodeB.url : nodeA.url)));
    viewers.push(openViewer('a0', () => nodeA.url));
    await waitFor(
      () => viewers.every((v) => v.messages[0]?.event.type === 'show.snapshot'),
      30_000,
      `not every viewer joined with a snapshot (${logs})`,
    );

    // 4. Presence across nodes: the count sums the viewers of both nodes (through the NATS KV).
    const counted = VIEWERS_ON_B + 1;
    const countOf = (v) => v.messages.filter((m) => m.event.type === 'viewers.update').at(-1)?.event.count;
    await waitFor(
      () => viewers.every((v) => countOf(v) === counted),
      PRESENCE_MS,
      `viewers.update did not reach ${counted} (viewers on both nodes) on every viewer: ${viewers.map(countOf).join(', ')} (${logs})`,
    );

    // The host posts to A in the background.
    const started = Date.now();
    host = startHost(() => nodeA.url, token);

    // 2. Mid-stream: SIGKILL kolkit node B and the NATS stream leader at once.
    await waitFor(() => host.acked.size >= KILL_AFTER, 60_000, `the host did not get ${KILL_AFTER} events stored (${logs})`);
    const leader = await streamLeader();
    assert.ok(leader >= 0, 'no NATS server names a leader of the KOLKIT stream');
    const lastSeenOnB = viewers.slice(0, VIEWERS_ON_B).map((v) => v.messages.at(-1)?.id);
    const workersOfB = readFileSync(`/proc/${nodeB.pid}/task/${nodeB.pid}/children`, 'utf8').split(' ').filter(Boolean);
    assert.equal(workersOfB.length, 2, 'node B runs two fan-out workers');
    const killedAt = Date.now();
    await Promise.all([nodeB.kill('SIGKILL'), cluster.kill(leader, 'SIGKILL')]);
    // Its workers follow it: none outlives the node it wrote for.
    await waitFor(() => workersOfB.every((pid) => !existsSync(`/proc/${pid}`)), 10_000, `node B's fan-out workers outlived it: ${workersOfB}`);

    // 3. The host finishes (every post stored, retries included), then every viewer catches up.
    let hostDone = false;
    void host.done.then(() => (hostDone = true));
    await waitFor(() => hostDone, TOTAL * (1000 / RATE) + POST_RETRY_MS + 30_000, `the host did not finish (${logs})`);
    assert.deepEqual(host.failures, [], `host posts failed for good (${logs})`);
    assert.equal(host.acked.size, TOTAL);
    const hostIds = new Set([...host.acked.values()].map((event) => event.id));
    assert.equal(hostIds.size, TOTAL, 'two posts with different keys answered the same event');
    await waitFor(
      () => viewers.every((v) => v.eventsIn(hostIds).length >= TOTAL),
      SETTLE_MS,
      `viewers did not get every host event: ${summary(hostIds)} (${logs})`,
    );

    // The log's order of the host events, as node A serves it.
    const timeline = await (await fetch(`${nodeA.url}/v1/shows/${SHOW}/timeline`, {signal: AbortSignal.timeout(15_000)})).json();
    const logOrder = timeline.filter((event) => hostIds.has(event.id)).map((event) => event.id);
    assert.equal(logOrder.length, TOTAL, 'the timeline on A does not hold every host event once');
    assert.equal(new Set(logOrder).size, TOTAL, 'the timeline on A holds a host event twice');
    // Nothing the host did not post (acked) looks like a host event.
    assert.deepEqual(timeline.filter((e) => e.id.startsWith('host-') && !hostIds.has(e.id)), []);

    for (const v of viewers) {
      const got = v.eventsIn(hostIds).map((m) => m.event.id);
      assert.deepEqual(got, logOrder, `${v.name}: host events missed, repeated or out of order`);
      const seqs = v.messages.map((m) => Number(m.id));
      for (let i = 1; i < seqs.length; i++) {
        assert.ok(seqs[i] > seqs[i - 1], `${v.name}: SSE id ${seqs[i]} after ${seqs[i - 1]} (message ${i} of ${seqs.length})`);
      }
      // Joined once: a resume that fell back to a snapshot would show a second one.
      assert.equal(v.messages.filter((m) => m.event.type === 'show.snapshot').length, 1, `${v.name}: a resume got a snapshot`);
    }
    // B's viewers went over to A, resuming from the last id they had seen.
    viewers.slice(0, VIEWERS_ON_B).forEach((v, i) => {
      const onA = v.connections.filter((c) => c.url === nodeA.url && c.status === 200);
      assert.ok(onA.length >= 1, `${v.name} never reconnected to node A: ${JSON.stringify(v.connections)}`);
      assert.equal(onA[0].lastEventId, lastSeenOnB[i] ?? onA[0].lastEventId, `${v.name} resumed on A from another id than its last on B`);
      assert.ok(onA[0].lastEventId !== null, `${v.name} reconnected to A without Last-Event-ID`);
    });

    // A answers healthy, and its state shows the last pin in log order.
    await waitFor(
      async () => {
        const response = await fetch(`${nodeA.url}/v1/health`, {signal: AbortSignal.timeout(5000)});
        const body = await response.json();
        return response.status === 200 && body.ok === true && body.mode === 'cluster' && body.node === 'a';
      },
      SETTLE_MS,
      `GET /v1/health on A did not answer ok (${logs})`,
    );
    const lastPin = timeline.filter((e) => hostIds.has(e.id) && e.type === 'product.pin').at(-1);
    const stateResponse = await fetch(`${nodeA.url}/v1/shows/${SHOW}/state`, {signal: AbortSignal.timeout(15_000)});
    assert.equal(stateResponse.status, 200);
    const state = await stateResponse.json();
    assert.equal(state.pinned[0]?.productId, lastPin.productId);
    assert.equal(state.pinned[0]?.note, lastPin.note);

    t.diagnostic(
      `host: ${TOTAL} events in ${Date.now() - started} ms, ${host.retries} retries; killed kolkit b and nats ${cluster.nodes[leader].name} ` +
        `after ${killedAt - started} ms; reconnections: ${viewers.map((v) => `${v.name} ${v.connections.length - 1}`).join(', ')}`,
    );
  });
});
