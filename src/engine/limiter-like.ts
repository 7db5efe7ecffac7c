// What callers need of a rate limiter (SlidingWindowLimiter implements it; tests may fake it).
export interface RateLimiterLike {
  /** Resolves when admitted (a real limiter with the admission time; fakes may resolve with nothing). */
  acquire(signal?: AbortSignal): Promise<unknown>;
  pauseFor(ms: number): void;
}
