// A sliding-window rate limiter shared by every caller of one quota: at most `limit` admissions
// in any window of `windowMs`. DashScope's limits are "per second" and the emulator measures
// them over any sliding second at arrival, so a token bucket (which allows 2x bursts across a
// window edge) would overshoot; a window a little longer than a second absorbs network jitter.
// `pauseFor` is the shared backoff: a 429 seen by one caller slows down all of them.
import { abortError } from './clock.js';
import type { Clock } from './clock.js';

export class SlidingWindowLimiter {
  private readonly times: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  /** Admissions so far (for stats). */
  admitted = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {
    if (!(limit >= 1)) throw new RangeError(`limit must be >= 1, got ${limit}`);
  }

  /**
   * Waits for a slot in FIFO order and resolves with the time it was admitted at (for `restamp`).
   * Rejects (and takes no slot) if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<number> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    const run = async (): Promise<number> => {
      try {
        await prev;
        for (;;) {
          if (signal?.aborted) throw abortError(signal);
          const now = this.clock.now();
          while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
          const waitWindow = this.times.length >= this.limit ? this.times[0]! + this.windowMs - now : 0;
          const wait = Math.max(waitWindow, this.pausedUntil - now);
          if (wait <= 0) {
            this.times.push(now);
            this.admitted++;
            return now;
          }
          await this.clock.sleep(wait, signal);
        }
      } finally {
        release();
      }
    };
    return run();
  }

  /**
   * Moves one admission made at `admittedAtMs` to now. A caller that does work between its
   * admission and the request it admits (the submit path flushes its intent first) calls this right
   * before sending: the server counts requests as they arrive, so the window must too, or a slow
   * flush would bunch requests admitted a window apart into one server second.
   */
  restamp(admittedAtMs: number): void {
    const i = this.times.indexOf(admittedAtMs);
    if (i !== -1) this.times.splice(i, 1);
    const now = this.clock.now();
    let at = this.times.length;
    while (at > 0 && this.times[at - 1]! > now) at--;
    this.times.splice(at, 0, now);
  }

  /** Admit nothing for `ms` from now (extends, never shortens, a pause in force). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Ms until the pause ends (0 when not paused). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }
}
