// When to look at live tasks again. Pure: the engine's poller passes the clock reading, the live
// tasks of each quota family and what it has learnt about that family's task durations; this
// module says how long to wait.
//
// Why not the SDK's schedule: `wait()` polls EVERY task on its own (1,1,2,2,2,4,4,4,5,5… s), so
// ten live tasks cost ten queries every 5 s, and a task that ends right after a poll is noticed
// up to 5 s late. One list query reports many tasks' states at once (spec §3), so the engine ticks
// once for all live tasks and spends the saved queries on ticking more often when a task is
// likely to end. Durations are learnt from the run itself, per family (the emulator's time scale
// or the real service's queue both change them by orders of magnitude).
//
// Two things bound the tick, whichever is slower:
// - its use: a tick is worth it when a task may have ended; with durations known it comes every
//   `fraction` of the typical duration, and not at all while no task can plausibly be done;
// - its cost: the query rate (lists plus the GET each finished task needs) stays within a budget
//   that follows what is live — `fewTasksQps` while at most `fewTasks` tasks are live, else
//   `queriesPerTask` queries over each live task's typical duration — and never above the run's
//   share of the account's 20 QPS.

/** One tick = one polling round for ALL live tasks of the run (config `polling`). */
export interface PollScheduleConfig {
  /** Shortest wait between two ticks, ms (config `polling.minIntervalMs`). */
  minIntervalMs: number;
  /** Longest wait between two ticks, ms (config `polling.maxIntervalMs`; docs advise ~15 s; the SDK caps at 5 s per task). */
  maxIntervalMs: number;
  /** Once durations are known: tick every `fraction` of the typical duration (0.015 = 1.5%). */
  fraction: number;
  /** Before any duration is known: wait `growth` times the age of the youngest live task. */
  growth: number;
  /** Live tasks up to which the query rate is held at `fewTasksQps`. */
  fewTasks: number;
  /** Task queries per second (server time) while at most `fewTasks` tasks are live; the least budget otherwise. */
  fewTasksQps: number;
  /** With more tasks live: queries each live task may cost over its family's typical duration (list share + its final GET). */
  queriesPerTask: number;
  /**
   * The budget is a token bucket refilled at the budget's rate and holding at most this long a
   * budget, ms: every query actually sent (final GETs included) takes a token, so a burst of GETs
   * pushes the next ticks back, and a quiet spell buys at most this much of a burst.
   */
  burstMs: number;
}

/** The config's `polling` defaults (src/config/resolve-config.ts) are these bounds, so library and CLI runs agree. */
export const DEFAULT_POLL_SCHEDULE: PollScheduleConfig = {
  minIntervalMs: 200,
  maxIntervalMs: 15_000,
  fraction: 0.015,
  growth: 0.05,
  fewTasks: 5,
  fewTasksQps: 2,
  queriesPerTask: 5,
  burstMs: 500,
};

/** What the schedule needs to know about one live task. */
export interface LiveTaskTiming {
  /** Local ms when the task's current phase began: RUNNING first observed, else submit. */
  sinceMs: number;
  /** True once the task was seen RUNNING (its duration sample then starts at `sinceMs`). */
  running: boolean;
}

/** Durations learnt so far, ms: from the start a task was observed in (running or submitted) to its end. */
export interface DurationStats {
  /** Typical duration (median of recent samples). */
  typicalMs: number;
  /** A low estimate: few tasks end sooner than this after starting. */
  lowMs: number;
}

/** The live tasks of one quota family and the durations its tasks have taken in this batch. */
export interface FamilyTimings {
  live: readonly LiveTaskTiming[];
  stats: DurationStats | undefined;
}

/** Median and a low quantile of a sample; undefined for an empty sample. */
export function durationStats(samples: readonly number[]): DurationStats | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  // With few samples the low quantile is the minimum; shade it so an early finisher is not missed.
  return { typicalMs: q(0.5), lowMs: q(0.1) * 0.7 };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Task queries per second the run's polling may spend now (lists and final GETs together), in
 * the schedule's time (local seconds once scaled). `shareQps` is the run's share of the
 * account's query limit, in the same time.
 */
export function pollQueryBudgetQps(families: readonly FamilyTimings[], cfg: PollScheduleConfig, shareQps: number): number {
  let live = 0;
  let byDuration = 0;
  for (const f of families) {
    live += f.live.length;
    if (f.stats) byDuration += (f.live.length * cfg.queriesPerTask * 1000) / Math.max(1, f.stats.typicalMs);
  }
  const qps = live <= cfg.fewTasks ? cfg.fewTasksQps : Math.max(cfg.fewTasksQps, byDuration);
  return Math.min(shareQps, qps);
}

/** The GETs expected per second for tasks that finish (one each), from the typical durations. */
function expectedFinalGetsQps(families: readonly FamilyTimings[]): number {
  let qps = 0;
  for (const f of families) if (f.stats) qps += (f.live.length * 1000) / Math.max(1, f.stats.typicalMs);
  return qps;
}

/** When one family wants its next look: its use of a tick alone, ignoring the cost. */
function familyDelayMs(nowMs: number, f: FamilyTimings, cfg: PollScheduleConfig): number {
  if (f.live.length === 0) return cfg.maxIntervalMs;
  if (!f.stats) {
    const youngestAge = Math.min(...f.live.map((t) => Math.max(0, nowMs - t.sinceMs)));
    return clamp(youngestAge * cfg.growth, cfg.minIntervalMs, cfg.maxIntervalMs);
  }
  const fine = clamp(f.stats.typicalMs * cfg.fraction, cfg.minIntervalMs, cfg.maxIntervalMs);
  // A task still PENDING has not started running: it cannot end before it has run `lowMs`.
  const earliestEnd = Math.min(...f.live.map((t) => t.sinceMs + f.stats!.lowMs));
  const untilPlausible = earliestEnd - nowMs;
  if (untilPlausible > fine) return clamp(untilPlausible, cfg.minIntervalMs, cfg.maxIntervalMs);
  return fine;
}

/** Tokens of the query budget (see `burstMs`): negative after a burst of GETs. */
export interface QueryBucket {
  tokens: number;
  atMs: number;
}

/** The bucket at `nowMs`, refilled at `qps` (per schedule second) up to `burstMs` of it. */
export function refillQueryBucket(b: QueryBucket, nowMs: number, qps: number, cfg: PollScheduleConfig): QueryBucket {
  const cap = Math.max(1, (qps * cfg.burstMs) / 1000);
  return { tokens: Math.min(cap, b.tokens + (Math.max(0, nowMs - b.atMs) * qps) / 1000), atMs: Math.max(nowMs, b.atMs) };
}

/**
 * Milliseconds to wait before the next tick.
 * - Use: the soonest any family wants to look. No duration known yet: a fraction (`growth`) of
 *   the youngest task's age, so a batch of quick tasks is noticed quickly and long ones cost few
 *   queries while we learn. Durations known: no task is plausibly done before `sinceMs + lowMs`;
 *   sleep until the first such moment, then tick every `fraction * typicalMs`.
 * - Cost: ticks no closer than the budget allows once the finished tasks' GETs are paid for
 *   (at least a quarter of the budget is kept for lists, so detection never stops), and not
 *   before the bucket (`bucket`, already refilled to `nowMs`) holds a token for this tick's list
 *   and the GETs it may bring.
 */
export function nextPollDelayMs(
  nowMs: number,
  families: readonly FamilyTimings[],
  cfg: PollScheduleConfig,
  shareQps: number,
  bucket?: QueryBucket,
): number {
  if (!families.some((f) => f.live.length > 0)) return cfg.maxIntervalMs;
  const wanted = Math.min(...families.map((f) => familyDelayMs(nowMs, f, cfg)));
  const budget = pollQueryBudgetQps(families, cfg, shareQps);
  const gets = expectedFinalGetsQps(families);
  const forLists = Math.max(budget / 4, budget - gets);
  const delay = Math.max(wanted, 1000 / Math.max(1e-9, forLists));
  const need = 1 + (gets * delay) / 1000;
  const tokensThen = bucket ? bucket.tokens + (delay * budget) / 1000 : need;
  const refillDelay = tokensThen >= need ? 0 : ((need - tokensThen) * 1000) / Math.max(1e-9, budget);
  return clamp(delay + refillDelay, cfg.minIntervalMs, cfg.maxIntervalMs);
}

/**
 * The official SDK's per-task `wait()` schedule (spec §2), in seconds before poll number `n`
 * (1-based): it starts at 1 s and doubles every third poll, capped at 5 s → 1,1,2,2,2,4,4,4,5,5…
 * Kept as the baseline the benchmark compares against.
 */
export function sdkWaitIntervalSeconds(n: number): number {
  return Math.min(5, 2 ** Math.floor(Math.max(1, n) / 3));
}

/**
 * The schedule in local time when the server runs `scale` real seconds per server second (the
 * emulator): intervals shrink and rates grow by the same factor, so the poller behaves in server
 * time exactly as it would against the real service.
 */
export function scalePollSchedule(cfg: PollScheduleConfig, scale: number, floorMs = 1): PollScheduleConfig {
  return {
    ...cfg,
    minIntervalMs: Math.max(floorMs, cfg.minIntervalMs * scale),
    maxIntervalMs: Math.max(floorMs, cfg.maxIntervalMs * scale),
    burstMs: cfg.burstMs * scale,
    fewTasksQps: cfg.fewTasksQps / scale,
  };
}
