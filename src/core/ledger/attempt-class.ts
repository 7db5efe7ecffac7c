// What one attempt of a shot means, written once: the render decision (core/plan), `status` and
// the report (core/report) all read an attempt through `classifyAttempt`, so what counts as live,
// held, failed or free to send again can never differ between them.
import { isAccountRefusal } from '../task/run-stop.js';
import { isThrottlingCode } from '../task/backoff.js';
import type { AttemptState } from './fold-ledger.js';

export type AttemptClass =
  /** An intent with no recorded answer, or an uncertain submit: a task may exist (reconcile first). */
  | { kind: 'open' }
  /** Submitted, its task PENDING, RUNNING or not polled yet. */
  | { kind: 'live' }
  /** Its task SUCCEEDED; the video is not downloaded (`downloadError` when a download failed). */
  | { kind: 'succeeded'; downloadError?: string }
  /** Its video was downloaded. */
  | { kind: 'rendered' }
  /** Its task ended without a video (or was canceled, by us or on the server). */
  | { kind: 'ended'; status: 'FAILED' | 'UNKNOWN' | 'CANCELED' }
  /**
   * Refused at submit. `own`: a 4xx that is the request's own fault (held until --retry-failed);
   * else throttling, an interruption while backing off, a refusal before sending or of the account:
   * nothing was created and it may simply go again.
   */
  | { kind: 'refused'; own: boolean }
  /** Provably created no task (reconciled as absent, or refused and the run stopped on it). */
  | { kind: 'not-created' };

export function classifyAttempt(a: AttemptState): AttemptClass {
  if (a.download) return { kind: 'rendered' };
  switch (a.outcome) {
    case 'intent':
    case 'uncertain':
      return { kind: 'open' };
    case 'rejected':
      return { kind: 'refused', own: isOwnRefusal(a) };
    case 'not-created':
      return { kind: 'not-created' };
    case 'submitted':
      if (a.canceled || a.status === 'CANCELED') return { kind: 'ended', status: 'CANCELED' };
      if (a.status === 'FAILED' || a.status === 'UNKNOWN') return { kind: 'ended', status: a.status };
      if (a.status === 'SUCCEEDED') return { kind: 'succeeded', ...(a.downloadError !== undefined ? { downloadError: a.downloadError } : {}) };
      return { kind: 'live' };
  }
}

/** A task still to watch: submitted, or whose submit may have created one. */
export function isLive(a: AttemptState): boolean {
  const c = classifyAttempt(a);
  return c.kind === 'open' || c.kind === 'live' || (c.kind === 'succeeded' && c.downloadError === undefined);
}

/** The error that ended an attempt, or undefined when it did not fail. */
export function attemptError(a: AttemptState): { code: string; message: string } | undefined {
  const c = classifyAttempt(a);
  if (c.kind === 'refused') return { code: a.code ?? 'SubmitRejected', message: a.message ?? 'the submit was refused' };
  if (c.kind === 'ended' && c.status === 'CANCELED') return { code: a.code ?? 'Canceled', message: a.message ?? 'the task was canceled' };
  if (c.kind === 'ended' && c.status === 'FAILED') return { code: a.code ?? 'Failed', message: a.message ?? 'the task failed' };
  if (c.kind === 'ended') return { code: a.code ?? 'TaskUnknown', message: a.message ?? 'the task is unknown to the server (older than 24 h or never created)' };
  if (c.kind === 'succeeded' && c.downloadError !== undefined) return { code: 'DownloadFailed', message: c.downloadError };
  return undefined;
}

function isOwnRefusal(a: AttemptState): boolean {
  return (
    a.httpStatus !== undefined &&
    a.httpStatus >= 400 &&
    a.httpStatus < 500 &&
    a.httpStatus !== 429 &&
    !isThrottlingCode(a.code) &&
    !isAccountRefusal({ httpStatus: a.httpStatus, code: a.code ?? '', message: a.message ?? '' })
  );
}
