/**
 * `npm run theme-check`: Shopify's theme-check on the theme app extension (integrations/shopify-app/extensions/kolkit-theme/) with
 * its theme-app-extension rules (`theme-check:theme-app-extension`: app-block tags, the 10,000-byte budget of
 * a block's JavaScript, schema and translation checks on top of the recommended ones). Prints every offence
 * and exits 1 when there is any error (warnings and infos are printed but pass).
 *
 * Offline and reproducible: theme-check reads Shopify's Liquid docs (filters, objects, tags, JSON schemas).
 * Left alone it downloads the latest from GitHub into a user cache and falls back to the copy its package
 * ships. This run always uses the shipped copy: SHOPIFY_TLD_ROOT points the download at a folder that has no
 * docs, and the cache is a fresh temporary folder, so the same theme-check version always checks the same way.
 *
 * The extension's JavaScript is built (`npm run build` copies dist/cdn into its assets/): check after a build.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const EXTENSION = join(ROOT, 'integrations', 'shopify-app', 'extensions', 'kolkit-theme');
const CONFIG = 'theme-check:theme-app-extension';
const SEVERITY = ['error', 'warning', 'info'];

const scratch = mkdtempSync(join(tmpdir(), 'kolkit-theme-check-'));
// Read when theme-check's modules load (env-paths) and when they would download: set both before importing.
process.env.XDG_CACHE_HOME = join(scratch, 'cache');
process.env.SHOPIFY_TLD_ROOT = join(scratch, 'no-docs');

let offenses;
let config;
try {
  const {themeCheckRun} = await import('@shopify/theme-check-node');
  // theme-check logs each docs fallback it takes; only a failure below is worth showing.
  const log = [];
  ({offenses, config} = await themeCheckRun(EXTENSION, CONFIG, (line) => log.push(line)));
  if (config.context !== 'app') throw new Error(`expected the theme-app-extension context, got ${config.context}`);
  const missingDocs = log.filter((line) => /Failed to load or transform fallback/.test(line));
  if (missingDocs.length) throw new Error(`theme-check's shipped docs could not be read:\n${missingDocs.join('\n')}`);
} finally {
  rmSync(scratch, {recursive: true, force: true});
}

const sorted = [...offenses].sort((a, b) => a.severity - b.severity || a.uri.localeCompare(b.uri) || a.start.line - b.start.line);
for (const offense of sorted) {
  const file = relative(ROOT, fileURLToPath(offense.uri));
  console.log(`${file}:${offense.start.line + 1}:${offense.start.character + 1} ${SEVERITY[offense.severity]} ${offense.check}: ${offense.message}`);
}
const errors = offenses.filter((offense) => offense.severity === 0).length;
if (!existsSync(join(EXTENSION, 'assets', 'kolkit-loader.js'))) {
  console.log('The extension has no kolkit-loader.js: `npm run build` copies the built JavaScript into its assets/.');
}
const checks = config.checks.length;
console.log(`theme-check (${CONFIG}, ${checks} checks): ${errors} errors, ${offenses.length - errors} warnings or infos in ${relative(ROOT, EXTENSION)}/`);
process.exitCode = errors ? 1 : 0;
