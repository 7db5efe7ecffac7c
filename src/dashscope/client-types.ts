// The contract between the run engine and the DashScope HTTP adapter. The engine depends on
// these types only; `createDashScopeClient` (client.ts) is the one implementation, and the
// emulator is what tests point it at.
import type { RequestBody, TaskStatus } from '../core/types.js';

/**
 * How the engine should treat a failed call:
 * - `retryable`: nothing was done server-side, or doing it again is harmless (429, 503 on a GET…).
 * - `fatal`: the request itself is wrong or not allowed (4xx other than 429); never retry blindly.
 * - `uncertain`: a submit whose outcome is unknown (reset after sending, timeout, 5xx): a task
 *   may have been created and billed. Reconcile through the task list before sending again.
 */
export type ErrorClass = 'retryable' | 'fatal' | 'uncertain';

export interface TaskOutput {
  task_id: string;
  task_status: TaskStatus | string;
  submit_time?: string;
  scheduled_time?: string;
  end_time?: string;
  orig_prompt?: string;
  video_url?: string;
  code?: string;
  message?: string;
  [k: string]: unknown;
}

/** GET /tasks/{id} and the submit response, as received (snapshots are stored verbatim). */
export interface TaskResponse {
  request_id: string;
  output: TaskOutput;
  usage?: Record<string, unknown>;
}

export interface SubmitResult {
  taskId: string;
  requestId: string;
  status: TaskStatus | string;
  raw: TaskResponse;
}

export interface ListTasksQuery {
  /** Window start and end; the server allows at most 24 h between them. */
  startTime?: Date;
  endTime?: Date;
  modelName?: string;
  status?: TaskStatus;
  taskId?: string;
  pageNo?: number;
  pageSize?: number;
}

/** One row of GET /tasks (batch query); times are epoch milliseconds. */
export interface TaskListItem {
  task_id: string;
  status: TaskStatus | string;
  model_name: string;
  region?: string;
  request_id?: string;
  gmt_create?: number;
  start_time?: number;
  end_time?: number;
  user_api_unique_key?: string;
  [k: string]: unknown;
}

export interface TaskListPage {
  request_id: string;
  total: number;
  total_page: number;
  page_no: number;
  page_size: number;
  data: TaskListItem[];
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  contentType: string | undefined;
}

export interface SubmitOptions {
  /** Set when any input URL is oss://: the server then resolves it (protocol §1). */
  ossResolve?: boolean;
  signal?: AbortSignal;
}

export interface DashScopeClient {
  readonly baseUrl: string;
  submit(endpoint: string, body: RequestBody, opts?: SubmitOptions): Promise<SubmitResult>;
  getTask(taskId: string, opts?: { signal?: AbortSignal }): Promise<TaskResponse>;
  cancel(taskId: string): Promise<{ requestId: string }>;
  listTasks(query: ListTasksQuery): Promise<TaskListPage>;
  /** getPolicy → multipart POST to upload_host → `oss://key`. */
  upload(file: { path: string; fileName?: string }, model: string): Promise<{ url: string; expiresAt: Date }>;
  /** Streams `url` to `destPath` (the caller picks `*.part` and renames), hashing as it goes. */
  download(url: string, destPath: string, opts?: { signal?: AbortSignal }): Promise<DownloadResult>;
  close(): Promise<void>;
}
