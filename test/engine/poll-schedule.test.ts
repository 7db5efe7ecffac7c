import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationStats, nextPollDelayMs, scalePollSchedule, sdkWaitIntervalSeconds } from '../../src/core/task/poll-schedule.js';
import { backoffDelayMs, isThrottlingCode } from '../../src/core/task/backoff.js';

const cfg = { minIntervalMs: 250, maxIntervalMs: 10_000, fraction: 0.04, growth: 0.15 };

test('the SDK baseline schedule is 1,1,2,2,2,4,4,4,5,5… s', () => {
  assert.deepEqual(Array.from({ length: 12 }, (_, i) => sdkWaitIntervalSeconds(i + 1)), [1, 1, 2, 2, 2, 4, 4, 4, 5, 5, 5, 5]);
});

test('before any duration is known the tick grows with the youngest task age, within bounds', () => {
  const now = 100_000;
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now, running: false }], undefined, cfg), 250);
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now - 20_000, running: false }], undefined, cfg), 3000);
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now - 20_000, running: false }, { sinceMs: now - 2_000, running: false }], undefined, cfg), 300);
  assert.equal(nextPollDelayMs(now, [{ sinceMs: 0, running: true }], undefined, cfg), 10_000);
});

test('with known durations it sleeps until a task can plausibly end, then ticks at a fraction of the typical duration', () => {
  const stats = durationStats([60_000, 50_000, 70_000, 65_000, 55_000])!;
  assert.equal(stats.typicalMs, 60_000);
  assert.equal(stats.lowMs, 35_000);
  const now = 1_000_000;
  // Just submitted: nothing can end for 35 s → wait the maximum.
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now, running: false }], stats, cfg), 10_000);
  // 30 s in: 5 s until the earliest plausible end.
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now - 30_000, running: true }], stats, cfg), 5_000);
  // Past it: 4% of 60 s.
  assert.equal(nextPollDelayMs(now, [{ sinceMs: now - 50_000, running: true }], stats, cfg), 2_400);
  assert.equal(durationStats([]), undefined);
});

test('scaling shrinks the bounds with a floor', () => {
  const s = scalePollSchedule(cfg, 0.001, 5);
  assert.equal(s.minIntervalMs, 5);
  assert.equal(s.maxIntervalMs, 10);
});

test('backoff: equal jitter, capped, never below Retry-After; throttling codes', () => {
  const b = { baseMs: 1000, maxMs: 8000 };
  assert.equal(backoffDelayMs(b, 1, 0), 500);
  assert.equal(backoffDelayMs(b, 1, 0.999), 1000);
  assert.equal(backoffDelayMs(b, 3, 0), 2000);
  assert.equal(backoffDelayMs(b, 10, 0), 4000);
  assert.equal(backoffDelayMs(b, 1, 0, 5000), 5000);
  assert.ok(isThrottlingCode('Throttling.RateQuota'));
  assert.ok(isThrottlingCode('Throttling'));
  assert.ok(!isThrottlingCode('PrepaidBillOverdue'));
});
