// The library: the same engine the `pixverse` command uses. Explicit named exports only.
//
//   import { loadManifest, plan, run, defineConfig } from 'pixverse-batch';
//   const outcome = await run('jobs/storyboard.yaml', { emulator: true, onEvent: console.log });

// Manifests: read, validate (every issue, with positions) and plan, no network.
export { loadManifest, planManifest, hasErrors } from './io/read-manifest.js';
export type { LoadedManifest, LoadManifestOptions, ManifestPlan } from './io/read-manifest.js';
export { validateShots } from './core/manifest/validate-shots.js';
export { planShots, planShot } from './core/plan/plan-shots.js';
export { shotKey } from './core/plan/shot-key.js';

// The two jobs, as the CLI runs them.
export { planJob as plan } from './app/plan-job.js';
export type { PlanJob, PlanJobOptions } from './app/plan-job.js';
export { runManifest as run } from './app/run-manifest.js';
export type { RunManifestOptions, RunManifestOutcome } from './app/run-manifest.js';
export { makeAnimatic } from './app/animatic-job.js';
export type { AnimaticOptions, AnimaticOutcome } from './app/animatic-job.js';
export type { AnimaticRecord } from './core/evidence/animatic.js';
export type { VideoFacts } from './core/evidence/video-facts.js';
export type { RunEvent, ShotOutcome, ShotStatus } from './engine/events.js';
export type { RunResult } from './engine/run-engine.js';

// Configuration.
export { defineConfig } from './config/define-config.js';
export type { PixverseConfig, ResolvedConfig } from './config/config-types.js';
export { loadConfig } from './io/load-config.js';
export { resolveApiKey } from './io/credentials.js';

// The model catalog.
export { MODELS } from './core/catalog/models.js';
export { findModel, modelNames } from './core/catalog/lookup.js';
export type { ModelEntry } from './core/catalog/model-entry.js';

// Evidence: reports and the lock file, rebuilt from the ledger.
export { writeReports } from './io/write-reports.js';
export { writeLockFile } from './io/write-lock-file.js';
export { readLedger } from './io/ledger-file.js';
export { foldLedger } from './core/ledger/fold-ledger.js';

// The DashScope client and the local emulator.
export { createDashScopeClient, DashScopeError, formatDashScopeError } from './dashscope/index.js';
export type { DashScopeClient, DashScopeClientOptions, TaskView, TaskRow, TaskRowPage } from './dashscope/index.js';
export type { TaskService } from './engine/ports.js';
export { startEmulator } from './emulator/index.js';
export type { EmulatorOptions, RunningEmulator, EmulatorStats } from './emulator/index.js';

// Shared value types and the user-error family.
export type { Shot, Issue, PlannedRequest, MediaItem, Region, TaskStatus } from './core/types.js';
export { UserError } from './core/errors.js';
