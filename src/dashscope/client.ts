// The DashScope HTTP adapter: the one implementation of `DashScopeClient` and, with its sibling
// files, the only importer of undici. The concerns live apart: exchange.ts (one HTTP exchange,
// errors, the retry loop; the only holder of the API key), uploads.ts, downloads.ts and wire.ts
// (parsing). What is retried is decided by the pure classifier (src/core/task/classify-error.ts)
// and the per-operation policies (retry.ts).
import type { DashScopeOperation } from '../core/task/classify-error.js';
import type { Region, RequestBody } from '../core/types.js';
import { BASE_URLS } from '../core/catalog/regions.js';
import type { DashScopeClient, ListTasksQuery, SubmitOptions, SubmitResult } from './client-types.js';
import { createDownload } from './downloads.js';
import { DashScopeError } from './errors.js';
import { createExchange, type ClientTimeouts, type RetryEvent } from './exchange.js';
import { buildListQueryString, checkListQuery } from './list-query.js';
import type { RetryPolicy } from './retry.js';
import { toTaskRowPage, toTaskView, type DashScopeTaskRowPage, type DashScopeTaskView } from './task-view.js';
import { createUpload } from './uploads.js';
import { containsOssUrl, parseTaskListPage, parseTaskResponse, str } from './wire.js';
import type { Dispatcher } from 'undici';

export type { ClientTimeouts, OperationTimeouts, RetryEvent } from './exchange.js';
export { containsOssUrl } from './wire.js';

export interface DashScopeClientOptions {
  /** Selects the base URL from BASE_URLS. Default 'cn-beijing' (PixVerse runs there only). */
  region?: Region;
  /** Overrides `region`, e.g. the emulator's `http://127.0.0.1:PORT/api/v1`. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer …` to the base URL only (never to upload or video hosts). */
  apiKey: string;
  /** Sent as `X-DashScope-WorkSpace` when set. */
  workspace?: string;
  timeouts?: ClientTimeouts;
  /** Per-operation overrides of DEFAULT_RETRY_POLICIES, field by field. */
  retry?: Partial<Record<DashScopeOperation, Partial<RetryPolicy>>>;
  /** Injected for tests: backoff sleep. Default: timers/promises setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests: a draw in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Injected for tests: epoch ms (Retry-After dates, time budgets, upload expiry). Default Date.now. */
  now?: () => number;
  /** Use this dispatcher instead of a private keep-alive Agent (the client then does not close it). */
  dispatcher?: Dispatcher;
  /** Called before each retry sleep (for logs/events; the error never contains the key). */
  onRetry?: (event: RetryEvent) => void;
}

export function createDashScopeClient(options: DashScopeClientOptions): DashScopeClient {
  // Copy what we need; never keep (or mutate) the caller's options object.
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '' || /[\s]/.test(apiKey)) {
    throw new TypeError('DashScope client: apiKey must be a non-empty string without whitespace');
  }
  const regionUrl = BASE_URLS[options.region ?? 'cn-beijing'];
  if (options.baseUrl === undefined && regionUrl === undefined) {
    throw new TypeError(`DashScope client: region ${options.region} has no shared host; give the workspace host as baseUrl`);
  }
  const baseUrl = (options.baseUrl ?? regionUrl!).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) throw new TypeError('DashScope client: baseUrl must be an http(s) URL');
  const x = createExchange({
    apiKey,
    baseUrl,
    workspace: options.workspace,
    timeouts: options.timeouts,
    retry: options.retry,
    sleep: options.sleep,
    random: options.random,
    now: options.now,
    dispatcher: options.dispatcher,
    onRetry: options.onRetry,
  });

  return {
    baseUrl,

    async submit(endpoint: string, body: RequestBody, opts: SubmitOptions = {}): Promise<SubmitResult> {
      // Without X-DashScope-Async the server refuses with 403 AccessDenied (spec §0). oss:// inputs
      // are resolved only when asked to (spec §1): set it from the option or from the body itself.
      const headers = x.apiHeaders({ 'content-type': 'application/json', 'x-dashscope-async': 'enable' });
      if (opts.ossResolve === true || containsOssUrl(body)) headers['x-dashscope-ossresourceresolve'] = 'enable';
      const payload = JSON.stringify(body);
      return x.withRetry('submit', opts.signal, () =>
        x.apiCall('submit', { method: 'POST', url: x.apiUrl(endpoint), headers, body: payload, signal: opts.signal }, 'output.task_id', (json) => {
          const task = parseTaskResponse(json);
          return task === undefined ? undefined : toTaskView(task);
        }),
      );
    },

    async getTask(taskId: string, opts: { signal?: AbortSignal } = {}): Promise<DashScopeTaskView> {
      const url = x.apiUrl(`/tasks/${encodeURIComponent(taskId)}`);
      const task = await x.withRetry('getTask', opts.signal, () =>
        x.apiCall('getTask', { method: 'GET', url, headers: x.apiHeaders(), signal: opts.signal }, 'output.task_id and output.task_status', parseTaskResponse),
      );
      return toTaskView(task);
    },

    async cancel(taskId: string): Promise<{ requestId: string }> {
      const url = x.apiUrl(`/tasks/${encodeURIComponent(taskId)}/cancel`);
      return x.withRetry('cancel', undefined, () =>
        x.apiCall('cancel', { method: 'POST', url, headers: x.apiHeaders() }, 'request_id', (json) => {
          const requestId = str(json['request_id']);
          return requestId === undefined ? undefined : { requestId };
        }),
      );
    },

    async listTasks(query: ListTasksQuery): Promise<DashScopeTaskRowPage> {
      const problem = checkListQuery(query);
      if (problem !== undefined) {
        throw new DashScopeError({ operation: 'listTasks', errorClass: 'fatal', code: 'InvalidParameter', message: problem });
      }
      // The SDK uses /tasks without the trailing slash (spec §3).
      const url = x.apiUrl(`/tasks${buildListQueryString(query)}`);
      const page = await x.withRetry('listTasks', undefined, () => x.apiCall('listTasks', { method: 'GET', url, headers: x.apiHeaders() }, 'data[]', parseTaskListPage));
      return toTaskRowPage(page);
    },

    upload: createUpload(x),
    download: createDownload(x),
    close: () => x.close(),
  };
}
