// One shot from decision to outcome: upload, submit (intent first), follow the task, download.
// Never throws: every path ends in a ShotOutcome, so one shot's failure never stops or loses
// the others.
import { lostVideoReason } from '../core/plan/render-decision.js';
import type { RenderDecision } from '../core/plan/render-decision.js';
import type {
  CanceledRecord,
  IntentRecord,
  ReconciledRecord,
  StateRecord,
  SubmitRejectedRecord,
  SubmitUncertainRecord,
  SubmittedRecord,
} from '../core/ledger/records.js';
import type { PlannedRequest, RequestBody, TaskStatus } from '../core/types.js';
import { stateFieldsOf, type TaskView } from '../core/task/task-view.js';
import { isAbortError } from './clock.js';
import { describeFailure } from './dashscope-failure.js';
import type { Failure } from './dashscope-failure.js';
import { downloadVideo } from './download-video.js';
import { reuseVideo } from './reuse-video.js';
import type { EngineContext, FamilyGate } from './engine-context.js';
import type { SettleTurn } from './first-answer-gate.js';
import type { ShotOutcome, ShotPhase } from './events.js';
import { describeUnbilled, describeUnreconciled, reconcileIntents } from './reconcile.js';
import type { OpenIntent, ReconcileDeps, ReconcileOptions } from './reconcile.js';
import type { Release } from './semaphore.js';
import { FINAL_STATUSES } from './task-watcher.js';
import type { TaskObservation } from './task-watcher.js';
import { isOssRefusal, needsOssResolve } from './uploads.js';
import type { UsedUpload } from './uploads.js';
import { TASK_RETENTION_MS } from './run-options.js';

export function baseOutcome(req: PlannedRequest, d: RenderDecision): ShotOutcome {
  return { shot: req.shotId, model: req.model, status: 'failed', action: d.action, reasonCode: d.reasonCode, reason: d.reason, attempt: d.attempt };
}

export async function processShot(ctx: EngineContext, req: PlannedRequest, d: RenderDecision): Promise<ShotOutcome> {
  const base = baseOutcome(req, d);
  try {
    switch (d.action) {
      case 'skip': {
        ctx.phase(req.shotId, 'skipped', { detail: d.reason });
        const dl = d.prior?.download;
        return { ...base, status: 'skipped', ...(d.prior?.taskId ? { taskId: d.prior.taskId } : {}), ...(dl ? { file: dl.file, sha256: dl.sha256, bytes: dl.bytes, videoUrl: dl.videoUrl } : {}) };
      }
      case 'hold': {
        const p = d.prior;
        ctx.phase(req.shotId, 'failed', { detail: d.reason });
        return {
          ...base,
          status: 'failed',
          ...(p?.taskId ? { taskId: p.taskId } : {}),
          ...(p?.requestId ? { requestId: p.requestId } : {}),
          ...(p?.status ? { taskStatus: p.status } : {}),
          code: isLostVideo(d) ? 'VideoLost' : (p?.code ?? (p?.downloadError ? 'DownloadFailed' : p?.status) ?? 'Failed'),
          message: p?.message ?? d.reason,
        };
      }
      case 'download': {
        const p = d.prior!;
        const out = await downloadVideo(ctx, { shot: req.shotId, key: req.key, model: req.model, taskId: p.taskId ?? '', videoUrl: p.videoUrl ?? (p.download?.videoUrl || undefined) }, { ...base, ...(p.taskId ? { taskId: p.taskId } : {}) });
        if (d.ifLost === undefined) return out;
        // A video already paid for (recorded in the ledger or the lock file) cannot be fetched any
        // more: held, never rendered again by itself (that bills again); the ledger has the error.
        if (out.status === 'failed') {
          const reason = lostVideoReason(d.ifLost, out.message ?? 'download failed');
          return { ...out, action: 'hold', reason, code: 'VideoLost', message: reason };
        }
        if (out.status === 'succeeded' && out.sha256 !== p.download?.sha256) {
          const where = p.adopted ? 'the lock file records' : 'was recorded';
          ctx.warn(`the video fetched for task ${p.taskId ?? '?'} is not the one ${where} (sha256 differs); the record is updated to it`, req.shotId);
        }
        return out;
      }
      case 'reattach': {
        const p = d.prior!;
        const release = ctx.gateOf(req.model).slots.forceAcquire();
        const submittedAtMs = Date.parse(p.submittedAt ?? p.intentAt);
        return await followTask(ctx, req, base, { taskId: p.taskId!, requestId: p.requestId, submittedAtMs, fresh: false, status: p.status }, release);
      }
      case 'submit':
        return await submitShot(ctx, req, d, base);
      case 'reuse':
        return await reuseVideo(ctx, req, d, base);
      case 'reconcile':
        // Reconciliation happens before shots start (run-engine); reaching here is a bug.
        return { ...base, status: 'unreconciled', message: 'not reconciled' };
    }
  } catch (e) {
    if (ctx.signal.aborted || isAbortError(e)) {
      ctx.phase(req.shotId, 'interrupted');
      return { ...base, status: 'interrupted' };
    }
    const f = describeFailure(e);
    ctx.phase(req.shotId, 'failed', { detail: `${f.code}: ${f.message}` });
    return { ...base, status: 'failed', code: f.code, message: f.message };
  }
}

/** A hold because a paid-for video is gone from disk and can no longer be fetched. */
function isLostVideo(d: RenderDecision): boolean {
  return d.reasonCode === 'video-missing' || d.reasonCode === 'video-differs';
}

async function submitShot(ctx: EngineContext, req: PlannedRequest, d: RenderDecision, base: ShotOutcome): Promise<ShotOutcome> {
  const gate = ctx.gateOf(req.model);
  ctx.phase(req.shotId, 'queued', { detail: d.reason });
  // Semaphore releases are idempotent: every path may free the slot, only the first counts.
  let free: Release;
  try {
    free = await gate.slots.acquire(ctx.signal);
  } catch {
    ctx.phase(req.shotId, 'interrupted');
    return { ...base, status: 'interrupted', message: 'interrupted before it was submitted' };
  }
  try {
    let sub: SubmitResult;
    // A refused upload is re-uploaded and the shot submitted again, once.
    for (let reuploads = 0; ; reuploads++) {
      let body: RequestBody = req.body;
      let ossResolve = needsOssResolve(body);
      let uploads: UsedUpload[] = [];
      if (req.localMedia.length > 0) {
        ctx.phase(req.shotId, 'uploading', reuploads > 0 ? { detail: 'uploading again: the server refused the earlier oss:// URL' } : {});
        try {
          ({ body, ossResolve, uploads } = await ctx.uploader.resolveBody(req));
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          const f = describeFailure(e);
          free();
          // The client already retried the policy call: a refused key or no server stops the run.
          if (ctx.stopIfFatalForRun(f, false)) {
            ctx.phase(req.shotId, 'interrupted', { detail: `${f.code}: ${f.message}` });
            return { ...base, status: 'interrupted', code: f.code, message: `not submitted: the upload was refused (${f.code}: ${f.message})` };
          }
          ctx.phase(req.shotId, 'failed', { detail: `upload failed: ${f.code}: ${f.message}` });
          return { ...base, status: 'failed', code: f.code === 'LocalError' ? 'UploadFailed' : f.code, message: `upload failed: ${f.message}` };
        }
      }
      await ctx.deps.output.writeRequest(req.shotId, body);
      sub = await submitWithRetries(ctx, req, d, body, ossResolve, gate);
      // The server may forget an oss:// file before the 48 h we recorded (a new server session,
      // an early cleanup). Its 4xx created no task (and submit-rejected is already in the
      // ledger), so uploading again and resubmitting cannot bill twice.
      if (sub.kind === 'rejected' && reuploads === 0 && !ctx.signal.aborted && isOssRefusal(sub.failure, uploads.map((u) => u.url))) {
        await ctx.uploader.forget(uploads);
        ctx.warn(`the server refused an uploaded file (${sub.failure.code}: ${sub.failure.message}); uploading it again and resubmitting once`, req.shotId);
        continue;
      }
      break;
    }
    switch (sub.kind) {
      case 'submitted':
        ctx.phase(req.shotId, 'pending', { taskId: sub.taskId });
        return await followTask(ctx, req, base, { taskId: sub.taskId, requestId: sub.requestId, submittedAtMs: sub.atMs, fresh: true, status: sub.status }, free);
      case 'rejected':
        free();
        ctx.phase(req.shotId, 'failed', { detail: `${sub.failure.code}: ${sub.failure.message}` });
        return {
          ...base,
          status: 'failed',
          code: sub.failure.code,
          message: sub.failure.message,
          ...(sub.failure.requestId ? { requestId: sub.failure.requestId } : {}),
        };
      case 'stopped':
        free();
        ctx.phase(req.shotId, 'interrupted', { detail: `${sub.failure.code}: ${sub.failure.message}` });
        return { ...base, status: 'interrupted', code: sub.failure.code, message: `refused, nothing was created: ${sub.failure.message}`, ...(sub.failure.requestId ? { requestId: sub.failure.requestId } : {}) };
      case 'unreconciled':
        free();
        ctx.phase(req.shotId, 'unreconciled', { detail: sub.why });
        return { ...base, status: 'unreconciled', code: 'Unreconciled', message: sub.why };
      case 'interrupted':
        free();
        ctx.phase(req.shotId, 'interrupted');
        return { ...base, status: 'interrupted', message: sub.sent ? 'interrupted while its submit was being reconciled' : 'interrupted before it was submitted' };
    }
  } finally {
    free();
  }
}

type SubmitResult =
  | { kind: 'submitted'; taskId: string; requestId: string | undefined; status: TaskStatus; atMs: number }
  | { kind: 'rejected'; failure: Failure }
  /** Refused for the account, or no server reached: the run stops (nothing was created). */
  | { kind: 'stopped'; failure: Failure }
  | { kind: 'unreconciled'; why: string }
  | { kind: 'interrupted'; sent: boolean };

async function submitWithRetries(
  ctx: EngineContext,
  req: PlannedRequest,
  d: RenderDecision,
  body: RequestBody,
  ossResolve: boolean,
  gate: FamilyGate,
): Promise<SubmitResult> {
  // Until the server has answered one submit of the family, they go one at a time: a shot whose
  // turn it is keeps it through its retries, and gives it up on its way out.
  const turn: { settle?: SettleTurn } = {};
  try {
    return await submitLoop(ctx, req, d, body, ossResolve, gate, turn);
  } finally {
    turn.settle?.(false);
  }
}

async function submitLoop(
  ctx: EngineContext,
  req: PlannedRequest,
  d: RenderDecision,
  body: RequestBody,
  ossResolve: boolean,
  gate: FamilyGate,
  turn: { settle?: SettleTurn },
): Promise<SubmitResult> {
  const shot = req.shotId;
  const key = req.key;
  let intentOpen = false;
  let intentAtMs = 0;
  let retries = 0;
  let lastFailure: Failure | undefined;
  let slotAtMs = 0;
  for (;;) {
    try {
      turn.settle ??= await gate.firstAnswer.enter(ctx.signal);
      slotAtMs = await gate.submits.acquire(ctx.signal);
    } catch {
      // Interrupted while waiting for the rate limit or a backoff: no POST is on the wire. Close
      // an open intent as refused so the next run submits again without reconciling.
      if (intentOpen) {
        ctx.state.closeIntent(shot);
        const stop = ctx.stopped?.kind;
        await ctx.record<SubmitRejectedRecord>({
          t: 'submit-rejected',
          shot,
          key,
          code: 'Interrupted',
          message: `interrupted while backing off${lastFailure ? ` after ${lastFailure.code}` : ''}; nothing was created`,
          ...(stop && lastFailure?.httpStatus === undefined ? { stop } : {}),
        });
      }
      return { kind: 'interrupted', sent: false };
    }
    if (!intentOpen) {
      // Flushed BEFORE the POST: a crash from here on leaves a trace that is reconciled first.
      intentAtMs = ctx.now();
      await ctx.record<IntentRecord>({
        t: 'intent',
        shot,
        key,
        model: req.model,
        endpoint: req.endpoint,
        attempt: d.attempt,
        reason: d.reason,
        body: req.body,
        mediaSha256: Object.fromEntries(req.localMedia.map((m) => [m.manifestPath, m.sha256])),
        server: ctx.server,
      });
      intentOpen = true;
    }
    // Open (on the wire) for every reconciliation of the model until its answer is known.
    const open: OpenIntent = { id: shot, model: req.model, atMs: intentAtMs, body: req.body, endpoint: req.endpoint };
    ctx.state.openIntent({ ...open, inFlight: true });
    ctx.phase(shot, 'submitting', retries > 0 ? { detail: `retry ${retries}` } : {});
    ctx.state.submitStarted(req.model);
    let response: TaskView | undefined;
    let error: unknown;
    // The intent's flush came between the rate slot and now: count the slot from the POST.
    gate.submits.restamp(slotAtMs);
    const sentAtMs = ctx.deps.clock.now();
    try {
      ctx.counters.submit++;
      // No abort signal: a POST cut off half-way would leave an uncertain task behind.
      response = await ctx.deps.client.submit(req.endpoint, body, { ossResolve });
    } catch (e) {
      error = e;
    } finally {
      ctx.state.submitSettled(req.model);
    }
    const failure = response ? undefined : describeFailure(error);
    if (response || failure?.httpStatus !== undefined) ctx.answered();
    const stopsRun = failure !== undefined && ctx.stopIfFatalForRun(failure, true);
    // An answer over HTTP that is neither throttling nor a refusal of the account opens the way.
    if (response !== undefined || (failure?.httpStatus !== undefined && failure.httpStatus !== 429 && !stopsRun)) turn.settle?.(true);
    if (stopsRun) {
      ctx.state.closeIntent(shot);
      await ctx.record<SubmitRejectedRecord>({ t: 'submit-rejected', shot, key, ...rejectFields(failure), stop: ctx.stopped!.kind });
      return { kind: 'stopped', failure };
    }
    if (response) {
      ctx.state.knownTasks.add(response.taskId);
      ctx.state.closeIntent(shot);
      await ctx.record<SubmittedRecord>({ t: 'submitted', shot, key, taskId: response.taskId, requestId: response.requestId });
      ctx.snapshot(shot, { source: 'submit', response: response.raw });
      gate.strikes = 0;
      return { kind: 'submitted', taskId: response.taskId, requestId: response.requestId, status: response.status, atMs: ctx.now() };
    }
    const f = failure!;
    lastFailure = f;
    // Throttled or refused (nothing was created): no task can be this intent's until it is sent again.
    if (f.errorClass === 'retryable' || f.errorClass === 'fatal') ctx.state.closeIntent(shot);
    else ctx.state.openIntent(open);
    if (f.errorClass === 'retryable') {
      // Throttled, or refused before anything was sent: nothing exists; wait and try again.
      retries++;
      if (retries > ctx.options.maxSubmitRetries) {
        await ctx.record<SubmitRejectedRecord>({ t: 'submit-rejected', shot, key, ...rejectFields(f) });
        return { kind: 'rejected', failure: f };
      }
      const ms = ctx.throttleFamily(gate, f.code, f.retryAfterMs);
      ctx.phase(shot, 'backing-off', { detail: `${f.code}, retry in ${(ms / 1000).toFixed(1)} s` });
      continue;
    }
    if (f.errorClass === 'fatal') {
      await ctx.record<SubmitRejectedRecord>({ t: 'submit-rejected', shot, key, ...rejectFields(f) });
      return { kind: 'rejected', failure: f };
    }
    // Uncertain: a task may exist (reset after sending, 5xx, timeout). Look before resending.
    await ctx.record<SubmitUncertainRecord>({ t: 'submit-uncertain', shot, key, code: f.code, message: f.message });
    if (f.httpStatus !== undefined && f.httpStatus >= 500) ctx.throttleFamily(gate, f.code, f.retryAfterMs);
    ctx.phase(shot, 'reconciling', { detail: f.code });
    let found: { taskId: string | null } | { why: string };
    try {
      found = await reconcileUncertain(ctx, req, intentAtMs, timedOut(f) ? ctx.deps.clock.now() - sentAtMs : 0);
    } catch (e) {
      if (ctx.signal.aborted || isAbortError(e)) return { kind: 'interrupted', sent: true };
      const g = describeFailure(e);
      // The submit stays uncertain in the ledger (a task may exist): the next run looks again.
      ctx.stopIfFatalForRun(g, false);
      return { kind: 'unreconciled', why: `could not look the submit up in the task list (${g.code}: ${g.message})` };
    }
    if ('why' in found) return { kind: 'unreconciled', why: found.why };
    await ctx.record<ReconciledRecord>({ t: 'reconciled', shot, key, taskId: found.taskId });
    if (found.taskId) {
      return { kind: 'submitted', taskId: found.taskId, requestId: undefined, status: 'PENDING', atMs: intentAtMs };
    }
    // Provably nothing was created: a fresh intent for the next POST.
    intentOpen = false;
    retries++;
    if (retries > ctx.options.maxSubmitRetries) {
      await ctx.record<SubmitRejectedRecord>({ t: 'submit-rejected', shot, key, ...rejectFields(f) });
      return { kind: 'rejected', failure: f };
    }
  }
}

function rejectFields(f: Failure): { httpStatus?: number; code: string; message: string; requestId?: string } {
  return {
    ...(f.httpStatus !== undefined ? { httpStatus: f.httpStatus } : {}),
    code: f.code,
    message: f.message,
    ...(f.requestId ? { requestId: f.requestId } : {}),
  };
}

/** The client gave up waiting: the server may still be working on the request. */
function timedOut(f: Failure): boolean {
  return f.code === 'HeadersTimeout' || f.code === 'BodyTimeout';
}

/**
 * Looks for the task an uncertain submit may have created, matching every open intent of the
 * model together (other uncertain or in-flight submits of this run, held intents of earlier
 * runs). `waitedMs` is how long a timed-out submit was in flight (0 otherwise): a server that
 * took that long may still be creating the task, so the look waits at least twice as long (real
 * time: a server's processing does not run on the emulator's time scale) before a task the list
 * does not show counts as never created.
 */
async function reconcileUncertain(ctx: EngineContext, req: PlannedRequest, intentAtMs: number, waitedMs: number): Promise<{ taskId: string | null } | { why: string }> {
  // Submits of the same model still on the wire would show up as unknown tasks: let them land.
  await ctx.state.submitsSettled(req.model);
  await ctx.deps.clock.sleep(Math.max(ctx.serverMs(ctx.options.reconcileSettleMs), 2 * waitedMs), ctx.signal);
  return ctx.state.exclusive(req.model, async () => {
    const { outcomes, statusOf } = await reconcileIntents(() => ctx.state.openIntents(), ctx.state.knownTasks, reconcileDeps(ctx), reconcileOptions(ctx), ctx.signal, new Set([req.shotId]));
    const r = outcomes.find((o) => o.id === req.shotId);
    if (!r) return { why: 'no reconciliation result' };
    if ('ambiguous' in r) {
      return { why: `its submit's outcome is unknown: ${describeUnreconciled(r, statusOf)}; nothing was resubmitted. Check those tasks in the console, or re-run with --force to submit it again (billed again)` };
    }
    if (r.taskId === null && r.unbilled) ctx.warn(describeUnbilled(r.unbilled, statusOf), req.shotId);
    // Claimed before the next reconciliation of the model starts.
    if (r.taskId) ctx.state.knownTasks.add(r.taskId);
    ctx.state.closeIntent(req.shotId);
    return { taskId: r.taskId };
  });
}

/** Tries per task query outside the poller (reconciliation, URL refresh) under throttling or 5xx. */
const QUERY_ATTEMPTS = 8;

export function reconcileDeps(ctx: EngineContext): ReconcileDeps {
  return { client: ctx.deps.client, clock: ctx.deps.clock, queries: ctx.queries, counters: ctx.counters, onSnapshot: (s, e) => ctx.snapshot(s, e) };
}

export function reconcileOptions(ctx: EngineContext): ReconcileOptions {
  return {
    skewMs: 120_000,
    maxWindowMs: ctx.serverMs(TASK_RETENTION_MS),
    maxCandidates: 50,
    pageSize: ctx.options.listPageSize,
    // Candidates show their prompt and usage as they run or end: wait up to 15 min (server time).
    waitStepMs: ctx.serverMs(5_000),
    maxWaitMs: ctx.serverMs(15 * 60_000),
    queryAttempts: QUERY_ATTEMPTS,
  };
}

interface Followed {
  taskId: string;
  requestId: string | undefined;
  submittedAtMs: number;
  fresh: boolean;
  status: TaskStatus | undefined;
}

const PHASE_OF: Partial<Record<TaskStatus, ShotPhase>> = { PENDING: 'pending', RUNNING: 'running' };

/** Watch a task to its end (holding the family slot until then), then download or fail. */
async function followTask(ctx: EngineContext, req: PlannedRequest, base: ShotOutcome, t: Followed, release: Release): Promise<ShotOutcome> {
  const shot = req.shotId;
  let last: TaskStatus | undefined = t.status;
  const withTask = { ...base, taskId: t.taskId, ...(t.requestId ? { requestId: t.requestId } : {}) };
  let final: TaskView;
  try {
    final = await ctx.watcher.watch(
      { taskId: t.taskId, shot, model: req.model, family: ctx.gateOf(req.model).family, submittedAtMs: t.submittedAtMs, fresh: t.fresh, ...(t.status ? { status: t.status } : {}) },
      async (o: TaskObservation) => {
        // A final task no longer counts against the family's cap: the next shot may be
        // submitted while this one's state is written.
        if (FINAL_STATUSES.has(o.status)) release();
        // After an interrupt only a final state is news (a canceled task must stay canceled).
        if (ctx.signal.aborted && (o.status === 'PENDING' || o.status === 'RUNNING')) return;
        last = o.status;
        await ctx.record<StateRecord>({ t: 'state', shot, key: req.key, taskId: t.taskId, status: o.status, ...(o.response ? stateFieldsOf(o.response) : {}) });
        const phase = PHASE_OF[o.status];
        if (phase) ctx.phase(shot, phase, { taskId: t.taskId, ...(o.queuePosition !== undefined ? { queuePosition: o.queuePosition } : {}) });
      },
      ctx.signal,
    );
  } catch (e) {
    release();
    // A refused key while following: the task lives on; the next run (with a good key) picks it up.
    if (!ctx.signal.aborted && !isAbortError(e)) ctx.stopIfFatalForRun(describeFailure(e), false);
    if (ctx.signal.aborted || isAbortError(e)) {
      // Only the user's Ctrl-C cancels (--cancel-pending); a stopped run leaves its tasks to the next.
      const cancel = ctx.options.cancelPending && !ctx.stopped && (last === 'PENDING' || last === undefined);
      const canceled = cancel ? await cancelTask(ctx, req, t.taskId) : false;
      ctx.phase(shot, 'interrupted', { taskId: t.taskId, ...(canceled ? { detail: 'canceled' } : {}) });
      return { ...withTask, status: 'interrupted', ...(last ? { taskStatus: canceled ? 'CANCELED' : last } : {}), taskLeftLive: !canceled };
    }
    const f = describeFailure(e);
    ctx.phase(shot, 'failed', { taskId: t.taskId, detail: `${f.code}: ${f.message}` });
    return { ...withTask, status: 'failed', code: f.code, message: f.message, ...(last ? { taskStatus: last } : {}) };
  }
  release();
  const out = final;
  const status = final.status;
  const requestId = t.requestId ?? final.requestId;
  if (status === 'SUCCEEDED') {
    return downloadVideo(ctx, { shot, key: req.key, model: req.model, taskId: t.taskId, videoUrl: out.videoUrl }, { ...withTask, ...(requestId ? { requestId } : {}) });
  }
  const message = out.message ?? (status === 'UNKNOWN' ? 'the task is unknown to the server (expired after 24 h, or never existed)' : `the task ended ${status}`);
  ctx.phase(shot, 'failed', { taskId: t.taskId, detail: `${out.code ?? status}: ${message}` });
  return { ...withTask, ...(requestId ? { requestId } : {}), status: 'failed', taskStatus: status, code: out.code ?? status, message };
}

/** Cancels a PENDING task on the way out (`--cancel-pending`); only PENDING tasks can be. */
async function cancelTask(ctx: EngineContext, req: PlannedRequest, taskId: string): Promise<boolean> {
  try {
    // Not under the run's signal: this runs because the run was aborted.
    await ctx.queries.run(() => ctx.deps.client.cancel(taskId), { maxAttempts: 3, count: () => ctx.counters.cancel++ });
    await ctx.record<CanceledRecord>({ t: 'canceled', shot: req.shotId, key: req.key, taskId });
    return true;
  } catch (e) {
    const f = describeFailure(e);
    ctx.warn(`could not cancel task ${taskId} (${f.code}: ${f.message}); it keeps running and the next run re-attaches it`, req.shotId);
    return false;
  }
}
