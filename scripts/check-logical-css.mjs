// Right-to-left is a layout the styles must not fight: kolkit's styles use logical properties only
// (inset-inline-start, margin-inline-end, text-align: start…), so a page with dir="rtl" mirrors every element
// by itself. This check fails (exit 1) on a physical left or right in a style: a property naming a side
// (margin-left, padding-right, border-left…, left:, right:), a value naming one (float: left, text-align: right,
// transform-origin: left center, background-position: right…), or a four-value margin, padding, inset or
// border box whose left and right differ (margin: 0 0 0 auto). Top and bottom are not checked: kolkit lays
// out horizontally only. Run in `npm test`; `node scripts/check-logical-css.mjs` prints every finding.
//
// What it reads: every *.styles.ts and card-styles.ts under src/elements (the whole file: it holds only CSS),
// the css`` blocks of any other src/**/*.ts, every .css file under src/, demo/ and the Shopify extensions'
// assets, and the <style> blocks of demo/*.html. A line that must stay physical says so, with its reason, in
// a comment on the same line: `/* logical-css: allow <reason> */`. Paths given as arguments are checked instead.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const ALLOW = /\/\*\s*logical-css:\s*allow\s+\S[^*]*\*\//;
/** A side as a property's word (margin-left, left) and as a value's keyword (not inside a name: --x-left). */
const SIDE_PROPERTY = /(^|-)(left|right)(-|$)/;
const SIDE_VALUE = /(?<![-\w])(left|right)(?![-\w])/;
/** Shorthands whose four values are top, right, bottom, left. */
const BOX = /^(margin|padding|inset|scroll-margin|scroll-padding|border-width|border-style|border-color)$/;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The CSS a file holds, with each piece's starting line, so findings name the right line. */
function cssOf(path, text) {
  if (path.endsWith('.css')) return [{ css: text, line: 1 }];
  if (/(\.styles|card-styles)\.ts$/.test(path)) return [{ css: text, line: 1 }];
  const open = path.endsWith('.html') ? /<style[^>]*>/g : /\bcss`/g;
  const close = path.endsWith('.html') ? '</style>' : '`';
  const pieces = [];
  for (const match of text.matchAll(open)) {
    const start = match.index + match[0].length;
    const end = text.indexOf(close, start);
    if (end < 0) continue;
    pieces.push({ css: text.slice(start, end), line: text.slice(0, start).split('\n').length });
  }
  return pieces;
}

/** Findings in one piece of CSS: [line, message]. Comments are blanked (kept as spaces, lines kept). */
function check({ css, line: first }) {
  const findings = [];
  const lines = css.split('\n');
  const allowed = new Set(lines.flatMap((l, i) => (ALLOW.test(l) ? [first + i] : [])));
  const bare = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '');
  for (const match of bare.matchAll(/(?<=^|[{;\s])(-?[a-z][a-z-]*)\s*:\s*([^;{}]*?)\s*(?=;|}|$)/gm)) {
    const [, property, value] = match;
    const line = first + bare.slice(0, match.index).split('\n').length - 1;
    if (allowed.has(line) || property.startsWith('--')) continue;
    // A selector such as `a:focus-visible` matches the pattern too: a declaration's property is a known word shape.
    if (/^(host|not|is|where|has|dir|focus|hover|active|first|last|nth|before|after|defined|fullscreen)/.test(value)) continue;
    if (SIDE_PROPERTY.test(property)) findings.push([line, `${property}: a physical side (use its inline-start/end form)`]);
    else if (SIDE_VALUE.test(value.replace(/var\([^)]*\)|url\([^)]*\)|(['"]).*?\1/g, ''))) {
      findings.push([line, `${property}: ${value}: a physical side in the value (use start/end, or a custom property set per direction)`]);
    } else if (BOX.test(property)) {
      const values = value.split(/\s+(?![^(]*\))/);
      if (values.length === 4 && values[1] !== values[3]) findings.push([line, `${property}: ${value}: left and right differ (use ${property}-inline-start/end)`]);
    }
  }
  return findings;
}

const sources = process.argv.length > 2 ? process.argv.slice(2).map((p) => join(process.cwd(), p)) : [
  ...[...walk(join(ROOT, 'src'))].filter((p) => p.endsWith('.ts') || p.endsWith('.css')),
  ...[...walk(join(ROOT, 'demo'))].filter((p) => p.endsWith('.css') || /demo\/[^/]+\.html$/.test(p)),
  ...[...walk(join(ROOT, 'integrations'))].filter((p) => p.endsWith('.css')),
];

let count = 0;
let files = 0;
for (const path of sources) {
  const pieces = cssOf(path, readFileSync(path, 'utf8'));
  if (pieces.length) files++;
  for (const [line, message] of pieces.flatMap(check)) {
    console.error(`${relative(ROOT, path)}:${line}: ${message}`);
    count++;
  }
}
if (count) {
  console.error(`logical-css: ${count} physical left/right in styles (docs/accessibility.md, "Right to left")`);
  process.exit(1);
}
console.log(`logical-css: ${files} files with styles, no physical left/right`);
