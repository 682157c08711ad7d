// Two outputs from one source (DESIGN.md §6):
//  1. dist/esm: the npm package. One module per source file (so each define file is its own entry and
//     unused elements tree-shake), lit and hls.js left as bare imports for the consumer's bundler.
//  2. dist/cdn/: the script-tag build, flat (no subfolders) so it can be copied as-is into a Shopify theme app
//     extension's assets/ folder. kolkit.js is one ES module for <script type="module">: Lit is bundled;
//     hls.js (and anything else behind a dynamic import()) becomes a kolkit-<name>-<hash>.js chunk beside
//     it, fetched only when needed. kolkit-loader.js is the classic script that imports kolkit.js when a
//     kolkit element comes near the viewport; hls.worker.js is hls.js's transmuxing worker.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import shortPrivateNames from './scripts/rollup-plugin-short-private-names.mjs';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8'));
// Start clean: a stale chunk from an earlier build must not be shipped or measured.
// Only what this build and cem write: dist/node is the show server's (tsc -p tsconfig.server.json, which
// `npm run build` cleans itself), so a size check (`rollup -c`) never pulls it from under a running server test.
for (const out of ['dist/cdn', 'dist/esm', 'dist/types', 'dist/custom-elements.json']) rmSync(out, { recursive: true, force: true });
const defineFiles = readdirSync('src').filter((f) => /^kol-.*\.ts$/.test(f)).map((f) => `src/${f}`);
/** The element names, one per define file: the loader watches for these. */
const tags = defineFiles.map((f) => f.slice(4, -3));

/** Replaces the __KOLKIT_VERSION__ placeholder so VERSION and the define() warning name the release. */
const version_ = () => ({
  name: 'kolkit-version',
  transform: (code) => (code.includes('__KOLKIT_VERSION__') ? code.replaceAll('__KOLKIT_VERSION__', version) : null),
});

/** Writes the element names into the loader (its `__KOLKIT_TAGS__` placeholder) as one CSS selector. */
const tags_ = () => ({
  name: 'kolkit-tags',
  // map: null: the replacement moves no line, so the source's own mappings still hold.
  transform: (code) => (code.includes('__KOLKIT_TAGS__') ? { code: code.replaceAll('__KOLKIT_TAGS__', tags.join(',')), map: null } : null),
});

/**
 * Trusted Types: hls.js creates its worker with `new Worker(string)`, a sink that only takes a
 * TrustedScriptURL when the page enforces Trusted Types. Route that one call to src/cdn/hls-worker.ts, which
 * hands over the worker kolkit.js started early (a shorter wait for the first frame) or makes one through
 * kolkit's narrow `kolkit` policy (src/cdn/hls-worker-policy.ts). Fails the build if hls.js changes that line.
 */
const hlsWorkerTrustedTypes = () => {
  const call = 'new self.Worker(scriptURL)';
  return {
    name: 'kolkit-hls-worker-trusted-types',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/node_modules/hls.js/dist/hls.mjs')) return null;
      if (code.split(call).length !== 2) this.error(`hls.js no longer has exactly one \`${call}\`: update the Trusted Types patch`);
      const worker = JSON.stringify(resolve('src/cdn/hls-worker.ts'));
      return {
        // The import goes last (imports are hoisted) so no line moves and hls.js's own mappings still hold.
        code: `${code.replace(call, 'kolkitHlsWorker(scriptURL)')}\nimport {hlsWorker as kolkitHlsWorker} from ${worker};\n`,
        map: null,
      };
    },
  };
};

/**
 * Each translation (src/i18n/locales/*.ts) stays a chunk of its own, fetched only on a page in its language.
 * A translation module has no side effect, so experimentalMinChunkSize would fold all six into kolkit.js:
 * marked as one that must run as written, it can only be merged where it is always loaded.
 */
const localeChunks = () => ({
  name: 'kolkit-locale-chunks',
  transform: (code, id) => (/[\\/]src[\\/]i18n[\\/]locales[\\/][\w-]+\.ts$/.test(id) ? { code, map: null, moduleSideEffects: 'no-treeshake' } : null),
});

/**
 * Lazy chunks sit beside kolkit.js, named so they are recognisably kolkit's in a flat assets/ folder:
 * kolkit-<name>-<hash>.js, where a folder's index.ts is named after its folder (adapters/vendure/index.ts
 * → kolkit-vendure-<hash>.js).
 */
const cdnChunkFileName = ({ name, facadeModuleId }) => {
  const named = name === 'index' && facadeModuleId ? basename(dirname(facadeModuleId)) : name;
  return `kolkit-${named.replace(/[^\w-]+/g, '-')}-[hash].js`;
};

export default [
  {
    input: ['src/index.ts', 'src/adapters/index.ts', ...['src/react/index.ts'].filter(existsSync), ...defineFiles],
    external: [/^lit(\/.*)?$/, /^@lit\//, /^hls\.js(\/.*)?$/, /^valibot$/, /^eventsource-parser/, /^@svta\//, /^react(-dom)?(\/.*)?$/],
    output: {
      dir: 'dist/esm',
      format: 'es',
      sourcemap: true,
      preserveModules: true,
      preserveModulesRoot: 'src',
      // tslib's decorator helper would land in dist/esm/node_modules/, a folder npm pack always drops.
      entryFileNames: ({ name }) => `${name.replace(/^node_modules\//, 'vendor/')}.js`,
    },
    plugins: [version_(), typescript({ tsconfig: './tsconfig.json', outDir: 'dist/esm', declarationDir: 'dist/esm' })],
  },
  {
    input: 'src/cdn.ts',
    // Lazy chunks (adapters) import shared code back from the entry: let the entry export those extra
    // bindings instead of becoming a facade over a second file, which would cost a request up front.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: 'kolkit.js',
      chunkFileNames: cdnChunkFileName,
      // Each element is a chunk of its own (src/cdn/lazy-elements.ts); the modules they share would otherwise
      // be a dozen small chunks, each a request on a phone: merge the small ones into a chunk loaded with them.
      experimentalMinChunkSize: 16_000,
      sourcemap: true,
    },
    plugins: [
      version_(),
      {
        // hls.js's transmuxing worker, served beside kolkit.js (src/cdn.ts points hls.js at it).
        name: 'hls-worker',
        generateBundle() {
          this.emitFile({ type: 'asset', fileName: 'hls.worker.js', source: readFileSync('node_modules/hls.js/dist/hls.worker.js') });
        },
      },
      hlsWorkerTrustedTypes(),
      localeChunks(),
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', outDir: 'dist/cdn', declaration: false, declarationMap: false }),
      terser({ format: { comments: false } }),
      // After terser: #private names counted per class instead of per file (#a, #b … again in each class).
      shortPrivateNames(),
    ],
  },
  {
    // A classic script (no import statements): it import()s kolkit.js, computed from its own URL.
    input: 'src/loader.ts',
    output: { file: 'dist/cdn/kolkit-loader.js', format: 'iife', sourcemap: true },
    plugins: [
      version_(),
      tags_(),
      typescript({ tsconfig: './tsconfig.json', outDir: 'dist/cdn', declaration: false, declarationMap: false }),
      terser({ format: { comments: false } }),
    ],
  },
];
