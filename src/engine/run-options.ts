// Options and dependencies of a run. Everything with a unit says it; defaults are the catalog's
// quotas and the documented limits (spec §2–§4).
import { findModel } from '../core/catalog/lookup.js';
import { DEFAULT_BACKOFF } from '../core/task/backoff.js';
import type { BackoffConfig } from '../core/task/backoff.js';
import { DEFAULT_POLL_SCHEDULE } from '../core/task/poll-schedule.js';
import type { PollScheduleConfig } from '../core/task/poll-schedule.js';
import type { BudgetCap } from '../core/plan/render-decision.js';
import type { LockEntry } from '../core/lock/lock-model.js';
import type { PlannedRequest } from '../core/types.js';
import type { ReuseSource } from '../core/plan/reuse.js';
import type { ServerIdentity } from '../core/server-identity.js';
import type { Clock } from './clock.js';
import type { RunFiles, TaskService, VideoStore } from './ports.js';
import type { RunEvent } from './events.js';
import type { RateLimiterLike } from './limiter-like.js';
import type { RequestCounters } from './request-counters.js';
import type { TaskWatcher } from './task-watcher.js';

export interface FamilyQuota {
  family: string;
  /** Tasks PENDING or RUNNING at once. */
  runningTasks: number;
  /** Submit requests per second. */
  submitsPerSecond: number;
}

export interface RunOptions {
  /** Render again even what is up to date or failed (never duplicates a live task). */
  force: boolean;
  /** Resubmit shots whose task ended FAILED/UNKNOWN, whose submit was refused, or whose video was lost with its expired task. */
  retryFailed: boolean;
  /** On interruption, cancel tasks still PENDING (only PENDING can be canceled, spec §3). */
  cancelPending: boolean;
  /** Skip the budget check (`--yes`). */
  yes: boolean;
  budget?: BudgetCap;
  /** Currency of the configured prices (config `prices.currency`), shown with every cost. */
  currency?: string;
  /** Quota of a model: catalog `quota` with config overrides applied. */
  quotaOf: (model: string) => FamilyQuota;
  /** The account's task-query limit (GET + list + cancel), per second. Default 20. */
  accountQueriesPerSecond: number;
  /** Share of that limit this run may use, (0, 1]. Default 0.5 (leaves room for other tools). */
  queryShare: number;
  /** Slack added to every one-second rate window (network jitter between us and the server), ms. */
  rateWindowSlackMs: number;
  poll: PollScheduleConfig;
  /**
   * Real seconds per server second: 1 on the real service; the emulator's timeScale when running
   * against it. Scales the poll schedule, backoffs and the 24 h / 48 h server lifetimes.
   */
  serverTimeScale: number;
  submitBackoff: BackoffConfig;
  queryBackoff: BackoffConfig;
  /** Throttled/failed submit attempts of one shot before it is given up (as `rejected`). */
  maxSubmitRetries: number;
  downloadAttempts: number;
  downloadConcurrency: number;
  listPageSize: number;
  maxListPages: number;
  /** Wait after an uncertain submit before looking for its task in the list, ms (server time). */
  reconcileSettleMs: number;
}

export function defaultQuotaOf(model: string): FamilyQuota {
  const m = findModel(model);
  // An unknown model never passes validation; be conservative if one slips through.
  return m ? { ...m.quota } : { family: model, runningTasks: 2, submitsPerSecond: 2 };
}

/**
 * Client retry settings for a client the engine drives (`retry` of createDashScopeClient):
 * the engine retries submits, task queries and downloads itself — through its shared rate
 * limiters and family backoff, and for downloads with a URL refresh from the task — so the
 * client must make one attempt each; its own retries would bypass the limiters and multiply
 * the engine's attempts.
 */
export const ENGINE_CLIENT_RETRY = {
  submit: { maxAttempts: 1 },
  getTask: { maxAttempts: 1 },
  listTasks: { maxAttempts: 1 },
  cancel: { maxAttempts: 1 },
  download: { maxAttempts: 1 },
} as const;

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  force: false,
  retryFailed: false,
  cancelPending: false,
  yes: false,
  quotaOf: defaultQuotaOf,
  accountQueriesPerSecond: 20,
  queryShare: 0.5,
  rateWindowSlackMs: 100,
  poll: DEFAULT_POLL_SCHEDULE,
  serverTimeScale: 1,
  submitBackoff: DEFAULT_BACKOFF,
  queryBackoff: { baseMs: 500, maxMs: 10_000 },
  maxSubmitRetries: 8,
  downloadAttempts: 4,
  downloadConcurrency: 4,
  listPageSize: 100,
  maxListPages: 5,
  reconcileSettleMs: 2_000,
};

/** Server lifetimes (spec §1, §2), ms of server time. */
export const TASK_RETENTION_MS = 24 * 3600_000;
export const UPLOAD_VALIDITY_MS = 48 * 3600_000;

export interface RunInput {
  /** Manifest path as given (recorded in the ledger). */
  manifest: string;
  manifestSha256: string;
  /** The planned requests of the selected shots, in manifest order. */
  requests: PlannedRequest[];
  region: string;
  baseUrl: string;
  /** The DashScope workspace requests are sent for (config `workspace`), if any. */
  workspace?: string;
  /** The server's identity, recorded with every run and intent; default: from baseUrl, region, workspace. */
  server?: ServerIdentity;
  emulator: boolean;
  toolVersion: string;
  /** The run space's lock file: its renders of unchanged shots are adopted, never submitted again. */
  lock?: RunLock;
  /**
   * Renders of the project's other manifests (their ledgers, on this run's server) that a shot
   * with the same key reuses instead of submitting; this manifest's ledger and lock are added.
   */
  reuseSources?: readonly ReuseSource[];
}

/** The lock file of the run space, as read (see src/io/read-lock-file.ts). */
export interface RunLock {
  /** How decisions name it, e.g. `storyboard.lock.yaml`. */
  name: string;
  entries: readonly LockEntry[];
}

/** What a custom watcher (the benchmark's SDK baseline) gets to work with. */
export interface WatcherContext {
  client: TaskService;
  clock: Clock;
  random: () => number;
  queries: RateLimiterLike;
  counters: RequestCounters;
  options: RunOptions;
  onSnapshot(shot: string, entry: Record<string, unknown>): void;
  onWarning(message: string): void;
}

export interface RunDeps {
  /** The task API (a DashScope client, or the emulator through one). */
  client: TaskService;
  output: RunFiles;
  clock: Clock;
  /** Draws in [0, 1): backoff jitter and the run id. */
  random: () => number;
  onEvent: (e: RunEvent) => void;
  /** The object store each verified download is put in (probed by the caller before the run). */
  store?: VideoStore;
  /** Replace the list poller (benchmark baseline). */
  createWatcher?: (ctx: WatcherContext) => TaskWatcher;
}
