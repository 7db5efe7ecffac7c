// Pure classification of a failed DashScope call into retryable / fatal / uncertain.
// No I/O here: the HTTP adapter (src/dashscope) translates what it saw on the wire (an HTTP
// status and code, a socket error, a timeout, an unreadable body) into a `FailureCause` and
// asks this module what it means for the operation that failed.
//
// The rule that shapes everything: a submit may create (and bill) a task. So for `submit` only
// failures where no task can have been created are `retryable` (connection refused or connect
// timeout, i.e. nothing was sent; 429 throttling, i.e. rejected at the gate). Anything after the
// request left the machine without a clear answer is `uncertain`, and every other 4xx is `fatal`.
// GETs are harmless to repeat, so for them throttling, 5xx, resets, timeouts and unreadable
// bodies are all `retryable`.
/**
 * How a failed call is to be treated: `retryable` (nothing was done server-side, or doing it again
 * is harmless), `fatal` (the request itself is wrong or not allowed; never retry blindly),
 * `uncertain` (a submit whose outcome is unknown: a task may exist and be billed; reconcile
 * through the task list before sending again). The one definition; the adapter re-exports it.
 */
export type ErrorClass = 'retryable' | 'fatal' | 'uncertain';

/** The calls the client makes; each has its own retry policy and classification. */
export type DashScopeOperation =
  | 'submit'
  | 'getTask'
  | 'listTasks'
  | 'cancel'
  | 'getPolicy'
  | 'upload'
  | 'download';

export const DASHSCOPE_OPERATIONS: readonly DashScopeOperation[] = [
  'submit',
  'getTask',
  'listTasks',
  'cancel',
  'getPolicy',
  'upload',
  'download',
];

/** What went wrong, as observed by the adapter. */
export type FailureCause =
  /** The server answered with a non-2xx status. `code` is 'Unknown' when the body was not JSON (as the SDK does). */
  | { kind: 'http'; httpStatus: number; code: string }
  /** A 2xx whose body is unusable (not JSON, or missing the fields the operation needs). */
  | { kind: 'malformed'; httpStatus: number }
  /**
   * A socket-level failure. `before-send`: provably nothing reached the server (connection
   * refused, DNS failure, unreachable network). `after-send`: the connection broke after (or
   * possibly after) the request was written: reset, "other side closed", broken pipe.
   */
  | { kind: 'network'; stage: 'before-send' | 'after-send' }
  /** `connect`: no connection within the connect timeout (nothing sent). `headers`/`body`: sent, no (complete) answer in time. */
  | { kind: 'timeout'; stage: 'connect' | 'headers' | 'body' }
  /** A response body shorter than its Content-Length (download). */
  | { kind: 'truncated' }
  /** A 2xx with content we refuse to store, e.g. an HTML page instead of a video. */
  | { kind: 'unexpected-content' }
  /** The caller aborted through its AbortSignal; `sent` says whether the request may have left. */
  | { kind: 'aborted'; sent: boolean };

/** How the docs (spec §4) advise on a code: retry, do not retry, or "maybe". */
export type CodeAdvice = 'retry' | 'no-retry' | 'maybe';

export interface DocumentedCode {
  httpStatus: number;
  advice: CodeAdvice;
  meaning: string;
}

/**
 * Every code of the spec §4 table with its HTTP status and the docs' advice. The advice is
 * about the *situation* (e.g. "resubmit later"); what the client does on the wire is decided by
 * `classifyError`, which depends on the operation.
 */
export const DOCUMENTED_ERROR_CODES: Readonly<Record<string, DocumentedCode>> = {
  InvalidParameter: { httpStatus: 400, advice: 'no-retry', meaning: 'bad or missing parameter' },
  DataInspectionFailed: { httpStatus: 400, advice: 'no-retry', meaning: 'content moderation rejected input or output' },
  data_inspection_failed: { httpStatus: 400, advice: 'no-retry', meaning: 'content moderation rejected input or output' },
  IPInfringementSuspect: { httpStatus: 400, advice: 'no-retry', meaning: 'input suspected of IP infringement' },
  Arrearage: { httpStatus: 400, advice: 'no-retry', meaning: 'account overdue' },
  InvalidURL: { httpStatus: 400, advice: 'maybe', meaning: 'input URL cannot be fetched' },
  'InvalidURL.Timeout': { httpStatus: 400, advice: 'maybe', meaning: 'input URL download timed out' },
  'BadRequest.InputDownloadFailed': { httpStatus: 400, advice: 'maybe', meaning: 'input URL download failed' },
  'InvalidParameter.DataInspection': { httpStatus: 400, advice: 'maybe', meaning: 'input URL unreadable (or missing OSS resolve header)' },
  'BadRequest.EmptyInput': { httpStatus: 400, advice: 'no-retry', meaning: 'missing input' },
  'BadRequest.EmptyParameters': { httpStatus: 400, advice: 'no-retry', meaning: 'missing parameters' },
  'BadRequest.EmptyModel': { httpStatus: 400, advice: 'no-retry', meaning: 'missing model' },
  UnsupportedOperation: { httpStatus: 400, advice: 'no-retry', meaning: 'operation not allowed in this state (cancel of a non-PENDING task)' },
  InvalidApiKey: { httpStatus: 401, advice: 'no-retry', meaning: 'bad API key or wrong region' },
  AccessDenied: { httpStatus: 403, advice: 'no-retry', meaning: 'not allowed (missing async header, expired upload policy…)' },
  'AccessDenied.Unpurchased': { httpStatus: 403, advice: 'no-retry', meaning: 'model not purchased' },
  'Model.AccessDenied': { httpStatus: 403, advice: 'no-retry', meaning: 'no access to the model' },
  'Workspace.AccessDenied': { httpStatus: 403, advice: 'no-retry', meaning: 'no access to the workspace' },
  'AllocationQuota.FreeTierOnly': { httpStatus: 403, advice: 'no-retry', meaning: 'free tier exhausted' },
  ModelNotFound: { httpStatus: 404, advice: 'no-retry', meaning: 'wrong model name or model not activated' },
  Throttling: { httpStatus: 429, advice: 'retry', meaning: 'requests throttled' },
  'Throttling.RateQuota': { httpStatus: 429, advice: 'retry', meaning: 'RPS/RPM limit' },
  LimitRequests: { httpStatus: 429, advice: 'retry', meaning: 'RPS/RPM limit' },
  'Throttling.BurstRate': { httpStatus: 429, advice: 'retry', meaning: 'request rate increased too quickly' },
  limit_burst_rate: { httpStatus: 429, advice: 'retry', meaning: 'request rate increased too quickly' },
  'Throttling.AllocationQuota': { httpStatus: 429, advice: 'maybe', meaning: 'TPM/TPS or free quota exceeded' },
  insufficient_quota: { httpStatus: 429, advice: 'maybe', meaning: 'TPM/TPS or free quota exceeded' },
  CommodityNotPurchased: { httpStatus: 429, advice: 'no-retry', meaning: 'billing: commodity not purchased' },
  PrepaidBillOverdue: { httpStatus: 429, advice: 'no-retry', meaning: 'billing: prepaid bill overdue' },
  PostpaidBillOverdue: { httpStatus: 429, advice: 'no-retry', meaning: 'billing: postpaid bill overdue' },
  InternalError: { httpStatus: 500, advice: 'retry', meaning: 'internal error, try again later' },
  'InternalError.Algo': { httpStatus: 500, advice: 'retry', meaning: 'algorithm error, try again later' },
  SystemError: { httpStatus: 500, advice: 'retry', meaning: 'system error, try again later' },
  ModelServiceFailed: { httpStatus: 500, advice: 'retry', meaning: 'model service failed, try again later' },
  'InternalError.Timeout': { httpStatus: 500, advice: 'retry', meaning: 'async task gave no result within 3 h; resubmit' },
  RequestTimeOut: { httpStatus: 500, advice: 'retry', meaning: 'request timed out' },
  ModelUnavailable: { httpStatus: 503, advice: 'retry', meaning: 'capacity' },
  ModelServingError: { httpStatus: 503, advice: 'retry', meaning: 'capacity' },
};

/**
 * 429 codes that are billing problems, not rate limits: waiting does not help.
 * (They share the status with throttling; the code is the only way to tell them apart.)
 */
const BILLING_429_CODES: ReadonlySet<string> = new Set([
  'CommodityNotPurchased',
  'PrepaidBillOverdue',
  'PostpaidBillOverdue',
]);

/** Operations that only read, or whose repetition is harmless (a second cancel just fails with 400). */
function isRepeatable(op: DashScopeOperation): boolean {
  return op !== 'submit';
}

/**
 * Classify one failed call. Total and pure: every (operation, cause) pair has an answer.
 *
 * submit: retryable only if no task can exist (refused/unreachable before sending, connect
 *   timeout, 429 throttling); 5xx (incl. 500 InternalError, which the server may send after
 *   creating the task), resets after sending, header/body timeouts and unreadable 2xx bodies are
 *   `uncertain`; every other 4xx is `fatal`.
 * getTask / listTasks / getPolicy / download / cancel / upload: 429 throttling, 5xx, any network
 *   failure, timeouts, unreadable or truncated bodies are `retryable`; other 4xx are `fatal`
 *   (e.g. cancel's 400 UnsupportedOperation, an expired download URL's 403).
 *   (upload re-runs getPolicy + POST, so a fresh upload_dir avoids x-oss-forbid-overwrite clashes.)
 */
export function classifyError(operation: DashScopeOperation, cause: FailureCause): ErrorClass {
  switch (cause.kind) {
    case 'http':
      return classifyHttp(operation, cause.httpStatus, cause.code);
    case 'malformed':
      return isRepeatable(operation) ? 'retryable' : 'uncertain';
    case 'network':
      if (cause.stage === 'before-send') return 'retryable';
      return isRepeatable(operation) ? 'retryable' : 'uncertain';
    case 'timeout':
      if (cause.stage === 'connect') return 'retryable';
      return isRepeatable(operation) ? 'retryable' : 'uncertain';
    case 'truncated':
      return isRepeatable(operation) ? 'retryable' : 'uncertain';
    case 'unexpected-content':
      return 'fatal';
    case 'aborted':
      // The caller stopped us; the class only matters for what it says about server state.
      if (!cause.sent) return 'retryable';
      return isRepeatable(operation) ? 'retryable' : 'uncertain';
  }
}

function classifyHttp(operation: DashScopeOperation, status: number, code: string): ErrorClass {
  if (status === 429) {
    return BILLING_429_CODES.has(code) ? 'fatal' : 'retryable';
  }
  if (status >= 500) {
    // A 5xx on submit may come after the task was created (the emulator and the real service
    // both can): the outcome is unknown, reconcile through the task list before resubmitting.
    return isRepeatable(operation) ? 'retryable' : 'uncertain';
  }
  if (status === 408 && isRepeatable(operation)) return 'retryable';
  if (status >= 400) return 'fatal';
  // 1xx/3xx reaching here means a response we cannot use (e.g. an unfollowed redirect).
  return isRepeatable(operation) ? 'retryable' : 'uncertain';
}

/**
 * For a task that ended FAILED (HTTP 200, `output.code`): could a fresh submit of the same body
 * succeed? True for the server-side failures the docs advise to resubmit (internal errors,
 * timeouts, input download hiccups); false for moderation, parameter and account problems.
 */
export function isTransientTaskFailure(code: string | undefined): boolean {
  if (code === undefined) return false;
  const doc = DOCUMENTED_ERROR_CODES[code];
  if (doc === undefined) return false;
  if (doc.httpStatus >= 500) return true;
  return code === 'InvalidURL.Timeout' || code === 'BadRequest.InputDownloadFailed';
}
