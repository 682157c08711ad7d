// A real Vendure server (@vendure/core + @vendure/testing, sql.js in memory) for the `vendure` adapter's
// tests, reached by the browser through a same-origin proxy at /vendure/… (no CORS set-up, and the session
// cookie lands on the test page's origin like it would on a store that serves its Shop API itself).
//
// It boots lazily, on the first request under /vendure/, so test runs that do not include the Vendure tests
// pay nothing; `serverStop` shuts it down. The seeded database is cached under node_modules/.cache/, keyed by
// the seed files and this file, so a warm boot skips the import.
//
//   /vendure/ready       GET: 204 once Vendure is up (the test file's `before` waits on it, long timeout)
//   /vendure/shop-api    the Shop API (channel tokens below, sessions by cookie or bearer token)
//   /vendure/down/…      drops the connection: a backend that cannot be reached
//   /vendure/null/…      answers 200 with the JSON `null`: something that is not a GraphQL answer
//   /vendure/fault       POST `{operation: 'KolApplyCoupon', mode: 'status' | 'hang'}`: the next request running
//                        that operation is not forwarded; it is answered 503, or never answered. (Not a dropped
//                        connection: Chromium resends a POST whose reused connection closed without an answer.)
//   /vendure/fault/held  POST: `{held}`, the operation names of the requests hung so far
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync} from 'node:fs';
import {request} from 'node:http';
import {freePort} from './free-port.mjs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const seedDir = join(here, 'vendure');
const PREFIX = '/vendure/';

/** The channel token the tests send as `vendure-token`. */
export const CHANNEL_TOKEN = 'kolkit-test-channel';
/** The OrderLine custom field (type text) where the adapter keeps line attributes as JSON. */
export const LINE_ATTRIBUTES_FIELD = 'kolAttributes';
/** Vendure refuses a line of more than this many items with an OrderLimitError. */
export const LINE_ITEMS_LIMIT = 20;
/** A second channel, in EUR, that sells nothing. */
export const EMPTY_CHANNEL_TOKEN = 'kolkit-empty-channel';
/** A coupon code: 10% off the order. */
export const COUPON = 'LIVE10';
/** A coupon code whose promotion ended yesterday. */
export const EXPIRED_COUPON = 'GONE5';

let booting; // Promise<{port, server}> once the first request asked for Vendure
/** Faults armed by POST /vendure/fault, by operation name, each used once. */
const faults = new Map();
/** Operation names of the requests a 'hang' fault has held. */
let held = [];
/** How long a hung request is held before its socket is dropped, if the client never gives up. */
const HANG_MS = 60_000;


/** Where the seeded sqlite file is cached: changes to the seed or to this config make a new one. */
function cacheDir() {
  const hash = createHash('sha256');
  for (const file of ['initial-data.json', 'products.csv']) hash.update(readFileSync(join(seedDir, file)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return join(here, '../../node_modules/.cache/kolkit-vendure', hash.digest('hex').slice(0, 16));
}

/** Boots Vendure on a free port with the seed data, a coupon promotion and an expired one. */
export async function bootVendure() {
  const started = Date.now();
  // Vendure phones home on boot (and writes .vendure/ in the working directory) unless told not to.
  process.env.VENDURE_DISABLE_TELEMETRY ??= 'true';
  const [{mergeConfig, DefaultLogger, LogLevel}, testing, {parse}] = await Promise.all([
    import('@vendure/core'),
    import('@vendure/testing'),
    import('graphql'),
  ]);
  const {createTestEnvironment, registerInitializer, SqljsInitializer, testConfig} = testing;
  const port = await freePort();
  const dir = cacheDir();
  const cached = existsSync(join(dir, 'vendure.mjs.sqlite'));
  // A cold populate writes into its own directory first, so two runs populating at once never read a
  // half-written file; the finished file is then moved into the shared cache.
  const workDir = cached ? dir : `${dir}.${process.pid}`;
  mkdirSync(workDir, {recursive: true});
  registerInitializer('sqljs', new SqljsInitializer(workDir));
  const config = mergeConfig(testConfig, {
    apiOptions: {port},
    defaultChannelToken: CHANNEL_TOKEN,
    // Both session kinds the adapter supports; a request with a session cookie is read by its cookie.
    authOptions: {tokenMethod: ['cookie', 'bearer'], requireVerification: false},
    orderOptions: {orderLineItemsLimit: LINE_ITEMS_LIMIT},
    customFields: {OrderLine: [{name: LINE_ATTRIBUTES_FIELD, type: 'text', nullable: true, public: true}]},
    ...(process.env.LOG ? {logger: new DefaultLogger({level: LogLevel.Info})} : {}),
  });
  const {server, adminClient} = createTestEnvironment(config);
  await server.init({
    initialData: JSON.parse(readFileSync(join(seedDir, 'initial-data.json'), 'utf8')),
    productsCsvPath: join(seedDir, 'products.csv'),
    customerCount: 0,
  });
  if (!cached) {
    mkdirSync(dir, {recursive: true});
    renameSync(join(workDir, 'vendure.mjs.sqlite'), join(dir, 'vendure.mjs.sqlite'));
    rmSync(workDir, {recursive: true, force: true});
    // Databases seeded for an older seed or config are never read again.
    for (const old of readdirSync(dirname(dir))) {
      if (/^[0-9a-f]{16}$/.test(old) && join(dirname(dir), old) !== dir) rmSync(join(dirname(dir), old), {recursive: true, force: true});
    }
  }
  // Promotions and the second channel are made per boot (the database is not saved while running).
  await adminClient.asSuperAdmin();
  const admin = async (document, variables) => adminClient.query(parse(document), variables);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  for (const promotion of [
    {couponCode: COUPON, name: 'Live 10%', discount: '10'},
    {couponCode: EXPIRED_COUPON, name: 'Last week', discount: '5', endsAt: yesterday},
  ]) {
    const {createPromotion} = await admin(CREATE_PROMOTION, {
      input: {
        enabled: true,
        couponCode: promotion.couponCode,
        ...(promotion.endsAt ? {endsAt: promotion.endsAt} : {}),
        conditions: [],
        actions: [{code: 'order_percentage_discount', arguments: [{name: 'discount', value: promotion.discount}]}],
        translations: [{languageCode: 'en', name: promotion.name}],
      },
    });
    if (!createPromotion.id) throw new Error(`Vendure test server: ${createPromotion.message}`);
  }
  const {zones} = await admin('{ zones { items { id } } }');
  const zoneId = zones.items[0].id;
  const {createChannel} = await admin(CREATE_CHANNEL, {
    input: {
      code: 'empty', token: EMPTY_CHANNEL_TOKEN, defaultLanguageCode: 'en', pricesIncludeTax: false,
      defaultCurrencyCode: 'EUR', defaultTaxZoneId: zoneId, defaultShippingZoneId: zoneId,
    },
  });
  if (!createChannel.id) throw new Error(`Vendure test server: ${createChannel.message}`);
  console.log(`[vendure] Shop API up on port ${port} in ${Date.now() - started} ms (${cached ? 'warm' : 'cold: seeded'})`);
  return {port, server};
}

const CREATE_PROMOTION = `mutation ($input: CreatePromotionInput!) {
  createPromotion(input: $input) { ... on Promotion { id } ... on ErrorResult { message } }
}`;

const CREATE_CHANNEL = `mutation ($input: CreateChannelInput!) {
  createChannel(input: $input) { ... on Channel { id } ... on ErrorResult { message } }
}`;

function vendure() {
  booting ??= bootVendure().catch((error) => {
    booting = undefined; // the next request tries again, and says why this one failed
    throw error;
  });
  return booting;
}

/** The request body, read whole. */
async function bodyOf(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Forwards the request to Vendure as it came, and its answer (cookies, vendure-auth-token) as it went.
 * `body`: the request body when it was already read (to look for a fault), else it is piped.
 */
function proxy(ctx, port, path, body) {
  return new Promise((resolve) => {
    const headers = {...ctx.req.headers, host: `127.0.0.1:${port}`};
    const upstream = request({host: '127.0.0.1', port, path, method: ctx.req.method, headers}, (answer) => {
      ctx.res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(ctx.res);
      answer.on('end', resolve);
    });
    upstream.on('error', (error) => {
      if (!ctx.res.headersSent) ctx.res.writeHead(502, {'content-type': 'text/plain'});
      ctx.res.end(`Vendure is not answering: ${error.message}`);
      resolve();
    });
    if (body) upstream.end(body);
    else ctx.req.pipe(upstream);
  });
}

/** Koa middleware: /vendure/… goes to the Vendure server, booted on first use. */
export async function middleware(ctx, next) {
  if (!ctx.path.startsWith(PREFIX)) return next();
  const rest = ctx.url.slice(PREFIX.length - 1); // keeps the leading slash and the query
  if (rest.startsWith('/down/')) {
    ctx.status = 502; // for the runner's log: the browser sees the connection drop, not this status
    ctx.respond = false;
    ctx.req.socket.destroy();
    return;
  }
  if (rest.startsWith('/null/')) {
    ctx.type = 'application/json';
    ctx.body = 'null';
    return;
  }
  if (rest === '/fault/held') {
    ctx.body = {held};
    return;
  }
  if (rest === '/fault') {
    const body = JSON.parse((await bodyOf(ctx.req)).toString('utf8') || '{}');
    if (typeof body.operation !== 'string' || !['status', 'hang'].includes(body.mode)) {
      ctx.status = 400;
      ctx.body = 'operation: an operation name; mode: status or hang';
      return;
    }
    faults.set(body.operation, body.mode);
    held = held.filter((name) => name !== body.operation);
    ctx.status = 201;
    return;
  }
  let port;
  try {
    ({port} = await vendure());
  } catch (error) {
    ctx.status = 503;
    ctx.body = `The Vendure test server did not start: ${error.stack ?? error}`;
    return;
  }
  if (rest === '/ready') {
    ctx.status = 204;
    return;
  }
  let body;
  if (faults.size && ctx.method === 'POST') {
    body = await bodyOf(ctx.req);
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.toString('utf8'))?.[1];
    const mode = operation && faults.get(operation);
    if (mode) {
      faults.delete(operation);
      if (mode === 'status') {
        ctx.status = 503;
        ctx.body = {errors: [{message: `${operation} answered 503 by request`}]};
        return;
      }
      ctx.status = 504; // for the runner's log: the browser never gets an answer
      ctx.respond = false;
      held.push(operation);
      const timer = setTimeout(() => ctx.res.destroy(), HANG_MS);
      ctx.res.once('close', () => clearTimeout(timer));
      return;
    }
  }
  ctx.respond = false; // the proxy writes the response itself
  await proxy(ctx, port, rest, body);
}

/** wtr plugin: shuts Vendure down with the test server, when it was started. */
export const plugin = {
  name: 'vendure-test-server',
  async serverStop() {
    if (!booting) return;
    const {server} = await booting.catch(() => ({}));
    await server?.destroy();
  },
};
