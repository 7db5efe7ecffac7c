// Public types of the emulator (the agreed API in ARCHITECTURE/issue 3). Only additions beyond
// the agreed shape are marked "(addition)".

/** Endpoints a rate-based fault can hit. */
export type FaultEndpoint = 'submit' | 'getTask' | 'listTasks' | 'download' | 'upload';

/**
 * What a fault does:
 * - `429` / `500` / `503`: an error answer (Throttling / InternalError / ModelUnavailable;
 *   on submit 429 is Throttling.RateQuota). A faulted submit creates no task.
 * - `reset`: the socket is destroyed without an answer. On submit a second draw decides
 *   whether the task was created first (so both "uncertain" cases occur).
 * - `reset-before-create` / `reset-after-create` (addition): the submit reset, with the case fixed.
 * - `slow`: the answer is delayed `ms` real milliseconds (default 1000).
 * - `malformed`: HTTP 200 with a truncated body (on submit: after the task is created;
 *   on download: a truncated body with the full Content-Length).
 */
export type FaultKind = '429' | '500' | '503' | 'reset' | 'reset-before-create' | 'reset-after-create' | 'slow' | 'malformed';

export interface FaultSpec {
  endpoint: FaultEndpoint;
  kind: FaultKind;
  /** Probability per request, 0..1, drawn from the emulator's seeded RNG. */
  rate: number;
  /** For `slow`: delay in real milliseconds. */
  ms?: number;
}

/**
 * Classes of request-rule violations (the catalog's rules, src/core/catalog/rules/problems.ts).
 * By default each answers 400 InvalidParameter at submit (`url`: 400 InvalidURL); the classes
 * listed in `EmulatorOptions.taskFailureRules` instead create a task that later ends FAILED (as
 * the real service does for "The size is not match …").
 */
import type { RuleClass } from '../core/catalog/rules/problems.js';
export type { RuleClass };

/**
 * Rules on which two official pages disagree (src/core/catalog/disputes.ts): `strict` follows
 * the page that forbids (v5.6-it2v stops at 720P; it2v takes one image), `lenient` the one that
 * allows (1080P; several images, the last one used).
 */
export type DisputedRulesReading = 'strict' | 'lenient';

/**
 * Request keys the docs do not list: `refuse` answers 400 InvalidParameter (catches typos in a
 * client), `ignore` accepts the request and notes the key in the task's stats (what the official
 * SDKs' traffic suggests the service does). `input.extend_prompt` and `input.function`, sent by
 * the official SDKs, are accepted in both modes.
 */
export type UnknownKeysMode = 'refuse' | 'ignore';

/**
 * When GET /tasks/{id} starts to show `output.orig_prompt`: with the result (`SUCCEEDED`, what
 * the spec's result shapes show), or already while the task runs (`RUNNING`). Never while it is
 * PENDING, nor on a FAILED or CANCELED task (the failure shape has no prompt).
 */
export type PromptVisibility = 'RUNNING' | 'SUCCEEDED';

export interface FamilyQuota {
  /** Tasks RUNNING at once; extra tasks wait PENDING (FIFO). Default: the catalog's quota. */
  runningTasks?: number;
  /** Accepted submits per sliding second; more → 429 Throttling.RateQuota. Default: catalog. */
  submitsPerSecond?: number;
}

export interface EmulatorQuotas {
  /** Keyed by catalog `quota.family` (e.g. `pixverse-v6`, `wan2.6-i2v-flash`). */
  families?: Record<string, FamilyQuota>;
  /** GET/list/cancel requests per sliding second for the whole account. Default 20. */
  taskQueriesPerSecond?: number;
  /** getPolicy requests per sliding second per model. Default 100. */
  getPolicyPerSecond?: number;
}

export interface EmulatorOptions {
  /** Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Default 0 = pick a free port. */
  port?: number;
  /** The one key it accepts; default 'sk-emulator-key' (obviously fake). */
  apiKey?: string;
  /**
   * Real seconds per emulated second. Task durations are realistic in emulated time (tens of
   * seconds to minutes); the emulated clock runs 1/timeScale times faster than the real one.
   * 1 = realistic, 0.001 = 1000x faster. Default 1.
   */
  timeScale?: number;
  /** Seeds the duration distribution and the rate-based faults; default 1. */
  seed?: number;
  quotas?: EmulatorQuotas;
  /** Rate-based faults; markers in prompts always work. */
  faults?: FaultSpec[];
  /** Reported in task list rows; default 'cn-beijing'. */
  region?: string;
  /** (addition) Rule classes that become a FAILED task instead of a 400. Default ['size']. */
  taskFailureRules?: RuleClass[];
  /** (addition) Reading of rules the official pages disagree on. Default 'strict'. */
  disputedRules?: DisputedRulesReading;
  /** (addition) Keys the docs do not list. Default 'refuse'. */
  unknownKeys?: UnknownKeysMode;
  /** (addition) When a task starts to show its `orig_prompt`. Default 'SUCCEEDED'. */
  promptVisibleFrom?: PromptVisibility;
  /**
   * (addition) Task times drawn uniformly from [minMs, maxMs] of emulated time (submit to end,
   * once a slot is free; no scheduling delay) instead of the realistic ones; the draw depends on
   * the seed and the body only, so two clients sending the same batch meet the same durations.
   */
  taskDurationMs?: { minMs: number; maxMs: number };
  /** (addition) Keep the emulated time of every task query in the stats (`queryTimes`). Default false. */
  recordQueryTimes?: boolean;
  /**
   * (addition) Models this account has not activated: their submits answer 403 AccessDenied, as
   * the real service does for a PixVerse model before "立即开通" in the console.
   */
  notActivated?: string[];
}

export interface EmulatorStatsTask {
  taskId: string;
  model: string;
  /** (addition) The catalog family of the model (`pixverse-v6`, `wan2.7`, `kling-v3`, `vidu-q3`…). */
  family: string;
  /** (addition) The quota pool the task counted against (the keys of the peak counters). */
  pool: string;
  status: string;
  bodySha256: string;
  shotHint?: string;
  /** (addition) `other`: created by another client on the account (the `[[foreign:N]]` marker). */
  client?: 'other';
  /** (addition) Things the server did silently, e.g. a truncated prompt. */
  notes?: string[];
  /**
   * (addition) Emulated epoch ms of the task's life: submit, start (RUNNING), end (final), and
   * the first answer (GET or list row) that showed it final — end to seenFinal is the client's
   * detection lag.
   */
  times: { submitMs: number; startMs?: number; endMs?: number; seenFinalMs?: number };
}

export interface EmulatorStats {
  /** Requests received per endpoint name: submit, getTask, listTasks, cancel, getPolicy, upload, download, stats. */
  requests: Record<string, number>;
  /**
   * (addition) Requests received per route, `METHOD path` with ids as placeholders, e.g.
   * `POST /api/v1/services/aigc/image2video/video-synthesis`, `GET /api/v1/tasks/{task_id}`:
   * which path a client (this tool, an official SDK) actually used.
   */
  requestsByPath: Record<string, number>;
  /** Task-endpoint requests (getTask+listTasks+cancel, throttled ones included) in any 1 s real window. */
  peakQueriesPerSecond: number;
  /** Per quota family: the most tasks RUNNING at once (emulated time). */
  peakRunningTasks: Record<string, number>;
  /** (addition) Per quota family: the most tasks PENDING or RUNNING at once. */
  peakActiveTasks: Record<string, number>;
  /** (addition) Per quota family: submit requests (throttled ones included) in any 1 s real window. */
  peakSubmitsPerSecond: Record<string, number>;
  /** 429s sent, per code (Throttling, Throttling.RateQuota). */
  throttled: Record<string, number>;
  /** sha256 of the canonical submitted body → tasks created from it. */
  submitsByBody: Record<string, number>;
  /** Sum over bodies of (tasks created − 1). */
  duplicateSubmits: number;
  tasksCreated: number;
  /** (addition) Of `tasksCreated`, the tasks another client on the account created. */
  foreignTasks: number;
  tasks: EmulatorStatsTask[];
  /** (addition) With `recordQueryTimes`: the emulated epoch ms of every task query received (throttled ones included), in order. */
  queryTimes?: number[];
}

export interface RunningEmulator {
  /** e.g. 'http://127.0.0.1:41234/api/v1' — what a client uses as base URL. */
  baseUrl: string;
  apiKey: string;
  stats(): EmulatorStats;
  resetStats(): void;
  setFaults(faults: FaultSpec[]): void;
  /** Jump emulated time forward (e.g. 25 h to make tasks UNKNOWN / URLs expire). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}
