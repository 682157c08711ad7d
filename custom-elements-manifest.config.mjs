// Custom Elements Manifest config, read by `cem analyze` from the repo root (`npm run docs` runs it).
// The analyzer knows `customElements.define('x', X)` but not kolkit's define files, which call
// `KolFoo.define('kol-foo')` (a static method of KolElement). The plugin below teaches it that pattern and
// tidies what the analyzer gets wrong for this code base, so dist/custom-elements.json describes the
// five elements as a storefront developer's tools (IDE, docs) expect.
import path from 'node:path';
import {frameworkTypesPlugin} from './scripts/cem-framework-types.mjs';
import {describeAdapterAttributes} from './scripts/adapter-attributes.mjs';

export default {
  globs: ['src/**/*.ts'],
  // Docs-only data, read by addAdapterAttributes below; nothing imports it at run time.
  exclude: ['src/adapters/registry-docs.ts'],
  outdir: 'dist',
  litelement: true,
  // The `customElements` field is already in package.json; the analyzer must not rewrite the file.
  packagejson: false,
  // Typed tags for React/Preact JSX and Vue (dist/types/), written from the tidied manifest.
  plugins: [kolkitPlugin(), frameworkTypesPlugin()],
};

/** Every plugin hook of the analyzer in one object; the hooks run in the order written here. */
function kolkitPlugin() {
  /** `kol-*` event name by event class, read from `static readonly eventName = '…'`. */
  const eventNames = new Map();
  /** Type aliases that are unions of string literals (`type PlayerStatus = 'idle' | …`), by name. */
  const literalUnions = new Map();
  /** Per module: imported local name → the module path it comes from. */
  const importsByModule = new Map();

  return {
    name: 'kolkit',

    analyzePhase({ts, node, moduleDoc}) {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const from = resolveSpecifier(node.moduleSpecifier.text, moduleDoc.path);
        const bindings = node.importClause?.namedBindings;
        if (from && bindings && ts.isNamedImports(bindings)) {
          const map = importsByModule.get(moduleDoc.path) ?? new Map();
          for (const element of bindings.elements) map.set(element.name.text, from);
          importsByModule.set(moduleDoc.path, map);
        }
      }

      // `static readonly eventName = 'kol-foo'` in an event class.
      if (
        ts.isPropertyDeclaration(node) && node.name.getText() === 'eventName' &&
        node.initializer && ts.isStringLiteral(node.initializer) && ts.isClassDeclaration(node.parent) && node.parent.name
      ) {
        eventNames.set(node.parent.name.text, node.initializer.text);
      }

      // `type X = 'a' | 'b'`: kept so member types can say which values they take.
      if (ts.isTypeAliasDeclaration(node) && ts.isUnionTypeNode(node.type)) {
        const literals = node.type.types.filter((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
        if (literals.length === node.type.types.length) {
          literalUnions.set(node.name.text, literals.map((t) => t.getText()).join(' | '));
        }
      }

      // `KolFoo.define('kol-foo')`: a custom element definition, like `customElements.define('kol-foo', KolFoo)`.
      if (
        ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'define' && ts.isIdentifier(node.expression.expression) &&
        node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text.includes('-')
      ) {
        const className = node.expression.expression.text;
        if (className === 'customElements') return;
        const module = importsByModule.get(moduleDoc.path)?.get(className) ?? moduleDoc.path;
        moduleDoc.exports = [
          ...(moduleDoc.exports ?? []),
          {kind: 'custom-element-definition', name: node.arguments[0].text, declaration: {name: className, module}},
        ];
      }
    },

    moduleLinkPhase({moduleDoc}) {
      // `customElements.define(tag, this)` inside KolElement.define() is not a definition: its tag is a
      // variable (the core analyzer records it as a tag named "tag").
      moduleDoc.exports = moduleDoc.exports?.filter(
        (e) => e.kind !== 'custom-element-definition' || (e.name.includes('-') && !e.declaration.name.startsWith('anonymous_')),
      );
      moduleDoc.declarations = moduleDoc.declarations?.filter((d) => !d.name.startsWith('anonymous_'));
      for (const klass of classesOf(moduleDoc)) {
        // Private members are not API; they only bloat the manifest and every tool reading it.
        klass.members = klass.members?.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#'));
      }
    },

    // Runs after the core's package link phase (tag names linked, inheritance applied).
    packageLinkPhase({customElementsManifest: manifest}) {
      const modulePaths = new Set(manifest.modules.map((m) => m.path));
      const fix = (ref, from) => normalizeModule(ref, from, modulePaths);

      for (const mod of manifest.modules) {
        for (const exp of mod.exports ?? []) {
          if (!exp.declaration?.module) continue;
          exp.declaration.module = fix(exp.declaration.module, mod.path);
          // `import {X} from './x.js'; export {X};` points at the importing module: follow the import.
          const imported = importsByModule.get(mod.path)?.get(exp.declaration.name);
          if (exp.declaration.module === mod.path && imported && !mod.declarations?.some((d) => d.name === exp.declaration.name)) {
            exp.declaration.module = fix(imported, mod.path);
          }
        }
        for (const klass of classesOf(mod)) {
          if (klass.superclass?.module) {
            klass.superclass.module = fix(klass.superclass.module, mod.path);
            // `extends CustomEvent` is the platform's class, not one in this module.
            if (klass.superclass.module === mod.path && !mod.declarations.some((d) => d.name === klass.superclass.name)) {
              delete klass.superclass.module;
              klass.superclass.package = 'global:';
            }
          }
          for (const list of ['members', 'attributes', 'events', 'slots', 'cssParts', 'cssProperties']) {
            for (const item of klass[list] ?? []) {
              if (item.inheritedFrom?.module) item.inheritedFrom.module = fix(item.inheritedFrom.module, mod.path);
            }
          }
          if (klass.tagName === 'kol-show') addAdapterAttributes(klass);
          if (klass.customElement) tidyElement(klass);
        }
      }
    },
  };

  /** Events named and typed, attributes linked to their fields, literal unions spelled out. */
  function tidyElement(klass) {
    // The core analyzer names a dispatched event after the first argument of `new XEvent(arg)`, which is
    // the detail here, not the name: name events by their class instead, then merge with the @fires docs.
    const byName = new Map();
    for (const event of klass.events ?? []) {
      const name = eventNames.get(event.type?.text) ?? (event.type ? undefined : event.name);
      if (name) byName.set(name, [...(byName.get(name) ?? []), event]);
    }
    const events = [];
    for (const [name, entries] of byName) {
      const described = entries.find((e) => e.description && !e.inheritedFrom) ?? entries.find((e) => e.description);
      const typeText = entries.find((e) => e.type)?.type.text ?? [...eventNames].find(([, n]) => n === name)?.[0];
      const event = {name, ...(typeText ? {type: {text: typeText}} : {})};
      if (described) event.description = described.description;
      if (entries.every((e) => e.inheritedFrom)) event.inheritedFrom = entries[0].inheritedFrom;
      if (!described && klass.tagName) {
        console.warn(`[kolkit cem] <${klass.tagName}> dispatches ${name} but its JSDoc has no @fires line for it.`);
      }
      events.push(event);
    }
    // The @fires lines come first, in the order the JSDoc lists them.
    const order = (e) => {
      const i = (klass.events ?? []).findIndex((x) => x.name === e.name && x.description && !x.type);
      return i === -1 ? Infinity : i;
    };
    klass.events = events.sort((a, b) => order(a) - order(b));

    // An attribute the class observes by hand (`observedAttributes`) belongs to the field of the same name.
    for (const attribute of klass.attributes ?? []) {
      if (attribute.fieldName) continue;
      const field = klass.members?.find((m) => m.kind === 'field' && m.name === camelCase(attribute.name));
      if (!field) continue;
      attribute.fieldName = field.name;
      field.attribute ??= attribute.name;
      attribute.description ??= field.description;
      attribute.type ??= {text: 'string'};
    }

    for (const item of [...(klass.members ?? []), ...(klass.attributes ?? [])]) {
      if (item.type?.text) item.type.text = expandUnions(item.type.text);
    }
  }

  /**
   * The attributes the built-in adapters read, described from the adapter registry (src/adapters/
   * registry.ts, registry-docs.ts) rather than by `@attr` lines, right after `adapter`. An attribute that is a
   * property of the show's own (`products`) keeps its field's description.
   */
  function addAdapterAttributes(klass) {
    const attributes = klass.attributes ?? [];
    const added = [];
    for (const {name, description} of describeAdapterAttributes()) {
      const existing = attributes.find((a) => a.name === name);
      if (existing?.fieldName) continue;
      if (existing) {
        console.warn(`[kolkit cem] <${klass.tagName}>'s @attr ${name} repeats the adapter registry: delete it.`);
        attributes.splice(attributes.indexOf(existing), 1);
      }
      added.push({name, description});
    }
    attributes.splice(attributes.findIndex((a) => a.name === 'adapter') + 1, 0, ...added);
    klass.attributes = attributes;
  }

  function expandUnions(text) {
    return text.replace(/\b[A-Z]\w*\b/g, (name) => literalUnions.get(name) ?? name);
  }
}

function classesOf(moduleDoc) {
  return (moduleDoc.declarations ?? []).filter((d) => d.kind === 'class');
}

/** `./x.js` relative to `from`, as the repo-relative path of the .ts module. Bare specifiers: null. */
function resolveSpecifier(specifier, from) {
  if (!specifier.startsWith('.')) return null;
  return path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** The analyzer writes module references three ways (`./x.js`, `/src/x.js`, `src/x.js`): one way, `src/x.ts`. */
function normalizeModule(ref, from, modulePaths) {
  let result = ref.startsWith('.') ? path.posix.join(path.posix.dirname(from), ref) : ref.replace(/^\/+/, '');
  const ts = result.replace(/\.js$/, '.ts');
  if (modulePaths.has(ts)) result = ts;
  return result;
}

function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
