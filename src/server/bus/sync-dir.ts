/** Making a directory entry durable: a file synced but not its name (a new file, a rename) can vanish in a crash. */
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';

/** Syncs the directory `dir`, so the names of the files just created or renamed in it survive a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
