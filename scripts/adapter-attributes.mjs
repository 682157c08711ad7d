// The show attributes the built-in adapters read, with a line on each, for the docs tooling (the custom
// elements manifest config and scripts/docs.mjs). Read from src/adapters/registry-docs.ts with the
// TypeScript parser (no build needed); tsc holds that file to the registry's lists (src/adapters/registry.ts).
import {readObjectLiteral} from './source-literal.mjs';

const FILE = 'src/adapters/registry-docs.ts';

/** `{adapter: {attribute: line}}`, in the order the file writes them. */
export function readAdapterAttributes(file = FILE) {
  const byAdapter = readObjectLiteral(file, 'ADAPTER_ATTRIBUTE_DOCS');
  for (const [adapter, attributes] of Object.entries(byAdapter)) {
    const lines = typeof attributes === 'object' ? Object.values(attributes) : [attributes];
    if (lines.some((line) => typeof line !== 'string')) throw new Error(`${file}: ${adapter} must map each attribute to its line.`);
  }
  return byAdapter;
}

/**
 * One `{name, description}` per attribute, in first-listed order: the description names the adapters that
 * read it (`shopify-storefront: the shop's domain…`); adapters giving the same line share it
 * (`memory and vendure: …`), different lines are joined with `; `.
 */
export function describeAdapterAttributes(byAdapter = readAdapterAttributes()) {
  const lines = new Map(); // attribute → (line → adapters)
  for (const [adapter, attributes] of Object.entries(byAdapter)) {
    for (const [name, line] of Object.entries(attributes)) {
      if (!lines.has(name)) lines.set(name, new Map());
      const byLine = lines.get(name);
      byLine.set(line, [...(byLine.get(line) ?? []), adapter]);
    }
  }
  return [...lines].map(([name, byLine]) => ({
    name,
    description: [...byLine].map(([line, adapters]) => `${listed(adapters)}: ${line}`).join('; '),
  }));
}

function listed(names) {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
