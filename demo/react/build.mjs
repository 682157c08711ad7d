// Bundles the React example (app.tsx) into dist/app.js with esbuild: React is CommonJS, which esbuild
// bundles as is. `kolkit/react` and `kolkit/adapters` resolve through this package's own `exports` (a
// package self-reference), so the example uses the built dist/esm exactly as an app would. Run after
// `rollup -c` (npm run build does).
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here('./app.tsx')],
  outdir: here('./dist'),
  bundle: true,
  format: 'esm',
  target: 'es2021',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  define: {'process.env.NODE_ENV': '"production"'},
  tsconfig: here('./tsconfig.json'),
  logLevel: 'warning',
});
