/**
 * `/studio` (DESIGN.md §10): a stub until the studio lands — the studio's own task replaces this file,
 * keeping `serveStudio`'s signature. The edge routes `GET /studio` and `GET /studio/…` here; the host token
 * comes as `?token=` (never logged: the edge logs paths only) and the page calls the API with it.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';

/** Answers a `GET /studio…` request. */
export function serveStudio(_req: IncomingMessage, res: ServerResponse, _url: URL): void | Promise<void> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>kolkit studio</title>' +
    '<p>The studio is not part of this build yet. The show API is at <code>/v1/</code>.</p>';
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    // The token is in this page's URL: do not send it on in a Referer.
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}
