// What every shot of one run shares: the ledger, the limiters and slots, the watcher, counters.
import type { LimitFunction } from 'p-limit';
import type { LedgerRecord } from '../core/ledger/records.js';
import type { LedgerWriter } from '../io/ledger-file.js';
import { backoffDelayMs } from '../core/task/backoff.js';
import type { RunEvent, ShotEvent } from './events.js';
import type { QueryThrottle } from './query-throttle.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import type { RequestCounters } from './request-counters.js';
import type { RunDeps, RunOptions } from './run-options.js';
import type { Semaphore } from './semaphore.js';
import type { TaskWatcher } from './task-watcher.js';
import type { MediaUploader } from './uploads.js';

export interface FamilyGate {
  family: string;
  /** Running-task slots (PENDING or RUNNING), held from submit until the task is final. */
  slots: Semaphore;
  /** Submits per second, and the family's shared throttling backoff. */
  submits: SlidingWindowLimiter;
  /** Consecutive throttled/failed submits of the family (grows the shared backoff). */
  strikes: number;
}

export class EngineContext {
  /** Task ids the ledger or this run attribute to shots (reconciliation ignores them). */
  readonly knownTasks = new Set<string>();
  /** Submit POSTs on the wire per model: reconciliation waits for them to settle. */
  private readonly inFlight = new Map<string, number>();
  private readonly settleWaiters = new Map<string, Array<() => void>>();
  private reconcileTail: Promise<void> = Promise.resolve();

  constructor(
    readonly runId: string,
    readonly options: RunOptions,
    readonly deps: RunDeps,
    readonly ledger: LedgerWriter,
    readonly counters: RequestCounters,
    /** Every task query (GET, list, cancel) of the run: one limiter, one shared backoff. */
    readonly queries: QueryThrottle,
    readonly gates: Map<string, FamilyGate>,
    readonly watcher: TaskWatcher,
    readonly uploader: MediaUploader,
    readonly downloads: LimitFunction,
    readonly signal: AbortSignal,
  ) {}

  now(): number {
    return this.deps.clock.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  emit(e: RunEvent): void {
    try {
      this.deps.onEvent(e);
    } catch {
      // A renderer bug must never break the run or the ledger.
    }
  }

  phase(shot: string, phase: ShotEvent['phase'], extra: Omit<ShotEvent, 'type' | 'at' | 'shot' | 'phase'> = {}): void {
    this.emit({ type: 'shot', at: this.iso(), shot, phase, ...extra });
  }

  warn(message: string, shot?: string): void {
    this.emit({ type: 'warning', at: this.iso(), message, ...(shot ? { shot } : {}) });
  }

  /** Appends and flushes one ledger record (`at` and `runId` filled in). */
  async record<R extends LedgerRecord>(r: Omit<R, 'at' | 'runId'>): Promise<void> {
    await this.ledger.append({ ...r, at: this.iso(), runId: this.runId } as unknown as LedgerRecord);
  }

  snapshot(shot: string, entry: Record<string, unknown>): void {
    this.deps.output.appendSnapshot(shot, entry);
  }

  /** Server time → local ms (the emulator's time scale). */
  serverMs(ms: number): number {
    return ms * this.options.serverTimeScale;
  }

  gateOf(model: string): FamilyGate {
    const family = this.options.quotaOf(model).family;
    const g = this.gates.get(family);
    if (!g) throw new Error(`no quota gate for family ${family}`);
    return g;
  }

  /** Shared family backoff after a throttled (or failed) submit; returns the pause in ms. */
  throttleFamily(gate: FamilyGate, code: string, retryAfterMs: number | undefined): number {
    gate.strikes++;
    const cfg = this.options.submitBackoff;
    const scaled = { baseMs: this.serverMs(cfg.baseMs), maxMs: this.serverMs(cfg.maxMs) };
    const ms = backoffDelayMs(scaled, gate.strikes, this.deps.random(), retryAfterMs);
    gate.submits.pauseFor(ms);
    this.emit({ type: 'backoff', at: this.iso(), scope: 'submit', family: gate.family, ms, code });
    return ms;
  }

  submitStarted(model: string): void {
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
  }

  submitSettled(model: string): void {
    const n = (this.inFlight.get(model) ?? 1) - 1;
    this.inFlight.set(model, n);
    if (n === 0) {
      for (const w of this.settleWaiters.get(model) ?? []) w();
      this.settleWaiters.delete(model);
    }
  }

  /** Resolves when no submit of `model` is on the wire (their tasks would look unknown). */
  submitsSettled(model: string): Promise<void> {
    if ((this.inFlight.get(model) ?? 0) === 0) return Promise.resolve();
    return new Promise((r) => this.settleWaiters.set(model, [...(this.settleWaiters.get(model) ?? []), r]));
  }

  /** Runs reconciliations one at a time, so two never claim the same unknown task. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.reconcileTail.then(fn);
    this.reconcileTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
