// Fault markers: `[[name]]` or `[[name:arg]]` tokens in `input.prompt` (see README.md).
// They are deterministic per request body or per task, so tests can script failures.

export interface Markers {
  /** The task ends FAILED with this code. */
  fail?: string;
  submit429?: number;
  submit500?: number;
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

const MARKER_RE = /\[\[([a-z0-9-]+)(?::([^\]]*))?\]\]/g;

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
