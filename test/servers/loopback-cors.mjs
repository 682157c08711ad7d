/**
 * The test Storefront API as a developer's local mock on another origin: `/loopback-cors/<path>` answers
 * what `/<path>` does, with the CORS headers a local mock or dev proxy sends. A page on `localhost` calling
 * `http://127.0.0.1:<port>/loopback-cors/storefront/…` is then calling plain http on loopback, cross-origin
 * (test/hardening/adapters.test.ts).
 */
const PREFIX = '/loopback-cors';

/** Koa middleware: CORS on the prefix (preflight answered here), the rest handled by the next server. */
export async function middleware(ctx, next) {
  if (!ctx.path.startsWith(`${PREFIX}/`)) return next();
  ctx.set('access-control-allow-origin', '*');
  if (ctx.method === 'OPTIONS') {
    ctx.set('access-control-allow-methods', 'POST');
    ctx.set('access-control-allow-headers', ctx.get('access-control-request-headers') || 'content-type');
    ctx.status = 204;
    return;
  }
  ctx.path = ctx.path.slice(PREFIX.length);
  return next();
}
