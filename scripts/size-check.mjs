// Size budgets of the built bundles, checked in CI (sizes are deterministic; speed lives in `npm run bench`).
// Prints every bundle's size and fails when one is over its budget, or when dist/cdn/ stops being one flat
// folder (a Shopify theme app extension's assets/ folder allows no subfolders).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const CDN = 'dist/cdn';
const budgets = [
  // DESIGN.md §6 / issue #2: the script-tag entry without its lazily loaded chunks. 25 KB until issue 10's
  // hardening added 3 KB (docs/decisions/0003-entry-budget-after-hardening.md); 28 KB, then 30 KB after issues
  // 11 and 12; 10 KB since issue 16 defines each element from a chunk of its own (decision 0004).
  { file: `${CDN}/kolkit.js`, measure: 'brotli', max: 10 * 1024 },
  // Issue #5: Shopify theme-check's AssetSizeAppBlockJavaScript budget. It compares the file's size on disk
  // (fs.stat, @shopify/theme-check-common context-utils.js makeFileSize) to 10,000 bytes: raw, not compressed.
  { file: `${CDN}/kolkit-loader.js`, measure: 'raw', max: 10_000 },
];

const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = (buf) => ({ raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotli(buf) });
const describe = ({ raw, gzip, brotli }) => `${raw} B (${kb(raw)}) min, ${kb(gzip)} gzip, ${kb(brotli)} brotli`;

if (!existsSync(CDN)) { console.error(`size: ${CDN} is missing: run npm run build`); process.exit(1); }
let failed = false;
const rows = [];
const fail = (message) => { rows.push(`FAIL ${message}`); failed = true; };

for (const { file, measure, max } of budgets) {
  if (!existsSync(file)) { console.error(`size: ${file} is missing: run npm run build`); process.exit(1); }
  const size = sizes(readFileSync(file));
  const ok = size[measure] <= max;
  failed ||= !ok;
  rows.push(`${ok ? 'ok  ' : 'OVER'} ${file}: ${describe(size)} (budget ${max} B ${measure})`);
}

const files = readdirSync(CDN);
for (const name of files.filter((f) => statSync(`${CDN}/${f}`).isDirectory())) fail(`${CDN}/${name}/ is a folder: the CDN build must stay flat`);
const measured = new Set(budgets.map(({ file }) => file));
for (const name of files.filter((f) => f.endsWith('.js') && !measured.has(`${CDN}/${f}`))) {
  const what = name === 'hls.worker.js' ? "hls.js's transmuxing worker" : 'lazy chunk, loaded only when needed';
  if (name !== 'hls.worker.js' && !/^kolkit-[\w-]+-[\w-]+\.js$/.test(name)) fail(`${CDN}/${name}: a chunk must be named kolkit-<name>-<hash>.js`);
  rows.push(`info ${CDN}/${name}: ${describe(sizes(readFileSync(`${CDN}/${name}`)))} (${what})`);
}

// The entry must stay one file: a static import from it would add a request before anything renders
// (rollup does that when a lazy chunk imports a value back from the entry).
const staticImport = /(^|[;}])\s*(import|export)\s*[{*\w][^()]*?from\s*["']/;
if (staticImport.test(readFileSync(`${CDN}/kolkit.js`, 'utf8'))) {
  fail(`${CDN}/kolkit.js statically imports another file: keep lazy chunks from importing back into the entry`);
}
// The loader is a classic script: an import statement there is a syntax error in the browser.
const loader = readFileSync(`${CDN}/kolkit-loader.js`, 'utf8');
if (staticImport.test(loader) || /(^|[;}])\s*import\s*["']|(^|[;}])\s*export\s/.test(loader)) {
  fail(`${CDN}/kolkit-loader.js has an import or export statement: it must stay a classic script`);
}
console.log(rows.join('\n'));
if (failed) { console.error('size: a bundle is over its budget or the CDN layout is wrong'); process.exit(1); }
