// `status` as a library call: where every shot stands, from the ledger, the lock file and the
// videos on disk. `refresh` asks the server for the live state of running tasks and appends the
// ones that ENDED to the ledger (the source of truth, so the next run downloads or holds them
// without asking again); nothing is ever submitted, downloaded or canceled.
import path from 'node:path';
import type { ResolvedConfig } from '../config/config-types.js';
import { shotEvidence, type ShotEvidence } from '../core/evidence/shot-evidence.js';
import { foldLedger } from '../core/ledger/fold-ledger.js';
import type { LedgerRecord, StateRecord } from '../core/ledger/records.js';
import { redactUrl } from '../core/report/report-model.js';
import { describeServer, sameServer, serverOfConfig } from '../core/server-identity.js';
import type { ServerIdentity } from '../core/server-identity.js';
import { shotStates, videoChecks } from '../core/report/shot-state.js';
import type { ShotState } from '../core/report/shot-state.js';
import { storedVideoUrl } from '../core/store/stored-video.js';
import { FINAL_STATUSES, stateFieldsOf } from '../core/task/task-view.js';
import { createDashScopeClient, formatDashScopeError, isDashScopeError } from '../dashscope/index.js';
import { resolveApiKey } from '../io/credentials.js';
import { inspectOutputs } from '../io/inspect-outputs.js';
import { LEDGER_FILE, openLedger } from '../io/ledger-file.js';
import { readRenderState, type RenderState } from '../io/read-render-state.js';
import { runInProgress } from '../io/run-folder-lock.js';
import { animaticStatus, type AnimaticStatus } from './animatic-job.js';
import { loadJobConfig, type JobConfigOptions } from './job-config.js';

export interface StatusJobOptions extends JobConfigOptions {
  /** The renders of `run --emulator` instead of the real ones. */
  emulator?: boolean;
  /** Ask the server about running tasks (and record the ended ones). */
  refresh?: boolean;
  /** Hash and measure every video again. */
  verify?: boolean;
  /** Stamps refresh records; default the clock. */
  now?: () => Date;
}

export interface RefreshSummary {
  /** Tasks asked about. */
  refreshed: number;
  /** Tasks found ended (SUCCEEDED, FAILED, CANCELED, UNKNOWN) and appended to the ledger. */
  recorded: number;
  /** Tasks not asked about, and why (sent to another server). */
  skipped: string[];
  errors: string[];
}

/** Stored or not, for a shot with a video on record. */
export interface ShotStorage {
  stored: string | null;
  storeError: string | null;
}

/** Something the command should say on the side (stderr), with a stable code. */
export interface JobWarning {
  code: string;
  message: string;
}

export interface StatusJob {
  config: ResolvedConfig;
  state: RenderState;
  states: ShotState[];
  refresh?: RefreshSummary;
  /** Who holds the run folder now, when a run does. */
  inProgress?: string;
  /** Per shot with a video on record (current, stale or missing). */
  storage: Map<string, ShotStorage>;
  /** Whether storage is worth showing: a store is set or some video is stored. */
  showStore: boolean;
  /** With `verify`: every video measured again, against its ask and its usage block. */
  evidence: Map<string, ShotEvidence>;
  /** The animatic, when one was made: up to date or stale, and why. */
  animatic?: AnimaticStatus;
  /** In the order they arose; the ledger/lock paths as `shownPath` would show them. */
  warnings: JobWarning[];
}

/** Names a refresh writes its ledger records under (they belong to no run). */
export const REFRESH_RUN_ID = 'status-refresh';

export async function statusJob(manifest: string, options: StatusJobOptions = {}, shownPath: (abs: string) => string = (p) => p): Promise<StatusJob> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const state = await readRenderState(manifestAbs, config, shown, options.emulator ?? false);
  const { plans } = state.manifest;
  const { outputDir } = state.space;
  const lock = state.lock.lock;
  const warnings: JobWarning[] = [];
  if (state.lock.problem) warnings.push({ code: 'lock-ignored', message: `ignoring ${shownPath(state.lock.file)} (${state.lock.problem})` });
  if (state.damagedLines.length) warnings.push({ code: 'ledger-lines-skipped', message: `ledger lines ${state.damagedLines.join(', ')} are unreadable (a crash mid-write) and were skipped` });

  const verify = options.verify ?? false;
  let disk = await inspectOutputs(outputDir, videoChecks(plans, state.ledger, lock), verify);
  let states = shotStates(plans, state.ledger, lock, disk);
  let ledger = state.ledger;
  let refresh: RefreshSummary | undefined;
  if (options.refresh) {
    const r = await refreshLiveTasks(state.records, states, config, options.env ?? process.env, path.join(outputDir, LEDGER_FILE), options.now ?? (() => new Date()));
    refresh = r.summary;
    if (r.summary.refreshed > 0) {
      ledger = foldLedger(r.records);
      disk = await inspectOutputs(outputDir, videoChecks(plans, ledger, lock), verify);
      states = shotStates(plans, ledger, lock, disk);
    }
    for (const skipped of r.summary.skipped) warnings.push({ code: 'not-refreshed', message: `not refreshed: ${skipped}` });
    for (const e of r.summary.errors) warnings.push({ code: 'refresh-failed', message: `refresh failed: ${e}` });
  }

  const inProgress = await runInProgress(outputDir);
  const storage = new Map<string, ShotStorage>();
  for (const s of states) {
    if (!s.video || (s.state !== 'current' && s.state !== 'stale' && s.state !== 'missing')) continue;
    // From the ledger as first read, as before a refresh (a refresh records no store outcome).
    const url = storedVideoUrl(state.ledger, s.video.sha256, lock?.shots.find((e) => e.id === s.shotId));
    storage.set(s.shotId, { stored: url ?? null, storeError: url ? null : (state.ledger.storeFailed.get(s.video.sha256)?.message ?? null) });
  }
  const showStore = Boolean(config.store) || [...storage.values()].some((st) => st.stored);
  const animatic = await animaticStatus(outputDir, states, verify);
  const evidence = new Map(verify ? states.map((s, i) => [s.shotId, shotEvidence(plans[i]!, s, s.video ? disk.videos.get(s.video.file) : undefined)]) : []);
  return { config, state, states, ...(refresh ? { refresh } : {}), ...(inProgress ? { inProgress } : {}), ...(animatic ? { animatic } : {}), storage, showStore, evidence, warnings };
}

/**
 * GETs every task the ledger last saw PENDING/RUNNING (or not polled yet) on the server this
 * command talks to, and returns the answers as `state` records for the fold. The ones that
 * ended are appended (flushed) to the ledger: a final state cannot be contradicted later, so
 * this is safe even while a run follows the same tasks; a PENDING/RUNNING answer is shown but
 * not written (a run in progress may have recorded a newer state meanwhile).
 */
async function refreshLiveTasks(
  records: LedgerRecord[],
  states: readonly ShotState[],
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
  ledgerFile: string,
  now: () => Date,
): Promise<{ records: LedgerRecord[]; summary: RefreshSummary }> {
  const summary: RefreshSummary = { refreshed: 0, recorded: 0, skipped: [], errors: [] };
  const live = liveOnThisServer(records, states, config.baseUrl, summary, serverOfConfig(config, false));
  if (live.length === 0) return { records, summary };
  const { key } = await resolveApiKey({ env, ...(env['HOME'] ? { home: env['HOME'] } : {}) });
  const client = createDashScopeClient({ baseUrl: config.baseUrl, apiKey: key, ...(config.workspace ? { workspace: config.workspace } : {}) });
  const seen: StateRecord[] = [];
  try {
    for (const s of live) {
      const a = s.attempt!;
      try {
        const res = await client.getTask(a.taskId!);
        // As the engine reads it: an unrecognised status (e.g. SUSPENDED) is still running.
        seen.push({ t: 'state', at: now().toISOString(), runId: REFRESH_RUN_ID, shot: s.shotId, key: a.key, taskId: a.taskId!, status: res.status, ...stateFieldsOf(res) });
      } catch (error) {
        summary.errors.push(`${s.shotId}: task ${a.taskId}: ${isDashScopeError(error) ? formatDashScopeError(error) : (error as Error).message}`);
      }
    }
  } finally {
    await client.close();
  }
  summary.refreshed = seen.length;
  const ended = seen.filter((r) => FINAL_STATUSES.has(r.status));
  if (ended.length) {
    try {
      const ledger = await openLedger(ledgerFile);
      try {
        for (const r of ended) await ledger.append(r);
        summary.recorded = ended.length;
      } finally {
        await ledger.close();
      }
    } catch (error) {
      summary.errors.push(`could not record the ended tasks in the ledger (${(error as Error).message}); the next run asks again`);
    }
  }
  return { records: [...records, ...seen], summary };
}

/** The running shots whose task lives on `baseUrl`; the others are noted in `summary.skipped`. */
function liveOnThisServer(records: LedgerRecord[], states: readonly ShotState[], baseUrl: string, summary: RefreshSummary, here?: ServerIdentity): ShotState[] {
  const runBaseUrl = new Map(foldLedger(records).runs.map((r) => [r.runId, r.baseUrl]));
  const live: ShotState[] = [];
  for (const s of states) {
    const a = s.attempt;
    if (s.state !== 'running' || a?.outcome !== 'submitted' || !a.taskId || a.status === 'SUCCEEDED') continue;
    // A task lives on the server that created it: asking another one (an emulator session that
    // is gone, another region) would answer UNKNOWN and wrongly end the shot.
    const sentTo = runBaseUrl.get(a.runId);
    if (sentTo !== undefined && sentTo !== baseUrl) {
      summary.skipped.push(`${s.shotId}: task ${a.taskId} was sent to ${redactUrl(sentTo)}, not ${redactUrl(baseUrl)}`);
      continue;
    }
    // Same base URL, another region or workspace: still another server.
    if (here && a.server && !sameServer(a.server, here)) {
      summary.skipped.push(`${s.shotId}: task ${a.taskId} was sent to ${describeServer(a.server)}, not ${describeServer(here)}`);
      continue;
    }
    live.push(s);
  }
  return live;
}
