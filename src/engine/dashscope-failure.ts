// The engine sees client failures through the core's ErrorClass only. DashScopeError (the
// client's class) carries it; anything else (a bug, a file system error) is treated as unknown.
import type { ErrorClass } from '../core/task/classify-error.js';

export interface Failure {
  errorClass: ErrorClass | 'unknown';
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  retryAfterMs?: number;
}

export function describeFailure(e: unknown): Failure {
  if (e !== null && typeof e === 'object' && 'errorClass' in e && 'code' in e) {
    const d = e as { errorClass: ErrorClass; code: string; message?: string; httpStatus?: number; requestId?: string; retryAfterMs?: number };
    return {
      errorClass: d.errorClass,
      code: String(d.code),
      message: String(d.message ?? ''),
      ...(d.httpStatus !== undefined ? { httpStatus: d.httpStatus } : {}),
      ...(d.requestId ? { requestId: d.requestId } : {}),
      ...(d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {}),
    };
  }
  return { errorClass: 'unknown', code: 'LocalError', message: e instanceof Error ? e.message : String(e) };
}
