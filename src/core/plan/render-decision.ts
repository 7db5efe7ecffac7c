// Why a shot will or will not render on this run. Pure: the ledger fold, the state of the video
// on disk (hashed by the caller) and the options come in; a decision with a sentence comes out.
// `plan` prints these decisions and `run` acts on them, so the two always agree.
import { isThrottlingCode } from '../task/backoff.js';
import { renderedAttempt } from '../ledger/fold-ledger.js';
import { describeServer, sameServer } from '../server-identity.js';
import type { ServerIdentity } from '../server-identity.js';
import type { AttemptState, ShotHistory } from '../ledger/fold-ledger.js';
import { lockEntryServer } from '../lock/lock-model.js';
import type { LockEntry } from '../lock/lock-model.js';
import type { PlannedRequest, RequestBody } from '../types.js';
import type { ReuseSource } from './reuse.js';
import { classifyAttempt } from '../ledger/attempt-class.js';

/**
 * - `skip`: rendered, unchanged, and the video on disk has the recorded hash.
 * - `download`: the task succeeded but its video is not (or no longer) on disk: fetch it again,
 *   never resubmit (the URL is refreshed from the task while the task is queryable).
 * - `reattach`: a task for this exact request is still live: poll it, never resubmit.
 * - `reconcile`: an intent has no task id (crash or uncertain submit): look it up in the task list
 *   before anything is sent again.
 * - `submit`: send the request.
 * - `hold`: it failed before, or its video is lost (a render the lock file records that can no
 *   longer be fetched); it stays so unless `--retry-failed` (or `--force`).
 * - `reuse`: another render of the same request (same key) is in the project: its video is
 *   copied, sha256 verified, instead of submitting (see reuse.ts).
 */
export type RenderAction = 'skip' | 'download' | 'reattach' | 'reconcile' | 'submit' | 'hold' | 'reuse';

export type RenderReason =
  | 'up-to-date'
  | 'new'
  | 'changed'
  | 'media-changed'
  | 'failed-before'
  | 'rejected-before'
  | 'throttled-before'
  | 'canceled-before'
  | 'not-created'
  | 'forced'
  | 'video-missing'
  | 'video-differs'
  | 'succeeded-not-downloaded'
  | 'live-task'
  | 'open-intent'
  | 'other-server'
  | 'reused';

/**
 * A video counts as current only on the server that made it (an attempt whose server is unknown,
 * from an old lock entry, counts everywhere). Without `server`, every attempt counts.
 */
export function madeOn(server: ServerIdentity | undefined): (a: AttemptState) => boolean {
  return (a) => !server || !a.server || sameServer(a.server, server);
}

export interface RenderDecision {
  shot: string;
  action: RenderAction;
  reasonCode: RenderReason;
  /** One sentence for people, e.g. `changed: parameters.size, input.prompt`. */
  reason: string;
  /** For `changed`: dotted paths of the body that differ from the last submitted request. */
  changedFields?: string[];
  /** For `media-changed`: manifest paths of local files whose bytes changed. */
  changedMedia?: string[];
  /** The attempt number a submit writes in its intent (1 for the first submit of this key). */
  attempt: number;
  /** The earlier attempt this decision continues (reattach, reconcile, download, hold). */
  prior?: AttemptState;
  /**
   * For a `download` of a video already paid for: what to say when it cannot be fetched (see
   * `lostVideoReason`); the engine then holds the shot, never renders it again by itself.
   */
  ifLost?: string;
  /** For `reuse`: the verified video of the same request that is copied. */
  reuse?: ReuseSource;
}

/** The hold reason of a paid-for video that cannot be fetched: `ifLost`, why, what to do. */
export function lostVideoReason(ifLost: string, why: string): string {
  return `${ifLost} (${why}); --retry-failed or --force renders it again (billed)`;
}

/** What is on disk where the shot's video goes. */
export interface VideoOnDisk {
  exists: boolean;
  /** sha256 of the file's bytes, when it exists. */
  sha256?: string;
}

export interface RenderDecisionOptions {
  /** Render again even if up to date or failed (never duplicates a live task). */
  force: boolean;
  /** Resubmit shots whose task ended FAILED/UNKNOWN or whose submit was refused. */
  retryFailed: boolean;
  nowMs: number;
  /** How long a task stays queryable (24 h on the real service; scaled on the emulator), ms. */
  taskRetentionMs: number;
  /**
   * Runs that talked to another server (base URL): their task ids mean nothing here (a task
   * lives on the server that created it; every emulator session is a new server).
   */
  foreignRunIds?: ReadonlySet<string>;
  /** How reasons name the lock file, e.g. `storyboard.lock.yaml`; default `the lock file`. */
  lockName?: string;
  /** The server this run talks to: videos made on another one are not current here. */
  server?: ServerIdentity;
}

/**
 * `locked`: the lock file's entry for the shot. A render it records for the current key is
 * adopted into the history before deciding (see lock-adoption.ts); here it only names what
 * changed for a shot the ledger knows nothing of (or holds an entry that could not be adopted).
 */
export function decideRender(
  req: PlannedRequest,
  history: ShotHistory | undefined,
  disk: VideoOnDisk | undefined,
  opts: RenderDecisionOptions,
  locked?: LockEntry,
): RenderDecision {
  const attempts = history?.attempts ?? [];
  // Only attempts made on this server decide (a task, and its video, belong to their server).
  const here = madeOn(opts.server);
  const sameKey = attempts.filter((a) => a.key === req.key && here(a));
  const nextAttempt = 1 + sameKey.filter((a) => a.outcome === 'submitted').length;
  const base = { shot: req.shotId, attempt: nextAttempt };
  const last = sameKey[sameKey.length - 1];
  const elsewhere = attempts.filter((a) => a.key === req.key && !here(a)).at(-1);
  if (!last && elsewhere?.server && opts.server) {
    // This very request went to another server (an emulator, another region or workspace):
    // its task cannot be followed from here, and its video stands for nothing here.
    const there = describeServer(elsewhere.server);
    const what = elsewhere.download ? `rendered on ${there}` : `its earlier task${elsewhere.taskId ? ` ${elsewhere.taskId}` : ''} was sent to another server, ${there}, and cannot be followed from here`;
    const reason = `${what}; this server is ${describeServer(opts.server)}: rendering here`;
    return { ...base, action: 'submit', reasonCode: 'other-server', reason };
  }
  const rendered = renderedAttempt(history, req.key, madeOn(opts.server));
  const diskOk = Boolean(rendered && disk?.exists && disk.sha256 === rendered.download?.sha256);
  const foreign = (a: AttemptState): boolean => opts.foreignRunIds?.has(a.runId) ?? false;
  const queryable = (a: AttemptState): boolean =>
    !foreign(a) && a.submittedAt !== undefined && opts.nowMs - Date.parse(a.submittedAt) < opts.taskRetentionMs;
  const c: DecisionContext = { req, disk, opts, base, rendered, diskOk, foreign, queryable, lockName: opts.lockName ?? 'the lock file' };

  if (last && !last.download) {
    const d = decideAfterLastAttempt(c, last);
    if (d) return d;
  }
  if (rendered) return decideRendered(c, rendered);
  return decideUnrendered(c, attempts, sameKey, last, locked);
}

interface DecisionContext {
  req: PlannedRequest;
  disk: VideoOnDisk | undefined;
  opts: RenderDecisionOptions;
  base: { shot: string; attempt: number };
  /** The attempt whose video (for the current key) is on record. */
  rendered: AttemptState | undefined;
  /** That video is on disk with its recorded sha256. */
  diskOk: boolean;
  /** The attempt ran against another server (its task cannot be followed from here). */
  foreign: (a: AttemptState) => boolean;
  /** Its task can still be asked about (this server, younger than the task retention). */
  queryable: (a: AttemptState) => boolean;
  lockName: string;
}

/** The latest attempt of the current key has no video: what its outcome means; undefined to go on. */
function decideAfterLastAttempt(c: DecisionContext, last: AttemptState): RenderDecision | undefined {
  const { base, opts, diskOk, queryable, rendered, foreign } = c;
  const k = classifyAttempt(last);

  if (foreign(last) && (k.kind === 'open' || k.kind === 'live' || k.kind === 'succeeded')) {
    return {
      ...base,
      action: 'submit',
      reasonCode: 'other-server',
      reason: `its earlier task${last.taskId ? ` ${last.taskId}` : ''} was sent to another server and cannot be followed from this one`,
      prior: last,
    };
  }

  switch (k.kind) {
    case 'open':
      return {
        ...base,
        action: 'reconcile',
        reasonCode: 'open-intent',
        reason: 'an earlier submit has no recorded task id; looking it up in the task list before sending anything',
        prior: last,
      };
    case 'live':
      return { ...base, action: 'reattach', reasonCode: 'live-task', reason: `task ${last.taskId} is still live; re-attaching`, prior: last };
    case 'succeeded':
      if (opts.force) break;
      if (k.downloadError && !queryable(last)) {
        // Its download failed and the task no longer answers (24 h): the video is lost on the
        // server side. Rendering again bills again, so it is deliberate, as for a failed task.
        const what = `task ${last.taskId} succeeded but its video could not be downloaded (${k.downloadError}) and the task has expired`;
        if (opts.retryFailed) return { ...base, action: 'submit', reasonCode: 'video-missing', reason: `${what}; rendering again`, prior: last };
        return { ...base, action: 'hold', reasonCode: 'video-missing', reason: `${what}; --retry-failed renders it again`, prior: last };
      }
      return {
        ...base,
        action: 'download',
        reasonCode: 'succeeded-not-downloaded',
        reason: `task ${last.taskId} succeeded but its video was not downloaded; downloading`,
        prior: last,
      };
    case 'ended': {
      if (k.status === 'CANCELED') return { ...base, action: 'submit', reasonCode: 'canceled-before', reason: 'its task was canceled before', prior: last };
      if (diskOk && !opts.force && !opts.retryFailed) break;
      const what = `${k.status}${last.code ? ` ${last.code}` : ''}${last.message ? `: ${last.message}` : ''}`;
      if (opts.force) return { ...base, action: 'submit', reasonCode: 'forced', reason: `forced (failed before: ${what})`, prior: last };
      if (opts.retryFailed) return { ...base, action: 'submit', reasonCode: 'failed-before', reason: `failed before (${what}); retrying`, prior: last };
      return { ...base, action: 'hold', reasonCode: 'failed-before', reason: `failed before (${what}); --retry-failed resubmits it`, prior: last };
    }
    case 'refused': {
      // Only the request's own refusal is held (see classifyAttempt); anything else created
      // nothing and may simply go again.
      if (!k.own) {
        const reasonCode: RenderReason = last.httpStatus === 429 || isThrottlingCode(last.code) ? 'throttled-before' : 'not-created';
        return { ...base, action: 'submit', reasonCode, reason: `its earlier submit created no task (${last.code})`, prior: last };
      }
      if (diskOk && !opts.force && !opts.retryFailed) break;
      const what = `${last.code}${last.message ? `: ${last.message}` : ''}`;
      if (opts.force) return { ...base, action: 'submit', reasonCode: 'forced', reason: `forced (refused before: ${what})`, prior: last };
      if (opts.retryFailed) return { ...base, action: 'submit', reasonCode: 'rejected-before', reason: `refused before (${what}); retrying`, prior: last };
      return { ...base, action: 'hold', reasonCode: 'rejected-before', reason: `refused before (${what}); --retry-failed resubmits it`, prior: last };
    }
    case 'not-created':
      if (!rendered) {
        return { ...base, action: 'submit', reasonCode: 'not-created', reason: 'an earlier submit created no task', prior: last };
      }
      break;
    case 'rendered':
      break;
  }
  return undefined;
}

/** A video for the current key is on record: skip it, fetch it back, or hold it. */
function decideRendered(c: DecisionContext, rendered: AttemptState): RenderDecision {
  const { base, opts, diskOk, queryable, disk, lockName } = c;
  if (diskOk) {
    if (opts.force) return { ...base, action: 'submit', reasonCode: 'forced', reason: 'forced (--force)', prior: rendered };
    const why = rendered.adopted ? `matches ${lockName}` : 'is on disk with its recorded sha256';
    return { ...base, action: 'skip', reasonCode: 'up-to-date', reason: `unchanged; ${rendered.download!.file} ${why}`, prior: rendered };
  }
  const reasonCode: RenderReason = disk?.exists ? 'video-differs' : 'video-missing';
  const what = disk?.exists ? `${rendered.download!.file} differs from the recorded sha256` : `${rendered.download!.file} is missing on disk`;
  if (opts.force) return { ...base, action: 'submit', reasonCode: 'forced', reason: `forced (${what})`, prior: rendered };
  // The video was paid for once. Fetching it back is free — its URL, or a GET of its task while
  // the task is queryable (an adopted render's submit time is unknown, so its task is always
  // asked) — and is always tried; once that has failed, or cannot be tried, only a deliberate
  // new render (billed again) brings it back: the shot is held until --retry-failed or --force.
  const task = rendered.taskId ? ` (task ${rendered.taskId})` : '';
  const where = rendered.adopted ? `recorded in ${lockName} as rendered${task}` : `rendered before${task}`;
  const lost = `${where} but ${disk?.exists ? 'the video on disk differs from it' : 'the video is not on disk'} and can no longer be fetched`;
  const url = rendered.download!.videoUrl;
  const canFetch = rendered.adopted ? Boolean(rendered.taskId || url) : queryable(rendered) || Boolean(url);
  const noWay = rendered.adopted ? 'the lock records neither a task id nor a stable URL' : 'its task has expired and no video URL is recorded';
  const failed = rendered.downloadError ?? (canFetch ? undefined : noWay);
  if (failed !== undefined) {
    if (opts.retryFailed) return { ...base, action: 'submit', reasonCode, reason: `${lost} (${failed}); rendering again (--retry-failed)`, prior: rendered };
    return { ...base, action: 'hold', reasonCode, reason: lostVideoReason(lost, failed), prior: rendered };
  }
  const from = rendered.adopted ? `recorded in ${lockName}${task}: ` : '';
  return { ...base, action: 'download', reasonCode, reason: `${what}; ${from}downloading it again (no new render)`, prior: rendered, ifLost: lost };
}

/** Nothing usable for the current key: why it is submitted (new, changed) or held. */
function decideUnrendered(c: DecisionContext, attempts: readonly AttemptState[], sameKey: readonly AttemptState[], last: AttemptState | undefined, locked: LockEntry | undefined): RenderDecision {
  const { req, base, opts, lockName } = c;
  if (sameKey.length > 0) {
    // Same key seen, nothing usable came of it (e.g. a not-created intent after a rendered one).
    return { ...base, action: 'submit', reasonCode: opts.force ? 'forced' : 'not-created', reason: opts.force ? 'forced (--force)' : 'no usable earlier attempt', prior: last };
  }

  const previous = attempts[attempts.length - 1];
  const lockedOn = locked ? lockEntryServer(locked) : undefined;
  if (!previous && locked?.key === req.key && lockedOn && opts.server && !sameServer(lockedOn, opts.server)) {
    const reason = `${lockName} records a render made on ${describeServer(lockedOn)}, not on this server (${describeServer(opts.server)}); rendering here`;
    return { ...base, action: 'submit', reasonCode: 'other-server', reason };
  }
  if (!previous && locked?.key === req.key) {
    // Not adoptable (an entry without bytes, written by hand): never billed again by accident.
    if (opts.force) return { ...base, action: 'submit', reasonCode: 'forced', reason: 'forced (--force)' };
    const reason = `recorded in ${lockName} as rendered${locked.task_id ? ` (task ${locked.task_id})` : ''} but its entry lacks bytes and cannot be taken over; --force renders it again (billed)`;
    return { ...base, action: 'hold', reasonCode: 'video-missing', reason };
  }
  if (!previous && locked && locked.key !== req.key) {
    // Only the lock knows the earlier request: its model and seed can be compared, not its body.
    const seed = req.body.parameters['seed'];
    const changedFields = [
      ...(locked.model !== req.model ? ['model'] : []),
      ...(locked.seed !== undefined && typeof seed === 'number' && locked.seed !== seed ? ['parameters.seed'] : []),
    ];
    const fields = changedFields.length > 0 ? `: ${changedFields.join(', ')}` : '';
    return { ...base, action: 'submit', reasonCode: 'changed', reason: `changed since the render recorded in ${lockName}${fields}`, changedFields };
  }
  if (!previous) return { ...base, action: 'submit', reasonCode: 'new', reason: 'new shot' };
  const changedFields = previous.body ? diffBodies(previous.body, req.body) : [];
  if (changedFields.length > 0) {
    return { ...base, action: 'submit', reasonCode: 'changed', reason: `changed: ${changedFields.join(', ')}`, changedFields, prior: previous };
  }
  const changedMedia = changedMediaFiles(previous.mediaSha256, req);
  if (changedMedia.length > 0) {
    return { ...base, action: 'submit', reasonCode: 'media-changed', reason: `media changed: ${changedMedia.join(', ')}`, changedMedia, prior: previous };
  }
  return { ...base, action: 'submit', reasonCode: 'changed', reason: 'changed since the last render', changedFields: [], prior: previous };
}

/** Manifest paths whose recorded hash differs from the planned one (or that are new). */
export function changedMediaFiles(before: Record<string, string> | undefined, req: PlannedRequest): string[] {
  if (!before) return req.localMedia.map((m) => m.manifestPath);
  return req.localMedia.filter((m) => before[m.manifestPath] !== m.sha256).map((m) => m.manifestPath);
}

/**
 * Dotted paths (`parameters.size`, `input.media.0.url`) where two bodies differ, sorted. Arrays
 * are compared index by index; a field present on one side only counts as changed.
 */
export function diffBodies(before: RequestBody, after: RequestBody): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a === b) return;
    const objA = a !== null && typeof a === 'object';
    const objB = b !== null && typeof b === 'object';
    if (!objA || !objB || Array.isArray(a) !== Array.isArray(b)) {
      out.push(path);
      return;
    }
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
  };
  walk(before, after, '');
  return out.sort();
}

/** Billable seconds and estimated cost of what would actually be submitted. */
export interface RenderCost {
  shots: number;
  billableSeconds: number;
  /** Seconds per resolution tier, e.g. `{ '720P': 40 }`. */
  secondsByTier: Record<string, number>;
  /** Undefined when some submitted shot has no price. */
  estimatedCost: number | undefined;
  /** Currency of the configured prices (config `prices.currency`), when prices are configured. */
  currency?: string;
}

/** `15.90 CNY`: an amount with its currency when known (never a bare number that could be anything). */
export function formatCost(amount: number, currency: string | undefined): string {
  return `${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

export function costOfRenders(requests: readonly PlannedRequest[], decisions: readonly RenderDecision[], currency?: string): RenderCost {
  const byShot = new Map(requests.map((r) => [r.shotId, r]));
  const cost: RenderCost = { shots: 0, billableSeconds: 0, secondsByTier: {}, estimatedCost: 0, ...(currency ? { currency } : {}) };
  for (const d of decisions) {
    if (d.action !== 'submit' && d.action !== 'reconcile') continue;
    const r = byShot.get(d.shot);
    if (!r) continue;
    cost.shots++;
    cost.billableSeconds += r.billableSeconds;
    cost.secondsByTier[r.tier] = (cost.secondsByTier[r.tier] ?? 0) + r.billableSeconds;
    if (r.estimatedCost === undefined || cost.estimatedCost === undefined) cost.estimatedCost = undefined;
    else cost.estimatedCost += r.estimatedCost;
  }
  return cost;
}

/** A spending cap from config (`budget`). */
export interface BudgetCap {
  /** Most billable seconds one run may submit. */
  maxSeconds?: number;
  /** Most estimated cost one run may submit, in the currency of the configured prices. */
  maxCost?: number;
}

/** The sentence explaining why the cap refuses the run, or undefined when it fits. */
export function budgetExceeded(cost: RenderCost, cap: BudgetCap | undefined): string | undefined {
  if (!cap) return undefined;
  if (cap.maxSeconds !== undefined && cost.billableSeconds > cap.maxSeconds) {
    return `this run would bill ${cost.billableSeconds} s of video (${cost.shots} shots), over the budget of ${cap.maxSeconds} s`;
  }
  if (cap.maxCost !== undefined) {
    if (cost.estimatedCost === undefined && cost.shots > 0) {
      return `the budget caps cost at ${cap.maxCost} but some shots have no configured price`;
    }
    if (cost.estimatedCost !== undefined && cost.estimatedCost > cap.maxCost) {
      return `this run would cost about ${formatCost(cost.estimatedCost, cost.currency)} (${cost.shots} shots), over the budget of ${formatCost(cap.maxCost, cost.currency)}`;
    }
  }
  return undefined;
}
