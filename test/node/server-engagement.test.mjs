// The show server's identity and engagement (issue 12): host and viewer tokens (src/server/auth.ts), the
// viewer count summed across nodes, reactions summed per period, viewer chat (src/server/engagement/).
// Two or three presence/reactions instances stand for as many nodes: on one real embedded bus, and on two
// buses (kolkit nodes) of a real 3-node nats-server cluster (test/servers/nats-cluster.mjs; without
// nats-server those tests fail, naming the fix).
// Needs the server build: `npx tsc -p tsconfig.server.json` (part of `npm run build`).
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {SignJWT} from 'jose';
import {pino} from 'pino';
import {startNatsCluster} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node');
assert.ok(existsSync(join(DIST, 'server/engagement/presence.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const distUrl = (path) => pathToFileURL(join(DIST, path)).href;
const {createEmbeddedBus} = await import(distUrl('server/bus/embedded.js'));
const {createNatsBus} = await import(distUrl('server/bus/nats.js'));
const {BusUnavailableError} = await import(distUrl('server/bus/types.js'));
const {createShowLogs} = await import(distUrl('server/show-log.js'));
const {ShowInputError} = await import(distUrl('server/types.js'));
const {verifyHost, viewerIdentity, signHostToken, signViewerToken} = await import(distUrl('server/auth.js'));
const {createPresence} = await import(distUrl('server/engagement/presence.js'));
const {createReactions, validateReaction, REACTION_KINDS} = await import(distUrl('server/engagement/reactions.js'));
const {acceptChat, validateChat} = await import(distUrl('server/engagement/chat.js'));

const SHOW = 'night-market';
const HOST_SECRET = 'host-secret-for-tests-only-0123456789abcdef';
const VIEWER_SECRET = 'viewer-secret-for-tests-only-0123456789abcdef';
const temps = [];
after(() => Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true}))));

/**
 * Runs `body` with a real embedded bus and show logs in a temp dir (`s.bus`, `s.logs`); afterwards stops
 * what `s.track` was given, then the bus, whatever happened.
 */
async function withBus(body) {
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-engagement-'));
  temps.push(dir);
  const bus = await createEmbeddedBus({dir});
  const closers = [];
  try {
    await body({bus, logs: createShowLogs({bus}), track: (thing) => (closers.push(() => thing.close()), thing)});
  } finally {
    for (const close of closers.reverse()) await close();
    await bus.close();
  }
}

/** A logger that keeps warnings (engagement logs only through warn and debug). */
function quietLog() {
  const warnings = [];
  return {warnings, warn: (...args) => warnings.push(args), debug() {}};
}

/** The show's events of `type`, oldest first. */
const eventsOf = async (bus, type, show = SHOW) => (await bus.read(show)).map((e) => e.event).filter((e) => e.type === type);

/** Waits for `check()` to be truthy, polling, up to `ms`. */
async function until(check, ms = 10_000, what = 'the condition') {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves when the wall clock is `fraction` into a period (so synchronous work lands inside one period). */
const midPeriod = (periodMs, fraction = 0.4) => new Promise((resolve) => setTimeout(resolve, (periodMs * (1 + fraction) - (Date.now() % periodMs)) % periodMs));

/** Asserts `promise` rejects with a ShowInputError of `status` and `code` whose message matches `message`. */
async function refused(promise, status, code, message) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ShowInputError, `a ShowInputError, not ${error}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** Watches for `ms` (a window in which something must not happen, so no condition to wait for). */
const observe = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asserts `events` (sent since `started`) came at most one per period: no more than the periods elapsed, and
 * no two stamped less than half a period apart (two winners of one period would be milliseconds apart).
 */
function onePerPeriod(events, periodMs, started) {
  if (started !== undefined) {
    const periods = Math.ceil((Date.parse(events.at(-1).at) - started) / periodMs) + 1;
    assert.ok(events.length <= periods, `${events.length} updates in ${periods} periods`);
  }
  for (let i = 1; i < events.length; i++) {
    const gap = Date.parse(events[i].at) - Date.parse(events[i - 1].at);
    assert.ok(gap >= periodMs / 2, `events ${i - 1} and ${i} are ${gap} ms apart: ${JSON.stringify(events)}`);
  }
}

describe('host tokens (verifyHost)', () => {
  const bearer = (token) => `Bearer ${token}`;
  const raw = (claims, {secret = HOST_SECRET, alg = 'HS256', exp = '1h'} = {}) => {
    const jwt = new SignJWT(claims).setProtectedHeader({alg}).setIssuedAt();
    if (exp !== null) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(secret));
  };

  test('a host token for the show, for all shows, and a moderator token are accepted', async () => {
    assert.deepEqual(await verifyHost(bearer(await signHostToken({show: SHOW, role: 'host', ttlSeconds: 60}, HOST_SECRET)), SHOW, HOST_SECRET), {role: 'host'});
    assert.deepEqual(await verifyHost(bearer(await signHostToken({shows: '*', role: 'host', ttlSeconds: 60}, HOST_SECRET)), 'any-show', HOST_SECRET), {role: 'host'});
    const moderator = await signHostToken({shows: ['other', SHOW], role: 'moderator', sub: 'mod-1', ttlSeconds: 60}, HOST_SECRET);
    assert.deepEqual(await verifyHost(bearer(moderator), SHOW, HOST_SECRET), {role: 'moderator', sub: 'mod-1'});
  });

  test('401 without a valid token, saying why', async () => {
    await refused(verifyHost(undefined, SHOW, HOST_SECRET), 401, 'unauthorized', /missing/);
    await refused(verifyHost('Basic dXNlcjpwYXNz', SHOW, HOST_SECRET), 401, 'unauthorized', /malformed/);
    await refused(verifyHost('Bearer not-a-jwt', SHOW, HOST_SECRET), 401, 'unauthorized', /malformed/);
    await refused(verifyHost(bearer(await raw({role: 'host', shows: [SHOW]}, {exp: '-1 minute'})), SHOW, HOST_SECRET), 401, 'unauthorized', /expired/);
    const wrongSecret = await signHostToken({show: SHOW, role: 'host', ttlSeconds: 60}, 'another-secret-entirely-0123456789abcdef');
    await refused(verifyHost(bearer(wrongSecret), SHOW, HOST_SECRET), 401, 'unauthorized', /bad signature/);
    await refused(verifyHost(bearer(await raw({role: 'host', shows: [SHOW]}, {exp: null})), SHOW, HOST_SECRET), 401, 'unauthorized', /exp/);
    await refused(verifyHost(bearer(await raw({role: 'host', shows: [SHOW]}, {alg: 'HS512'})), SHOW, HOST_SECRET), 401, 'unauthorized', /HS256/);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({role: 'host', shows: '*', exp: 9e9})).toString('base64url')}.`;
    await refused(verifyHost(bearer(unsigned), SHOW, HOST_SECRET), 401, 'unauthorized');
  });

  test('403 when the token is valid but not a host token for this show', async () => {
    await refused(verifyHost(bearer(await signHostToken({show: 'other-show', role: 'host', ttlSeconds: 60}, HOST_SECRET)), SHOW, HOST_SECRET), 403, 'forbidden', /night-market/);
    await refused(verifyHost(bearer(await raw({role: 'viewer', shows: '*'})), SHOW, HOST_SECRET), 403, 'forbidden', /not a host/);
    await refused(verifyHost(bearer(await raw({role: 'host'})), SHOW, HOST_SECRET), 403, 'forbidden');
    await refused(verifyHost(bearer(await raw({role: 'host', shows: 'night-*'})), SHOW, HOST_SECRET), 403, 'forbidden');
  });

  test('the sign helpers refuse a token that would never be valid', async () => {
    await assert.rejects(signHostToken({show: SHOW, role: 'host', ttlSeconds: 0}, HOST_SECRET), RangeError);
    await assert.rejects(signViewerToken({sub: 'u1', ttlSeconds: 60}, ''), /secret is empty/);
  });
});

describe('viewer identity (viewerIdentity)', () => {
  test('a viewer token makes a customer; it wins over the anonymous id', async () => {
    const token = await signViewerToken({sub: 'cust-42', name: '  Ana  ', ttlSeconds: 60}, VIEWER_SECRET);
    const headers = {authorization: `Bearer ${token}`, 'x-kol-viewer': 'anon-viewer-0001'};
    assert.deepEqual(await viewerIdentity(headers, VIEWER_SECRET), {id: 'customer:cust-42', name: 'Ana', customer: true});
    const nameless = await signViewerToken({sub: 'cust-43', ttlSeconds: 60}, VIEWER_SECRET);
    assert.deepEqual(await viewerIdentity({authorization: `Bearer ${nameless}`}, VIEWER_SECRET), {id: 'customer:cust-43', customer: true});
  });

  test('an anonymous viewer is the X-Kol-Viewer id', async () => {
    assert.deepEqual(await viewerIdentity({'x-kol-viewer': 'Zq3_x-8Kp0aBcDeFgHiJkL'}, VIEWER_SECRET), {id: 'viewer:Zq3_x-8Kp0aBcDeFgHiJkL', customer: false});
  });

  test('a bad viewer token is 401 (never taken as anonymous), a missing or bad viewer id 400', async () => {
    const hostToken = await signHostToken({shows: '*', role: 'host', ttlSeconds: 60}, HOST_SECRET);
    const withViewer = (authorization) => ({authorization, 'x-kol-viewer': 'anon-viewer-0001'});
    await refused(viewerIdentity(withViewer(`Bearer ${hostToken}`), VIEWER_SECRET), 401, 'unauthorized', /bad signature/);
    await refused(viewerIdentity(withViewer('Bearer nope'), VIEWER_SECRET), 401, 'unauthorized', /malformed/);
    await refused(viewerIdentity(withViewer(''), VIEWER_SECRET), 401, 'unauthorized');
    const expired = await new SignJWT({sub: 'u1'}).setProtectedHeader({alg: 'HS256'}).setExpirationTime('-1 minute').sign(new TextEncoder().encode(VIEWER_SECRET));
    await refused(viewerIdentity(withViewer(`Bearer ${expired}`), VIEWER_SECRET), 401, 'unauthorized', /expired/);
    const noSub = await new SignJWT({name: 'Ana'}).setProtectedHeader({alg: 'HS256'}).setExpirationTime('1h').sign(new TextEncoder().encode(VIEWER_SECRET));
    await refused(viewerIdentity(withViewer(`Bearer ${noSub}`), VIEWER_SECRET), 401, 'unauthorized', /sub/);
    for (const id of [undefined, '', 'short', 'has space in it', 'x'.repeat(65), 'ünïcödé-viewer-id']) {
      await refused(viewerIdentity(id === undefined ? {} : {'x-kol-viewer': id}, VIEWER_SECRET), 400, 'bad-viewer-id', /X-Kol-Viewer/);
    }
  });
});

describe('chat (acceptChat)', () => {
  test('a message is appended as chat.message with the sender’s name and role, and answers its id', async () => {
    await withBus(async (s) => {
      const {id} = await acceptChat(s.logs, SHOW, {text: '  try #7 <b>please</b>  '}, {id: 'customer:c1', name: 'Ana', customer: true});
      await acceptChat(s.logs, SHOW, {text: 'hello'}, {id: 'viewer:anon-viewer-0001', customer: false});
      const [first, second] = await eventsOf(s.bus, 'chat.message');
      assert.equal(first.id, id);
      assert.deepEqual([first.author, first.text, first.role], ['Ana', 'try #7 <b>please</b>', 'customer']);
      assert.deepEqual([second.author, second.text, second.role], ['Viewer', 'hello', 'viewer']);
      assert.deepEqual((await s.logs.state(SHOW)).chat.map((m) => m.text), ['try #7 <b>please</b>', 'hello']);
    });
  });

  test('the text is 1 to 500 characters of plain text; anything else is a 400 naming text, and nothing is stored', async () => {
    assert.equal(validateChat({text: 'x'.repeat(500)}), 'x'.repeat(500));
    assert.equal(validateChat({text: 'a\u0000b\u0007c\nd'}), 'abc\nd');
    for (const body of [null, 'text', {}, {text: 42}, {text: ''}, {text: ' \n\t '}, {text: '\u0000\u0001'}, {text: 'x'.repeat(501)}]) {
      assert.throws(() => validateChat(body), (error) => error instanceof ShowInputError && error.status === 400 && error.details.field === 'text' && /text/.test(error.message), JSON.stringify(body));
    }
    await withBus(async (s) => {
      await refused(acceptChat(s.logs, SHOW, {text: ''}, {id: 'viewer:anon-viewer-0001', customer: false}), 400, 'bad-field', /text/);
      assert.deepEqual(await eventsOf(s.bus, 'chat.message'), []);
    });
  });

  test('an anonymous viewer names themself with name (≤ 64, control characters removed); a customer token’s name wins; the role never comes from the body', async () => {
    await withBus(async (s) => {
      await acceptChat(s.logs, SHOW, {text: 'hi', name: ' Mia\u0007\n ', role: 'host'}, {id: 'viewer:anon-viewer-0001', customer: false});
      await acceptChat(s.logs, SHOW, {text: 'hi', name: 'Impostor'}, {id: 'customer:c1', name: 'Ana', customer: true});
      await acceptChat(s.logs, SHOW, {text: 'hi', name: '   '}, {id: 'viewer:anon-viewer-0002', customer: false});
      const messages = await eventsOf(s.bus, 'chat.message');
      assert.deepEqual(messages.map((m) => [m.author, m.role]), [['Mia', 'viewer'], ['Ana', 'customer'], ['Viewer', 'viewer']]);
      for (const name of ['x'.repeat(65), 42, {}]) {
        await refused(acceptChat(s.logs, SHOW, {text: 'hi', name}, {id: 'viewer:anon-viewer-0001', customer: false}), 400, 'bad-field', /name/);
      }
      assert.equal((await eventsOf(s.bus, 'chat.message')).length, 3);
    });
  });
});

/** Makes three nodes with `make(i)`, then calls `act(node, i)` on each every `everyMs` for `forMs`; answers the number of calls. */
async function onThreeNodes(make, act, everyMs, forMs) {
  const nodes = [0, 1, 2].map(make);
  let calls = 0;
  const timer = setInterval(() => nodes.forEach((node, i) => (act(node, i), calls++)), everyMs);
  await observe(forMs);
  clearInterval(timer);
  return calls;
}

/**
 * The multi-node tests, for one backend. `withNodes(body)` runs `body(s)` with `s.node(i)` = node i's
 * `{bus, logs}`, `s.show` a show id of its own, `s.read(type)` that show's events of `type` in the log, and
 * `s.track(thing)` (closed after `body`, whatever happened).
 */
function acrossNodes(backend, withNodes) {
  describe(`viewer count (presence) across nodes: ${backend}`, () => {
    const PERIOD = 400;
    const presence = (s, i, node, log) => s.track(createPresence({...s.node(i), node, log, periodMs: PERIOD}));

    test('the count is the sum of every node’s connections; an unchanged count is not sent again; a release counts once', async () => {
      await withNodes(async (s) => {
        const log = quietLog();
        const a = presence(s, 0, 'node-a', log);
        const b = presence(s, 1, 'node-b', log);
        const releases = [a.open(s.show), a.open(s.show), a.open(s.show), b.open(s.show), b.open(s.show)];
        const last = async () => (await s.read('viewers.update')).at(-1)?.count;
        await until(async () => (await last()) === 5, 10_000, 'a count of 5');
        const settled = (await s.read('viewers.update')).length;
        // Three more periods: every node keeps writing its count, nobody sends the same count again.
        await observe(3 * PERIOD);
        assert.equal((await s.read('viewers.update')).length, settled, 'no viewers.update without a change');
        releases[0]();
        releases[0](); // a second call of the same release is nothing
        releases[3]();
        await until(async () => (await last()) === 3, 10_000, 'a count of 3');
        onePerPeriod(await s.read('viewers.update'), PERIOD);
        assert.deepEqual(log.warnings, []);
      });
    });

    test('one viewers.update per period whatever the node count', async () => {
      await withNodes(async (s) => {
        const log = quietLog();
        // Every node's count changes several times a period, so every period has a change to send.
        const started = Date.now();
        const opened = await onThreeNodes((i) => presence(s, i, `n${i}`, log), (n) => n.open(s.show), PERIOD / 4, 6 * PERIOD);
        await until(async () => (await s.read('viewers.update')).at(-1)?.count === opened, 10_000, `the final count ${opened}`);
        const all = await s.read('viewers.update');
        assert.ok(all.length >= 3, `updates were sent while the count changed (${all.length})`);
        onePerPeriod(all, PERIOD, started);
        assert.deepEqual(log.warnings, []);
      });
    });

    test('a node that dies is dropped from the count after its expiry; a node that closes leaves at once', async () => {
      await withNodes(async (s) => {
        const log = quietLog();
        // Node b's bus connection can die: every KV call then fails, as when a node is cut off or killed.
        let dead = false;
        const kv = new Proxy(s.node(1).bus.kv, {
          get: (target, name) => (...args) => (dead ? Promise.reject(new BusUnavailableError('node b is down')) : target[name](...args)),
        });
        const a = presence(s, 0, 'node-a', log);
        s.track(createPresence({bus: {kv}, logs: s.node(1).logs, node: 'node-b', log: quietLog(), periodMs: PERIOD})).open(s.show);
        const c = createPresence({...s.node(2), node: 'node-c', log, periodMs: PERIOD});
        a.open(s.show);
        for (let i = 0; i < 3; i++) c.open(s.show);
        const last = async () => (await s.read('viewers.update')).at(-1);
        await until(async () => (await last())?.count === 5, 10_000, 'a count of 5');
        const diedAt = Date.now();
        dead = true;
        await until(async () => (await last())?.count === 4, 10_000, 'node b dropped (count 4)');
        // b's last count was written at most a period before it died, and counts stay fresh for two periods.
        assert.ok(Date.parse((await last()).at) >= diedAt + PERIOD - 50, 'not dropped before its expiry');
        await c.close();
        await until(async () => (await last())?.count === 1, 10_000, 'node c gone (count 1)');
        assert.deepEqual(log.warnings, []);
      });
    });
  });

  describe(`reactions across nodes: ${backend}`, () => {
    const PERIOD = 300;
    const viewer = {id: 'viewer:anon-viewer-0001', customer: false};
    const reactions = (s, i, node, log) => s.track(createReactions({...s.node(i), node, log, periodMs: PERIOD}));

    test('the reactions of one period on two nodes become one reactions.update with their sum', async () => {
      await withNodes(async (s) => {
        const log = quietLog();
        const a = reactions(s, 0, 'node-a', log);
        const b = reactions(s, 1, 'node-b', log);
        await midPeriod(PERIOD);
        for (let i = 0; i < 3; i++) a.add(s.show, 'heart', viewer);
        b.add(s.show, 'heart', viewer);
        b.add(s.show, 'heart', viewer);
        b.add(s.show, 'fire', viewer);
        await until(async () => (await s.read('reactions.update')).length > 0, 10_000, 'a reactions.update');
        // Two more periods: nothing else is sent for that period, and nothing at all without reactions.
        await observe(2 * PERIOD);
        const updates = await s.read('reactions.update');
        assert.equal(updates.length, 1, JSON.stringify(updates));
        assert.deepEqual(updates[0].counts, {heart: 5, fire: 1});
        assert.equal(updates[0].total, 6);
        assert.deepEqual(log.warnings, []);
      });
    });

    test('one reactions.update per period whatever the node count, and every reaction counted once', async () => {
      await withNodes(async (s) => {
        const log = quietLog();
        const started = Date.now();
        const sent = await onThreeNodes((i) => reactions(s, i, `n${i}`, log), (n, i) => n.add(s.show, REACTION_KINDS[i], viewer), 15, 6 * PERIOD);
        const totalOf = async () => (await s.read('reactions.update')).reduce((sum, e) => sum + e.total, 0);
        await until(async () => (await totalOf()) === sent, 10_000, `all ${sent} reactions sent`);
        const updates = await s.read('reactions.update');
        onePerPeriod(updates, PERIOD, started);
        for (const update of updates) assert.equal(update.total, Object.values(update.counts).reduce((a, b) => a + b, 0));
        assert.deepEqual(log.warnings, []);
      });
    });
  });
}

/** Every node on the one embedded bus (one process), as `acrossNodes` wants them. */
const embeddedNodes = (body) =>
  withBus((s) => body({...s, node: () => s, show: SHOW, read: (type) => eventsOf(s.bus, type)}));

acrossNodes('embedded bus', embeddedNodes);

describe('a cluster: two kolkit nodes on a 3-node NATS JetStream cluster', {timeout: 120_000}, () => {
  let cluster;
  let buses = [];
  let shows = 0;
  before(async () => {
    cluster = await startNatsCluster();
    // Each node lists the servers in another order, so each connects to a different one first.
    buses = await Promise.all([
      createNatsBus({servers: cluster.urls, node: 'a', log: pino({level: 'silent'})}),
      createNatsBus({servers: [...cluster.urls].reverse(), node: 'b', log: pino({level: 'silent'})}),
    ]);
  });
  after(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await cluster?.stop();
  });

  // Node i is on bus i % 2, with show logs of its own; each test has a show of its own (one stream for all).
  acrossNodes('NATS cluster', async (body) => {
    const show = `${SHOW}-${++shows}`;
    const nodes = buses.map((bus) => ({bus, logs: createShowLogs({bus})}));
    const closers = [];
    try {
      await body({
        node: (i) => nodes[i % nodes.length],
        show,
        read: async (type) => (await buses[0].read(show)).map((e) => e.event).filter((e) => e.type === type),
        track: (thing) => (closers.push(() => thing.close()), thing),
      });
    } finally {
      for (const close of closers.reverse()) await close();
    }
  });
});

describe('reactions on one node', () => {
  const PERIOD = 300;

  test('validateReaction takes the known kinds and refuses the rest with a 400 naming kind', async () => {
    assert.deepEqual(REACTION_KINDS, ['heart', 'fire', 'clap', 'laugh', 'wow']);
    for (const kind of REACTION_KINDS) assert.equal(validateReaction({kind}), kind);
    for (const body of [null, 'heart', {}, {kind: 'Heart'}, {kind: 'poo'}, {kind: 1}, {kind: 'toString'}, {kind: '__proto__'}]) {
      assert.throws(() => validateReaction(body), (error) => error instanceof ShowInputError && error.status === 400 && error.details.field === 'kind' && /heart/.test(error.message), JSON.stringify(body));
    }
    await withBus(async (s) => {
      const r = s.track(createReactions({bus: s.bus, logs: s.logs, node: 'node-a', log: quietLog(), periodMs: PERIOD}));
      assert.throws(() => r.add(SHOW, 'poo', {id: 'viewer:anon-viewer-0001', customer: false}), (error) => error instanceof ShowInputError && error.status === 400);
    });
  });

  test('close sends the reactions of the period in progress before it resolves', async () => {
    await withBus(async (s) => {
      const r = createReactions({bus: s.bus, logs: s.logs, node: 'node-a', log: quietLog(), periodMs: PERIOD});
      const viewer = {id: 'customer:c1', name: 'Ana', customer: true};
      r.add(SHOW, 'clap', viewer);
      r.add(SHOW, 'clap', viewer);
      await r.close();
      r.add(SHOW, 'clap', viewer); // after close: not counted, not thrown
      const updates = await eventsOf(s.bus, 'reactions.update');
      assert.deepEqual(updates.map((e) => e.counts), [{clap: 2}]);
    });
  });
});
