// When to look at live tasks again. Pure: the engine's poller passes the clock reading and what it
// has learnt about task durations; this module says how long to wait.
//
// Why not the SDK's schedule: `wait()` polls EVERY task on its own (1,1,2,2,2,4,4,4,5,5… s), so
// ten live tasks cost ten queries every 5 s, and a task that ends right after a poll is noticed
// up to 5 s late. One list query reports many tasks' states at once (spec §3), so the engine ticks
// once for all live tasks and spends the saved queries on ticking more often when a task is
// likely to end. Durations are learnt from the run itself (the emulator's time scale or the real
// service's queue both change them by orders of magnitude).

/** One tick = one polling round for ALL live tasks of the run (config `polling`). */
export interface PollScheduleConfig {
  /** Shortest wait between two ticks, ms (config `polling.minIntervalMs`). */
  minIntervalMs: number;
  /** Longest wait between two ticks, ms (config `polling.maxIntervalMs`; docs advise ~15 s; the SDK caps at 5 s per task). */
  maxIntervalMs: number;
  /** Once durations are known: tick every `fraction` of the typical duration (0.05 = 5%). */
  fraction: number;
  /** Before any duration is known: wait `growth` times the age of the youngest live task. */
  growth: number;
}

/** The config's `polling` defaults (src/config/resolve-config.ts) are these bounds, so library and CLI runs agree. */
export const DEFAULT_POLL_SCHEDULE: PollScheduleConfig = {
  minIntervalMs: 2_000,
  maxIntervalMs: 15_000,
  fraction: 0.04,
  growth: 0.15,
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
 * Milliseconds to wait before the next tick.
 * - No duration known yet: wait a fraction (`growth`) of the youngest task's age, so a batch of
 *   quick tasks is noticed quickly and long ones cost few queries while we learn.
 * - Durations known: no task is plausibly done before `sinceMs + lowMs`; sleep until the first
 *   such moment, then tick every `fraction * typicalMs`.
 */
export function nextPollDelayMs(
  nowMs: number,
  live: readonly LiveTaskTiming[],
  stats: DurationStats | undefined,
  cfg: PollScheduleConfig,
): number {
  if (live.length === 0) return cfg.maxIntervalMs;
  if (!stats) {
    const youngestAge = Math.min(...live.map((t) => Math.max(0, nowMs - t.sinceMs)));
    return clamp(youngestAge * cfg.growth, cfg.minIntervalMs, cfg.maxIntervalMs);
  }
  const fine = clamp(stats.typicalMs * cfg.fraction, cfg.minIntervalMs, cfg.maxIntervalMs);
  // A task still PENDING has not started running: it cannot end before it has run `lowMs`.
  const earliestEnd = Math.min(...live.map((t) => t.sinceMs + stats.lowMs));
  const untilPlausible = earliestEnd - nowMs;
  if (untilPlausible > fine) return clamp(untilPlausible, cfg.minIntervalMs, cfg.maxIntervalMs);
  return fine;
}

/**
 * The official SDK's per-task `wait()` schedule (spec §2), in seconds before poll number `n`
 * (1-based): it starts at 1 s and doubles every third poll, capped at 5 s → 1,1,2,2,2,4,4,4,5,5…
 * Kept as the baseline the benchmark compares against.
 */
export function sdkWaitIntervalSeconds(n: number): number {
  return Math.min(5, 2 ** Math.floor(Math.max(1, n) / 3));
}

/** Scale every interval of a schedule (the emulator's time scale shrinks server time). */
export function scalePollSchedule(cfg: PollScheduleConfig, scale: number, floorMs = 5): PollScheduleConfig {
  return {
    ...cfg,
    minIntervalMs: Math.max(floorMs, cfg.minIntervalMs * scale),
    maxIntervalMs: Math.max(floorMs, cfg.maxIntervalMs * scale),
  };
}
