// Which lock renders a run takes over, decided without writing (plan) and then recorded (run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { adoptLockedRenders } from '../../src/core/plan/lock-adoption.js';
import type { LockEntry } from '../../src/core/lock/lock-model.js';
import { previewRenders } from '../../src/engine/run-engine.js';
import { createRunOutput } from '../../src/io/run-output.js';
import { planJob, writeTempJob } from '../helpers/run-kit.js';

const entry = (id: string, key: string, extra: Partial<LockEntry> = {}): LockEntry => ({
  id, key, model: 'pixverse/pixverse-v6-t2v', task_id: `T-${id}`, file: `videos/${id}.mp4`, bytes: 10, sha256: 'a'.repeat(64), ...extra,
});

test('only entries with the current key of a planned shot the ledger does not know are adopted', async () => {
  const job = await writeTempJob('adopt', [{ id: 'a', prompt: 'one' }, { id: 'b', prompt: 'two' }, { id: 'c', prompt: 'three' }]);
  try {
    const { plans, outputDir } = await planJob(job);
    const [a, b, c] = plans;
    const lock = [
      entry('a', a!.key, { url: 'https://cdn.example/a.mp4' }),
      entry('b', `${b!.key.slice(0, -4)}0000`), // the shot changed since the lock
      entry('c', c!.key, { bytes: undefined }), // hand-made entry without bytes
      entry('gone', 'K-gone'), // no longer in the manifest
    ];
    const stamp = { at: '2026-11-21T12:00:00.000Z', runId: 'r1' };
    const adopted = adoptLockedRenders(plans, foldLedger([]), lock, stamp);
    assert.deepEqual(adopted, [
      { t: 'adopted', ...stamp, shot: 'a', key: a!.key, model: a!.model, taskId: 'T-a', file: 'videos/a.mp4', bytes: 10, sha256: 'a'.repeat(64), videoUrl: 'https://cdn.example/a.mp4', source: 'lock' },
    ]);
    // A ledger that has an attempt for the key wins over the lock.
    const known = foldLedger([{ t: 'intent', at: stamp.at, runId: 'r0', shot: 'a', key: a!.key, model: a!.model, endpoint: a!.endpoint, attempt: 1, reason: 'new' }]);
    assert.deepEqual(adoptLockedRenders(plans, known, lock, stamp), []);

    // plan's view of it: decided in memory, nothing written.
    const output = createRunOutput(outputDir);
    const preview = await previewRenders(plans, output, { force: false, retryFailed: false, nowMs: Date.now(), lock: { name: 'adopt.lock.yaml', entries: lock } });
    assert.deepEqual(
      preview.decisions.map((d) => [d.shot, d.action, d.reasonCode]),
      [['a', 'download', 'video-missing'], ['b', 'submit', 'changed'], ['c', 'hold', 'video-missing']],
    );
    assert.match(preview.decisions[1]!.reason, /changed since the render recorded in adopt\.lock\.yaml/);
    assert.equal(preview.cost.shots, 1, 'only the changed shot would bill');
    assert.deepEqual(preview.adopted.map((r) => r.shot), ['a']);
    await assert.rejects(readFile(output.ledgerPath), { code: 'ENOENT' });
  } finally {
    await rm(job.dir, { recursive: true, force: true });
  }
});
