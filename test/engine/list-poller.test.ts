// The list poller under a fake clock with a scripted fake client: how many queries it spends,
// how soon it notices finished tasks, and how it behaves under throttling. Deterministic: the
// clock only moves when the test advances it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdkWaitIntervalSeconds } from '../../src/core/task/poll-schedule.js';
import type { DashScopeClient, ListTasksQuery } from '../../src/dashscope/client-types.js';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { toTaskRowPage, toTaskView, type DashScopeTaskRowPage, type DashScopeTaskView } from '../../src/dashscope/task-view.js';
import type { TaskView } from '../../src/core/task/task-view.js';
import { ListPoller } from '../../src/engine/list-poller.js';
import { QueryThrottle } from '../../src/engine/query-throttle.js';
import { SlidingWindowLimiter } from '../../src/engine/rate-limiter.js';
import { newRequestCounters } from '../../src/engine/request-counters.js';
import { FakeClock } from '../helpers/run-fake-clock.js';

interface ScriptedTask {
  id: string;
  model: string;
  submitAt: number;
  runAt: number;
  endAt: number;
}

/** A server whose tasks follow a script on the fake clock; records every query it answers. */
function scriptedServer(clock: FakeClock, tasks: ScriptedTask[], opts: { failLists?: number } = {}) {
  const calls: Array<{ kind: 'list' | 'get'; at: number; id?: string }> = [];
  let listFailures = opts.failLists ?? 0;
  const status = (t: ScriptedTask): string => (clock.now() >= t.endAt ? 'SUCCEEDED' : clock.now() >= t.runAt ? 'RUNNING' : 'PENDING');
  const client: DashScopeClient = {
    baseUrl: 'fake',
    async listTasks(q: ListTasksQuery): Promise<DashScopeTaskRowPage> {
      calls.push({ kind: 'list', at: clock.now() });
      if (listFailures > 0) {
        listFailures--;
        throw new DashScopeError({ operation: 'listTasks', errorClass: 'retryable', code: 'Throttling', message: 'Requests throttling triggered.', httpStatus: 429 });
      }
      const size = q.pageSize ?? 10;
      const page = q.pageNo ?? 1;
      const rows = tasks.filter((t) => t.submitAt >= (q.startTime?.getTime() ?? 0));
      return toTaskRowPage({
        request_id: 'r',
        total: rows.length,
        total_page: Math.max(1, Math.ceil(rows.length / size)),
        page_no: page,
        page_size: size,
        data: rows.slice((page - 1) * size, page * size).map((t) => ({ task_id: t.id, status: status(t), model_name: t.model, gmt_create: t.submitAt })),
      });
    },
    async getTask(id: string): Promise<DashScopeTaskView> {
      calls.push({ kind: 'get', at: clock.now(), id });
      const t = tasks.find((x) => x.id === id)!;
      const s = status(t);
      return toTaskView({ request_id: 'r', output: { task_id: id, task_status: s, ...(s === 'SUCCEEDED' ? { video_url: `https://v/${id}.mp4` } : {}) } });
    },
    submit: () => Promise.reject(new Error('not used')),
    cancel: () => Promise.reject(new Error('not used')),
    upload: () => Promise.reject(new Error('not used')),
    download: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
  return { client, calls };
}

function poller(clock: FakeClock, client: DashScopeClient, backoffs: Array<{ ms: number; at: number }> = []) {
  const limiter = new SlidingWindowLimiter(15, 1100, clock);
  const queries = new QueryThrottle({ limiter, backoff: { baseMs: 1000, maxMs: 10_000 }, throttledFloorMs: 0, random: () => 0.5, onBackoff: (ms) => backoffs.push({ ms, at: clock.now() }) });
  return new ListPoller({
    client,
    clock,
    queries,
    schedule: { minIntervalMs: 2000, maxIntervalMs: 15_000, fraction: 0.04, growth: 0.15, fewTasks: 5, fewTasksQps: 2, queriesPerTask: 3, burstMs: 2_000 },
    shareQps: 15,
    listPageSize: 100,
    maxListPages: 5,
    listWindowMarginMs: 120_000,
    maxListWindowMs: 24 * 3600_000,
    counters: newRequestCounters(),
    onSnapshot: () => undefined,
    onWarning: (m) => assert.fail(`unexpected warning: ${m}`),
  });
}

/** Advances the fake clock in small steps until `done()` or `limitMs`. */
async function runUntil(clock: FakeClock, done: () => boolean, limitMs: number): Promise<void> {
  const end = clock.now() + limitMs;
  while (!done() && clock.now() < end) await clock.advance(100);
}

test('one list query per round covers every live task, rounds keep the configured bounds, and far fewer queries than the SDK schedule', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  // 30 tasks of two models, queued 5 s, then running 60–89 s.
  const tasks: ScriptedTask[] = Array.from({ length: 30 }, (_, i) => ({
    id: `t${i}`,
    model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v',
    submitAt: t0,
    runAt: t0 + 5000,
    endAt: t0 + 65_000 + i * 1000,
  }));
  const { client, calls } = scriptedServer(clock, tasks);
  const p = poller(clock, client);
  const noticed = new Map<string, number>();
  const statuses = new Map<string, string[]>();
  for (const t of tasks) {
    void p
      .watch({ taskId: t.id, shot: t.id, model: t.model, family: t.model.includes('c1') ? 'c1' : 'v6', submittedAtMs: t0, fresh: true }, async (o) => {
        statuses.set(t.id, [...(statuses.get(t.id) ?? []), o.status]);
      })
      .then((r) => {
        assert.equal(r.status, 'SUCCEEDED');
        noticed.set(t.id, clock.now());
      });
  }
  await runUntil(clock, () => noticed.size === tasks.length, 300_000);
  p.close();
  assert.equal(noticed.size, tasks.length, 'every task was seen to finish');

  const lists = calls.filter((c) => c.kind === 'list');
  const gets = calls.filter((c) => c.kind === 'get');
  // The list shows every task's state: each task is GET exactly once, when it ended (for its result).
  assert.equal(gets.length, tasks.length);
  for (const g of gets) assert.ok(g.at >= tasks.find((t) => t.id === g.id)!.endAt);
  // Rounds are never closer than polling.minIntervalMs nor further apart than maxIntervalMs.
  for (let i = 1; i < lists.length; i++) {
    const gap = lists[i]!.at - lists[i - 1]!.at;
    assert.ok(gap >= 2000 && gap <= 15_000 + 100, `gap ${gap} ms between rounds ${i - 1} and ${i}`);
  }
  // Each finished task is noticed within one round (at most maxIntervalMs, the worst case).
  for (const t of tasks) assert.ok(noticed.get(t.id)! - t.endAt <= 15_000, `${t.id} noticed ${noticed.get(t.id)! - t.endAt} ms late`);
  // Once durations are known, the notice delay is a small fraction of a task's duration.
  const late = tasks.slice(5).map((t) => noticed.get(t.id)! - t.endAt);
  assert.ok(Math.max(...late) <= 3_500, `late finishers noticed up to ${Math.max(...late)} ms late`);
  // PENDING → RUNNING → SUCCEEDED reported in order, once each.
  assert.deepEqual(statuses.get('t3'), ['PENDING', 'RUNNING', 'SUCCEEDED']);

  // The official SDK's wait() polls each task on its own (1,1,2,2,2,4,4,4,5,5… s).
  let sdk = 0;
  for (const t of tasks) {
    for (let n = 1, at = t0; at < t.endAt; n++) {
      at += sdkWaitIntervalSeconds(n) * 1000;
      sdk++;
    }
  }
  assert.ok(lists.length + gets.length < sdk / 5, `${lists.length} lists + ${gets.length} GETs vs ${sdk} SDK polls`);
});

test('a throttled list pauses every query with a growing shared backoff and never fails a watch', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const tasks: ScriptedTask[] = [{ id: 'a', model: 'm', submitAt: t0, runAt: t0 + 1000, endAt: t0 + 20_000 }];
  const { client, calls } = scriptedServer(clock, tasks, { failLists: 3 });
  const backoffs: Array<{ ms: number; at: number }> = [];
  const p = poller(clock, client, backoffs);
  let result: TaskView | undefined;
  let error: unknown;
  p.watch({ taskId: 'a', shot: 'a', model: 'm', family: 'f', submittedAtMs: t0, fresh: true }, async () => undefined).then(
    (r) => (result = r),
    (e) => (error = e),
  );
  await runUntil(clock, () => result !== undefined || error !== undefined, 120_000);
  p.close();
  assert.equal(error, undefined);
  assert.equal(result?.status, 'SUCCEEDED');
  assert.deepEqual(
    backoffs.map((b) => b.ms),
    [750, 1500, 3000],
    'equal-jitter backoff doubling per consecutive failure',
  );
  // No query of any kind is sent while a pause is in force.
  for (const b of backoffs) {
    const next = calls.find((c) => c.at > b.at);
    assert.ok(next && next.at >= b.at + b.ms, `a query at ${next?.at} inside the pause ${b.at}+${b.ms}`);
  }
});

test('a PENDING task is told its place among the queued tasks of its family, oldest first', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const c1 = 'pixverse/pixverse-c1-t2v';
  const tasks: ScriptedTask[] = [
    { id: 'a', model: c1, submitAt: t0, runAt: t0 + 30_000, endAt: t0 + 90_000 },
    { id: 'b', model: c1, submitAt: t0 + 1, runAt: t0 + 60_000, endAt: t0 + 90_000 },
    // Another model (no watched family): never counted ahead.
    { id: 'x', model: 'pixverse/pixverse-v6-t2v', submitAt: t0, runAt: t0 + 90_000, endAt: t0 + 95_000 },
    { id: 'c', model: c1, submitAt: t0 + 2, runAt: t0 + 100_000, endAt: t0 + 160_000 },
  ];
  const { client } = scriptedServer(clock, tasks);
  const p = poller(clock, client);
  const seen: string[] = [];
  let done = false;
  void p
    .watch({ taskId: 'c', shot: 'c', model: c1, family: 'c1', submittedAtMs: t0, fresh: true }, async (o) => {
      seen.push(`${o.status}${o.queuePosition !== undefined ? ` ${o.queuePosition}` : ''}`);
    })
    .then(() => (done = true));
  await runUntil(clock, () => done, 300_000);
  p.close();
  assert.deepEqual(seen, ['PENDING 3', 'PENDING 2', 'PENDING 1', 'RUNNING', 'SUCCEEDED']);
});

test('while five or fewer tasks are live, lists and GETs together stay within 2 queries/s, and tasks are still noticed within a second or two', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  // Five tasks at a time, 3–7 s each, in three waves: the poller learns, then must keep to 2/s.
  const tasks: ScriptedTask[] = Array.from({ length: 15 }, (_, i) => {
    const wave = Math.floor(i / 5);
    const submitAt = t0 + wave * 8_000;
    return { id: `t${i}`, model: 'm', submitAt, runAt: submitAt, endAt: submitAt + 3_000 + (i % 5) * 1_000 };
  });
  const { client, calls } = scriptedServer(clock, tasks);
  const limiter = new SlidingWindowLimiter(15, 1100, clock);
  const queries = new QueryThrottle({ limiter, backoff: { baseMs: 1000, maxMs: 10_000 }, throttledFloorMs: 0, random: () => 0.5, onBackoff: () => undefined });
  const p = new ListPoller({
    client,
    clock,
    queries,
    schedule: { minIntervalMs: 200, maxIntervalMs: 15_000, fraction: 0.015, growth: 0.05, fewTasks: 5, fewTasksQps: 2, queriesPerTask: 3, burstMs: 500 },
    shareQps: 15,
    listPageSize: 100,
    maxListPages: 5,
    listWindowMarginMs: 120_000,
    maxListWindowMs: 24 * 3600_000,
    counters: newRequestCounters(),
    onSnapshot: () => undefined,
    onWarning: (m) => assert.fail(`unexpected warning: ${m}`),
  });
  const noticed = new Map<string, number>();
  for (const t of tasks) {
    const watchAt = t.submitAt;
    void (async () => {
      while (clock.now() < watchAt) await new Promise((r) => setImmediate(r));
      const r = await p.watch({ taskId: t.id, shot: t.id, model: 'm', family: 'f', submittedAtMs: t.submitAt, fresh: true }, async () => undefined);
      assert.equal(r.status, 'SUCCEEDED');
      noticed.set(t.id, clock.now());
    })();
  }
  await runUntil(clock, () => noticed.size === tasks.length, 120_000);
  p.close();
  assert.equal(noticed.size, tasks.length);
  const end = Math.max(...noticed.values());
  assert.ok(calls.length / ((end - t0) / 1000) <= 2, `${calls.length} queries in ${(end - t0) / 1000} s`);
  // Every 1 s window holds at most a small burst above the rate.
  for (const c of calls) assert.ok(calls.filter((d) => d.at > c.at - 1000 && d.at <= c.at).length <= 3, `burst at ${c.at - t0} ms`);
  // The last wave, with durations learnt: each task noticed within 2 s of its end.
  for (const t of tasks.slice(10)) assert.ok(noticed.get(t.id)! - t.endAt <= 2_000, `${t.id} noticed ${noticed.get(t.id)! - t.endAt} ms late`);
});

test('a task that ended is fetched at once even while another task of the same tick is still writing its state', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const tasks: ScriptedTask[] = [
    { id: 'slow', model: 'm', submitAt: t0, runAt: t0 + 500, endAt: t0 + 60_000 },
    { id: 'done', model: 'm', submitAt: t0, runAt: t0, endAt: t0 + 1_000 },
  ];
  const { client, calls } = scriptedServer(clock, tasks);
  const p = poller(clock, client);
  let release!: () => void;
  const stuck = new Promise<void>((r) => (release = r));
  let doneAt: number | undefined;
  // `slow` turns RUNNING in the first tick and its state write hangs (a slow disk).
  void p.watch({ taskId: 'slow', shot: 'slow', model: 'm', family: 'f', submittedAtMs: t0, fresh: true }, () => stuck).catch(() => undefined);
  void p.watch({ taskId: 'done', shot: 'done', model: 'm', family: 'f', submittedAtMs: t0, fresh: true }, async () => undefined).then(() => (doneAt = clock.now()));
  await runUntil(clock, () => doneAt !== undefined, 30_000);
  assert.ok(doneAt !== undefined, 'the finished task resolved while the other write hung');
  assert.ok(calls.some((c) => c.kind === 'get' && c.id === 'done'));
  release();
  p.close();
});
