// The lock file a run or a plan adopts renders from (see core/plan/lock-adoption.ts). Only the
// real run space's lock beside the manifest is read: an `--emulator` lock records tasks of an
// emulator session that no longer exists, and emulator renders cost nothing to redo.
import path from 'node:path';
import type { RunLock } from '../engine/run-options.js';
import { readLockFile } from '../io/read-lock-file.js';
import type { RunSpace } from '../io/run-space.js';

/** The lock's entries, or undefined when there is none (or it is not a valid lock: then warned). */
export async function readRunLock(space: RunSpace, onWarning?: (message: string) => void): Promise<RunLock | undefined> {
  if (space.emulator) return undefined;
  const read = await readLockFile(space.lockFile);
  const name = path.basename(space.lockFile);
  if (read.problem !== undefined) onWarning?.(`${name} is not a valid lock file and was ignored (${read.problem})`);
  return read.lock ? { name, entries: read.lock.shots } : undefined;
}
