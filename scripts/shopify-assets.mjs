/**
 * Puts kolkit's script-tag build into the Shopify theme app extension: copies every `dist/cdn/*.js`
 * (kolkit-loader.js, kolkit.js, hls.worker.js and the lazy kolkit-*.js chunks; dist/cdn is flat, like a theme's
 * assets/ folder) to `integrations/shopify-app/extensions/kolkit-theme/assets/`, after removing the JavaScript a previous build left
 * there, so a renamed chunk is never shipped stale. The extension's own files there (kolkit-theme.css) stay.
 * Run by `npm run build`; the copies are not committed (integrations/.gitignore).
 */
import {copyFileSync, existsSync, readdirSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const FROM = join(ROOT, 'dist', 'cdn');
const TO = join(ROOT, 'integrations', 'shopify-app', 'extensions', 'kolkit-theme', 'assets');
/** What the extension's blocks name (the loader) and what the loader imports: without them it cannot work. */
const REQUIRED = ['kolkit-loader.js', 'kolkit.js'];

const built = existsSync(FROM) ? readdirSync(FROM).filter((name) => name.endsWith('.js')) : [];
const missing = REQUIRED.filter((name) => !built.includes(name));
if (missing.length) {
  console.error(`shopify-assets: ${missing.join(', ')} missing from dist/cdn/: run \`npm run build\` first.`);
  process.exit(1);
}
for (const name of readdirSync(TO)) if (name.endsWith('.js')) rmSync(join(TO, name));
for (const name of built) copyFileSync(join(FROM, name), join(TO, name));
console.log(`shopify-assets: ${built.length} files from dist/cdn/ into integrations/shopify-app/extensions/kolkit-theme/assets/`);
