// Two outputs from one source (DESIGN.md §6):
//  1. dist/esm: the npm package. One module per source file (so each define file is its own entry and
//     unused elements tree-shake), lit and hls.js left as bare imports for the consumer's bundler.
//  2. dist/cdn/kolkit.js: one ES module for <script type="module">. Lit is bundled; hls.js stays behind
//     its dynamic import() and becomes a chunk beside kolkit.js, fetched only when a player needs it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8'));
// Start clean: a stale chunk from an earlier build must not be shipped or measured.
rmSync('dist', { recursive: true, force: true });
const defineFiles = readdirSync('src').filter((f) => /^kol-.*\.ts$/.test(f)).map((f) => `src/${f}`);

/** Replaces the __KOLKIT_VERSION__ placeholder so VERSION and the define() warning name the release. */
const version_ = () => ({
  name: 'kolkit-version',
  transform: (code) => (code.includes('__KOLKIT_VERSION__') ? code.replaceAll('__KOLKIT_VERSION__', version) : null),
});

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
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: 'kolkit.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
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
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', outDir: 'dist/cdn', declaration: false, declarationMap: false }),
      terser({ format: { comments: false } }),
    ],
  },
];
