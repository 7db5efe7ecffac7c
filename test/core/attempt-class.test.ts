// One classification of an attempt: the render decision and status read the same answer, so a
// shot `status` calls running is one `run` follows (reconcile, re-attach or download) instead of
// submitting, and a task status calls failed is never re-attached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptError, classifyAttempt, isLive } from '../../src/core/ledger/attempt-class.js';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import { decideRender } from '../../src/core/plan/render-decision.js';
import type { PlannedRequest } from '../../src/core/types.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const at = new Date(NOW - 60_000).toISOString();
const base = { at, runId: 'r1', shot: 'hero', key: 'K1' } as const;
const req: PlannedRequest = {
  shotId: 'hero',
  model: 'pixverse/pixverse-v6-t2v',
  endpoint: '/services/aigc/video-generation/video-synthesis',
  body: { model: 'pixverse/pixverse-v6-t2v', input: { prompt: 'a' }, parameters: { size: '1280*720', duration: 5 } },
  localMedia: [],
  key: 'K1',
  tier: '720P',
  billableSeconds: 5,
  pinned: [],
  seedDerived: false,
};
const intent: LedgerRecord = { ...base, t: 'intent', model: req.model, endpoint: req.endpoint, attempt: 1, reason: 'new', body: req.body, mediaSha256: {} };
const submitted: LedgerRecord = { ...base, t: 'submitted', taskId: 't1', requestId: 'q' };
const state = (status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN' | 'CANCELED'): LedgerRecord => ({ ...base, t: 'state', taskId: 't1', status });

const CASES: Array<[string, LedgerRecord[], string, 'live' | 'failed' | 'neither']> = [
  ['an intent alone', [intent], 'open', 'live'],
  ['an uncertain submit', [intent, { ...base, t: 'submit-uncertain', code: 'ConnectionReset', message: 'reset' }], 'open', 'live'],
  ['submitted, not polled', [intent, submitted], 'live', 'live'],
  ['running', [intent, submitted, state('RUNNING')], 'live', 'live'],
  ['succeeded, not downloaded', [intent, submitted, state('SUCCEEDED')], 'succeeded', 'live'],
  ['succeeded, download failed', [intent, submitted, state('SUCCEEDED'), { ...base, t: 'download-failed', taskId: 't1', message: '404' }], 'succeeded', 'failed'],
  ['failed', [intent, submitted, state('FAILED')], 'ended', 'failed'],
  ['unknown', [intent, submitted, state('UNKNOWN')], 'ended', 'failed'],
  ['canceled', [intent, submitted, state('PENDING'), { ...base, t: 'canceled', taskId: 't1' }], 'ended', 'failed'],
  ['refused (400)', [intent, { ...base, t: 'submit-rejected', code: 'InvalidParameter', message: 'bad', httpStatus: 400 }], 'refused', 'failed'],
  ['reconciled as never created', [intent, { ...base, t: 'reconciled', taskId: null }], 'not-created', 'neither'],
];

test('classifyAttempt: every outcome of an attempt, and what status makes of it', () => {
  for (const [name, records, kind, seen] of CASES) {
    const a = foldLedger(records).shots.get('hero')!.attempts.at(-1)!;
    assert.equal(classifyAttempt(a).kind, kind, name);
    assert.equal(isLive(a) ? 'live' : attemptError(a) ? 'failed' : 'neither', seen, name);
  }
});

test('what status calls live, run follows without submitting; a task it calls failed is never re-attached', () => {
  const follows = new Set(['reconcile', 'reattach', 'download']);
  for (const [name, records, , seen] of CASES) {
    const d = decideRender(req, foldLedger(records).shots.get('hero'), undefined, { force: false, retryFailed: false, nowMs: NOW, taskRetentionMs: 24 * 3600_000 });
    if (seen === 'live') assert.ok(follows.has(d.action), `${name}: ${d.action}`);
    // A failed download of a task that still answers is fetched again (free); nothing else failed is followed.
    else assert.ok(d.action !== 'reattach' && d.action !== 'reconcile', `${name}: ${d.action}`);
  }
});
