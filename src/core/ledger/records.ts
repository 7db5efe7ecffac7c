// The ledger: an append-only JSON-lines file per manifest (`output/<name>/ledger.jsonl`), the
// single source of truth for what was submitted, what came back and what is on disk. The engine
// appends a record and flushes it before the next step relies on it; status, report and the lock
// file are all folds over these records.
import type { VideoFacts } from '../evidence/video-facts.js';
import type { ServerIdentity } from '../server-identity.js';
import type { TaskStatus } from '../types.js';

interface Base {
  /** ISO timestamp of the moment the record was written. */
  at: string;
  runId: string;
}

export interface RunStartRecord extends Base {
  t: 'run-start';
  manifest: string;
  manifestSha256: string;
  toolVersion: string;
  region: string;
  baseUrl: string;
  emulator: boolean;
  /** The server the run talked to (absent in ledgers from before it was recorded). */
  server?: ServerIdentity;
  /** Shot ids selected for this run, in manifest order. */
  shots: string[];
}

/** Written and flushed BEFORE the submit POST: a crash after it leaves a trace to reconcile. */
export interface IntentRecord extends Base {
  t: 'intent';
  shot: string;
  key: string;
  model: string;
  endpoint: string;
  /** 1 for the first submit of this key, 2+ for deliberate resubmits (retry-failed, force). */
  attempt: number;
  /** Why it renders: `new`, `changed: size`, `media changed`, `failed before`, `forced`… */
  reason: string;
  /**
   * The planned body (local media as `local:` placeholders) and the sha256 of each local file,
   * so a later run can say which field changed.
   */
  body?: import('../types.js').RequestBody;
  mediaSha256?: Record<string, string>;
  /** The server the POST goes to: its task, and its video, belong there. */
  server?: ServerIdentity;
}

export interface SubmittedRecord extends Base {
  t: 'submitted';
  shot: string;
  key: string;
  taskId: string;
  requestId: string;
}

/** The submit definitely created nothing (refused before sending, 4xx, 429 out of retries). */
export interface SubmitRejectedRecord extends Base {
  t: 'submit-rejected';
  shot: string;
  key: string;
  httpStatus?: number;
  code: string;
  message: string;
  requestId?: string;
  /**
   * Refused for the account (key, region, activation, workspace, billing) or never reached a
   * server, and the run stopped on it: nothing about the request itself, so the shot is not
   * held — the next run submits it normally.
   */
  stop?: 'account' | 'unreachable';
}

/** The submit's outcome is unknown; a task may exist. Reconcile before sending again. */
export interface SubmitUncertainRecord extends Base {
  t: 'submit-uncertain';
  shot: string;
  key: string;
  code: string;
  message: string;
}

/** Result of looking up an intent without task id in the task list. */
export interface ReconciledRecord extends Base {
  t: 'reconciled';
  shot: string;
  key: string;
  /** The task found, or null when the window provably holds none for this intent. */
  taskId: string | null;
}

export interface StateRecord extends Base {
  t: 'state';
  shot: string;
  key: string;
  taskId: string;
  status: TaskStatus;
  submitTime?: string;
  scheduledTime?: string;
  endTime?: string;
  videoUrl?: string;
  usage?: Record<string, unknown>;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface DownloadedRecord extends Base {
  t: 'downloaded';
  shot: string;
  key: string;
  taskId: string;
  /** Path relative to the manifest's output directory, e.g. `videos/hero.mp4`. */
  file: string;
  bytes: number;
  sha256: string;
  videoUrl: string;
  /** The file's own metadata, read right after the download (absent in older ledgers). */
  media?: VideoFacts;
  /** Why the file could not be measured (not an MP4 the reader knows), when it could not. */
  mediaError?: string;
}

export interface DownloadFailedRecord extends Base {
  t: 'download-failed';
  shot: string;
  key: string;
  taskId: string;
  message: string;
}

export interface UploadRecord extends Base {
  t: 'upload';
  sha256: string;
  model: string;
  url: string;
  /** ISO time after which the oss:// URL is no longer valid (48 h after upload). */
  expiresAt: string;
}

/**
 * A render the committed lock file records for the shot's current request, taken over by a
 * clone whose ledger has no attempt with that key (e.g. a fresh clone: lock committed, no
 * `output/`). Nothing was submitted or billed: it stands for the task that produced the locked
 * video, so the run fetches that video back (stable URL, or GET of the task) instead of
 * rendering again. Written before the run acts on it.
 */
export interface AdoptedRecord extends Base {
  t: 'adopted';
  shot: string;
  key: string;
  model: string;
  taskId?: string;
  /** As in the lock: path relative to the manifest's output directory. */
  file: string;
  bytes: number;
  sha256: string;
  /** The lock's stable video URL (PixVerse), when it has one. */
  videoUrl?: string;
  source: 'lock';
  /** The server the lock says made it (absent in locks from before it was recorded). */
  server?: ServerIdentity;
}

/**
 * A video taken over from another render of the same request (the same key, so the same body,
 * media bytes and seed) instead of submitting it again: another shot id of this manifest, another
 * manifest of the project, or the object store. Nothing was submitted or billed. Written after
 * the copy is on disk with the sha256 the source records.
 */
export interface ReusedRecord extends Base {
  t: 'reused';
  shot: string;
  key: string;
  model: string;
  /** Where the copy is, relative to the manifest's output directory (`videos/<shot>.mp4`). */
  file: string;
  bytes: number;
  sha256: string;
  /** The task that rendered the video (the source's), when known. */
  taskId?: string;
  /** The source's video URL, when it recorded one. */
  videoUrl?: string;
  from: ReuseOrigin;
}

/** Where a reused video came from: evidence that it is the same render. */
export interface ReuseOrigin {
  /** The shot id it was rendered for. */
  shot: string;
  /** The other manifest's name (its run folder), when not this manifest. */
  manifest?: string;
  /** What recorded it: a ledger's downloaded video, a lock entry, or the store's render record. */
  record: 'ledger' | 'lock' | 'store';
  /** The file copied (relative to its run folder), or the store object (`s3://…`). */
  file: string;
}

/**
 * A downloaded video is in the object store under its content address (uploaded now, or found
 * there already: `existed`). Written after the store confirmed the object.
 */
export interface StoredRecord extends Base {
  t: 'stored';
  shot: string;
  /** Request key of the render the video belongs to. */
  key: string;
  sha256: string;
  bytes: number;
  /** `s3://bucket/<prefix>/videos/<sha256>.mp4` */
  url: string;
  /** The store already held these bytes: nothing was uploaded. */
  existed: boolean;
}

/** The upload of a downloaded video failed: the local video stands, the next run or `push` retries. */
export interface StoreFailedRecord extends Base {
  t: 'store-failed';
  shot: string;
  key: string;
  sha256: string;
  /** `s3://bucket/prefix` */
  store: string;
  code: string;
  message: string;
}

/** Evidence files put in the store (relative to the output folder → the sha256 put). */
export interface EvidenceStoredRecord extends Base {
  t: 'evidence-stored';
  store: string;
  files: Record<string, string>;
}

export interface CanceledRecord extends Base {
  t: 'canceled';
  shot: string;
  key: string;
  taskId: string;
}

export interface RunEndRecord extends Base {
  t: 'run-end';
  interrupted: boolean;
  counts: Record<string, number>;
  /** The code that stopped the run early (an account-level refusal, an unreachable server). */
  stopped?: string;
}

export type LedgerRecord =
  | RunStartRecord
  | IntentRecord
  | SubmittedRecord
  | SubmitRejectedRecord
  | SubmitUncertainRecord
  | ReconciledRecord
  | StateRecord
  | DownloadedRecord
  | DownloadFailedRecord
  | UploadRecord
  | AdoptedRecord
  | ReusedRecord
  | StoredRecord
  | StoreFailedRecord
  | EvidenceStoredRecord
  | CanceledRecord
  | RunEndRecord;
