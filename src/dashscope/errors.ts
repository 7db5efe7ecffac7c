// The one error type the client throws, and the translation of low-level failures (Node/undici
// error codes) into the pure core's `FailureCause`. No undici import: errors are recognised by
// their `code` strings, so fakes in engine tests can build DashScopeErrors freely.
import type { DashScopeOperation, ErrorClass, FailureCause } from '../core/task/classify-error.js';

export interface DashScopeErrorInit {
  operation: DashScopeOperation;
  errorClass: ErrorClass;
  /** DashScope's `code` verbatim; 'Unknown' for a non-JSON body; a synthetic code (e.g. 'ConnectionReset') when no response came. */
  code: string;
  /** The server's `message` verbatim (secrets redacted), or a description of the local failure. */
  message: string;
  httpStatus?: number;
  requestId?: string;
  /** From the Retry-After header, in ms. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up (1 = no retry). */
  attempts?: number;
  cause?: unknown;
}

export class DashScopeError extends Error {
  override readonly name = 'DashScopeError';
  readonly operation: DashScopeOperation;
  readonly errorClass: ErrorClass;
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  attempts: number;

  constructor(init: DashScopeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.errorClass = init.errorClass;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }

  /** A plain record for ledgers and `--json` output (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      operation: this.operation,
      errorClass: this.errorClass,
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
    };
  }
}

export function isDashScopeError(e: unknown): e is DashScopeError {
  return e instanceof DashScopeError;
}

/**
 * One line for users: `code: message (HTTP 400, request_id …)`. Without a response it names the
 * operation instead: `ConnectionReset: other side closed (submit, no response)`.
 */
export function formatDashScopeError(e: DashScopeError): string {
  const where: string[] = [];
  if (e.httpStatus !== undefined) where.push(`HTTP ${e.httpStatus}`);
  else where.push(`${e.operation}, no response`);
  if (e.requestId !== undefined && e.requestId !== '') where.push(`request_id ${e.requestId}`);
  return `${e.code}: ${e.message} (${where.join(', ')})`;
}

/** A low-level failure translated: what the core classifies, and the code/message we report. */
export interface TranslatedFailure {
  cause: FailureCause;
  code: string;
  message: string;
}

const BEFORE_SEND_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'ConnectionRefused',
  ENOTFOUND: 'HostNotFound',
  EAI_AGAIN: 'HostNotFound',
  EHOSTUNREACH: 'NetworkUnreachable',
  ENETUNREACH: 'NetworkUnreachable',
  EADDRNOTAVAIL: 'NetworkUnreachable',
};

/**
 * Map a thrown Node/undici error to a FailureCause. `sent` tells whether the request may have
 * left the machine (false only while connecting). A reset is always `after-send`: on a reused
 * keep-alive socket undici cannot tell whether the server read the request, so neither can we.
 */
export function translateNetworkError(err: unknown, opts: { aborted: boolean; bodyStarted?: boolean }): TranslatedFailure {
  const code = errorCode(err);
  const message = err instanceof Error && err.message !== '' ? err.message : String(err);
  if (opts.aborted || code === 'UND_ERR_ABORTED' || (err instanceof Error && err.name === 'AbortError')) {
    return { cause: { kind: 'aborted', sent: true }, code: 'Aborted', message: 'the request was aborted by the caller' };
  }
  if (code !== undefined && BEFORE_SEND_CODES[code] !== undefined) {
    return { cause: { kind: 'network', stage: 'before-send' }, code: BEFORE_SEND_CODES[code] ?? 'NetworkError', message };
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { cause: { kind: 'timeout', stage: 'connect' }, code: 'ConnectTimeout', message };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { cause: { kind: 'timeout', stage: 'headers' }, code: 'HeadersTimeout', message };
    case 'UND_ERR_BODY_TIMEOUT':
      return { cause: { kind: 'timeout', stage: 'body' }, code: 'BodyTimeout', message };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { cause: { kind: 'truncated' }, code: 'TruncatedBody', message };
  }
  if (opts.bodyStarted === true) {
    // The connection died while the body was streaming: the response is incomplete.
    return { cause: { kind: 'truncated' }, code: 'TruncatedBody', message };
  }
  return { cause: { kind: 'network', stage: 'after-send' }, code: 'ConnectionReset', message };
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  // Node's happy-eyeballs connect (autoSelectFamily) throws an AggregateError of per-address errors.
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const c = errorCode(inner);
      if (c !== undefined) return c;
    }
  }
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err ? errorCode(cause) : undefined;
}
