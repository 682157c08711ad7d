// Size budgets of the built bundles, checked in CI (sizes are deterministic; speed lives in `npm run bench`).
// Prints every bundle's size and fails when one is over its budget.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const budgets = [
  // DESIGN.md §6 / issue #2: the script-tag entry without the lazily loaded hls.js chunk.
  { file: 'dist/cdn/kolkit.js', brotliMax: 25 * 1024 },
];

const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let failed = false;
const rows = [];
for (const { file, brotliMax } of budgets) {
  if (!existsSync(file)) { console.error(`size: ${file} is missing: run npm run build`); process.exit(1); }
  const buf = readFileSync(file);
  const size = brotli(buf);
  const ok = size <= brotliMax;
  failed ||= !ok;
  rows.push(`${ok ? 'ok  ' : 'OVER'} ${file}: ${kb(buf.length)} min, ${kb(gzipSync(buf, { level: 9 }).length)} gzip, ${kb(size)} brotli (budget ${kb(brotliMax)})`);
}
for (const chunk of existsSync('dist/cdn/chunks') ? readdirSync('dist/cdn/chunks').filter((f) => f.endsWith('.js')) : []) {
  const buf = readFileSync(`dist/cdn/chunks/${chunk}`);
  rows.push(`info dist/cdn/chunks/${chunk}: ${kb(buf.length)} min, ${kb(brotli(buf))} brotli (lazy, loaded only with a player)`);
}
// The entry must stay one file: a static import from it would add a request before anything renders
// (rollup does that when a lazy chunk imports a value back from the entry).
const entry = readFileSync('dist/cdn/kolkit.js', 'utf8');
if (/(^|[;}])\s*import\s*[{*\w][^()]*?from\s*["']/.test(entry)) {
  rows.push('FAIL dist/cdn/kolkit.js statically imports another file: keep lazy chunks from importing back into the entry');
  failed = true;
}
console.log(rows.join('\n'));
if (failed) { console.error('size: a bundle is over its budget'); process.exit(1); }
