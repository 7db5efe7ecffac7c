// Counters of what the emulator saw. Exact by construction: every handler records once.
import type { EmulatorStats } from './types.js';
import type { TaskStore } from './task-store.js';
import { PeakRate } from './rate-window.js';

export type EndpointName = 'submit' | 'getTask' | 'listTasks' | 'cancel' | 'getPolicy' | 'upload' | 'download' | 'stats' | 'other';

export class StatsCollector {
  private requests: Record<string, number> = {};
  private byPath: Record<string, number> = {};
  private throttled: Record<string, number> = {};
  private submitsByBody: Record<string, number> = {};
  private tasksCreated = 0;
  private queries = new PeakRate();
  private queryTimes: number[] = [];
  private submitRates = new Map<string, PeakRate>();
  /** Tasks created before this sequence number are left out of `tasks`. */
  private taskEpoch = 0;

  request(name: EndpointName): void {
    this.requests[name] = (this.requests[name] ?? 0) + 1;
  }

  /** A request on `route` (`METHOD /path`, ids replaced by placeholders). */
  path(route: string): void {
    this.byPath[route] = (this.byPath[route] ?? 0) + 1;
  }

  constructor(private readonly recordQueryTimes = false) {}

  /** A request to getTask/listTasks/cancel, counted whether or not it is throttled. */
  taskQuery(realNow: number, emulatedNow: number): void {
    this.queries.record(realNow);
    if (this.recordQueryTimes) this.queryTimes.push(emulatedNow);
  }

  /** A submit for `family`, counted whether or not it is throttled. */
  submitAttempt(family: string, realNow: number): void {
    let rate = this.submitRates.get(family);
    if (!rate) {
      rate = new PeakRate();
      this.submitRates.set(family, rate);
    }
    rate.record(realNow);
  }

  throttle(code: string): void {
    this.throttled[code] = (this.throttled[code] ?? 0) + 1;
  }

  taskCreated(bodySha256: string): void {
    this.tasksCreated++;
    this.submitsByBody[bodySha256] = (this.submitsByBody[bodySha256] ?? 0) + 1;
  }

  reset(store: TaskStore): void {
    this.requests = {};
    this.byPath = {};
    this.throttled = {};
    this.submitsByBody = {};
    this.tasksCreated = 0;
    this.queries = new PeakRate();
    this.queryTimes = [];
    this.submitRates = new Map();
    this.taskEpoch = store.all().reduce((max, t) => Math.max(max, t.seq + 1), this.taskEpoch);
    store.resetPeaks();
  }

  snapshot(store: TaskStore): EmulatorStats {
    const peaks = store.peaks();
    const peakSubmitsPerSecond: Record<string, number> = {};
    for (const [family, rate] of this.submitRates) peakSubmitsPerSecond[family] = rate.peak;
    const duplicateSubmits = Object.values(this.submitsByBody).reduce((sum, n) => sum + (n - 1), 0);
    return {
      requests: { ...this.requests },
      requestsByPath: { ...this.byPath },
      peakQueriesPerSecond: this.queries.peak,
      peakRunningTasks: peaks.running,
      peakActiveTasks: peaks.active,
      peakSubmitsPerSecond,
      throttled: { ...this.throttled },
      submitsByBody: { ...this.submitsByBody },
      duplicateSubmits,
      tasksCreated: this.tasksCreated,
      foreignTasks: store.all().filter((t) => t.seq >= this.taskEpoch && t.client === 'other').length,
      tasks: store
        .all()
        .filter((t) => t.seq >= this.taskEpoch)
        .sort((a, b) => a.seq - b.seq)
        .map((t) => ({
          taskId: t.id,
          model: t.model.name,
          family: t.model.family,
          pool: t.model.quota.family,
          status: t.status,
          bodySha256: t.bodySha256,
          ...(t.markers.shot ? { shotHint: t.markers.shot } : {}),
          ...(t.client ? { client: t.client } : {}),
          ...(t.notes.length > 0 ? { notes: [...t.notes] } : {}),
          times: {
            submitMs: t.submitAt,
            ...(t.startAt !== undefined ? { startMs: t.startAt } : {}),
            ...(t.endAt !== undefined ? { endMs: t.endAt } : {}),
            ...(t.seenFinalAt !== undefined ? { seenFinalMs: t.seenFinalAt } : {}),
          },
        })),
      ...(this.recordQueryTimes ? { queryTimes: [...this.queryTimes] } : {}),
    };
  }
}
