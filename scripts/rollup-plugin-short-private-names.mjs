// Rollup plugin for the CDN build, placed after terser: gives every class's #private members the shortest
// names, counted per class. Terser mangles private names from one counter for the whole file (so most end
// up two letters long), but a private name is scoped to its class body, so each class can start again at #a.
// Worth about 0.5 KB brotli on kolkit.js. No dependencies: rollup's own parser, and a source map built here.

/** Characters a private name may start with; it may go on with these and the digits. */
const FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$_';

/**
 * FIRST, most frequent in `code` first, as terser orders the letters of its own names: the short private
 * names then share letters with the code around them, which brotli rewards (about 45 B on kolkit.js).
 */
export function alphabetFor(code) {
  const counts = new Map([...FIRST].map((c) => [c, 0]));
  for (const c of code) if (counts.has(c)) counts.set(c, counts.get(c) + 1);
  return [...FIRST].sort((a, b) => counts.get(b) - counts.get(a)).join(''); // stable: ties keep FIRST's order
}

/** The nth short name over `first` (0 → first[0], then first[1] …, then two characters). Reserved words are
 * fine: a private name is any IdentifierName. */
export function nthName(n, first = FIRST) {
  const rest = `${first}0123456789`;
  let name = first[n % first.length];
  for (n = Math.floor(n / first.length); n > 0; n = Math.floor(n / rest.length)) name += rest[--n % rest.length];
  return name;
}

/** Class members whose key, when a PrivateIdentifier, declares a private name of the class. */
const MEMBERS = new Set(['PropertyDefinition', 'MethodDefinition', 'AccessorProperty']);

/**
 * Renames the private names of every class in `code` per class body, most used first → #a.
 * `parse` is an ESTree parser (rollup's `this.parse`). Returns null when nothing changes, else the code and a
 * source map from the new code to `code` (rollup composes it with terser's).
 */
export function shortenPrivateNames(code, parse) {
  if (!code.includes('#')) return null;
  const scopes = collectScopes(parse(code), code);
  const alphabet = alphabetFor(code);
  for (const scope of scopes) assignNames(scope, alphabet);
  // Each use of a renamed binding becomes one edit of the name after its '#'.
  const edits = scopes
    .flatMap((scope) => [...scope.bindings.values()])
    .filter((binding) => binding.newName !== binding.name)
    .flatMap((binding) => binding.uses.map(({ start, end }) => ({ start: start + 1, end, text: binding.newName })))
    .sort((a, b) => a.start - b.start);
  if (edits.length === 0) return null;
  let out = '';
  let last = 0;
  for (const { start, end, text } of edits) {
    out += code.slice(last, start) + text;
    last = end;
  }
  return { code: out + code.slice(last), map: sourceMap(code, edits, scopes.anchors) };
}

/**
 * Walks the AST: one scope per ClassBody, holding the private names it declares, and each
 * PrivateIdentifier counted as a use of the nearest enclosing class that declares it (the language's rule).
 * Also records the anchors the source map needs (see sourceMap).
 */
function collectScopes(ast, code) {
  const scopes = [];
  const anchors = [];
  const visit = (node, parent, scope) => {
    addAnchors(node, parent, code, anchors);
    if (node.type === 'ClassBody') {
      scope = { parent: scope, bindings: new Map(), passThrough: new Set() };
      scopes.push(scope); // pre-order: an enclosing class gets its names before the classes inside it
      for (const member of node.body) {
        if (MEMBERS.has(member.type) && member.key.type === 'PrivateIdentifier' && !scope.bindings.has(member.key.name)) {
          scope.bindings.set(member.key.name, { name: member.key.name, uses: [], scope, newName: member.key.name });
        }
      }
    } else if (node.type === 'PrivateIdentifier') {
      let binding;
      for (let s = scope; s && !binding; s = s.parent) binding = s.bindings.get(node.name);
      if (!binding) throw new Error(`short-private-names: #${node.name} at offset ${node.start} is declared by no enclosing class`);
      binding.uses.push(node); // its end, not its name's length: the source may spell it with \u escapes
      // The classes between this use and its declaration must not take the binding's new name.
      for (let s = scope; s !== binding.scope; s = s.parent) s.passThrough.add(binding);
    }
    for (const key in node) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === 'string') visit(child, node, scope);
      } else if (value && typeof value.type === 'string' && key !== 'type') {
        visit(value, node, scope);
      }
    }
  };
  visit(ast, undefined, undefined);
  scopes.anchors = anchors;
  return scopes;
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/**
 * The places in `node` where terser's source map may have a segment (its output.js DEFMAP and add_mapping
 * calls): node starts, except a function body's `{` and the `#` of `o.#x` (it maps the x); closing braces; the
 * `(` of a call whose callee is a function or a call. An extra anchor costs only map size (rollup gives it the
 * segment before it, the answer a lookup there gets anyway); a missing one would blur the map there.
 */
function addAnchors(node, parent, code, anchors) {
  if (node.type === 'PrivateIdentifier' && parent.type === 'MemberExpression') anchors.push(node.start + 1);
  else if (!(node.type === 'BlockStatement' && FUNCTIONS.has(parent.type))) anchors.push(node.start);
  if (code[node.end - 1] === '}') anchors.push(node.end - 1);
  if ((node.type === 'CallExpression' || node.type === 'NewExpression') && (FUNCTIONS.has(node.callee.type) || node.callee.type === 'CallExpression')) {
    anchors.push(code.indexOf('(', node.callee.end));
  }
}

/** Names one class's bindings #a, #b, … (in `alphabet`'s order) by use count, skipping the names of outer bindings used inside it. */
function assignNames(scope, alphabet) {
  const taken = new Set([...scope.passThrough].map((binding) => binding.newName));
  // Array.sort is stable: equal counts keep their first-declared order, so the output is deterministic.
  const byUse = [...scope.bindings.values()].sort((a, b) => b.uses.length - a.uses.length);
  let n = 0;
  for (const binding of byUse) {
    while (taken.has(nthName(n, alphabet))) n++;
    binding.newName = nthName(n++, alphabet);
  }
}

/**
 * A source map from the new code back to `code`, in rollup's decoded form. Rollup traces each of its
 * segments through terser's map, so the composed map keeps only positions that have a segment here: there is
 * one at every place terser maps (node starts, closing braces, the name after a '#'), each moved by the
 * edits before it on its line. Edits never span a line, so lines stay where they were.
 */
function sourceMap(code, edits, anchors) {
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const positions = [...new Set(anchors)].filter((p) => p >= 0 && p < code.length).sort((a, b) => a - b);
  const mappings = lineStarts.map(() => []);
  let line = 0;
  let edit = 0;
  let shift = 0; // how far edits before `p` on its line moved it
  for (const p of positions) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= p) {
      line++;
      shift = 0;
    }
    while (edit < edits.length && edits[edit].end <= p) {
      const { start, end, text } = edits[edit++];
      if (start >= lineStarts[line]) shift += text.length - (end - start);
    }
    const column = p - lineStarts[line];
    mappings[line].push([column + shift, 0, line, column]);
  }
  return { version: 3, sources: [''], names: [], mappings };
}

/** The rollup plugin: list it after terser in an output's plugins. */
export default function shortPrivateNames() {
  return {
    name: 'short-private-names',
    renderChunk(code) {
      return shortenPrivateNames(code, (source) => this.parse(source));
    },
  };
}
