// Backoff arithmetic for throttling and server errors. Pure: the random draw is passed in.

export interface BackoffConfig {
  /** Delay before the first retry, ms. */
  baseMs: number;
  /** Ceiling of the delay, ms (a server's Retry-After may exceed it). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 1_000, maxMs: 30_000 };

/**
 * Delay before retry number `retry` (1 = first): "equal jitter", half fixed and half random, of
 * `min(maxMs, baseMs * 2^(retry-1))`; never shorter than the server's Retry-After. Half is kept
 * fixed so shots that share a family backoff do not all come back at once after a tiny draw.
 */
export function backoffDelayMs(cfg: BackoffConfig, retry: number, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(cfg.maxMs, cfg.baseMs * 2 ** Math.max(0, retry - 1));
  const r = random >= 0 && random < 1 ? random : 0.5;
  const delay = Math.round(ceiling / 2 + (ceiling / 2) * r);
  return retryAfterMs !== undefined && retryAfterMs > delay ? Math.ceil(retryAfterMs) : delay;
}

/** True for the 429 codes that are rate limits (waiting helps), false for billing 429s. */
export function isThrottlingCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return code.startsWith('Throttling') || code === 'LimitRequests' || code === 'limit_burst_rate';
}
