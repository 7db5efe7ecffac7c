// The DashScope HTTP adapter: the one implementation of `DashScopeClient` and, with its sibling
// files, the only importer of undici. Every call goes through one attempt function and one retry
// loop; what is retried is decided by the pure classifier (src/core/task/classify-error.ts) and
// the per-operation policies (retry.ts). The API key lives only in this closure.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { classifyError, type DashScopeOperation, type FailureCause } from '../core/task/classify-error.js';
import type { Region, RequestBody } from '../core/types.js';
import { TOOL_VERSION } from '../version.js';
import { BASE_URLS } from '../core/catalog/regions.js';
import {
  type DashScopeClient,
  type DownloadResult,
  type ListTasksQuery,
  type SubmitOptions,
  type SubmitResult,
  type TaskListPage,
  type TaskResponse,
} from './client-types.js';
import { DashScopeError, translateNetworkError } from './errors.js';
import { buildListQueryString, checkListQuery } from './list-query.js';
import { buildMultipart, guessMimeType } from './multipart.js';
import { nextRetryDelayMs, parseRetryAfter, resolveRetryPolicies, type RetryPolicy } from './retry.js';

/**
 * Per-request timeouts, in ms. undici enforces them on a coarse (~1 s) timer, so values under a
 * second act as about one second.
 */
export interface OperationTimeouts {
  /** Max wait from sending the request to the end of the response headers. */
  headersMs?: number;
  /** Max idle time between two chunks of the response body (not a total). */
  bodyMs?: number;
}

export interface ClientTimeouts extends OperationTimeouts {
  /** TCP/TLS connect timeout in ms, for the client's own Agent. Default 10 000. */
  connectMs?: number;
  /** Per-operation overrides of headersMs/bodyMs. */
  operations?: Partial<Record<DashScopeOperation, OperationTimeouts>>;
}

export interface RetryEvent {
  operation: DashScopeOperation;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** How long the client will sleep before the next attempt. */
  delayMs: number;
  error: DashScopeError;
}

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

const DEFAULT_TIMEOUTS: Required<Omit<ClientTimeouts, 'operations'>> = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
};

/** Defaults that differ from the general ones: the OSS POST answers only after the whole file arrived. */
const DEFAULT_OPERATION_TIMEOUTS: Partial<Record<DashScopeOperation, OperationTimeouts>> = {
  upload: { headersMs: 600_000 },
  download: { bodyMs: 60_000 },
};

/** Temporary oss:// URLs are valid 48 h (spec §1). */
const OSS_URL_LIFETIME_MS = 48 * 3600_000;
/** Like the SDK we report a non-JSON body as its raw text, but only the first part of it. */
const RAW_TEXT_LIMIT = 300;
/** JSON answers are small; a larger one is treated as malformed instead of being buffered. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface AttemptRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | (() => Readable);
  signal?: AbortSignal | undefined;
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
  const workspace = options.workspace;
  const policies = resolveRetryPolicies(options.retry);
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const onRetry = options.onRetry;
  const { operations: _perOperation, ...general } = options.timeouts ?? {};
  const timeouts = { ...DEFAULT_TIMEOUTS, ...stripUndefined(general) };
  const opTimeouts = { ...DEFAULT_OPERATION_TIMEOUTS, ...(options.timeouts?.operations ?? {}) };
  const userAgent = `pixverse-batch/${TOOL_VERSION} (node ${process.version})`;

  // One keep-alive Agent per client, so polls reuse connections; closed by close().
  const ownAgent =
    options.dispatcher === undefined
      ? new Agent({
          connect: { timeout: timeouts.connectMs },
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyMs,
        })
      : undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Agent);
  // Video hosts may redirect; API calls never should (and must not carry the key elsewhere).
  const downloadDispatcher = dispatcher.compose(interceptors.redirect({ maxRedirections: 3 }));

  /** Nothing leaves this client with the key in it, not even a server echo. */
  const redact = (s: string): string => (s.includes(apiKey) ? s.split(apiKey).join('[redacted]') : s);

  const fail = (operation: DashScopeOperation, cause: FailureCause, init: {
    code: string;
    message: string;
    httpStatus?: number;
    requestId?: string;
    retryAfterMs?: number;
    cause?: unknown;
  }): DashScopeError =>
    new DashScopeError({
      operation,
      errorClass: classifyError(operation, cause),
      code: redact(init.code),
      message: redact(init.message),
      ...(init.httpStatus !== undefined ? { httpStatus: init.httpStatus } : {}),
      ...(init.requestId !== undefined ? { requestId: redact(init.requestId) } : {}),
      ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
      ...(init.cause !== undefined ? { cause: scrubCause(init.cause, redact) } : {}),
    });

  const timeoutsFor = (op: DashScopeOperation): { headersTimeout: number; bodyTimeout: number } => ({
    headersTimeout: opTimeouts[op]?.headersMs ?? timeouts.headersMs,
    bodyTimeout: opTimeouts[op]?.bodyMs ?? timeouts.bodyMs,
  });

  const apiHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${apiKey}`,
    accept: 'application/json',
    'user-agent': userAgent,
    ...(workspace !== undefined ? { 'x-dashscope-workspace': workspace } : {}),
    ...extra,
  });

  /** One HTTP exchange that buffers the (small) response; network failures become DashScopeErrors. */
  async function exchange(op: DashScopeOperation, req: AttemptRequest): Promise<HttpAnswer> {
    if (isAborted(req.signal)) {
      throw fail(op, { kind: 'aborted', sent: false }, { code: 'Aborted', message: 'the request was aborted by the caller' });
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, {
        dispatcher,
        method: req.method,
        headers: req.headers,
        body: typeof req.body === 'function' ? req.body() : (req.body ?? null),
        signal: req.signal ?? null,
        ...timeoutsFor(op),
      });
    } catch (err) {
      const t = translateNetworkError(err, { aborted: isAborted(req.signal) });
      throw fail(op, t.cause, { code: t.code, message: t.message, cause: err });
    }
    let text: string;
    try {
      text = await readLimited(res.body, MAX_JSON_BYTES);
    } catch (err) {
      const t = translateNetworkError(err, { aborted: isAborted(req.signal), bodyStarted: true });
      throw fail(op, t.cause, { code: t.code, message: t.message, httpStatus: res.statusCode, cause: err });
    }
    return { status: res.statusCode, headers: res.headers, text };
  }

  /** The error for a non-2xx answer from the DashScope API: `{request_id, code, message}`, or raw text. */
  function httpError(op: DashScopeOperation, ans: HttpAnswer): DashScopeError {
    const json = parseJsonObject(ans.text);
    const code = str(json?.['code']) ?? 'Unknown';
    const message = str(json?.['message']) ?? str(json?.['msg']) ?? truncate(ans.text) ?? `HTTP ${ans.status}`;
    const requestId = str(json?.['request_id']) ?? headerValue(ans.headers, 'x-request-id');
    const retryAfterMs = parseRetryAfter(headerValue(ans.headers, 'retry-after'), now());
    return fail(op, { kind: 'http', httpStatus: ans.status, code }, {
      code,
      message,
      httpStatus: ans.status,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  /** A 2xx we cannot use. Non-JSON is reported as code 'Unknown' with the raw text, like the SDK. */
  function malformed(op: DashScopeOperation, ans: HttpAnswer, json: Record<string, unknown> | undefined, what: string): DashScopeError {
    const requestId = str(json?.['request_id']) ?? headerValue(ans.headers, 'x-request-id');
    return fail(op, { kind: 'malformed', httpStatus: ans.status }, {
      code: json === undefined ? 'Unknown' : 'MalformedResponse',
      message: json === undefined ? (truncate(ans.text) ?? '(empty body)') : `response without ${what}`,
      httpStatus: ans.status,
      ...(requestId !== undefined ? { requestId } : {}),
    });
  }

  /** A JSON API call: on 2xx `parse` extracts the result (undefined = malformed, naming `what` was missing). */
  async function apiCall<T>(
    op: DashScopeOperation,
    req: AttemptRequest,
    what: string,
    parse: (json: Record<string, unknown>) => T | undefined,
  ): Promise<T> {
    const ans = await exchange(op, req);
    if (ans.status < 200 || ans.status >= 300) throw httpError(op, ans);
    const json = parseJsonObject(ans.text);
    const out = json === undefined ? undefined : parse(json);
    if (out === undefined) throw malformed(op, ans, json, what);
    return out;
  }

  /**
   * Run `attempt` under the operation's policy. Only `retryable` DashScopeErrors of this same
   * operation are retried (a nested call, e.g. getPolicy inside upload, has its own loop);
   * uncertain/fatal ones and anything else are thrown at once.
   */
  async function withRetry<T>(op: DashScopeOperation, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    const policy = policies[op];
    const started = now();
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof DashScopeError) || err.operation !== op) throw err;
        err.attempts = n;
        if (err.errorClass !== 'retryable' || err.code === 'Aborted' || isAborted(signal)) throw err;
        const wait = nextRetryDelayMs(policy, n, now() - started, random(), err.retryAfterMs);
        if (wait === undefined) throw err;
        onRetry?.({ operation: op, attempt: n, delayMs: wait, error: err });
        await sleep(wait, signal);
      }
    }
  }

  const apiUrl = (p: string): string => `${baseUrl}${p.startsWith('/') ? p : `/${p}`}`;

  async function getPolicy(model: string): Promise<UploadPolicy> {
    const qs = new URLSearchParams({ action: 'getPolicy', model }).toString();
    return withRetry('getPolicy', undefined, () =>
      apiCall('getPolicy', { method: 'GET', url: apiUrl(`/uploads?${qs}`), headers: apiHeaders() }, 'data.upload_host', parsePolicy),
    );
  }

  async function postToOss(policy: UploadPolicy, file: { path: string; fileName: string; size: number }): Promise<string> {
    const key = `${policy.upload_dir}/${file.fileName}`;
    const mime = guessMimeType(file.fileName);
    // The documented field order; OSS requires `file` to be the last field.
    const body = buildMultipart(
      [
        ['OSSAccessKeyId', policy.oss_access_key_id],
        ['Signature', policy.signature],
        ['policy', policy.policy],
        ['key', key],
        ['x-oss-object-acl', policy.x_oss_object_acl],
        ['x-oss-forbid-overwrite', policy.x_oss_forbid_overwrite],
        ['success_action_status', '200'],
        ['x-oss-content-type', mime],
      ],
      { field: 'file', fileName: file.fileName, contentType: mime, path: file.path, size: file.size },
    );
    // No Authorization here: this goes to OSS, which authenticates by the signed policy.
    const ans = await exchange('upload', {
      method: 'POST',
      url: policy.upload_host,
      headers: {
        accept: 'application/json',
        'user-agent': userAgent,
        date: new Date(now()).toUTCString(),
        'content-type': body.contentType,
        'content-length': String(body.contentLength),
      },
      body: () => Readable.from(body.stream()),
    });
    if (ans.status < 200 || ans.status >= 300) throw ossError('upload', ans);
    return key;
  }

  /** OSS answers errors in XML: `<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`. */
  function ossError(op: DashScopeOperation, ans: HttpAnswer): DashScopeError {
    if (parseJsonObject(ans.text) !== undefined) return httpError(op, ans);
    const tag = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(ans.text)?.[1];
    const code = tag('Code') ?? 'Unknown';
    const requestId = tag('RequestId') ?? headerValue(ans.headers, 'x-oss-request-id');
    const retryAfterMs = parseRetryAfter(headerValue(ans.headers, 'retry-after'), now());
    return fail(op, { kind: 'http', httpStatus: ans.status, code }, {
      code,
      message: tag('Message') ?? truncate(ans.text) ?? `HTTP ${ans.status}`,
      httpStatus: ans.status,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  async function downloadOnce(url: string, destPath: string, signal: AbortSignal | undefined): Promise<DownloadResult> {
    if (isAborted(signal)) {
      throw fail('download', { kind: 'aborted', sent: false }, { code: 'Aborted', message: 'the download was aborted by the caller' });
    }
    let res: Dispatcher.ResponseData;
    try {
      // No Authorization: video URLs are on other hosts and carry their own signature.
      res = await request(url, {
        dispatcher: downloadDispatcher,
        method: 'GET',
        headers: { 'user-agent': userAgent, accept: 'video/*, application/octet-stream' },
        signal: signal ?? null,
        ...timeoutsFor('download'),
      });
    } catch (err) {
      const t = translateNetworkError(err, { aborted: isAborted(signal) });
      throw fail('download', t.cause, { code: t.code, message: `${t.message} (${describeUrl(url)})`, cause: err });
    }
    if (res.statusCode !== 200) {
      let text = '';
      try {
        text = await readLimited(res.body, 64 * 1024);
      } catch {
        // The status is what matters; an unreadable error body changes nothing.
      }
      throw ossError('download', { status: res.statusCode, headers: res.headers, text });
    }
    const contentType = headerValue(res.headers, 'content-type');
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== undefined && !mediaType.startsWith('video/') && mediaType !== 'application/octet-stream' && mediaType !== 'binary/octet-stream') {
      discard(res.body);
      throw fail('download', { kind: 'unexpected-content' }, {
        code: 'UnexpectedContentType',
        message: `expected a video, got ${mediaType} (${describeUrl(url)})`,
        httpStatus: res.statusCode,
      });
    }
    const lengthHeader = headerValue(res.headers, 'content-length');
    const expected = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    let writeError: unknown;
    const out = createWriteStream(destPath);
    out.on('error', (e) => {
      writeError = e;
    });
    try {
      await pipeline(res.body, tap, out, ...(signal !== undefined ? [{ signal }] : []));
    } catch (err) {
      // A disk problem is not a DashScope problem: rethrow it as is (never retried here).
      if (writeError !== undefined) throw writeError;
      const t = translateNetworkError(err, { aborted: isAborted(signal), bodyStarted: true });
      throw fail('download', t.cause, {
        code: t.code,
        message: `${t.message} after ${bytes} bytes (${describeUrl(url)})`,
        httpStatus: res.statusCode,
        cause: err,
      });
    }
    if (expected !== undefined && bytes !== expected) {
      throw fail('download', { kind: 'truncated' }, {
        code: 'TruncatedBody',
        message: `received ${bytes} of ${expected} bytes (${describeUrl(url)})`,
        httpStatus: res.statusCode,
      });
    }
    return { bytes, sha256: hash.digest('hex'), contentType };
  }

  const client: DashScopeClient = {
    baseUrl,

    async submit(endpoint: string, body: RequestBody, opts: SubmitOptions = {}): Promise<SubmitResult> {
      // Without X-DashScope-Async the server refuses with 403 AccessDenied (spec §0). oss:// inputs
      // are resolved only when asked to (spec §1): set it from the option or from the body itself.
      const headers = apiHeaders({ 'content-type': 'application/json', 'x-dashscope-async': 'enable' });
      if (opts.ossResolve === true || containsOssUrl(body)) headers['x-dashscope-ossresourceresolve'] = 'enable';
      const payload = JSON.stringify(body);
      return withRetry('submit', opts.signal, () =>
        apiCall('submit', { method: 'POST', url: apiUrl(endpoint), headers, body: payload, signal: opts.signal }, 'output.task_id', (json) => {
          const task = parseTaskResponse(json);
          return task === undefined
            ? undefined
            : { taskId: task.output.task_id, requestId: task.request_id, status: task.output.task_status, raw: task };
        }),
      );
    },

    async getTask(taskId: string, opts: { signal?: AbortSignal } = {}): Promise<TaskResponse> {
      return withRetry('getTask', opts.signal, () =>
        apiCall(
          'getTask',
          { method: 'GET', url: apiUrl(`/tasks/${encodeURIComponent(taskId)}`), headers: apiHeaders(), signal: opts.signal },
          'output.task_id and output.task_status',
          parseTaskResponse,
        ),
      );
    },

    async cancel(taskId: string): Promise<{ requestId: string }> {
      return withRetry('cancel', undefined, () =>
        apiCall(
          'cancel',
          { method: 'POST', url: apiUrl(`/tasks/${encodeURIComponent(taskId)}/cancel`), headers: apiHeaders() },
          'request_id',
          (json) => {
            const requestId = str(json['request_id']);
            return requestId === undefined ? undefined : { requestId };
          },
        ),
      );
    },

    async listTasks(query: ListTasksQuery): Promise<TaskListPage> {
      const problem = checkListQuery(query);
      if (problem !== undefined) {
        throw new DashScopeError({ operation: 'listTasks', errorClass: 'fatal', code: 'InvalidParameter', message: problem });
      }
      // The SDK uses /tasks without the trailing slash (spec §3).
      const url = apiUrl(`/tasks${buildListQueryString(query)}`);
      return withRetry('listTasks', undefined, () =>
        apiCall('listTasks', { method: 'GET', url, headers: apiHeaders() }, 'data[]', parseTaskListPage),
      );
    },

    async upload(file: { path: string; fileName?: string }, model: string): Promise<{ url: string; expiresAt: Date }> {
      let size: number;
      try {
        const st = await stat(file.path);
        if (!st.isFile()) throw new Error('not a regular file');
        size = st.size;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new DashScopeError({
          operation: 'upload',
          errorClass: 'fatal',
          code: 'InvalidInput',
          message: redact(`cannot read ${file.path}: ${reason}`),
        });
      }
      const fileName = file.fileName ?? path.basename(file.path);
      return withRetry('upload', undefined, async () => {
        // A fresh policy per attempt: a new upload_dir avoids x-oss-forbid-overwrite clashes
        // after an attempt that may have stored the object, and an expired policy is renewed.
        const policy = await getPolicy(model);
        if (policy.max_file_size_mb !== undefined && size > policy.max_file_size_mb * 1024 * 1024) {
          throw new DashScopeError({
            operation: 'upload',
            errorClass: 'fatal',
            code: 'FileTooLarge',
            message: `${fileName} is ${size} bytes; the limit for ${model} is ${policy.max_file_size_mb} MB`,
          });
        }
        const startedAt = now();
        const key = await postToOss(policy, { path: file.path, fileName, size });
        return { url: `oss://${key}`, expiresAt: new Date(startedAt + OSS_URL_LIFETIME_MS) };
      });
    },

    async download(url: string, destPath: string, opts: { signal?: AbortSignal } = {}): Promise<DownloadResult> {
      try {
        // Each attempt rewrites destPath from the start.
        return await withRetry('download', opts.signal, () => downloadOnce(url, destPath, opts.signal));
      } catch (err) {
        await unlink(destPath).catch(() => undefined);
        throw err;
      }
    },

    async close(): Promise<void> {
      if (ownAgent !== undefined && !ownAgent.closed) await ownAgent.close();
    },
  };
  return client;
}

interface UploadPolicy {
  policy: string;
  signature: string;
  upload_dir: string;
  upload_host: string;
  oss_access_key_id: string;
  x_oss_object_acl: string;
  x_oss_forbid_overwrite: string;
  max_file_size_mb?: number;
}

function parsePolicy(json: Record<string, unknown>): UploadPolicy | undefined {
  const data = json['data'];
  if (!isObject(data)) return undefined;
  const need = ['policy', 'signature', 'upload_dir', 'upload_host', 'oss_access_key_id'] as const;
  const out: Record<string, string> = {};
  for (const k of need) {
    const v = str(data[k]);
    if (v === undefined || v === '') return undefined;
    out[k] = v;
  }
  const max = data['max_file_size_mb'];
  return {
    policy: out['policy'] as string,
    signature: out['signature'] as string,
    upload_dir: (out['upload_dir'] as string).replace(/\/+$/, ''),
    upload_host: out['upload_host'] as string,
    oss_access_key_id: out['oss_access_key_id'] as string,
    x_oss_object_acl: str(data['x_oss_object_acl']) ?? 'private',
    x_oss_forbid_overwrite: str(data['x_oss_forbid_overwrite']) ?? 'true',
    ...(typeof max === 'number' && max > 0 ? { max_file_size_mb: max } : {}),
  };
}

function parseTaskResponse(json: Record<string, unknown>): TaskResponse | undefined {
  const output = json['output'];
  if (!isObject(output)) return undefined;
  if (typeof output['task_id'] !== 'string' || typeof output['task_status'] !== 'string') return undefined;
  // Kept verbatim (snapshots store what the server said); request_id defaults to '' if absent.
  return { ...json, request_id: str(json['request_id']) ?? '', output } as unknown as TaskResponse;
}

function parseTaskListPage(json: Record<string, unknown>): TaskListPage | undefined {
  const data = json['data'];
  if (!Array.isArray(data) || !data.every((row) => isObject(row) && typeof row['task_id'] === 'string')) return undefined;
  const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : dflt);
  return {
    ...json,
    request_id: str(json['request_id']) ?? '',
    total: num(json['total'], data.length),
    total_page: num(json['total_page'], 1),
    page_no: num(json['page_no'], 1),
    page_size: num(json['page_size'], data.length),
    data,
  } as TaskListPage;
}

/** True when any string in the body is an oss:// URL (the server must then be told to resolve it). */
export function containsOssUrl(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('oss://');
  if (Array.isArray(value)) return value.some(containsOssUrl);
  if (isObject(value)) return Object.values(value).some(containsOssUrl);
  return false;
}

/** Drop a response body we will not read (the connection is then not reused). */
function discard(body: { destroy(): unknown; on(event: 'error', fn: () => void): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readLimited(body: AsyncIterable<unknown> & { destroy(): unknown; on(event: 'error', fn: () => void): unknown }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      discard(body);
      chunks.push(buf.subarray(0, Math.max(0, buf.length - (size - limit))));
      break;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A function, not an inline check, so TypeScript does not narrow `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function truncate(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return t.length > RAW_TEXT_LIMIT ? `${t.slice(0, RAW_TEXT_LIMIT)}…` : t;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Host and path only: signed query strings (Expires, Signature…) stay out of messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Keep a cause for debugging, but never one whose message could carry the key. */
function scrubCause(cause: unknown, redact: (s: string) => string): unknown {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
