// Keeps `<manifest>.lock.yaml` up to date. It is rewritten only when its content changes, so a
// no-op re-run leaves the file (and its mtime, and git) untouched.
import type { LedgerView } from '../core/ledger/fold-ledger.js';
import { buildLock, renderLock } from '../core/report/lock-model.js';
import type { PlannedRequest } from '../core/types.js';
import { readLockFile } from './read-lock-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes the lock for `plans` to `lockFile` (see run-space.ts for where it lives). Video paths
 * in it are relative to the output directory (as the ledger records them), so the lock holds no
 * absolute path and stays valid when the output base moves.
 */
export async function writeLockFile(lockFile: string, plans: PlannedRequest[], ledger: LedgerView): Promise<{ file: string; changed: boolean }> {
  const previous = await readLockFile(lockFile);
  const text = renderLock(buildLock(plans, ledger, previous.lock));
  if (previous.text === text) return { file: previous.file, changed: false };
  await writeFileAtomic(previous.file, text);
  return { file: previous.file, changed: true };
}
