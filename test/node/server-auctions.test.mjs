// Auctions on the show server (issue 14; src/server/engagement/auctions.ts, src/server/hooks.ts): the host's
// shorthand, customers' bids (201, 409 too-low with the minimum, 410 after the end, 401, 404), a key making a
// retry the same bid, the extension in the last seconds (none in sudden death), increment tables, one close
// with the winner and price, each customer's result, and the signed `auction.won` hook as a merchant's
// receiver gets it. Then on two nodes of a 3-node NATS cluster: concurrent bids on both nodes (one bid per
// number, the highest wins), one close with both up, and a close when the node holding it is gone.
// A real embedded server (temp dir, port 0 on 127.0.0.1) driven with fetch. Imports the compiled server:
// `npx tsc -p tsconfig.server.json` first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {spawn} from 'node:child_process';
import {createServer} from 'node:http';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {decodeJwt, jwtVerify} from 'jose';
import {waitFor} from '../servers/sse-client.mjs';
import {startNatsCluster} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'engagement/auctions.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, signHostToken, signViewerToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
const HOOK_SECRET = 'k'.repeat(40);
/** Room for the cluster test's burst of bids from one address. */
const LIMITS = {rates: {bids: {perViewer: {points: 1000, seconds: 60}, perIp: {points: 100_000, seconds: 60}}}};

/** A merchant's hook receiver: answers the first attempt of each hook (by Idempotency-Key) 503, then 200; keeps what it took. */
async function startReceiver() {
  const received = [];
  const refused = new Map();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      if (!refused.has(key)) {
        refused.set(key, 1);
        res.writeHead(503).end();
        return;
      }
      received.push({headers: req.headers, body, claims: decodeJwt(body)});
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/kolkit-hooks`,
    /** The hooks taken for `show`. */
    of: (show) => received.filter((r) => r.claims.show === show),
    refusals: (key) => refused.get(key) ?? 0,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

let dir;
let server;
let receiver;
let hostToken;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kolkit-auctions-'));
  receiver = await startReceiver();
  const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'auctions'});
  server = await createShowServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    secrets: SECRETS,
    node: 'auctions',
    logger,
    limits: LIMITS,
    hooks: {url: receiver.url, secret: HOOK_SECRET},
  });
  hostToken = await signHostToken({role: 'host', shows: '*', ttlSeconds: 600}, SECRETS.host);
});
after(async () => {
  await server?.close();
  await receiver?.close();
  if (dir) await rm(dir, {recursive: true, force: true});
});

const newShow = (what) => `${what}-${randomBytes(4).toString('hex')}`;
const customer = (sub, name = sub) => signViewerToken({sub, name, ttlSeconds: 600}, SECRETS.viewer);
const eur = (amount) => ({amount, currencyCode: 'EUR'});

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
    bid: (show, auctionId, token, amount, key) => call('POST', `/v1/shows/${show}/auctions/${auctionId}/bids`, {body: {amount, ...(key && {key})}, headers: as(token)}),
    result: (show, auctionId, token) => call('GET', `/v1/shows/${show}/auctions/${auctionId}/result`, {headers: as(token)}),
    timeline: async (show, type) => (await call('GET', `/v1/shows/${show}/timeline`)).json.filter((e) => e.type === type),
    state: async (show) => (await call('GET', `/v1/shows/${show}/state`)).json,
  };
}
const {host, bid, result, timeline, state} = api();

async function openAuction(show, fields = {}, on = host) {
  const {status, json} = await on(show, {type: 'auction.open', productId: 'p-lamp', startingBid: '10.00', durationSeconds: 60, ...fields});
  assert.equal(status, 201, JSON.stringify(json));
  return json;
}

describe('auctions', {timeout: 60_000}, () => {
  test('auction.open by shorthand gets an auctionId, endsAt, extendBy 10 and no sudden death; bad fields are named; one open auction at a time', async () => {
    const show = newShow('auction-open');
    const before = Date.now();
    const opened = await openAuction(show, {variantId: 'v-red', durationSeconds: 30});
    assert.match(opened.auctionId, /^auction-/);
    assert.deepEqual(opened.startingBid, eur('10.00'));
    assert.equal(opened.extendBy, 10);
    assert.equal(opened.suddenDeath, false);
    assert.equal(opened.variantId, 'v-red');
    const endsIn = Date.parse(opened.endsAt) - before;
    assert.ok(endsIn >= 29_000 && endsIn <= 31_000, `endsAt is 30 s on: ${endsIn} ms`);
    assert.equal((await state(show)).auction.auctionId, opened.auctionId);

    const busy = await host(show, {type: 'auction.open', productId: 'p-2', startingBid: '5.00', durationSeconds: 30});
    assert.equal(busy.status, 409);
    assert.equal(busy.json.error, 'auction-open');
    assert.equal(busy.json.auctionId, opened.auctionId);

    const other = newShow('auction-bad');
    for (const [fields, field] of [
      [{durationSeconds: 2}, 'durationSeconds'],
      [{extendBy: 9999}, 'extendBy'],
      [{extendBy: 1.5}, 'extendBy'],
      [{startingBid: '1e3'}, 'startingBid'],
      [{increments: [{below: '50', step: '1'}, {below: '30', step: '2'}]}, 'increments'],
      [{increments: [{step: '0'}]}, 'increments'],
      [{auctionId: 'has.dot'}, 'auctionId'],
    ]) {
      const refused = await host(other, {type: 'auction.open', productId: 'p', startingBid: '10.00', durationSeconds: 30, ...fields});
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.equal(refused.json.field, field, JSON.stringify(refused.json));
    }
    const made = await host(other, {type: 'auction.close', auctionId: 'a', winner: 'Me', highBid: eur('1.00'), bids: 1});
    assert.equal(made.status, 400, 'a host cannot make up a close');
    assert.equal((await timeline(other, 'auction.open')).length, 0);
  });

  test('bids: a customer only, 404 unknown, 400 bad amount, 409 too-low with the minimum, 201 with the high bid; a key makes a retry the same bid', async () => {
    const show = newShow('auction-bids');
    const {auctionId} = await openAuction(show);
    const ana = await customer('ana', 'Ana');
    const bo = await customer('bo', 'Bo');

    const anonymous = await bid(show, auctionId, null, '20.00');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error, 'unauthorized');
    assert.equal((await bid(show, 'auction-none', ana, '20.00')).status, 404);
    for (const amount of ['abc', '10.001', 10, '-5']) {
      const bad = await bid(show, auctionId, ana, amount);
      assert.equal(bad.status, 400, String(amount));
      assert.equal(bad.json.field, 'amount');
    }

    const low = await bid(show, auctionId, ana, '9.99');
    assert.equal(low.status, 409);
    assert.equal(low.json.error, 'too-low');
    assert.deepEqual(low.json.minimum, eur('10.00'));

    const first = await bid(show, auctionId, ana, '10', 'ana-1');
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.deepEqual(first.json, {accepted: true, highBid: eur('10.00'), endsAt: first.json.endsAt, leading: true, bids: 1});
    const again = await bid(show, auctionId, ana, '10', 'ana-1');
    assert.equal(again.status, 201);
    assert.deepEqual(again.json, first.json, 'a retry with the same key answers the same');
    const otherKey = await bid(show, auctionId, bo, '10.50', 'ana-1');
    assert.equal(otherKey.status, 409, 'another customer\'s same key is another bid');
    assert.deepEqual(otherKey.json.minimum, eur('11.00'));

    const second = await bid(show, auctionId, bo, '11.00', 'bo-1');
    assert.equal(second.status, 201);
    assert.equal(second.json.bids, 2);
    await waitFor(async () => (await state(show)).auction.bids === 2, 'the second bid in the state');
    const {auction} = await state(show);
    assert.deepEqual(auction.highBid, eur('11.00'));
    assert.equal(auction.bidder, 'Bo');
    const updates = await timeline(show, 'auction.update');
    assert.deepEqual(updates.map((u) => [u.bids, u.highBid.amount, u.bidder]), [[1, '10.00', 'Ana'], [2, '11.00', 'Bo']], 'one update per bid, the retry none');
  });

  test('a custom increment table sets each next minimum', async () => {
    const show = newShow('auction-steps');
    const {auctionId} = await openAuction(show, {increments: [{below: '20', step: '5'}, {step: '10'}]});
    const ana = await customer('ana', 'Ana');
    assert.equal((await bid(show, auctionId, ana, '10.00')).status, 201);
    const under = await bid(show, auctionId, ana, '14.99');
    assert.deepEqual([under.status, under.json.minimum], [409, eur('15.00')]);
    assert.equal((await bid(show, auctionId, ana, '20.00')).status, 201);
    const above = await bid(show, auctionId, ana, '29.00');
    assert.deepEqual([above.status, above.json.minimum], [409, eur('30.00')]);
  });

  test('a bid in the last extendBy seconds pushes endsAt to now + extendBy; earlier, or in sudden death, it does not', async () => {
    const ana = await customer('ana', 'Ana');
    const late = newShow('auction-extend');
    const short = await openAuction(late, {durationSeconds: 5, extendBy: 20});
    const bidAt = Date.now();
    const extended = await bid(late, short.auctionId, ana, '10.00');
    assert.equal(extended.status, 201);
    assert.ok(Date.parse(extended.json.endsAt) > Date.parse(short.endsAt), 'endsAt moved later');
    assert.ok(Math.abs(Date.parse(extended.json.endsAt) - (bidAt + 20_000)) < 2000, 'to about now + 20 s');
    await waitFor(async () => (await state(late)).auction.endsAt === extended.json.endsAt, 'the extended end in the state');

    const early = newShow('auction-early');
    const long = await openAuction(early, {durationSeconds: 60, extendBy: 10});
    assert.equal((await bid(early, long.auctionId, ana, '10.00')).json.endsAt, long.endsAt, 'a bid 60 s before the end does not extend');

    const sudden = newShow('auction-sudden');
    const final = await openAuction(sudden, {durationSeconds: 5, extendBy: 20, suddenDeath: true});
    assert.equal((await bid(sudden, final.auctionId, ana, '10.00')).json.endsAt, final.endsAt, 'sudden death: the end never moves');
  });

  test('closes once at endsAt with the winner and price; later bids are 410; each customer reads their result; the merchant gets one signed auction.won', async () => {
    const show = newShow('auction-close');
    const {auctionId, endsAt} = await openAuction(show, {productId: 'p-bag', variantId: 'v-blue', durationSeconds: 5, extendBy: 0});
    const ana = await customer('ana', 'Ana');
    const bo = await customer('bo', 'Bo');
    assert.equal((await bid(show, auctionId, ana, '10.00')).status, 201);
    assert.equal((await bid(show, auctionId, bo, '12.00')).status, 201);
    const open = await result(show, auctionId, bo);
    assert.deepEqual(open.json, {auctionId, closed: false, won: false, productId: 'p-bag', variantId: 'v-blue'});

    await waitFor(async () => (await timeline(show, 'auction.close')).length > 0, 'the close', 15_000);
    const closes = await timeline(show, 'auction.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({winner: closes[0].winner, highBid: closes[0].highBid, bids: closes[0].bids}, {winner: 'Bo', highBid: eur('12.00'), bids: 2});
    assert.ok(Date.parse(closes[0].at) >= Date.parse(endsAt), 'not before endsAt');
    const {auction} = await state(show);
    assert.deepEqual({closed: auction.closed, winner: auction.winner}, {closed: true, winner: 'Bo'});

    const late = await bid(show, auctionId, ana, '50.00');
    assert.equal(late.status, 410);
    assert.equal(late.json.error, 'ended');
    assert.deepEqual((await result(show, auctionId, bo)).json, {auctionId, closed: true, won: true, price: eur('12.00'), productId: 'p-bag', variantId: 'v-blue'});
    assert.deepEqual((await result(show, auctionId, ana)).json, {auctionId, closed: true, won: false, productId: 'p-bag', variantId: 'v-blue'});
    assert.equal((await result(show, auctionId, null)).status, 401);

    // The receiver refused the first attempt (503): the hook came again.
    await waitFor(() => receiver.of(show).length, 'the auction.won hook', 10_000);
    const [hook, ...more] = receiver.of(show);
    assert.equal(receiver.refusals(hook.headers['idempotency-key']), 1);
    assert.equal(more.length, 0, 'one delivery');
    assert.equal(hook.headers['content-type'], 'application/jwt');
    const {payload, protectedHeader} = await jwtVerify(hook.body, new TextEncoder().encode(HOOK_SECRET), {issuer: 'kolkit', algorithms: ['HS256']});
    assert.equal(protectedHeader.alg, 'HS256');
    assert.deepEqual(
      {type: payload.type, show: payload.show, auctionId: payload.auctionId, productId: payload.productId, variantId: payload.variantId, price: payload.price, customer: payload.customer, name: payload.name},
      {type: 'auction.won', show, auctionId, productId: 'p-bag', variantId: 'v-blue', price: eur('12.00'), customer: 'bo', name: 'Bo'},
    );
    assert.equal(payload.jti, `auction-won-${show}-${auctionId}`);
    assert.equal(hook.headers['idempotency-key'], payload.jti);
    await assert.rejects(jwtVerify(hook.body, new TextEncoder().encode('x'.repeat(40))), 'another secret does not verify it');
  });

  test('an auction nobody bid on closes with no winner and sends no hook', async () => {
    const show = newShow('auction-empty');
    const {auctionId} = await openAuction(show, {durationSeconds: 5});
    await waitFor(async () => (await timeline(show, 'auction.close')).length > 0, 'the close', 15_000);
    const [closed] = await timeline(show, 'auction.close');
    assert.deepEqual({winner: closed.winner, highBid: closed.highBid, bids: closed.bids}, {winner: null, highBid: null, bids: 0});
    assert.equal((await bid(show, auctionId, await customer('ana'), '10.00')).status, 410);
    assert.equal(receiver.of(show).length, 0);
    // The next auction may open now.
    await openAuction(show, {productId: 'p-next'});
  });
});

describe('kolkit serve --hook-url (the CLI, as a child process)', {timeout: 30_000}, () => {
  /** Runs `kolkit serve … ` with `env`; answers its exit code and stderr. */
  async function serve(args, env) {
    const base = {...process.env};
    for (const name of ['KOLKIT_HOST_SECRET', 'KOLKIT_VIEWER_SECRET', 'KOLKIT_HOOK_SECRET']) delete base[name];
    // A data directory of its own: the embedded server above holds a lock on its own.
    const data = await mkdtemp(join(tmpdir(), 'kolkit-auctions-cli-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin/kolkit.mjs'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data, ...args], {
      env: {...base, KOLKIT_LOG_LEVEL: 'warn', KOLKIT_HOST_SECRET: SECRETS.host, KOLKIT_VIEWER_SECRET: SECRETS.viewer, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise((resolve) => {
      child.on('exit', resolve);
      // A server that starts is stopped once it says where it listens.
      child.stdout.on('data', () => /kolkit listening on/.test(stdout) && child.kill('SIGTERM'));
    });
    await rm(data, {recursive: true, force: true});
    return {code, stderr, stdout};
  }

  test('refuses a hook URL without KOLKIT_HOOK_SECRET, with a short one or a token secret, or a URL that is not http(s) (exit 2); starts with a good pair', async () => {
    const url = 'https://shop.example/kolkit-hooks';
    for (const [args, env, message] of [
      [['--hook-url', url], {}, /KOLKIT_HOOK_SECRET is not set/],
      [['--hook-url', url], {KOLKIT_HOOK_SECRET: 'short'}, /KOLKIT_HOOK_SECRET is shorter than 32 bytes/],
      [['--hook-url', url], {KOLKIT_HOOK_SECRET: SECRETS.host}, /must differ/],
      [['--hook-url', 'ftp://shop.example/hooks'], {KOLKIT_HOOK_SECRET: HOOK_SECRET}, /is not http: or https:/],
      [['--hook-url', 'not a url'], {KOLKIT_HOOK_SECRET: HOOK_SECRET}, /is not a URL/],
    ]) {
      const run = await serve(args, env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    const good = await serve(['--hook-url', url], {KOLKIT_HOOK_SECRET: HOOK_SECRET});
    assert.match(good.stdout, /kolkit listening on/);
    assert.notEqual(good.code, 2, good.stderr);
  });
});

describe('on two nodes of a 3-node NATS cluster', {timeout: 120_000}, () => {
  let cluster;
  let a;
  let b;
  /** A bus of the test's own on the cluster: it plays a node that takes a close and dies before announcing it. */
  let bus;
  let minimumBid;
  let hooks;
  before(async () => {
    cluster = await startNatsCluster();
    hooks = await startReceiver();
    const hookOptions = {url: hooks.url, secret: HOOK_SECRET};
    const logger = createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'auctions-cluster'});
    const nodes = await Promise.all([
      createShowServer({port: 0, host: '127.0.0.1', nats: cluster.urls, secrets: SECRETS, node: 'a', logger, limits: LIMITS, hooks: hookOptions}),
      createShowServer({port: 0, host: '127.0.0.1', nats: [...cluster.urls].reverse(), secrets: SECRETS, node: 'b', logger, limits: LIMITS, hooks: hookOptions}),
    ]);
    a = {server: nodes[0], ...api(nodes[0].url)};
    b = {server: nodes[1], ...api(nodes[1].url)};
    const {createNatsBus} = await import(join(DIST, 'bus/nats.js'));
    bus = await createNatsBus({servers: cluster.urls, credentials: null, node: 'test', log: logger});
    ({minimumBid} = await import(join(ROOT, 'dist/node/core/auction.js')));
  });
  after(async () => {
    await Promise.all([a?.server.close(), b?.server.close(), bus?.close()]);
    await Promise.all([cluster?.stop(), hooks?.close()]);
  });

  test('concurrent bids on both nodes: one bid per number, each above the minimum of the one before, the highest wins; one close with both nodes up', async (t) => {
    const show = newShow('cluster-auction');
    const {auctionId, startingBid} = await openAuction(show, {durationSeconds: 8, extendBy: 0}, a.host);
    // Both nodes hold the show (as they do with viewers on each): both will try to close it.
    assert.equal((await b.state(show)).auction.auctionId, auctionId);
    const bidders = await Promise.all(Array.from({length: 12}, (_, i) => customer(`c${i}`, `Bidder ${i}`)));
    // Amounts 10…21 in a shuffled order, half on each node, all at once.
    const order = [7, 2, 11, 0, 5, 9, 3, 10, 1, 6, 8, 4];
    const answers = await Promise.all(order.map((i, k) => (k % 2 ? b : a).bid(show, auctionId, bidders[i], `${10 + i}.00`, `key-${i}`)));
    const won = answers.filter((r) => r.status === 201);
    for (const r of answers) assert.ok(r.status === 201 || (r.status === 409 && ['too-low', 'outbid'].includes(r.json.error) && r.json.minimum), JSON.stringify(r));
    const numbers = won.map((r) => r.json.bids).sort((x, y) => x - y);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'each bid number taken by one bid');
    assert.ok(won.some((r) => r.json.highBid.amount === '21.00'), 'the highest bid is accepted');

    const last = numbers.length;
    t.diagnostic(`${last} of 12 concurrent bids accepted; refused: ${answers.filter((r) => r.status === 409).map((r) => r.json.error).join(', ')}`);
    await waitFor(async () => (await a.state(show)).auction.bids === last, 'every bid in the log', 10_000);
    const updates = (await a.timeline(show, 'auction.update')).sort((x, y) => x.bids - y.bids);
    assert.deepEqual(updates.map((u) => u.bids), numbers, 'one update per bid number');
    let previous;
    for (const update of updates) {
      const minimum = minimumBid({startingBid, ...(previous && {highBid: previous.highBid})});
      assert.ok(Number(update.highBid.amount) >= Number(minimum.amount), `bid ${update.bids} (${update.highBid.amount}) is at least ${minimum.amount}`);
      previous = update;
    }

    await waitFor(async () => (await a.timeline(show, 'auction.close')).length && (await b.timeline(show, 'auction.close')).length, 'the close on both nodes', 20_000);
    for (const node of [a, b]) {
      const closes = await node.timeline(show, 'auction.close');
      assert.equal(closes.length, 1, 'one close, though both nodes closed');
      assert.deepEqual({winner: closes[0].winner, highBid: closes[0].highBid, bids: closes[0].bids}, {winner: 'Bidder 11', highBid: eur('21.00'), bids: last});
    }
    assert.deepEqual((await b.result(show, auctionId, bidders[11])).json.price, eur('21.00'));
    assert.equal((await a.result(show, auctionId, bidders[10])).json.won, false);
    assert.equal((await b.bid(show, auctionId, bidders[3], '99.00')).status, 410);
    await waitFor(() => hooks.of(show).length, 'the auction.won hook', 15_000);
    assert.equal(hooks.of(show)[0].claims.customer, 'c11');
  });

  test('a node that took the close and died before announcing it: another node announces it once, with the winner; bids after it are 410', async () => {
    const show = newShow('cluster-claim');
    const {auctionId} = await openAuction(show, {durationSeconds: 6, extendBy: 0}, a.host);
    assert.equal((await b.state(show)).auction.auctionId, auctionId);
    const ana = await customer('ana', 'Ana');
    const bo = await customer('bo', 'Bo');
    assert.equal((await a.bid(show, auctionId, ana, '10.00')).status, 201);
    assert.equal((await b.bid(show, auctionId, bo, '15.00')).status, 201);
    // What a third node writes when it takes the close (number 3), just before it dies.
    const winner = JSON.parse((await bus.kv.get(`auction-bid.${show}.${auctionId}.2`)).value);
    await bus.kv.create(`auction-bid.${show}.${auctionId}.3`, JSON.stringify({kind: 'close', n: 3, winner}));

    const late = await a.bid(show, auctionId, ana, '30.00');
    assert.equal(late.status, 410, 'the chain is closed');
    await waitFor(async () => (await a.timeline(show, 'auction.close')).length && (await b.timeline(show, 'auction.close')).length, 'the close from the living nodes', 20_000);
    for (const node of [a, b]) {
      const closes = await node.timeline(show, 'auction.close');
      assert.equal(closes.length, 1);
      assert.deepEqual({winner: closes[0].winner, highBid: closes[0].highBid, bids: closes[0].bids}, {winner: 'Bo', highBid: eur('15.00'), bids: 2});
    }
    assert.equal((await a.result(show, auctionId, bo)).json.won, true);
    // The node that took the close never sent the hook: a living node sends it in its place.
    await waitFor(() => hooks.of(show).length, 'the auction.won hook from a living node', 15_000);
    assert.deepEqual([hooks.of(show)[0].claims.customer, hooks.of(show)[0].claims.price], ['bo', eur('15.00')]);
  });

  test('the node that opened the auction and took its bids stops before the end: the other node closes it, once', async () => {
    const show = newShow('cluster-gone');
    const {auctionId} = await openAuction(show, {durationSeconds: 6}, a.host);
    const ana = await customer('ana', 'Ana');
    // A bid in the last 10 s: endsAt moves on, and only A heard it as it happened.
    const bid = await a.bid(show, auctionId, ana, '12.00');
    assert.equal(bid.status, 201);
    assert.equal((await b.state(show)).auction.auctionId, auctionId);
    await a.server.close();
    await waitFor(async () => (await b.timeline(show, 'auction.close')).length, 'the close from B', 25_000);
    const closes = await b.timeline(show, 'auction.close');
    assert.equal(closes.length, 1);
    assert.deepEqual({winner: closes[0].winner, highBid: closes[0].highBid}, {winner: 'Ana', highBid: eur('12.00')});
    assert.ok(Date.parse(closes[0].at) >= Date.parse(bid.json.endsAt), 'at the extended end, not the first');
  });
});
