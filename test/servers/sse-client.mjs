// An SSE client and a raw TCP client for the show server's node tests (test/node/server-*.test.mjs), and a
// condition poll: what a viewer received, comments included, and whether the server closed the connection.
import assert from 'node:assert/strict';
import net from 'node:net';

/** Waits for `check()` to be truthy, polling, up to `ms`; fails with `what`. */
export async function waitFor(check, what, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An SSE stream read with fetch: its parsed messages ({id, event}) and comments as they arrive, whether it
 * ended, and its close.
 */
export async function openSse(url, headers = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {headers, signal: controller.signal});
  const messages = [];
  const comments = [];
  let ended = false;
  const pump = (async () => {
    if (!res.ok) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, {stream: true});
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = null;
          let data = null;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data = line.slice(6);
          }
          if (data !== null) messages.push({id, event: JSON.parse(data)});
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
  })();
  return {
    res,
    messages,
    comments,
    ended: () => ended,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** A raw TCP client: what it received, and whether the server closed it. */
export function rawClient(port) {
  const socket = net.connect(port, '127.0.0.1');
  const state = {socket, received: '', closed: false, closedAt: 0};
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (state.received += chunk));
  socket.on('error', () => {});
  socket.on('close', () => {
    state.closed = true;
    state.closedAt = Date.now();
  });
  state.connected = new Promise((resolve) => socket.once('connect', resolve));
  return state;
}
