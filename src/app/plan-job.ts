// `plan` as a library call: the exact request of every shot and what `run` would do with it
// (submit, skip, re-attach, download…, from the ledger and the videos on disk). No network.
import type { RenderDecision } from '../core/plan/render-decision.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { previewRenders } from '../engine/run-engine.js';
import { planManifest } from '../io/read-manifest.js';
import type { ManifestPlan } from '../io/read-manifest.js';
import { createRunOutput } from '../io/run-output.js';
import { runInProgress } from '../io/run-folder-lock.js';
import { writePlanFiles } from '../io/write-plan-files.js';
import { runSpaceFor } from '../io/run-space.js';
import { readProjectRenders } from '../io/read-project-renders.js';
import { serverIdentity as reuseServerOf } from '../core/plan/reuse.js';
import { serverOfConfig } from '../core/server-identity.js';
import { TASK_RETENTION_MS } from '../engine/run-options.js';
import { loadJobConfig } from './job-config.js';
import { readRunLock } from './run-lock.js';
import { DEMO_TIME_SCALE } from './run-manifest.js';
import type { JobConfigOptions } from './job-config.js';

/** No recorded run used this base URL: the next --emulator run talks to a server of its own. */
const NEW_EMULATOR_SESSION = 'emulator:new-session';

export interface PlanJobOptions extends JobConfigOptions {
  /** Decide against the renders of `run --emulator` instead of the real ones. */
  emulator?: boolean;
}

export interface PlanJob {
  config: ResolvedConfig;
  planned: ManifestPlan;
  /** Where `run` (or `run --emulator`) keeps this manifest's ledger, videos and reports (absolute). */
  runFolder: string;
  /** Empty when the manifest has errors. */
  decisions: RenderDecision[];
}

export async function planJob(manifest: string, options: PlanJobOptions = {}): Promise<PlanJob> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const emulator = options.emulator ?? false;
  const planned = await planManifest(manifestAbs, config, { displayPath: shown, ...(emulator ? { host: 'custom' as const } : {}) });
  const server = serverOfConfig(config, emulator);
  const space = runSpaceFor(manifestAbs, planned.outputDir, !server.modelStudio);
  if (planned.plans.length === 0) return { config, planned, runFolder: space.outputDir, decisions: [] };
  // Decide as `run` would: tasks of another server cannot be followed (every --emulator run starts
  // a new emulator session), the emulator's 24 h task retention runs on its time scale, and the
  // lock's renders of unchanged shots are adopted (in memory: plan writes no ledger).
  const lock = await readRunLock(space);
  const reuseServer = reuseServerOf({ baseUrl: config.baseUrl, emulator });
  const reuseSources = await readProjectRenders(planned.outputDir, { emulator: space.emulator, server: reuseServer });
  const { decisions } = await previewRenders(planned.plans, createRunOutput(space.outputDir), {
    force: false,
    retryFailed: false,
    nowMs: Date.now(),
    baseUrl: emulator ? NEW_EMULATOR_SESSION : config.baseUrl,
    server,
    taskRetentionMs: emulator ? TASK_RETENTION_MS * DEMO_TIME_SCALE : TASK_RETENTION_MS,
    ...(lock ? { lock } : {}),
    reuseServer,
    reuseSources,
  });
  return { config, planned, runFolder: space.outputDir, decisions };
}

/**
 * Writes `<output>/<name>/plan/<shot>.json` (the exact body each shot would POST) for `pixverse
 * plan`; says who holds the run folder now, if a run does.
 */
export async function writePlanJobFiles(job: PlanJob): Promise<{ planDir: string; inProgress?: string }> {
  const { config, planned } = job;
  const planDir = await writePlanFiles(planned.outputDir, planned.plans, planFileContext(config));
  const inProgress = await runInProgress(job.runFolder);
  return { planDir, ...(inProgress ? { inProgress } : {}) };
}

/** Where a plan file says its request goes. */
export function planFileContext(config: Pick<ResolvedConfig, 'baseUrl' | 'workspace'>): { baseUrl: string; workspace?: string } {
  return { baseUrl: config.baseUrl, ...(config.workspace ? { workspace: config.workspace } : {}) };
}
