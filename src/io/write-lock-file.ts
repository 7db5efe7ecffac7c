// Keeps `<manifest>.lock.yaml` up to date. It is rewritten only when its content changes, so a
// no-op re-run leaves the file (and its mtime, and git) untouched.
import type { LedgerView } from '../core/ledger/fold-ledger.js';
import { buildLock, renderLock } from '../core/report/lock-model.js';
import type { PlannedRequest } from '../core/types.js';
import { readLockFile } from './read-lock-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes the lock for `plans` beside `manifestPath`. Video paths in it are relative to
 * `outputDir` (as the ledger records them), so the lock holds no absolute path and stays valid
 * when the output base moves.
 */
export async function writeLockFile(
  manifestPath: string,
  plans: PlannedRequest[],
  ledger: LedgerView,
  // Part of the engine contract; the lock's paths are relative to it, so nothing is read here.
  _outputDir: string,
): Promise<{ file: string; changed: boolean }> {
  const previous = await readLockFile(manifestPath);
  const text = renderLock(buildLock(plans, ledger, previous.lock));
  if (previous.text === text) return { file: previous.file, changed: false };
  await writeFileAtomic(previous.file, text);
  return { file: previous.file, changed: true };
}
