/**
 * What the end-to-end tests of engagement share: a merchant's page on one origin (the demo app: store page,
 * catalog, the built script-tag bundle), a kolkit show server on another (embedded, or two nodes on a real
 * 3-node NATS cluster), and shoppers as separate browser contexts of Debian's Chromium driven by
 * puppeteer-core (no browser download). Everything listens on 127.0.0.1 and stops with `stop()`.
 */
import {createServer} from 'node:http';
import {mkdtemp, rm} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const build = await import(join(ROOT, 'dist/node/server/index.js'));
const {createDemoApp} = await import(join(ROOT, 'demo/server.mjs'));

const random = () => randomBytes(32).toString('base64url');
/** The secrets of one run: the show servers sign and check tokens with them. */
export const SECRETS = {host: random(), viewer: random()};

/** Polls `check` every 100 ms until it answers truthy (and answers that); throws `message` after `ms`. */
export async function waitFor(check, ms, message) {
  const giveUpAt = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > giveUpAt) throw new Error(`${message} (after ${ms} ms${last ? `; last error: ${last.message}` : ''})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Listens on 127.0.0.1, a free port; answers the base URL. */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/**
 * The merchant's origin: the demo app (store page, catalog, dist/cdn), its own embedded show unused here;
 * its pages may call the show servers at `servers` (their CSP's connect-src).
 */
export async function startStorefront(servers) {
  const app = await createDemoApp({connectOrigins: servers.nodes.map((node) => node.url)});
  const server = createServer((req, res) => {
    if (app.handle(req, res)) return;
    res.writeHead(404).end();
  });
  const url = await listen(server);
  return {
    url,
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    },
  };
}

const quietLogger = (node) => build.createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node});

/** One embedded show server (its own origin), with a temp data dir removed on stop. */
export async function startEmbeddedServer() {
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-e2e-'));
  const server = await build.createShowServer({
    port: 0, host: '127.0.0.1', dataDir: dir, secrets: SECRETS, node: 'e2e', viewersPeriodMs: 1000, logger: quietLogger('e2e'),
  });
  return {
    nodes: [server],
    async stop() {
      await server.close();
      await rm(dir, {recursive: true, force: true});
    },
  };
}

/** Two show nodes (A, B) on a real 3-node NATS cluster: one show, whichever node a shopper reaches. */
export async function startClusterServers() {
  const {startNatsCluster} = await import(join(ROOT, 'test/servers/nats-cluster.mjs'));
  const nats = await startNatsCluster();
  const nodes = [];
  try {
    for (const name of ['a', 'b']) {
      nodes.push(await build.createShowServer({
        port: 0, host: '127.0.0.1', nats: nats.urls, secrets: SECRETS, node: `e2e-${name}`, viewersPeriodMs: 1000, logger: quietLogger(name),
      }));
    }
  } catch (error) {
    for (const node of nodes) await node.close();
    await nats.stop();
    throw error;
  }
  return {
    nodes,
    async stop() {
      for (const node of nodes) await node.close();
      await nats.stop();
    },
  };
}

/**
 * What every end-to-end test starts first: a show server (`embedded`, or two nodes on a NATS cluster for
 * `cluster`), the merchant's page allowed to call it, and the browser. `stop()` closes them, the browser first.
 */
export async function startScene(mode) {
  const servers = mode === 'cluster' ? await startClusterServers() : await startEmbeddedServer();
  let storefront = null;
  let browser = null;
  const stop = async () => {
    await browser?.close();
    await servers.stop();
    await storefront?.stop();
  };
  try {
    storefront = await startStorefront(servers);
    browser = await launchBrowser();
  } catch (error) {
    await stop();
    throw error;
  }
  return {servers, storefront, browser, stop};
}

/** A host token for every show of this run. */
export const hostToken = () => build.signHostToken({role: 'host', shows: '*', ttlSeconds: 3600}, SECRETS.host);
/** A customer's viewer token, as the merchant's backend signs one. */
export const viewerToken = (sub, name) => build.signViewerToken({sub, name, ttlSeconds: 3600}, SECRETS.viewer);

/** Posts a host event to `show` on `node`; answers the stamped event (throws on a refusal). */
export async function hostEvent(node, show, body) {
  const response = await fetch(`${node.url}/v1/shows/${show}/events`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${await hostToken()}`},
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status !== 201) throw new Error(`host ${body.type} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Debian's Chromium through puppeteer-core (CHROME_PATH wins, as in web-test-runner.config.mjs). */
export function launchBrowser() {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
}

/**
 * A shopper: a fresh browser context (own storage, own cart) on the store page, following `show` on the
 * show server `server`; with `token`, signed in as that customer. Collects the page's kol-errors.
 */
export async function openShopper(browser, storefront, server, show, {token} = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.exposeFunction('__kolError', (detail) => errors.push(detail));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('kol-error', (event) => window.__kolError(`${event.detail.code}: ${event.detail.message}`));
  });
  const query = new URLSearchParams({server, show});
  await page.goto(`${storefront.url}/demo/store.html?${query}`, {waitUntil: 'load'});
  if (token) await page.$eval('kol-show', (el, t) => el.setAttribute('viewer-token', t), token);
  return {context, page, errors, close: () => context.close()};
}
