// `run` as a library call: config → plan → server (DashScope or an in-process emulator) →
// engine → reports and lock file. The CLI is a thin layer over this (flags, signals, progress,
// exit codes); library users get the same behaviour with `import { run } from 'pixverse-batch'`.
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { describeServer, serverOfConfig } from '../core/server-identity.js';
import type { ServerIdentity } from '../core/server-identity.js';
import { lockPathFor } from '../core/lock/lock-model.js';
import { findModel } from '../core/catalog/lookup.js';
import { foldLedger } from '../core/ledger/fold-ledger.js';
import { parseSelectors, selectShots } from '../core/plan/render-decision-select.js';
import { DEFAULT_POLL_SCHEDULE } from '../core/task/poll-schedule.js';
import type { ResolvedConfig, ResolvedStore } from '../config/config-types.js';
import { createDashScopeClient } from '../dashscope/client.js';
import type { DashScopeClient } from '../dashscope/client-types.js';
import { systemClock } from '../engine/clock.js';
import type { RunEvent } from '../engine/events.js';
import { runShots } from '../engine/run-engine.js';
import type { RunResult } from '../engine/run-engine.js';
import { DEFAULT_RUN_OPTIONS, ENGINE_CLIENT_RETRY } from '../engine/run-options.js';
import type { FamilyQuota, RunOptions } from '../engine/run-options.js';
import { resolveApiKey } from '../io/credentials.js';
import { hasErrors, planManifest } from '../io/read-manifest.js';
import type { ManifestPlan } from '../io/read-manifest.js';
import { createRunOutput } from '../io/run-output.js';
import { readProjectRenders } from '../io/read-project-renders.js';
import { serverIdentity as reuseServerOf } from '../core/plan/reuse.js';
import type { RunOutput } from '../io/run-output.js';
import { runSpaceFor } from '../io/run-space.js';
import type { RunSpace } from '../io/run-space.js';
import { writeLockFile } from '../io/write-lock-file.js';
import { writeReports } from '../io/write-reports.js';
import { ffmpegBinary } from '../io/ffmpeg.js';
import type { StoreAddressing } from '../core/store/store-location.js';
import { acquireRunFolder } from '../io/run-folder-lock.js';
import type { HeldRunFolder } from '../io/run-folder-lock.js';
import { TOOL_VERSION } from '../version.js';
import { LOCK_VERSION } from '../core/lock/lock-model.js';
import type { LockFile } from '../core/lock/lock-model.js';
import type { Report } from '../core/report/report-model.js';
import type { ObjectStore } from '../store/object-store.js';
import { openProbedStore, pullVideos, pushEvidence, pushVideos, storeFor } from './store-sync.js';
import type { StoreShotResult } from './store-sync.js';
import { loadJobConfig } from './job-config.js';
import type { JobConfigOptions } from './job-config.js';
import { readRunLock } from './run-lock.js';

/** The emulator's time scale for `--emulator` runs: a task of a few minutes takes about a second. */
export const DEMO_TIME_SCALE = 0.01;

export interface RunManifestOptions extends JobConfigOptions {
  /** Only these shots: ids or globs on expanded ids (`hero@*`). */
  only?: string[];
  /** Render again even shots that are up to date or failed (never duplicates a live task). */
  force?: boolean;
  /** Resubmit shots whose task FAILED or whose submit was refused. */
  retryFailed?: boolean;
  /** On abort, cancel tasks still queued (PENDING). */
  cancelPending?: boolean;
  /** Run even if the configured budget is exceeded. */
  yes?: boolean;
  /** Run against an in-process emulator (no API key, nothing billed, renders kept apart). */
  emulator?: boolean;
  /** The server's time scale (emulator seconds per real second); default 1, or DEMO_TIME_SCALE with `emulator`. */
  timeScale?: number;
  /** Progress events (the CLI renders them with listr2, plain lines or JSON lines). */
  onEvent?: (event: RunEvent) => void;
  /** Abort = stop submitting; the ledger stays consistent and the same call resumes. */
  signal?: AbortSignal;
  /** Warnings about the evidence files (the videos and the ledger are already safe). */
  onWarning?: (message: string) => void;
  /** The manifest's issues (warnings, or the errors that stop the run), before anything is sent. */
  onIssues?: (planned: ManifestPlan) => void;
  /**
   * Another run holds the run folder: wait for it to end instead of refusing (UserError 'busy').
   * The wait ends with the other run, or with `signal` (rejecting with its reason).
   */
  wait?: boolean;
  /** Take the run folder over from a run on another host (its lock cannot be checked from here). */
  breakLock?: boolean;
  /** Told once when the run starts waiting for the run folder (`wait`). */
  onWaiting?: (message: string) => void;
  /** The command line recorded in the run folder's lock, shown to a second run. Default: this process's argv. */
  command?: string;
}

export type RunManifestOutcome =
  /** The manifest has errors: nothing was sent. */
  | { ok: false; planned: ManifestPlan; config: ResolvedConfig }
  | { ok: true; planned: ManifestPlan; config: ResolvedConfig; space: RunSpace; result: RunResult; baseUrl: string; store?: RunStoreSummary };

/** What the object store did around the run (when one is set). */
export interface RunStoreSummary {
  /** `s3://bucket/prefix` (with `/emulator` for emulator runs). */
  url: string;
  /** Videos of current shots fetched from the store before anything was considered for rendering. */
  pulled: StoreShotResult[];
  /** Videos put after the run (those the engine could not store, and renders from before the store). */
  pushed: StoreShotResult[];
  /** Shots whose video is rendered but not in the store (kept on disk; the next run or `push` uploads it). */
  notStored: { shot: string; why: string }[];
  /** Evidence files that could not be put (the videos are what matter). */
  evidenceFailures: string[];
}

export async function runManifest(manifest: string, options: RunManifestOptions = {}): Promise<RunManifestOutcome> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  // The emulator serves every model on any host: no workspace-host rule against it.
  const planned = await planManifest(manifestAbs, config, { displayPath: shown, ...(options.emulator ? { host: 'custom' as const } : {}) });
  if (planned.issues.length > 0) options.onIssues?.(planned);
  if (hasErrors(planned.issues)) return { ok: false, planned, config };

  const ids = new Set(planned.plans.map((p) => p.shotId));
  const selection = selectShots(planned.plans, (p) => p.shotId, parseSelectors(options.only ?? [], ids));
  if (selection.unmatched.length > 0) {
    throw new UserError(
      'invalid-input',
      'unknown-shot',
      `--only ${selection.unmatched.join(', ')} matches no shot of ${shown}`,
      `shot ids: ${[...ids].slice(0, 8).join(', ')}${ids.size > 8 ? ', …' : ''}`,
    );
  }

  const emulatorRun = options.emulator ?? false;
  const timeScale = options.timeScale ?? (emulatorRun ? DEMO_TIME_SCALE : 1);
  // Renders from anything but Model Studio (the emulator, a test server) are kept apart: never
  // current for a real run, never in the committed lock, never in the team's store.
  const server = serverOfConfig(config, emulatorRun);
  const apart = !server.modelStudio;
  const space = runSpaceFor(manifestAbs, planned.outputDir, apart);
  const output = createRunOutput(space.outputDir);
  // One run per run folder, for the whole run: taken before the ledger is read, so a second run
  // decides on what the first one recorded, never alongside it.
  const held = await acquireRunFolder(space.outputDir, {
    command: options.command ?? commandLine(),
    cwd: options.cwd ?? process.cwd(),
    ...(options.wait ? { wait: true } : {}),
    ...(options.breakLock ? { breakLock: true } : {}),
    ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (held.tookOver) options.onWarning?.(describeTakeover(held.tookOver));
  let emulator: { baseUrl: string; apiKey: string; close(): Promise<void> } | undefined;
  let client: DashScopeClient | undefined;
  let store: ObjectStore | undefined;
  const chosen = storeFor(config.store, apart);
  if (chosen.ignored) options.onWarning?.(chosen.ignored);
  if (apart && !emulatorRun) {
    options.onWarning?.(
      `${describeServer(server)} is not a Model Studio endpoint: its renders are kept apart in ${space.outputDir} and never enter ${path.basename(lockPathFor(manifestAbs))}; ` +
        'if it is a proxy in front of Model Studio, list it in modelStudioProxies in pixverse.config.ts',
    );
  }
  try {
    let baseUrl = config.baseUrl;
    let apiKey: string;
    if (emulatorRun) {
      // Loaded only here: a real run never pays for the emulator's code.
      const { startEmulator } = await import('../emulator/index.js');
      emulator = await startEmulator({ timeScale });
      baseUrl = emulator.baseUrl;
      apiKey = emulator.apiKey;
    } else {
      // The credentials file is looked up in the caller's HOME (the env given), like the key.
      const env = options.env ?? process.env;
      apiKey = (await resolveApiKey({ env, ...(env['HOME'] ? { home: env['HOME'] } : {}) })).key;
    }
    client = createDashScopeClient({
      baseUrl,
      apiKey,
      ...(config.workspace ? { workspace: config.workspace } : {}),
      timeouts: {
        headersMs: config.timeouts.requestMs,
        bodyMs: config.timeouts.requestMs,
        operations: { download: { headersMs: config.timeouts.downloadMs, bodyMs: config.timeouts.downloadMs } },
      },
      retry: ENGINE_CLIENT_RETRY,
    });

    // Renders the committed lock records for unchanged shots are fetched back, never re-billed.
    const lock = await readRunLock(space, options.onWarning);
    let pulled: StoreShotResult[] = [];
    if (chosen.store) {
      // Proved writable before the first submit (a failure is exit 3, nothing submitted); then
      // every current video the store has and the disk lacks is fetched before deciding anything.
      store = await openProbedStore(chosen.store, { ...(options.env ? { env: options.env } : {}), emulator: apart, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
      const { records } = await output.readLedger();
      const lockFile: LockFile | undefined = lock ? { version: LOCK_VERSION, shots: [...lock.entries] } : undefined;
      const pullId = `pull-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      pulled = await pullVideos(selection.selected, output, foldLedger(records), lockFile, store, { runId: pullId, ...(options.signal ? { signal: options.signal } : {}) });
    }
    // The project's other manifests' renders on this server: an equal request is reused, not paid again.
    const reuseSources = await readProjectRenders(planned.outputDir, { emulator: apart, server: reuseServerOf({ baseUrl, emulator: emulatorRun }) });
    const startedAt = new Date();
    const result = await runShots(
      {
        manifest: shown,
        manifestSha256: planned.loaded.manifestSha256 ?? '',
        requests: selection.selected,
        region: config.region,
        baseUrl,
        ...(config.workspace && !emulatorRun ? { workspace: config.workspace } : {}),
        server,
        emulator: emulatorRun,
        toolVersion: TOOL_VERSION,
        ...(lock ? { lock } : {}),
        reuseSources,
      },
      runOptions(config, options, timeScale),
      { client, output, clock: systemClock, random: Math.random, onEvent: options.onEvent ?? (() => undefined), ...(store ? { store } : {}) },
      options.signal,
    );
    let pushed: StoreShotResult[] = [];
    if (store && !result.interrupted) {
      // Uploads the engine could not complete, and renders from before the store was set.
      const { records } = await output.readLedger();
      const current = await readRunLock(space);
      pushed = await pushVideos(planned.plans, output, foldLedger(records), current ? { version: LOCK_VERSION, shots: [...current.entries] } : undefined, store, result.runId);
    }
    const ffmpeg = ffmpegBinary(options.env ?? process.env);
    const report = await writeRunEvidence(planned, config, space, output, { shown, baseUrl, server, startedAt, ffmpeg, ...(store && chosen.store ? { store: store.url, storeAddressing: addressingOf(chosen.store) } : {}) }, options.onWarning);
    warnDeliveredDifferently(report, options.onWarning);
    if (!store) return { ok: true, planned, config, space, result, baseUrl };
    const evidenceFailures = report && !result.interrupted ? await pushEvidence(planned.loaded.name, output, foldLedger((await output.readLedger()).records), store, report, result.runId) : [];
    for (const f of evidenceFailures.slice(0, 3)) options.onWarning?.(`evidence not stored: ${f}`);
    const notStored = (report?.shots ?? [])
      .filter((s) => s.file_on_disk && !s.stored)
      .map((s) => ({ shot: s.id, why: s.store_error ?? 'not uploaded yet' }));
    return { ok: true, planned, config, space, result, baseUrl, store: { url: store.url, pulled, pushed, notStored, evidenceFailures } };
  } finally {
    store?.close();
    await client?.close().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
    await held.release().catch(() => undefined);
  }
}

/** How the resolved store's objects are reached over HTTP (for the reports' links). */
export function addressingOf(store: ResolvedStore): StoreAddressing {
  return { ...(store.endpoint ? { endpoint: store.endpoint } : {}), ...(store.region ? { region: store.region } : {}), forcePathStyle: store.forcePathStyle };
}

/** Videos of this run whose file differs from the ask or the usage block (or could not be read). */
function warnDeliveredDifferently(report: Report | undefined, onWarning: ((message: string) => void) | undefined): void {
  for (const s of report?.shots ?? []) {
    if (!s.this_run) continue;
    for (const m of s.mismatches) onWarning?.(`${s.id}: delivered differently: ${m}`);
    if (s.measure_error) onWarning?.(`${s.id}: the video could not be measured (${s.measure_error})`);
  }
}

/** `pixverse run jobs/x.yaml --only hero`: how this process was started, as the lock shows it. */
function commandLine(): string {
  const [, script, ...args] = process.argv;
  const name = script && /[\\/]cli[\\/]main\.js$/.test(script) ? 'pixverse' : (script ?? 'node');
  return [name, ...args].join(' ');
}

function describeTakeover(t: NonNullable<HeldRunFolder['tookOver']>): string {
  const h = t.holder;
  const who = h ? `pid ${h.pid} on ${h.host}, started ${h.startedAt.replace(/\.\d+Z$/, 'Z')}: ${h.command}` : 'an unreadable lock';
  return t.why === 'dead'
    ? `took the run folder over from a run that is no longer running (${who}); its ledger is consistent and this run carries on from it`
    : `broke the run folder's lock (--break-lock) held by ${who}`;
}

function runOptions(config: ResolvedConfig, options: RunManifestOptions, timeScale: number): RunOptions {
  const quotaOf = (model: string): FamilyQuota => {
    const base = findModel(model)?.quota ?? { family: model, runningTasks: 2, submitsPerSecond: 2 };
    const o = config.quotas[base.family];
    return { family: base.family, runningTasks: o?.runningTasks ?? base.runningTasks, submitsPerSecond: o?.submitsPerSecond ?? base.submitsPerSecond };
  };
  return {
    ...DEFAULT_RUN_OPTIONS,
    force: options.force ?? false,
    retryFailed: options.retryFailed ?? false,
    cancelPending: options.cancelPending ?? false,
    yes: options.yes ?? false,
    // Catalog prices are in CNY; configured ones in their own currency (the two are never mixed).
    currency: config.prices?.currency ?? 'CNY',
    budget: {
      ...(config.budget.maxBillableSeconds !== undefined ? { maxSeconds: config.budget.maxBillableSeconds } : {}),
      ...(config.budget.maxCost !== undefined ? { maxCost: config.budget.maxCost } : {}),
    },
    quotaOf,
    // `taskQueriesPerSecond` in the config is already this tool's share of the account's 20.
    accountQueriesPerSecond: config.taskQueriesPerSecond,
    queryShare: 1,
    // The bounds of the run-wide polling round (config `polling`, documented as such).
    poll: { ...DEFAULT_POLL_SCHEDULE, minIntervalMs: config.polling.minIntervalMs, maxIntervalMs: config.polling.maxIntervalMs },
    serverTimeScale: timeScale,
    submitBackoff: { baseMs: config.retries.baseDelayMs, maxMs: config.retries.maxDelayMs },
    maxSubmitRetries: Math.max(1, config.retries.maxAttempts - 1) + 3,
  };
}

/** Reports and lock file, at the end of every run (done, partly failed or interrupted). */
async function writeRunEvidence(
  planned: ManifestPlan,
  config: ResolvedConfig,
  space: RunSpace,
  output: RunOutput,
  ctx: { shown: string; baseUrl: string; server: ServerIdentity; startedAt: Date; ffmpeg: string; store?: string; storeAddressing?: StoreAddressing },
  onWarning: ((message: string) => void) | undefined,
): Promise<Report | undefined> {
  const { records } = await output.readLedger();
  const ledger = foldLedger(records);
  const endedAt = new Date();
  try {
    const { report, posters } = await writeReports({
      manifestPath: ctx.shown,
      manifestName: planned.loaded.name,
      manifestSha256: planned.loaded.manifestSha256 ?? '',
      outputDir: space.outputDir,
      plans: planned.plans,
      ledger,
      region: config.region,
      baseUrl: ctx.baseUrl,
      emulator: space.emulator,
      server: ctx.server,
      toolVersion: TOOL_VERSION,
      ...(config.prices ? { prices: config.prices } : {}),
      startedAt: ctx.startedAt,
      endedAt,
      now: endedAt,
      lockFile: space.lockFile,
      ffmpeg: ctx.ffmpeg,
      ...(ctx.store ? { store: ctx.store } : {}),
      ...(ctx.storeAddressing ? { storeAddressing: ctx.storeAddressing } : {}),
    });
    for (const f of posters?.failures.slice(0, 3) ?? []) onWarning?.(`no poster frame for ${f}`);
    // The lock beside the manifest takes Model Studio renders only (an old ledger may hold others).
    await writeLockFile(space.lockFile, planned.plans, ledger, space.emulator ? undefined : { modelStudioFor: ctx.server });
    return report;
  } catch (e) {
    // The videos and the ledger are what matter; `pixverse report` rebuilds the rest.
    onWarning?.(`could not write the reports (${e instanceof Error ? e.message : String(e)}); \`pixverse report\` rebuilds them from the ledger`);
    return undefined;
  }
}
