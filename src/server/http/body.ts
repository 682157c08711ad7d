/**
 * Request bodies, bounded: a body is JSON of at most `limit` bytes, and never read unbounded — the declared
 * `Content-Length` is checked before a byte is read, and the bytes are counted while reading (a chunked body
 * declares no length).
 */
import type {IncomingMessage} from 'node:http';
import {HttpError} from './errors.js';

/** The largest body the edge reads, in bytes (DESIGN.md: over 64 KB → 413). */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) =>
  new HttpError(413, 'too-large', `The body is larger than ${Math.round(limit / 1024)} KB.`, {limit});

/** True when the request says its body is JSON (`application/json`, any parameters). */
function isJson(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads the request's body as JSON. Refuses with 415 when it is not declared JSON (which also keeps a
 * cross-origin form post, a CORS "simple request", from ever reaching an action), 413 past `limit` bytes,
 * 400 when it does not parse.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!isJson(req)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the body as JSON, with Content-Type: application/json.');
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading here: the refusal closes the connection rather than draining the rest.
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onAborted = () => {
      cleanup();
      reject(new HttpError(400, 'aborted', 'The request ended before its body did.'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onAborted);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad-json', 'The body is not valid JSON.');
  }
}

/**
 * The body as an object (JSON arrays, strings and numbers are refused with a 400), for the viewer actions
 * whose bodies are small objects.
 */
export async function readJsonObject(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req, limit);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'bad-body', 'The body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
