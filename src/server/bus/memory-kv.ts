/**
 * The embedded bus's shared records: one process, so a map. Revisions behave as NATS KV's do (one counter
 * for the whole bucket, so every write gets a higher revision than any before it), and `create`/`update`
 * are the same compare-and-set, so code written against this map runs unchanged on a cluster.
 */
import {BusConflictError, type KvEntry, type SharedKv} from './types.js';

/** Keys NATS KV accepts, and so the only ones the map accepts (code must run on both). */
const KEY = /^[A-Za-z0-9_.-]+$/;

/** An in-memory `SharedKv`. Nothing is kept across restarts. */
export class MemoryKv implements SharedKv {
  private readonly records = new Map<string, KvEntry>();
  private revision = 0;

  async get(key: string): Promise<KvEntry | null> {
    checkKey(key);
    const entry = this.records.get(key);
    return entry ? {...entry} : null;
  }

  async create(key: string, value: string): Promise<number> {
    checkKey(key);
    if (this.records.has(key)) throw new BusConflictError(`the key ${key} exists`);
    return this.write(key, value);
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    checkKey(key);
    const current = this.records.get(key);
    if (!current || current.revision !== revision) {
      throw new BusConflictError(`the key ${key} is at revision ${current?.revision ?? 'none'}, not ${revision}`);
    }
    return this.write(key, value);
  }

  async put(key: string, value: string): Promise<number> {
    checkKey(key);
    return this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    this.records.delete(key);
  }

  async list(prefix: string): Promise<Map<string, KvEntry>> {
    const found = new Map<string, KvEntry>();
    for (const [key, entry] of this.records) if (key.startsWith(prefix)) found.set(key, {...entry});
    return found;
  }

  private write(key: string, value: string): number {
    const revision = ++this.revision;
    this.records.set(key, {value, revision});
    return revision;
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new TypeError(`a key is [A-Za-z0-9_.-]+, not ${JSON.stringify(key)}`);
}
