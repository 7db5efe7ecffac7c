// Writes `plan/<shot id>.json` under a manifest's output directory: one file per shot with the
// exact request a run would send. Shot ids are validated file-name-safe before they get here.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planFile, type PlanFileContext } from '../core/plan/plan-file.js';
import type { PlannedRequest } from '../core/types.js';

/** Writes every plan file and removes stale ones of shots no longer in the manifest. Returns the plan dir. */
export async function writePlanFiles(manifestOutputDir: string, plans: readonly PlannedRequest[], ctx: PlanFileContext): Promise<string> {
  const dir = path.join(manifestOutputDir, 'plan');
  await mkdir(dir, { recursive: true });
  const wanted = new Set(plans.map((p) => `${p.shotId}.json`));
  for (const name of await readdir(dir)) {
    if (name.endsWith('.json') && !wanted.has(name)) await rm(path.join(dir, name), { force: true });
  }
  for (const p of plans) {
    await writeFile(path.join(dir, `${p.shotId}.json`), JSON.stringify(planFile(p, ctx), null, 2) + '\n');
  }
  return dir;
}
