// `npm run test:webkit`: the suite in WebKit only (WebKitGTK's MiniBrowser under WebKitWebDriver and Xvfb,
// scripts/webkit-launcher.mjs), with everything else of web-test-runner.config.mjs. Not part of `npm test`:
// docs/engines.md says how far WebKit gets and what it would cost in CI. WTR_FILES picks files as usual.
process.env.WTR_BROWSERS = 'webkit';
const { default: config } = await import('./web-test-runner.config.mjs');
export default config;
