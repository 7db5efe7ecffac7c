// Writes `plan/<shot id>.json` under a manifest's output directory: one file per shot with the
// exact request a run would send. Shot ids are validated file-name-safe before they get here.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planFile, type PlanFileContext } from '../core/plan/plan-file.js';
import type { PlannedRequest } from '../core/types.js';

/** Files written (or removed) at once: enough to keep the disk busy, few enough to stay under any open-file limit. */
const IN_FLIGHT = 64;

/** Runs `fn` over `items`, at most IN_FLIGHT at a time. */
async function eachInBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += IN_FLIGHT) await Promise.all(items.slice(i, i + IN_FLIGHT).map(fn));
}

/**
 * Writes every plan file and removes stale ones of shots no longer in the manifest. Returns the
 * plan dir. Files are written many at a time: one at a time, 10,000 shots spent most of `plan`
 * waiting for the disk.
 */
export async function writePlanFiles(manifestOutputDir: string, plans: readonly PlannedRequest[], ctx: PlanFileContext): Promise<string> {
  const dir = path.join(manifestOutputDir, 'plan');
  await mkdir(dir, { recursive: true });
  const wanted = new Set(plans.map((p) => `${p.shotId}.json`));
  const stale = (await readdir(dir)).filter((name) => name.endsWith('.json') && !wanted.has(name));
  await eachInBatches(stale, (name) => rm(path.join(dir, name), { force: true }));
  await eachInBatches(plans, (p) => writeFile(path.join(dir, `${p.shotId}.json`), JSON.stringify(planFile(p, ctx), null, 2) + '\n'));
  return dir;
}
