// Keeps `<manifest>.lock.yaml` up to date. It is rewritten only when its content changes, so a
// no-op re-run leaves the file (and its mtime, and git) untouched. The text is canonical YAML
// (yaml-text.ts): sorted ids, fixed field order, no timestamps, no absolute paths, LF only.
import type { LedgerView } from '../core/ledger/fold-ledger.js';
import { buildLock, LOCK_FIELD_NAMES, LOCK_HEADER, lockToData } from '../core/lock/lock-model.js';
import type { LockFile } from '../core/lock/lock-model.js';
import type { PlannedRequest } from '../core/types.js';
import type { ServerIdentity } from '../core/server-identity.js';
import { readLockFile } from './read-lock-file.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { stringifyYaml } from './yaml-text.js';

/** The lock as the text of `<manifest>.lock.yaml`: the same lock always gives the same bytes. */
export function renderLockText(lock: LockFile): string {
  return stringifyYaml(lockToData(lock), { comment: LOCK_HEADER, plainKeys: LOCK_FIELD_NAMES });
}

/**
 * Writes the lock for `plans` to `lockFile` (see run-space.ts for where it lives). Video paths
 * in it are relative to the output directory (as the ledger records them), so the lock holds no
 * absolute path and stays valid when the output base moves. A lock re-indented by hand or by a
 * merge tool is read as data and written back in the canonical layout.
 */
export async function writeLockFile(
  lockFile: string,
  plans: PlannedRequest[],
  ledger: LedgerView,
  /** The committed lock: only renders that count as Model Studio's for this server (see buildLock). */
  committed?: { modelStudioFor: ServerIdentity },
): Promise<{ file: string; changed: boolean }> {
  const previous = await readLockFile(lockFile);
  const text = renderLockText(buildLock(plans, ledger, previous.lock, committed));
  if (previous.text === text) return { file: previous.file, changed: false };
  await writeFileAtomic(previous.file, text);
  return { file: previous.file, changed: true };
}
