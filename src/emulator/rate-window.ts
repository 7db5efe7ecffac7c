// Sliding 1-second windows on the REAL clock. Rate limits are about how fast a client sends,
// so they are measured in real time whatever the timeScale (a client's pacing code sleeps in
// real milliseconds); task lifecycles use the emulated clock instead.

const WINDOW_MS = 1000;

/** Admits at most `limit` events in any sliding second; refused events do not count. */
export class RateLimiter {
  private readonly times: number[] = [];
  constructor(private readonly limit: number) {}

  tryAcquire(now: number): boolean {
    prune(this.times, now);
    if (this.times.length >= this.limit) return false;
    this.times.push(now);
    return true;
  }
}

/** Counts every event and remembers the most seen in any sliding second. */
export class PeakRate {
  private readonly times: number[] = [];
  peak = 0;

  record(now: number): void {
    prune(this.times, now);
    this.times.push(now);
    if (this.times.length > this.peak) this.peak = this.times.length;
  }
}

function prune(times: number[], now: number): void {
  let drop = 0;
  while (drop < times.length && (times[drop] as number) <= now - WINDOW_MS) drop++;
  if (drop > 0) times.splice(0, drop);
}
