// Reads a constant object literal out of a TypeScript source file with the TypeScript parser (no build
// needed): how the docs tooling reads the data the source keeps (ERROR_CODES, ADAPTER_ATTRIBUTE_DOCS).
import {readFileSync} from 'node:fs';
import ts from 'typescript';

/**
 * `const <name> = {…}` in `file` (through `as const` / `satisfies`), as a plain object whose values are
 * strings or such objects, in source order. Throws, naming the place, on anything else.
 */
export function readObjectLiteral(file, name) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let literal;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === name && node.initializer) {
      let init = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) literal = init;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!literal) throw new Error(`${file} has no ${name} object literal.`);
  const valueOf = (node, where) => {
    if (ts.isStringLiteralLike(node)) return node.text;
    if (!ts.isObjectLiteralExpression(node)) throw new Error(`${file}: ${where} is neither a string nor an object literal.`);
    const object = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) throw new Error(`${file}: ${where} holds ${property.getText()}, not a 'key': value pair.`);
      const key = ts.isStringLiteralLike(property.name) || ts.isIdentifier(property.name) ? property.name.text : property.name.getText();
      object[key] = valueOf(property.initializer, `${where}.${key}`);
    }
    return object;
  };
  return valueOf(literal, name);
}
