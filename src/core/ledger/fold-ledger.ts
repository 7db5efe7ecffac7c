// Folds ledger records into what we know per shot. Pure: the engine (resume), `status`,
// `report` and the lock file all read the ledger through this one function, so they can never
// disagree about what happened.
import type { VideoFacts } from '../evidence/video-facts.js';
import { derivedIdentity } from '../server-identity.js';
import type { ServerIdentity } from '../server-identity.js';
import type { RequestBody, TaskStatus } from '../types.js';
import type { LedgerRecord, ReuseOrigin, RunEndRecord, RunStartRecord, StoredRecord, StoreFailedRecord, UploadRecord } from './records.js';

/**
 * Where one submit attempt stands:
 * - `intent`: the intent was flushed but no answer recorded (a crash mid-submit): a task MAY exist.
 * - `uncertain`: the submit's outcome is unknown (reset after sending, timeout, 5xx): a task MAY exist.
 * - `rejected`: the server refused it; no task exists.
 * - `not-created`: reconciliation found no task for this intent; it is safe to submit again.
 * - `submitted`: a task id is known.
 */
export type AttemptOutcome = 'intent' | 'uncertain' | 'rejected' | 'not-created' | 'submitted';

export interface AttemptState {
  runId: string;
  key: string;
  model: string;
  endpoint: string;
  attempt: number;
  reason: string;
  /** The planned body and local-media hashes from the intent (when recorded): lets status say what changed. */
  body?: RequestBody;
  mediaSha256?: Record<string, string>;
  intentAt: string;
  outcome: AttemptOutcome;
  taskId?: string;
  requestId?: string;
  submittedAt?: string;
  /** Last task state observed; undefined until the first poll. */
  status?: TaskStatus;
  statusAt?: string;
  submitTime?: string;
  scheduledTime?: string;
  endTime?: string;
  videoUrl?: string;
  usage?: Record<string, unknown>;
  /** Error of a rejected/uncertain submit or of a FAILED task. */
  code?: string;
  message?: string;
  httpStatus?: number;
  download?: { file: string; bytes: number; sha256: string; videoUrl: string; at: string; media?: VideoFacts; mediaError?: string };
  downloadError?: string;
  canceled: boolean;
  /** Task-state observations (polls that changed or confirmed state). */
  polls: number;
  /**
   * Taken over from the committed lock file (an `adopted` record): rendered and billed
   * elsewhere, submit time unknown. Its `download` is what the lock records until this clone
   * downloads the video itself.
   */
  adopted?: boolean;
  /**
   * Taken over from another render of the same request (a `reused` record): nothing was
   * submitted for this shot; `taskId` is the task that rendered the source.
   */
  reusedFrom?: ReuseOrigin;
  /** The server the attempt was sent to (its run's, for ledgers older than the intent field); unknown for old lock entries. */
  server?: ServerIdentity;
}

export interface ShotHistory {
  shot: string;
  /** In ledger order; the last one is the current attempt. */
  attempts: AttemptState[];
}

export interface LedgerView {
  runs: RunStartRecord[];
  runEnds: RunEndRecord[];
  shots: Map<string, ShotHistory>;
  /** Latest upload per `sha256|model`. */
  uploads: Map<string, UploadRecord>;
  /** Videos in an object store, by object URL (`s3://bucket/…/videos/<sha256>.mp4`). */
  stored: Map<string, StoredRecord>;
  /** The latest stored record per video sha256 (any store). */
  storedBySha: Map<string, StoredRecord>;
  /** Per video sha256, the latest failed upload not followed by a stored record. */
  storeFailed: Map<string, StoreFailedRecord>;
  /** Evidence in a store: `<store URL>|<path>` → the sha256 last put there. */
  evidence: Map<string, string>;
}

export function uploadKey(sha256: string, model: string): string {
  return `${sha256}|${model}`;
}

export function foldLedger(records: Iterable<LedgerRecord>): LedgerView {
  const view: LedgerView = { runs: [], runEnds: [], shots: new Map(), uploads: new Map(), stored: new Map(), storedBySha: new Map(), storeFailed: new Map(), evidence: new Map() };
  const attempts = new AttemptIndex(view);
  const serverOfRun = new Map<string, ServerIdentity>();
  for (const r of records) {
    if (r.t === 'run-start') serverOfRun.set(r.runId, r.server ?? derivedIdentity(r));
    if (foldViewRecord(view, r)) continue;
    const started = startedAttempt(r);
    if (started) {
      // The server it was sent to: the intent's own, else its run's; an adopted render's is the
      // lock entry's (unknown for old entries); a reused one's, the run that took it over.
      const server = r.t === 'adopted' ? r.server : ((r.t === 'intent' ? r.server : undefined) ?? serverOfRun.get(r.runId));
      if (server) started.attempt.server = server;
      attempts.add(started.shot, started.attempt);
    } else updateAttempt(attempts, r);
  }
  return view;
}

/** The attempts of the view, found by the records that speak of them. */
class AttemptIndex {
  // By shot and task id: a reused video shares its source's task id with another shot.
  private readonly byTask = new Map<string, AttemptState>();

  constructor(private readonly view: LedgerView) {}

  add(shot: string, a: AttemptState): void {
    let history = this.view.shots.get(shot);
    if (!history) this.view.shots.set(shot, (history = { shot, attempts: [] }));
    history.attempts.push(a);
    if (a.taskId) this.setTask(shot, a.taskId, a);
  }

  setTask(shot: string, taskId: string, a: AttemptState): void {
    this.byTask.set(`${shot}|${taskId}`, a);
  }

  /** The attempt a record about (shot, key) refers to: the latest one with that key. */
  forKey(shot: string, key: string): AttemptState | undefined {
    const attempts = this.view.shots.get(shot)?.attempts ?? [];
    for (let i = attempts.length - 1; i >= 0; i--) if (attempts[i]!.key === key) return attempts[i];
    return undefined;
  }

  /** The attempt of a task record: by its task id, else by its key. */
  forTask(shot: string, taskId: string, key: string): AttemptState | undefined {
    return this.byTask.get(`${shot}|${taskId}`) ?? this.forKey(shot, key);
  }
}

/** Records about the run or the store rather than a shot's attempt; false for the others. */
function foldViewRecord(view: LedgerView, r: LedgerRecord): boolean {
  switch (r.t) {
    case 'run-start':
      view.runs.push(r);
      return true;
    case 'run-end':
      view.runEnds.push(r);
      return true;
    case 'upload':
      view.uploads.set(uploadKey(r.sha256, r.model), r);
      return true;
    case 'stored':
      view.stored.set(r.url, r);
      view.storedBySha.set(r.sha256, r);
      view.storeFailed.delete(r.sha256);
      return true;
    case 'store-failed':
      view.storeFailed.set(r.sha256, r);
      return true;
    case 'evidence-stored':
      for (const [rel, sha] of Object.entries(r.files)) view.evidence.set(`${r.store}|${rel}`, sha);
      return true;
    default:
      return false;
  }
}

/** The attempt an `intent`, `adopted` or `reused` record begins; undefined for other records. */
function startedAttempt(r: LedgerRecord): { shot: string; attempt: AttemptState } | undefined {
  switch (r.t) {
    case 'intent':
      return {
        shot: r.shot,
        attempt: {
          runId: r.runId,
          key: r.key,
          model: r.model,
          endpoint: r.endpoint,
          attempt: r.attempt,
          reason: r.reason,
          ...(r.body ? { body: r.body } : {}),
          ...(r.mediaSha256 ? { mediaSha256: r.mediaSha256 } : {}),
          intentAt: r.at,
          outcome: 'intent',
          canceled: false,
          polls: 0,
        },
      };
    case 'adopted':
      return { shot: r.shot, attempt: { ...renderedElsewhere(r, 'rendered before, as recorded in the lock file'), adopted: true } };
    case 'reused':
      return { shot: r.shot, attempt: { ...renderedElsewhere(r, `reused from ${describeOrigin(r.from)}`), reusedFrom: r.from } };
    default:
      return undefined;
  }
}

/** A succeeded, downloaded attempt this ledger did not submit (taken over from the lock, or reused). */
function renderedElsewhere(r: Extract<LedgerRecord, { t: 'adopted' | 'reused' }>, reason: string): AttemptState {
  return {
    runId: r.runId,
    key: r.key,
    model: r.model,
    endpoint: '',
    attempt: 1,
    reason,
    intentAt: r.at,
    outcome: 'submitted',
    status: 'SUCCEEDED',
    ...(r.taskId ? { taskId: r.taskId } : {}),
    download: { file: r.file, bytes: r.bytes, sha256: r.sha256, videoUrl: r.videoUrl ?? '', at: r.at },
    canceled: false,
    polls: 0,
  };
}

/** What a submit answer, reconciliation, poll, download or cancel changes in its attempt. */
function updateAttempt(attempts: AttemptIndex, r: LedgerRecord): void {
  switch (r.t) {
    case 'submitted': {
      const a = attempts.forKey(r.shot, r.key);
      if (!a) break;
      Object.assign(a, { outcome: 'submitted', taskId: r.taskId, requestId: r.requestId, submittedAt: r.at });
      attempts.setTask(r.shot, r.taskId, a);
      break;
    }
    case 'submit-rejected': {
      const a = attempts.forKey(r.shot, r.key);
      if (!a) break;
      // Refused for the account or never sent, and the run stopped on it: nothing to hold.
      Object.assign(a, { outcome: r.stop ? 'not-created' : 'rejected', code: r.code, message: r.message, httpStatus: r.httpStatus });
      if (r.requestId) a.requestId = r.requestId;
      break;
    }
    case 'submit-uncertain': {
      const a = attempts.forKey(r.shot, r.key);
      if (a && a.outcome === 'intent') Object.assign(a, { outcome: 'uncertain', code: r.code, message: r.message });
      break;
    }
    case 'reconciled': {
      const a = attempts.forKey(r.shot, r.key);
      if (!a || a.outcome === 'submitted') break;
      if (r.taskId) {
        Object.assign(a, { outcome: 'submitted', taskId: r.taskId, submittedAt: r.at, code: undefined, message: undefined });
        attempts.setTask(r.shot, r.taskId, a);
      } else {
        a.outcome = 'not-created';
      }
      break;
    }
    case 'state': {
      const a = attempts.forTask(r.shot, r.taskId, r.key);
      if (!a) break;
      a.status = r.status;
      a.statusAt = r.at;
      a.polls++;
      for (const f of ['submitTime', 'scheduledTime', 'endTime', 'videoUrl', 'usage', 'code', 'message'] as const) {
        if (r[f] !== undefined) (a as unknown as Record<string, unknown>)[f] = r[f];
      }
      if (r.status === 'CANCELED') a.canceled = true;
      break;
    }
    case 'downloaded': {
      const a = attempts.forTask(r.shot, r.taskId, r.key);
      if (!a) break;
      a.download = { file: r.file, bytes: r.bytes, sha256: r.sha256, videoUrl: r.videoUrl, at: r.at, ...(r.media ? { media: r.media } : {}), ...(r.mediaError ? { mediaError: r.mediaError } : {}) };
      a.downloadError = undefined;
      break;
    }
    case 'download-failed': {
      const a = attempts.forTask(r.shot, r.taskId, r.key);
      if (a) a.downloadError = r.message;
      break;
    }
    case 'canceled': {
      const a = attempts.forTask(r.shot, r.taskId, r.key);
      if (a) {
        a.canceled = true;
        a.status = 'CANCELED';
      }
      break;
    }
  }
}

/** `hero-wide`, or `hero-wide of manifest teaser` for another manifest's render. */
export function describeOrigin(o: Pick<ReuseOrigin, 'shot' | 'manifest'>): string {
  return o.manifest ? `${o.shot} of manifest ${o.manifest}` : o.shot;
}

export function currentAttempt(history: ShotHistory | undefined): AttemptState | undefined {
  return history?.attempts[history.attempts.length - 1];
}

/** The newest attempt with this key whose video was downloaded (and that `accept` takes), if any. */
export function renderedAttempt(history: ShotHistory | undefined, key: string, accept: (a: AttemptState) => boolean = () => true): AttemptState | undefined {
  const attempts = history?.attempts ?? [];
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    if (a.key === key && a.download && accept(a)) return a;
  }
  return undefined;
}

/** The newest attempt (any key) with a downloaded video (that `accept` takes): what is on disk for the shot. */
export function lastRenderedAttempt(history: ShotHistory | undefined, accept: (a: AttemptState) => boolean = () => true): AttemptState | undefined {
  const attempts = history?.attempts ?? [];
  for (let i = attempts.length - 1; i >= 0; i--) if (attempts[i]!.download && accept(attempts[i]!)) return attempts[i];
  return undefined;
}

/** True when the attempt may have a task on the server that we do not know the id of. */
export function needsReconciliation(a: AttemptState): boolean {
  return a.outcome === 'intent' || a.outcome === 'uncertain';
}
