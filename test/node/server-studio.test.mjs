// The show server mounted in another node:http server (createShowService, as the demo app mounts it) and the
// studio it serves (DESIGN.md §10): its page under a strict CSP, its files, the SDK for the preview, and the
// refusals of a bad token, a bad show id and a path outside it. The studio's behaviour in a browser is
// test/studio/studio.test.ts. Imports the compiled server: `npm run build` (or tsc -p tsconfig.server.json
// and the studio's copy) first.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist/node/server');
assert.ok(existsSync(join(DIST, 'index.js')), 'build the server first: npm run build');
const {createShowService, createLogger, signHostToken} = await import(join(DIST, 'index.js'));

const SECRETS = {host: 'h'.repeat(40), viewer: 'v'.repeat(40)};

describe('createShowService mounted in a node:http server, and the studio', () => {
  let dir;
  let service;
  let server;
  let base;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kolkit-studio-'));
    service = await createShowService({
      dataDir: dir,
      secrets: SECRETS,
      node: 'mounted',
      logger: createLogger({level: 'silent'}),
      studio: {show: 'spring', catalog: '/catalog.json', stream: '/live.m3u8'},
    });
    server = createServer((req, res) => {
      if (service.handle(req, res)) return;
      res.writeHead(200, {'content-type': 'text/plain'}).end('the host app');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    await service.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, {recursive: true, force: true});
  });

  test('serves /v1/ and /studio, and leaves every other path to the host server', async () => {
    assert.equal(await (await fetch(`${base}/somewhere/else`)).text(), 'the host app');
    assert.equal(await (await fetch(`${base}/v1x`)).text(), 'the host app');
    const health = await fetch(`${base}/v1/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), {ok: true, mode: 'embedded', node: 'mounted'});
    assert.equal((await fetch(`${base}/v1/nothing`)).status, 404);
    const token = await signHostToken({role: 'host', show: 'spring', ttlSeconds: 60}, SECRETS.host);
    const posted = await fetch(`${base}/v1/shows/spring/events`, {
      method: 'POST',
      headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
      body: JSON.stringify({type: 'show.status', status: 'live'}),
    });
    assert.equal(posted.status, 201);
    assert.equal((await service.logs.state('spring')).status, 'live');
  });

  test('the studio page: a strict CSP, no referrer, the show, catalog and stream in data attributes, no inline script or style', async () => {
    const res = await fetch(`${base}/studio`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'"]) assert.ok(csp.includes(directive), directive);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.match(html, /<body class="studio" data-show="spring" data-catalog="\/catalog.json" data-stream="\/live.m3u8" data-sdk="\/studio\/sdk\/kolkit.js">/);
    assert.match(html, /<script type="module" src="\/studio\/studio.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<style|style=|\son[a-z]+=/);
  });

  test('the studio\'s files and the SDK are served; nothing else is', async () => {
    for (const [path, type] of [['/studio/studio.js', /javascript/], ['/studio/studio.css', /text\/css/], ['/studio/api.js', /javascript/], ['/studio/sdk/kolkit.js', /javascript/], ['/studio/vendor/stream.js', /javascript/], ['/studio/vendor/index.js', /javascript/]]) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type'), type, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
    for (const path of ['/studio/nothing.js', '/studio/..%2f..%2findex.js', '/studio/sdk/..%2f..%2fpackage.json', '/studio/studio.html', '/studio/a/b.js', '/studio/vendor/index.cjs', '/studio/vendor/package.json', '/studio/vendor/..%2f..%2fpackage.json']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal((await res.json()).error, 'not-found', path);
    }
    assert.equal((await fetch(`${base}/studio/studio.js`, {method: 'POST'})).status, 405);
  });

  test('a token in the query is checked: a bad or foreign one is refused with a page that says why; a good one opens the studio', async () => {
    const bad = await fetch(`${base}/studio?token=nope`);
    assert.equal(bad.status, 401);
    assert.ok(bad.headers.get('content-security-policy').includes("script-src 'self'"));
    assert.match(await bad.text(), /The studio refused this link.*malformed host token/s);

    const foreign = await signHostToken({role: 'host', show: 'other', ttlSeconds: 60}, SECRETS.host);
    const refused = await fetch(`${base}/studio?token=${foreign}`);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /not for show spring/);

    const forged = await signHostToken({role: 'host', show: 'spring', ttlSeconds: 60}, 'x'.repeat(40));
    assert.equal((await fetch(`${base}/studio?token=${forged}`)).status, 401);

    const good = await signHostToken({role: 'host', show: 'spring', ttlSeconds: 60}, SECRETS.host);
    const ok = await fetch(`${base}/studio?token=${good}`);
    assert.equal(ok.status, 200);
    assert.doesNotMatch(await ok.text(), new RegExp(good.slice(-20)), 'the page never echoes the token');

    const badShow = await fetch(`${base}/studio?show=${encodeURIComponent('no/such show')}`);
    assert.equal(badShow.status, 400);
    assert.match(await badShow.text(), /not a show id/);
  });
});
