// The emulated clock. Task durations are realistic in emulated time; the clock runs
// 1/timeScale times faster than the real one, and advanceClock jumps it forward.
// Rate limits use the real clock instead (see quotas.ts).

export interface EmulatorClock {
  /** Emulated epoch milliseconds. Monotonic. */
  now(): number;
  /**
   * Real epoch milliseconds plus every advanceClock jump: used for short-lived credentials
   * (the 300 s upload policy) that must survive a client's back-to-back requests at any
   * timeScale, yet still expire when a test jumps the clock.
   */
  wallNow(): number;
  advance(ms: number): void;
}

export function createClock(timeScale: number, realNow: () => number = Date.now): EmulatorClock {
  if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
  const origin = realNow();
  let offset = 0;
  return {
    now: () => origin + (realNow() - origin) / timeScale + offset,
    wallNow: () => realNow() + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advanceClock needs a non-negative number of ms, got ${ms}`);
      offset += ms;
    },
  };
}
