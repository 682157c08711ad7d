/** Small response and request helpers shared by the demo's routes. */

/** Headers every dynamic answer carries: never cached, by the browser or by the test runner's cache layer. */
export const NO_STORE = {'Cache-Control': 'no-store'};

/**
 * Writes a JSON response.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, value, headers = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, {...NO_STORE, 'Content-Type': 'application/json; charset=utf-8', ...headers});
  res.end(body);
}

/**
 * Writes a short plain-text response (errors, 404s).
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string>} [headers]
 */
export function sendText(res, status, text, headers = {}) {
  res.writeHead(status, {...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8', ...headers});
  res.end(text);
}

/** A request body that is too large or not JSON; `status` is the HTTP answer to give. */
export class BodyError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads and parses a JSON request body.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit] bytes; a host action is a few hundred
 * @returns {Promise<unknown>}
 */
export async function readJson(req, limit = 16 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'body is not valid JSON');
  }
}
