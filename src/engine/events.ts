// The typed events a run emits. The engine never prints: listr2, the plain-line and JSON-lines
// renderers (src/cli/progress*) and anything else (tests, the benchmark) subscribe to these.
import type { RenderAction, RenderCost, RenderReason } from '../core/plan/render-decision.js';
import type { TaskStatus } from '../core/types.js';
import type { RequestCounters } from './request-counters.js';

/** Where one shot stands, as a progress display shows it. */
export type ShotPhase =
  | 'queued'
  | 'reconciling'
  | 'uploading'
  | 'submitting'
  | 'pending'
  | 'running'
  | 'backing-off'
  | 'downloading'
  | 'storing'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'interrupted'
  | 'unreconciled';

/** How a shot ended in this run. Every selected shot gets exactly one. */
export type ShotStatus = 'succeeded' | 'skipped' | 'failed' | 'interrupted' | 'unreconciled';

export interface ShotOutcome {
  shot: string;
  model: string;
  status: ShotStatus;
  /** What the run decided to do with the shot, and why. */
  action: RenderAction;
  reasonCode: RenderReason;
  reason: string;
  attempt?: number;
  taskId?: string;
  requestId?: string;
  /** Last task state seen. */
  taskStatus?: TaskStatus;
  /** Error code and message (task FAILED, submit refused, download failed…), verbatim from the server when it sent one. */
  code?: string;
  message?: string;
  /** Video path relative to the manifest's output directory (`videos/<shot>.mp4`). */
  file?: string;
  sha256?: string;
  bytes?: number;
  videoUrl?: string;
  /** The video in the object store (`s3://…`), when a store is set and the upload succeeded. */
  stored?: string;
  /** Why the video is rendered but not stored (the local file stands; the next run or `push` uploads it). */
  storeError?: string;
  /** True when a task exists on the server that this run left running (interrupted). */
  taskLeftLive?: boolean;
}

export interface RunStartEvent {
  type: 'run-start';
  at: string;
  runId: string;
  manifest: string;
  emulator: boolean;
  baseUrl: string;
  /** The run folder (absolute): ledger, videos and reports of this run. */
  runFolder: string;
  shots: Array<{ shot: string; model: string; action: RenderAction; reasonCode: RenderReason; reason: string }>;
  /** What the shots that will be submitted bill. */
  cost: RenderCost;
}

export interface ShotEvent {
  type: 'shot';
  at: string;
  shot: string;
  phase: ShotPhase;
  taskId?: string;
  /** Tasks of the same quota family queued ahead (+1), when the task list shows it. */
  queuePosition?: number;
  /** Free text for displays: `Throttling.RateQuota, retry in 2.0 s`, `attempt 2`… */
  detail?: string;
}

export interface BackoffEvent {
  type: 'backoff';
  at: string;
  /** `submit`: a family's submits pause; `query`: all task queries pause. */
  scope: 'submit' | 'query';
  family?: string;
  ms: number;
  code: string;
}

export interface ShotEndEvent {
  type: 'shot-end';
  at: string;
  outcome: ShotOutcome;
}

export interface WarningEvent {
  type: 'warning';
  at: string;
  message: string;
  shot?: string;
}

export interface RunEndEvent {
  type: 'run-end';
  at: string;
  runId: string;
  interrupted: boolean;
  counts: Record<ShotStatus, number>;
  durationMs: number;
  /** Requests this run sent, by kind. */
  requests: RequestCounters;
}

export type RunEvent = RunStartEvent | ShotEvent | BackoffEvent | ShotEndEvent | WarningEvent | RunEndEvent;
