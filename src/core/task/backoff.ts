// Backoff arithmetic for throttling and server errors. Pure: the random draw is passed in.

export interface BackoffConfig {
  /** Delay before the first retry, ms. */
  baseMs: number;
  /** Ceiling of the delay, ms (a server's Retry-After may exceed it). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 1_000, maxMs: 30_000 };

/**
 * The one backoff formula of the project: the ceiling `min(maxMs, baseMs * multiplier^(retry-1))`
 * (retry 1 = the first), of which `fixedShare` is always waited and the rest drawn at random;
 * never shorter than the server's Retry-After. `random` is a draw in [0, 1) (clamped).
 * - fixedShare 0 ("full jitter") for a client's retries of one request: many independent
 *   requests retrying spread out the most (dashscope/retry.ts);
 * - fixedShare 0.5 ("equal jitter") for the engine's pauses of a whole family or of the task
 *   queries: half is kept fixed so that the shots sharing a pause do not all come back at once
 *   after a tiny draw (backoffDelayMs).
 */
export function jitteredBackoffMs(
  shape: { baseMs: number; maxMs: number; multiplier?: number; fixedShare: number },
  retry: number,
  random: number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.max(0, Math.min(shape.maxMs, shape.baseMs * (shape.multiplier ?? 2) ** Math.max(0, retry - 1)));
  const r = !(random >= 0) ? 0 : random >= 1 ? 0.999_999 : random;
  const delay = Math.floor(ceiling * shape.fixedShare + ceiling * (1 - shape.fixedShare) * r);
  return retryAfterMs !== undefined && retryAfterMs > delay ? Math.ceil(retryAfterMs) : delay;
}

/** The engine's pauses (family submits, task queries, downloads): equal jitter, doubling. */
export function backoffDelayMs(cfg: BackoffConfig, retry: number, random: number, retryAfterMs?: number): number {
  return jitteredBackoffMs({ ...cfg, fixedShare: 0.5 }, retry, random, retryAfterMs);
}

/** True for the 429 codes that are rate limits (waiting helps), false for billing 429s. */
export function isThrottlingCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return code.startsWith('Throttling') || code === 'LimitRequests' || code === 'limit_burst_rate';
}
