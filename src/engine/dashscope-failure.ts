// The engine sees client failures through the core's ErrorClass only. DashScopeError (the
// client's class) carries it; anything else (a bug, a file system error) is treated as unknown.
import type { DashScopeOperation, ErrorClass } from '../core/task/classify-error.js';

export interface Failure {
  errorClass: ErrorClass | 'unknown';
  /** The client call that failed, when it was one. */
  operation?: DashScopeOperation;
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  retryAfterMs?: number;
}

export function describeFailure(e: unknown): Failure {
  if (e !== null && typeof e === 'object' && 'errorClass' in e && 'code' in e) {
    const d = e as { errorClass: ErrorClass; operation?: DashScopeOperation; code: string; message?: string; httpStatus?: number; requestId?: string; retryAfterMs?: number };
    return {
      errorClass: d.errorClass,
      ...(d.operation ? { operation: d.operation } : {}),
      code: String(d.code),
      message: String(d.message ?? ''),
      ...(d.httpStatus !== undefined ? { httpStatus: d.httpStatus } : {}),
      ...(d.requestId ? { requestId: d.requestId } : {}),
      ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
    };
  }
  return { errorClass: 'unknown', code: 'LocalError', message: e instanceof Error ? e.message : String(e) };
}
