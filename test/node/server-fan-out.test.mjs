// Fan-out worker processes (`--fan-out-workers`, src/server/http/sse-workers.ts): the HTTP edge hands each
// viewer's socket to a worker process that writes the stream. First the whole HTTP suite again with two
// workers (every endpoint, SSE snapshot/live/resume, slow viewers, graceful shutdown, the CLI); then what only
// workers can do: one dies mid-show, and its viewers resume on the same node, missing and repeating nothing,
// while the others never notice. Imports the compiled server: `npx tsc -p tsconfig.server.json` first.
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openSse, waitFor} from '../servers/sse-client.mjs';

process.env.KOLKIT_TEST_FAN_OUT_WORKERS = '2';
await import('./server-http.test.mjs');

const DIST = fileURLToPath(new URL('../../dist/node/server/', import.meta.url));
const {createShowServer, createLogger, signHostToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
const SHOW = 'fan-out-show';

/** This process's fan-out workers (its child processes running fan-out-worker.js), from /proc. */
function fanOutWorkers() {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').split(' ').filter(Boolean);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('fan-out-worker.js');
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('fan-out workers', () => {
  const temps = [];
  after(() => Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true}))));

  async function start() {
    const dir = await mkdtemp(join(tmpdir(), 'kolkit-fan-out-'));
    temps.push(dir);
    const lines = [];
    const logger = createLogger({level: 'info', node: 'fan-out', destination: {write: (line) => lines.push(line)}});
    const server = await createShowServer({port: 0, host: '127.0.0.1', dataDir: dir, secrets: SECRETS, node: 'fan-out', logger, fanOutWorkers: 2, viewersPeriodMs: 200});
    return {server, lines};
  }

  test('a worker that dies cuts only its own viewers: they resume on the same node with Last-Event-ID, missing and repeating nothing; the viewer count follows', async () => {
    const {server, lines} = await start();
    const events = `${server.url}/v1/shows/${SHOW}/events`;
    const auth = {'content-type': 'application/json', authorization: `Bearer ${await signHostToken({role: 'host', show: SHOW, ttlSeconds: 600}, SECRETS.host)}`};
    const pin = async (productId) => {
      const res = await fetch(events, {method: 'POST', headers: auth, body: JSON.stringify({type: 'product.pin', productId})});
      assert.equal(res.status, 201);
      await res.arrayBuffer();
    };
    const pinsOf = (stream) => stream.messages.filter((m) => m.event.type === 'product.pin').map((m) => m.event.productId);
    const counts = (stream) => stream.messages.filter((m) => m.event.type === 'viewers.update').map((m) => m.event.count);
    try {
      assert.equal(fanOutWorkers().length, 2, 'two workers run beside the server');
      // Round robin: viewers 0 and 2 on one worker, 1 and 3 on the other.
      const viewers = [];
      for (let i = 0; i < 4; i++) viewers.push(await openSse(events));
      await waitFor(() => viewers.every((v) => v.messages.length >= 1), 'every snapshot');
      await pin('a');
      await waitFor(() => viewers.every((v) => pinsOf(v).includes('a')), 'the first pin everywhere');
      await waitFor(() => counts(viewers[0]).at(-1) === 4, 'the count of 4 viewers');

      const [victim] = fanOutWorkers();
      process.kill(Number(victim), 'SIGKILL');
      await waitFor(() => viewers.filter((v) => v.ended()).length === 2, 'the dead worker’s two streams to end');
      const cut = viewers.filter((v) => v.ended());
      const kept = viewers.filter((v) => !v.ended());
      await waitFor(() => fanOutWorkers().length === 2 && !fanOutWorkers().includes(victim), 'a new worker in its place');
      assert.ok(lines.some((line) => /"event":"fan-out-worker".*"signal":"SIGKILL"/.test(line)), 'the death is logged');
      await waitFor(() => counts(kept[0]).at(-1) === 2, 'the count to drop to 2');

      // Missed while cut: one pin. Each cut viewer resumes (as EventSource does) from the last id it had.
      await pin('b');
      await waitFor(() => kept.every((v) => pinsOf(v).includes('b')), 'the kept viewers to get the pin live');
      const resumed = [];
      for (const v of cut) resumed.push(await openSse(events, {'last-event-id': v.messages.at(-1).id}));
      await pin('c');
      await waitFor(() => resumed.every((v) => pinsOf(v).includes('c')), 'the resumed viewers to go on live');
      for (const [i, v] of resumed.entries()) {
        assert.deepEqual([...pinsOf(cut[i]), ...pinsOf(v)], ['a', 'b', 'c'], 'nothing missed, nothing twice');
        const ids = [...cut[i].messages, ...v.messages].map((m) => Number(m.id)).filter((id) => id > 0);
        assert.equal(new Set(ids).size, ids.length, 'no id twice');
      }
      for (const v of kept) assert.deepEqual(pinsOf(v), ['a', 'b', 'c']);
      await waitFor(() => counts(kept[0]).at(-1) === 4, 'the count back to 4');
      await Promise.all([...kept, ...resumed].map((v) => v.close()));
    } finally {
      await server.close();
    }
    assert.deepEqual(fanOutWorkers(), [], 'the workers exit with the server');
  });
});
