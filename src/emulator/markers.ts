// Fault markers: `[[name]]` or `[[name:arg]]` tokens in `input.prompt` (see README.md).
// They are deterministic per request body or per task, so tests can script failures.

export interface Markers {
  /** The task ends FAILED with this code. */
  fail?: string;
  submit429?: number;
  submit500?: number;
  submit503?: number;
  /** The first N submits of this body create the task, then answer 500 (the answer is lost). */
  submit500AfterCreate?: number;
  /** The first submit of this body is preceded by N tasks of another client on the account. */
  foreign?: number;
  resetAfterCreate?: boolean;
  resetBeforeCreate?: boolean;
  poll503?: number;
  poll429?: number;
  malformed?: number;
  /** Delay in real ms for every response concerning this body/task. */
  slowMs?: number;
  downloadFail?: number;
  downloadTruncate?: number;
  /** Reported as `shotHint` in the stats. */
  shot?: string;
}

/** Every marker with its syntax and effect, for `pixverse emulator --help` (same as README.md). */
export const MARKER_HELP: ReadonlyArray<readonly [syntax: string, effect: string]> = [
  ['[[fail:CODE]]', 'the task is created, then ends FAILED with CODE (e.g. InternalError, DataInspectionFailed)'],
  ['[[submit-429:N]]', 'the first N submits of this body answer 429 Throttling.RateQuota (with Retry-After: 1)'],
  ['[[submit-500:N]]', 'the first N submits of this body answer 500 InternalError; no task is created'],
  ['[[submit-503:N]]', 'the first N submits of this body answer 503 ModelUnavailable; no task is created'],
  ['[[submit-500-after-create:N]]', 'the first N submits of this body create the task, then answer 500 InternalError (the answer is lost)'],
  ['[[foreign:N]]', "just before this body's first submit, another client on the account creates N tasks of the same model and parameters with other prompts"],
  ['[[reset-after-create]]', 'the first submit of this body creates the task, then drops the connection'],
  ['[[reset-before-create]]', 'the first submit of this body drops the connection; no task is created'],
  ['[[poll-503:N]]', 'the first N GETs of the task answer 503 ModelUnavailable'],
  ['[[poll-429:N]]', 'then N GETs answer 429 Throttling'],
  ['[[malformed:N]]', 'then N GETs answer HTTP 200 with a truncated, non-JSON body'],
  ['[[slow:MS]]', 'every response about this body or task is delayed MS real milliseconds'],
  ['[[download-fail:N]]', "the first N downloads of the task's video answer 500"],
  ['[[download-truncate:N]]', 'then N downloads send half the video with the full Content-Length'],
  ['[[shot:ID]]', 'reported as shotHint in the stats'],
];

export const MARKER_RE = /\[\[([a-z0-9-]+)(?::([^\]]*))?\]\]/g;

export function parseMarkers(prompt: unknown): Markers {
  const markers: Markers = {};
  if (typeof prompt !== 'string' || !prompt.includes('[[')) return markers;
  for (const m of prompt.matchAll(MARKER_RE)) {
    const name = m[1];
    const arg = m[2];
    const count = arg === undefined ? 1 : Math.max(0, Number.parseInt(arg, 10) || 0);
    switch (name) {
      case 'fail':
        markers.fail = arg && arg.length > 0 ? arg : 'InternalError';
        break;
      case 'submit-429':
        markers.submit429 = count;
        break;
      case 'submit-500':
        markers.submit500 = count;
        break;
      case 'submit-503':
        markers.submit503 = count;
        break;
      case 'submit-500-after-create':
        markers.submit500AfterCreate = count;
        break;
      case 'foreign':
        markers.foreign = count;
        break;
      case 'reset-after-create':
        markers.resetAfterCreate = true;
        break;
      case 'reset-before-create':
        markers.resetBeforeCreate = true;
        break;
      case 'poll-503':
        markers.poll503 = count;
        break;
      case 'poll-429':
        markers.poll429 = count;
        break;
      case 'malformed':
        markers.malformed = count;
        break;
      case 'slow':
        markers.slowMs = count;
        break;
      case 'download-fail':
        markers.downloadFail = count;
        break;
      case 'download-truncate':
        markers.downloadTruncate = count;
        break;
      case 'shot':
        if (arg) markers.shot = arg;
        break;
      default:
        // Unknown markers are plain prompt text.
        break;
    }
  }
  return markers;
}

/** Realistic messages for task-level failure codes (output.code / output.message). */
export function failureMessage(code: string): string {
  switch (code) {
    case 'InternalError':
      return 'An internal error has occured, please try again later or contact service support.';
    case 'InternalError.Timeout':
      return 'The task has not produced a result within 3 hours, please try again later.';
    case 'DataInspectionFailed':
      return 'Output data may contain inappropriate content.';
    case 'IPInfringementSuspect':
      return 'Input data is suspected of being involved in IP infringement.';
    case 'InvalidParameter':
      return 'The request parameters are invalid for this model.';
    case 'InvalidURL':
      return 'Failed to download the input media from the given URL.';
    default:
      return `The task failed (${code}).`;
  }
}
