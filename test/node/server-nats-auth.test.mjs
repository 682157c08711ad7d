// Cluster mode against a nats-server that requires credentials (authorization block, JetStream, loopback):
// kolkit is refused without them, connects with a user and password from the options (as `kolkit serve`
// reads KOLKIT_NATS_USER / KOLKIT_NATS_PASS), from `user:pass@` in the URL, or with a token; a password never
// appears in an error, a log line or the CLI's output. Imports the compiled server: `npx tsc -p
// tsconfig.server.json` first. Needs Debian's nats-server (/usr/sbin/nats-server).
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, openSync, closeSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {freePort} from '../servers/free-port.mjs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {waitFor} from '../servers/nats-cluster.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'index.js')), 'build the server first: npx tsc -p tsconfig.server.json');
const {createShowServer, createLogger, natsCredentialsFromEnv, signHostToken} = await import(join(DIST, 'index.js'));
const {natsConnectionOf, redactUrl, NatsConfigError} = await import(join(DIST, 'bus/nats-auth.js'));
const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};
const USER = 'kolkit';
/** A password with the characters a URL must percent-encode. */
const PASS = 'p@ss:w,rd%/secret-42';
const TOKEN = 'tok-0123456789abcdef-secret';

const temps = [];
const children = new Set();
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(temps.map((dir) => rm(dir, {recursive: true, force: true})));
});


/** One nats-server on loopback with JetStream and `authorization` (a config block); answers its client URL. */
async function startNats(authorization) {
  assert.ok(existsSync(NATS_SERVER), `nats-server is needed at ${NATS_SERVER} (apt-get install nats-server, or set NATS_SERVER)`);
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-nats-auth-'));
  temps.push(dir);
  const [port, http] = [await freePort(), await freePort()];
  const config = join(dir, 'nats.conf');
  await writeFile(config, [
    `listen: 127.0.0.1:${port}`,
    `http: 127.0.0.1:${http}`,
    `jetstream { store_dir: "${join(dir, 'js')}", max_memory_store: 32MB, max_file_store: 128MB }`,
    `authorization ${authorization}`,
    '',
  ].join('\n'));
  const out = openSync(join(dir, 'nats.log'), 'a');
  const child = spawn(NATS_SERVER, ['-c', config], {stdio: ['ignore', out, out]});
  closeSync(out);
  children.add(child);
  child.once('exit', () => children.delete(child));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${http}/healthz`)).ok, 15_000, `nats-server did not start (${dir}/nats.log)`);
  return {url: `nats://127.0.0.1:${port}`, port, stop: () => child.kill('SIGKILL')};
}

/** A logger into an array, to check that no secret is ever logged. */
function captureLogger() {
  const lines = [];
  return {lines, logger: createLogger({level: 'debug', node: 'auth-test', destination: {write: (line) => lines.push(line)}})};
}

const start = (nats, natsCredentials, logger) =>
  createShowServer({port: 0, host: '127.0.0.1', nats, natsCredentials, secrets: SECRETS, node: 'auth-test', logger});

/** The server takes a host event and answers it in its state: it really writes to NATS. */
async function writesThrough(server) {
  const show = `auth-${Math.random().toString(36).slice(2, 8)}`;
  const token = await signHostToken({role: 'host', show, ttlSeconds: 600}, SECRETS.host);
  const res = await fetch(`${server.url}/v1/shows/${show}/events`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${token}`},
    body: JSON.stringify({type: 'product.pin', productId: 'p-1'}),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const timeline = await (await fetch(`${server.url}/v1/shows/${show}/timeline`)).json();
  assert.deepEqual(timeline.map((e) => e.productId), ['p-1']);
  const health = await (await fetch(`${server.url}/v1/health`)).json();
  assert.deepEqual([health.ok, health.mode], [true, 'cluster']);
}

describe('NATS credentials (a nats-server with a user and password)', () => {
  let nats;
  before(async () => {
    nats = await startNats(`{ users: [ { user: ${USER}, password: "${PASS}" } ] }`);
  });
  after(() => nats.stop());

  test('without credentials, or with a wrong password, kolkit is refused with an error that shows no password', async () => {
    const {logger, lines} = captureLogger();
    await assert.rejects(start([nats.url], null, logger), (error) => {
      assert.match(error.message, /cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+ \(credentials: none\).*(Authorization|authorization)/i);
      return true;
    });
    const wrong = `nats://${USER}:not-the-password@127.0.0.1:${nats.port}`;
    await assert.rejects(start([wrong], null, logger), (error) => {
      assert.doesNotMatch(error.message, /not-the-password/);
      assert.match(error.message, /nats:\/\/127\.0\.0\.1:\d+ \(credentials: user\)/);
      return true;
    });
    assert.ok(!lines.join('\n').includes('not-the-password'));
  });

  test('a user and password given as options (KOLKIT_NATS_USER / KOLKIT_NATS_PASS): it connects, writes, and logs no password', async () => {
    const {logger, lines} = captureLogger();
    const credentials = natsCredentialsFromEnv({KOLKIT_NATS_USER: USER, KOLKIT_NATS_PASS: PASS});
    const server = await start([nats.url], credentials, logger);
    try {
      await writesThrough(server);
    } finally {
      await server.close();
    }
    const log = lines.join('\n');
    assert.match(log, /"auth":"user"/, 'the log says which kind of credentials');
    assert.ok(!log.includes(PASS) && !log.includes(encodeURIComponent(PASS)), 'no password in the log');
  });

  test('user:pass@ in the URL (percent-encoded): it connects; the URL is logged redacted', async () => {
    const {logger, lines} = captureLogger();
    const url = `nats://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${nats.port}`;
    const server = await start([url], null, logger);
    try {
      await writesThrough(server);
    } finally {
      await server.close();
    }
    const log = lines.join('\n');
    assert.ok(!log.includes(encodeURIComponent(PASS)) && !log.includes(PASS));
    assert.match(log, /nats:\/\/127\.0\.0\.1:\d+/);
  });

  test('kolkit serve: KOLKIT_NATS_USER / KOLKIT_NATS_PASS from the environment; credentials given twice are a usage error (exit 2)', async () => {
    const run = (args, env) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/kolkit.mjs'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
        env: {...process.env, KOLKIT_HOST_SECRET: SECRETS.host, KOLKIT_VIEWER_SECRET: SECRETS.viewer, KOLKIT_LOG_LEVEL: 'info', ...env},
      });
      children.add(child);
      const state = {child, out: '', exited: new Promise((resolve) => child.once('exit', (code) => (children.delete(child), resolve(code))))};
      child.stdout.on('data', (d) => (state.out += d));
      child.stderr.on('data', (d) => (state.out += d));
      return state;
    };
    const ok = run(['--nats', nats.url], {KOLKIT_NATS_USER: USER, KOLKIT_NATS_PASS: PASS});
    await waitFor(() => /kolkit listening on http:\/\/127\.0\.0\.1:\d+/.test(ok.out) || ok.child.exitCode !== null, 20_000, 'kolkit to listen');
    const url = /kolkit listening on (http:\/\/\S+)/.exec(ok.out)?.[1];
    assert.ok(url, ok.out);
    await writesThrough({url});
    ok.child.kill('SIGTERM');
    assert.equal(await ok.exited, 0);
    assert.ok(!ok.out.includes(PASS), 'no password in its output');

    const twice = run(['--nats', `nats://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${nats.port}`], {KOLKIT_NATS_TOKEN: TOKEN});
    assert.equal(await twice.exited, 2);
    assert.match(twice.out, /both in the URLs and in the environment/);
    assert.ok(!twice.out.includes(TOKEN) && !twice.out.includes(encodeURIComponent(PASS)));

    const half = run(['--nats', nats.url], {KOLKIT_NATS_USER: USER});
    assert.equal(await half.exited, 2);
    assert.match(half.out, /KOLKIT_NATS_USER and KOLKIT_NATS_PASS go together/);
  });
});

test('NATS token: a server with authorization { token } takes KOLKIT_NATS_TOKEN, or the token in the URL', async () => {
  const nats = await startNats(`{ token: "${TOKEN}" }`);
  try {
    const {logger, lines} = captureLogger();
    for (const [urls, credentials] of [[[nats.url], natsCredentialsFromEnv({KOLKIT_NATS_TOKEN: TOKEN})], [[`nats://${TOKEN}@127.0.0.1:${nats.port}`], null]]) {
      const server = await start(urls, credentials, logger);
      try {
        await writesThrough(server);
      } finally {
        await server.close();
      }
    }
    assert.ok(!lines.join('\n').includes(TOKEN), 'no token in the log');
  } finally {
    nats.stop();
  }
});

test('credentials in URLs and the environment: parsed, checked and redacted', () => {
  assert.equal(redactUrl('nats://u:secret@h:4222'), 'nats://u:***@h:4222');
  assert.equal(redactUrl('tls://tok@h:4222'), 'tls://***@h:4222');
  assert.equal(redactUrl('nats://h:4222'), 'nats://h:4222');
  assert.deepEqual(natsConnectionOf(['nats://u:p%40ss@a:4222', 'nats://b:4222', 'nats://u:p%40ss@c:4222']), {
    servers: ['nats://a:4222', 'nats://b:4222', 'nats://c:4222'],
    credentials: {user: 'u', pass: 'p@ss'},
  });
  assert.deepEqual(natsConnectionOf(['nats://t0k@a:4222']).credentials, {token: 't0k'});
  assert.deepEqual(natsConnectionOf(['nats://a:4222'], {credsFile: '/etc/kolkit/nats.creds'}).credentials, {credsFile: '/etc/kolkit/nats.creds'});
  const refuses = (fn, pattern) => assert.throws(fn, (error) => error instanceof NatsConfigError && pattern.test(error.message) && !/secret|other/.test(error.message));
  refuses(() => natsConnectionOf(['nats://u:secret@a:4222', 'nats://u:other@b:4222']), /different credentials/);
  refuses(() => natsConnectionOf(['nats://u:secret@a:4222'], {token: 'x'}), /both in the URLs and in the environment/);
  refuses(() => natsConnectionOf(['nats://u:@a:4222']), /both a user and a password/);
  refuses(() => natsConnectionOf(['nats://u:%E0%A4%A@a:4222']), /percent-encoded/);
  assert.equal(natsCredentialsFromEnv({}), null);
  assert.deepEqual(natsCredentialsFromEnv({KOLKIT_NATS_CREDS: '/x.creds'}), {credsFile: '/x.creds'});
  refuses(() => natsCredentialsFromEnv({KOLKIT_NATS_PASS: 'secret'}), /go together/);
  refuses(() => natsCredentialsFromEnv({KOLKIT_NATS_TOKEN: 'secret', KOLKIT_NATS_CREDS: '/x.creds'}), /one kind/);
});

test('a creds file that cannot be read is named in the error, before any connection', async () => {
  const missing = join(tmpdir(), 'kolkit-no-such-dir', 'nats.creds');
  await assert.rejects(start(['nats://127.0.0.1:1'], {credsFile: missing}, captureLogger().logger), (error) => {
    assert.equal(error.name, 'NatsConfigError');
    assert.match(error.message, /creds file .*nats\.creds cannot be read: ENOENT/);
    return true;
  });
});
