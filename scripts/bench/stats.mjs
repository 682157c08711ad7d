// Small statistics and table helpers for `npm run bench`.

/** The q-quantile (0..1) of `values` by the nearest-rank method; null for none. */
export function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);

/** A number for a table cell: rounded to `digits`, signed when asked, '—' for null. */
export function num(value, {digits = 0, sign = false, unit = ''} = {}) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return `${sign && value > 0 ? '+' : ''}${text}${unit}`;
}

/** Percent change from `from` to `to` ("+3.2 %"). */
export function change(from, to) {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from === 0) return '—';
  return num(((to - from) / from) * 100, {digits: 1, sign: true, unit: ' %'});
}

export const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : '—');

/** A plain-text table: the first row is the header; numeric-looking cells are right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const right = (cell) => /^[-+—]?[\d.]/.test(String(cell)) || cell === '—';
  const line = (row) => row.map((cell, i) => (right(cell) ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A seeded PRNG (mulberry32), so the generated long show is the same in every run. */
export {random} from '../../test/fixtures/random.mjs';

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
