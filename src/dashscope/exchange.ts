// One HTTP exchange and one retry loop for every call of the client: the keep-alive dispatcher,
// the headers, the translation of what went wrong into a classified DashScopeError (the API key
// redacted from all of it), and the per-operation retry policy. The API key lives only in here.
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { classifyError, type DashScopeOperation, type FailureCause } from '../core/task/classify-error.js';
import { TOOL_VERSION } from '../version.js';
import { DashScopeError, translateNetworkError } from './errors.js';
import { nextRetryDelayMs, parseRetryAfter, resolveRetryPolicies, type RetryPolicy } from './retry.js';
import { headerValue, parseJsonObject, str, truncate } from './wire.js';

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

/** What the exchange needs, already checked by createDashScopeClient. */
export interface ExchangeSettings {
  apiKey: string;
  /** Without a trailing slash. */
  baseUrl: string;
  workspace?: string | undefined;
  timeouts?: ClientTimeouts | undefined;
  retry?: Partial<Record<DashScopeOperation, Partial<RetryPolicy>>> | undefined;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
  dispatcher?: Dispatcher | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface AttemptRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | (() => Readable);
  signal?: AbortSignal | undefined;
}

export interface FailInit {
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** The shared machinery the client's concerns (tasks, uploads, downloads) are built on. */
export interface Exchange {
  readonly baseUrl: string;
  readonly userAgent: string;
  /** For following video URLs: redirects allowed (API calls never follow one). */
  readonly downloadDispatcher: Dispatcher;
  now(): number;
  redact(s: string): string;
  fail(operation: DashScopeOperation, cause: FailureCause, init: FailInit): DashScopeError;
  timeoutsFor(op: DashScopeOperation): { headersTimeout: number; bodyTimeout: number };
  apiHeaders(extra?: Record<string, string>): Record<string, string>;
  apiUrl(p: string): string;
  /** One HTTP exchange that buffers the (small) response; network failures become DashScopeErrors. */
  exchange(op: DashScopeOperation, req: AttemptRequest): Promise<HttpAnswer>;
  /** The error for a non-2xx answer from the DashScope API: `{request_id, code, message}`, or raw text. */
  httpError(op: DashScopeOperation, ans: HttpAnswer): DashScopeError;
  /** The error for a non-2xx answer from OSS (XML), or from the API when it is JSON. */
  ossError(op: DashScopeOperation, ans: HttpAnswer): DashScopeError;
  /** A JSON API call: on 2xx `parse` extracts the result (undefined = malformed, naming `what` was missing). */
  apiCall<T>(op: DashScopeOperation, req: AttemptRequest, what: string, parse: (json: Record<string, unknown>) => T | undefined): Promise<T>;
  /**
   * Run `attempt` under the operation's policy. Only `retryable` DashScopeErrors of this same
   * operation are retried (a nested call, e.g. getPolicy inside upload, has its own loop);
   * uncertain/fatal ones and anything else are thrown at once.
   */
  withRetry<T>(op: DashScopeOperation, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
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

/** JSON answers are small; a larger one is treated as malformed instead of being buffered. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

export function createExchange(settings: ExchangeSettings): Exchange {
  const { apiKey, baseUrl, workspace } = settings;
  const policies = resolveRetryPolicies(settings.retry);
  const sleep = settings.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const random = settings.random ?? Math.random;
  const now = settings.now ?? Date.now;
  const onRetry = settings.onRetry;
  const { operations: _perOperation, ...general } = settings.timeouts ?? {};
  const timeouts = { ...DEFAULT_TIMEOUTS, ...stripUndefined(general) };
  const opTimeouts = { ...DEFAULT_OPERATION_TIMEOUTS, ...(settings.timeouts?.operations ?? {}) };
  const userAgent = `pixverse-batch/${TOOL_VERSION} (node ${process.version})`;

  // One keep-alive Agent per client, so polls reuse connections; closed by close().
  const ownAgent =
    settings.dispatcher === undefined
      ? new Agent({ connect: { timeout: timeouts.connectMs }, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.bodyMs })
      : undefined;
  const dispatcher: Dispatcher = settings.dispatcher ?? (ownAgent as Agent);
  // Video hosts may redirect; API calls never should (and must not carry the key elsewhere).
  const downloadDispatcher = dispatcher.compose(interceptors.redirect({ maxRedirections: 3 }));

  /** Nothing leaves this client with the key in it, not even a server echo. */
  const redact = (s: string): string => (s.includes(apiKey) ? s.split(apiKey).join('[redacted]') : s);

  const fail = (operation: DashScopeOperation, cause: FailureCause, init: FailInit): DashScopeError =>
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

  const x: Exchange = {
    baseUrl,
    userAgent,
    downloadDispatcher,
    now,
    redact,
    fail,
    timeoutsFor,
    apiHeaders: (extra = {}) => ({
      authorization: `Bearer ${apiKey}`,
      accept: 'application/json',
      'user-agent': userAgent,
      ...(workspace !== undefined ? { 'x-dashscope-workspace': workspace } : {}),
      ...extra,
    }),
    apiUrl: (p) => `${baseUrl}${p.startsWith('/') ? p : `/${p}`}`,
    exchange: (op, req) => exchangeOnce(x, dispatcher, op, req),
    httpError: (op, ans) => httpError(x, op, ans),
    ossError: (op, ans) => ossError(x, op, ans),
    async apiCall(op, req, what, parse) {
      const ans = await x.exchange(op, req);
      if (ans.status < 200 || ans.status >= 300) throw x.httpError(op, ans);
      const json = parseJsonObject(ans.text);
      const out = json === undefined ? undefined : parse(json);
      if (out === undefined) throw malformed(x, op, ans, json, what);
      return out;
    },
    async withRetry(op, signal, attempt) {
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
    },
    async close() {
      if (ownAgent !== undefined && !ownAgent.closed) await ownAgent.close();
    },
  };
  return x;
}

async function exchangeOnce(x: Exchange, dispatcher: Dispatcher, op: DashScopeOperation, req: AttemptRequest): Promise<HttpAnswer> {
  if (isAborted(req.signal)) {
    throw x.fail(op, { kind: 'aborted', sent: false }, { code: 'Aborted', message: 'the request was aborted by the caller' });
  }
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      dispatcher,
      method: req.method,
      headers: req.headers,
      body: typeof req.body === 'function' ? req.body() : (req.body ?? null),
      signal: req.signal ?? null,
      ...x.timeoutsFor(op),
    });
  } catch (err) {
    const t = translateNetworkError(err, { aborted: isAborted(req.signal) });
    throw x.fail(op, t.cause, { code: t.code, message: t.message, cause: err });
  }
  let text: string;
  try {
    text = await readLimited(res.body, MAX_JSON_BYTES);
  } catch (err) {
    const t = translateNetworkError(err, { aborted: isAborted(req.signal), bodyStarted: true });
    throw x.fail(op, t.cause, { code: t.code, message: t.message, httpStatus: res.statusCode, cause: err });
  }
  return { status: res.statusCode, headers: res.headers, text };
}

function httpError(x: Exchange, op: DashScopeOperation, ans: HttpAnswer): DashScopeError {
  const json = parseJsonObject(ans.text);
  const code = str(json?.['code']) ?? 'Unknown';
  const message = str(json?.['message']) ?? str(json?.['msg']) ?? truncate(ans.text) ?? `HTTP ${ans.status}`;
  const requestId = str(json?.['request_id']) ?? headerValue(ans.headers, 'x-request-id');
  const retryAfterMs = parseRetryAfter(headerValue(ans.headers, 'retry-after'), x.now());
  return x.fail(op, { kind: 'http', httpStatus: ans.status, code }, {
    code,
    message,
    httpStatus: ans.status,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** A 2xx we cannot use. Non-JSON is reported as code 'Unknown' with the raw text, like the SDK. */
function malformed(x: Exchange, op: DashScopeOperation, ans: HttpAnswer, json: Record<string, unknown> | undefined, what: string): DashScopeError {
  const requestId = str(json?.['request_id']) ?? headerValue(ans.headers, 'x-request-id');
  return x.fail(op, { kind: 'malformed', httpStatus: ans.status }, {
    code: json === undefined ? 'Unknown' : 'MalformedResponse',
    message: json === undefined ? (truncate(ans.text) ?? '(empty body)') : `response without ${what}`,
    httpStatus: ans.status,
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

/** OSS answers errors in XML: `<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`. */
function ossError(x: Exchange, op: DashScopeOperation, ans: HttpAnswer): DashScopeError {
  if (parseJsonObject(ans.text) !== undefined) return httpError(x, op, ans);
  const tag = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(ans.text)?.[1];
  const code = tag('Code') ?? 'Unknown';
  const requestId = tag('RequestId') ?? headerValue(ans.headers, 'x-oss-request-id');
  const retryAfterMs = parseRetryAfter(headerValue(ans.headers, 'retry-after'), x.now());
  return x.fail(op, { kind: 'http', httpStatus: ans.status, code }, {
    code,
    message: tag('Message') ?? truncate(ans.text) ?? `HTTP ${ans.status}`,
    httpStatus: ans.status,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** Drop a response body we will not read (the connection is then not reused). */
export function discard(body: { destroy(): unknown; on(event: 'error', fn: () => void): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

export async function readLimited(body: AsyncIterable<unknown> & { destroy(): unknown; on(event: 'error', fn: () => void): unknown }, limit: number): Promise<string> {
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

/** A function, not an inline check, so TypeScript does not narrow `aborted` across awaits. */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
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
