/**
 * `/dist/cdn/kolkit.js?version=<v>`: the built kolkit.js as if it were release <v>, for demo/double.html (a
 * page where another app already brought a different kolkit). Another URL is another module instance, so
 * the browser really runs two copies of kolkit side by side.
 */
import {readFile} from 'node:fs/promises';
import {sendText} from './http.mjs';

const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z.]{1,32})?$/;

/**
 * Answers with `file` (the built kolkit.js, whose release is `builtVersion`) renamed to `version`.
 * @param {import('node:http').ServerResponse} res
 * @param {string} file
 * @param {string} builtVersion
 * @param {string} version
 */
export async function serveVersionCopy(res, file, builtVersion, version) {
  if (!SEMVER.test(version)) return sendText(res, 400, 'version: a release such as 0.0.9');
  let code;
  try {
    code = await readFile(file, 'utf8');
  } catch {
    return sendText(res, 404, 'not found: run npm run build');
  }
  // The build writes VERSION as a string literal (rollup.config.mjs replaces __KOLKIT_VERSION__).
  const literal = JSON.stringify(builtVersion);
  if (!code.includes(literal)) return sendText(res, 500, `kolkit.js does not contain its version ${literal}`);
  const body = Buffer.from(code.replaceAll(literal, JSON.stringify(version)));
  res.writeHead(200, {'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-cache'});
  res.end(body);
}
