// The studio's side of the show API (DESIGN.md §8.2): host events posted with the host token, and the host
// stream (`GET /v1/shows/{show}/host/events`) read with fetch, since EventSource cannot send a token. The
// stream resumes with Last-Event-ID after a drop, so the studio misses nothing and sees nothing twice.

import {EventSourceParserStream} from './vendor/stream.js';

/** A refusal of the API: the server's `{error, message}` and the status. */
export class Refusal extends Error {
  constructor(status, body) {
    super(body?.message || body?.error || `the server answered ${status}`);
    this.status = status;
    this.code = body?.error ?? 'http-' + status;
    this.body = body;
  }
}

/** A fresh idempotency key: 128 random bits in hex (crypto.randomUUID needs a secure context; this does not). */
function newKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reconnect delays after a dropped stream (ms): quick at first, then every 5 s. */
const RETRY_MS = [250, 1000, 2000, 5000];

/**
 * The API of one show for one host token.
 * @param {{show: string, token: string}} options
 */
export function createApi({show, token}) {
  const base = `/v1/shows/${encodeURIComponent(show)}`;
  const auth = {authorization: `Bearer ${token}`};

  async function json(res) {
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      return {error: 'bad-answer', message: `the server answered ${res.status} with something that is not JSON`};
    }
  }

  /** A host request that answers JSON with 200; a `Refusal` otherwise (the network's as status 0). */
  async function hostJson(method, path) {
    let res;
    try {
      res = await fetch(`${base}${path}`, {method, headers: auth, cache: 'no-store'});
    } catch (error) {
      throw new Refusal(0, {error: 'network', message: `the server cannot be reached (${error.message})`});
    }
    const answer = await json(res);
    if (res.status !== 200) throw new Refusal(res.status, answer);
    return answer;
  }

  return {
    show,

    /**
     * Posts a host event (without v, id, at); answers the stamped event or throws a `Refusal`. A post that
     * fails on the network is tried twice more with the same Idempotency-Key: if the first one was stored
     * and only its answer was lost, the server answers that event instead of storing it again.
     */
    async post(body) {
      const headers = {...auth, 'content-type': 'application/json', 'idempotency-key': newKey()};
      let res;
      for (let attempt = 0; !res; attempt++) {
        try {
          res = await fetch(`${base}/events`, {method: 'POST', headers, body: JSON.stringify(body)});
        } catch (error) {
          if (attempt >= 2) throw new Refusal(0, {error: 'network', message: `the server cannot be reached (${error.message})`});
          await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
        }
      }
      const answer = await json(res);
      if (res.status !== 201) throw new Refusal(res.status, answer);
      return answer;
    },

    /**
     * One moderation action (`{action: 'remove' | 'ban' | 'unban' | 'slow-mode' | 'blocked-words', …}`);
     * answers the show's moderation settings after it, or throws a `Refusal`.
     */
    async moderate(body) {
      let res;
      try {
        res = await fetch(`${base}/moderation`, {method: 'POST', headers: {...auth, 'content-type': 'application/json'}, body: JSON.stringify(body)});
      } catch (error) {
        throw new Refusal(0, {error: 'network', message: `the server cannot be reached (${error.message})`});
      }
      const answer = await json(res);
      if (res.status !== 200) throw new Refusal(res.status, answer);
      return answer.settings;
    },

    /** The show's moderation settings: `{slowModeSeconds, blockedWords, banned}`. */
    async moderation() {
      const res = await fetch(`${base}/moderation`, {headers: auth, cache: 'no-store'});
      const answer = await json(res);
      if (!res.ok) throw new Refusal(res.status, answer);
      return answer.settings;
    },

    /** Draws a giveaway's winner (once: a later draw answers the same): `{winner: {id, name} | null, entries}`. */
    async draw(giveawayId) {
      return hostJson('POST', `/giveaways/${encodeURIComponent(giveawayId)}/draw`);
    },

    /** A giveaway as the host sees it: `{giveawayId, entries, drawn, winner?: {id, name} | null}`. */
    async giveaway(giveawayId) {
      return hostJson('GET', `/giveaways/${encodeURIComponent(giveawayId)}`);
    },

    /** The show's reduced state (the SDK's reducer, run by the server). */
    async state() {
      const res = await fetch(`${base}/state`, {cache: 'no-store'});
      if (!res.ok) throw new Refusal(res.status, await json(res));
      return res.json();
    },

    /**
     * Follows the host stream until `signal` aborts: `onEvent(event)` for each message, `onStatus(status,
     * detail)` with 'open' | 'reconnecting' | 'refused'. A 401 or 403 stops it (the token will not get better).
     */
    async follow({onEvent, onStatus, signal}) {
      let lastId = null;
      let attempt = 0;
      while (!signal.aborted) {
        try {
          const headers = {...auth, accept: 'text/event-stream', ...(lastId !== null && {'last-event-id': lastId})};
          const res = await fetch(`${base}/host/events`, {headers, cache: 'no-store', signal});
          if (res.status === 401 || res.status === 403) {
            onStatus('refused', new Refusal(res.status, await json(res)));
            return;
          }
          if (!res.ok || !res.body) throw new Refusal(res.status, await json(res));
          attempt = 0;
          onStatus('open');
          for await (const message of messages(res.body)) {
            if (message.id !== undefined) lastId = message.id;
            if (!message.data) continue;
            let event;
            try {
              event = JSON.parse(message.data);
            } catch {
              continue; // not an event: nothing the studio could show
            }
            onEvent(event);
          }
        } catch (error) {
          if (signal.aborted) return;
          onStatus('reconnecting', error);
        }
        if (signal.aborted) return;
        onStatus('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
      }
    },
  };
}

/** The SSE messages of a response body (`{id?, data}` each), read with eventsource-parser, as the SDK reads its own. */
async function* messages(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    yield value;
  }
}
