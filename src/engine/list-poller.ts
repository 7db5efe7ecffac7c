// One poller per run. Each tick asks the task LIST endpoint (spec §3) for the states of every
// live task at once, then GETs only the tasks that turned final (the list has no video_url,
// usage or error message). Tasks the list does not show (list lag, a window or page it missed)
// fall back to their own GET. Every query goes through the run's shared query limiter, and a
// 429/5xx pauses all queries (shared backoff). The tick adapts to the durations seen so far
// (src/core/task/poll-schedule.ts).
import type { TaskRow, TaskView } from '../core/task/task-view.js';
import { durationStats, nextPollDelayMs, pollQueryBudgetQps, refillQueryBucket } from '../core/task/poll-schedule.js';
import type { FamilyTimings, LiveTaskTiming, PollScheduleConfig, QueryBucket } from '../core/task/poll-schedule.js';
import type { TaskStatus } from '../core/types.js';
import { abortError } from './clock.js';
import type { Clock } from './clock.js';
import { describeFailure } from './dashscope-failure.js';
import type { QueryThrottle } from './query-throttle.js';
import type { RequestCounters } from './request-counters.js';
import type { TaskService } from './ports.js';
import { FINAL_STATUSES } from './task-watcher.js';
import type { TaskObservation, TaskWatcher, WatchTarget } from './task-watcher.js';

export interface ListPollerOptions {
  client: Pick<TaskService, 'getTask' | 'listTasks'>;
  clock: Clock;
  /** The run's shared limiter and backoff for task queries (GET, list, cancel). */
  queries: QueryThrottle;
  schedule: PollScheduleConfig;
  /** The run's share of the account's task-query limit, queries per local second (the schedule's budget never exceeds it). */
  shareQps: number;
  /** Rows per list page (the server's maximum is undocumented; 100 is accepted by the emulator). */
  listPageSize: number;
  /** Pages read per tick at most; tasks beyond them are GET individually. */
  maxListPages: number;
  /** The list window starts this long before the oldest live task's submit (clock skew), ms. */
  listWindowMarginMs: number;
  /** Longest list window the server accepts (24 h), ms; older tasks are GET individually. */
  maxListWindowMs: number;
  counters: RequestCounters;
  /** Every task response as received, for the shot's snapshot file. */
  onSnapshot(shot: string, entry: Record<string, unknown>): void;
  onWarning(message: string): void;
  /** Quota family of a model (catalog), for queue positions; defaults to the watched tasks' families. */
  familyOf?: (model: string) => string | undefined;
}

interface Live {
  target: WatchTarget;
  onChange: (o: TaskObservation) => Promise<void>;
  resolve: (r: TaskView) => void;
  reject: (e: unknown) => void;
  status: TaskStatus | undefined;
  queuePosition: number | undefined;
  /** Local ms when the current phase began (RUNNING first seen, else submit). */
  sinceMs: number;
  running: boolean;
  misses: number;
  nextFallbackAtMs: number;
  fatalErrors: number;
}

const SAMPLE_LIMIT = 32;
/** Consecutive fatal GET errors after which a watch gives up (e.g. 401). */
const MAX_FATAL_GET_ERRORS = 3;

export class ListPoller implements TaskWatcher {
  private readonly live = new Map<string, Live>();
  private readonly samples = new Map<string, number[]>();
  /** The query budget's token bucket (every list and GET takes a token). */
  private bucket: QueryBucket | undefined;
  private looping = false;
  private listDisabled = false;
  private readonly stop = new AbortController();

  constructor(private readonly o: ListPollerOptions) {}

  watch(target: WatchTarget, onChange: (o: TaskObservation) => Promise<void>, signal?: AbortSignal): Promise<TaskView> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<TaskView>((resolve, reject) => {
      const onAbort = (): void => {
        this.live.delete(target.taskId);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      const now = this.o.clock.now();
      this.live.set(target.taskId, {
        target,
        onChange,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        status: target.status,
        queuePosition: undefined,
        sinceMs: target.fresh ? target.submittedAtMs : now,
        running: target.status === 'RUNNING',
        misses: 0,
        nextFallbackAtMs: now,
        fatalErrors: 0,
      });
      this.ensureLoop();
    });
  }

  close(): void {
    this.stop.abort();
    for (const l of this.live.values()) l.reject(abortError(this.stop.signal));
    this.live.clear();
  }

  private ensureLoop(): void {
    if (this.looping || this.stop.signal.aborted) return;
    this.looping = true;
    void this.loop().finally(() => {
      this.looping = false;
      if (this.live.size > 0 && !this.stop.signal.aborted) this.ensureLoop();
    });
  }

  private async loop(): Promise<void> {
    while (this.live.size > 0 && !this.stop.signal.aborted) {
      try {
        await this.o.clock.sleep(this.nextDelayMs(), this.stop.signal);
        await this.tick();
      } catch (e) {
        if (this.stop.signal.aborted) return;
        // A bug in a callback must not stop the others' polling; report and go on.
        this.o.onWarning(`poller: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** The live tasks by family, with the durations each family's tasks have taken so far. */
  private familyTimings(): FamilyTimings[] {
    const byFamily = new Map<string, FamilyTimings & { live: LiveTaskTiming[] }>();
    for (const l of this.live.values()) {
      const family = l.target.family;
      let f = byFamily.get(family);
      if (!f) byFamily.set(family, (f = { live: [], stats: durationStats(this.samples.get(family) ?? []) }));
      f.live.push({ sinceMs: l.sinceMs, running: l.running });
    }
    return [...byFamily.values()];
  }

  /** The bucket refilled to now at the current budget. */
  private refilledBucket(families: readonly FamilyTimings[]): QueryBucket {
    const now = this.o.clock.now();
    const qps = pollQueryBudgetQps(families, this.o.schedule, this.o.shareQps);
    return refillQueryBucket(this.bucket ?? { tokens: 1, atMs: now }, now, qps, this.o.schedule);
  }

  /** A query is being sent: it takes a token. */
  private spend(): void {
    const b = this.refilledBucket(this.familyTimings());
    this.bucket = { tokens: b.tokens - 1, atMs: b.atMs };
  }

  /** The next tick's delay: what the live tasks of every family want, within the query budget. */
  private nextDelayMs(): number {
    const families = this.familyTimings();
    this.bucket = this.refilledBucket(families);
    return nextPollDelayMs(this.o.clock.now(), families, this.o.schedule, this.o.shareQps, this.bucket);
  }

  private async tick(): Promise<void> {
    const lives = [...this.live.values()];
    if (lives.length === 0) return;
    const rows = this.listDisabled ? undefined : await this.listLive(lives);
    const now = this.o.clock.now();
    // Once per tick, not per task: both scale with every live task (or every listed row).
    const positions = rows ? queuePositions(rows, (m) => this.familyOfRow(m)) : undefined;
    let fallbackBaseMs: number | undefined;
    // Tasks are independent: a finished task's GET never waits behind another task's ledger
    // write, so its slot frees (and the next shot is submitted) as soon as possible.
    const work: Array<Promise<void>> = [];
    for (const l of lives) {
      // A watch aborted while this tick was in flight must hear nothing more.
      if (!this.live.has(l.target.taskId)) continue;
      const row = rows?.get(l.target.taskId);
      if (row) {
        l.misses = 0;
        const status = row.status;
        if (FINAL_STATUSES.has(status)) {
          work.push(this.getAndObserve(l));
          continue;
        }
        const queuePosition = status === 'PENDING' ? positions?.get(row.taskId) : undefined;
        work.push(this.observe(l, status, undefined, queuePosition, row));
      } else if (rows !== undefined || this.listDisabled) {
        // Not in the list: GET it, at a slowing pace while the list keeps missing it.
        if (this.listDisabled || now >= l.nextFallbackAtMs) {
          l.misses++;
          fallbackBaseMs ??= this.nextDelayMs();
          l.nextFallbackAtMs = now + fallbackBaseMs * 2 ** Math.min(l.misses, 4);
          work.push(this.getAndObserve(l));
        }
      }
    }
    const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Model → family of the watched tasks (rows of other models are ignored for queue positions). */
  private familyOfRow(model: string): string | undefined {
    if (this.o.familyOf) return this.o.familyOf(model);
    for (const l of this.live.values()) if (l.target.model === model) return l.target.family;
    return undefined;
  }

  /** One list window covering every live task; undefined when the list failed this tick. */
  private async listLive(lives: Live[]): Promise<Map<string, TaskRow> | undefined> {
    const now = this.o.clock.now();
    const oldest = Math.min(...lives.map((l) => l.target.submittedAtMs));
    const start = Math.max(oldest - this.o.listWindowMarginMs, now - this.o.maxListWindowMs + this.o.listWindowMarginMs);
    const rows = new Map<string, TaskRow>();
    for (let page = 1; page <= this.o.maxListPages; page++) {
      let result;
      try {
        await this.o.queries.acquire(this.stop.signal);
        this.o.counters.listTasks++;
        this.spend();
        // Only a start: the server's window is then 24 h from it in ITS clock, so a server clock
        // ahead of ours (by less than a day) never hides a task created after `start`; tasks the
        // list misses anyway are GET on their own below.
        result = await this.o.client.listTasks({ startTime: new Date(start), pageNo: page, pageSize: this.o.listPageSize });
        this.o.queries.succeeded();
      } catch (e) {
        if (this.stop.signal.aborted) throw e;
        const f = describeFailure(e);
        if (f.errorClass === 'fatal') {
          // E.g. a key whose policy forbids the batch query: poll each task on its own instead.
          this.listDisabled = true;
          this.o.onWarning(`task list unavailable (${f.code}: ${f.message}); polling tasks one by one`);
        } else {
          // Throttled or a server hiccup: every query pauses; the next tick tries again.
          this.o.queries.failed(f.code, f.retryAfterMs);
        }
        return page === 1 ? undefined : rows;
      }
      for (const row of result.rows) rows.set(row.taskId, row);
      if (page >= result.totalPages) break;
    }
    return rows;
  }

  private async getAndObserve(l: Live): Promise<void> {
    let response: TaskView;
    try {
      await this.o.queries.acquire(this.stop.signal);
      this.o.counters.getTask++;
      this.spend();
      response = await this.o.client.getTask(l.target.taskId);
      this.o.queries.succeeded();
      l.fatalErrors = 0;
    } catch (e) {
      if (this.stop.signal.aborted) throw e;
      const f = describeFailure(e);
      if (f.errorClass === 'fatal') {
        l.fatalErrors++;
        if (l.fatalErrors >= MAX_FATAL_GET_ERRORS) {
          this.live.delete(l.target.taskId);
          l.reject(e);
        }
      } else {
        this.o.queries.failed(f.code, f.retryAfterMs);
      }
      return;
    }
    this.o.onSnapshot(l.target.shot, { source: 'get', response: response.raw });
    const status = response.status;
    if (FINAL_STATUSES.has(status)) {
      this.live.delete(l.target.taskId);
      if (l.target.fresh || l.running) this.addSample(l.target.family, this.o.clock.now() - l.sinceMs);
      try {
        await this.observe(l, status, response, undefined, undefined);
      } finally {
        l.resolve(response);
      }
      return;
    }
    if (this.live.has(l.target.taskId)) await this.observe(l, status, response, l.queuePosition, undefined);
  }

  private async observe(
    l: Live,
    status: TaskStatus,
    response: TaskView | undefined,
    queuePosition: number | undefined,
    row: TaskRow | undefined,
  ): Promise<void> {
    if (status === l.status && queuePosition === l.queuePosition) return;
    if (status === 'RUNNING' && !l.running) {
      l.running = true;
      l.sinceMs = this.o.clock.now();
    }
    if (row && status !== l.status) this.o.onSnapshot(l.target.shot, { source: 'list', row: row.raw });
    l.status = status;
    l.queuePosition = queuePosition;
    await l.onChange({ status, ...(response ? { response } : {}), ...(queuePosition !== undefined ? { queuePosition } : {}) });
  }

  private addSample(family: string, ms: number): void {
    const s = this.samples.get(family) ?? [];
    s.push(ms);
    if (s.length > SAMPLE_LIMIT) s.shift();
    this.samples.set(family, s);
  }
}

/**
 * Each PENDING row's position among the PENDING rows of its family, oldest first (the emulator
 * and, we assume, the service are FIFO). Rows without `gmt_create` or of a model no watched
 * family has get none.
 */
function queuePositions(rows: ReadonlyMap<string, TaskRow>, familyOf: (model: string) => string | undefined): Map<string, number> {
  const byFamily = new Map<string, Array<{ id: string; at: number }>>();
  for (const r of rows.values()) {
    if (r.status !== 'PENDING' || r.createdAtMs === undefined) continue;
    const family = familyOf(r.model);
    if (family === undefined) continue;
    const list = byFamily.get(family) ?? [];
    list.push({ id: r.taskId, at: r.createdAtMs });
    byFamily.set(family, list);
  }
  const out = new Map<string, number>();
  for (const list of byFamily.values()) {
    list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    list.forEach((r, i) => out.set(r.id, i + 1));
  }
  return out;
}
