#!/usr/bin/env node
// The package's bin: `kolkit serve …` (src/server/cli.ts, compiled to dist/node by `npm run build`).
import {existsSync} from 'node:fs';

const cli = new URL('../dist/node/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('kolkit: dist/node/server/cli.js is missing: run `npm run build` first.\n');
  process.exit(1);
}
const {main} = await import(cli.href);
await main(process.argv.slice(2));
