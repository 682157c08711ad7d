// Group buys on the show server (issue 14; src/server/engagement/groups.ts): the host's group.open shorthand, one
// membership per customer, the exact count (never more than `needed` members), the close at once when the
// group fills and at endsAt when it does not — once, whichever nodes are up. A real embedded server (temp dir,
// port 0 on 127.0.0.1) and two nodes on a 3-node NATS cluster, driven with fetch. Imports the compiled server:
// `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {jwtVerify} from 'jose';
import {waitFor} from '../servers/sse-client.mjs';
import {startNatsCluster} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'engagement/groups.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, signHostToken, signViewerToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};

let dir;
let server;
let hostToken;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kolkit-groups-'));
  const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'groups'});
  server = await createShowServer({port: 0, host: '127.0.0.1', dataDir: dir, secrets: SECRETS, node: 'groups', logger});
  hostToken = await signHostToken({role: 'host', shows: '*', ttlSeconds: 600}, SECRETS.host);
});
after(async () => {
  await server?.close();
  if (dir) await rm(dir, {recursive: true, force: true});
});

const newShow = (what) => `${what}-${randomBytes(4).toString('hex')}`;
const customer = (sub, name = sub) => signViewerToken({sub, name, ttlSeconds: 600}, SECRETS.viewer);
const customers = (prefix, n) => Promise.all(Array.from({length: n}, (_, i) => customer(`${prefix}-${i}`, `Shopper ${i}`)));

/** The API of the server at `base` (default: the embedded one), as the tests call it. */
function api(base) {
  const url = () => base ?? server.url;
  async function call(method, path, {body, headers = {}} = {}) {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: {...(body !== undefined && {'content-type': 'application/json'}), ...headers},
      ...(body !== undefined && {body: JSON.stringify(body)}),
    });
    return {status: response.status, json: await response.json()};
  }
  const as = (token) => (token ? {authorization: `Bearer ${token}`} : {'x-kol-viewer': randomBytes(12).toString('base64url')});
  return {
    call,
    host: (show, event) => call('POST', `/v1/shows/${show}/events`, {body: event, headers: {authorization: `Bearer ${hostToken}`}}),
    joinGroup: (show, groupId, token) => call('POST', `/v1/shows/${show}/groups/${groupId}/members`, {body: {}, headers: as(token)}),
    membership: (show, groupId, token) => call('GET', `/v1/shows/${show}/groups/${groupId}/membership`, {headers: as(token)}),
    state: async (show) => (await call('GET', `/v1/shows/${show}/state`)).json,
    timeline: async (show, type) => (await call('GET', `/v1/shows/${show}/timeline`)).json.filter((e) => e.type === type),
  };
}
const {call, host, joinGroup, membership, state, timeline} = api();

async function openGroup(show, fields = {}, on = host) {
  const {status, json} = await on(show, {type: 'group.open', productId: 'p-scarf', price: '20.00', needed: 3, durationSeconds: 60, ...fields});
  assert.equal(status, 201, JSON.stringify(json));
  return json;
}

describe('group buys', {timeout: 60_000}, () => {
  test('group.open by shorthand gets a groupId, endsAt from durationSeconds, joined 0 and the price as Money; bad fields are named', async () => {
    const show = newShow('group-open');
    const before = Date.now();
    const event = await openGroup(show, {durationSeconds: 120, variantId: 'v-red'});
    assert.match(event.groupId, /^group-[0-9a-f]{8}$/);
    assert.deepEqual(event.price, {amount: '20.00', currencyCode: 'EUR'});
    assert.equal(event.joined, 0);
    assert.equal(event.variantId, 'v-red');
    const endsAt = Date.parse(event.endsAt);
    assert.ok(endsAt >= before + 120_000 && endsAt <= Date.now() + 120_000, event.endsAt);
    assert.equal((await openGroup(show, {groupId: 'team-1', price: {amount: '9.50', currencyCode: 'USD'}})).price.currencyCode, 'USD');
    const refusals = [
      [{needed: 1}, 'needed'],
      [{needed: 1001}, 'needed'],
      [{durationSeconds: undefined}, 'durationSeconds'],
      [{durationSeconds: 2}, 'durationSeconds'],
      [{groupId: 'has.dot'}, 'groupId'],
      [{productId: ''}, 'productId'],
    ];
    for (const [fields, field] of refusals) {
      const {status, json} = await host(show, {type: 'group.open', productId: 'p', price: '20.00', needed: 3, durationSeconds: 30, ...fields});
      assert.equal(status, 400, JSON.stringify(fields));
      assert.equal(json.error, 'bad-field');
      assert.equal(json.field, field, json.message);
    }
    for (const type of ['group.close', 'group.update']) {
      const forged = await host(show, {type, groupId: 'team-1', joined: 3, reason: 'filled'});
      assert.equal(forged.status, 400, type);
      assert.equal(forged.json.field, 'type');
    }
  });

  test('joins: 401 anonymous, 201 a customer, 200 with the same answer for the same customer, 404 unknown; the membership', async () => {
    const show = newShow('group-join');
    const {groupId, endsAt} = await openGroup(show, {needed: 4});
    const anonymous = await joinGroup(show, groupId);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error, 'unauthorized');
    assert.equal((await membership(show, groupId)).status, 401);
    const [ann, bob] = await customers('join', 2);
    const first = await joinGroup(show, groupId, ann);
    assert.equal(first.status, 201);
    assert.deepEqual(first.json, {joined: 1, needed: 4, endsAt, member: true});
    const again = await joinGroup(show, groupId, await customer('join-0', 'Ann on another device'));
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, first.json);
    assert.deepEqual((await joinGroup(show, groupId, bob)).json, {joined: 2, needed: 4, endsAt, member: true});
    assert.deepEqual((await membership(show, groupId, ann)).json, {member: true, joined: 2, needed: 4});
    assert.deepEqual((await membership(show, groupId, await customer('join-x'))).json, {member: false, joined: 2, needed: 4});
    const unknown = await joinGroup(show, 'nope', ann);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error, 'not-found');
    assert.equal((await membership(show, 'nope', ann)).status, 404);
    // The count reaches every viewer as group.update (at most twice a second).
    await waitFor(async () => (await state(show)).group?.joined === 2, 'group.update with 2 joined', 10_000);
  });

  test('a group fills at once: exactly `needed` members of many racing, one group.close filled, later joins 410 filled', async () => {
    const show = newShow('group-fill');
    const {groupId} = await openGroup(show, {needed: 5});
    const tokens = await customers('fill', 12);
    const answers = await Promise.all(tokens.map((token) => joinGroup(show, groupId, token)));
    const members = answers.filter((a) => a.status === 201);
    assert.equal(members.length, 5, JSON.stringify(answers.map((a) => a.status)));
    assert.deepEqual(members.map((a) => a.json.joined).sort(), [1, 2, 3, 4, 5], 'each member knows its number');
    for (const refused of answers.filter((a) => a.status !== 201)) {
      assert.equal(refused.status, 410);
      assert.equal(refused.json.error, 'filled');
    }
    // Closed at once, not at endsAt (a minute away).
    const closes = await timeline(show, 'group.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({joined: closes[0].joined, reason: closes[0].reason, id: closes[0].id}, {joined: 5, reason: 'filled', id: `group-close-${show}-${groupId}`});
    const group = (await state(show)).group;
    assert.deepEqual({joined: group.joined, ended: group.ended}, {joined: 5, ended: 'filled'});
    const memberToken = tokens[answers.findIndex((a) => a.status === 201)];
    const outsider = tokens[answers.findIndex((a) => a.status === 410)];
    assert.deepEqual((await membership(show, groupId, memberToken)).json, {member: true, joined: 5, needed: 5, ended: 'filled'});
    assert.deepEqual((await membership(show, groupId, outsider)).json, {member: false, joined: 5, needed: 5, ended: 'filled'});
    // A member asking again is still a member; an outsider is still refused.
    assert.equal((await joinGroup(show, groupId, memberToken)).status, 200);
    assert.equal((await joinGroup(show, groupId, outsider)).json.error, 'filled');
    assert.equal((await joinGroup(show, groupId, await customer('fill-late'))).json.error, 'filled');
  });

  test('a group that does not fill closes by itself at endsAt as expired, once; a join after endsAt is 410 ended', async () => {
    const show = newShow('group-expire');
    const {groupId, endsAt} = await openGroup(show, {needed: 3, durationSeconds: 5});
    const [ann, bob, cy] = await customers('exp', 3);
    assert.equal((await joinGroup(show, groupId, ann)).status, 201);
    assert.equal((await joinGroup(show, groupId, bob)).status, 201);
    await waitFor(() => Date.now() >= Date.parse(endsAt), 'endsAt', 10_000);
    const late = await joinGroup(show, groupId, cy);
    assert.equal(late.status, 410);
    assert.equal(late.json.error, 'ended');
    await waitFor(async () => (await timeline(show, 'group.close')).length > 0, 'the automatic group.close', 15_000);
    const closes = await timeline(show, 'group.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({joined: closes[0].joined, reason: closes[0].reason}, {joined: 2, reason: 'expired'});
    assert.deepEqual((await membership(show, groupId, ann)).json, {member: true, joined: 2, needed: 3, ended: 'expired'});
    assert.deepEqual((await membership(show, groupId, cy)).json, {member: false, joined: 2, needed: 3, ended: 'expired'});
    assert.equal((await state(show)).group.ended, 'expired');
  });
});

describe('the group.filled hook', {timeout: 60_000}, () => {
  test('a filled group posts one signed group.filled with the members\' customer ids to the merchant\'s hook', async () => {
    const HOOK_SECRET = 'k'.repeat(40);
    const received = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({type: req.headers['content-type'], key: req.headers['idempotency-key'], body});
        res.writeHead(204).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookDir = await mkdtemp(join(tmpdir(), 'kolkit-groups-hook-'));
    const hooked = await createShowServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: hookDir,
      secrets: SECRETS,
      node: 'groups-hook',
      logger: createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'groups-hook'}),
      hooks: {url: `http://127.0.0.1:${receiver.address().port}/kolkit`, secret: HOOK_SECRET},
    });
    try {
      const on = api(hooked.url);
      const show = newShow('group-hook');
      const {groupId} = await openGroup(show, {needed: 2, variantId: 'v-red'}, on.host);
      const tokens = await customers('hook', 2);
      for (const token of tokens) assert.equal((await on.joinGroup(show, groupId, token)).status, 201);
      await waitFor(() => received.length > 0, 'the hook', 10_000);
      assert.equal(received.length, 1);
      assert.equal(received[0].type, 'application/jwt');
      assert.equal(received[0].key, `group-filled-${show}-${groupId}`);
      const {payload} = await jwtVerify(received[0].body, new TextEncoder().encode(HOOK_SECRET), {issuer: 'kolkit'});
      assert.equal(payload.type, 'group.filled');
      assert.deepEqual({show: payload.show, groupId: payload.groupId, productId: payload.productId, variantId: payload.variantId, price: payload.price}, {
        show,
        groupId,
        productId: 'p-scarf',
        variantId: 'v-red',
        price: {amount: '20.00', currencyCode: 'EUR'},
      });
      assert.deepEqual([...payload.members].sort(), ['hook-0', 'hook-1']);
    } finally {
      await hooked.close();
      receiver.close();
      await rm(hookDir, {recursive: true, force: true});
    }
  });
});

describe('on two nodes of a 3-node NATS cluster', {timeout: 120_000}, () => {
  let cluster;
  let a;
  let b;
  before(async () => {
    cluster = await startNatsCluster();
    const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'groups-cluster'});
    const nodes = await Promise.all([
      createShowServer({port: 0, host: '127.0.0.1', nats: cluster.urls, secrets: SECRETS, node: 'a', logger}),
      createShowServer({port: 0, host: '127.0.0.1', nats: [...cluster.urls].reverse(), secrets: SECRETS, node: 'b', logger}),
    ]);
    a = {server: nodes[0], ...api(nodes[0].url)};
    b = {server: nodes[1], ...api(nodes[1].url)};
  });
  after(async () => {
    await Promise.all([a?.server.close(), b?.server.close()]);
    await cluster?.stop();
  });

  test('customers joining on both nodes at once: exactly `needed` members, one group.close filled; one customer on both is one membership', async () => {
    const show = newShow('cluster-fill');
    const {groupId} = await openGroup(show, {needed: 4}, a.host);
    // One customer on both nodes at the same moment: one membership (a 201 and a 200 with the same answer).
    const twice = await customer('both-nodes', 'Dee');
    const race = await Promise.all([a.joinGroup(show, groupId, twice), b.joinGroup(show, groupId, twice)]);
    assert.deepEqual(race.map((r) => r.status).sort(), [200, 201], JSON.stringify(race));
    assert.equal(race[0].json.member && race[1].json.member, true);
    const tokens = await customers('cl', 9);
    const answers = await Promise.all(tokens.map((token, i) => (i % 2 ? a : b).joinGroup(show, groupId, token)));
    const members = answers.filter((r) => r.status === 201);
    assert.equal(members.length, 3, JSON.stringify(answers.map((r) => [r.status, r.json.error])));
    assert.deepEqual(members.map((r) => r.json.joined).sort(), [2, 3, 4]);
    assert.ok(answers.filter((r) => r.status !== 201).every((r) => r.status === 410 && r.json.error === 'filled'));
    await waitFor(async () => (await b.state(show)).group?.ended === 'filled', 'the close on B', 10_000);
    const closes = await b.timeline(show, 'group.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({joined: closes[0].joined, reason: closes[0].reason}, {joined: 4, reason: 'filled'});
    assert.deepEqual((await b.membership(show, groupId, twice)).json, {member: true, joined: 4, needed: 4, ended: 'filled'});
  });

  test('a group that does not fill closes once at endsAt with both nodes up, and nobody is a member of a filled group', async () => {
    const show = newShow('cluster-exp');
    const {groupId, endsAt} = await openGroup(show, {needed: 5, durationSeconds: 6}, b.host);
    const tokens = await customers('ce', 3);
    assert.equal((await a.joinGroup(show, groupId, tokens[0])).status, 201);
    assert.equal((await b.joinGroup(show, groupId, tokens[1])).status, 201);
    assert.equal((await a.joinGroup(show, groupId, tokens[2])).status, 201);
    // Both nodes must hold the show for both to close: A reads it here.
    assert.equal((await a.state(show)).group.groupId, groupId);
    await waitFor(async () => (await a.timeline(show, 'group.close')).length > 0, 'the automatic group.close', 30_000);
    assert.ok(Date.now() >= Date.parse(endsAt));
    await waitFor(async () => (await b.state(show)).group?.ended, 'the close on B', 10_000);
    const closes = await b.timeline(show, 'group.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({joined: closes[0].joined, reason: closes[0].reason}, {joined: 3, reason: 'expired'});
    assert.equal((await b.joinGroup(show, groupId, await customer('ce-late'))).json.error, 'ended');
  });
});
