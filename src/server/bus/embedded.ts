/**
 * The embedded bus (DESIGN.md §8.1): one process, an append-only log file per show under
 * `<dir>/shows/<show>.jsonl`, and followers called in-process. An append resolves only once its line is on
 * disk (written, then `datasync`), so what a host was told is stored survives a crash; a restart restores
 * every show's sequences from its file, so viewers resume with `Last-Event-ID` across it.
 *
 * Appends to one show run one batch at a time: the appends that arrive while a batch is being written go
 * into the next one, written with one `write` and one `datasync` (group commit), so a busy show costs one
 * sync per batch, not one per event, and each append still resolves only after its own line is durable.
 */
import {constants} from 'node:fs';
import {mkdir, open, stat, type FileHandle} from 'node:fs/promises';
import {join} from 'node:path';
import type {Logger} from 'pino';
import type {ShowEvent} from '../../core/schema.js';
import {lockDataDir} from './dir-lock.js';
import {formatEntry, parseLines} from './log-file.js';
import {FileKv} from './file-kv.js';
import {syncDir} from './sync-dir.js';
import {BusConflictError, BusUnavailableError, SHOW_ID, type AppendOptions, type LoggedEvent, type ShowBus} from './types.js';
import {firstAbove} from '../sorted.js';

/** Options of `createEmbeddedBus`. */
export interface EmbeddedBusOptions {
  /** The data directory (`--data`); logs go to `<dir>/shows/`. Created when absent. */
  dir: string;
  /** Where restores, repairs and refused writes are reported. */
  log?: Logger;
}

/** Recent entries kept in memory per show, so a follower's catch-up or a duplicate's answer rarely reads the file. */
const RECENT_ENTRIES = 1024;

interface PendingAppend {
  event: ShowEvent;
  expectedLastSeq?: number;
  resolve(entry: LoggedEvent): void;
  reject(error: Error): void;
}

interface Follower {
  onEntry(entry: LoggedEvent): void;
  stopped: boolean;
}

/** One show's open log file and what is known of it. */
interface ShowFile {
  show: string;
  handle: FileHandle;
  /** Bytes of the log that hold acknowledged entries: every write goes here. */
  size: number;
  /** True when a failed write may have left bytes past `size` that could not be cut off yet. */
  dirty: boolean;
  lastSeq: number;
  /** Sequences of the entries and their byte offsets, in parallel (a sequence is found by binary search). */
  seqs: number[];
  offsets: number[];
  /** Event id → its entry's sequence: the deduplication of retried appends. */
  ids: Map<string, number>;
  /** The last `RECENT_ENTRIES` entries. */
  recent: LoggedEvent[];
  pending: PendingAppend[];
  batchQueued: boolean;
  /** The file's tasks (batches, followers' catch-ups), one at a time. */
  tail: Promise<void>;
}

/** The in-process bus over log files under `options.dir`. Rejects when the directory cannot be used. */
export async function createEmbeddedBus(options: EmbeddedBusOptions): Promise<ShowBus> {
  const showsDir = join(options.dir, 'shows');
  await mkdir(showsDir, {recursive: true});
  const unlock = await lockDataDir(options.dir);
  let kv: FileKv;
  try {
    kv = await FileKv.open(join(options.dir, 'kv.jsonl'));
  } catch (error) {
    await unlock();
    throw error;
  }
  return new EmbeddedBus(showsDir, kv, unlock, options.log);
}

class EmbeddedBus implements ShowBus {
  readonly mode = 'embedded' as const;
  private readonly files = new Map<string, Promise<ShowFile>>();
  private readonly followers = new Map<string, Set<Follower>>();
  /** False from a refused write until a write succeeds again. */
  private writable = true;
  private closed = false;

  /** The shared records, kept in `<dir>/kv.jsonl` (file-kv.ts). */
  constructor(
    private readonly showsDir: string,
    readonly kv: FileKv,
    private readonly unlock: () => Promise<void>,
    private readonly log?: Logger,
  ) {}

  healthy(): boolean {
    return !this.closed && this.writable;
  }

  async append(show: string, event: ShowEvent, options: AppendOptions = {}): Promise<LoggedEvent> {
    const file = await this.open(show);
    return new Promise<LoggedEvent>((resolve, reject) => {
      file.pending.push({event, expectedLastSeq: options.expectedLastSeq, resolve, reject});
      if (file.batchQueued) return;
      file.batchQueued = true;
      void this.serial(file, () => this.writeBatch(file));
    });
  }

  /** Writes the pending batch; should anything unforeseen throw, its appends are refused rather than left hanging. */
  private async writeBatch(file: ShowFile): Promise<void> {
    const batch = file.pending.splice(0);
    file.batchQueued = false;
    try {
      await this.writeAppends(file, batch);
    } catch (error) {
      this.log?.error({err: error, show: file.show}, 'a batch of appends failed');
      // Settled appends ignore this.
      for (const append of batch) append.reject(unavailable(error, `the log of ${file.show} cannot be written`));
    }
  }

  async read(show: string, afterSeq = 0): Promise<LoggedEvent[]> {
    return this.entriesAfter(await this.open(show), afterSeq);
  }

  follow(show: string, onEntry: (entry: LoggedEvent) => void, afterSeq?: number): () => void {
    checkShow(show);
    const follower: Follower = {onEntry, stopped: false};
    let set = this.followers.get(show);
    if (!set) this.followers.set(show, (set = new Set()));
    const followers = set;
    const stop = () => {
      follower.stopped = true;
      followers.delete(follower);
    };
    if (afterSeq === undefined) {
      followers.add(follower);
      return stop;
    }
    // Catch up as one task of the file's queue: no batch is written between reading what is already in
    // the log and joining the followers, so the first live entry is the one right after the catch-up.
    void this.open(show)
      .then((file) =>
        this.serial(file, async () => {
          const entries = await this.entriesAfter(file, afterSeq);
          for (const entry of entries) if (!follower.stopped) deliver(follower, entry, this.log);
          if (!follower.stopped) followers.add(follower);
        }),
      )
      .catch((error: unknown) => this.log?.error({err: error, show, afterSeq}, 'a follower could not catch up on the log'));
    return stop;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.followers.clear();
    const files = [...this.files.values()];
    this.files.clear();
    for (const opening of files) {
      const file = await opening.catch(() => null);
      if (!file) continue;
      await file.tail;
      await file.handle.close().catch(() => {});
    }
    await this.kv.close();
    await this.unlock();
  }

  /** The show's file, opened and restored once. A failed open is forgotten, so a later call tries again. */
  private open(show: string): Promise<ShowFile> {
    checkShow(show);
    if (this.closed) return Promise.reject(new BusUnavailableError('the bus is closed'));
    let opening = this.files.get(show);
    if (!opening) {
      opening = this.restore(show).catch((error: unknown) => {
        this.files.delete(show);
        this.log?.error({err: error, show}, 'a show log could not be opened');
        throw unavailable(error, `the log of ${show} cannot be opened`);
      });
      this.files.set(show, opening);
    }
    return opening;
  }

  /** Opens a show's log and reads it back; a line torn by a crash is cut off, so the next append starts clean. */
  private async restore(show: string): Promise<ShowFile> {
    const path = join(this.showsDir, `${show}.jsonl`);
    const existed = await stat(path).then(() => true, () => false);
    // Not O_APPEND: every write goes to an explicit position (the end of the good log), so bytes a failed
    // write left behind are overwritten or cut off, never followed.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    try {
      if (!existed) await syncDir(this.showsDir);
      const bytes = await handle.readFile();
      const parsed = parseLines(bytes);
      if (parsed.skipped) this.log?.error({show, skipped: parsed.skipped}, 'lines of a show log could not be read and are skipped');
      if (parsed.torn) {
        this.log?.warn({show, cut: bytes.length - parsed.goodEnd}, 'a torn last line of a show log is cut off');
        await handle.truncate(parsed.goodEnd);
        await handle.datasync();
      }
      const entries = parsed.entries;
      const file: ShowFile = {
        show,
        handle,
        size: parsed.goodEnd,
        dirty: false,
        lastSeq: entries.at(-1)?.entry.seq ?? 0,
        seqs: entries.map((e) => e.entry.seq),
        offsets: entries.map((e) => e.offset),
        ids: new Map(),
        recent: entries.slice(-RECENT_ENTRIES).map((e) => e.entry),
        pending: [],
        batchQueued: false,
        tail: Promise.resolve(),
      };
      // The first entry of an id is the one a duplicate answers.
      for (const {entry} of entries) if (!file.ids.has(entry.event.id)) file.ids.set(entry.event.id, entry.seq);
      if (entries.length) this.log?.info({show, entries: entries.length, lastSeq: file.lastSeq}, 'show log restored');
      return file;
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }

  /** Runs `task` after the file's earlier tasks; a failing task does not stop the ones after it. */
  private serial(file: ShowFile, task: () => Promise<void>): Promise<void> {
    const run = file.tail.then(task);
    file.tail = run.catch(() => {});
    return run;
  }

  /** Writes every pending append as one batch: deduplicated, checked, written, synced, then announced. */
  private async writeAppends(file: ShowFile, batch: PendingAppend[]): Promise<void> {
    const fresh: {append: PendingAppend; entry: LoggedEvent}[] = [];
    const repeats: {append: PendingAppend; seq: number}[] = [];
    const inBatch = new Map<string, number>();
    let lastSeq = file.lastSeq;
    for (const append of batch) {
      const id = append.event.id;
      const seen = file.ids.get(id) ?? inBatch.get(id);
      if (seen !== undefined) {
        repeats.push({append, seq: seen});
      } else if (append.expectedLastSeq !== undefined && append.expectedLastSeq !== lastSeq) {
        append.reject(new BusConflictError(`the log of ${file.show} is at ${lastSeq}, not ${append.expectedLastSeq}`));
      } else {
        const entry = {seq: ++lastSeq, event: append.event};
        inBatch.set(id, entry.seq);
        fresh.push({append, entry});
      }
    }

    if (fresh.length) await this.commit(file, fresh, repeats);
    for (const {append, seq} of repeats) {
      // A repeat of an id first seen in this batch answers (or is refused) with that entry's append.
      if (seq > file.lastSeq) continue;
      this.entryAt(file, seq).then(append.resolve, (error: unknown) => append.reject(unavailable(error, 'the log cannot be read')));
    }
  }

  /** Writes a batch's new entries; on success records and announces them, else refuses them (and their repeats). */
  private async commit(file: ShowFile, fresh: {append: PendingAppend; entry: LoggedEvent}[], repeats: {append: PendingAppend; seq: number}[]): Promise<void> {
    const lines = fresh.map(({entry}) => formatEntry(entry));
    try {
      await this.writeAt(file, Buffer.concat(lines));
    } catch (error) {
      this.writable = false;
      this.log?.error({err: error, show: file.show, events: fresh.length}, 'show log write refused');
      const refusal = unavailable(error, `the log of ${file.show} cannot be written`);
      for (const {append} of fresh) append.reject(refusal);
      for (const {append, seq} of repeats) if (seq > file.lastSeq) append.reject(refusal);
      return;
    }
    this.writable = true;
    let offset = file.size;
    for (let i = 0; i < fresh.length; i++) {
      const {entry} = fresh[i];
      file.seqs.push(entry.seq);
      file.offsets.push(offset);
      file.ids.set(entry.event.id, entry.seq);
      file.recent.push(entry);
      offset += lines[i].length;
    }
    if (file.recent.length > RECENT_ENTRIES) file.recent.splice(0, file.recent.length - RECENT_ENTRIES);
    file.size = offset;
    file.lastSeq = fresh[fresh.length - 1].entry.seq;
    // Followers hear each entry before its append resolves: a caller that awaited an append then reads
    // a follower's view finds the entry there.
    // A copy: a follower that stops or starts another while hearing an entry does not change who hears it.
    const followers = [...(this.followers.get(file.show) ?? [])];
    for (const {entry} of fresh) for (const follower of followers) deliver(follower, entry, this.log);
    for (const {append, entry} of fresh) append.resolve(entry);
  }

  /** Writes `bytes` at the end of the good log and syncs; on failure cuts the file back so nothing is stored. */
  private async writeAt(file: ShowFile, bytes: Buffer): Promise<void> {
    if (file.dirty) {
      await file.handle.truncate(file.size);
      file.dirty = false;
    }
    try {
      let written = 0;
      while (written < bytes.length) {
        const {bytesWritten} = await file.handle.write(bytes, written, bytes.length - written, file.size + written);
        written += bytesWritten;
      }
      await file.handle.datasync();
    } catch (error) {
      // A partial line would be read back as torn; cut it now (and if even that fails, before the next write).
      file.dirty = true;
      await file.handle
        .truncate(file.size)
        .then(() => file.handle.datasync())
        .then(() => (file.dirty = false))
        .catch(() => {});
      throw error;
    }
  }

  /** Entries after `afterSeq`: from memory when recent, else read from the file from the first one's offset. */
  private async entriesAfter(file: ShowFile, afterSeq: number): Promise<LoggedEvent[]> {
    const index = firstAbove(file.seqs, afterSeq, (seq) => seq);
    if (index === file.seqs.length) return [];
    const first = file.seqs[index];
    if (file.recent.length && file.recent[0].seq <= first) return file.recent.filter((e) => e.seq > afterSeq);
    // Only acknowledged bytes: a batch being written past `end` is not read half-done.
    const start = file.offsets[index];
    const end = file.size;
    const bytes = Buffer.alloc(end - start);
    try {
      let read = 0;
      while (read < bytes.length) {
        const {bytesRead} = await file.handle.read(bytes, read, bytes.length - read, start + read);
        if (!bytesRead) break;
        read += bytesRead;
      }
    } catch (error) {
      throw unavailable(error, `the log of ${file.show} cannot be read`);
    }
    return parseLines(bytes, start, afterSeq).entries.map((e) => e.entry);
  }

  /** The entry with sequence `seq` (known to be in the log). */
  private async entryAt(file: ShowFile, seq: number): Promise<LoggedEvent> {
    const [entry] = await this.entriesAfter(file, seq - 1);
    if (entry?.seq !== seq) throw new Error(`entry ${seq} of ${file.show} is missing`);
    return entry;
  }
}

/** Calls one follower; a follower that throws is logged and keeps following. */
function deliver(follower: Follower, entry: LoggedEvent, log?: Logger): void {
  if (follower.stopped) return;
  try {
    follower.onEntry(entry);
  } catch (error) {
    log?.error({err: error, seq: entry.seq}, 'a log follower threw');
  }
}


function checkShow(show: string): void {
  if (!SHOW_ID.test(show)) throw new TypeError(`a show id is [A-Za-z0-9_-]{1,64}, not ${JSON.stringify(show)}`);
}

/** The refusal the HTTP edge turns into a 503, naming the system error (ENOSPC, EIO, EROFS…). */
function unavailable(error: unknown, message: string): BusUnavailableError {
  if (error instanceof BusUnavailableError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return new BusUnavailableError(code ? `${message} (${code})` : message, {cause: error});
}
