/** Static files from one directory, for the demo pages, the built CDN bundle and the media fixtures. */
import {readFile} from 'node:fs/promises';
import {extname, resolve, sep} from 'node:path';
import {sendText} from './http.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.vtt': 'text/vtt; charset=utf-8',
};

/**
 * A server for the files under `root` whose extension is in `extensions`.
 * @param {string} root absolute directory
 * @param {string[]} extensions e.g. ['.html', '.css']
 * @param {Record<string, Record<string, string>>} [extraHeaders] more headers by extension, e.g. a CSP for '.html'
 */
export function createStatic(root, extensions, extraHeaders = {}) {
  const base = resolve(root);
  return {
    /**
     * Whether `relPath` (URL-encoded, relative to root) names a file type this server answers for.
     * @param {string} relPath
     */
    accepts(relPath) {
      return extensions.includes(extname(relPath).toLowerCase());
    },

    /**
     * Answers GET/HEAD for `relPath`. Anything that resolves outside root, or is missing, is a 404.
     * @param {import('node:http').ServerResponse} res
     * @param {string} relPath
     */
    async serve(res, relPath) {
      let file;
      try {
        file = resolve(base, decodeURIComponent(relPath));
      } catch {
        return sendText(res, 400, 'bad path');
      }
      // resolve() has already collapsed any "..": what is left must still be inside root.
      if (!file.startsWith(base + sep) || file.includes('\0')) return sendText(res, 404, 'not found');
      let body;
      try {
        body = await readFile(file);
      } catch {
        return sendText(res, 404, 'not found');
      }
      const ext = extname(file).toLowerCase();
      res.writeHead(200, {
        'Content-Type': TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': body.length,
        // Revalidate on every load: these files change while someone is working on the demo.
        'Cache-Control': 'no-cache',
        ...extraHeaders[ext],
      });
      res.end(body); // node leaves the body out of a HEAD answer itself
    },
  };
}
