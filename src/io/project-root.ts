// Where a manifest's project begins: the anchor of its default output folder, so that a run's
// files (ledger, videos, reports) depend on the manifest, never on the directory a command was
// started from. Ctrl-C a run in one terminal and resume it from another directory: same ledger.
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Files whose presence marks a project's root. */
export const PROJECT_MARKERS = ['package.json', '.git'] as const;

/**
 * The nearest directory from `dir` upward that holds a project marker (`package.json`, or
 * `.git` — a directory in a repository, a file in a worktree or submodule); `dir` itself when
 * none of its ancestors has one.
 */
export async function projectRootOf(dir: string): Promise<string> {
  for (let current = path.resolve(dir); ; ) {
    for (const marker of PROJECT_MARKERS) if (await exists(path.join(current, marker))) return current;
    const parent = path.dirname(current);
    if (parent === current) return path.resolve(dir);
    current = parent;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
