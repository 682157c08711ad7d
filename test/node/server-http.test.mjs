// The show server's HTTP edge (DESIGN.md §8.2, issue 12): a real server (embedded bus, temp dir, port 0 on
// 127.0.0.1), in-process and as the `kolkit serve` child process, driven with real fetch and raw sockets.
// Every endpoint's answers and refusals, SSE snapshot/live/resume, slowloris, slow viewers, CORS, rate
// limits, graceful shutdown. Imports the compiled server: `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {openSse, rawClient, waitFor} from '../servers/sse-client.mjs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'index.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, signHostToken, signViewerToken} = await import(join(DIST, 'index.js'));
const {createHttpEdge} = await import(join(DIST, 'http/edge.js'));
const auth = await import(join(DIST, 'auth.js'));
const {validateReaction} = await import(join(DIST, 'engagement/reactions.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
/** Set by server-fan-out.test.mjs: the whole suite again, with the streams written by fan-out worker processes. */
const FAN_OUT_WORKERS = Number(process.env.KOLKIT_TEST_FAN_OUT_WORKERS || 0);
const WITH = FAN_OUT_WORKERS ? `, ${FAN_OUT_WORKERS} fan-out workers` : '';
const SHOW = 'night-market';
/** Test bounds: short timeouts so a slow client is cut within a couple of seconds. */
const LIMITS = {
  headersTimeoutMs: 1000,
  requestTimeoutMs: 1500,
  connectionsCheckingIntervalMs: 200,
  shutdownGraceMs: 2000,
  heartbeatMs: 300,
  rates: {
    chat: {perViewer: {points: 3, seconds: 60}, perIp: {points: 1000, seconds: 60}},
    reactions: {perViewer: {points: 1000, seconds: 60}, perIp: {points: 8, seconds: 60}},
  },
};

const temps = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-http-'));
  temps.push(dir);
  return dir;
}
after(() => Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true}))));

/** A logger writing into an array (to check lines and that no token is ever logged). */
function captureLogger() {
  const lines = [];
  const logger = createLogger({level: 'info', node: 'test', destination: {write: (line) => lines.push(line)}});
  return {logger, lines};
}

/** The start of a server: in-process, embedded, on 127.0.0.1 with a free port. */
async function startServer(options = {}) {
  const {logger, lines} = captureLogger();
  const server = await createShowServer({port: 0, host: '127.0.0.1', dataDir: await tempDir(), secrets: SECRETS, node: 'test', logger, limits: LIMITS, fanOutWorkers: FAN_OUT_WORKERS, ...options});
  return {server, lines, url: server.url};
}

const hostToken = (show = SHOW, role = 'host') => signHostToken({role, show, ttlSeconds: 600}, SECRETS.host);
const json = {'content-type': 'application/json'};
const viewer = (id = 'viewer-0001') => ({...json, 'x-kol-viewer': id});

async function post(url, body, headers = json) {
  const res = await fetch(url, {method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body)});
  const text = await res.text();
  return {res, status: res.status, body: text ? JSON.parse(text) : null};
}

/** Reads an SSE response with fetch: messages (`{id, event}`) and comments as they arrive. */
describe(`kolkit/server HTTP edge, in-process${WITH}`, () => {
  let ctx;
  before(async () => {
    ctx = await startServer();
  });
  after(() => ctx.server.close());

  test('health answers 200 with the mode and node', async () => {
    const res = await fetch(`${ctx.url}/v1/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {ok: true, mode: 'embedded', node: 'test'});
    assert.match(res.headers.get('content-type'), /^application\/json/);
  });

  test('host events: 401 without or with a bad token, 403 for another show or a moderator, 400 naming the field, 415, 201 stamped', async () => {
    const url = `${ctx.url}/v1/shows/${SHOW}/events`;
    const pin = {type: 'product.pin', productId: 'p-1'};

    const none = await post(url, pin);
    assert.equal(none.status, 401);
    assert.equal(none.body.error, 'unauthorized');
    assert.match(none.body.message, /token/);

    const forged = await post(url, pin, {...json, authorization: `Bearer ${await signHostToken({role: 'host', show: SHOW, ttlSeconds: 600}, 'x'.repeat(40))}`});
    assert.equal(forged.status, 401);

    const other = await post(url, pin, {...json, authorization: `Bearer ${await hostToken('another-show')}`});
    assert.equal(other.status, 403);
    assert.equal(other.body.error, 'forbidden');

    const moderator = await post(url, pin, {...json, authorization: `Bearer ${await hostToken(SHOW, 'moderator')}`});
    assert.equal(moderator.status, 403);
    assert.match(moderator.body.message, /moderator/);

    const auth = {...json, authorization: `Bearer ${await hostToken()}`};
    const missing = await post(url, {type: 'product.pin'}, auth);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'productId', JSON.stringify(missing.body));

    const badJson = await post(url, '{"type": "product.pin", ', auth);
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.error, 'bad-json');

    const text = await post(url, JSON.stringify(pin), {...auth, 'content-type': 'text/plain'});
    assert.equal(text.status, 415);

    const ok = await post(url, pin, auth);
    assert.equal(ok.status, 201);
    assert.equal(ok.body.type, 'product.pin');
    assert.equal(ok.body.productId, 'p-1');
    assert.equal(ok.body.v, 1);
    assert.ok(ok.body.id && !Number.isNaN(Date.parse(ok.body.at)), JSON.stringify(ok.body));
    // The host endpoints are not cross-origin: no CORS headers, even when asked from another origin.
    const fromElsewhere = await fetch(url, {method: 'POST', headers: {...auth, origin: 'https://shop.example'}, body: JSON.stringify(pin)});
    assert.equal(fromElsewhere.status, 201);
    assert.equal(fromElsewhere.headers.get('access-control-allow-origin'), null);
    await fromElsewhere.arrayBuffer();
  });

  test('Idempotency-Key: two posts with one key store one entry and get the same answer; a bad key is a 400 naming the header', async () => {
    const show = 'idem-show';
    const url = `${ctx.url}/v1/shows/${show}/events`;
    const auth = {...json, authorization: `Bearer ${await hostToken(show)}`};
    const chat = {type: 'chat.message', author: 'Host', text: 'once only'};

    const first = await post(url, chat, {...auth, 'idempotency-key': 'k-0001'});
    assert.equal(first.status, 201);
    assert.match(first.body.id, /^host-[0-9a-f]{32}$/, 'the id is derived from the show and the key');
    assert.equal(first.res.headers.get('idempotent-replayed'), null);
    const again = await post(url, chat, {...auth, 'idempotency-key': 'k-0001'});
    assert.equal(again.status, 201, 'a replay answers as the first post did');
    assert.deepEqual(again.body, first.body, 'the first stored event, same at');
    assert.equal(again.res.headers.get('idempotent-replayed'), 'true');
    // The same key with another body still answers the first event: the key names the event.
    const changed = await post(url, {...chat, text: 'changed'}, {...auth, 'idempotency-key': 'k-0001'});
    assert.deepEqual(changed.body, first.body);
    const other = await post(url, chat, {...auth, 'idempotency-key': 'k-0002'});
    assert.notEqual(other.body.id, first.body.id);
    const timeline = await (await fetch(`${ctx.url}/v1/shows/${show}/timeline`)).json();
    assert.deepEqual(timeline.map((e) => e.id), [first.body.id, other.body.id], 'one entry per key');

    // The same key on another show is another event.
    const elsewhere = await post(`${ctx.url}/v1/shows/idem-other/events`, chat, {...json, authorization: `Bearer ${await hostToken('idem-other')}`, 'idempotency-key': 'k-0001'});
    assert.equal(elsewhere.status, 201);
    assert.notEqual(elsewhere.body.id, first.body.id);

    for (const key of ['', 'has space', 'é', 'x'.repeat(129), 'a,b']) {
      const bad = await post(url, chat, {...auth, 'idempotency-key': key});
      assert.equal(bad.status, 400, JSON.stringify(key));
      assert.equal(bad.body.error, 'bad-header');
      assert.equal(bad.body.header, 'Idempotency-Key');
      assert.match(bad.body.message, /Idempotency-Key/);
    }
    assert.equal((await post(url, chat, {...auth, 'idempotency-key': 'x'.repeat(128)})).status, 201, '128 characters is fine');
    // Retried together, before the first is stored: still one entry.
    const racing = await Promise.all([1, 2, 3].map(() => post(url, chat, {...auth, 'idempotency-key': 'k-race'})));
    assert.deepEqual(racing.map((r) => r.status), [201, 201, 201]);
    assert.equal(new Set(racing.map((r) => JSON.stringify(r.body))).size, 1, 'one answer');
    const after = await (await fetch(`${ctx.url}/v1/shows/${show}/timeline`)).json();
    assert.equal(after.filter((e) => e.id === racing[0].body.id).length, 1);
  });

  test('413: a 65 KB body is refused before it is read (declared length, and counted while reading a chunked one)', async () => {
    const token = await hostToken();
    for (const [path, who] of [[`/v1/shows/${SHOW}/events`, `Authorization: Bearer ${token}`], [`/v1/shows/${SHOW}/chat`, 'X-Kol-Viewer: viewer-413a']]) {
      const client = rawClient(ctx.server.port);
      await client.connected;
      // Headers promise 65 KB; only 1 KB is sent. The answer must come anyway, and the connection close.
      client.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: x\r\n${who}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${65 * 1024}\r\n\r\n{"text":"${'a'.repeat(1000)}`,
      );
      await waitFor(() => client.closed, `${path}: the server to close the connection`);
      assert.match(client.received, /^HTTP\/1\.1 413 /, client.received.slice(0, 200));
      const body = JSON.parse(client.received.slice(client.received.indexOf('\r\n\r\n') + 4));
      assert.equal(body.error, 'too-large');
    }
    // Chunked: no declared length, the bytes are counted; refused once past 64 KB, before the body ends.
    const client = rawClient(ctx.server.port);
    await client.connected;
    client.socket.write(`POST /v1/shows/${SHOW}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = 'b'.repeat(8 * 1024);
    for (let i = 0; i < 9 && !client.received; i++) client.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await waitFor(() => client.closed, 'the chunked upload to be cut');
    assert.match(client.received, /^HTTP\/1\.1 413 /);
  });

  test('a bad show id is a 400 naming show; an unknown path a JSON 404; a wrong method a 405 with Allow', async () => {
    const bad = await fetch(`${ctx.url}/v1/shows/bad.id!/state`);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), {field: 'show', error: 'bad-field', message: 'The show id must be 1 to 64 letters, digits, "-" or "_".'});
    const long = await fetch(`${ctx.url}/v1/shows/${'x'.repeat(65)}/events`);
    assert.equal(long.status, 400);
    await long.arrayBuffer();
    for (const path of ['/', '/v1', '/v1/shows/a/polls/p/tally', '/v1/shows/a/bids', '/v2/health']) {
      const res = await fetch(`${ctx.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('connection'), 'keep-alive', 'a refusal of a request without a body keeps the connection');
      assert.equal((await res.json()).error, 'not-found');
    }
    const wrong = await fetch(`${ctx.url}/v1/shows/${SHOW}/state`, {method: 'DELETE'});
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await wrong.json()).error, 'method-not-allowed');
  });

  test('SSE: the snapshot first, then live events, each with id: = its sequence and sentAt; resume with Last-Event-ID misses and repeats nothing', async () => {
    const show = 'sse-show';
    const auth = {...json, authorization: `Bearer ${await hostToken(show)}`};
    const events = `${ctx.url}/v1/shows/${show}/events`;
    await post(events, {type: 'show.status', status: 'live'}, auth);

    const first = await openSse(events);
    assert.equal(first.res.status, 200);
    assert.match(first.res.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(first.res.headers.get('x-accel-buffering'), 'no');
    assert.equal(first.res.headers.get('cache-control'), 'no-store');
    assert.ok(first.res.headers.get('date'));
    // The catch-up: a snapshot first, then the recent events raw (so the SDK can still time-align them).
    await waitFor(() => first.messages.some((m) => m.event.type === 'show.status'), 'the catch-up');
    assert.equal(first.messages[0].event.type, 'show.snapshot');
    const caughtUp = first.messages.length;

    for (const productId of ['a', 'b']) await post(events, {type: 'product.pin', productId}, auth);
    await waitFor(() => first.messages.length >= caughtUp + 2, 'two live events');
    const live = first.messages.slice(caughtUp);
    assert.deepEqual(live.map((m) => m.event.productId), ['a', 'b']);
    for (const {id, event} of first.messages) {
      assert.match(id, /^\d+$/);
      assert.ok(Math.abs(Date.parse(event.sentAt) - Date.now()) < 10_000, 'sentAt is the server clock at the write');
    }
    assert.ok(Number(live[0].id) < Number(live[1].id));
    const lastSeen = live[1].id;
    await first.close();

    // Missed while away: two events. The resumed stream has exactly them, then goes on live.
    for (const productId of ['c', 'd']) await post(events, {type: 'product.pin', productId}, auth);
    const resumed = await openSse(events, {'last-event-id': lastSeen});
    await waitFor(() => resumed.messages.length >= 2, 'the missed events');
    await post(events, {type: 'product.pin', productId: 'e'}, auth);
    await waitFor(() => resumed.messages.length >= 3, 'a live event after the resume');
    assert.deepEqual(resumed.messages.map((m) => m.event.productId), ['c', 'd', 'e']);
    const ids = [...live, ...resumed.messages].map((m) => Number(m.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
    await resumed.close();

    // The test-only query form of the resume gives the same.
    const viaQuery = await openSse(`${events}?lastEventId=${lastSeen}`);
    await waitFor(() => viaQuery.messages.length >= 3, 'the resume via ?lastEventId=');
    assert.deepEqual(viaQuery.messages.map((m) => m.event.productId), ['c', 'd', 'e']);
    await viaQuery.close();
  });

  test('host/events: 401 without a token, 403 for another show; the same stream for a host or moderator, without CORS', async () => {
    const url = `${ctx.url}/v1/shows/${SHOW}/host/events`;
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error, 'unauthorized');
    const other = await fetch(url, {headers: {authorization: `Bearer ${await hostToken('elsewhere')}`}});
    assert.equal(other.status, 403);
    await other.arrayBuffer();
    const stream = await openSse(url, {authorization: `Bearer ${await hostToken(SHOW, 'moderator')}`, origin: 'https://shop.example'});
    assert.equal(stream.res.status, 200);
    assert.equal(stream.res.headers.get('access-control-allow-origin'), null);
    await waitFor(() => stream.messages.length >= 1, 'the host stream snapshot');
    assert.equal(stream.messages[0].event.type, 'show.snapshot');
    await waitFor(() => stream.comments.includes('heartbeat'), 'a heartbeat comment');
    await stream.close();
  });

  test('state and timeline: JSON, readable from any origin with Date exposed', async () => {
    const show = 'state-show';
    const auth = {...json, authorization: `Bearer ${await hostToken(show)}`};
    await post(`${ctx.url}/v1/shows/${show}/events`, {type: 'product.pin', productId: 'p-9'}, auth);
    const state = await fetch(`${ctx.url}/v1/shows/${show}/state`, {headers: {origin: 'https://shop.example'}});
    assert.equal(state.status, 200);
    assert.equal(state.headers.get('access-control-allow-origin'), '*');
    assert.match(state.headers.get('access-control-expose-headers'), /\bDate\b/);
    assert.equal((await state.json()).pinned[0].productId, 'p-9');
    const timeline = await fetch(`${ctx.url}/v1/shows/${show}/timeline`);
    const events = await timeline.json();
    assert.ok(Array.isArray(events));
    assert.deepEqual(events.map((e) => e.type), ['product.pin']);
  });

  test('CORS: a preflight allows the viewer headers; the host endpoints answer no preflight', async () => {
    const pre = await fetch(`${ctx.url}/v1/shows/${SHOW}/chat`, {
      method: 'OPTIONS',
      headers: {origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-kol-viewer'},
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.equal(pre.headers.get('access-control-allow-methods'), 'POST');
    const allowed = pre.headers.get('access-control-allow-headers').toLowerCase();
    for (const header of ['content-type', 'authorization', 'x-kol-viewer', 'last-event-id']) assert.ok(allowed.includes(header), header);
    const events = await fetch(`${ctx.url}/v1/shows/${SHOW}/events`, {method: 'OPTIONS', headers: {origin: 'https://shop.example', 'access-control-request-method': 'POST'}});
    assert.equal(events.status, 204);
    assert.equal(events.headers.get('access-control-allow-methods'), 'GET', 'the host POST is not offered to other origins');
    const host = await fetch(`${ctx.url}/v1/shows/${SHOW}/host/events`, {method: 'OPTIONS', headers: {origin: 'https://shop.example'}});
    assert.equal(host.status, 405);
    assert.equal(host.headers.get('access-control-allow-origin'), null);
    await host.arrayBuffer();
  });

  test('chat: 400 without a viewer id or text (naming them), 202 {id} to the stream, 429 with Retry-After past the limit', async () => {
    const show = 'chat-show';
    const url = `${ctx.url}/v1/shows/${show}/chat`;
    const noId = await post(url, {text: 'hi'});
    assert.equal(noId.status, 400);
    assert.equal(noId.body.header, 'X-Kol-Viewer');
    const empty = await post(url, {text: '  '}, viewer('chatter-01'));
    assert.equal(empty.status, 400);
    assert.equal(empty.body.field, 'text');
    const array = await post(url, ['hi'], viewer('chatter-01'));
    assert.equal(array.status, 400);

    const stream = await openSse(`${ctx.url}/v1/shows/${show}/events`);
    const sent = await fetch(url, {method: 'POST', headers: {...viewer('chatter-01'), origin: 'https://shop.example'}, body: JSON.stringify({text: 'is #7 in blue?'})});
    assert.equal(sent.status, 202);
    assert.equal(sent.headers.get('access-control-allow-origin'), '*');
    const {id} = await sent.json();
    assert.ok(id);
    await waitFor(() => stream.messages.some((m) => m.event.type === 'chat.message'), 'the chat message on the stream');
    assert.equal(stream.messages.find((m) => m.event.type === 'chat.message').event.text, 'is #7 in blue?');
    await stream.close();

    // The limit is 3 per minute per viewer (the empty and array bodies above counted too).
    const limited = await post(url, {text: 'again'}, viewer('chatter-01'));
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(limited.body.error, 'rate-limited');
    assert.equal(limited.body.retryAfter, retryAfter);
    assert.ok(Date.parse(limited.body.retryAt) > Date.now());
    assert.equal(limited.res.headers.get('access-control-allow-origin'), null, 'no Origin, no CORS headers');
    const seen = await fetch(url, {method: 'POST', headers: {...viewer('chatter-01'), origin: 'https://shop.example'}, body: '{"text":"x"}'});
    assert.equal(seen.status, 429);
    assert.match(seen.headers.get('access-control-expose-headers'), /Retry-After/, 'a page on another origin can read Retry-After');
    await seen.arrayBuffer();
    // Another viewer is not limited by the first one.
    assert.equal((await post(url, {text: 'me too'}, viewer('chatter-02'))).status, 202);
  });

  test('reactions: 400 for an unknown kind, 202; one address under ever-new viewer ids is limited too', async () => {
    const url = `${ctx.url}/v1/shows/${SHOW}/reactions`;
    const bad = await post(url, {kind: 'explode'}, viewer('reactor-00'));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'kind');
    const statuses = [];
    for (let i = 1; i <= 8; i++) statuses.push((await post(url, {kind: 'heart'}, viewer(`reactor-${String(i).padStart(2, '0')}`))).status);
    assert.deepEqual(statuses, [202, 202, 202, 202, 202, 202, 202, 429], 'the address limit is 8 a minute');
    const limited = await post(url, {kind: 'heart'}, viewer('reactor-99'));
    assert.equal(limited.status, 429);
    assert.match(limited.body.message, /address/);
    assert.ok(Number(limited.res.headers.get('retry-after')) >= 1);
  });

  test('slowloris: trickled headers and a trickled body are cut off with a 408', async () => {
    const started = Date.now();
    const headers = rawClient(ctx.server.port);
    await headers.connected;
    headers.socket.write('GET /v1/health HTTP/1.1\r\nHost: x\r\n');
    const body = rawClient(ctx.server.port);
    await body.connected;
    body.socket.write(`POST /v1/shows/${SHOW}/chat HTTP/1.1\r\nHost: x\r\nX-Kol-Viewer: slow-viewer-1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`);
    let n = 0;
    const trickle = setInterval(() => {
      if (!headers.closed) headers.socket.write(`X-Slow-${n++}: 1\r\n`);
      if (!body.closed) body.socket.write('a');
    }, 150);
    try {
      await waitFor(() => headers.closed && body.closed, 'both slow clients to be cut', 8000);
    } finally {
      clearInterval(trickle);
    }
    assert.match(headers.received, /^HTTP\/1\.1 408 /);
    assert.match(body.received, /^HTTP\/1\.1 408 /);
    assert.ok(Date.now() - started < 8000);
  });

  test('logs: one line per request with method, path, status, ms and show, and never a token', async () => {
    const token = await hostToken();
    await post(`${ctx.url}/v1/shows/${SHOW}/events?token=${token}`, {type: 'product.unpin', productId: 'p-1'}, {...json, authorization: `Bearer ${token}`});
    const lines = await waitFor(() => {
      const parsed = ctx.lines.map((line) => JSON.parse(line)).filter((l) => l.event === 'request' && l.method === 'POST' && l.type === 'product.unpin');
      return parsed.length ? parsed : null;
    }, 'the request log line');
    assert.equal(lines[0].path, `/v1/shows/${SHOW}/events`);
    assert.equal(lines[0].status, 201);
    assert.equal(lines[0].show, SHOW);
    assert.equal(typeof lines[0].ms, 'number');
    const all = ctx.lines.join('');
    assert.ok(!all.includes(token.split('.')[2]), 'a token signature was logged');
    assert.ok(!all.includes(SECRETS.host) && !all.includes(SECRETS.viewer), 'a secret was logged');
  });
});

describe(`kolkit/server HTTP edge, narrowed and shut down${WITH}`, () => {
  test('--allow-origin narrows the viewer endpoints to its list', async () => {
    const {server, url} = await startServer({allowOrigins: ['https://shop.example']});
    try {
      const good = await fetch(`${url}/v1/shows/${SHOW}/state`, {headers: {origin: 'https://shop.example'}});
      assert.equal(good.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(good.headers.get('vary'), /Origin/);
      await good.arrayBuffer();
      const bad = await fetch(`${url}/v1/shows/${SHOW}/state`, {headers: {origin: 'https://evil.example'}});
      assert.equal(bad.status, 403);
      assert.equal((await bad.json()).error, 'origin-not-allowed');
      const pre = await fetch(`${url}/v1/shows/${SHOW}/chat`, {method: 'OPTIONS', headers: {origin: 'https://evil.example'}});
      assert.equal(pre.status, 403);
      assert.equal(pre.headers.get('access-control-allow-origin'), null);
      await pre.arrayBuffer();
      // The host's same path, from the studio's own origin, is not a CORS request and is not refused.
      const hostPost = await post(`${url}/v1/shows/${SHOW}/events`, {type: 'product.pin', productId: 'x'}, {...json, origin: url, authorization: `Bearer ${await hostToken()}`});
      assert.equal(hostPost.status, 201);
    } finally {
      await server.close();
    }
  });

  test('graceful shutdown: streams end with a last comment, new requests are refused, close resolves', async () => {
    const {server, url} = await startServer();
    const streams = await Promise.all([openSse(`${url}/v1/shows/${SHOW}/events`), openSse(`${url}/v1/shows/other/events`)]);
    await waitFor(() => streams.every((s) => s.messages.length >= 1), 'both snapshots');
    // A host event under way when the shutdown begins: half its body sent (`100 Continue` says the server
    // has taken the request).
    const body = JSON.stringify({type: 'product.pin', productId: 'in-flight'});
    const client = rawClient(server.port);
    await client.connected;
    client.socket.write(
      `POST /v1/shows/${SHOW}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${await hostToken()}\r\nExpect: 100-continue\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await waitFor(() => client.received.startsWith('HTTP/1.1 100 Continue'), 'the server to take the request');
    client.socket.write(body.slice(0, 10));
    let closedAt = 0;
    const closed = server.close().then(() => (closedAt = Date.now()));
    await waitFor(() => streams.every((s) => s.ended()), 'both streams to end');
    for (const stream of streams) assert.ok(stream.comments.some((c) => /shutting down/.test(c)), JSON.stringify(stream.comments));
    assert.equal(closedAt, 0, 'close waits for the request under way');
    client.socket.write(body.slice(10));
    await waitFor(() => client.closed, 'the in-flight request to be answered and its connection closed');
    assert.match(client.received, /\r\n\r\nHTTP\/1\.1 201 /);
    await closed;
    assert.ok(closedAt >= client.closedAt - 50);
    await assert.rejects(fetch(`${url}/v1/health`), 'the port no longer accepts');
  });

  test('Idempotency-Key across a restart (embedded): a retry after the server came back stores nothing new', async () => {
    const dataDir = await tempDir();
    const start = () => createShowServer({port: 0, host: '127.0.0.1', dataDir, secrets: SECRETS, logger: captureLogger().logger});
    const show = 'idem-restart';
    const headers = {...json, authorization: `Bearer ${await hostToken(show)}`, 'idempotency-key': 'retry-after-restart'};
    const body = {type: 'product.pin', productId: 'p-9', label: '#9'};
    let server = await start();
    let first;
    try {
      first = await post(`${server.url}/v1/shows/${show}/events`, body, headers);
      assert.equal(first.status, 201);
    } finally {
      await server.close();
    }
    server = await start();
    try {
      const again = await post(`${server.url}/v1/shows/${show}/events`, body, headers);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, first.body);
      assert.equal(again.res.headers.get('idempotent-replayed'), 'true');
      const timeline = await (await fetch(`${server.url}/v1/shows/${show}/timeline`)).json();
      assert.deepEqual(timeline.map((e) => e.id), [first.body.id]);
    } finally {
      await server.close();
    }
  });

  test('a start that fails (the port is taken) releases what it took: the data directory can be used again', async () => {
    const {server} = await startServer();
    const dataDir = await tempDir();
    try {
      await assert.rejects(createShowServer({port: server.port, host: '127.0.0.1', dataDir, secrets: SECRETS, logger: captureLogger().logger}), /EADDRINUSE/);
      const again = await createShowServer({port: 0, host: '127.0.0.1', dataDir, secrets: SECRETS, logger: captureLogger().logger});
      await again.close();
    } finally {
      await server.close();
    }
  });

  test('a viewer that does not read is cut once its waiting bytes pass the bound; presence counts open and close', async () => {
    // The real edge on a real socket, around a log this test drives: pushing megabytes through real host
    // events would take thousands of them before the kernel's loopback buffers (several MB) fill.
    let listener = null;
    let left = 0;
    let open = 0;
    const logs = {
      async join(_show, _lastEventId, onEntry) {
        listener = onEntry;
        onEntry({seq: 1, event: {v: 1, id: 'snap', type: 'show.snapshot', at: new Date().toISOString(), state: {}}});
        return () => left++;
      },
    };
    const presence = {open: () => (open++, () => open--)};
    const {logger, lines} = captureLogger();
    const edge = createHttpEdge({
      services: {bus: {mode: 'embedded', healthy: () => true}, logs, presence, reactions: {add() {}}, validateReaction, chat: {accept: async () => ({id: 'x', forwarded: true})}, verifyHost: auth.verifyHost, viewerIdentity: auth.viewerIdentity},
      secrets: SECRETS,
      node: 'edge-test',
      log: logger,
      limits: {maxBufferedBytes: 64 * 1024},
      fanOutWorkers: FAN_OUT_WORKERS,
    });
    const {port} = await edge.listen(0, '127.0.0.1');
    try {
      const client = rawClient(port);
      await client.connected;
      client.socket.write(`GET /v1/shows/${SHOW}/events HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => listener && open === 1, 'the stream to open and be counted');
      client.socket.pause(); // from now on this viewer reads nothing
      const big = 'x'.repeat(256 * 1024);
      let pushed = 0;
      await waitFor(async () => {
        if (left === 0 && pushed < 400) listener({seq: 2 + pushed++, event: {v: 1, id: `e${pushed}`, type: 'chat.message', at: new Date().toISOString(), text: big}});
        await new Promise((resolve) => setImmediate(resolve));
        return left === 1;
      }, 'the slow viewer to be cut', 20_000);
      assert.equal(open, 0, 'presence was told it closed');
      assert.equal(edge.streams().size, 0);
      assert.ok(pushed < 400, `cut after ${pushed} entries of 256 KB`);
      assert.ok(lines.some((line) => /"event":"sse-cut".*"reason":"slow"/.test(line)));
      client.socket.destroy();
    } finally {
      await edge.close();
    }
  });
});

/** The body of a chunked HTTP/1.1 response so far: its chunks, and whether the last one was seen. */
function chunksOf(received) {
  let at = received.indexOf('\r\n\r\n') + 4;
  const chunks = [];
  for (;;) {
    const eol = received.indexOf('\r\n', at);
    if (eol < 0) return {chunks, ended: false};
    const size = parseInt(received.slice(at, eol), 16);
    assert.ok(Number.isInteger(size), `a chunk size line, not ${JSON.stringify(received.slice(at, eol))}`);
    if (size === 0) return {chunks, ended: true};
    if (received.length < eol + 2 + size + 2) return {chunks, ended: false};
    chunks.push(received.slice(eol + 2, eol + 2 + size));
    assert.equal(received.slice(eol + 2 + size, eol + 4 + size), '\r\n', 'each chunk ends with CRLF');
    at = eol + 4 + size;
  }
}

test('SSE on the wire: entries sent together go out in one chunk shared by every viewer (one sentAt); HTTP/1.0 gets them unframed', async () => {
  // The edge around a log this test drives, so two entries are sure to arrive in one fan-out pass.
  const listeners = new Set();
  const logs = {
    async join(_show, _lastEventId, onEntry) {
      onEntry({seq: 1, event: {v: 1, id: 'snap', type: 'show.snapshot', at: new Date().toISOString(), state: {}}});
      listeners.add(onEntry);
      return () => listeners.delete(onEntry);
    },
  };
  const {logger} = captureLogger();
  const edge = createHttpEdge({
    services: {bus: {mode: 'embedded', healthy: () => true}, logs, presence: {open: () => () => {}}, reactions: {add() {}}, validateReaction, chat: {accept: async () => ({id: 'x', forwarded: true})}, verifyHost: auth.verifyHost, viewerIdentity: auth.viewerIdentity},
    secrets: SECRETS,
    node: 'wire-test',
    log: logger,
  });
  const {port} = await edge.listen(0, '127.0.0.1');
  const clients = [];
  try {
    for (const version of ['1.1', '1.1', '1.0']) {
      const client = rawClient(port);
      client.socket.setEncoding('latin1'); // one character per byte: chunk sizes count bytes
      clients.push(client);
      await client.connected;
      client.socket.write(`GET /v1/shows/${SHOW}/events HTTP/${version}\r\nHost: x\r\n\r\n`);
    }
    await waitFor(() => listeners.size === 3 && clients.every((c) => c.received.includes('"snap"')), 'three streams with their catch-up');
    const [a, b, old] = clients;
    assert.match(a.received, /^HTTP\/1\.1 200 [^]*transfer-encoding: chunked\r\n/i);
    assert.doesNotMatch(old.received, /transfer-encoding/i, 'an HTTP/1.0 response is not chunked');
    const before = {a: chunksOf(a.received).chunks.length, b: chunksOf(b.received).chunks.length, old: old.received.length};

    const at = new Date().toISOString();
    for (const listener of listeners) {
      listener({seq: 2, event: {v: 1, id: 'e2', type: 'product.pin', at, productId: 'p-2'}});
      listener({seq: 3, event: {v: 1, id: 'e3', type: 'chat.message', at, author: 'Host', text: 'Hi ✨'}});
    }
    await waitFor(() => clients.every((c) => c.received.includes('"e3"')), 'the two entries on every stream');
    const chunkA = chunksOf(a.received).chunks.slice(before.a);
    const chunkB = chunksOf(b.received).chunks.slice(before.b);
    assert.equal(chunkA.length, 1, 'both entries in one chunk (one write)');
    assert.deepEqual(chunkB, chunkA, 'the same bytes for both viewers');
    const messages = Buffer.from(chunkA[0], 'latin1').toString('utf8').split('\n\n').filter(Boolean);
    assert.equal(messages.length, 2);
    const parsed = messages.map((m) => ({id: /^id: (\d+)$/m.exec(m)[1], data: JSON.parse(/^data: (.*)$/m.exec(m)[1])}));
    assert.deepEqual(parsed.map((m) => [m.id, m.data.id]), [['2', 'e2'], ['3', 'e3']]);
    assert.equal(parsed[0].data.sentAt, parsed[1].data.sentAt, 'one pass, one sentAt');
    assert.ok(Math.abs(Date.parse(parsed[0].data.sentAt) - Date.now()) < 10_000);
    assert.equal(parsed[1].data.text, 'Hi ✨');
    assert.equal(old.received.slice(before.old), chunkA[0], 'HTTP/1.0: the same messages, unframed');

    await edge.close();
    await waitFor(() => clients.every((c) => c.closed), 'the streams to be closed');
    const last = chunksOf(a.received);
    assert.ok(last.ended, 'the chunked stream ends with its last chunk');
    assert.match(last.chunks.at(-1), /^: server shutting down/);
    assert.match(old.received, /: server shutting down[^]*\n\n$/);
  } finally {
    for (const client of clients) client.socket.destroy();
    await edge.close();
  }
});

test('the bus unavailable: health 503, host events 503 with Retry-After, a stream refused with 503 before any header', async () => {
  const {BusUnavailableError} = await import(join(DIST, 'bus/types.js'));
  const down = () => Promise.reject(new BusUnavailableError('disk full'));
  const {logger} = captureLogger();
  const edge = createHttpEdge({
    services: {
      bus: {mode: 'embedded', healthy: () => false},
      logs: {hostEvent: down, join: down, state: down, timeline: down, serverEvent: down},
      presence: {open: () => () => {}},
      reactions: {add() {}},
      validateReaction,
      chat: {accept: (show, body) => down()},
      verifyHost: auth.verifyHost,
      viewerIdentity: auth.viewerIdentity,
    },
    secrets: SECRETS,
    node: 'down',
    log: logger,
  });
  const {url} = await edge.listen(0, '127.0.0.1');
  try {
    const health = await fetch(`${url}/v1/health`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), {ok: false, mode: 'embedded', node: 'down', error: 'unavailable', message: 'The bus cannot take writes right now.'});
    const write = await post(`${url}/v1/shows/${SHOW}/events`, {type: 'product.pin', productId: 'p'}, {...json, authorization: `Bearer ${await hostToken()}`});
    assert.equal(write.status, 503);
    assert.equal(write.body.error, 'unavailable');
    assert.ok(Number(write.res.headers.get('retry-after')) >= 1);
    const chat = await post(`${url}/v1/shows/${SHOW}/chat`, {text: 'hi'}, viewer());
    assert.equal(chat.status, 503);
    for (const path of ['events', 'state', 'timeline']) {
      const res = await fetch(`${url}/v1/shows/${SHOW}/${path}`);
      assert.equal(res.status, 503, path);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      await res.arrayBuffer();
    }
  } finally {
    await edge.close();
  }
});

describe(`kolkit serve (the CLI, as a child process)${WITH}`, () => {
  const BIN = join(ROOT, 'bin/kolkit.mjs');

  /** Runs `kolkit …`; answers the child and its output so far. */
  function run(args, env = {}) {
    const base = {...process.env};
    delete base.KOLKIT_HOST_SECRET;
    delete base.KOLKIT_VIEWER_SECRET;
    if (FAN_OUT_WORKERS && args[0] === 'serve') args = [...args, '--fan-out-workers', String(FAN_OUT_WORKERS)];
    const child = spawn(process.execPath, [BIN, ...args], {env: {...base, KOLKIT_LOG_LEVEL: 'warn', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
    const out = {stdout: '', stderr: '', code: null, child};
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    out.exited = new Promise((resolve) => child.on('exit', (code) => resolve((out.code = code))));
    return out;
  }

  test('refuses to start in cluster mode without secrets, with short or equal secrets, or with an unknown flag (exit 2)', async () => {
    const cluster = run(['serve', '--port', '0', '--nats', 'nats://127.0.0.1:1']);
    assert.equal(await cluster.exited, 2);
    assert.match(cluster.stderr, /Cluster mode needs KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET/);
    const short = run(['serve', '--port', '0', '--data', await tempDir()], {KOLKIT_HOST_SECRET: 'short', KOLKIT_VIEWER_SECRET: 'v'.repeat(40)});
    assert.equal(await short.exited, 2);
    assert.match(short.stderr, /KOLKIT_HOST_SECRET is shorter than 32 bytes/);
    const same = run(['serve', '--port', '0', '--data', await tempDir()], {KOLKIT_HOST_SECRET: 's'.repeat(40), KOLKIT_VIEWER_SECRET: 's'.repeat(40)});
    assert.equal(await same.exited, 2);
    assert.match(same.stderr, /must differ/);
    const flag = run(['serve', '--bogus']);
    assert.equal(await flag.exited, 2);
    assert.match(flag.stderr, /Unknown option '--bogus'/);
  });

  test('--port 0 prints the address; without secrets it warns and prints a studio link whose token works; SIGTERM ends streams and exits 0', async () => {
    const server = run(['serve', '--port', '0', '--host', '127.0.0.1', '--data', await tempDir()]);
    try {
      const url = (await waitFor(() => /^kolkit listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(server.stdout), 'the address line', 15_000))[1];
      const link = (await waitFor(() => /^kolkit studio: (\S+)$/m.exec(server.stdout), 'the studio link'))[1];
      assert.match(server.stderr, /warning: KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET not set/);
      // The token rides in the fragment: a browser never sends it, so it reaches no log, proxy or Referer.
      assert.ok(link.startsWith(`${url}/studio#token=`));
      const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');

      const health = await fetch(`${url}/v1/health`);
      assert.deepEqual((await health.json()).ok, true);
      const studio = await fetch(link);
      assert.equal(studio.status, 200);
      assert.match(studio.headers.get('content-type'), /text\/html/);
      await studio.arrayBuffer();
      const posted = await post(`${url}/v1/shows/${SHOW}/events`, {type: 'product.pin', productId: 'p-1'}, {...json, authorization: `Bearer ${token}`});
      assert.equal(posted.status, 201);

      const stream = await openSse(`${url}/v1/shows/${SHOW}/events`);
      await waitFor(() => stream.messages.length >= 1, 'the snapshot from the child');
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      await waitFor(() => stream.ended(), 'the stream to end');
      assert.ok(stream.comments.some((c) => /shutting down/.test(c)));
      assert.ok(!server.stdout.includes('"level":30'), 'KOLKIT_LOG_LEVEL=warn is honoured');
    } finally {
      if (server.code === null) server.child.kill('SIGKILL');
    }
  });
});
