/**
 * `/dist/cdn-as/<version>/<file>`: the script-tag build as if it were release <version>, for
 * demo/double.html and the loader tests (a page where another app brought its own kolkit). Every file is the
 * built one, its version renamed; served from its own folder, it is a whole second copy: its chunks import
 * its own kolkit.js, its loader imports its own kolkit.js.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {sendText} from './http.mjs';

const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z.]{1,32})?$/;
const FILE = /^[\w-]+(\.[\w-]+)*\.js$/;

/**
 * Answers with `cdnDir/<file>` (a build of release `builtVersion`) renamed to `version`.
 * @param {import('node:http').ServerResponse} res
 * @param {string} cdnDir
 * @param {string} builtVersion
 * @param {string} version
 * @param {string} file
 */
export async function serveVersionCopy(res, cdnDir, builtVersion, version, file) {
  if (!SEMVER.test(version)) return sendText(res, 400, 'version: a release such as 0.0.9');
  if (!FILE.test(file)) return sendText(res, 404, 'not found');
  let code;
  try {
    code = await readFile(join(cdnDir, file), 'utf8');
  } catch {
    return sendText(res, 404, 'not found: run npm run build');
  }
  // The build writes VERSION as a string literal (rollup.config.mjs replaces __KOLKIT_VERSION__).
  const body = Buffer.from(code.replaceAll(JSON.stringify(builtVersion), JSON.stringify(version)));
  res.writeHead(200, {'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-cache'});
  res.end(body);
}
