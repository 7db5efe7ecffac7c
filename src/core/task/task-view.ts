// A task as the engine, status and report see it, whatever the wire looked like: the DashScope
// adapter (src/dashscope/task-view.ts) is the one place that turns a response into these.
import type { StateRecord } from '../ledger/records.js';
import type { TaskStatus } from '../types.js';

/** One task: from a submit answer or a GET /tasks/{id}. */
export interface TaskView {
  taskId: string;
  /** The answer's request_id; '' when the server sent none. */
  requestId: string;
  /** Normalised: a status the tool does not know (e.g. SUSPENDED) counts as RUNNING. */
  status: TaskStatus;
  videoUrl?: string;
  code?: string;
  message?: string;
  /** The prompt as the server received it (tells look-alike tasks apart when reconciling). */
  origPrompt?: string;
  /** Server times as sent ('YYYY-MM-DD HH:MM:SS.mmm', server local time). */
  submitTime?: string;
  scheduledTime?: string;
  endTime?: string;
  usage?: Record<string, unknown>;
  /** The response as received, kept verbatim for the shot's snapshot file. */
  raw: unknown;
}

/** One row of the task list (batch query): no result, no usage, no message. */
export interface TaskRow {
  taskId: string;
  status: TaskStatus;
  model: string;
  /** When the server created the task, epoch ms; absent when the row does not say. */
  createdAtMs?: number;
  /** `user_api_unique_key`, e.g. `apikey:v1:aigc:video-generation:video-synthesis:<model>`: names the submit path. */
  userApiUniqueKey?: string;
  /** The row as received, for snapshots. */
  raw: unknown;
}

export interface TaskRowPage {
  requestId: string;
  rows: TaskRow[];
  total: number;
  totalPages: number;
  pageNo: number;
  pageSize: number;
}

export interface TaskListQuery {
  /** Window start and end; the server allows at most 24 h between them. */
  startTime?: Date;
  endTime?: Date;
  modelName?: string;
  status?: TaskStatus;
  taskId?: string;
  pageNo?: number;
  pageSize?: number;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  contentType: string | undefined;
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

/** What a task view adds to a `state` ledger record (the engine's and `status --refresh`'s). */
export function stateFieldsOf(v: TaskView): Partial<StateRecord> {
  const f: Partial<StateRecord> = {};
  if (v.submitTime) f.submitTime = v.submitTime;
  if (v.scheduledTime) f.scheduledTime = v.scheduledTime;
  if (v.endTime) f.endTime = v.endTime;
  if (v.videoUrl) f.videoUrl = v.videoUrl;
  if (v.usage) f.usage = v.usage;
  if (v.code) f.code = v.code;
  if (v.message) f.message = v.message;
  if (v.requestId) f.requestId = v.requestId;
  return f;
}
