import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greedyMakespanMs } from '../../bench/greedy-bound.js';

test('the greedy bound fills free slots in batch order', () => {
  // Two slots: 4 | 1,1,1 → the second slot takes the three short tasks; ends at 4 s.
  assert.equal(greedyMakespanMs(new Map([['f', [4000, 1000, 1000, 1000]]]), { cap: 2, submitsPerSecond: 100 }), 4000);
  // One slot: the sum.
  assert.equal(greedyMakespanMs(new Map([['f', [1000, 2000, 3000]]]), { cap: 1, submitsPerSecond: 100 }), 6000);
});

test('the submit rate delays starts beyond it, and the slowest family ends the batch', () => {
  // Ten slots, 5 submits/s: tasks 6–10 start at 1 s.
  const tenShort = Array.from({ length: 10 }, () => 500);
  assert.equal(greedyMakespanMs(new Map([['f', tenShort]]), { cap: 10, submitsPerSecond: 5 }), 1500);
  assert.equal(greedyMakespanMs(new Map([['a', [1000]], ['b', [3000, 3000]]]), { cap: 1, submitsPerSecond: 5 }), 6000);
  assert.equal(greedyMakespanMs(new Map(), { cap: 5, submitsPerSecond: 5 }), 0);
});
