// submit against the emulator: success, throttling retried, and everything that must NOT be re-sent.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createDashScopeClient } from '../../src/dashscope/client.js';
import { formatDashScopeError } from '../../src/dashscope/errors.js';
import { clientOn, rejectionOf, startFastEmulator, t2vBody, uniquePrompt, VIDEO_SYNTHESIS, waitForStatus } from '../helpers/client-emulator.js';

describe('submit (emulator)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startFastEmulator();
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => emu.resetStats());

  it('creates a task that can be polled to SUCCEEDED with a video URL', async () => {
    const { client } = clientOn(emu);
    try {
      const r = await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('a red fox')));
      assert.equal(r.status, 'PENDING');
      assert.ok(r.taskId.length > 0);
      assert.ok(r.requestId.length > 0);
      assert.equal(r.raw.output.task_id, r.taskId);
      const done = await waitForStatus(client, r.taskId, ['SUCCEEDED', 'FAILED']);
      assert.equal(done.output.task_status, 'SUCCEEDED');
      assert.match(String(done.output.video_url), /^http:\/\/127\.0\.0\.1:\d+\/__files\//);
      // The view says what the response says, and keeps the response itself for snapshots.
      const view = await client.getTask(r.taskId);
      assert.deepEqual(
        [view.taskId, view.status, view.videoUrl, view.submitTime, view.endTime, view.usage, view.requestId],
        [r.taskId, 'SUCCEEDED', view.raw.output.video_url, view.raw.output.submit_time, view.raw.output.end_time, view.raw.usage, view.raw.request_id],
      );
      assert.ok(view.videoUrl && view.submitTime && view.endTime && view.usage);
      assert.equal(emu.stats().requests['submit'], 1);
    } finally {
      await client.close();
    }
  });

  it('429 Throttling.RateQuota is retried, sleeping at least the Retry-After each time', async () => {
    const { client, sleeps, retries } = clientOn(emu);
    try {
      const r = await client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('[[submit-429:2]] a fox')));
      assert.ok(r.taskId);
      assert.equal(sleeps.length, 2);
      for (const ms of sleeps) assert.ok(ms >= 1000, `slept ${ms} ms, Retry-After was 1 s`);
      assert.deepEqual(retries.map((e) => [e.error.code, e.error.httpStatus, e.error.retryAfterMs, e.error.errorClass]), [
        ['Throttling.RateQuota', 429, 1000, 'retryable'],
        ['Throttling.RateQuota', 429, 1000, 'retryable'],
      ]);
      const s = emu.stats();
      assert.equal(s.requests['submit'], 3);
      assert.equal(s.tasksCreated, 1);
      assert.equal(s.throttled['Throttling.RateQuota'], 2);
    } finally {
      await client.close();
    }
  });

  it('429 beyond maxAttempts is thrown as retryable with the server fields', async () => {
    const { client, sleeps } = clientOn(emu, { retry: { submit: { maxAttempts: 2 } } });
    try {
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('[[submit-429:5]] a fox'))));
      assert.equal(e.errorClass, 'retryable');
      assert.equal(e.httpStatus, 429);
      assert.equal(e.code, 'Throttling.RateQuota');
      assert.equal(e.retryAfterMs, 1000);
      assert.equal(e.attempts, 2);
      assert.ok(e.requestId);
      assert.equal(sleeps.length, 1);
      assert.equal(emu.stats().requests['submit'], 2);
      assert.equal(emu.stats().tasksCreated, 0);
    } finally {
      await client.close();
    }
  });

  const fatalCases: Array<[string, () => ReturnType<typeof t2vBody>, string, number, string | undefined]> = [
    ['InvalidParameter (duration out of range)', () => t2vBody(uniquePrompt('a fox'), { duration: 99 }), 'InvalidParameter', 400, undefined],
    ['ModelNotFound', () => ({ ...t2vBody(uniquePrompt('a fox')), model: 'pixverse/pixverse-c9-t2v' }), 'ModelNotFound', 404, undefined],
    ['InvalidApiKey', () => t2vBody(uniquePrompt('a fox')), 'InvalidApiKey', 401, 'sk-not-the-emulator-key'],
    ['InvalidParameter (an oss:// URL this account never uploaded)', () => ({ ...t2vBody(uniquePrompt('a fox')), model: 'wan2.6-i2v-flash', input: { img_url: 'oss://nowhere/a.png' }, parameters: { resolution: '720P', duration: 5 } }), 'InvalidParameter', 400, undefined],
  ];
  for (const [name, body, code, status, key] of fatalCases) {
    it(`${status} ${name} is fatal and sent exactly once`, async () => {
      const { client, sleeps } = clientOn(emu, key !== undefined ? { apiKey: key } : {});
      try {
        const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, body()));
        assert.equal(e.errorClass, 'fatal');
        assert.equal(e.code, code);
        assert.equal(e.httpStatus, status);
        assert.equal(e.operation, 'submit');
        assert.ok(e.message.length > 0);
        assert.ok(e.requestId);
        assert.equal(formatDashScopeError(e), `${code}: ${e.message} (HTTP ${status}, request_id ${e.requestId})`);
        assert.deepEqual(sleeps, []);
        assert.equal(emu.stats().requests['submit'], 1);
        assert.equal(emu.stats().tasksCreated, 0);
      } finally {
        await client.close();
      }
    });
  }

  it('500 InternalError on submit is uncertain and not re-sent', async () => {
    const { client, sleeps } = clientOn(emu);
    try {
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('[[submit-500:1]] a fox'))));
      assert.equal(e.errorClass, 'uncertain');
      assert.equal(e.code, 'InternalError');
      assert.equal(e.httpStatus, 500);
      assert.deepEqual(sleeps, []);
      assert.equal(emu.stats().requests['submit'], 1);
    } finally {
      await client.close();
    }
  });

  it('a reset after the task was created is uncertain, not re-sent, and the task is found by listing', async () => {
    const { client, sleeps } = clientOn(emu);
    const prompt = uniquePrompt('[[reset-after-create]] a fox');
    try {
      const before = new Date(Date.now() - 3600_000);
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(prompt)));
      assert.equal(e.errorClass, 'uncertain');
      assert.equal(e.code, 'ConnectionReset');
      assert.equal(e.httpStatus, undefined);
      assert.deepEqual(sleeps, []);
      const s = emu.stats();
      assert.equal(s.requests['submit'], 1);
      assert.equal(s.tasksCreated, 1);
      // What the engine does next: reconcile through the task list.
      const page = await client.listTasks({ startTime: before, endTime: new Date(before.getTime() + 24 * 3600_000), modelName: 'pixverse/pixverse-c1-t2v' });
      assert.ok(page.rows.some((row) => row.taskId === s.tasks[0]?.taskId));
    } finally {
      await client.close();
    }
  });

  // The client cannot tell a reset before creation from one after: the request was written in
  // both cases. Only a refused connection (nothing sent) is provably safe; see client-wire tests.
  it('a reset before the task was created is also uncertain (indistinguishable on the wire)', async () => {
    const { client, sleeps } = clientOn(emu);
    try {
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('[[reset-before-create]] a fox'))));
      assert.equal(e.errorClass, 'uncertain');
      assert.deepEqual(sleeps, []);
      assert.equal(emu.stats().requests['submit'], 1);
      assert.equal(emu.stats().tasksCreated, 0);
    } finally {
      await client.close();
    }
  });

  it('a submit whose answer does not come within the headers timeout is uncertain and not re-sent', async () => {
    const { client, sleeps } = clientOn(emu, { timeouts: { operations: { submit: { headersMs: 100 } } } });
    try {
      const e = await rejectionOf(client.submit(VIDEO_SYNTHESIS, t2vBody(uniquePrompt('[[slow:1500]] a fox'))));
      assert.equal(e.errorClass, 'uncertain');
      assert.equal(e.code, 'HeadersTimeout');
      assert.deepEqual(sleeps, []);
      assert.equal(emu.stats().requests['submit'], 1);
    } finally {
      await client.close();
    }
  });

  it('region and explicit baseUrl select the base URL; close() is idempotent', async () => {
    const a = createDashScopeClient({ apiKey: 'sk-x', region: 'ap-southeast-1' });
    const b = createDashScopeClient({ apiKey: 'sk-x' });
    const c = createDashScopeClient({ apiKey: 'sk-x', region: 'us-east-1', baseUrl: `${emu.baseUrl}/` });
    assert.equal(a.baseUrl, 'https://dashscope-intl.aliyuncs.com/api/v1');
    assert.equal(b.baseUrl, 'https://dashscope.aliyuncs.com/api/v1');
    assert.equal(c.baseUrl, emu.baseUrl);
    for (const x of [a, b, c]) {
      await x.close();
      await x.close();
    }
  });
});
