// `plan` as a library call: the exact request of every shot and what `run` would do with it
// (submit, skip, re-attach, download…, from the ledger and the videos on disk). No network.
import type { RenderDecision } from '../core/plan/render-decision.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { previewRenders } from '../engine/run-engine.js';
import { planManifest } from '../io/read-manifest.js';
import type { ManifestPlan } from '../io/read-manifest.js';
import { createRunOutput } from '../io/run-output.js';
import { runSpaceFor } from '../io/run-space.js';
import { loadJobConfig } from './job-config.js';
import type { JobConfigOptions } from './job-config.js';

export interface PlanJobOptions extends JobConfigOptions {
  /** Decide against the renders of `run --emulator` instead of the real ones. */
  emulator?: boolean;
}

export interface PlanJob {
  config: ResolvedConfig;
  planned: ManifestPlan;
  /** Empty when the manifest has errors. */
  decisions: RenderDecision[];
}

export async function planJob(manifest: string, options: PlanJobOptions = {}): Promise<PlanJob> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const planned = await planManifest(manifestAbs, config, { displayPath: shown });
  if (planned.plans.length === 0) return { config, planned, decisions: [] };
  const space = runSpaceFor(manifestAbs, planned.outputDir, options.emulator ?? false);
  const { decisions } = await previewRenders(planned.plans, createRunOutput(space.outputDir), { force: false, retryFailed: false, nowMs: Date.now() });
  return { config, planned, decisions };
}
