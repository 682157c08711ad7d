/**
 * The embedded bus's shared records kept on disk (`<data>/kv.jsonl`), so a restart of `kolkit serve` keeps
 * who voted, entered, bid or joined, the bans and the counts, as it keeps the show logs: without it a restarted
 * server would take a second vote from the same viewer and count a poll from zero.
 *
 * Each change is one JSON line (`{"k", "v", "r", "t"}`, or `{"k", "d": 1}` for a delete) appended with group
 * commit: the changes made while a batch is being written go into the next one, one `write` and one `datasync`
 * per batch, and each operation answers only once its line is on disk. Opening replays the file (a torn last
 * line, from a crash mid-write, is skipped), forgets records older than `maxAgeMs` (a cluster's bucket forgets
 * them too), and rewrites the file with the live records only; so does a file grown past four times them.
 */
import {open, readFile, rename, type FileHandle} from 'node:fs/promises';
import {dirname} from 'node:path';
import {MemoryKv} from './memory-kv.js';
import {syncDir} from './sync-dir.js';
import {BusUnavailableError, type KvEntry} from './types.js';

/** How long a record is kept after its last write when the file is reopened: as long as the cluster's bucket (6 h). */
export const KV_MAX_AGE_MS = 6 * 3600_000;
/** Lines in the file before a rewrite is considered (and it is done only past four times the live records). */
const MIN_LINES_TO_COMPACT = 10_000;

/** One line of the file. */
type KvLine = {k: string; v: string; r: number; t: number} | {k: string; d: 1};

/** A `SharedKv` whose every change is durable before it answers, restored on open. */
export class FileKv extends MemoryKv {
  readonly #path: string;
  #handle: FileHandle;
  /** When each live record was last written (ms), for the age limit of the next open and the rewrites. */
  readonly #writtenAt = new Map<string, number>();
  #lines = 0;
  #pending: Array<{line: string; done: () => void; failed: (error: unknown) => void}> = [];
  #flushing: Promise<void> | null = null;
  #closed = false;

  private constructor(path: string, handle: FileHandle) {
    super();
    this.#path = path;
    this.#handle = handle;
  }

  /** Opens (or creates) the records at `path`, restoring what is younger than `maxAgeMs`, and compacts the file. */
  static async open(path: string, {maxAgeMs = KV_MAX_AGE_MS, now = Date.now()} = {}): Promise<FileKv> {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const kv = new FileKv(path, await open(path, 'a'));
    kv.#restore(text, now - maxAgeMs);
    await kv.#rewrite();
    return kv;
  }

  protected override persist(key: string, entry: KvEntry | null): Promise<void> {
    if (this.#closed) return Promise.reject(new BusUnavailableError('the records are closed'));
    const at = Date.now();
    if (entry) this.#writtenAt.set(key, at);
    else this.#writtenAt.delete(key);
    const line: KvLine = entry ? {k: key, v: entry.value, r: entry.revision, t: at} : {k: key, d: 1};
    return new Promise((done, failed) => {
      this.#pending.push({line: JSON.stringify(line), done, failed});
      this.#flushing ??= this.#flush();
    });
  }

  /** Waits for the changes under way, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    await this.#handle.close().catch(() => {});
  }

  /** Writes the pending lines batch after batch, until none is left. */
  async #flush(): Promise<void> {
    // Lets the changes of this tick join the batch.
    await Promise.resolve();
    while (this.#pending.length) {
      const batch = this.#pending.splice(0);
      try {
        await this.#handle.write(batch.map((p) => `${p.line}\n`).join(''));
        await this.#handle.datasync();
        this.#lines += batch.length;
        for (const p of batch) p.done();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        const refusal = new BusUnavailableError(`the shared records cannot be written${code ? ` (${code})` : ''}`, {cause: error});
        for (const p of batch) p.failed(refusal);
      }
      if (this.#lines > MIN_LINES_TO_COMPACT && this.#lines > 4 * this.records.size) {
        await this.#rewrite().catch(() => {}); // the appended file is still whole: a failed rewrite loses nothing
      }
    }
    this.#flushing = null;
  }

  /** Replays the file's lines into the map; records last written before `oldest` are left out. */
  #restore(text: string, oldest: number): void {
    for (const raw of text.split('\n')) {
      let line: KvLine;
      try {
        line = JSON.parse(raw) as KvLine;
      } catch {
        continue; // an empty line, or the torn last one of a crash
      }
      if (typeof line?.k !== 'string') continue;
      if ('d' in line) {
        this.records.delete(line.k);
        this.#writtenAt.delete(line.k);
      } else if (typeof line.v === 'string' && Number.isSafeInteger(line.r)) {
        this.records.set(line.k, {value: line.v, revision: line.r});
        this.#writtenAt.set(line.k, line.t);
        this.revision = Math.max(this.revision, line.r);
      }
    }
    for (const [key, at] of this.#writtenAt) {
      if (!(at >= oldest)) {
        this.records.delete(key);
        this.#writtenAt.delete(key);
      }
    }
  }

  /** Replaces the file with the live records only (written beside it, synced, renamed over it). */
  async #rewrite(): Promise<void> {
    const lines = [...this.records].map(([k, {value: v, revision: r}]) => JSON.stringify({k, v, r, t: this.#writtenAt.get(k) ?? Date.now()}));
    // The revision counter must survive even when no record does: a later write must not reuse a revision.
    lines.push(JSON.stringify({k: '_kol.revision', v: '', r: this.revision, t: Date.now()}), JSON.stringify({k: '_kol.revision', d: 1}));
    const next = `${this.#path}.next`;
    const handle = await open(next, 'w');
    try {
      await handle.write(lines.map((line) => `${line}\n`).join(''));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(next, this.#path);
    await syncDir(dirname(this.#path));
    await this.#handle.close().catch(() => {});
    this.#handle = await open(this.#path, 'a');
    this.#lines = lines.length;
  }
}

