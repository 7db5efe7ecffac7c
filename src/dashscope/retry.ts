// Retry policies as data, and the pure arithmetic of backoff. The client's retry loop lives in
// client.ts; everything here is deterministic given its inputs (the random draw is passed in).
import type { DashScopeOperation } from '../core/task/classify-error.js';
import { jitteredBackoffMs } from '../core/task/backoff.js';

export interface RetryPolicy {
  /** Total attempts including the first one (1 = never retry). */
  maxAttempts: number;
  /** Backoff ceiling before the first retry, in ms; grows by `multiplier` per retry. */
  baseDelayMs: number;
  /** Upper bound of the jittered backoff, in ms (a server's Retry-After may exceed it). */
  maxDelayMs: number;
  /** No retry is started if it would end later than this many ms after the first attempt began. */
  maxTotalMs: number;
  /** Growth factor of the backoff ceiling per retry (2 = doubling). */
  multiplier: number;
}

export type RetryPolicies = Readonly<Record<DashScopeOperation, RetryPolicy>>;

/**
 * Defaults. Submit retries only what classifyError calls retryable (refused before sending,
 * 429), and the DashScope limits recover "usually within one minute" (spec §4), hence a long
 * total budget. GETs are cheap and frequent: short delays, the 20 QPS query limit is the
 * engine's to respect. Downloads are big: few attempts, each restarting the file.
 */
export const DEFAULT_RETRY_POLICIES: RetryPolicies = {
  submit: { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 20_000, maxTotalMs: 120_000, multiplier: 2 },
  getTask: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000, multiplier: 2 },
  listTasks: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000, multiplier: 2 },
  cancel: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000, maxTotalMs: 30_000, multiplier: 2 },
  getPolicy: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000, multiplier: 2 },
  upload: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxTotalMs: 120_000, multiplier: 2 },
  download: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 15_000, maxTotalMs: 300_000, multiplier: 2 },
};

/**
 * Full-jitter backoff before retry number `retry` (1 = the first retry):
 * `random * min(maxDelayMs, baseDelayMs * multiplier^(retry-1))`, floored by `retryAfterMs`
 * when the server sent Retry-After. `random` is a draw in [0, 1). The formula is core's
 * (jitteredBackoffMs), shared with the engine's pauses.
 */
export function computeBackoffMs(policy: RetryPolicy, retry: number, random: number, retryAfterMs?: number): number {
  return jitteredBackoffMs({ baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, multiplier: policy.multiplier, fixedShare: 0 }, retry, random, retryAfterMs);
}

/**
 * Decide whether to retry after attempt number `attempt` failed (1-based), `elapsedMs` after the
 * first attempt started. Returns the delay to sleep, or undefined when the attempts or the total
 * time budget are spent (a Retry-After that lands past the budget also ends the loop).
 */
export function nextRetryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  random: number,
  retryAfterMs?: number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = computeBackoffMs(policy, attempt, random, retryAfterMs);
  if (elapsedMs + delay > policy.maxTotalMs) return undefined;
  return delay;
}

/**
 * Retry-After per RFC 9110: delay-seconds or an HTTP-date. Returns ms from `nowMs`, 0 for a
 * date in the past, undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // An HTTP-date always has a weekday/month name; this keeps '-5' from parsing as a year.
  if (!/[A-Za-z]/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Fill a partial override over the defaults, per operation and per field. */
export function resolveRetryPolicies(
  overrides: Partial<Record<DashScopeOperation, Partial<RetryPolicy>>> | undefined,
): RetryPolicies {
  const out = {} as Record<DashScopeOperation, RetryPolicy>;
  for (const op of Object.keys(DEFAULT_RETRY_POLICIES) as DashScopeOperation[]) {
    out[op] = { ...DEFAULT_RETRY_POLICIES[op], ...(overrides?.[op] ?? {}) };
  }
  return out;
}
