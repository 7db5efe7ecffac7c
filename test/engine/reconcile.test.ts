// reconcileIntents against the emulator over loopback, with the emulator's clock nearly frozen
// so that a task stays PENDING or RUNNING for as long as the test says: a task that shows no
// prompt is waited for (bounded) and never taken; the wait re-lists and GETs only tasks whose
// status moved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import type { PromptVisibility } from '../../src/emulator/index.js';
import { systemClock } from '../../src/engine/clock.js';
import { QueryThrottle } from '../../src/engine/query-throttle.js';
import { SlidingWindowLimiter } from '../../src/engine/rate-limiter.js';
import { reconcileIntents } from '../../src/engine/reconcile.js';
import type { OpenIntent, ReconcileOptions } from '../../src/engine/reconcile.js';
import { newRequestCounters } from '../../src/engine/request-counters.js';
import { clientFor } from '../helpers/run-kit.js';

const FROZEN = 1000;
const VIDEO = '/services/aigc/video-generation/video-synthesis';
const BODY = { model: 'pixverse/pixverse-c1-t2v', input: { prompt: 'mine' }, parameters: { size: '1280*720', duration: 5, audio: false, watermark: false, seed: 1 } };
const OPTIONS: ReconcileOptions = { skewMs: 120_000, maxWindowMs: 24 * 3600_000, maxCandidates: 50, pageSize: 100, waitStepMs: 40, maxWaitMs: 400, queryAttempts: 3 };

async function lookUp(from: PromptVisibility, runFor: number, endsAfterMs?: number) {
  const emu = await startEmulator({ timeScale: FROZEN, promptVisibleFrom: from });
  const client = clientFor(emu);
  try {
    const intent: OpenIntent = { id: 'x', model: BODY.model, atMs: Date.now() - 1000, body: BODY, endpoint: VIDEO };
    // Another client's task, same model and parameters, another prompt.
    await client.submit(VIDEO, { ...BODY, input: { prompt: 'a stranger' } });
    emu.advanceClock(runFor);
    const counters = newRequestCounters();
    const queries = new QueryThrottle({ limiter: new SlidingWindowLimiter(15, 1000, systemClock), backoff: { baseMs: 10, maxMs: 100 }, throttledFloorMs: 1000, random: () => 0.5, onBackoff: () => undefined });
    const started = Date.now();
    // The stranger's task ends while the lookup waits (real ms after it starts).
    if (endsAfterMs !== undefined) setTimeout(() => emu.advanceClock(3600_000), endsAfterMs);
    const { outcomes } = await reconcileIntents([intent], new Set(), { client, clock: systemClock, queries, counters, onSnapshot: () => undefined }, OPTIONS);
    return { outcome: outcomes[0]!, counters, ms: Date.now() - started };
  } finally {
    await client.close();
    await emu.close();
  }
}

test('a PENDING stranger shows no prompt: waited for within the bound, then held as unproven, never taken; only the list is read again', async () => {
  const { outcome, counters, ms } = await lookUp('SUCCEEDED', 0);
  assert.ok('ambiguous' in outcome && outcome.reason === 'unproven', JSON.stringify(outcome));
  assert.ok(ms >= OPTIONS.maxWaitMs, `waited ${ms} ms`);
  assert.equal(counters.getTask, 1, 'its status never moved: one GET');
  assert.ok(counters.listTasks >= 3, `re-listed ${counters.listTasks} times`);
  assert.ok(counters.listTasks <= 1 + Math.ceil(OPTIONS.maxWaitMs / OPTIONS.waitStepMs), 'the steps grow');
});

test('a stranger whose prompt shows once it runs is excluded at once: nothing was created for the intent', async () => {
  const { outcome, counters } = await lookUp('RUNNING', 4000);
  assert.deepEqual(outcome, { id: 'x', taskId: null });
  assert.equal(counters.listTasks, 1);
  assert.equal(counters.getTask, 1);
});

test('a stranger whose prompt shows only with its result is waited for and excluded once it succeeds: GET again only when its status moved', async () => {
  const { outcome, counters } = await lookUp('SUCCEEDED', 0, 100);
  assert.deepEqual(outcome, { id: 'x', taskId: null });
  assert.equal(counters.getTask, 2, 'PENDING, then SUCCEEDED');
});
