// The DashScope adapter's contract: the wire shapes as received, and `DashScopeClient`, whose
// answers are the task views of src/core/task/task-view.ts. It satisfies the engine's port
// (`TaskService`, src/engine/ports.ts) without the engine naming it; `createDashScopeClient`
// (client.ts) is the one implementation, and the emulator is what tests point it at.
import type { DownloadResult, TaskListQuery } from '../core/task/task-view.js';
import type { RequestBody, TaskStatus } from '../core/types.js';
import type { DashScopeTaskRowPage, DashScopeTaskView } from './task-view.js';

/**
 * How the engine should treat a failed call (retryable / fatal / uncertain): defined once, in the
 * core's classifier (src/core/task/classify-error.ts).
 */
export type { ErrorClass } from '../core/task/classify-error.js';
export type { DownloadResult, TaskListQuery as ListTasksQuery } from '../core/task/task-view.js';

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

/** GET /tasks/{id} and the submit response, as received (snapshots are stored verbatim); the client returns its view. */
export interface TaskResponse {
  request_id: string;
  output: TaskOutput;
  usage?: Record<string, unknown>;
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


/** The submit answer: its task view (status as sent back, usually PENDING). */
export type SubmitResult = DashScopeTaskView;

export interface SubmitOptions {
  /** Set when any input URL is oss://: the server then resolves it (protocol §1). */
  ossResolve?: boolean;
  signal?: AbortSignal;
}

export interface DashScopeClient {
  readonly baseUrl: string;
  submit(endpoint: string, body: RequestBody, opts?: SubmitOptions): Promise<SubmitResult>;
  getTask(taskId: string, opts?: { signal?: AbortSignal }): Promise<DashScopeTaskView>;
  cancel(taskId: string): Promise<{ requestId: string }>;
  listTasks(query: TaskListQuery): Promise<DashScopeTaskRowPage>;
  /** getPolicy → multipart POST to upload_host → `oss://key`. */
  upload(file: { path: string; fileName?: string }, model: string): Promise<{ url: string; expiresAt: Date }>;
  /** Streams `url` to `destPath` (the caller picks `*.part` and renames), hashing as it goes. */
  download(url: string, destPath: string, opts?: { signal?: AbortSignal }): Promise<DownloadResult>;
  close(): Promise<void>;
}
