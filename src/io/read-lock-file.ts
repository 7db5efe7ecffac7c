// Reads `<manifest>.lock.yaml`. A missing lock is normal (first run, or not committed); a lock
// that does not parse is reported and otherwise ignored, never half-trusted.
import { readFile } from 'node:fs/promises';
import { parseLock } from '../core/report/lock-model.js';
import type { LockFile } from '../core/report/lock-model.js';

export interface LockRead {
  file: string;
  lock?: LockFile;
  /** The raw text, when the file exists (lets the writer skip identical rewrites). */
  text?: string;
  /** Why an existing lock was ignored, e.g. `line 7: unexpected line`. */
  problem?: string;
}

/** Reads a lock file (`<manifest>.lock.yaml`; see run-space.ts). */
export async function readLockFile(file: string): Promise<LockRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file };
    throw error;
  }
  const parsed = parseLock(text);
  if (!parsed.ok) return { file, text, problem: `line ${parsed.line}: ${parsed.message}` };
  return { file, text, lock: parsed.lock };
}
