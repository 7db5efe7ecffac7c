// Whole-file writes that never leave a torn file behind and survive a crash once they return,
// as the ledger's lines do: write a sibling temp file and flush it to the disk (fdatasync), rename
// it over the target (atomic on POSIX within one directory), then flush the directory so the
// rename itself is on disk. A report or lock read mid-write is either the old one or the new one.
// Kept here rather than taken from a package: these twenty lines are the whole need, directory
// flush included, and they read the same as the ledger's own flushing (ledger-file.ts).
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** fsync of a directory makes a rename in it durable. Some file systems refuse it (EINVAL, EISDIR on Windows): nothing more can be done there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    /* see above */
  } finally {
    await handle?.close();
  }
}
