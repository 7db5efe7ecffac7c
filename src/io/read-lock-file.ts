// Reads `<manifest>.lock.yaml`. A missing lock is normal (first run, or not committed); a lock
// that does not parse or does not fit the layout is reported and otherwise ignored, never
// half-trusted. Any valid YAML spelling of the layout reads the same (yaml-text.ts).
import { readFile } from 'node:fs/promises';
import { lockFromData } from '../core/lock/lock-model.js';
import type { LockFile } from '../core/lock/lock-model.js';
import { parseYamlText } from './yaml-text.js';

export interface LockRead {
  file: string;
  lock?: LockFile;
  /** The raw text, when the file exists (lets the writer skip identical rewrites). */
  text?: string;
  /** Why an existing lock was ignored, e.g. `line 7: …` or `shot "a": 'seed' must be …`. */
  problem?: string;
}

/** Parses the text of a lock file. */
export function parseLockText(text: string): { ok: true; lock: LockFile } | { ok: false; problem: string } {
  const parsed = parseYamlText(text);
  if (!parsed.ok) return { ok: false, problem: `line ${parsed.line}: ${parsed.message}` };
  const read = lockFromData(parsed.data);
  return read.ok ? read : { ok: false, problem: read.message };
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
  const parsed = parseLockText(text);
  if (!parsed.ok) return { file, text, problem: parsed.problem };
  return { file, text, lock: parsed.lock };
}
