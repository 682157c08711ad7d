/**
 * One process per data directory: two embedded buses appending to the same log files would interleave
 * sequences and corrupt them. The lock is a file holding the owner's pid; a lock left by a process that
 * died (a crash, SIGKILL) is taken over, since its owner can no longer write.
 */
import {constants} from 'node:fs';
import {open, readFile, rm} from 'node:fs/promises';
import {join} from 'node:path';

/** Takes `<dir>/kolkit.lock`; rejects when a live process holds it. Resolves with the release. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'kolkit.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, {force: true});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new Error(`the data directory ${dir} is in use by process ${owner} (${path}); one kolkit process per directory`);
    }
    // The owner is gone: its lock is stale. Remove it and race for it again (another starter may win).
    await rm(path, {force: true});
  }
  throw new Error(`could not take the lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
