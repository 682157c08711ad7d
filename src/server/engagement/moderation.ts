/**
 * Chat moderation (DESIGN.md §10; `POST`/`GET /v1/shows/{show}/moderation`): remove a message, ban its sender
 * (or a viewer), slow mode, blocked words. Everything that must hold on every node lives in the bus's shared
 * KV, one key per setting, so a change is one plain write and never a read-modify-write race:
 *
 * - `mod.<show>.slow` (seconds), `mod.<show>.words` (JSON list), `mod.<show>.ban.<ref>` (one per banned viewer);
 *   each node reads them with one `list` and keeps them `cacheMs` (2 s by default): a change made on one node
 *   holds on the others within that time, and at once on the node that made it.
 * - `chat-from.<show>.<messageId>`: the sender of a recent message (as a ref), so a ban by message works
 *   whichever node took the message; removed after `SENDER_KEEP_MS`.
 * - `slow.<show>.<ref>.<seconds>.<window>`: slow mode's one message per viewer per window, taken with a KV
 *   `create` — exact across nodes (one create wins; NATS 2.9's `update(revision)` would not be).
 *
 * A viewer is named here only by a ref, `ref:` + 24 hex digits of SHA-256 over their id: viewer ids are
 * bearer identities of anonymous viewers and are never sent to anyone, the host included (design change 15).
 */
import {createHash} from 'node:crypto';
import {BusConflictError, type SharedKv} from '../bus/types.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import {INVISIBLE} from './chat.js';
import {assertShow, createJanitor, type EngagementLog} from './period.js';

/** The longest slow mode: an hour between two messages of one viewer. */
export const MAX_SLOW_MODE_SECONDS = 3600;
/** Blocked words (or phrases) per show, and the longest one. */
export const MAX_BLOCKED_WORDS = 500;
export const MAX_BLOCKED_WORD_LENGTH = 64;
/** How long the sender of a message is remembered for a ban by message. */
export const SENDER_KEEP_MS = 60 * 60_000;
/** How long a node trusts the settings it read (ms): the delay before another node's change holds here. */
export const DEFAULT_SETTINGS_CACHE_MS = 2000;

/** A banned viewer as the host sees it: a ref (never the viewer id), the name they used, when. */
export interface BannedViewer {
  viewer: string;
  name?: string;
  at: string;
}

/** A show's moderation settings (the answer of `GET`/`POST moderation`). */
export interface ModerationSettings {
  /** Seconds a viewer waits between two messages (0: off). */
  slowModeSeconds: number;
  /** Words and phrases a message may not contain (normalized: NFKC, lower case). */
  blockedWords: string[];
  banned: BannedViewer[];
}

/** Who acts (from the host or moderator token). */
export interface Moderator {
  role: 'host' | 'moderator';
  sub?: string;
}

/** Options of `createModeration`. */
export interface ModerationOptions {
  kv: SharedKv;
  logs: ShowLogs;
  log: EngagementLog;
  /** See `DEFAULT_SETTINGS_CACHE_MS`. */
  cacheMs?: number;
}

/** A node's share of moderation. */
export interface Moderation {
  /**
   * Whether `identity` may post `text` to `show` now: rejects with `403 banned`, `422 blocked` or `429
   * slow-mode` (with `Retry-After`). Passing slow mode takes the viewer's slot for the window.
   */
  check(show: string, identity: ViewerIdentity, text: string): Promise<void>;
  /** Remembers who sent `messageId` (for a ban by message). */
  remember(show: string, messageId: string, identity: ViewerIdentity, author: string): Promise<void>;
  /** One action of a `POST moderation` body; answers the settings after it. */
  act(show: string, body: unknown, by: Moderator): Promise<ModerationSettings>;
  /** The settings as the KV holds them now. */
  settings(show: string): Promise<ModerationSettings>;
  /**
   * Stops the sweeper after removing the keys that are due. The rest stay (NATS forgets them within 6 hours):
   * another node may still ban by a message this node took.
   */
  close(): Promise<void>;
}

/** A viewer's ref: stable, not reversible to the id, usable in KV keys (hex). */
export const viewerRef = (viewerId: string): string => createHash('sha256').update(viewerId).digest('hex').slice(0, 24);

/** Message ids the server makes (UUIDs) and any the KV can key. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const REF = /^ref:([0-9a-f]{24})$/;
const VIEWER = /^(viewer|customer):[^\s]{1,128}$/;

/** `text` as the blocked-word check reads it: NFKC (full-width and ligatures folded), no invisibles, lower case, words split by anything else. */
export function normalizeWords(text: string): string {
  const words = text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return words.filter(Boolean).join(' ');
}

/** True when `text` contains one of `blocked` (normalized) as whole words. */
export function containsBlocked(text: string, blocked: readonly string[]): boolean {
  if (!blocked.length) return false;
  const words = ` ${normalizeWords(text)} `;
  return blocked.some((word) => words.includes(` ${word} `));
}

const badField = (field: string, message: string) => new ShowInputError(400, 'bad-field', message, {field});

/** Starts moderation over the shared KV. */
export function createModeration({kv, logs, log, cacheMs = DEFAULT_SETTINGS_CACHE_MS}: ModerationOptions): Moderation {
  const janitor = createJanitor(kv, log);
  /** Per show: the settings read and when, or the read under way. */
  const cache = new Map<string, {at: number; read: Promise<ModerationSettings>}>();
  const sweeper = setInterval(() => void janitor.sweep(), 30_000);
  sweeper.unref();

  async function read(show: string): Promise<ModerationSettings> {
    assertShow(show);
    const entries = await kv.list(`mod.${show}.`);
    const settings: ModerationSettings = {slowModeSeconds: 0, blockedWords: [], banned: []};
    for (const [key, {value}] of entries) {
      const name = key.slice(`mod.${show}.`.length);
      try {
        if (name === 'slow') settings.slowModeSeconds = Math.min(MAX_SLOW_MODE_SECONDS, Math.max(0, Math.floor(Number(value)) || 0));
        else if (name === 'words') settings.blockedWords = (JSON.parse(value) as unknown[]).filter((w): w is string => typeof w === 'string');
        else if (name.startsWith('ban.')) {
          const {name: shown, at} = JSON.parse(value) as {name?: unknown; at?: unknown};
          settings.banned.push({viewer: `ref:${name.slice(4)}`, ...(typeof shown === 'string' && {name: shown}), at: typeof at === 'string' ? at : ''});
        }
      } catch {
        log.warn({show, key}, 'moderation: a setting that is not JSON was ignored');
      }
    }
    settings.banned.sort((a, b) => a.at.localeCompare(b.at));
    return settings;
  }

  /** The settings, read again once they are older than `cacheMs` (one read at a time per show). */
  function cached(show: string): Promise<ModerationSettings> {
    const slot = cache.get(show);
    if (slot && Date.now() - slot.at < cacheMs) return slot.read;
    return refresh(show);
  }

  function refresh(show: string): Promise<ModerationSettings> {
    const read$ = read(show);
    const slot = {at: Date.now(), read: read$};
    cache.set(show, slot);
    // A failed read is not kept: the next message tries again.
    read$.catch(() => cache.get(show) === slot && cache.delete(show));
    if (cache.size > 10_000) for (const [key, old] of cache) if (Date.now() - old.at > cacheMs) cache.delete(key);
    return read$;
  }

  async function takeSlowSlot(show: string, ref: string, seconds: number): Promise<void> {
    const windowMs = seconds * 1000;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const key = `slow.${show}.${ref}.${seconds}.${window}`;
    const ends = (window + 1) * windowMs;
    try {
      await kv.create(key, '1');
      janitor.later(key, ends + 1000);
    } catch (error) {
      if (!(error instanceof BusConflictError)) throw error;
      const retryAfter = Math.max(1, Math.ceil((ends - now) / 1000));
      throw new ShowInputError(
        429,
        'slow-mode',
        `Slow mode is on: one message every ${seconds} s. Try again in ${retryAfter} s.`,
        {retryAfter, slowModeSeconds: seconds},
      );
    }
  }

  /** The ref a `viewer` field names: `ref:<hex>` as listed in the settings, or a `viewer:<id>` / `customer:<sub>` identity. */
  function refOf(viewer: unknown): string {
    if (typeof viewer === 'string') {
      const ref = REF.exec(viewer);
      if (ref) return ref[1];
      if (VIEWER.test(viewer)) return viewerRef(viewer);
    }
    throw badField('viewer', 'viewer must be a ref from the settings (ref:…), customer:<sub> or viewer:<id>');
  }

  function messageIdOf(body: Record<string, unknown>): string {
    const id = body.messageId;
    if (typeof id === 'string' && MESSAGE_ID.test(id)) return id;
    throw badField('messageId', 'messageId must be a chat message id');
  }

  async function ban(show: string, ref: string, name: string | undefined): Promise<void> {
    await kv.put(`mod.${show}.ban.${ref}`, JSON.stringify({...(name && {name}), at: new Date().toISOString()}));
  }

  return {
    async check(show, identity, text) {
      const settings = await cached(show);
      const ref = viewerRef(identity.id);
      if (settings.banned.some((b) => b.viewer === `ref:${ref}`)) {
        throw new ShowInputError(403, 'banned', 'You cannot post in this show’s chat: a moderator banned you.', {reason: 'banned by a moderator'});
      }
      if (containsBlocked(text, settings.blockedWords)) {
        throw new ShowInputError(422, 'blocked', 'This message contains a word this show does not allow.', {reason: 'contains a blocked word'});
      }
      if (settings.slowModeSeconds > 0) await takeSlowSlot(show, ref, settings.slowModeSeconds);
    },

    async remember(show, messageId, identity, author) {
      const key = `chat-from.${show}.${messageId}`;
      await kv.put(key, JSON.stringify({ref: viewerRef(identity.id), name: author}));
      janitor.later(key, Date.now() + SENDER_KEEP_MS);
    },

    async act(show, body, by) {
      assertShow(show);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ShowInputError(400, 'bad-body', 'The body must be a JSON object with an action.');
      const fields = body as Record<string, unknown>;
      const action = fields.action;
      switch (action) {
        case 'remove': {
          const messageId = messageIdOf(fields);
          // One id per message: a second remove (another moderator, a retry) is a duplicate the bus drops.
          await logs.serverEvent(show, {type: 'chat.remove', id: `remove-${messageId}`, messageId});
          break;
        }
        case 'ban': {
          if (fields.messageId !== undefined) {
            const messageId = messageIdOf(fields);
            const sender = await kv.get(`chat-from.${show}.${messageId}`);
            if (!sender) throw new ShowInputError(404, 'not-found', 'No recent message has this id: its sender cannot be named (messages are remembered for an hour).', {field: 'messageId'});
            const {ref, name} = JSON.parse(sender.value) as {ref: string; name?: string};
            await ban(show, ref, name);
          } else {
            await ban(show, refOf(fields.viewer), undefined);
          }
          break;
        }
        case 'unban':
          await kv.delete(`mod.${show}.ban.${refOf(fields.viewer)}`);
          break;
        case 'slow-mode': {
          const seconds = fields.seconds;
          if (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > MAX_SLOW_MODE_SECONDS) {
            throw badField('seconds', `seconds must be a whole number from 0 (off) to ${MAX_SLOW_MODE_SECONDS}`);
          }
          if (seconds === 0) await kv.delete(`mod.${show}.slow`);
          else await kv.put(`mod.${show}.slow`, String(seconds));
          break;
        }
        case 'blocked-words': {
          const words = fields.words;
          if (!Array.isArray(words) || words.length > MAX_BLOCKED_WORDS) throw badField('words', `words must be a list of at most ${MAX_BLOCKED_WORDS} words`);
          const normalized = new Set<string>();
          for (const word of words) {
            const one = typeof word === 'string' ? normalizeWords(word) : '';
            if (!one || one.length > MAX_BLOCKED_WORD_LENGTH) throw badField('words', `each word is 1 to ${MAX_BLOCKED_WORD_LENGTH} letters or digits`);
            normalized.add(one);
          }
          await kv.put(`mod.${show}.words`, JSON.stringify([...normalized]));
          break;
        }
        default:
          throw badField('action', 'action must be one of remove, ban, unban, slow-mode, blocked-words');
      }
      log.debug({show, action, role: by.role, sub: by.sub}, 'moderation');
      // This node holds the change at once; the others within `cacheMs`.
      return refresh(show);
    },

    settings: (show) => refresh(show),

    async close() {
      clearInterval(sweeper);
      await janitor.sweep();
    },
  };
}
