// The lower bound a benchmark run is measured against: the greedy schedule under the quotas over
// the tasks' actual durations (as the server ran them). Per family, tasks start in batch order,
// each as soon as one of `cap` slots is free and the submit rate allows (at most
// `submitsPerSecond` starts in any second); the batch ends when the last task of any family does.
// No client can know the durations in advance, so none can beat this order by more than luck;
// every real client also pays detection lag, request round trips and downloads on top of it.

export interface QuotaShape {
  /** Tasks PENDING or RUNNING at once per family. */
  cap: number;
  /** Submits per second per family. */
  submitsPerSecond: number;
}

/** Makespan, ms, of the greedy quota-bound schedule; `durationsByFamily` lists each family's task times in batch order. */
export function greedyMakespanMs(durationsByFamily: ReadonlyMap<string, readonly number[]>, q: QuotaShape): number {
  let makespan = 0;
  for (const durations of durationsByFamily.values()) {
    const slotFreeAt: number[] = Array.from({ length: Math.max(1, q.cap) }, () => 0);
    const starts: number[] = [];
    const perSecond = Math.max(1, Math.floor(q.submitsPerSecond));
    for (const d of durations) {
      // The earliest free slot; then no more than `perSecond` starts in any 1 s window.
      let slot = 0;
      for (let i = 1; i < slotFreeAt.length; i++) if (slotFreeAt[i]! < slotFreeAt[slot]!) slot = i;
      const byRate = starts.length >= perSecond ? starts[starts.length - perSecond]! + 1000 : 0;
      const start = Math.max(slotFreeAt[slot]!, byRate);
      starts.push(start);
      slotFreeAt[slot] = start + d;
      makespan = Math.max(makespan, start + d);
    }
  }
  return makespan;
}
