// The run: read the ledger, decide per shot, reconcile open intents, check the budget, then run
// every shot concurrently under the quotas and return one outcome per shot. The only place with
// concurrency and time; every effect comes in through `deps`.
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.js';
import { foldLedger, renderedAttempt } from '../core/ledger/fold-ledger.js';
import type { AttemptState, LedgerView } from '../core/ledger/fold-ledger.js';
import type { AdoptedRecord, ReconciledRecord, RunEndRecord, RunStartRecord } from '../core/ledger/records.js';
import { adoptLockedRenders } from '../core/plan/lock-adoption.js';
import { budgetExceeded, costOfRenders, decideRender, madeOn } from '../core/plan/render-decision.js';
import { explainNewSeed, inRunReuse, ledgerReuseSources, lockReuseSources, mayReuse, reuseCandidates, reuseDecision, seedOnlyTwin, serverIdentity as reuseServerOf } from '../core/plan/reuse.js';
import type { ReuseSource } from '../core/plan/reuse.js';
import type { RenderCost, RenderDecision, RenderDecisionOptions, VideoOnDisk } from '../core/plan/render-decision.js';
import { scalePollSchedule } from '../core/task/poll-schedule.js';
import { stopFor } from '../core/task/run-stop.js';
import type { RunStop, StopContext } from '../core/task/run-stop.js';
import type { PlannedRequest } from '../core/types.js';
import { derivedIdentity, sameServer, serverIdentity } from '../core/server-identity.js';
import type { ServerIdentity } from '../core/server-identity.js';
import { EngineContext } from './engine-context.js';
import type { RunFiles } from './ports.js';
import { describeFailure } from './dashscope-failure.js';
import { FirstAnswerGate } from './first-answer-gate.js';
import type { FamilyGate } from './engine-context.js';
import type { RunEvent, ShotOutcome, ShotStatus } from './events.js';
import { ListPoller } from './list-poller.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { QueryThrottle } from './query-throttle.js';
import { describeUnbilled, describeUnreconciled, reconcileIntents } from './reconcile.js';
import type { OpenIntent, ReconcileResult } from './reconcile.js';
import { newRequestCounters } from './request-counters.js';
import type { RequestCounters } from './request-counters.js';
import { TASK_RETENTION_MS, UPLOAD_VALIDITY_MS } from './run-options.js';
import type { RunDeps, RunInput, RunLock, RunOptions } from './run-options.js';
import { Semaphore } from './semaphore.js';
import { baseOutcome, processShot, reconcileDeps, reconcileOptions } from './shot-runner.js';
import type { TaskWatcher } from './task-watcher.js';
import { MediaUploader } from './uploads.js';

export interface RunResult {
  runId: string;
  /** One per selected shot, in manifest order. */
  outcomes: ShotOutcome[];
  decisions: RenderDecision[];
  cost: RenderCost;
  interrupted: boolean;
  /**
   * The run stopped early: the server refused the account (key, region, activation, workspace,
   * billing) or could not be reached. Nothing further was submitted; the CLI exits 3.
   */
  stopped?: RunStop;
  counts: Record<ShotStatus, number>;
  requests: RequestCounters;
  durationMs: number;
}

/** What `plan` and `run` show before anything is sent: the per-shot decisions and their cost. */
export interface RenderPreview {
  /** The ledger with the `adopted` records below folded in. */
  view: LedgerView;
  /** Lock renders taken over for this run (not written: `runShots` appends them). */
  adopted: AdoptedRecord[];
  decisions: RenderDecision[];
  cost: RenderCost;
  damagedLedgerLines: number[];
  /** Runs against another server: their tasks and uploads are not used here. */
  foreignRunIds: Set<string>;
}

/**
 * Reads the ledger, adopts the lock's renders of unchanged shots the ledger does not know (in
 * memory only) and re-hashes the videos on disk, then decides per shot (no network, no writes).
 * `taskRetentionMs` is the server's 24 h, scaled for the emulator; `runId` stamps the adopted
 * records.
 */
export async function previewRenders(
  requests: readonly PlannedRequest[],
  output: RunFiles,
  opts: {
    force: boolean;
    retryFailed: boolean;
    nowMs: number;
    taskRetentionMs?: number;
    baseUrl?: string;
    /** The server the run talks to: tasks and videos of another one are not used here. */
    server?: ServerIdentity;
    currency?: string;
    lock?: RunLock;
    runId?: string;
    /** The server renders are reused from (see reuse.ts `serverIdentity`); without it nothing is reused. */
    reuseServer?: string;
    /** Other manifests' renders (RunInput.reuseSources). */
    reuseSources?: readonly ReuseSource[];
  },
): Promise<RenderPreview> {
  const { records, damagedLines } = await output.readLedger();
  const stamp = { at: new Date(opts.nowMs).toISOString(), runId: opts.runId ?? 'preview' };
  const adopted = adoptLockedRenders(requests, foldLedger(records), opts.lock?.entries, stamp, opts.server);
  const view = foldLedger([...records, ...adopted]);
  const locked = new Map((opts.lock?.entries ?? []).map((e) => [e.id, e]));
  const foreignRunIds = foreignRuns(view, opts.baseUrl, opts.server);
  const decideOpts: RenderDecisionOptions = {
    force: opts.force,
    retryFailed: opts.retryFailed,
    nowMs: opts.nowMs,
    taskRetentionMs: opts.taskRetentionMs ?? TASK_RETENTION_MS,
    foreignRunIds,
    ...(opts.lock ? { lockName: opts.lock.name } : {}),
    ...(opts.server ? { server: opts.server } : {}),
  };
  const sources =
    opts.reuseServer === undefined
      ? []
      : [...ledgerReuseSources(view, { dir: output.dir, server: opts.reuseServer }), ...lockReuseSources(opts.lock?.entries ?? [], { dir: output.dir }), ...(opts.reuseSources ?? [])];
  const verify = verifier(output);
  const producing = new Map<string, string>();
  const decisions: RenderDecision[] = [];
  for (const req of requests) {
    const history = view.shots.get(req.shotId);
    const rendered = renderedAttempt(history, req.key, madeOn(opts.server));
    // Re-hash the file: the ledger says what was written, only the disk says what is there now.
    const disk: VideoOnDisk | undefined = rendered?.download ? await output.hashFile(rendered.download.file) : undefined;
    const d = await withReuse(decideRender(req, history, disk, decideOpts, locked.get(req.shotId)), req, sources, output.dir, verify);
    decisions.push(inRunReuse(d, req, producing, output.dir, (shot) => output.videoRelPath(shot)));
  }
  return { view, adopted, decisions, cost: costOfRenders(requests, decisions, opts.currency), damagedLedgerLines: damagedLines, foreignRunIds };
}

/**
 * A submit or hold of a request the project already has a verified video of becomes a reuse; a
 * new shot whose only difference from such a render is its derived seed says so.
 */
async function withReuse(
  d: RenderDecision,
  req: PlannedRequest,
  sources: readonly ReuseSource[],
  ownDir: string,
  verify: (s: ReuseSource) => Promise<boolean>,
): Promise<RenderDecision> {
  if (sources.length === 0) return d;
  if (mayReuse(d)) for (const s of reuseCandidates(req, sources, ownDir)) if (await verify(s)) return reuseDecision(d, s);
  const twin = d.reasonCode === 'new' ? seedOnlyTwin(req, sources) : undefined;
  return twin ? explainNewSeed(d, twin, req) : d;
}

/** Whether a source's file is on disk with the sha256 it records (each file hashed once). */
function verifier(output: RunFiles): (s: ReuseSource) => Promise<boolean> {
  const hashes = new Map<string, Promise<string | undefined>>();
  return async (s) => {
    if (!s.dir) return false;
    const file = path.join(s.dir, s.from.file);
    let hash = hashes.get(file);
    if (!hash) hashes.set(file, (hash = output.hashAbs(file).then((f) => f.sha256)));
    return (await hash) === s.sha256;
  };
}

/**
 * Runs of the ledger whose tasks cannot be followed from here: sent to another base URL (every
 * in-process emulator session has its own), or to another server identity (region, workspace).
 * None when `baseUrl` is not given.
 */
export function foreignRuns(view: LedgerView, baseUrl: string | undefined, server?: ServerIdentity): Set<string> {
  const out = new Set<string>();
  if (baseUrl === undefined) return out;
  for (const r of view.runs) {
    const made = r.server ?? derivedIdentity(r);
    if (r.baseUrl !== baseUrl || (server && !sameServer(made, server))) out.add(r.runId);
  }
  return out;
}

export async function runShots(input: RunInput, options: RunOptions, deps: RunDeps, signal?: AbortSignal): Promise<RunResult> {
  const { clock, output } = deps;
  const started = clock.now();
  const userSignal = signal ?? new AbortController().signal;
  // The user's Ctrl-C, or the engine's own stop (an account-level refusal): both end every wait.
  const stopper = new AbortController();
  const abort = AbortSignal.any([userSignal, stopper.signal]);
  // Every waiting shot listens for the abort: hundreds of listeners are expected, not a leak.
  setMaxListeners(0, abort);
  const runId = newRunId(started, deps.random());
  const server = input.server ?? serverIdentity(input);
  const preview = await previewRenders(input.requests, output, {
    force: options.force,
    retryFailed: options.retryFailed,
    nowMs: started,
    taskRetentionMs: TASK_RETENTION_MS * options.serverTimeScale,
    baseUrl: input.baseUrl,
    server,
    runId,
    ...(input.lock ? { lock: input.lock } : {}),
    reuseServer: reuseServerOf(input),
    ...(input.reuseSources ? { reuseSources: input.reuseSources } : {}),
  });
  const emit = (e: RunEvent): void => {
    try {
      deps.onEvent(e);
    } catch {
      /* a renderer bug must never break the run or the ledger */
    }
  };
  const emitWarning = (message: string): void => emit({ type: 'warning', at: new Date(clock.now()).toISOString(), message });
  if (preview.damagedLedgerLines.length > 0) {
    emitWarning(`ledger lines ${preview.damagedLedgerLines.join(', ')} are damaged (a crash mid-write) and were ignored`);
  }

  const counters = newRequestCounters();
  const { queries, watcher } = taskQueries(options, deps, counters, emit, emitWarning);
  const ledger = await output.openLedger();
  try {
    const scale = options.serverTimeScale;
    const uploader = new MediaUploader({
      client: deps.client,
      ledger,
      clock,
      runId,
      counters,
      // An oss:// URL is only valid on the server that issued it.
      known: new Map([...preview.view.uploads].filter(([, u]) => !preview.foreignRunIds.has(u.runId))),
      validityMs: UPLOAD_VALIDITY_MS * scale,
      safetyMarginMs: 12 * 3600_000 * scale,
    });
    const services = { deps, ledger, counters, queries, gates: familyGates(input, options, deps), watcher, uploader, downloads: pLimit(Math.max(1, options.downloadConcurrency)) };
    const ctx = new EngineContext({ runId, options, signal: abort, stopper, stopContext: stopContext(input), server, services });
    for (const h of preview.view.shots.values()) for (const a of h.attempts) if (a.taskId && !preview.foreignRunIds.has(a.runId)) ctx.state.knownTasks.add(a.taskId);
    return await runDecided(ctx, input, preview, started);
  } finally {
    watcher.close();
    await output.flushSnapshots();
    await ledger.close();
  }
}

/** `20260101T120000Z-a1b2c3`: the run's start and a random tail. */
function newRunId(startedMs: number, draw: number): string {
  const stamp = new Date(startedMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.floor(draw * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

/** The run's one query throttle (GET, list, cancel share it) and the watcher that polls through it. */
function taskQueries(
  options: RunOptions,
  deps: RunDeps,
  counters: RequestCounters,
  emit: (e: RunEvent) => void,
  emitWarning: (message: string) => void,
): { queries: QueryThrottle; watcher: TaskWatcher } {
  const { clock, output } = deps;
  const scale = options.serverTimeScale;
  const queriesPerWindow = Math.max(1, Math.floor(options.accountQueriesPerSecond * Math.min(1, Math.max(0.01, options.queryShare))));
  const queryLimiter = new SlidingWindowLimiter(queriesPerWindow, 1000 + options.rateWindowSlackMs, clock);
  const queries = new QueryThrottle({
    limiter: queryLimiter,
    backoff: { baseMs: options.queryBackoff.baseMs * scale, maxMs: options.queryBackoff.maxMs * scale },
    throttledFloorMs: 1000 + options.rateWindowSlackMs,
    random: deps.random,
    onBackoff: (ms, code) => emit({ type: 'backoff', at: new Date(clock.now()).toISOString(), scope: 'query', ms, code }),
  });
  const onSnapshot = (shot: string, entry: Record<string, unknown>): void => output.appendSnapshot(shot, entry);
  const watcher: TaskWatcher = deps.createWatcher
    ? deps.createWatcher({ client: deps.client, clock, random: deps.random, queries: queryLimiter, counters, options, onSnapshot, onWarning: emitWarning })
    : new ListPoller({
        client: deps.client,
        clock,
        queries,
        schedule: scalePollSchedule(options.poll, scale),
        shareQps: (queriesPerWindow * 1000) / (1000 + options.rateWindowSlackMs),
        listPageSize: options.listPageSize,
        maxListPages: options.maxListPages,
        listWindowMarginMs: 120_000,
        maxListWindowMs: TASK_RETENTION_MS * scale,
        counters,
        onSnapshot,
        onWarning: emitWarning,
        familyOf: (model) => options.quotaOf(model).family,
      });
  return { queries, watcher };
}

/** One gate per quota family of the run's models: running-task slots and a submit rate. */
function familyGates(input: RunInput, options: RunOptions, deps: RunDeps): Map<string, FamilyGate> {
  const gates = new Map<string, FamilyGate>();
  for (const req of input.requests) {
    const q = options.quotaOf(req.model);
    if (gates.has(q.family)) continue;
    gates.set(q.family, {
      family: q.family,
      slots: new Semaphore(Math.max(1, q.runningTasks)),
      submits: new SlidingWindowLimiter(Math.max(1, q.submitsPerSecond), 1000 + options.rateWindowSlackMs, deps.clock),
      strikes: 0,
      firstAnswer: new FirstAnswerGate(),
    });
  }
  return gates;
}

/** From the decisions to the outcomes: reconcile, check the budget, record the start, run every shot. */
async function runDecided(ctx: EngineContext, input: RunInput, preview: RenderPreview, started: number): Promise<RunResult> {
  const { runId, options } = ctx;
  const unreconciled = new Map<string, string>();
  const decisions = await reconcileOpenIntents(ctx, preview.decisions, preview.view, preview.foreignRunIds, unreconciled);

  const cost = costOfRenders(input.requests, decisions, options.currency);
  const over = options.yes ? undefined : budgetExceeded(cost, options.budget);
  if (over) {
    throw new UserError('budget', 'budget-exceeded', `${over}; nothing was submitted`, 'raise `budget` in pixverse.config.ts, narrow the run with --only, or confirm with --yes');
  }

  await ctx.record<RunStartRecord>({
    t: 'run-start',
    manifest: input.manifest,
    manifestSha256: input.manifestSha256,
    toolVersion: input.toolVersion,
    region: input.region,
    baseUrl: input.baseUrl,
    emulator: input.emulator,
    server: ctx.server,
    shots: input.requests.map((r) => r.shotId),
  });
  // Flushed before any shot acts on them: from here on the ledger itself knows these renders
  // (the decisions above already counted on them), whatever becomes of the lock file.
  for (const r of preview.adopted) await ctx.record<AdoptedRecord>(r);
  const byShot = new Map(input.requests.map((r) => [r.shotId, r]));
  ctx.emit({
    type: 'run-start',
    at: ctx.iso(),
    runId,
    manifest: input.manifest,
    emulator: input.emulator,
    baseUrl: input.baseUrl,
    runFolder: ctx.deps.output.dir,
    shots: decisions.map((d) => ({ shot: d.shot, model: byShot.get(d.shot)!.model, action: d.action, reasonCode: d.reasonCode, reason: d.reason })),
    cost,
  });

  const outcomes = await runEveryShot(ctx, decisions, byShot, unreconciled);
  const counts: Record<ShotStatus, number> = { succeeded: 0, skipped: 0, failed: 0, interrupted: 0, unreconciled: 0 };
  for (const o of outcomes) counts[o.status]++;
  // Interrupted by the user; a run the engine stopped itself says why instead.
  const stopped = ctx.stopped;
  const interrupted = ctx.signal.aborted && !stopped;
  await ctx.record<RunEndRecord>({ t: 'run-end', interrupted, counts, ...(stopped ? { stopped: stopped.code } : {}) });
  const durationMs = ctx.deps.clock.now() - started;
  ctx.emit({ type: 'run-end', at: ctx.iso(), runId, interrupted, counts, durationMs, requests: { ...ctx.counters } });
  return { runId, outcomes, decisions, cost, interrupted, ...(stopped ? { stopped } : {}), counts, requests: ctx.counters, durationMs };
}

/**
 * Every shot yields an outcome value; nothing here can reject and lose the others. Each outcome
 * is registered as its shot starts: a shot copying an in-run twin's video waits on it.
 */
function runEveryShot(
  ctx: EngineContext,
  decisions: readonly RenderDecision[],
  byShot: ReadonlyMap<string, PlannedRequest>,
  unreconciled: ReadonlyMap<string, string>,
): Promise<ShotOutcome[]> {
  const runOne = async (d: RenderDecision): Promise<ShotOutcome> => {
    const req = byShot.get(d.shot)!;
    const why = unreconciled.get(d.shot);
    let outcome: ShotOutcome;
    if (why !== undefined) {
      ctx.phase(d.shot, 'unreconciled', { detail: why });
      outcome = { ...baseOutcome(req, d), status: 'unreconciled', code: 'Unreconciled', message: why };
    } else {
      outcome = await processShot(ctx, req, d).catch(
        (e: unknown): ShotOutcome => ({ ...baseOutcome(req, d), status: 'failed', code: 'InternalError', message: e instanceof Error ? e.message : String(e) }),
      );
    }
    if (ctx.stopped && outcome.status === 'interrupted') outcome = stoppedOutcome(outcome, ctx.stopped);
    // Every shot's end is announced, held ones too: displays count shots by their shot-end.
    ctx.emit({ type: 'shot-end', at: ctx.iso(), outcome });
    return outcome;
  };
  return Promise.all(decisions.map((d) => ctx.state.registerShot(d.shot, runOne(d))));
}

/** Host, region and workspace of the run's server, for the sentences of a stop. */
function stopContext(input: RunInput): StopContext {
  let host = input.baseUrl;
  try {
    host = new URL(input.baseUrl).host;
  } catch {
    /* a base URL that is not a URL fails at the first request; name it as given */
  }
  return { host, region: input.region, ...(input.workspace ? { workspace: input.workspace } : {}) };
}

/** A shot the stop kept from finishing: never sent, or its task left rendering for the next run. */
function stoppedOutcome(o: ShotOutcome, stop: RunStop): ShotOutcome {
  if (o.taskLeftLive) return { ...o, message: `the run stopped (${stop.code}); task ${o.taskId ?? '?'} keeps rendering on the server and the next run picks it up` };
  if (o.code !== undefined) return o;
  return { ...o, message: `not submitted: the run stopped (${stop.code})` };
}

/**
 * Intents without a task id, from earlier runs, are looked up before anything is sent, all of a
 * model in one matching (with the ledger's other open intents, e.g. of a shot changed since):
 * found → re-attach; provably absent → submit; otherwise the shot is unreconciled (or, with
 * `--force`, submitted anyway). The ones left open take part in this run's later lookups.
 */
async function reconcileOpenIntents(
  ctx: EngineContext,
  decisions: RenderDecision[],
  view: LedgerView,
  foreignRunIds: ReadonlySet<string>,
  unreconciled: Map<string, string>,
): Promise<RenderDecision[]> {
  const open = decisions.filter((d) => d.action === 'reconcile' && d.prior);
  const targets = open.map((d): OpenIntent => ({ id: d.shot, model: d.prior!.model, atMs: Date.parse(d.prior!.intentAt), endpoint: d.prior!.endpoint, ...(d.prior!.body ? { body: d.prior!.body } : {}) }));
  const others = otherOpenIntents(view, foreignRunIds, new Set(open.map((d) => d.prior!)));
  for (const i of others) ctx.state.openIntent(i);
  if (open.length === 0) return decisions;
  for (const d of open) ctx.phase(d.shot, 'reconciling');
  let results: ReconcileResult;
  try {
    results = await reconcileIntents([...targets, ...others], ctx.state.knownTasks, reconcileDeps(ctx), reconcileOptions(ctx), ctx.signal, new Set(targets.map((t) => t.id)));
  } catch (e) {
    // A refused key or a server that does not answer: nothing has been sent yet, and nothing will be.
    const stop = stopFor(describeFailure(e), ctx.stopContext);
    if (stop) throw new UserError(stop.kind === 'account' ? 'auth' : 'config', stop.code, `${stop.cause} (${stop.httpStatus ? `HTTP ${stop.httpStatus} ` : ''}${stop.code}: ${stop.message}); nothing was submitted`, stop.hint);
    const why = `could not look earlier submits up in the task list (${e instanceof Error ? e.message : String(e)})`;
    results = { outcomes: open.map((d) => ({ id: d.shot, ambiguous: true as const, reason: 'lookup' as const, candidates: [], rivals: [], why })), statusOf: new Map() };
  }
  const byId = new Map(results.outcomes.map((r) => [r.id, r]));
  const out: RenderDecision[] = [];
  for (const d of decisions) {
    const r = d.action === 'reconcile' ? byId.get(d.shot) : undefined;
    if (!r) {
      out.push(d);
      continue;
    }
    const prior = d.prior!;
    if ('taskId' in r && r.taskId) {
      await ctx.record<ReconciledRecord>({ t: 'reconciled', shot: d.shot, key: prior.key, taskId: r.taskId });
      ctx.state.knownTasks.add(r.taskId);
      out.push({
        ...d,
        action: 'reattach',
        reasonCode: 'live-task',
        reason: `found the task of an earlier submit (${r.taskId}) in the task list; re-attaching`,
        prior: { ...prior, outcome: 'submitted', taskId: r.taskId, submittedAt: prior.intentAt },
      });
    } else if ('taskId' in r) {
      await ctx.record<ReconciledRecord>({ t: 'reconciled', shot: d.shot, key: prior.key, taskId: null });
      if ('unbilled' in r && r.unbilled) ctx.warn(describeUnbilled(r.unbilled, results.statusOf), d.shot);
      out.push({ ...d, action: 'submit', reasonCode: 'not-created', reason: 'an earlier submit created no task (checked in the task list)' });
    } else {
      const why = `an earlier submit's outcome is unknown: ${describeUnreconciled(r, results.statusOf)}`;
      // Still open: no later lookup of this run may hand its possible task to another shot.
      ctx.state.openIntent(targets.find((t) => t.id === d.shot)!);
      if (ctx.options.force) {
        out.push({ ...d, action: 'submit', reasonCode: 'forced', reason: `forced (${why})` });
      } else {
        unreconciled.set(d.shot, `${why}; nothing was resubmitted. Check those tasks in the console, or re-run with --force to submit it again (billed again)`);
        out.push(d);
      }
    }
  }
  return out;
}

/**
 * Open intents of the ledger that no decision reconciles (an older attempt of a shot changed
 * since, a shot not selected): they only take part in the matching, under ids of their own.
 */
function otherOpenIntents(view: LedgerView, foreignRunIds: ReadonlySet<string>, reconciled: ReadonlySet<AttemptState>): OpenIntent[] {
  const out: OpenIntent[] = [];
  for (const [shot, h] of view.shots) {
    h.attempts.forEach((a, n) => {
      if ((a.outcome !== 'intent' && a.outcome !== 'uncertain') || a.taskId || reconciled.has(a) || foreignRunIds.has(a.runId)) return;
      out.push({ id: `${shot} (its earlier submit ${n + 1})`, model: a.model, atMs: Date.parse(a.intentAt), endpoint: a.endpoint, ...(a.body ? { body: a.body } : {}) });
    });
  }
  return out;
}
