// A Custom Elements Manifest analyzer plugin (custom-elements-manifest.config.mjs) that writes the typed
// tags for frameworks from the finished manifest:
//   dist/types/jsx.d.ts  `CustomElements` for React 19 / Preact JSX (`kolkit/jsx`)
//   dist/types/vue.d.ts  Vue's `GlobalComponents` (`kolkit/vue`)
// The generators are custom-element-jsx-integration and custom-element-vuejs-integration. Their output is
// corrected in known places (each checked, so a generator upgrade that changes its output fails the
// build instead of shipping wrong types):
//   - an event typed with its class becomes `CustomEvent<KolCartChangeEvent>`, a CustomEvent whose detail
//     is an event: the handler gets the event class itself (`KolCartChangeEvent`, a CustomEvent<{cart}>);
//   - the import list repeats a name per element that fires it (`KolErrorEvent` five times): once each;
//   - Vue: listener props are named the way Vue maps `@kol-cart-change` (`onKolCartChange`), not
//     `onkol-cart-change`, which vue-tsc never matches;
//   - an attribute no field stands for (`checkout-url`, read by the memory adapter) is typed as the string it
//     is, not `KolShow["undefined"]` (this one only when there is such an attribute).
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {generateJsxTypes} from 'custom-element-jsx-integration';
import {generateVuejsTypes} from 'custom-element-vuejs-integration';

const OUTDIR = 'dist/types';
/** Where the element and event classes are exported, relative to OUTDIR. */
const TYPES_FROM = '../esm/index.js';

/** The plugin; list it after the plugins that tidy the manifest, as it reads their result. */
export function frameworkTypesPlugin() {
  return {
    name: 'kolkit-framework-types',
    packageLinkPhase({customElementsManifest}) {
      const manifest = withoutStatics(customElementsManifest);
      const common = {outdir: OUTDIR, globalTypePath: TYPES_FROM, hideLogs: true};
      generateJsxTypes(manifest, {...common, fileName: 'jsx.d.ts'});
      generateVuejsTypes(manifest, {...common, fileName: 'vue.d.ts'});
      fix('jsx.d.ts', [eventTypes, uniqueImports], [fieldlessAttributes]);
      fix('vue.d.ts', [eventTypes, uniqueImports, vueListenerNames], [fieldlessAttributes]);
    },
  };
}

/**
 * A copy of the manifest without static members: `KolShow.define()` is how the package registers a tag,
 * not something to call on an element, and the generators would list it among each tag's methods.
 */
function withoutStatics(manifest) {
  const copy = structuredClone(manifest);
  for (const mod of copy.modules) {
    for (const declaration of mod.declarations ?? []) {
      if (declaration.members) declaration.members = declaration.members.filter((m) => !m.static);
    }
  }
  return copy;
}

/** Applies `required` fixes (each must change something) then `optional` ones to a generated file. */
function fix(fileName, required, optional) {
  const file = path.join(OUTDIR, fileName);
  let text = readFileSync(file, 'utf8');
  for (const apply of required) {
    const next = apply(text);
    if (next === text) throw new Error(`[kolkit framework types] ${apply.name} found nothing to fix in ${file}: has the generator changed?`);
    text = next;
  }
  for (const apply of optional) text = apply(text);
  writeFileSync(file, text);
}

/** `(e: CustomEvent<KolCartChangeEvent>) => void` → `(e: KolCartChangeEvent) => void`. */
function eventTypes(text) {
  return text.replace(/CustomEvent<(Kol\w+Event)>/g, '$1');
}

/** The `import type {…} from "../esm/index.js"` of kolkit's classes, with each name once. */
function uniqueImports(text) {
  const end = text.indexOf(`} from "${TYPES_FROM}"`);
  const start = text.lastIndexOf('import type {', end) + 'import type {'.length;
  if (end === -1 || start < 'import type {'.length) return text;
  const names = [...new Set(text.slice(start, end).split(',').map((n) => n.trim()).filter(Boolean))];
  return `${text.slice(0, start)}\n  ${names.join(',\n  ')},\n${text.slice(end)}`;
}

/** `"checkout-url"?: KolShow["undefined"]` → `"checkout-url"?: string`. */
function fieldlessAttributes(text) {
  return text.replace(/\bKol\w+\["undefined"\]/g, 'string');
}

/** `"onkol-cart-change"?:` → `onKolCartChange?:`, the prop Vue binds `@kol-cart-change` to. */
function vueListenerNames(text) {
  return text.replace(/"on(kol-[a-z-]+)"\?:/g, (_, name) => `on${name.replace(/(^|-)([a-z])/g, (__, ___, c) => c.toUpperCase())}?:`);
}
