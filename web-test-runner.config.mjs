// @web/test-runner: every test runs in Debian's Chromium (/usr/bin/chromium, installed by
// scripts/ensure-browser.mjs), never a downloaded browser. The demo app (live HLS origin, demo pages, and the
// show server embedded: its API under /v1/ and the studio) is mounted as middleware, so tests hit the same
// server code `npm start` runs. Tests get a host token through a server command (test/fixtures/host.ts),
// never through a page.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { readdirSync } from 'node:fs';
import { createDemoApp } from './demo/server.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const args = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking', // no network here: avoids bursts of refused connections
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  // The fuzz test weighs the heap: a collectable heap (gc()) and exact figures (performance.memory).
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];

// @web/dev-server-esbuild treats every *.ts request as TypeScript, MPEG-TS segments included.
function esbuildExcept(prefixes, options) {
  const plugin = esbuildPlugin(options);
  for (const hook of ['resolveMimeType', 'transform']) {
    const original = plugin[hook].bind(plugin);
    plugin[hook] = (context) => (prefixes.some((p) => context.path.startsWith(p)) ? undefined : original(context));
  }
  return plugin;
}

// A plain "N passed, N failed, N skipped" line at the end, for CI log readers (wtr's own has a progress bar).
function plainTotalsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0, failed = 0, skipped = 0;
      const walk = (suite) => {
        for (const t of suite.tests) t.skipped ? skipped++ : t.passed ? passed++ : failed++;
        for (const s of suite.suites) walk(s);
      };
      for (const s of sessions) {
        if (s.testResults) walk(s.testResults);
        if (!s.passed && !s.testResults?.tests.length && !s.testResults?.suites.length) failed++; // file failed to load
      }
      // Printed at exit so it is the very last line, after the default reporter's summary.
      process.once('exit', () => process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`));
    },
  };
}

// A fresh temporary data dir per run (removed when the runner stops); the viewer count every second, not 5 s,
// so a test sees viewers arrive without waiting long.
const demo = await createDemoApp({ segmentDuration: 2, viewersPeriodMs: 1000 });

// The fixtures' side channel to the demo's secrets (executeServerCommand in test/fixtures/host.ts): a page
// never sees a token it was not handed by a test.
const demoCommands = {
  name: 'kolkit-demo-tokens',
  async executeCommand({ command, payload }) {
    if (command === 'kolkit-host-token') return demo.hostToken(60 * 60, payload?.show);
    if (command === 'kolkit-viewer-token') return demo.viewerToken(payload);
    return undefined;
  },
  async serverStop() {
    await demo.close();
  },
};

// Koa adapter for the demo's node handler: `handle(req, res)` returns false for paths it does not serve.
// Its responses are written directly, so test-runner-core's year-long cache header never freezes a live
// playlist or an event stream.
const demoMiddleware = async (ctx, next) => {
  if (!demo.handle(ctx.req, ctx.res)) return next();
  ctx.respond = false;
  // Koa's status is still its default 404 here: mirror what the demo wrote so the runner does not log it.
  if (!ctx.res.headersSent) ctx.res.statusCode = 200;
};

// Test-only backends (a Storefront API answering from Shopify's schema, a real Vendure server…): each
// test/servers/*.mjs may export a Koa `middleware` and/or a wtr `plugin` (serverStart/serverStop hooks).
const testServers = await Promise.all(
  readdirSync(new URL('./test/servers/', import.meta.url))
    .filter((name) => name.endsWith('.mjs'))
    .sort()
    .map((name) => import(`./test/servers/${name}`)),
);

export default {
  files: process.env.WTR_FILES ? [process.env.WTR_FILES] : ['test/**/*.test.ts'],
  nodeResolve: true,
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args } })],
  concurrency: 1, // 2-core machines; media tests are timing-sensitive
  testsFinishTimeout: 600000,
  testFramework: { config: { timeout: 20000, ...(process.env.WTR_GREP ? { grep: process.env.WTR_GREP } : {}) } },
  reporters: [defaultReporter(), plainTotalsReporter()],
  // Lit's dev build (used in tests for its warnings) announces itself in every test file.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  middleware: [demoMiddleware, ...testServers.flatMap((server) => server.middleware ?? [])],
  plugins: [
    demoCommands,
    esbuildExcept(['/live/', '/media/', '/demo/media/'], { ts: true, tsconfig: './tsconfig.json' }),
    ...testServers.flatMap((server) => server.plugin ?? []),
  ],
};
