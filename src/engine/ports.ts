// What the engine needs from the task API, defined on the engine's side: the engine names no
// adapter. `createDashScopeClient` (src/dashscope) satisfies it; tests may hand in their own.
import type { DownloadResult, TaskListQuery, TaskRowPage, TaskView } from '../core/task/task-view.js';
import type { RequestBody } from '../core/types.js';

export interface TaskService {
  /** POST a task (X-DashScope-Async). `ossResolve`: any input URL is oss://, the server must resolve it. */
  submit(endpoint: string, body: RequestBody, opts?: { ossResolve?: boolean; signal?: AbortSignal }): Promise<TaskView>;
  getTask(taskId: string, opts?: { signal?: AbortSignal }): Promise<TaskView>;
  cancel(taskId: string): Promise<{ requestId: string }>;
  /** One page of the task list (batch query). */
  listTasks(query: TaskListQuery): Promise<TaskRowPage>;
  /** A local file to the temporary OSS space → `oss://key` (valid 48 h). */
  upload(file: { path: string; fileName?: string }, model: string): Promise<{ url: string; expiresAt: Date }>;
  /** Streams `url` to `destPath` (the caller picks `*.part` and renames), hashing as it goes. */
  download(url: string, destPath: string, opts?: { signal?: AbortSignal }): Promise<DownloadResult>;
}
