// Viewer chat on the show server (issue 13): `#N` mentions against the show's lineup, plain text (markup stays
// text; bidi overrides and zero-width characters are stripped), moderation (blocked words 422, slow mode 429
// with Retry-After, bans 403, remove → chat.remove), the role from the identity only, the per-show forwarding
// budget, and the request ranking on the host stream only. A real embedded server (port 0, temp dir) driven
// with fetch; the cluster cases run two kolkit nodes on a real 3-node nats-server cluster
// (test/servers/nats-cluster.mjs). Imports the compiled server: `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openSse, waitFor} from '../servers/sse-client.mjs';
import {startNatsCluster} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'engagement/moderation.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, signHostToken, signViewerToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
// High enough for a test that polls a viewer's chat until a setting holds (every 20 ms for up to 15 s).
const LIMITS = {rates: {chat: {perViewer: {points: 1000, seconds: 60}, perIp: {points: 10_000, seconds: 60}}}};
const temps = [];
after(() => Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true}))));

let shows = 0;
/** A fresh show id per test: tests never share a show. */
const newShow = (name) => `${name}-${Date.now().toString(36)}-${++shows}`;

async function startServer(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-chat-'));
  temps.push(dir);
  const logger = createLogger({level: 'warn', node: 'chat-test'});
  return createShowServer({port: 0, host: '127.0.0.1', dataDir: dir, secrets: SECRETS, node: 'chat-test', logger, limits: LIMITS, ...options});
}

const hostToken = (show, role = 'host') => signHostToken({role, show, ttlSeconds: 600}, SECRETS.host);
const json = {'content-type': 'application/json'};

async function post(url, body, headers) {
  const res = await fetch(url, {method: 'POST', headers: {...json, ...headers}, body: JSON.stringify(body)});
  const text = await res.text();
  return {res, status: res.status, body: text ? JSON.parse(text) : null};
}

/** The API of one show on one server: a viewer's chat, the host's events and moderation. */
function showApi(base, show) {
  const path = `${base}/v1/shows/${show}`;
  return {
    path,
    chat: (text, viewer = 'viewer-0001', extra = {}) => post(`${path}/chat`, {text, ...extra}, {'x-kol-viewer': viewer}),
    chatAs: (text, token, extra = {}) => post(`${path}/chat`, {text, ...extra}, {authorization: `Bearer ${token}`}),
    host: async (event) => post(`${path}/events`, event, {authorization: `Bearer ${await hostToken(show)}`}),
    moderate: async (body, role = 'host') => post(`${path}/moderation`, body, {authorization: `Bearer ${await hostToken(show, role)}`}),
    settings: async () => (await fetch(`${path}/moderation`, {headers: {authorization: `Bearer ${await hostToken(show)}`}})).json(),
    state: async () => (await fetch(`${path}/state`)).json(),
    hostStream: async (headers = {}) => openSse(`${path}/host/events`, {authorization: `Bearer ${await hostToken(show)}`, ...headers}),
    viewerStream: () => openSse(`${path}/events`),
  };
}

/** Pins the lineup of the tests: #7 the cap, #3 the mug. */
async function pinLineup(api) {
  assert.equal((await api.host({type: 'product.pin', productId: 'p-cap', label: '#7'})).status, 201);
  assert.equal((await api.host({type: 'product.pin', productId: 'p-mug', label: '#3'})).status, 201);
}

const rankings = (stream) => stream.messages.filter((m) => m.event.type === 'requests.update');

describe('chat on one embedded server', () => {
  let server;
  before(async () => {
    server = await startServer({chatBudget: 0});
  });
  after(() => server.close());

  test('#N of a lineup label becomes a mention (each product once); an unknown number stays plain text', async () => {
    const api = showApi(server.url, newShow('mentions'));
    await pinLineup(api);
    const text = 'try #7 and #03, not #99 or x#7 or #12345, and #7 again';
    const sent = await api.chat(text);
    assert.equal(sent.status, 202);
    assert.equal(sent.body.forwarded, true);
    assert.equal(sent.body.id, sent.body.message.id);
    assert.deepEqual(sent.body.message.mentions, [{label: '#7', productId: 'p-cap'}, {label: '#3', productId: 'p-mug'}]);
    assert.equal(sent.body.message.text, text, 'the text is unchanged: mentions are beside it');
    const plain = await api.chat('is #99 coming?');
    assert.equal(plain.status, 202);
    assert.equal(plain.body.message.mentions, undefined);
    const chat = (await api.state()).chat;
    assert.deepEqual(chat.map((m) => [m.id, m.mentions]), [[sent.body.id, sent.body.message.mentions], [plain.body.id, undefined]]);
  });

  test('markup and javascript: links stay text; RTL overrides and zero-width characters are stripped from text and name', async () => {
    const api = showApi(server.url, newShow('plain'));
    const markup = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) <script>x</script>';
    const sent = await api.chat(markup);
    assert.equal(sent.body.message.text, markup);
    const rtl = await api.chat('invoice\u202Efdp.exe \u2066hi\u2069', 'viewer-0002', {name: 'Mi\u202Ea\u200B'});
    assert.equal(rtl.body.message.text, 'invoicefdp.exe hi');
    assert.equal(rtl.body.message.author, 'Mia');
    const zero = await api.chat('z\u200Be\u200Cr\u200Do\u2060w\uFEFFidth');
    assert.equal(zero.body.message.text, 'zerowidth');
    // A joiner between emoji is what makes them one (a family, a profession): it stays there, and only there.
    const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
    const emoji = await api.chat(`${family} \u200D\u{1F469}x\u200D`);
    assert.equal(emoji.body.message.text, `${family} \u{1F469}x`);
    const only = await api.chat('\u200B\u202E\uFEFF');
    assert.equal(only.status, 400);
    assert.equal(only.body.field, 'text');
    const chat = (await api.state()).chat.map((m) => m.text);
    assert.deepEqual(chat, [markup, 'invoicefdp.exe hi', 'zerowidth', `${family} \u{1F469}x`]);
  });

  test('blocked words: 422 blocked (not naming the word), case-insensitive whole words after NFKC and zero-width removal', async () => {
    const api = showApi(server.url, newShow('blocked'));
    const set = await api.moderate({action: 'blocked-words', words: ['Bad', 'no way']});
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.settings.blockedWords, ['bad', 'no way']);
    for (const text of ['this is b\u200Bad', 'BAD!', 'ｂａｄ deal', 'No  WAY.']) {
      const refused = await api.chat(text);
      assert.equal(refused.status, 422, text);
      assert.equal(refused.body.error, 'blocked');
      assert.equal(refused.body.reason, 'contains a blocked word');
      assert.doesNotMatch(refused.body.message, /bad/i);
    }
    for (const text of ['badge', 'no, the way']) assert.equal((await api.chat(text)).status, 202, text);
    assert.deepEqual((await api.state()).chat.map((m) => m.text), ['badge', 'no, the way']);
  });

  test('slow mode: a second message in the window is 429 slow-mode with Retry-After; other viewers still post; 0 turns it off', async () => {
    const api = showApi(server.url, newShow('slow'));
    const set = await api.moderate({action: 'slow-mode', seconds: 30});
    assert.equal(set.body.settings.slowModeSeconds, 30);
    assert.equal((await api.chat('first', 'slow-viewer-1')).status, 202);
    const second = await api.chat('second', 'slow-viewer-1');
    assert.equal(second.status, 429);
    assert.equal(second.body.error, 'slow-mode');
    const retry = Number(second.res.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 30, `Retry-After ${retry}`);
    assert.equal(second.body.retryAfter, retry);
    assert.equal((await api.chat('me too', 'slow-viewer-2')).status, 202);
    assert.equal((await api.moderate({action: 'slow-mode', seconds: 0})).body.settings.slowModeSeconds, 0);
    assert.equal((await api.chat('free again', 'slow-viewer-1')).status, 202);
    for (const seconds of [-1, 3601, 1.5, '10']) assert.equal((await api.moderate({action: 'slow-mode', seconds})).status, 400);
  });

  test('ban by messageId: that sender gets 403 banned, others post; the settings list a ref and name, never the viewer id; unban', async () => {
    const api = showApi(server.url, newShow('ban'));
    const sent = await api.chat('spam spam', 'spammer-0001', {name: 'Spammy'});
    const banned = await api.moderate({action: 'ban', messageId: sent.body.id}, 'moderator');
    assert.equal(banned.status, 200);
    const [entry] = banned.body.settings.banned;
    assert.equal(entry.name, 'Spammy');
    assert.match(entry.viewer, /^ref:[0-9a-f]{24}$/);
    assert.doesNotMatch(JSON.stringify(banned.body), /spammer-0001/);
    const refused = await api.chat('more spam', 'spammer-0001');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'banned');
    assert.ok(refused.body.reason);
    assert.equal((await api.chat('hello', 'nice-viewer-1')).status, 202);
    // A customer is banned by name too (the host knows their customers), and so is an unknown message refused.
    const customer = await signViewerToken({sub: 'c-42', name: 'Ana', ttlSeconds: 60}, SECRETS.viewer);
    await api.moderate({action: 'ban', viewer: 'customer:c-42'});
    assert.equal((await api.chatAs('hi', customer)).status, 403);
    assert.equal((await api.moderate({action: 'ban', messageId: 'no-such-message'})).status, 404);
    assert.equal((await api.moderate({action: 'ban', viewer: 'spammer-0001'})).status, 400);
    const unbanned = await api.moderate({action: 'unban', viewer: entry.viewer});
    assert.equal(unbanned.body.settings.banned.length, 1);
    assert.equal((await api.chat('sorry', 'spammer-0001')).status, 202);
    assert.deepEqual(await api.settings(), {settings: unbanned.body.settings});
  });

  test('remove: chat.remove on the stream, and the message is gone from /state', async () => {
    const api = showApi(server.url, newShow('remove'));
    const stream = await api.viewerStream();
    try {
      const keep = await api.chat('keep me');
      const drop = await api.chat('remove me');
      assert.equal((await api.moderate({action: 'remove', messageId: drop.body.id})).status, 200);
      await waitFor(() => stream.messages.some((m) => m.event.type === 'chat.remove'), 'chat.remove on the stream');
      assert.equal(stream.messages.find((m) => m.event.type === 'chat.remove').event.messageId, drop.body.id);
      assert.deepEqual((await api.state()).chat.map((m) => m.id), [keep.body.id]);
      // Removing twice stores one chat.remove.
      await api.moderate({action: 'remove', messageId: drop.body.id});
      const timeline = await (await fetch(`${api.path}/timeline`)).json();
      assert.equal(timeline.filter((e) => e.type === 'chat.remove').length, 1);
    } finally {
      await stream.close();
    }
  });

  test('a viewer cannot post as host or moderate: the role comes from the identity only', async () => {
    const show = newShow('roles');
    const api = showApi(server.url, show);
    const sent = await api.chat('I am the host', 'viewer-0009', {role: 'host', author: 'Host'});
    assert.equal(sent.body.message.role, 'viewer');
    assert.equal(sent.body.message.author, 'Viewer');
    const customer = await signViewerToken({sub: 'c-1', name: 'Ana', ttlSeconds: 60}, SECRETS.viewer);
    assert.equal((await api.chatAs('hi', customer, {role: 'moderator'})).body.message.role, 'customer');
    // A viewer token is no host token: neither host events nor moderation.
    assert.equal((await post(`${api.path}/events`, {type: 'chat.message', author: 'Host', text: 'x', role: 'host'}, {authorization: `Bearer ${customer}`})).status, 401);
    assert.equal((await post(`${api.path}/moderation`, {action: 'slow-mode', seconds: 5}, {authorization: `Bearer ${customer}`})).status, 401);
    assert.equal((await post(`${api.path}/moderation`, {action: 'slow-mode', seconds: 5}, {'x-kol-viewer': 'viewer-0009'})).status, 401);
    // A moderator moderates and chats, always with the moderator's badge, but posts no other host event.
    const moderator = await hostToken(show, 'moderator');
    const said = await post(`${api.path}/events`, {type: 'chat.message', author: 'Mod', text: 'x', role: 'host'}, {authorization: `Bearer ${moderator}`});
    assert.equal(said.status, 201);
    assert.equal(said.body.role, 'moderator');
    assert.equal((await post(`${api.path}/events`, {type: 'product.pin', productId: 'p1'}, {authorization: `Bearer ${moderator}`})).status, 403);
    assert.equal((await api.moderate({action: 'nope'}, 'moderator')).status, 400);
    assert.deepEqual((await api.state()).chat.map((m) => m.role), ['viewer', 'customer', 'moderator']);
  });

  test('the ranking: the host stream gets requests.update at once and on change; viewers never; its id keeps the log sequence', async () => {
    const api = showApi(server.url, newShow('ranking'));
    await pinLineup(api);
    const host = await api.hostStream();
    const viewer = await api.viewerStream();
    try {
      await waitFor(() => rankings(host).length >= 1, 'the ranking at once on connect');
      assert.deepEqual(rankings(host)[0].event.top, []);
      for (const [i, text] of ['#7 please', 'show #7', '#7 #3', '#3 in red?', '#7!!'].entries()) {
        assert.equal((await api.chat(text, `ranker-000${i}`)).status, 202);
      }
      const top = await waitFor(() => rankings(host).map((m) => m.event.top).find((t) => t[0]?.count === 4 && t[1]?.count === 2), 'the ranking of 4 × #7 and 2 × #3');
      assert.deepEqual(top, [{label: '#7', productId: 'p-cap', count: 4}, {label: '#3', productId: 'p-mug', count: 2}]);
      // A host-only event goes out with the id of the last log entry the stream sent: no id beyond the log.
      const logIds = host.messages.filter((m) => m.event.type !== 'requests.update').map((m) => Number(m.id));
      for (const ranking of rankings(host)) assert.ok(logIds.includes(Number(ranking.id)) || Number(ranking.id) === 0, `ranking id ${ranking.id}`);
      await waitFor(() => viewer.messages.filter((m) => m.event.type === 'chat.message').length === 5, 'the viewer has the chat');
      assert.equal(viewer.messages.filter((m) => m.event.type === 'requests.update').length, 0);
      // Resuming from a ranking's id repeats no log entry.
      const last = rankings(host).at(-1);
      const resumed = await api.hostStream({'last-event-id': last.id});
      try {
        await waitFor(() => rankings(resumed).length >= 1, 'the ranking again on reconnect');
        assert.deepEqual(resumed.messages.filter((m) => m.event.type !== 'requests.update' && Number(m.id) <= Number(last.id)), []);
      } finally {
        await resumed.close();
      }
    } finally {
      await host.close();
      await viewer.close();
    }
  });
});

describe('the forwarding budget', () => {
  let server;
  before(async () => {
    server = await startServer({chatBudget: 10});
  });
  after(() => server.close());

  test('a burst over the budget forwards at most the budget per second, prefers customers and mentions, answers every sender, counts every mention', async () => {
    const api = showApi(server.url, newShow('budget'));
    await pinLineup(api);
    const host = await api.hostStream();
    try {
      const customer = await signViewerToken({sub: 'c-budget', name: 'Ana', ttlSeconds: 60}, SECRETS.viewer);
      const sends = [];
      for (let i = 0; i < 40; i++) {
        sends.push(['plain', () => api.chat(`plain ${i}`, `plain-viewer-${String(i).padStart(3, '0')}`)]);
        if (i % 4 === 0) sends.push(['mention', () => api.chat(`#7 please (${i})`, `mention-viewer-${String(i).padStart(3, '0')}`)]);
        if (i % 8 === 0) sends.push(['customer', () => api.chatAs(`customer ${i}`, customer)]);
      }
      const started = Date.now();
      const answers = await Promise.all(sends.map(([kind, send]) => send().then((answer) => ({kind, ...answer}))));
      const seconds = Math.floor(Date.now() / 1000) - Math.floor(started / 1000) + 1;
      assert.ok(answers.every((a) => a.status === 202), 'every sender is answered 202');
      const forwarded = (kind) => answers.filter((a) => a.kind === kind && a.body.forwarded).length;
      const sent = (kind) => answers.filter((a) => a.kind === kind).length;
      const total = forwarded('plain') + forwarded('mention') + forwarded('customer');
      assert.ok(total <= 10 * seconds, `${total} forwarded in ${seconds} s`);
      assert.ok(forwarded('plain') <= 5 * seconds, `${forwarded('plain')} plain forwarded in ${seconds} s`);
      const priority = (forwarded('mention') + forwarded('customer')) / (sent('mention') + sent('customer'));
      assert.ok(priority > forwarded('plain') / sent('plain'), `priority ${priority} vs plain ${forwarded('plain') / sent('plain')}`);
      // A message not forwarded is answered with itself, and is not in the show.
      const dropped = answers.find((a) => !a.body.forwarded);
      assert.ok(dropped.body.message.text && dropped.body.message.id === dropped.body.id && dropped.body.message.at);
      const chat = (await api.state()).chat;
      assert.equal(chat.length, total);
      assert.ok(!chat.some((m) => m.id === dropped.body.id));
      // Every mention counts, forwarded or not.
      await waitFor(() => rankings(host).some((m) => m.event.top[0]?.count === sent('mention')), `the ranking counting all ${sent('mention')} mentions`);
    } finally {
      await host.close();
    }
  });
});

describe('chat on two kolkit nodes of a 3-node NATS cluster', {timeout: 120_000}, () => {
  let cluster;
  let a;
  let b;
  before(async () => {
    cluster = await startNatsCluster();
    const logger = createLogger({level: 'warn', node: 'chat-cluster'});
    [a, b] = await Promise.all([
      createShowServer({port: 0, host: '127.0.0.1', nats: cluster.urls, secrets: SECRETS, node: 'a', logger, limits: LIMITS}),
      createShowServer({port: 0, host: '127.0.0.1', nats: [...cluster.urls].reverse(), secrets: SECRETS, node: 'b', logger, limits: LIMITS}),
    ]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
  });

  test('a ban by a message B took, set on A, holds on B; slow mode set on A is exact across A and B', async () => {
    const show = newShow('cluster-mod');
    const onA = showApi(a.url, show);
    const onB = showApi(b.url, show);
    const sent = await onB.chat('spam from b', 'spammer-b-001');
    assert.equal(sent.status, 202);
    assert.equal((await onA.moderate({action: 'ban', messageId: sent.body.id})).status, 200);
    await waitFor(async () => (await onB.chat('again', 'spammer-b-001')).status === 403, 'the ban on node B', 15_000);
    assert.equal((await onA.chat('and here', 'spammer-b-001')).status, 403);

    await onA.moderate({action: 'slow-mode', seconds: 60});
    // Once B holds it (its first refusal), each viewer gets exactly one message per window across both nodes.
    let probes = 0;
    await waitFor(async () => {
      const probe = `slow-probe-${String(++probes).padStart(3, '0')}`;
      return (await onB.chat('probe', probe)).status === 202 && (await onB.chat('probe', probe)).status === 429;
    }, 'slow mode on node B', 15_000);
    const racing = await Promise.all([onA, onB, onA, onB, onA, onB].map((api, i) => api.chat(`race ${i}`, 'slow-racer-01')));
    assert.equal(racing.filter((r) => r.status === 202).length, 1, JSON.stringify(racing.map((r) => r.status)));
    assert.ok(racing.filter((r) => r.status === 429).every((r) => r.body.error === 'slow-mode' && Number(r.res.headers.get('retry-after')) >= 1));
  });

  test('a mention on A and one on B count in one ranking, on either node’s host stream', async () => {
    const show = newShow('cluster-rank');
    const onA = showApi(a.url, show);
    const onB = showApi(b.url, show);
    await pinLineup(onA);
    const hostOnA = await onA.hostStream();
    const hostOnB = await onB.hostStream();
    try {
      // B's view has the lineup once it follows the pin.
      await waitFor(async () => (await onB.state()).lineup.length === 2, 'the lineup on node B', 15_000);
      assert.deepEqual((await onA.chat('#7 from a', 'ranker-a-0001')).body.message.mentions, [{label: '#7', productId: 'p-cap'}]);
      assert.deepEqual((await onB.chat('#7 from b', 'ranker-b-0001')).body.message.mentions, [{label: '#7', productId: 'p-cap'}]);
      for (const stream of [hostOnA, hostOnB]) {
        await waitFor(() => rankings(stream).some((m) => m.event.top[0]?.count === 2), 'both mentions in one ranking', 15_000);
      }
    } finally {
      await hostOnA.close();
      await hostOnB.close();
    }
  });
});
