// Fault markers in prompts and rate-based faults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFaultList, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { HOUR, authHeaders, getTask, rawRequest, submit, submitHeaders, submitOk, t2vBody, VIDEO_PATH } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const GENEROUS = { families: { 'pixverse-c1': { submitsPerSecond: 10_000, runningTasks: 50 } } };

/** Submits over a fresh connection, keeping whatever happens (reset → error). */
function rawSubmit(emu: RunningEmulator, body: unknown) {
  return rawRequest(`${emu.baseUrl}${VIDEO_PATH}`, { method: 'POST', headers: submitHeaders(emu), body: JSON.stringify(body) });
}

describe('emulator fault markers', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ timeScale: FROZEN, quotas: GENEROUS });
  });
  after(() => emu.close());

  it('[[submit-429:N]] throttles the first N submits of the body with Retry-After, then accepts', async () => {
    const body = t2vBody('m1 [[submit-429:2]]');
    const before = emu.stats().tasksCreated;
    for (let i = 0; i < 2; i++) {
      const r = await submit(emu, body);
      assert.equal(r.status, 429);
      assert.equal(r.json.code, 'Throttling.RateQuota');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    assert.equal((await submit(emu, body)).status, 200);
    assert.equal(emu.stats().tasksCreated, before + 1);
  });

  it('[[submit-500:N]] answers 500 InternalError without creating a task', async () => {
    const body = t2vBody('m2 [[submit-500:1]]');
    const before = emu.stats().tasksCreated;
    const r = await submit(emu, body);
    assert.equal(r.status, 500);
    assert.equal(r.json.code, 'InternalError');
    assert.equal(emu.stats().tasksCreated, before);
    assert.equal((await submit(emu, body)).status, 200);
  });

  it('[[reset-after-create]] creates the task, then drops the connection', async () => {
    const body = t2vBody('m3 [[reset-after-create]]');
    const before = emu.stats().tasksCreated;
    const r = await rawSubmit(emu, body);
    assert.ok(r.error, 'the connection is dropped');
    assert.equal(r.status, undefined);
    assert.equal(emu.stats().tasksCreated, before + 1);
    const again = await submit(emu, body);
    assert.equal(again.status, 200, 'only the first submit is reset');
    assert.equal(emu.stats().duplicateSubmits >= 1, true);
  });

  it('[[reset-before-create]] drops the connection without creating a task', async () => {
    const body = t2vBody('m4 [[reset-before-create]]');
    const before = emu.stats().tasksCreated;
    const r = await rawSubmit(emu, body);
    assert.ok(r.error);
    assert.equal(emu.stats().tasksCreated, before);
    assert.equal((await submit(emu, body)).status, 200);
  });

  it('[[poll-503:N]] and [[poll-429:N]] answer the first GETs with errors, in that order', async () => {
    const id = await submitOk(emu, t2vBody('m5 [[poll-503:2]] [[poll-429:1]]'));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await getTask(emu, id)).status);
    assert.deepEqual(statuses, [503, 503, 429, 200]);
    assert.equal(emu.stats().throttled.Throttling, 1);
  });

  it('[[malformed:N]] answers HTTP 200 with a truncated, non-JSON body', async () => {
    const id = await submitOk(emu, t2vBody('m6 [[malformed:1]]'));
    const res = await fetch(`${emu.baseUrl}/tasks/${id}`, { headers: authHeaders(emu) });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
    assert.equal((await getTask(emu, id)).status, 200);
  });

  it('[[slow:MS]] delays every response about the task', async () => {
    const id = await submitOk(emu, t2vBody('m7 [[slow:400]]'));
    // A client that gives up after 50 ms never sees the answer.
    await assert.rejects(fetch(`${emu.baseUrl}/tasks/${id}`, { headers: authHeaders(emu), signal: AbortSignal.timeout(50) }));
    assert.equal((await getTask(emu, id)).status, 200);
  });

  it('[[download-fail:N]] and [[download-truncate:N]] break the first downloads, then serve the video', async () => {
    const id = await submitOk(emu, t2vBody('m8 [[download-fail:1]] [[download-truncate:1]]'));
    emu.advanceClock(HOUR);
    const url = (await getTask(emu, id)).json.output.video_url as string;
    const first = await rawRequest(url);
    assert.equal(first.status, 500);
    const second = await rawRequest(url);
    assert.equal(second.status, 200);
    assert.ok(Number(second.headers?.['content-length']) > second.bytes.length, 'fewer bytes than Content-Length');
    const third = await rawRequest(url);
    assert.equal(third.status, 200);
    assert.equal(third.bytes.length, Number(third.headers?.['content-length']));
    assert.equal(third.bytes.subarray(4, 8).toString('latin1'), 'ftyp');
    assert.equal(emu.stats().requests.download, 3);
  });

  it('[[submit-503:N]] answers 503 ModelUnavailable without creating a task', async () => {
    const body = t2vBody('m9 [[submit-503:1]]');
    const before = emu.stats().tasksCreated;
    const r = await submit(emu, body);
    assert.equal(r.status, 503);
    assert.equal(r.json.code, 'ModelUnavailable');
    assert.equal(emu.stats().tasksCreated, before);
    assert.equal((await submit(emu, body)).status, 200);
  });

  it('[[submit-500-after-create:N]] creates the task, then answers 500: the answer is lost', async () => {
    const body = t2vBody('m10 [[submit-500-after-create:1]]');
    const before = emu.stats().tasksCreated;
    const r = await submit(emu, body);
    assert.equal(r.status, 500);
    assert.equal(r.json.code, 'InternalError');
    assert.equal(r.json.output, undefined, 'no task id in the answer');
    assert.equal(emu.stats().tasksCreated, before + 1);
    assert.equal((await submit(emu, body)).status, 200, 'only the first answer is lost');
  });

  it("[[foreign:N]] puts N tasks of another client on the account: same model and parameters, other prompts", async () => {
    const body = t2vBody('m11 a lighthouse [[foreign:2]]', { size: '720*1280', duration: 8 });
    const before = emu.stats();
    const mine = await submitOk(emu, body);
    const after = emu.stats();
    assert.equal(after.tasksCreated, before.tasksCreated + 3);
    assert.equal(after.foreignTasks, before.foreignTasks + 2);
    const theirs = after.tasks.filter((t) => t.client === 'other').slice(-2);
    assert.equal(theirs.length, 2);
    assert.ok(!after.tasks.find((t) => t.taskId === mine)!.client);
    emu.advanceClock(HOUR);
    for (const t of theirs) {
      const got = (await getTask(emu, t.taskId)).json;
      assert.equal(t.model, 'pixverse/pixverse-c1-t2v');
      assert.match(got.output.orig_prompt, /^another client's shot \d: m11 a lighthouse$/);
      assert.equal(got.usage.size, '720*1280');
      assert.equal(got.usage.duration, 8);
    }
    // Once per body: a second submit of it brings no more strangers.
    await submitOk(emu, body);
    assert.equal(emu.stats().foreignTasks, after.foreignTasks);
  });
});

describe('when a task shows its orig_prompt', () => {
  const shown = async (emu: RunningEmulator, id: string): Promise<[string, unknown]> => {
    const out = (await getTask(emu, id)).json.output;
    return [out.task_status, out.orig_prompt];
  };
  for (const [from, whileRunning] of [['SUCCEEDED', undefined], ['RUNNING', 'p1']] as const) {
    it(`promptVisibleFrom ${from}: never while PENDING, ${whileRunning ? 'already' : 'not'} while RUNNING, always with the result, never on a failure`, async () => {
      const emu = await startEmulator({ timeScale: FROZEN, quotas: GENEROUS, promptVisibleFrom: from });
      try {
        const ok = await submitOk(emu, t2vBody('p1'));
        const failed = await submitOk(emu, t2vBody('p2 [[fail:InternalError]]'));
        assert.deepEqual(await shown(emu, ok), ['PENDING', undefined]);
        emu.advanceClock(4000);
        assert.deepEqual(await shown(emu, ok), ['RUNNING', whileRunning]);
        emu.advanceClock(HOUR);
        assert.deepEqual(await shown(emu, ok), ['SUCCEEDED', 'p1']);
        assert.deepEqual(await shown(emu, failed), ['FAILED', undefined]);
      } finally {
        await emu.close();
      }
    });
  }
});

describe('emulator rate-based faults', () => {
  it('injects faults per endpoint at the configured rate and can be changed at run time', async () => {
    const emu = await startEmulator({ timeScale: FROZEN, quotas: GENEROUS, faults: [{ endpoint: 'getTask', kind: '503', rate: 1 }] });
    try {
      const id = await submitOk(emu, t2vBody('rate faults'));
      assert.equal((await getTask(emu, id)).json.code, 'ModelUnavailable');
      emu.setFaults([{ endpoint: 'submit', kind: '500', rate: 1 }]);
      assert.equal((await getTask(emu, id)).status, 200);
      const before = emu.stats().tasksCreated;
      assert.equal((await submit(emu, t2vBody('x'))).status, 500);
      assert.equal(emu.stats().tasksCreated, before);
      emu.setFaults([{ endpoint: 'submit', kind: 'malformed', rate: 1 }]);
      const res = await fetch(`${emu.baseUrl}${VIDEO_PATH}`, { method: 'POST', headers: submitHeaders(emu), body: JSON.stringify(t2vBody('y')) });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.throws(() => JSON.parse(text));
      assert.equal(emu.stats().tasksCreated, before + 1, 'a malformed submit answer still created the task');
      emu.setFaults([{ endpoint: 'listTasks', kind: 'reset', rate: 1 }]);
      const reset = await rawRequest(`${emu.baseUrl}/tasks`, { headers: authHeaders(emu) });
      assert.ok(reset.error);
      emu.setFaults([]);
      assert.equal((await submit(emu, t2vBody('z'))).status, 200);
    } finally {
      await emu.close();
    }
  });

  it('draws rate faults reproducibly from the seed', async () => {
    const run = async () => {
      const emu = await startEmulator({ timeScale: FROZEN, seed: 7, faults: [{ endpoint: 'getTask', kind: '503', rate: 0.5 }] });
      try {
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await getTask(emu, 'missing')).status);
        return out;
      } finally {
        await emu.close();
      }
    };
    const a = await run();
    assert.deepEqual(await run(), a);
    assert.ok(a.includes(503) && a.includes(200));
  });

  it('parses the CLI fault list and rejects bad entries', () => {
    assert.deepEqual(parseFaultList('submit:429@0.1, getTask:503@0.05,download:slow=200@0.2'), [
      { endpoint: 'submit', kind: '429', rate: 0.1 },
      { endpoint: 'getTask', kind: '503', rate: 0.05 },
      { endpoint: 'download', kind: 'slow', rate: 0.2, ms: 200 },
    ]);
    assert.throws(() => parseFaultList('submit:429'), /expected endpoint:kind/);
    assert.throws(() => parseFaultList('poll:429@0.1'), /unknown fault endpoint/);
    assert.throws(() => parseFaultList('submit:418@0.1'), /unknown fault kind/);
    assert.throws(() => parseFaultList('submit:429@1.5'), /within 0\.\.1/);
  });
});
