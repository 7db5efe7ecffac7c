// Quotas (running cap, submit rate, query rate, getPolicy rate) and the stats that prove them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { HOUR, authHeaders, cancelTask, getTask, listTasks, submit, submitOk, t2vBody } from '../helpers/emulator-http.js';

const FROZEN = 1000;

describe('emulator quotas', () => {
  it('keeps tasks beyond the running cap PENDING and starts them FIFO as slots free', async () => {
    const emu = await startEmulator({ timeScale: FROZEN, quotas: { families: { 'pixverse-c1': { runningTasks: 2, submitsPerSecond: 100 } } } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await submitOk(emu, t2vBody(`cap ${i}`)));
      emu.advanceClock(5_000);
      const statuses = async () => Promise.all(ids.map(async (id) => (await getTask(emu, id)).json.output.task_status as string));
      assert.deepEqual(await statuses(), ['RUNNING', 'RUNNING', 'PENDING', 'PENDING', 'PENDING']);
      emu.advanceClock(HOUR);
      assert.deepEqual(await statuses(), ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      const stats = emu.stats();
      assert.equal(stats.peakRunningTasks['pixverse-c1'], 2);
      assert.equal(stats.peakActiveTasks['pixverse-c1'], 5);
      // FIFO: each task is scheduled no earlier than the one submitted before it.
      const scheduled = await Promise.all(ids.map(async (id) => (await getTask(emu, id)).json.output.scheduled_time as string));
      assert.deepEqual([...scheduled].sort(), scheduled);
    } finally {
      await emu.close();
    }
  });

  it('shares the running cap across the variants of one family, not across families', async () => {
    const emu = await startEmulator({ timeScale: FROZEN, quotas: { families: { 'pixverse-c1': { runningTasks: 1 }, 'pixverse-v6': { runningTasks: 1 } } } });
    try {
      const a = await submitOk(emu, t2vBody('c1 t2v'));
      const b = await submitOk(emu, { model: 'pixverse/pixverse-c1-it2v', input: { media: [{ type: 'image_url', url: 'https://example.com/a.png' }] }, parameters: { resolution: '720P', duration: 5 } });
      const c = await submitOk(emu, { ...t2vBody('v6'), model: 'pixverse/pixverse-v6-t2v' });
      emu.advanceClock(5_000);
      const st = async (id: string) => (await getTask(emu, id)).json.output.task_status;
      assert.equal(await st(a), 'RUNNING');
      assert.equal(await st(b), 'PENDING');
      assert.equal(await st(c), 'RUNNING');
    } finally {
      await emu.close();
    }
  });

  it('answers 429 Throttling.RateQuota to the 6th submit within a second (5/s for PixVerse)', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      // Sent together so all six land inside one second.
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(emu, t2vBody(`rate ${i}`))));
      const codes = answers.map((a) => a.status).sort();
      assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
      const throttled = answers.find((a) => a.status === 429);
      assert.equal(throttled?.json.code, 'Throttling.RateQuota');
      const stats = emu.stats();
      assert.equal(stats.throttled['Throttling.RateQuota'], 1);
      assert.equal(stats.tasksCreated, 5);
      assert.equal(stats.requests.submit, 6);
      assert.equal(stats.peakSubmitsPerSecond['pixverse-c1'], 6);
    } finally {
      await emu.close();
    }
  });

  it('answers 429 Throttling beyond 20 task queries per second and counts the peak', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const id = await submitOk(emu, t2vBody('poll me'));
      const answers = await Promise.all(Array.from({ length: 25 }, () => getTask(emu, id)));
      const ok = answers.filter((a) => a.status === 200).length;
      const limited = answers.filter((a) => a.status === 429);
      assert.equal(ok, 20);
      assert.equal(limited.length, 5);
      assert.equal(limited[0]?.json.code, 'Throttling');
      assert.equal(limited[0]?.json.message, 'Requests throttling triggered.');
      const stats = emu.stats();
      assert.equal(stats.throttled.Throttling, 5);
      assert.equal(stats.requests.getTask, 25);
      assert.equal(stats.peakQueriesPerSecond, 25);
    } finally {
      await emu.close();
    }
  });

  it('counts task GETs, list and cancel against one shared 20/s', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const id = await submitOk(emu, t2vBody('shared rate'));
      const calls = [
        ...Array.from({ length: 8 }, () => getTask(emu, id)),
        ...Array.from({ length: 8 }, () => listTasks(emu)),
        ...Array.from({ length: 8 }, () => cancelTask(emu, '00000000-0000-0000-0000-000000000000')),
      ];
      const answers = await Promise.all(calls);
      assert.equal(answers.filter((a) => a.status === 429).length, 4, answers.map((a) => a.status).join(','));
      assert.ok(answers.filter((a) => a.status === 429).every((a) => a.json.code === 'Throttling'));
      const stats = emu.stats();
      assert.equal(stats.throttled.Throttling, 4);
      assert.equal(stats.peakQueriesPerSecond, 24);
      assert.deepEqual([stats.requests.getTask, stats.requests.listTasks, stats.requests.cancel], [8, 8, 8]);
      assert.equal(stats.throttled['Throttling.RateQuota'], undefined, 'submits were not throttled');
    } finally {
      await emu.close();
    }
  });

  it('allows 100 getPolicy calls per second per model by default', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const url = (model: string) => `${emu.baseUrl}/uploads?action=getPolicy&model=${encodeURIComponent(model)}`;
      const burst = await Promise.all(Array.from({ length: 101 }, async () => fetch(url('pixverse/pixverse-c1-it2v'), { headers: authHeaders(emu) })));
      const limited = burst.filter((r) => r.status === 429);
      assert.equal(limited.length, 1);
      assert.equal(((await limited[0]!.json()) as { code: string }).code, 'Throttling.RateQuota');
      assert.equal((await fetch(url('wan2.6-i2v-flash'), { headers: authHeaders(emu) })).status, 200, 'another model has its own 100/s');
    } finally {
      await emu.close();
    }
  });

  it('limits getPolicy per model (configurable)', async () => {
    const emu = await startEmulator({ timeScale: FROZEN, quotas: { getPolicyPerSecond: 2 } });
    try {
      const url = `${emu.baseUrl}/uploads?action=getPolicy&model=pixverse%2Fpixverse-c1-it2v`;
      const codes = await Promise.all(Array.from({ length: 3 }, async () => (await fetch(url, { headers: authHeaders(emu) })).status));
      assert.deepEqual(codes.sort(), [200, 200, 429]);
    } finally {
      await emu.close();
    }
  });

  it('counts duplicate submits per canonical body, whatever the key order', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const body = t2vBody('same shot [[shot:hero]]');
      await submitOk(emu, body);
      const reordered = { parameters: { ...body.parameters }, input: body.input, model: body.model };
      await submitOk(emu, reordered);
      await submitOk(emu, t2vBody('another shot'));
      const stats = emu.stats();
      assert.equal(stats.tasksCreated, 3);
      assert.equal(stats.duplicateSubmits, 1);
      assert.deepEqual(Object.values(stats.submitsByBody).sort(), [1, 2]);
      assert.equal(stats.tasks.filter((t) => t.shotHint === 'hero').length, 2);
      emu.resetStats();
      const fresh = emu.stats();
      assert.equal(fresh.tasksCreated, 0);
      assert.equal(fresh.duplicateSubmits, 0);
      assert.deepEqual(fresh.tasks, []);
      assert.deepEqual(fresh.requests, {});
    } finally {
      await emu.close();
    }
  });
});
