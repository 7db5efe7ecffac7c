// What callers need of a rate limiter (SlidingWindowLimiter implements it; tests may fake it).
export interface RateLimiterLike {
  acquire(signal?: AbortSignal): Promise<void>;
  pauseFor(ms: number): void;
}
