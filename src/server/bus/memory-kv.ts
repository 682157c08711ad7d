/**
 * The embedded bus's shared records: one process, so a map. Revisions behave as NATS KV's do (one counter
 * for the whole bucket, so every write gets a higher revision than any before it), and `create`/`update`
 * are the same compare-and-set, so code written against this map runs unchanged on a cluster.
 */
import {BusConflictError, type KvEntry, type SharedKv} from './types.js';

/** Keys NATS KV accepts, and so the only ones the map accepts (code must run on both). */
const KEY = /^[A-Za-z0-9_.-]+$/;

/** An in-memory `SharedKv`. Nothing is kept across restarts (`FileKv`, in file-kv.ts, keeps it on disk). */
export class MemoryKv implements SharedKv {
  protected readonly records = new Map<string, KvEntry>();
  protected revision = 0;

  /**
   * Makes one change durable before the operation answers: `entry` is the key's new record, null once deleted.
   * The change is already in the map (so a concurrent create still conflicts at once). Nothing to do in memory.
   */
  protected persist(_key: string, _entry: KvEntry | null): Promise<void> {
    return Promise.resolve();
  }

  async get(key: string): Promise<KvEntry | null> {
    checkKey(key);
    const entry = this.records.get(key);
    return entry ? {...entry} : null;
  }

  async create(key: string, value: string): Promise<number> {
    checkKey(key);
    if (this.records.has(key)) throw new BusConflictError(`the key ${key} exists`);
    return this.written(key, value);
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    checkKey(key);
    const current = this.records.get(key);
    if (!current || current.revision !== revision) {
      throw new BusConflictError(`the key ${key} is at revision ${current?.revision ?? 'none'}, not ${revision}`);
    }
    return this.written(key, value);
  }

  async put(key: string, value: string): Promise<number> {
    checkKey(key);
    return this.written(key, value);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    if (this.records.delete(key)) await this.persist(key, null);
  }

  async list(prefix: string): Promise<Map<string, KvEntry>> {
    const found = new Map<string, KvEntry>();
    for (const [key, entry] of this.records) if (key.startsWith(prefix)) found.set(key, {...entry});
    return found;
  }

  /** Sets `key` in the map with the next revision, then waits for `persist`; answers the revision. */
  private async written(key: string, value: string): Promise<number> {
    const entry = {value, revision: ++this.revision};
    this.records.set(key, entry);
    await this.persist(key, {...entry});
    return entry.revision;
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new TypeError(`a key is [A-Za-z0-9_.-]+, not ${JSON.stringify(key)}`);
}
