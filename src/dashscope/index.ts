// Public surface of the DashScope adapter (the package's src/index.ts re-exports from here).
export { createDashScopeClient, containsOssUrl } from './client.js';
export type { DashScopeClientOptions, ClientTimeouts, OperationTimeouts, RetryEvent } from './client.js';
export { DashScopeError, formatDashScopeError, isDashScopeError } from './errors.js';
export type { DashScopeErrorInit } from './errors.js';
export { DEFAULT_RETRY_POLICIES, computeBackoffMs, nextRetryDelayMs, parseRetryAfter } from './retry.js';
export type { RetryPolicy, RetryPolicies } from './retry.js';
export { BASE_URLS } from '../core/catalog/regions.js';
export type {
  DashScopeClient,
  ErrorClass,
  SubmitResult,
  SubmitOptions,
  TaskResponse,
  TaskOutput,
  TaskListPage,
  TaskListItem,
  ListTasksQuery,
  DownloadResult,
} from './client-types.js';
export { normaliseStatus, toTaskView, toTaskRow, toTaskRowPage } from './task-view.js';
export type { DashScopeTaskView, DashScopeTaskRow, DashScopeTaskRowPage } from './task-view.js';
export type { TaskView, TaskRow, TaskRowPage } from '../core/task/task-view.js';
export { classifyError, isTransientTaskFailure, DOCUMENTED_ERROR_CODES } from '../core/task/classify-error.js';
export type { DashScopeOperation, FailureCause } from '../core/task/classify-error.js';
