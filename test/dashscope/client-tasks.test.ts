// getTask / listTasks / cancel against the emulator.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { clientOn, rejectionOf, startFastEmulator, t2vBody, uniquePrompt, VIDEO_SYNTHESIS, waitForStatus } from '../helpers/client-emulator.js';

describe('getTask (emulator)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startFastEmulator();
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => emu.resetStats());

  async function submitted(prompt: string): Promise<string> {
    const { client } = clientOn(emu);
    try {
      return (await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt(prompt)))).taskId;
    } finally {
      await client.close();
    }
  }

  it('retries 503 ModelUnavailable, then returns the task', async () => {
    const id = await submitted('[[poll-503:2]] a fox');
    const { client, sleeps, retries } = clientOn(emu);
    try {
      const t = await client.getTask(id);
      assert.equal(t.raw.output.task_id, id);
      assert.equal(sleeps.length, 2);
      assert.deepEqual(retries.map((r) => [r.error.code, r.error.httpStatus]), [['ModelUnavailable', 503], ['ModelUnavailable', 503]]);
      assert.equal(emu.stats().requests['getTask'], 3);
    } finally {
      await client.close();
    }
  });

  it('retries 429 Throttling and malformed 200 bodies, then returns the task', async () => {
    const id = await submitted('[[poll-429:1]] [[malformed:2]] a fox');
    const { client, retries } = clientOn(emu);
    try {
      const t = await client.getTask(id);
      assert.equal(t.raw.output.task_id, id);
      assert.deepEqual(retries.map((r) => [r.error.code, r.error.httpStatus, r.error.errorClass]), [
        ['Throttling', 429, 'retryable'],
        ['Unknown', 200, 'retryable'],
        ['Unknown', 200, 'retryable'],
      ]);
      assert.equal(emu.stats().requests['getTask'], 4);
    } finally {
      await client.close();
    }
  });

  it('gives up after maxAttempts with the last error, still retryable', async () => {
    const id = await submitted('[[poll-503:9]] a fox');
    const { client, sleeps } = clientOn(emu, { retry: { getTask: { maxAttempts: 3 } } });
    try {
      const e = await rejectionOf(client.getTask(id));
      assert.equal(e.errorClass, 'retryable');
      assert.equal(e.code, 'ModelUnavailable');
      assert.equal(e.httpStatus, 503);
      assert.equal(e.attempts, 3);
      assert.equal(sleeps.length, 2);
      assert.equal(emu.stats().requests['getTask'], 3);
    } finally {
      await client.close();
    }
  });

  // undici checks its timeouts on a ~1 s tick, so a 100 ms headers timeout fires after about 1 s.
  it('a slow answer times out (headers timeout) and is retried as a GET', async () => {
    const id = await submitted('a fox');
    emu.resetStats();
    emu.setFaults([{ endpoint: 'getTask', kind: 'slow', rate: 1, ms: 1500 }]);
    const { client, sleeps } = clientOn(emu, { timeouts: { operations: { getTask: { headersMs: 100 } } }, retry: { getTask: { maxAttempts: 2 } } });
    try {
      const e = await rejectionOf(client.getTask(id));
      assert.equal(e.code, 'HeadersTimeout');
      assert.equal(e.errorClass, 'retryable');
      assert.equal(e.attempts, 2);
      assert.equal(sleeps.length, 1);
      assert.equal(emu.stats().requests['getTask'], 2);
    } finally {
      emu.setFaults([]);
      await client.close();
    }
  });

  it('a task that FAILED is an answer (HTTP 200), not an error', async () => {
    const id = await submitted('[[fail:DataInspectionFailed]] a fox');
    const { client } = clientOn(emu);
    try {
      const t = await waitForStatus(client, id, ['FAILED', 'SUCCEEDED']);
      assert.equal(t.output.task_status, 'FAILED');
      assert.equal(t.output.code, 'DataInspectionFailed');
      assert.ok(String(t.output.message).length > 0);
      const view = await client.getTask(id);
      assert.deepEqual([view.status, view.code, view.message], ['FAILED', 'DataInspectionFailed', t.output.message]);
    } finally {
      await client.close();
    }
  });

  it('an unknown task id answers UNKNOWN', async () => {
    const { client } = clientOn(emu);
    try {
      const t = await client.getTask('00000000-0000-0000-0000-000000000000');
      assert.equal(t.raw.output.task_status, 'UNKNOWN');
    } finally {
      await client.close();
    }
  });
});

describe('listTasks (emulator)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startFastEmulator();
  });
  after(async () => {
    await emu.close();
  });

  it('filters by model and pages through the window', async () => {
    const { client } = clientOn(emu);
    try {
      const start = new Date(Date.now() - 3600_000);
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) ids.add((await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt(`fox ${i}`)))).taskId);
      const window = { startTime: start, endTime: new Date(start.getTime() + 24 * 3600_000), modelName: 'pixverse/pixverse-c1-t2v' };
      const first = await client.listTasks({ ...window, pageSize: 2, pageNo: 1 });
      assert.equal(first.total, 3);
      assert.equal(first.totalPages, 2);
      assert.equal(first.pageNo, 1);
      assert.equal(first.rows.length, 2);
      const second = await client.listTasks({ ...window, pageSize: 2, pageNo: 2 });
      assert.equal(second.rows.length, 1);
      assert.deepEqual(new Set([...first.rows, ...second.rows].map((r) => r.taskId)), ids);
      for (const row of first.rows) assert.equal(row.model, 'pixverse/pixverse-c1-t2v');
      for (const row of first.rows) assert.deepEqual([row.status, row.createdAtMs], [row.raw.status, row.raw.gmt_create]);
      const byId = await client.listTasks({ taskId: [...ids][0] });
      assert.deepEqual(byId.rows.map((r) => r.taskId), [[...ids][0]]);
      const none = await client.listTasks({ ...window, modelName: 'wan2.6-i2v-flash' });
      assert.equal(none.total, 0);
    } finally {
      await client.close();
    }
  });
});

describe('cancel (emulator)', () => {
  let emu: RunningEmulator;
  before(async () => {
    // Realistic durations and one running task at a time: the second task stays PENDING.
    emu = await startFastEmulator({ timeScale: 1, quotas: { families: { 'pixverse-c1': { runningTasks: 1, submitsPerSecond: 100 } }, taskQueriesPerSecond: 1000 } });
  });
  after(async () => {
    await emu.close();
  });

  it('cancels a PENDING task; cancelling it again is 400 UnsupportedOperation, fatal, sent once', async () => {
    const { client, sleeps } = clientOn(emu);
    try {
      await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('first')));
      const second = await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('second')));
      assert.equal((await client.getTask(second.taskId)).raw.output.task_status, 'PENDING');
      const r = await client.cancel(second.taskId);
      assert.ok(r.requestId.length > 0);
      assert.equal((await client.getTask(second.taskId)).raw.output.task_status, 'CANCELED');
      emu.resetStats();
      const e = await rejectionOf(client.cancel(second.taskId));
      assert.equal(e.errorClass, 'fatal');
      assert.equal(e.code, 'UnsupportedOperation');
      assert.equal(e.httpStatus, 400);
      assert.equal(e.operation, 'cancel');
      assert.deepEqual(sleeps, []);
      assert.equal(emu.stats().requests['cancel'], 1);
    } finally {
      await client.close();
    }
  });
});
