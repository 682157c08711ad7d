/**
 * A server-sent-events hub: holds the open /events responses, writes each show event to all of them, and
 * keeps idle connections alive through proxies. Every message's JSON carries `sentAt`, the server's clock
 * at the moment of writing, from which clients derive their server-clock offset (DESIGN.md §4).
 */

/** Comment line interval: well under the usual 30–60 s idle timeouts of proxies and load balancers. */
const KEEP_ALIVE_MS = 15_000;

/** @typedef {import('./show-history.mjs').Message} Message */

/**
 * @param {object} options
 * @param {() => number} options.now server wall-clock ms
 */
export function createSseHub({now}) {
  /** @type {Set<import('node:http').ServerResponse>} */
  const clients = new Set();

  /** @param {Message} message */
  const format = ({sseId, event}) =>
    `${sseId ? `id: ${sseId}\n` : ''}data: ${JSON.stringify({...event, sentAt: new Date(now()).toISOString()})}\n\n`;

  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref(); // an idle hub must not keep the process (or a test run) alive

  return {
    /**
     * Turns `res` into an event stream, writes `catchUp` first, then every broadcast until the client leaves.
     * @param {import('node:http').ServerResponse} res
     * @param {Message[]} catchUp
     * @param {Record<string, string>} [headers] e.g. CORS
     */
    connect(res, catchUp, headers = {}) {
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no', // nginx: stream, don't buffer
      });
      res.flushHeaders(); // the client's fetch/EventSource opens now, even with nothing to catch up on
      for (const message of catchUp) res.write(format(message));
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },

    /** @param {{id: string}} event sent to every open connection, with its id as the SSE id */
    broadcast(event) {
      const text = format({sseId: event.id, event});
      for (const res of clients) res.write(text);
    },

    /** Ends every stream and stops the keep-alive timer. */
    close() {
      clearInterval(keepAlive);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
