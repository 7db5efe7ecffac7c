// Task queries (GET /tasks/{id}, the task list, cancel) share the ACCOUNT's 20 QPS (spec §3, §4),
// so every query of a run goes through one limiter and one backoff: a 429 `Throttling` or a 5xx
// seen by any caller (the poller, a reconciliation, a download refreshing its URL, a cancel)
// pauses all of them, and the pause grows while failures keep coming. A query that keeps failing
// is given up only after `maxAttempts`; its caller decides what that means (the poller simply
// tries again on its next tick, so a throttled poll never fails a shot).
import { backoffDelayMs, isThrottlingCode } from '../core/task/backoff.js';
import type { BackoffConfig } from '../core/task/backoff.js';
import { describeFailure } from './dashscope-failure.js';
import type { RateLimiterLike } from './limiter-like.js';

export interface QueryThrottleOptions {
  /** The run's query rate limiter (its share of the account's 20 QPS). */
  limiter: RateLimiterLike;
  /** Backoff of the shared pause, ms (already scaled to the server's time). */
  backoff: BackoffConfig;
  /**
   * Shortest pause after a 429, in real ms. Rate limits count requests per real second (on
   * DashScope and on the emulator alike) whatever the server's time scale, so a pause shorter
   * than one window would only be throttled again.
   */
  throttledFloorMs: number;
  /** Draws in [0, 1) for jitter. */
  random: () => number;
  /** Told of every pause: `ms` and the error code that caused it. */
  onBackoff(ms: number, code: string): void;
}

export class QueryThrottle {
  /** Consecutive retryable failures, across every caller (grows the shared pause). */
  private strikes = 0;

  constructor(private readonly o: QueryThrottleOptions) {}

  /** Waits for a query slot (and for any shared pause in force). */
  async acquire(signal?: AbortSignal): Promise<void> {
    await this.o.limiter.acquire(signal);
  }

  /** A query got an answer: the shared backoff starts small again. */
  succeeded(): void {
    this.strikes = 0;
  }

  /** A query was throttled or hit a 5xx/network error: pause every query; returns the pause, ms. */
  failed(code: string, retryAfterMs: number | undefined): number {
    this.strikes++;
    const floor = isThrottlingCode(code) ? this.o.throttledFloorMs : 0;
    const ms = Math.max(floor, backoffDelayMs(this.o.backoff, this.strikes, this.o.random(), retryAfterMs));
    this.o.limiter.pauseFor(ms);
    this.o.onBackoff(ms, code);
    return ms;
  }

  /**
   * Runs one query through the limiter, retrying retryable failures (after the shared pause) up
   * to `maxAttempts` in all. Fatal failures (4xx other than 429), the last retryable one and
   * aborts are thrown. `count` is called once per request actually sent (request counters).
   */
  async run<T>(call: () => Promise<T>, opts: { maxAttempts: number; count: () => void; signal?: AbortSignal }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.acquire(opts.signal);
      opts.count();
      try {
        const r = await call();
        this.succeeded();
        return r;
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        const f = describeFailure(e);
        if (f.errorClass !== 'retryable' || attempt >= opts.maxAttempts) throw e;
        this.failed(f.code, f.retryAfterMs);
      }
    }
  }
}
