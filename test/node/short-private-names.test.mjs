// scripts/rollup-plugin-short-private-names.mjs: per-class short #private names after terser.
//   - tricky programs (nested classes that share and shadow names, statics, private methods and accessors,
//     `#x in o`, arrows and object literals in a class, two classes) behave the same once renamed, and
//     every class starts again at the first name;
//   - the same after a real terser pass, as in the CDN build;
//   - the source map: every segment points at the same token in the code before, and through rollup +
//     terser + the plugin a `this.#x` still maps to its own line of the source.
// Alone: `node --test test/node/short-private-names.test.mjs` (no build needed).
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {runInNewContext} from 'node:vm';
import {rollup} from 'rollup';
import {parseAst} from 'rollup/parseAst';
import terser from '@rollup/plugin-terser';
import shortPrivateNames, {nthName, shortenPrivateNames} from '../../scripts/rollup-plugin-short-private-names.mjs';

/** Runs a script and answers its completion value (each program ends with a JSON.stringify of what it saw). */
const run = (code) => runInNewContext(code, {}, {timeout: 1000});
/** The private names in `code`, each once. */
const privateNames = (code) => new Set(code.match(/#[\p{ID_Continue}$\\]+/gu));

/** Renames `code`, checks it behaves the same, and answers the new code. */
function sameBehaviour(code) {
  const result = shortenPrivateNames(code, parseAst);
  assert.ok(result, 'something was renamed');
  assert.equal(run(result.code), run(code));
  return result.code;
}

const programs = {
  'nested classes: the inner one shadows one outer name and uses another': `
    class Outer {
      #count = 0; #label = 'outer'; #rare = 'rare of outer';
      bump() { this.#count++; this.#count++; return this.#count + this.#count; }
      inner() {
        const outer = this;
        // Inner's own label shadows Outer's; rare is Outer's, read through a captured instance.
        return new (class Inner {
          #label = 'inner'; #own = 1;
          read() { return [this.#label, this.#own, this.#own, this.#own, outer.#rare, #rare in outer, #label in this]; }
        })().read();
      }
      label() { return this.#label; }
    }
    const o = new Outer();
    JSON.stringify([o.bump(), o.inner(), o.label()]);`,
  'three levels: a name used two classes down stays free in the class between': `
    class A {
      #a1 = 'A.a1'; #deep = 'A.deep';
      make() {
        const a = this;
        return class B {
          #b1 = 'B.b1'; #b2 = 'B.b2'; #b3 = 'B.b3';
          all() { return [this.#b1, this.#b1, this.#b1, this.#b2, this.#b2, this.#b3]; }
          make() {
            const b = this;
            return class C {
              #c = 'C.c';
              all() { return [this.#c, a.#deep, b.#b3, a.#a1]; }
            };
          }
        };
      }
    }
    const B = new A().make(); const b = new B(); const C = b.make();
    JSON.stringify([b.all(), new C().all()]);`,
  'static fields, static methods and a static block': `
    class Registry {
      static #made = 0; static #names = [];
      static #register(name) { Registry.#made++; Registry.#names.push(name); return Registry.#made; }
      static { Registry.#register('first'); }
      static add(name) { return this.#register(name); }
      static get report() { return [Registry.#made, Registry.#names.join()]; }
    }
    Registry.add('second');
    JSON.stringify(Registry.report);`,
  'private methods, getters and setters, compound assignment, optional chaining, destructuring': `
    class Account {
      #cents = 0; #log = [];
      get #balance() { return this.#cents / 100; }
      set #balance(v) { this.#log.push(v); this.#cents = Math.round(v * 100); }
      #fee(x) { return x * 0.01; }
      pay(x) { this.#balance += x - this.#fee(x); this.#balance -= 1; return this.#balance; }
      swap(o) { [this.#cents, o.#cents] = [o.#cents, this.#cents]; ({v: this.#log} = {v: ['reset']}); return this.#log; }
      static peek(o) { return o?.#cents; }
    }
    const a = new Account(), b = new Account();
    JSON.stringify([a.pay(100), b.pay(10), a.swap(b), Account.peek(a), Account.peek(undefined)]);`,
  'brand checks with #x in o, also against another class': `
    class Cat { #meow; static is(o) { return #meow in o; } }
    class Dog { #woof; #meow; static is(o) { return #woof in o && #meow in o; } }
    JSON.stringify([Cat.is(new Cat()), Cat.is(new Dog()), Dog.is(new Dog()), Dog.is(new Cat()), Cat.is({})]);`,
  'private names in arrow functions, object literals, computed keys and heritage': `
    class Shop {
      #items = ['a', 'b']; #key = 'computed'; static #Base = class { base() { return 'base'; } };
      view() {
        const count = () => this.#items.length;
        return {
          count, [this.#key]: this.#key,
          get first() { return this.self.#items[0]; }, self: this,
          each: (f) => this.#items.map((x) => f(x, this.#items.length)),
        };
      }
      sub() {
        const shop = this;
        // The heritage is evaluated outside the new class: its Base is Shop's.
        return new (class extends Shop.#Base { [shop.#key] = shop.#items; #own = 'own'; own() { return this.#own; } })();
      }
    }
    const s = new Shop(), v = s.view(), sub = s.sub();
    JSON.stringify([v.count(), v.computed, v.first, v.each((x, n) => x + n), sub.computed, sub.base(), sub.own()]);`,
  'two classes in one chunk with names of the same spelling': `
    class Left { #x = 'L'; #y = 1; get() { return this.#x + this.#y; } }
    class Right { #y = 'R'; #x = 2; get() { return this.#y + this.#x + this.#x; } }
    JSON.stringify([new Left().get(), new Right().get()]);`,
  'escaped and non-ASCII names after non-ASCII text': `
    const s = '😀 é';
    class Ünïcode { #\\u0061longname = 1; #ñame = 2; get() { return [s, this.#alongname, this.#ñame, this.#\\u00f1ame]; } }
    JSON.stringify(new Ünïcode().get());`,
};

describe('short private names: behaviour', () => {
  for (const [name, code] of Object.entries(programs)) {
    test(name, () => {
      const renamed = sameBehaviour(code);
      for (const n of privateNames(renamed)) assert.ok(n.length <= 2, `${n} is one character after #`);
    });
  }

  test('every class starts again at the first name, most used first', () => {
    const {code} = shortenPrivateNames('class A { #x; #y; m() { this.#y; this.#y; } } class B { #z; m() { this.#z; } }', parseAst);
    const [a, b] = code.split('class B');
    // #y is A's most used, so it gets the name B's only member gets too; #x gets another.
    const [, ay] = a.match(/this\.(#[\w$]+)/);
    const [, bz] = b.match(/this\.(#[\w$]+)/);
    assert.equal(ay, bz);
    assert.equal(privateNames(a).size, 2);
  });

  test("a name an inner class declares again is the inner class's own", () => {
    // Outer's #shadowed is its least used member; Inner's #shadowed, its only one, gets the first name.
    const code = `class Outer { #top; #shadowed; m() { this.#top; this.#top;
      return class Inner { #shadowed = 1; x() { return this.#shadowed; } }; } }`;
    const {code: renamed} = shortenPrivateNames(code, parseAst);
    const [outer, inner] = renamed.split('class Inner');
    assert.equal(inner.match(/this\.(#[\w$]+)/)[1], outer.match(/this\.(#[\w$]+)/)[1], renamed);
  });

  test('an inner class does not take the name of an outer member it uses', () => {
    // Outer's most used #used gets the first name, which Inner's #mine would take too: o.#used would then
    // read Inner's #mine.
    const code = `class Outer { #used = 'outer'; #top; m() { this.#used; this.#used; this.#top; const o = this;
      return class Inner { #mine = 'inner'; get() { return [this.#mine, this.#mine, this.#mine, o.#used]; } }; } }
      JSON.stringify(new (new Outer().m())().get());`;
    const renamed = sameBehaviour(code);
    const inner = renamed.slice(renamed.indexOf('class Inner'));
    assert.equal(privateNames(inner).size, 2, inner);
  });

  test('names run on to two characters, all distinct', () => {
    const names = new Set(Array.from({length: 54 * 65 + 1}, (_, n) => nthName(n)));
    assert.equal(names.size, 54 * 65 + 1);
    assert.equal(nthName(53).length, 1);
    assert.equal(nthName(54).length, 2);
    for (const n of names) assert.match(n, /^[A-Za-z$_][\w$]*$/);
  });

  test('a class with more members than one-character names', () => {
    const members = Array.from({length: 80}, (_, i) => `#m${i} = ${i};`).join(' ');
    const sum = Array.from({length: 80}, (_, i) => `this.#m${i}`).join(' + ');
    sameBehaviour(`class Big { ${members} sum() { return ${sum}; } } JSON.stringify(new Big().sum());`);
  });

  test('code without private names is left alone', () => {
    assert.equal(shortenPrivateNames('const a = "#not a name"; class A { x = 1 }', parseAst), null);
  });

  test('a private name no class declares is an error, not a silent rename', () => {
    assert.throws(() => shortenPrivateNames('class A { #a; m(o) { return o.#b; } }', parseAst), /#b .* declared by no enclosing class/);
  });
});

/** Minifies `code` the way the CDN build does, as one ES chunk. */
async function build(code, plugins) {
  const bundle = await rollup({
    input: 'entry.js',
    plugins: [{name: 'virtual', resolveId: (id) => (id === 'entry.js' ? id : null), load: (id) => (id === 'entry.js' ? code : null)}],
  });
  const {output: [chunk]} = await bundle.generate({format: 'es', sourcemap: true, plugins});
  await bundle.close();
  return chunk;
}

describe('short private names: after terser, with the source map', () => {
  const source = `export class Player {
  #currentTime = 0;
  #listeners = new Set();
  static #instances = 0;
  constructor() { Player.#instances++; }
  on(listener) { this.#listeners.add(listener); return () => this.#listeners.delete(listener); }
  seek(time) {
    this.#currentTime = time;
    for (const listener of this.#listeners) listener(this.#currentTime);
    return this.#currentTime;
  }
  static get count() { return Player.#instances; }
}
export class Cart {
  #lines = [];
  add(line) { this.#lines.push(line); return this.#lines.length; }
}
const seen = [];
const player = new Player();
player.on((t) => seen.push(t));
new Player();
const cart = new Cart();
globalThis.result = JSON.stringify([player.seek(12), Player.count, cart.add('a'), cart.add('b'), seen]);
`;

  test('terser then the plugin: same result, shorter names', async () => {
    const plain = await build(source, [terser()]);
    const short = await build(source, [terser(), shortPrivateNames()]);
    const script = (code) => `${code.replace(/export\s*\{[^}]*\};?/, '')};result`;
    const value = run(script(short.code));
    assert.equal(value, run(script(plain.code)));
    assert.equal(value, '[12,2,1,2,[12]]');
    // Terser names Player's three members and Cart's one from one counter; here Cart starts again.
    assert.equal(privateNames(plain.code).size, 4);
    assert.equal(privateNames(short.code).size, 3);
  });

  test('each segment maps a token to the same token before the rename', () => {
    const code = `class A {\n  #first = 1; #second = 2;\n  m(o) { return this.#second + o?.#second + (#first in o); }\n}\nclass B { #x; m() { return this.#x; } }\n`;
    const {code: renamed, map} = shortenPrivateNames(code, parseAst);
    const before = code.split('\n');
    const after = renamed.split('\n');
    const names = /^#?[\w$]*/;
    let segments = 0;
    map.mappings.forEach((line, l) => {
      let last = -1;
      for (const [column, source, originalLine, originalColumn] of line) {
        segments++;
        assert.equal(source, 0);
        assert.equal(originalLine, l, 'lines do not move');
        assert.ok(column > last, 'columns increase');
        last = column;
        const was = before[l].slice(originalColumn);
        const is = after[l].slice(column);
        // Same token, except a private name (or the name after its #) may be spelled differently.
        if (was[0] === '#' || before[l][originalColumn - 1] === '#') assert.equal(is.replace(names, '')[0], was.replace(names, '')[0]);
        else assert.equal(is.slice(0, 1), was.slice(0, 1), `${is.slice(0, 10)} / ${was.slice(0, 10)}`);
      }
    });
    assert.ok(segments > 20);
  });

  test('through rollup and terser, a private member use still maps to its line of the source', async () => {
    const chunk = await build(source, [terser(), shortPrivateNames()]);
    const mappings = decode(chunk.map.mappings);
    const sourceLines = source.split('\n');
    const uses = [...chunk.code.matchAll(/\.#\w+/g)];
    assert.ok(uses.length >= 8);
    for (const {index} of uses) {
      // Terser maps `o.#x` at the x, to the # in the source: the segment there names that member use.
      const line = chunk.code.slice(0, index).split('\n').length - 1;
      const column = index - (chunk.code.lastIndexOf('\n', index) + 1) + 2;
      const segment = mappings[line].find(([c]) => c === column);
      assert.ok(segment, `a segment at ${line}:${column} (${chunk.code.slice(index, index + 10)})`);
      assert.equal(chunk.map.sources[segment[1]], 'entry.js');
      assert.match(sourceLines[segment[2]], /\.#\w/, `source line ${segment[2] + 1} has a private member use`);
      assert.equal(sourceLines[segment[2]][segment[3]], '#', 'the column is a #');
    }
  });
});

/** Decodes a source map's VLQ `mappings` into [column, source, line, column] segments per line. */
function decode(mappings) {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line.split(',').filter(Boolean).map((segment) => {
      const fields = [];
      for (let i = 0, value = 0, shift = 0; i < segment.length; i++) {
        const digit = digits.indexOf(segment[i]);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      return fields.map((delta, i) => (state[i] += delta));
    });
  });
}
