import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeBackoffMs,
  DEFAULT_RETRY_POLICIES,
  nextRetryDelayMs,
  parseRetryAfter,
  resolveRetryPolicies,
  type RetryPolicy,
} from '../../src/dashscope/retry.js';

const P: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxTotalMs: 5_000, multiplier: 3 };

describe('computeBackoffMs (full jitter)', () => {
  it('the ceiling grows by the multiplier and is capped by maxDelayMs', () => {
    // random just below 1 gives (almost) the ceiling: 100, 300, 900, then the 1000 cap.
    const r = 0.999_999_9;
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => computeBackoffMs(P, n, r)), [99, 299, 899, 999, 999]);
  });
  it('scales with the random draw, 0 gives 0', () => {
    assert.equal(computeBackoffMs(P, 2, 0), 0);
    assert.equal(computeBackoffMs(P, 2, 0.5), 150);
  });
  it('Retry-After is a floor, even above maxDelayMs', () => {
    assert.equal(computeBackoffMs(P, 1, 0.5, 1_000), 1_000);
    assert.equal(computeBackoffMs(P, 1, 0.5, 3_000), 3_000);
    assert.equal(computeBackoffMs(P, 3, 0.9, 10), 810);
  });
  it('out-of-range draws are clamped', () => {
    assert.equal(computeBackoffMs(P, 1, -1), 0);
    assert.equal(computeBackoffMs(P, 1, 7), 99);
  });
});

describe('nextRetryDelayMs', () => {
  it('stops after maxAttempts', () => {
    assert.equal(nextRetryDelayMs(P, 4, 0, 0.5), 1_000 * 0.5);
    assert.equal(nextRetryDelayMs(P, 5, 0, 0.5), undefined);
    assert.equal(nextRetryDelayMs({ ...P, maxAttempts: 1 }, 1, 0, 0.5), undefined);
  });
  it('stops when the delay would overrun the total budget', () => {
    assert.equal(nextRetryDelayMs(P, 1, 4_900, 0.5), 50);
    assert.equal(nextRetryDelayMs(P, 1, 4_990, 0.5), undefined);
    assert.equal(nextRetryDelayMs(P, 1, 0, 0.5, 6_000), undefined);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('delay-seconds', () => {
    assert.equal(parseRetryAfter('1', now), 1_000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('0.5', now), 500);
  });
  it('HTTP-date, relative to the injected now; past dates give 0', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  });
  it('absent or garbage gives undefined', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('resolveRetryPolicies', () => {
  it('overrides field by field and leaves the defaults untouched', () => {
    const r = resolveRetryPolicies({ submit: { maxAttempts: 1 } });
    assert.equal(r.submit.maxAttempts, 1);
    assert.equal(r.submit.baseDelayMs, DEFAULT_RETRY_POLICIES.submit.baseDelayMs);
    assert.deepEqual(r.getTask, DEFAULT_RETRY_POLICIES.getTask);
    assert.notEqual(DEFAULT_RETRY_POLICIES.submit.maxAttempts, 1);
  });
  it('every default policy allows at least one retry and has a finite budget', () => {
    for (const [op, p] of Object.entries(DEFAULT_RETRY_POLICIES)) {
      assert.ok(p.maxAttempts >= 2, op);
      assert.ok(Number.isFinite(p.maxTotalMs) && p.maxTotalMs > 0, op);
      assert.ok(p.baseDelayMs <= p.maxDelayMs, op);
    }
  });
});
