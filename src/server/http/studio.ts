/**
 * `/studio` (DESIGN.md §10): the host's studio, served by the show server itself so it runs on the same
 * origin as the host API it calls. The page is a shell (written here, with what it opens in data
 * attributes) and static files from src/server/studio/ (copied next to the compiled server by the build);
 * the SDK's CDN build is served under `/studio/sdk/` for the stream preview.
 *
 * The host token travels in the link's fragment (`/studio#token=…`), which a browser never sends: it
 * cannot reach an access log, a proxy or a Referer. A link with `?token=` (as a script may make) is checked
 * here, so a bad one is refused with a page that says why. Every answer carries a strict CSP: no inline
 * script or style anywhere in the studio.
 */
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {dirname, extname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {SHOW_ID} from '../bus/types.js';
import type {verifyHost} from '../auth.js';
import {ShowInputError} from '../types.js';
import {HttpError} from './errors.js';

/** What the studio opens, given by whoever runs the server (`npm start` gives the demo's). */
export interface StudioOptions {
  /** The show the studio opens without `?show=` (none: the page asks for one). */
  show?: string;
  /** A catalog (JSON array of products, as `<kol-show products>` reads) the host pins from; none: product ids are typed. */
  catalog?: string;
  /** An HLS stream the studio previews with `<kol-live-player>`; none: no preview. */
  stream?: string;
}

/** Answers one `GET /studio…` request. */
export type StudioHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * The studio's policy: scripts, styles and connections from this origin only; blob: for the preview's
 * MediaSource and hls.js's worker; images from https: too (a merchant's catalog images live on a CDN).
 */
export const STUDIO_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: https:",
  "media-src 'self' blob:", "worker-src 'self' blob:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** The studio's own files: next to the compiled server (a build or the package), else the source tree (a checkout). */
const ASSET_DIRS = [new URL('../studio/', import.meta.url), new URL('../../../../src/server/studio/', import.meta.url)].map((u) => fileURLToPath(u));
/** The SDK's CDN build, for the preview: dist/cdn/ of the package this server is part of. */
const SDK_DIR = fileURLToPath(new URL('../../../cdn/', import.meta.url));
/**
 * eventsource-parser's browser modules (a dependency of the SDK already), served under `/studio/vendor/` so the
 * studio reads the host stream with the parser the SDK's own SSE reader uses rather than a hand-written one.
 */
const VENDOR_DIR = dirname(fileURLToPath(import.meta.resolve('eventsource-parser/stream')));
const VENDOR_FILES = new Set(['stream.js', 'index.js']);

/** The studio handler for `options`; tokens in a `?token=` are checked with `verifyHost` and `hostSecret`. */
export function createStudio(options: StudioOptions & {hostSecret: string; verifyHost: typeof verifyHost}): StudioHandler {
  if (options.show !== undefined && !SHOW_ID.test(options.show)) throw new TypeError(`studio.show: not a show id: ${JSON.stringify(options.show)}`);
  const assets = ASSET_DIRS.find((dir) => existsSync(join(dir, 'studio.js')));
  const sdk = existsSync(join(SDK_DIR, 'kolkit.js')) ? SDK_DIR : undefined;

  return async (req, res, url) => {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/studio') return page(res, url);
    const file = /^\/studio\/(sdk\/|vendor\/)?([A-Za-z0-9_-][A-Za-z0-9._-]*)$/.exec(path);
    const dir = file?.[1] === 'sdk/' ? sdk : file?.[1] === 'vendor/' ? (VENDOR_FILES.has(file[2]!) ? VENDOR_DIR : undefined) : assets;
    if (!file || !dir || !TYPES[extname(file[2]!)]) throw new HttpError(404, 'not-found', `The studio has no file ${path}.`);
    let body: Buffer;
    try {
      body = await readFile(join(dir, file[2]!));
    } catch {
      throw new HttpError(404, 'not-found', `The studio has no file ${path}.`);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file[2]!)]!,
      'content-length': body.length,
      // Revalidated: a new build's studio replaces the old one at once.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  async function page(res: ServerResponse, url: URL): Promise<void> {
    const show = url.searchParams.get('show') ?? options.show ?? '';
    if (show && !SHOW_ID.test(show)) return sendPage(res, 400, refusal('This is not a show id', 'A show id is 1 to 64 letters, digits, "-" or "_".'));
    const token = url.searchParams.get('token');
    if (token !== null) {
      try {
        // Without a show (the page asks for one), the token is checked for any show it names.
        await options.verifyHost(`Bearer ${token}`, show || '*', options.hostSecret);
      } catch (error) {
        if (!(error instanceof ShowInputError)) throw error;
        const wrongShow = error.status === 403 && !show;
        if (!wrongShow) return sendPage(res, error.status, refusal('The studio refused this link', `${error.message}. Open the studio link the server printed, or ask for a new host token.`));
      }
    }
    if (!assets) return sendPage(res, 503, refusal('The studio is not built', 'Its files are missing: run `npm run build`.'));
    const data = {show, catalog: options.catalog ?? '', stream: sdk ? options.stream ?? '' : '', sdk: sdk ? '/studio/sdk/kolkit.js' : ''};
    const attrs = Object.entries(data).map(([key, value]) => ` data-${key}="${escape(value)}"`).join('');
    sendPage(res, 200, shell(`<body class="studio"${attrs}>`));
  }
}

/** The studio's page: the script builds everything from the body's data attributes. */
function shell(body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>kolkit studio</title>
  <link rel="stylesheet" href="/studio/studio.css">
  <script type="module" src="/studio/studio.js"></script>
</head>
${body}
  <noscript><p class="refusal">The studio needs JavaScript.</p></noscript>
</body>
</html>
`;
}

/** A page that says why the studio is not shown. */
function refusal(title: string, message: string): string {
  return shell(`<body class="studio studio--refused">
  <main class="refusal"><div role="alert"><h1>${escape(title)}</h1><p>${escape(message)}</p></div></main>`);
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'content-security-policy': STUDIO_CSP,
    // The page's URL may hold the token: never send it on.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

const ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
