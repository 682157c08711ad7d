// @web/test-runner: every test runs in two engines from Debian, Chromium (/usr/bin/chromium) and Firefox ESR
// (/usr/bin/firefox-esr), both installed by scripts/ensure-browser.mjs, never a downloaded browser. Chromium
// first, then Firefox (one engine at a time: 2 cores, timing-sensitive media tests); WTR_BROWSERS=chromium
// (or =firefox) runs one. docs/engines.md says what differs between them. The demo app (live HLS origin, demo pages, and the
// show server embedded: its API under /v1/ and the studio) is mounted as middleware, so tests hit the same
// server code `npm start` runs. Tests get a host token through a server command (test/fixtures/host.ts),
// never through a page.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import * as puppeteerCore from 'puppeteer-core';
import { readdirSync } from 'node:fs';
import { createDemoApp } from './demo/server.mjs';
import { webkitLauncher } from './scripts/webkit-launcher.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
// Chromium-only switches (Firefox gets prefs, below).
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

// Firefox ESR is driven over WebDriver BiDi by the puppeteer-core the Chromium launcher uses (24.43.1):
// @web/test-runner-chrome's launcher with a custom puppeteer, the browser Debian's firefox-esr. H.264/AAC
// playback goes through the system's libavcodec59.
const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const firefoxPrefs = {
  // A fresh profile must not phone home: there is no network here.
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  // No reduced motion, whatever the desktop says: WebDriver BiDi cannot emulate the media feature per test
  // as CDP does in Chromium (test/elements/reactions.test.ts).
  'ui.prefersReducedMotion': 0,
};

const engines = {
  chromium: () => chromeLauncher({ launchOptions: { executablePath, headless: true, args } }),
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true, extraPrefsFirefox: firefoxPrefs },
    }),
  // Not in the default list: `npm run test:webkit` (wtr-webkit.config.mjs) runs it; docs/engines.md says how far it gets.
  webkit: () => webkitLauncher(),
};
const engineNames = (process.env.WTR_BROWSERS || 'chromium,firefox').split(',').map((name) => name.trim()).filter(Boolean);
for (const name of engineNames) {
  if (!engines[name]) throw new Error(`WTR_BROWSERS: unknown engine "${name}" (known: ${Object.keys(engines).join(', ')})`);
}

/** Remembers when a launcher started its first test file and when it stopped: the engine's wall time. */
const engineTimes = new Map();
function timed(launcher, engine) {
  const times = { engine, start: 0, end: 0 };
  engineTimes.set(launcher, times);
  const startSession = launcher.startSession.bind(launcher);
  const stop = launcher.stop.bind(launcher);
  launcher.startSession = (...a) => ((times.start ||= Date.now()), startSession(...a));
  launcher.stop = async () => {
    try {
      return await stop();
    } finally {
      times.end = Date.now();
    }
  };
  return launcher;
}
const browsers = engineNames.map((name) => timed(engines[name](), name));
// The launcher calls Debian's Chromium "Chrome"; name both by engine in wtr's progress lines.
for (const [i, name] of engineNames.entries()) browsers[i].name = { chromium: 'Chromium', firefox: 'Firefox' }[name] ?? browsers[i].name;

// @web/dev-server-esbuild treats every *.ts request as TypeScript, MPEG-TS segments included.
function esbuildExcept(prefixes, options) {
  const plugin = esbuildPlugin(options);
  for (const hook of ['resolveMimeType', 'transform']) {
    const original = plugin[hook].bind(plugin);
    plugin[hook] = (context) => (prefixes.some((p) => context.path.startsWith(p)) ? undefined : original(context));
  }
  return plugin;
}

// A plain "N passed, N failed, N skipped" line per engine and one in all at the end, for CI log readers
// (wtr's own has a progress bar).
function plainTotalsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = new Map(browsers.map((b) => [b, { passed: 0, failed: 0, skipped: 0 }]));
      for (const s of sessions) {
        const t = totals.get(s.browser);
        const walk = (suite) => {
          for (const test of suite.tests) test.skipped ? t.skipped++ : test.passed ? t.passed++ : t.failed++;
          for (const child of suite.suites) walk(child);
        };
        if (s.testResults) walk(s.testResults);
        if (!s.passed && !s.testResults?.tests.length && !s.testResults?.suites.length) t.failed++; // file failed to load
      }
      const line = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed, ${skipped} skipped`;
      const all = { passed: 0, failed: 0, skipped: 0 };
      const lines = [];
      for (const [browser, t] of totals) {
        for (const k of Object.keys(all)) all[k] += t[k];
        const { engine, start, end } = engineTimes.get(browser);
        const took = start ? ` in ${(((end || Date.now()) - start) / 1000).toFixed(0)} s` : '';
        lines.push(`${engine}: ${line(t)}${took}`);
      }
      // Printed at exit so they are the very last lines, after the default reporter's summary.
      process.once('exit', () => process.stdout.write(`\n${lines.join('\n')}\n${line(all)}\n`));
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
  browsers,
  concurrentBrowsers: 1, // one engine after the other
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
