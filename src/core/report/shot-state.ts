// Where each planned shot stands, from the ledger (what happened), the lock file (what a
// committed render recorded) and facts about the files on disk. `status` prints this; the report
// and the lock are built on the same answer, so they can never disagree.
import type { VideoFacts } from '../evidence/video-facts.js';
import { currentAttempt, lastRenderedAttempt } from '../ledger/fold-ledger.js';
import type { AttemptState, LedgerView } from '../ledger/fold-ledger.js';
import { changedMediaFiles, diffBodies } from '../plan/render-decision.js';
import type { PlannedRequest } from '../types.js';
import { attemptError, isLive } from '../ledger/attempt-class.js';

import { isSafeRelativePath, seedOf } from '../lock/lock-model.js';
import type { LockEntry, LockFile } from '../lock/lock-model.js';

/**
 * - `current`: a video for exactly the current request is on disk.
 * - `stale`: a video is on disk (or recorded) but for another request, or the file changed.
 * - `running`: a submit or a task for the current request is under way (or needs reconciling).
 * - `failed`: the current request's last attempt failed (task FAILED/CANCELED/UNKNOWN, submit
 *   refused, download failed).
 * - `missing`: the current request was rendered (ledger or lock) but the video is not on disk.
 * - `never-rendered`: nothing is known for the current request.
 */
export type ShotStateKind = 'current' | 'stale' | 'running' | 'failed' | 'missing' | 'never-rendered';

export const SHOT_STATE_KINDS: readonly ShotStateKind[] = ['current', 'stale', 'running', 'failed', 'missing', 'never-rendered'];

/** What the file system says about one video path (relative to the output directory). */
export interface VideoFact {
  exists: boolean;
  bytes?: number;
  /** Present when the file was hashed. */
  sha256?: string;
  /** Present when the file was measured (no measure recorded at download, or `status --verify`). */
  media?: VideoFacts;
  mediaError?: string;
}

/** Facts gathered by the I/O edge before the fold; keys are paths relative to the output dir. */
export interface DiskFacts {
  videos: ReadonlyMap<string, VideoFact>;
  /** Other files that exist (requests/…, snapshots/…), for links in the report. */
  files: ReadonlySet<string>;
}

/** The video the shot has, from the ledger or (without ledger history) from the lock. */
export interface RecordedVideo {
  source: 'ledger' | 'lock';
  key: string;
  model: string;
  taskId?: string;
  file: string;
  bytes?: number;
  sha256: string;
  url?: string;
  /** The ledger attempt that produced it (source `ledger`). */
  attempt?: AttemptState;
  seed?: number;
}

export interface ShotState {
  shotId: string;
  state: ShotStateKind;
  /** One line for a human: what is running, what failed, why stale. */
  detail: string;
  /** For `stale`: the request fields that differ from the recorded render (`size`, `media`…). */
  changes?: string[];
  /** The attempt for the current request (the latest one with the plan's key), if any. */
  attempt?: AttemptState;
  /** The video on record for the shot, whatever its key. */
  video?: RecordedVideo;
  error?: { code: string; message: string };
}

function recordedVideo(plan: PlannedRequest, ledger: LedgerView, lock: LockFile | undefined): RecordedVideo | undefined {
  const a = lastRenderedAttempt(ledger.shots.get(plan.shotId));
  if (a?.download) {
    const seed = a.key === plan.key ? seedOf(plan.body) : seedOf(a.body);
    return {
      source: 'ledger',
      key: a.key,
      model: a.model,
      ...(a.taskId ? { taskId: a.taskId } : {}),
      file: a.download.file,
      bytes: a.download.bytes,
      sha256: a.download.sha256,
      url: a.download.videoUrl || a.videoUrl,
      attempt: a,
      ...(seed !== undefined ? { seed } : {}),
    };
  }
  const entry: LockEntry | undefined = lock?.shots.find((e) => e.id === plan.shotId);
  if (!entry) return undefined;
  return {
    source: 'lock',
    key: entry.key,
    model: entry.model,
    ...(entry.task_id ? { taskId: entry.task_id } : {}),
    file: entry.file,
    ...(entry.bytes !== undefined ? { bytes: entry.bytes } : {}),
    sha256: entry.sha256,
    ...(entry.url ? { url: entry.url } : {}),
    ...(entry.seed !== undefined ? { seed: entry.seed } : {}),
  };
}

/**
 * What differs between the request that produced a video and the current plan: dotted body
 * paths (`parameters.size`, `input.prompt`) and `media: <file>` for local files whose bytes
 * changed. Without the old body (a lock-only record) only model and seed can be compared.
 */
export function requestChanges(video: RecordedVideo, plan: PlannedRequest): string[] {
  const old = video.attempt?.body;
  if (!old) {
    const changes: string[] = [];
    if (video.model !== plan.model) changes.push('model');
    const seed = seedOf(plan.body);
    if (video.seed !== undefined && seed !== undefined && video.seed !== seed) changes.push('parameters.seed');
    return changes.length ? changes : ['request'];
  }
  const changes = diffBodies(old, plan.body);
  if (video.attempt?.mediaSha256) changes.push(...changedMediaFiles(video.attempt.mediaSha256, plan).map((f) => `media: ${f}`));
  return changes.length ? changes : ['request'];
}

function liveDetail(a: AttemptState): string {
  if (a.outcome === 'intent') return 'submit sent, no answer recorded: the next run reconciles it before sending again';
  if (a.outcome === 'uncertain') {
    return `submit outcome unknown (${a.code ?? 'no answer'}): the next run reconciles it before sending again`;
  }
  if (a.status === 'SUCCEEDED') return `task ${a.taskId} SUCCEEDED, video not downloaded yet`;
  return `task ${a.taskId} ${a.status ?? 'submitted'}`;
}

/** Relative video paths whose facts the fold needs; `hash` when only a hash can prove the file. */
export function videoChecks(plans: readonly PlannedRequest[], ledger: LedgerView, lock: LockFile | undefined): VideoCheck[] {
  const checks = new Map<string, VideoCheck>();
  for (const plan of plans) {
    const v = recordedVideo(plan, ledger, lock);
    if (!v || !isSafeRelativePath(v.file)) continue;
    const seen = checks.get(v.file);
    // A ledger record was written by the download itself; a lock entry may come from another
    // machine, so only the hash says whether the file here is that video. A video whose
    // download recorded no measure (lock, store pull, older ledger) is measured now.
    checks.set(v.file, {
      file: v.file,
      hash: Boolean(seen?.hash) || v.source === 'lock',
      measure: Boolean(seen?.measure) || !v.attempt?.download?.media,
    });
  }
  return [...checks.values()];
}

/** What the I/O edge is asked to find out about one video file. */
export interface VideoCheck {
  file: string;
  hash: boolean;
  measure: boolean;
}

export function shotState(plan: PlannedRequest, ledger: LedgerView, lock: LockFile | undefined, disk: DiskFacts): ShotState {
  const history = ledger.shots.get(plan.shotId);
  const latest = currentAttempt(history);
  // The latest attempt for the current request (a changed request starts a new key).
  const attempt = history?.attempts.filter((a) => a.key === plan.key).at(-1);
  const video = recordedVideo(plan, ledger, lock);
  const base = { shotId: plan.shotId, ...(attempt ? { attempt } : {}), ...(video ? { video } : {}) };

  if (attempt && attempt === latest && isLive(attempt)) return { ...base, state: 'running', detail: liveDetail(attempt) };

  if (video && video.key === plan.key) {
    const fact = isSafeRelativePath(video.file) ? disk.videos.get(video.file) : undefined;
    const where = video.source === 'lock' ? 'recorded in lock' : `${video.attempt?.adopted ? 'recorded in lock as rendered' : 'rendered'}${video.taskId ? ` (task ${video.taskId})` : ''}`;
    // A lock render whose video could not be fetched back: `run` holds it (see render-decision.ts).
    const lost = video.attempt?.adopted && video.attempt.downloadError !== undefined ? `; it can no longer be fetched (${video.attempt.downloadError}): --retry-failed or --force renders it again (billed)` : '';
    if (!fact?.exists) return { ...base, state: 'missing', detail: `${where}, video not on disk (${video.file})${lost}` };
    const sizeDiffers = video.bytes !== undefined && fact.bytes !== undefined && fact.bytes !== video.bytes;
    const hashDiffers = fact.sha256 !== undefined && fact.sha256 !== video.sha256;
    if (sizeDiffers || hashDiffers) {
      return { ...base, state: 'stale', changes: ['video file'], detail: `${video.file} on disk is not the video ${where === 'recorded in lock' ? 'the lock records' : 'the ledger records'} (sha256 differs)` };
    }
    if (video.source === 'lock' && fact.sha256 === undefined) {
      return { ...base, state: 'missing', detail: `recorded in lock, ${video.file} not verified (not hashed)` };
    }
    return { ...base, state: 'current', detail: `rendered and current${video.taskId ? ` (task ${video.taskId})` : ''}${video.source === 'lock' ? ', verified against the lock' : ''}` };
  }

  const failed = attempt && attempt === latest ? attemptError(attempt) : undefined;
  if (failed) {
    const older = video ? '; an older video of a previous request is on disk' : '';
    return { ...base, state: 'failed', error: failed, detail: `${failed.code}: ${failed.message}${older}` };
  }

  if (video) {
    const changes = requestChanges(video, plan);
    const source = video.source === 'lock' ? 'the locked render' : 'the last render';
    return { ...base, state: 'stale', changes, detail: `request changed since ${source}: ${changes.join(', ')}` };
  }

  let detail = 'never rendered';
  if (attempt?.outcome === 'not-created' && attempt.code) detail = `never rendered: the last submit created no task (${attempt.code}${attempt.message ? `: ${attempt.message}` : ''}); the next run submits it`;
  else if (attempt?.outcome === 'not-created') detail = 'never rendered: an earlier submit created no task';
  else if (latest && latest.key !== plan.key) detail = 'never rendered for the current request (an earlier request was submitted)';
  return { ...base, state: 'never-rendered', detail };
}

export function shotStates(plans: readonly PlannedRequest[], ledger: LedgerView, lock: LockFile | undefined, disk: DiskFacts): ShotState[] {
  return plans.map((plan) => shotState(plan, ledger, lock, disk));
}
