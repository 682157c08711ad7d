/**
 * A real kolkit show server on ANOTHER origin for the SDK's tests (test/show/server.test.ts, through
 * test/fixtures/show-server.ts): `createShowServer` from the build (dist/node/server/index.js, made by
 * `npm run build`) on 127.0.0.1, port 0, a temp data dir and secrets made for the run. The page is served
 * from the test runner's origin, so every request to it is cross-origin, as a merchant's page calling
 * `https://live.example.com`. Started at the first command, closed (and its data dir removed) with the runner.
 *
 * Commands (wtr `executeServerCommand`; a page never sees the secrets):
 * - `kolkit-show-server`           → `{url}`
 * - `kolkit-show-host-event`       `{show, event}` → `{status, json}`: the host posts `event` (the host API is not
 *                                  cross-origin, so a page cannot; the token stays in Node)
 * - `kolkit-show-host-post`        `{show, path, body}` → `{status, json}`: the host posts `body` to another host
 *                                  endpoint of `show` (`path` after `/v1/shows/{show}/`, e.g. `giveaways/g1/draw`)
 * - `kolkit-show-viewer-token`     `{sub, name?}` → a customer's viewer token
 * - `kolkit-show-open-viewers`     `{show, count}` (at most 20) → `{key}`: that many SSE viewers, opened from Node
 * - `kolkit-show-close-viewers`    `{key}` → true
 */
import {request} from 'node:http';
import {mkdtemp, rm} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const MAX_VIEWERS = 20;

/** @type {Promise<{server: any, secrets: {host: string, viewer: string}, build: any, dir: string}> | undefined} */
let started;
/** Open SSE viewers by key: their requests, destroyed on close. */
const viewerGroups = new Map();

function start() {
  started ??= (async () => {
    let build;
    try {
      build = await import('../../dist/node/server/index.js');
    } catch (cause) {
      throw new Error(`the show server tests need dist/node/server/index.js (${cause.message}): run \`npm run build\` first`, {cause});
    }
    const dir = await mkdtemp(join(tmpdir(), 'kolkit-sdk-server-'));
    const random = () => randomBytes(32).toString('base64url');
    const secrets = {host: random(), viewer: random()};
    const server = await build.createShowServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      secrets,
      node: 'sdk-tests',
      // The count every second, not every 5 s: a test sees viewers arrive without waiting long.
      viewersPeriodMs: 1000,
      logger: build.createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'sdk-tests'}),
    });
    return {server, secrets, build, dir};
  })();
  return started;
}

/** Opens `count` SSE viewers of `show`; answers once each has its response headers. */
async function openViewers(url, show, count) {
  if (!Number.isInteger(count) || count < 1 || count > MAX_VIEWERS) throw new Error(`open 1 to ${MAX_VIEWERS} viewers, not ${count}`);
  const key = `viewers-${randomBytes(6).toString('hex')}`;
  const requests = [];
  viewerGroups.set(key, requests);
  await Promise.all(Array.from({length: count}, () => new Promise((resolve, reject) => {
    const req = request(`${url}/v1/shows/${encodeURIComponent(show)}/events`, {headers: {accept: 'text/event-stream'}, timeout: 10_000}, (res) => {
      res.resume(); // read and drop: a viewer that does not read would be cut as slow
      res.statusCode === 200 ? resolve() : reject(new Error(`a viewer got ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', (error) => (req.destroyed && requests.closing ? resolve() : reject(error)));
    requests.push(req);
    req.end();
  })));
  return {key};
}

function closeViewers(key) {
  const requests = viewerGroups.get(key);
  viewerGroups.delete(key);
  if (!requests) return false;
  requests.closing = true;
  for (const req of requests) req.destroy();
  return true;
}

/** wtr plugin: the commands above, and the server's shutdown with the runner. */
export const plugin = {
  name: 'kolkit-show-server',
  async executeCommand({command, payload}) {
    if (!command.startsWith('kolkit-show-')) return undefined;
    const {server, secrets, build} = await start();
    switch (command) {
      case 'kolkit-show-server':
        return {url: server.url};
      case 'kolkit-show-host-event':
      case 'kolkit-show-host-post': {
        const token = await build.signHostToken({role: 'host', show: payload.show, ttlSeconds: 600, sub: 'sdk-tests'}, secrets.host);
        const path = command === 'kolkit-show-host-event' ? 'events' : payload.path;
        const response = await fetch(`${server.url}/v1/shows/${encodeURIComponent(payload.show)}/${path}`, {
          method: 'POST',
          headers: {'content-type': 'application/json', authorization: `Bearer ${token}`},
          body: JSON.stringify(command === 'kolkit-show-host-event' ? payload.event : payload.body ?? {}),
          signal: AbortSignal.timeout(10_000),
        });
        return {status: response.status, json: await response.json()};
      }
      case 'kolkit-show-viewer-token':
        return build.signViewerToken({sub: payload.sub, name: payload.name, ttlSeconds: 3600}, secrets.viewer);
      case 'kolkit-show-open-viewers':
        return openViewers(server.url, payload.show, payload.count);
      case 'kolkit-show-close-viewers':
        return closeViewers(payload.key);
      default:
        return undefined;
    }
  },
  async serverStop() {
    if (!started) return;
    for (const key of [...viewerGroups.keys()]) closeViewers(key);
    const {server, dir} = await started.catch(() => ({}));
    await server?.close();
    if (dir) await rm(dir, {recursive: true, force: true});
  },
};
