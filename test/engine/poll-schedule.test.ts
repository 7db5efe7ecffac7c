import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationStats, nextPollDelayMs, pollQueryBudgetQps, refillQueryBucket, scalePollSchedule, sdkWaitIntervalSeconds } from '../../src/core/task/poll-schedule.js';
import { backoffDelayMs, isThrottlingCode } from '../../src/core/task/backoff.js';

const cfg = { minIntervalMs: 250, maxIntervalMs: 10_000, fraction: 0.04, growth: 0.15, fewTasks: 5, fewTasksQps: 2, queriesPerTask: 3, burstMs: 2_000 };
/** A share that never binds: the schedule's own rules decide. */
const SHARE = 1000;
const one = (live: Array<{ sinceMs: number; running: boolean }>, stats?: ReturnType<typeof durationStats>) => [{ live, stats }];

test('the SDK baseline schedule is 1,1,2,2,2,4,4,4,5,5… s', () => {
  assert.deepEqual(Array.from({ length: 12 }, (_, i) => sdkWaitIntervalSeconds(i + 1)), [1, 1, 2, 2, 2, 4, 4, 4, 5, 5, 5, 5]);
});

test('before any duration is known the tick grows with the youngest task age, within bounds and the few-tasks budget', () => {
  const now = 100_000;
  // Just submitted: the floor would say 250 ms, but 2 queries/s is the budget with one task live.
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now, running: false }]), cfg, SHARE), 500);
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now - 20_000, running: false }]), cfg, SHARE), 3000);
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now - 20_000, running: false }, { sinceMs: now - 4_000, running: false }]), cfg, SHARE), 600);
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: 0, running: true }]), cfg, SHARE), 10_000);
  assert.equal(nextPollDelayMs(now, [], cfg, SHARE), 10_000);
});

test('with known durations it sleeps until a task can plausibly end, then ticks at a fraction of the typical duration', () => {
  const stats = durationStats([60_000, 50_000, 70_000, 65_000, 55_000])!;
  assert.equal(stats.typicalMs, 60_000);
  assert.equal(stats.lowMs, 35_000);
  const now = 1_000_000;
  // Just submitted: nothing can end for 35 s → wait the maximum.
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now, running: false }], stats), cfg, SHARE), 10_000);
  // 30 s in: 5 s until the earliest plausible end.
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now - 30_000, running: true }], stats), cfg, SHARE), 5_000);
  // Past it: 4% of 60 s.
  assert.equal(nextPollDelayMs(now, one([{ sinceMs: now - 50_000, running: true }], stats), cfg, SHARE), 2_400);
  assert.equal(durationStats([]), undefined);
});

test('the query budget: 2/s while five or fewer tasks are live, then queriesPerTask over each typical duration, never above the share', () => {
  const live = (n: number, sinceMs = 0) => Array.from({ length: n }, () => ({ sinceMs, running: true }));
  const short = durationStats([4_000, 3_000, 5_000])!;
  const long = durationStats([60_000, 50_000, 70_000])!;
  assert.equal(pollQueryBudgetQps(one(live(5), short), cfg, SHARE), 2);
  assert.equal(pollQueryBudgetQps(one(live(1), undefined), cfg, SHARE), 2);
  // Ten 4 s tasks: 3 queries each per 4 s = 7.5/s; ten 60 s tasks stay at the 2/s floor.
  assert.equal(pollQueryBudgetQps(one(live(10), short), cfg, SHARE), 7.5);
  assert.equal(pollQueryBudgetQps(one(live(10), long), cfg, SHARE), 2);
  // Families add up; the run's share caps it.
  assert.equal(pollQueryBudgetQps([...one(live(5), short), ...one(live(5), short)], cfg, SHARE), 7.5);
  assert.equal(pollQueryBudgetQps(one(live(40), short), cfg, 10), 10);
});

test('ticks are spaced so that lists plus the GETs of finishing tasks stay within the budget', () => {
  const now = 1_000_000;
  const live = (n: number) => Array.from({ length: n }, () => ({ sinceMs: now - 3_500, running: true }));
  const short = durationStats([4_000, 3_000, 5_000])!;
  // Five 4 s tasks: 2/s in all, 5/4 s = 1.25 GETs/s expected → 0.75 lists/s → a tick every 1333 ms.
  assert.equal(Math.round(nextPollDelayMs(now, one(live(5), short), cfg, SHARE)), 1333);
  // Ten: 7.5/s budget, 2.5 GETs/s → 5 lists/s → 200 ms, raised to the 250 ms floor.
  assert.equal(nextPollDelayMs(now, one(live(10), short), cfg, SHARE), 250);
  // Tasks finishing faster than the budget pays for: a quarter of it still goes to lists.
  const quick = durationStats([500, 400, 600])!;
  const q = { ...cfg, minIntervalMs: 1 };
  assert.equal(nextPollDelayMs(now, one(live(5).map((t) => ({ ...t, sinceMs: now - 450 })), quick), q, SHARE), 2000);
  // A small share binds before the budget does.
  assert.equal(nextPollDelayMs(now, one(live(10), short), cfg, 2), 2000);
});

test('the token bucket: refills at the budget up to burstMs of it, and a burst of GETs pushes the next tick back', () => {
  const c = { ...cfg, burstMs: 500 };
  // 2/s for 10 s from empty: capped at half a second's worth, but never below one token.
  assert.equal(refillQueryBucket({ tokens: 0, atMs: 0 }, 10_000, 2, c).tokens, 1);
  assert.equal(refillQueryBucket({ tokens: 0, atMs: 0 }, 10_000, 8, c).tokens, 4);
  assert.equal(refillQueryBucket({ tokens: -3, atMs: 0 }, 1_000, 2, c).tokens, -1);
  const now = 1_000_000;
  const live = one([{ sinceMs: now, running: false }]);
  // One live task, nothing learnt: 2 queries/s, a tick every 500 ms with a full bucket…
  assert.equal(nextPollDelayMs(now, live, c, SHARE, { tokens: 1, atMs: now }), 500);
  // …but after a burst of GETs left it at −4, the tick waits until it holds a token again: 2.5 s.
  assert.equal(nextPollDelayMs(now, live, c, SHARE, { tokens: -4, atMs: now }), 2_500);
});

test('scaling shrinks the intervals and grows the rates by the same factor, with a floor', () => {
  const s = scalePollSchedule(cfg, 0.001, 5);
  assert.equal(s.minIntervalMs, 5);
  assert.equal(s.maxIntervalMs, 10);
  assert.equal(s.fewTasksQps, 2000);
  const now = 1000;
  // The same situation in server time and at a 0.05 time scale: the same tick in server time.
  const stats = durationStats([4_000, 3_000, 5_000])!;
  const scaledStats = durationStats([200, 150, 250])!;
  const live = [{ sinceMs: now - 3_500, running: true }];
  assert.equal(nextPollDelayMs(now, one(live, stats), cfg, SHARE) * 0.05, nextPollDelayMs(now, one([{ sinceMs: now - 175, running: true }], scaledStats), scalePollSchedule(cfg, 0.05), SHARE / 0.05));
});

test('backoff: equal jitter, capped, never below Retry-After; throttling codes', () => {
  const b = { baseMs: 1000, maxMs: 8000 };
  assert.equal(backoffDelayMs(b, 1, 0), 500);
  assert.equal(backoffDelayMs(b, 1, 0.999), 999); // floored, as every delay of jitteredBackoffMs
  assert.equal(backoffDelayMs(b, 1, Number.NaN), 500, 'a bad draw counts as 0');
  assert.equal(backoffDelayMs(b, 3, 0), 2000);
  assert.equal(backoffDelayMs(b, 10, 0), 4000);
  assert.equal(backoffDelayMs(b, 1, 0, 5000), 5000);
  assert.ok(isThrottlingCode('Throttling.RateQuota'));
  assert.ok(isThrottlingCode('Throttling'));
  assert.ok(!isThrottlingCode('PrepaidBillOverdue'));
});
