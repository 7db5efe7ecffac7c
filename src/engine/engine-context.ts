// What every shot of one run shares: the services (ledger, limiters and slots, watcher, counters)
// and the run's mutable state (run-state.ts).
import type { LimitFunction } from 'p-limit';
import type { LedgerRecord } from '../core/ledger/records.js';
import { backoffDelayMs } from '../core/task/backoff.js';
import { stopFor } from '../core/task/run-stop.js';
import type { RunStop, StopContext } from '../core/task/run-stop.js';
import type { Failure } from './dashscope-failure.js';
import type { FirstAnswerGate } from './first-answer-gate.js';
import type { ServerIdentity } from '../core/server-identity.js';
import type { RunEvent, ShotEvent } from './events.js';
import type { QueryThrottle } from './query-throttle.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import type { LedgerSink } from './ports.js';
import type { RequestCounters } from './request-counters.js';
import { RunState } from './run-state.js';
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
  /** The family's first submit goes alone, until an answer proves the server takes them. */
  firstAnswer: FirstAnswerGate;
}

/** The services a run's shots use: built once by `runShots`, never reassigned. */
export interface EngineServices {
  deps: RunDeps;
  ledger: LedgerSink;
  counters: RequestCounters;
  /** Every task query (GET, list, cancel) of the run: one limiter, one shared backoff. */
  queries: QueryThrottle;
  /** One per quota family. */
  gates: Map<string, FamilyGate>;
  watcher: TaskWatcher;
  uploader: MediaUploader;
  /** Downloads at once, at most `options.downloadConcurrency`. */
  downloads: LimitFunction;
}

export interface EngineContextInit {
  runId: string;
  options: RunOptions;
  /** Aborts on interrupt (Ctrl-C) or on `stop`: shots stop waiting, nothing new is sent. */
  signal: AbortSignal;
  /** Aborted by `stop` (an account-level refusal, an unreachable server); part of `signal`. */
  stopper: AbortController;
  /** What the run talks to, for stop messages. */
  stopContext: StopContext;
  /** The server's identity, recorded with every intent. */
  server: ServerIdentity;
  services: EngineServices;
}

/** Submits in a row that reached no server before the run stops as unreachable (a blip is retried). */
export const UNREACHABLE_STRIKES = 3;

/**
 * What every shot of one run shares. The services are read-only fields (`deps`, `ledger`…); what
 * changes while the run goes is in `state` (and in the family gates' limiters and strikes).
 */
export class EngineContext {
  readonly runId: string;
  readonly options: RunOptions;
  readonly signal: AbortSignal;
  readonly deps: RunDeps;
  readonly ledger: LedgerSink;
  readonly counters: RequestCounters;
  readonly queries: QueryThrottle;
  readonly gates: Map<string, FamilyGate>;
  readonly watcher: TaskWatcher;
  readonly uploader: MediaUploader;
  readonly downloads: LimitFunction;
  readonly stopContext: StopContext;
  readonly server: ServerIdentity;
  readonly state = new RunState();
  private readonly stopper: AbortController;
  /** Why the run stopped early (an account-level refusal, an unreachable server); the first one wins. */
  private stoppedBy: RunStop | undefined;
  /** Consecutive submits, across families, that reached no server. */
  private unreachable = 0;

  constructor(init: EngineContextInit) {
    this.runId = init.runId;
    this.options = init.options;
    this.signal = init.signal;
    this.stopper = init.stopper;
    this.stopContext = init.stopContext;
    this.server = init.server;
    ({
      deps: this.deps,
      ledger: this.ledger,
      counters: this.counters,
      queries: this.queries,
      gates: this.gates,
      watcher: this.watcher,
      uploader: this.uploader,
      downloads: this.downloads,
    } = init.services);
  }

  get stopped(): RunStop | undefined {
    return this.stoppedBy;
  }

  /** Ends the run early: no further submit; shots waiting or following tasks end as interrupted. */
  stop(s: RunStop): void {
    if (this.stoppedBy) return;
    this.stoppedBy = s;
    const reason = new Error(`the run stopped: ${s.code}`);
    reason.name = 'AbortError';
    this.stopper.abort(reason);
  }

  /**
   * Stops the run when the failure calls for it and says so: an account-level refusal at once,
   * an unreachable server after UNREACHABLE_STRIKES submits in a row (`countStrike`), or at once
   * when the client already retried (`countStrike` false).
   */
  stopIfFatalForRun(f: Failure, countStrike: boolean): boolean {
    const s = stopFor(f, this.stopContext);
    if (!s) return false;
    if (s.kind === 'unreachable' && countStrike && ++this.unreachable < UNREACHABLE_STRIKES) return false;
    this.stop(s);
    return true;
  }

  /** A server answered (anything over HTTP): it is reachable. */
  answered(): void {
    this.unreachable = 0;
  }

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
}
