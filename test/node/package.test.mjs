// The npm package as a user gets it: `npm pack` after `npm run build`, installed into a fresh project (from
// the npm cache where it can, from the registry otherwise: `npm ci` caches tarballs but not the registry's
// package documents an install resolves versions from, so an offline install fails on a fresh machine), then
//   - every `exports` entry resolves (resolve.exports, and a real import() in Node);
//   - importing any entry on a server (no window, document or HTMLElement) does not throw, and the React
//     wrappers render to HTML there;
//   - `sideEffects` lets a bundler drop the elements an app does not use (esbuild);
//   - the types work for a consumer: the React example and the JSX/Vue tag types type-check.
// Run by `npm test` (node --test test/node/) after the build; alone: `npm run build && node --test test/node/`.
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {existsSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {exports as resolveExports} from 'resolve.exports';
import {build} from 'esbuild';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** The repo's own versions of what the test project installs beside kolkit, so the npm cache has them. */
const versionOf = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

let work; // temp dir: the tarball and the test project
let app; // the test project
let pkgDir; // node_modules/kolkit in the test project
let pkg; // its package.json
let packedFiles; // paths in the tarball

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/esm/react/index.js')) && existsSync(join(ROOT, 'dist/types/jsx.d.ts')), 'run `npm run build` first');
  work = await mkdtemp(join(tmpdir(), 'kolkit-pack-'));
  const {stdout} = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {cwd: ROOT});
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  packedFiles = packed.files.map((f) => f.path);

  app = join(work, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({name: 'kolkit-consumer', version: '1.0.0', private: true, type: 'module'}));
  const extras = ['react', 'react-dom', '@types/react', '@types/react-dom'].map((name) => `${name}@${versionOf(name)}`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename), ...extras], {cwd: app})
    .catch((error) => assert.fail(`install of the tarball failed (is the npm registry reachable?):\n${error.stderr}`));
  pkgDir = join(app, 'node_modules/kolkit');
  pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
});

after(() => work && rm(work, {recursive: true, force: true}));

/** Every subpath of the exports map, with `./kol-*.js` expanded to each element's define file. */
async function entries() {
  const defineFiles = (await readdir(join(pkgDir, 'dist/esm'))).filter((f) => /^kol-.*\.js$/.test(f));
  assert.ok(defineFiles.length >= 5, `define files: ${defineFiles}`);
  return Object.keys(pkg.exports).flatMap((key) => (key === './kol-*.js' ? defineFiles.map((f) => `./${f}`) : [key]));
}

/** The entries that are code (the others are types or data only). */
const isCode = (entry) => !['./jsx', './vue', './package.json', './custom-elements.json'].includes(entry);

describe('npm pack', () => {
  test('ships dist, the manifest and the type files, and nothing from the demo or the sources', () => {
    // bin/kolkit.mjs: the `kolkit` command (`kolkit serve`), which only imports dist/node/server/cli.js.
    const outside = packedFiles.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'bin/kolkit.mjs'].includes(f));
    assert.deepEqual(outside, []);
    for (const file of ['dist/custom-elements.json', 'dist/types/jsx.d.ts', 'dist/types/vue.d.ts', 'dist/esm/react/index.js', 'dist/esm/react/index.d.ts']) {
      assert.ok(packedFiles.includes(file), `${file} is not in the tarball`);
    }
    assert.equal(pkg.customElements, 'dist/custom-elements.json');
  });

  test('lit, hls.js and the other dependencies stay imports: every module in dist/esm is built from src/', async () => {
    const modules = packedFiles.filter((f) => f.startsWith('dist/esm/') && f.endsWith('.js'));
    const foreign = modules.filter((f) => !f.startsWith('dist/esm/vendor/tslib/') && !existsSync(join(ROOT, 'src', f.slice('dist/esm/'.length).replace(/\.js$/, '.ts'))));
    assert.deepEqual(foreign, []);
    const engine = await readFile(join(pkgDir, 'dist/esm/player/hls-engine.js'), 'utf8');
    assert.match(engine, /from 'hls\.js'/);
  });
});

describe('exports', () => {
  test('every entry resolves to a file in the installed package, with its types', async () => {
    for (const entry of await entries()) {
      const [types] = resolveExports(pkg, entry, {conditions: ['types']}) ?? [];
      assert.ok(types && existsSync(join(pkgDir, types)), `${entry}: types ${types} missing`);
      if (!isCode(entry)) continue;
      const [code] = resolveExports(pkg, entry) ?? [];
      assert.ok(code?.endsWith('.js') && existsSync(join(pkgDir, code)), `${entry}: ${code} missing`);
      assert.ok(types.endsWith('.d.ts'), `${entry}: types resolve to ${types}`);
    }
  });

  test('kolkit/jsx and kolkit/vue are types only: no code condition resolves them', () => {
    for (const entry of ['./jsx', './vue']) assert.throws(() => resolveExports(pkg, entry), /No known conditions/);
  });

  test('each entry imports in Node without a DOM (SSR), alone in a fresh process', async () => {
    const expected = {
      kolkit: ['KolShow', 'KolProductPin', 'VERSION', 'KolCartChangeEvent'],
      'kolkit/adapters': ['MemoryAdapter', 'createAdapter'],
      'kolkit/react': ['KolShow', 'KolLivePlayer', 'KolProductPin', 'KolCountdownDeal', 'KolCartButton'],
      'kolkit/kol-show.js': ['KolShow'],
      'kolkit/kol-cart-button.js': ['KolCartButton'],
    };
    const specifiers = (await entries()).filter(isCode).map((e) => `kolkit${e.slice(1)}`);
    const probe = `
      const before = [typeof window, typeof document, typeof HTMLElement].join();
      const module = await import(process.argv[1]);
      console.log(JSON.stringify({before, after: [typeof window, typeof document].join(), names: Object.keys(module)}));`;
    await Promise.all(specifiers.map(async (specifier) => {
      const {stdout} = await run(process.execPath, ['--input-type=module', '-e', probe, specifier], {cwd: app})
        .catch((error) => assert.fail(`import('${specifier}') threw in Node:\n${error.stderr}`));
      const {before, after, names} = JSON.parse(stdout);
      assert.equal(before, 'undefined,undefined,undefined', 'the probe must start without a DOM');
      assert.equal(after, 'undefined,undefined', `${specifier} created a window or document`);
      for (const name of expected[specifier] ?? []) assert.ok(names.includes(name), `${specifier} does not export ${name}`);
    }));
  });

  test('the React wrappers render to HTML on a server', async () => {
    const script = `
      import {createElement as h} from 'react';
      import {renderToString} from 'react-dom/server';
      import {KolShow, KolProductPin, KolCartButton} from 'kolkit/react';
      import {MemoryAdapter} from 'kolkit/adapters';
      const adapter = new MemoryAdapter({products: []});
      console.log(renderToString(h('div', null,
        h(KolShow, {id: 'live', adapter, onKolCartChange: () => {}}, h(KolProductPin, {index: 1})),
        h(KolCartButton, {show: 'live'}))));`;
    const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: app});
    assert.match(stdout, /<kol-show id="live"[^>]*><kol-product-pin[^>]*><\/kol-product-pin><\/kol-show><kol-cart-button[^>]*>/);
    // An object is a property, set in the browser; it never becomes an attribute.
    assert.doesNotMatch(stdout, /adapter=/);
  });
});

describe('sideEffects: unused elements tree-shake', () => {
  /** The package modules a bundle of `code` (from the test project) really contains. */
  async function bundled(code) {
    const result = await build({
      stdin: {contents: code, resolveDir: app, loader: 'js'},
      absWorkingDir: app,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      define: {'process.env.NODE_ENV': '"production"'},
    });
    const [output] = Object.values(result.metafile.outputs);
    return Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => relative('node_modules', path));
  }
  const player = (modules) => modules.filter((m) => /live-player|kolkit\/dist\/esm\/player\/|^hls\.js\//.test(m));

  test('`import "kolkit"` bundles every element, the player and hls.js (the control)', async () => {
    const modules = await bundled(`import 'kolkit';`);
    assert.ok(player(modules).some((m) => m.startsWith('hls.js/')), 'hls.js is not in the full bundle');
    assert.ok(modules.some((m) => m.includes('elements/live-player/')), 'the player is not in the full bundle');
  });

  test('one define file bundles its element only', async () => {
    const modules = await bundled(`import {KolCartButton} from 'kolkit/kol-cart-button.js'; console.log(KolCartButton);`);
    assert.ok(modules.some((m) => m.includes('elements/cart-button/')), 'the cart button is missing');
    assert.deepEqual(player(modules), []);
    assert.deepEqual(modules.filter((m) => /elements\/(product-pin|countdown-deal)\//.test(m)), []);
  });

  test('kolkit/adapters bundles no element and no Lit', async () => {
    const modules = await bundled(`import {MemoryAdapter} from 'kolkit/adapters'; console.log(MemoryAdapter);`);
    assert.ok(modules.some((m) => m.endsWith('adapters/memory.js')));
    assert.deepEqual(modules.filter((m) => m.includes('/elements/') || /^(lit|lit-html|lit-element|@lit)\//.test(m)), []);
  });

  test('a React app rendering the cart button only bundles neither the player nor the other elements', async () => {
    const modules = await bundled(`import {KolCartButton} from 'kolkit/react'; console.log(KolCartButton);`);
    assert.ok(modules.some((m) => m.includes('elements/cart-button/')), 'the cart button is missing');
    assert.deepEqual(player(modules), []);
    assert.deepEqual(modules.filter((m) => /elements\/(product-pin|countdown-deal)\//.test(m)), []);
  });
});

describe('types for a consumer', () => {
  // One TypeScript program (one tsc start): the React example, typed event props, the JSX tags and the Vue
  // components, each file with @ts-expect-error lines that must stay errors. Library .d.ts files are
  // checked too (kolkit's among them); only TypeScript's own lib files are skipped, for time.
  test('the React example, kolkit/react event props, kolkit/jsx and kolkit/vue type-check in a consumer project', async () => {
    // Vue is not a dependency here: a minimal stand-in for the two types vue.d.ts uses.
    await mkdir(join(app, 'node_modules/vue'), {recursive: true});
    await writeFile(join(app, 'node_modules/vue/package.json'), JSON.stringify({name: 'vue', version: '0.0.0', types: 'index.d.ts'}));
    await writeFile(join(app, 'node_modules/vue/index.d.ts'), `
      export interface GlobalComponents {}
      export type DefineComponent<Props> = new () => {$props: Props};`);

    const files = {
      'app.tsx': await readFile(join(ROOT, 'demo/react/app.tsx'), 'utf8'),
      'events.tsx': `
        import {KolCountdownDeal, KolShow} from 'kolkit/react';
        export const ok = <KolShow onKolAddToCartRequest={(e) => e.detail.variantId.toUpperCase()} onKolError={(e) => e.detail.code} />;
        // @ts-expect-error: the detail of kol-cart-change has a cart, not a count
        export const wrongDetail = <KolShow onKolCartChange={(e) => e.detail.count} />;
        // @ts-expect-error: a deal fires no kol-cart-change
        export const notFired = <KolCountdownDeal onKolCartChange={() => {}} />;`,
      'tags.tsx': `
        import type {CustomElements} from 'kolkit/jsx';
        declare module 'react' {
          namespace JSX {
            interface IntrinsicElements extends CustomElements {}
          }
        }
        export const page = (
          <kol-show id="live" products="/catalog.json" checkout-url="/cart" onkol-cart-change={(e) => e.detail.cart?.totalQuantity}>
            <kol-product-pin index={0} onkol-add-to-cart-request={(e) => e.detail.productId} />
            <kol-cart-button show="live" hide-subtotal />
          </kol-show>
        );
        // @ts-expect-error: index is a number
        export const wrong = <kol-product-pin index="first" />;`,
      'vue.ts': `
        import type {GlobalComponents} from 'vue';
        import type {} from 'kolkit/vue';
        type ShowProps = InstanceType<GlobalComponents['kol-show']>['$props'];
        export const props: ShowProps = {products: '/catalog.json', onKolCartChange: (e) => e.detail.cart?.totalQuantity};
        // @ts-expect-error: a cart button fires no kol-cart-change
        export const wrong: InstanceType<GlobalComponents['kol-cart-button']>['$props'] = {onKolCartChange: () => {}};`,
    };
    const dir = join(app, 'consumer');
    await mkdir(dir);
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
    const compilerOptions = {
      target: 'ES2021', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx', strict: true, noEmit: true, isolatedModules: true, skipDefaultLibCheck: true,
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({compilerOptions, include: Object.keys(files)}));
    await run(process.execPath, [TSC, '-p', dir], {cwd: app})
      .catch((error) => assert.fail(`the consumer project does not type-check:\n${error.stdout}${error.stderr}`));
  });

  test('the React wrappers have an event prop for every event each element fires (custom-elements.json)', async () => {
    const manifest = JSON.parse(await readFile(join(pkgDir, 'dist/custom-elements.json'), 'utf8'));
    const maps = await import(pathToFileURL(join(pkgDir, 'dist/esm/react/events.js')).href);
    const mapOf = {
      'kol-show': maps.showEvents, 'kol-live-player': maps.livePlayerEvents, 'kol-product-pin': maps.productPinEvents,
      'kol-countdown-deal': maps.countdownDealEvents, 'kol-cart-button': maps.cartButtonEvents,
      'kol-chat': maps.chatEvents, 'kol-reactions': maps.reactionsEvents, 'kol-poll': maps.pollEvents,
      'kol-giveaway': maps.giveawayEvents, 'kol-upcoming-show': maps.upcomingShowEvents, 'kol-auction': maps.auctionEvents, 'kol-group-buy': maps.groupBuyEvents,
    };
    const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
    assert.deepEqual(elements.map((d) => d.tagName).sort(), Object.keys(mapOf).sort());
    for (const element of elements) {
      const props = mapOf[element.tagName];
      for (const {name} of element.events ?? []) {
        const prop = `on${name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}`;
        assert.equal(props[prop], name, `<${element.tagName}> fires ${name} but its React wrapper has no ${prop}`);
      }
    }
  });
});

describe('the show server as a user installs it', () => {
  test('`kolkit serve --port 0` from the installed package listens, answers health and stops on SIGTERM', async () => {
    const {spawn} = await import('node:child_process');
    const data = await mkdtemp(join(tmpdir(), 'kolkit-serve-'));
    const bin = join(app, 'node_modules/.bin/kolkit');
    assert.ok(existsSync(bin), 'the package installs no `kolkit` command');
    const child = spawn(bin, ['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], {cwd: app, stdio: ['ignore', 'pipe', 'pipe']});
    try {
      let out = '';
      const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address within 20 s; stdout: ${out}`)), 20_000);
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /kolkit listening on (http:\/\/\S+)/.exec(out);
          if (match) { clearTimeout(timer); resolve(match[1]); }
        });
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}; stdout: ${out}`)); });
      });
      const health = await fetch(`${url}/v1/health`);
      assert.equal(health.status, 200);
      assert.deepEqual({...(await health.json()), node: 'n'}, {ok: true, mode: 'embedded', node: 'n'});
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await rm(data, {recursive: true, force: true});
    }
  });
});
