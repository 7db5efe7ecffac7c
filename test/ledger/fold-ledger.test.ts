import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger, currentAttempt, renderedAttempt, lastRenderedAttempt, needsReconciliation } from '../../src/core/ledger/fold-ledger.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';

const at = '2026-11-21T00:00:00.000Z';
const runId = 'r1';
const intent = (shot: string, key: string, attempt = 1): LedgerRecord => ({
  t: 'intent', at, runId, shot, key, model: 'pixverse/pixverse-v6-t2v', endpoint: '/x', attempt, reason: 'new',
});

test('an intent with no answer needs reconciliation; a submitted one does not', () => {
  const view = foldLedger([intent('a', 'k1'), intent('b', 'k2'), { t: 'submitted', at, runId, shot: 'b', key: 'k2', taskId: 't2', requestId: 'q2' }]);
  const a = currentAttempt(view.shots.get('a'))!;
  const b = currentAttempt(view.shots.get('b'))!;
  assert.equal(a.outcome, 'intent');
  assert.equal(needsReconciliation(a), true);
  assert.equal(b.outcome, 'submitted');
  assert.equal(b.taskId, 't2');
  assert.equal(needsReconciliation(b), false);
});

test('state and download records attach to the attempt by task id', () => {
  const view = foldLedger([
    intent('a', 'k1'),
    { t: 'submitted', at, runId, shot: 'a', key: 'k1', taskId: 't1', requestId: 'q1' },
    { t: 'state', at, runId, shot: 'a', key: 'k1', taskId: 't1', status: 'RUNNING' },
    { t: 'state', at, runId, shot: 'a', key: 'k1', taskId: 't1', status: 'SUCCEEDED', videoUrl: 'http://v', usage: { duration: 5 } },
    { t: 'downloaded', at, runId, shot: 'a', key: 'k1', taskId: 't1', file: 'videos/a.mp4', bytes: 10, sha256: 'abc', videoUrl: 'http://v' },
  ]);
  const a = currentAttempt(view.shots.get('a'))!;
  assert.equal(a.status, 'SUCCEEDED');
  assert.equal(a.polls, 2);
  assert.deepEqual(a.usage, { duration: 5 });
  assert.equal(a.download?.sha256, 'abc');
  assert.equal(renderedAttempt(view.shots.get('a'), 'k1'), a);
  assert.equal(renderedAttempt(view.shots.get('a'), 'other'), undefined);
});

test('a changed shot keeps its earlier rendered attempt visible', () => {
  const view = foldLedger([
    intent('a', 'k1'),
    { t: 'submitted', at, runId, shot: 'a', key: 'k1', taskId: 't1', requestId: 'q1' },
    { t: 'downloaded', at, runId, shot: 'a', key: 'k1', taskId: 't1', file: 'videos/a.mp4', bytes: 10, sha256: 'abc', videoUrl: 'u' },
    intent('a', 'k2'),
  ]);
  const history = view.shots.get('a');
  assert.equal(currentAttempt(history)!.key, 'k2');
  assert.equal(lastRenderedAttempt(history)!.key, 'k1');
});

test('reconciliation resolves an uncertain submit either way', () => {
  const view = foldLedger([
    intent('a', 'k1'),
    { t: 'submit-uncertain', at, runId, shot: 'a', key: 'k1', code: 'ECONNRESET', message: 'socket hang up' },
    intent('b', 'k2'),
    { t: 'submit-uncertain', at, runId, shot: 'b', key: 'k2', code: 'ECONNRESET', message: 'socket hang up' },
    { t: 'reconciled', at, runId, shot: 'a', key: 'k1', taskId: 't9' },
    { t: 'reconciled', at, runId, shot: 'b', key: 'k2', taskId: null },
    { t: 'state', at, runId, shot: 'a', key: 'k1', taskId: 't9', status: 'PENDING' },
  ]);
  const a = currentAttempt(view.shots.get('a'))!;
  const b = currentAttempt(view.shots.get('b'))!;
  assert.equal(a.outcome, 'submitted');
  assert.equal(a.taskId, 't9');
  assert.equal(a.status, 'PENDING');
  assert.equal(a.code, undefined);
  assert.equal(b.outcome, 'not-created');
  assert.equal(needsReconciliation(b), false);
});

test('a rejected submit keeps the server error; uploads are keyed by hash and model', () => {
  const view = foldLedger([
    intent('a', 'k1'),
    { t: 'submit-rejected', at, runId, shot: 'a', key: 'k1', httpStatus: 400, code: 'InvalidParameter', message: 'bad size', requestId: 'q' },
    { t: 'upload', at, runId, sha256: 'h', model: 'm', url: 'oss://x', expiresAt: at },
    { t: 'upload', at, runId, sha256: 'h', model: 'm', url: 'oss://y', expiresAt: at },
  ]);
  const a = currentAttempt(view.shots.get('a'))!;
  assert.equal(a.outcome, 'rejected');
  assert.equal(a.httpStatus, 400);
  assert.equal(a.code, 'InvalidParameter');
  assert.equal(view.uploads.get('h|m')?.url, 'oss://y');
});
