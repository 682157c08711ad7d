// Polls and giveaways on the show server (issue 13; src/server/engagement/polls.ts, giveaways.ts): the host's
// shorthands, votes counted once per viewer, closing by the host and by itself at endsAt with the final
// counts, giveaway entries once per customer, the draw once and uniform among the entries. A real embedded
// server (temp dir, port 0 on 127.0.0.1) driven with fetch. Imports the compiled server:
// `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {waitFor} from '../servers/sse-client.mjs';
import {startNatsCluster} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'engagement/polls.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, signHostToken, signViewerToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
const RULES = 'No purchase necessary. One entry per customer; the winner is drawn at random.';
/** Room for the many entries of the uniformity test (the defaults allow 10 per 10 s per viewer). */
const LIMITS = {rates: {entries: {perViewer: {points: 10_000, seconds: 60}, perIp: {points: 100_000, seconds: 60}}}};

let dir;
let server;
let hostToken;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kolkit-polls-'));
  const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'polls'});
  server = await createShowServer({port: 0, host: '127.0.0.1', dataDir: dir, secrets: SECRETS, node: 'polls', logger, limits: LIMITS});
  hostToken = await signHostToken({role: 'host', shows: '*', ttlSeconds: 600}, SECRETS.host);
});
after(async () => {
  await server?.close();
  if (dir) await rm(dir, {recursive: true, force: true});
});

const newShow = (what) => `${what}-${randomBytes(4).toString('hex')}`;
const viewer = () => randomBytes(12).toString('base64url');
const customer = (sub, name = sub) => signViewerToken({sub, name, ttlSeconds: 600}, SECRETS.viewer);

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
  return {
    call,
    host: (show, event) => call('POST', `/v1/shows/${show}/events`, {body: event, headers: {authorization: `Bearer ${hostToken}`}}),
    vote: (show, pollId, option, id = viewer()) => call('POST', `/v1/shows/${show}/polls/${pollId}/votes`, {body: {option}, headers: {'x-kol-viewer': id}}),
    enter: (show, giveawayId, token) =>
      call('POST', `/v1/shows/${show}/giveaways/${giveawayId}/entries`, {body: {}, headers: token ? {authorization: `Bearer ${token}`} : {'x-kol-viewer': viewer()}}),
    draw: (show, giveawayId) => call('POST', `/v1/shows/${show}/giveaways/${giveawayId}/draw`, {headers: {authorization: `Bearer ${hostToken}`}}),
    timeline: async (show, type) => (await call('GET', `/v1/shows/${show}/timeline`)).json.filter((e) => e.type === type),
  };
}
const {call, host, vote, enter, draw, timeline} = api();

async function openPoll(show, fields = {}, on = host) {
  const {status, json} = await on(show, {type: 'poll.open', question: 'Which colour?', options: ['Red', 'Blue', 'Green'], durationSeconds: 60, ...fields});
  assert.equal(status, 201, JSON.stringify(json));
  return json;
}
async function openGiveaway(show, fields = {}, on = host) {
  const {status, json} = await on(show, {type: 'giveaway.open', prize: 'A scarf', durationSeconds: 60, ...fields});
  assert.equal(status, 201, JSON.stringify(json));
  return json;
}

describe('polls', {timeout: 60_000}, () => {
  test('poll.open by shorthand gets a pollId, endsAt from durationSeconds and zero counts; bad fields are named', async () => {
    const show = newShow('poll-open');
    const before = Date.now();
    const event = await openPoll(show, {durationSeconds: 30});
    assert.match(event.pollId, /^poll-[0-9a-f]{8}$/);
    const endsAt = Date.parse(event.endsAt);
    assert.ok(endsAt >= before + 30_000 && endsAt <= Date.now() + 30_000, event.endsAt);
    assert.deepEqual(event.counts, [0, 0, 0]);
    assert.equal((await openPoll(show, {pollId: 'colour-1'})).pollId, 'colour-1');
    const refusals = [
      [{options: ['Only one']}, 'options'],
      [{options: ['a', 'b', 'c', 'd', 'e']}, 'options'],
      [{durationSeconds: 2}, 'durationSeconds'],
      [{durationSeconds: 7200}, 'durationSeconds'],
      [{pollId: 'has.dot'}, 'pollId'],
      [{question: ''}, 'question'],
    ];
    for (const [fields, field] of refusals) {
      const {status, json} = await host(show, {type: 'poll.open', question: 'Q?', options: ['a', 'b'], durationSeconds: 30, ...fields});
      assert.equal(status, 400, JSON.stringify(fields));
      assert.equal(json.error, 'bad-field');
      assert.equal(json.field, field, json.message);
    }
    const close = await host(show, {type: 'poll.close', pollId: 'no-such-poll'});
    assert.equal(close.status, 404);
    assert.equal(close.json.error, 'not-found');
    assert.equal((await host(show, {type: 'poll.close'})).json.field, 'pollId');
  });

  test('votes are counted once per viewer into poll.update; 409 twice, 400 a bad option, 404 an unknown poll', async () => {
    const show = newShow('poll-votes');
    const {pollId} = await openPoll(show);
    const alice = viewer();
    const answers = await Promise.all([vote(show, pollId, 0, alice), vote(show, pollId, 1), vote(show, pollId, 1), vote(show, pollId, 2)]);
    assert.deepEqual(answers.map((a) => a.status), [202, 202, 202, 202]);
    assert.deepEqual(answers[0].json, {accepted: true});
    const again = await vote(show, pollId, 2, alice);
    assert.equal(again.status, 409);
    assert.equal(again.json.error, 'already-voted');
    for (const option of [3, -1, 1.5, '1', null]) {
      const bad = await vote(show, pollId, option);
      assert.equal(bad.status, 400, String(option));
      assert.equal(bad.json.field, 'option');
    }
    assert.equal((await vote(show, 'nope', 0)).status, 404);
    assert.equal((await vote(show, 'bad.id', 0)).status, 404);
    await waitFor(async () => (await call('GET', `/v1/shows/${show}/state`)).json.poll?.counts.join() === '1,2,1', 'the counts in the state', 10_000);
    const updates = await timeline(show, 'poll.update');
    assert.ok(updates.length >= 1);
    assert.deepEqual(updates.at(-1).counts, [1, 2, 1]);
  });

  test('the host closes a poll with the final counts; votes after it are 410, and a second close is 410', async () => {
    const show = newShow('poll-close');
    const {pollId} = await openPoll(show);
    await vote(show, pollId, 2);
    await vote(show, pollId, 2);
    // Not waiting for an update: the close itself collects every node's counts.
    const closed = await host(show, {type: 'poll.close', pollId});
    assert.equal(closed.status, 201, JSON.stringify(closed.json));
    assert.equal(closed.json.type, 'poll.close');
    assert.deepEqual(closed.json.counts, [0, 0, 2]);
    const late = await vote(show, pollId, 0);
    assert.equal(late.status, 410);
    assert.equal(late.json.error, 'closed');
    assert.equal((await host(show, {type: 'poll.close', pollId})).status, 410);
    const state = (await call('GET', `/v1/shows/${show}/state`)).json;
    assert.equal(state.poll.closed, true);
    assert.equal((await timeline(show, 'poll.close')).length, 1);
  });

  test('a poll closes by itself at endsAt, once, with the final counts; a vote after endsAt is 410', async () => {
    const show = newShow('poll-auto');
    const {pollId, endsAt} = await openPoll(show, {durationSeconds: 5});
    assert.equal((await vote(show, pollId, 0)).status, 202);
    assert.equal((await vote(show, pollId, 1)).status, 202);
    assert.equal((await vote(show, pollId, 1)).status, 202);
    await waitFor(() => Date.now() >= Date.parse(endsAt), 'endsAt', 10_000);
    const late = await vote(show, pollId, 0);
    assert.equal(late.status, 410);
    await waitFor(async () => (await timeline(show, 'poll.close')).length > 0, 'the automatic poll.close', 15_000);
    const closes = await timeline(show, 'poll.close');
    assert.equal(closes.length, 1);
    assert.deepEqual(closes[0].counts, [1, 2, 0]);
    assert.equal(closes[0].id, `poll-close-${show}-${pollId}`);
  });
});

describe('a restart of the embedded server', {timeout: 60_000}, () => {
  test('keeps who voted and the counts: the same viewer is still 409 after it, and the next vote counts on from where it was', async () => {
    const restartDir = await mkdtemp(join(tmpdir(), 'kolkit-polls-restart-'));
    const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'restart'});
    const start = () => createShowServer({port: 0, host: '127.0.0.1', dataDir: restartDir, secrets: SECRETS, node: 'restart', logger});
    let first = await start();
    try {
      const on = api(first.url);
      const show = newShow('restart');
      const {pollId} = await openPoll(show, {durationSeconds: 300}, on.host);
      const ana = viewer();
      assert.equal((await on.vote(show, pollId, 0, ana)).status, 202);
      assert.equal((await on.vote(show, pollId, 0)).status, 202);
      await waitFor(async () => (await on.timeline(show, 'poll.update')).some((u) => u.counts[0] === 2), 'the two votes were never counted', 10_000);
      await first.close();
      first = await start();
      const again = api(first.url);
      assert.equal((await again.vote(show, pollId, 1, ana)).status, 409, 'one vote per viewer across a restart');
      assert.equal((await again.vote(show, pollId, 1)).status, 202);
      await waitFor(async () => (await again.timeline(show, 'poll.update')).some((u) => u.counts[0] === 2 && u.counts[1] === 1),
        'the count after the restart did not go on from the counts before it', 10_000);
    } finally {
      await first.close();
      await rm(restartDir, {recursive: true, force: true});
    }
  });
});

describe('giveaways', {timeout: 120_000}, () => {
  test('giveaway.open by shorthand gets an id, endsAt and the default rules; a host may not post giveaway.winner', async () => {
    const show = newShow('give-open');
    const event = await openGiveaway(show, {durationSeconds: 20});
    assert.match(event.giveawayId, /^giveaway-[0-9a-f]{8}$/);
    assert.equal(event.rules, RULES);
    assert.ok(Date.parse(event.endsAt) > Date.now() + 15_000);
    assert.equal((await openGiveaway(show, {rules: 'Adults only.'})).rules, 'Adults only.');
    const bad = await host(show, {type: 'giveaway.open', prize: 'x', durationSeconds: 0});
    assert.equal(bad.json.field, 'durationSeconds');
    const forged = await host(show, {type: 'giveaway.winner', giveawayId: event.giveawayId, winner: 'Me', entries: 1});
    assert.equal(forged.status, 400);
    assert.equal(forged.json.field, 'type');
  });

  test('entries: 401 anonymous, 201 a customer, 409 the same customer again, 404 unknown, 410 after the draw', async () => {
    const show = newShow('give-entries');
    const {giveawayId} = await openGiveaway(show);
    const anonymous = await enter(show, giveawayId);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error, 'unauthorized');
    const ann = await customer('cust-ann', 'Ann');
    const first = await enter(show, giveawayId, ann);
    assert.equal(first.status, 201);
    assert.deepEqual(first.json, {entered: true});
    const again = await enter(show, giveawayId, await customer('cust-ann', 'Ann again'));
    assert.equal(again.status, 409);
    assert.equal(again.json.error, 'already-entered');
    assert.equal((await enter(show, 'nope', ann)).status, 404);
    const report = await call('GET', `/v1/shows/${show}/giveaways/${giveawayId}`, {headers: {authorization: `Bearer ${hostToken}`}});
    assert.equal(report.status, 200);
    assert.equal(report.json.entries, 1);
    assert.equal(report.json.drawn, false);
    const drawn = await draw(show, giveawayId);
    assert.equal(drawn.status, 200);
    assert.deepEqual(drawn.json, {winner: {id: 'cust-ann', name: 'Ann'}, entries: 1});
    const late = await enter(show, giveawayId, await customer('cust-bob', 'Bob'));
    assert.equal(late.status, 410);
    assert.equal(late.json.error, 'closed');
  });

  test('the draw happens once: a second draw answers the same winner; the event carries the display name only', async () => {
    const show = newShow('give-once');
    const {giveawayId} = await openGiveaway(show);
    // Customer ids no hex id (the giveaway's, the event's) can contain by chance.
    for (const [sub, name] of [['cust-ann', 'Ann'], ['cust-bob', 'Bob'], ['cust-cy', 'Cy']]) assert.equal((await enter(show, giveawayId, await customer(sub, name))).status, 201);
    const draws = await Promise.all([draw(show, giveawayId), draw(show, giveawayId), draw(show, giveawayId)]);
    assert.ok(draws.every((d) => d.status === 200));
    assert.equal(new Set(draws.map((d) => JSON.stringify(d.json))).size, 1, 'concurrent draws disagreed');
    const {winner, entries} = draws[0].json;
    assert.equal(entries, 3);
    assert.ok(['cust-ann', 'cust-bob', 'cust-cy'].includes(winner.id));
    assert.deepEqual((await draw(show, giveawayId)).json, draws[0].json);
    const events = await timeline(show, 'giveaway.winner');
    assert.equal(events.length, 1);
    assert.deepEqual({winner: events[0].winner, entries: events[0].entries}, {winner: winner.name, entries: 3});
    assert.ok(!JSON.stringify(events[0]).includes(winner.id), 'the customer id is in the viewers\' log');
    const report = await call('GET', `/v1/shows/${show}/giveaways/${giveawayId}`, {headers: {authorization: `Bearer ${hostToken}`}});
    assert.deepEqual(report.json.winner, winner);
    // Only a host: no token is 401, and the viewer endpoints' CORS does not extend to the draw.
    assert.equal((await call('POST', `/v1/shows/${show}/giveaways/${giveawayId}/draw`)).status, 401);
  });

  test('a giveaway nobody entered draws no winner', async () => {
    const show = newShow('give-empty');
    const {giveawayId} = await openGiveaway(show);
    assert.deepEqual((await draw(show, giveawayId)).json, {winner: null, entries: 0});
    assert.equal((await timeline(show, 'giveaway.winner'))[0].winner, null);
  });

  test('the draw is uniform among the entries (chi-square over 120 draws of 3 entrants)', async () => {
    const show = newShow('give-uniform');
    const tokens = await Promise.all(['u1', 'u2', 'u3'].map((sub) => customer(sub)));
    const wins = {u1: 0, u2: 0, u3: 0};
    const DRAWS = 120;
    for (let i = 0; i < DRAWS; i++) {
      const {giveawayId} = await openGiveaway(show, {giveawayId: `g${i}`});
      await Promise.all(tokens.map((token) => enter(show, giveawayId, token)));
      wins[(await draw(show, giveawayId)).json.winner.id]++;
    }
    const expected = DRAWS / 3;
    const chi2 = Object.values(wins).reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 2 degrees of freedom: P(chi2 > 13.8) = 0.001 for a fair draw.
    assert.ok(chi2 < 13.8, `wins ${JSON.stringify(wins)} (chi2 ${chi2.toFixed(1)})`);
    assert.ok(Object.values(wins).every((n) => n > 0), 'an entrant never won');
  });

  test('a giveaway is drawn by itself at endsAt, once', async () => {
    const show = newShow('give-auto');
    const {giveawayId, endsAt} = await openGiveaway(show, {durationSeconds: 5});
    assert.equal((await enter(show, giveawayId, await customer('auto-1', 'Dee'))).status, 201);
    await waitFor(async () => (await timeline(show, 'giveaway.winner')).length > 0, 'the automatic draw', 15_000);
    assert.ok(Date.now() >= Date.parse(endsAt));
    const winners = await timeline(show, 'giveaway.winner');
    assert.equal(winners.length, 1);
    assert.equal(winners[0].winner, 'Dee');
    assert.deepEqual((await draw(show, giveawayId)).json, {winner: {id: 'auto-1', name: 'Dee'}, entries: 1});
    assert.equal((await enter(show, giveawayId, await customer('auto-2'))).status, 410);
  });
});

describe('on two nodes of a 3-node NATS cluster', {timeout: 120_000}, () => {
  let cluster;
  let a;
  let b;
  before(async () => {
    cluster = await startNatsCluster();
    const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'polls-cluster'});
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

  test('votes on either node are counted once; the same viewer on the other node is 409; the poll closes once at endsAt', async () => {
    const show = newShow('cluster-poll');
    const {pollId, endsAt} = await openPoll(show, {durationSeconds: 8}, a.host);
    const alice = viewer();
    // B has not read this show before: it finds the poll in the log, not only in what it followed.
    assert.equal((await b.vote(show, pollId, 1, alice)).status, 202);
    assert.equal((await a.vote(show, pollId, 0)).status, 202);
    const twice = await a.vote(show, pollId, 0, alice);
    assert.equal(twice.status, 409);
    assert.equal(twice.json.error, 'already-voted');
    const racing = viewer();
    const race = await Promise.all([a.vote(show, pollId, 2, racing), b.vote(show, pollId, 2, racing)]);
    assert.deepEqual(race.map((r) => r.status).sort(), [202, 409], 'one viewer voting on both nodes at once');
    await waitFor(async () => (await a.call('GET', `/v1/shows/${show}/state`)).json.poll?.counts.join() === '1,1,1', 'the summed counts on A', 20_000);
    await waitFor(async () => (await b.call('GET', `/v1/shows/${show}/state`)).json.poll?.counts.join() === '1,1,1', 'the summed counts on B', 20_000);
    await waitFor(async () => (await a.timeline(show, 'poll.close')).length > 0, 'the automatic poll.close', 30_000);
    assert.ok(Date.now() >= Date.parse(endsAt));
    assert.equal((await b.vote(show, pollId, 0)).status, 410);
    // Both nodes held the show and both ran the close: the log has one.
    await waitFor(async () => (await b.call('GET', `/v1/shows/${show}/state`)).json.poll?.closed, 'the close on B', 10_000);
    const closes = await b.timeline(show, 'poll.close');
    assert.equal(closes.length, 1);
    assert.deepEqual(closes[0].counts, [1, 1, 1]);
  });

  test('a customer entering on A then B is one entry; the giveaway is drawn once at endsAt with both nodes up', async () => {
    const show = newShow('cluster-give');
    const {giveawayId} = await openGiveaway(show, {durationSeconds: 6}, b.host);
    const ann = await customer('c-ann', 'Ann');
    assert.equal((await a.enter(show, giveawayId, ann)).status, 201);
    const again = await b.enter(show, giveawayId, ann);
    assert.equal(again.status, 409);
    assert.equal(again.json.error, 'already-entered');
    assert.equal((await b.enter(show, giveawayId, await customer('c-bob', 'Bob'))).status, 201);
    // Both nodes must hold the show for both to draw: A reads it here.
    assert.equal((await a.call('GET', `/v1/shows/${show}/state`)).json.giveaway.giveawayId, giveawayId);
    await waitFor(async () => (await a.timeline(show, 'giveaway.winner')).length > 0, 'the automatic draw', 30_000);
    const winners = await b.timeline(show, 'giveaway.winner');
    assert.equal(winners.length, 1);
    assert.equal(winners[0].entries, 2);
    assert.ok(['Ann', 'Bob'].includes(winners[0].winner));
    const [fromA, fromB] = await Promise.all([a.draw(show, giveawayId), b.draw(show, giveawayId)]);
    assert.deepEqual(fromA.json, fromB.json);
    assert.equal(fromA.json.winner.name, winners[0].winner);
    assert.equal((await a.timeline(show, 'giveaway.winner')).length, 1);
  });

  test('a draw on both nodes at once answers one winner and logs one giveaway.winner', async () => {
    const show = newShow('cluster-draw');
    const {giveawayId} = await openGiveaway(show, {}, a.host);
    for (const [i, name] of ['Ann', 'Bob', 'Cy', 'Dee'].entries()) {
      assert.equal((await (i % 2 ? a : b).enter(show, giveawayId, await customer(`d-${i}`, name))).status, 201);
    }
    const draws = await Promise.all([a.draw(show, giveawayId), b.draw(show, giveawayId), a.draw(show, giveawayId), b.draw(show, giveawayId)]);
    assert.equal(new Set(draws.map((d) => JSON.stringify(d.json))).size, 1, 'the draws disagreed');
    assert.equal(draws[0].json.entries, 4);
    assert.equal((await a.timeline(show, 'giveaway.winner')).length, 1);
  });
});
