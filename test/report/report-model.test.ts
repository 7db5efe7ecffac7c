import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { buildReport, redactUrl } from '../../src/core/report/report-model.js';
import type { ReportModelInput } from '../../src/core/report/report-model.js';
import type { PlannedRequest } from '../../src/core/types.js';
import { LedgerScript, WAN, disk, plan, sha256 } from './report-fixtures.js';

function input(plans: PlannedRequest[], l: LedgerScript, over: Partial<ReportModelInput> = {}): ReportModelInput {
  return {
    manifestPath: 'jobs/demo.yaml', manifestName: 'demo', manifestSha256: sha256('m'), plans, ledger: foldLedger(l.records),
    region: 'cn-beijing', baseUrl: 'http://127.0.0.1:1/api/v1', emulator: true, toolVersion: '0.1.0', now: '2026-11-21T09:00:00.000Z',
    disk: disk(Object.fromEntries(plans.map((p) => [`videos/${p.shotId}.mp4`, { exists: true, bytes: 100 }]))),
    ...over,
  };
}

test('a PixVerse success carries what was asked, what was billed and where the video is', () => {
  const p = plan({ id: 'hero', prompt: 'a | pipe', audio: true, watermark: true, seed: 42 });
  const l = new LedgerScript().runStart(['hero']);
  l.success(p, { taskId: 'task-h', usage: { duration: 5, size: '1280*720', fps: 30, audio: true, SR: '720', video_count: 1 } });
  l.runEnd();
  const r = buildReport(input([p], l, { disk: disk({ 'videos/hero.mp4': { exists: true, bytes: 100 } }, ['requests/hero.json', 'snapshots/hero.jsonl']) }));
  const [s] = r.shots;
  assert.deepEqual(
    { ...s, usage: undefined },
    {
      id: 'hero', index: 0, model: 'pixverse/pixverse-c1-t2v', family: 'pixverse-c1', variant: 't2v', endpoint: p.endpoint, region: 'cn-beijing',
      prompt: 'a | pipe', size: '1280*720', resolution: null, tier: '720P', size_delivered: '1280*720', duration: 5, duration_billed: 5, fps: 30,
      audio: true, audio_delivered: true, watermark: true, seed: 42, seed_derived: false, key: p.key, video_key: p.key, state: 'current',
      detail: 'rendered and current (task task-h)', reason: 'new shot', this_run: true, changes: null, task_id: 'task-h', request_id: 'req-task-h',
      status: 'SUCCEEDED', submit_time: '2026-11-21T08:00:00.000Z', scheduled_time: '2026-11-21T08:00:01.000Z', end_time: '2026-11-21T08:00:30.000Z',
      attempts: 1, video_url: 'http://127.0.0.1:1/__files/task-h.mp4?Expires=1', file: 'videos/hero.mp4', poster_file: null, file_on_disk: true, bytes: 100,
      sha256: sha256('hero'), reused_from: null, stored: null, store_error: null, error_code: null, error_message: null, plan_file: null, request_file: 'requests/hero.json',
      snapshots_file: 'snapshots/hero.jsonl', usage: undefined, measured: null, measure_error: null, mismatches: [], billable_seconds: 5, estimated_cost: 1.95,
    },
  );
  assert.equal(r.run.run_id, 'run-1');
  assert.equal(r.run.started_at, '2026-11-21T08:00:00.000Z');
  assert.equal(r.run.ended_at, '2026-11-21T08:00:06.000Z');
  assert.equal(r.run.interrupted, false);
  assert.equal(r.run.billable_seconds, 5);
  assert.deepEqual(r.run.billable_seconds_by_tier, { '720P': 5 });
  // No prices configured: the catalog's documented Beijing price (c1 720P with sound: 0.39 CNY/s).
  assert.equal(r.run.estimated_cost, 1.95);
  assert.equal(r.run.currency, 'CNY');
});

test('Wan reports no delivered size and no fps it did not send', () => {
  const p = plan({ id: 'wan', model: WAN });
  const l = new LedgerScript().runStart(['wan']);
  l.success(p, { usage: { duration: 5, input_video_duration: 0, output_video_duration: 5, SR: 720, video_count: 1, audio: true } });
  const [s] = buildReport(input([p], l)).shots;
  assert.equal(s?.size, null);
  assert.equal(s?.resolution, '720P');
  assert.equal(s?.size_delivered, null);
  assert.equal(s?.fps, 30, 'not in usage: the catalog\'s documented 30 fps');
  assert.equal(s?.duration_billed, 5);
  assert.equal(s?.audio, true, 'wan2.6-i2v-flash audio defaults to true and is pinned');
});

test('fps falls back to the catalog when usage has none', () => {
  const p = plan({ id: 'hero' });
  const l = new LedgerScript().runStart(['hero']);
  l.success(p, { usage: { duration: 5 } });
  assert.equal(buildReport(input([p], l)).shots[0]?.fps, 24);
});

test('a partial failure: failed shots carry code and message, no video; counts add up', () => {
  const ok = plan({ id: 'ok' });
  const bad = plan({ id: 'bad' });
  const later = plan({ id: 'later' });
  const l = new LedgerScript().runStart(['ok', 'bad', 'later']);
  l.success(ok);
  l.failure(bad, 'IPInfringementSuspect', 'Input data is suspected of IP infringement.');
  const r = buildReport(input([ok, bad, later], l));
  const byId = new Map(r.shots.map((s) => [s.id, s]));
  assert.equal(byId.get('bad')?.state, 'failed');
  assert.equal(byId.get('bad')?.error_code, 'IPInfringementSuspect');
  assert.equal(byId.get('bad')?.error_message, 'Input data is suspected of IP infringement.');
  assert.equal(byId.get('bad')?.file, null);
  assert.equal(byId.get('bad')?.status, 'FAILED');
  assert.equal(byId.get('later')?.state, 'never-rendered');
  assert.equal(byId.get('later')?.reason, 'not submitted');
  assert.deepEqual(r.run.counts, {
    shots: 3, current: 1, stale: 0, running: 0, failed: 1, missing: 0, never_rendered: 1, rendered_this_run: 1, failed_this_run: 1, skipped: 1,
  });
  assert.equal(r.run.billable_seconds, 5, 'a failed task bills nothing');
  assert.equal(r.run.planned_billable_seconds, 15);
});

test('a resumed run: shots rendered before are skipped and not billed again', () => {
  const a = plan({ id: 'a' });
  const b = plan({ id: 'b' });
  const l = new LedgerScript().runStart(['a', 'b']);
  const taskA = l.success(a);
  l.intent(b);
  l.submitted(b, 'task-b');
  l.runEnd(true);
  l.runId = 'run-2';
  l.runStart(['a', 'b']);
  l.state(b, 'task-b', 'SUCCEEDED', { usage: { duration: 5, SR: '720' } });
  l.records.push({ t: 'downloaded', at: l.at(), runId: 'run-2', shot: 'b', key: b.key, taskId: 'task-b', file: 'videos/b.mp4', bytes: 100, sha256: sha256('b'), videoUrl: 'x' });
  l.runEnd();
  const r = buildReport(input([a, b], l));
  assert.equal(r.run.run_id, 'run-2');
  assert.equal(r.shots[0]?.this_run, false);
  assert.equal(r.shots[0]?.reason, `skipped: unchanged since task ${taskA}`);
  // b was submitted in run-1 and re-attached and downloaded by run-2: this run finished it.
  assert.equal(r.shots[1]?.state, 'current');
  assert.equal(r.shots[1]?.this_run, true);
  assert.equal(r.shots[1]?.reason, 'resumed: new shot');
  assert.equal(r.shots[1]?.attempts, 1);
  assert.equal(r.run.counts.skipped, 1);
  assert.equal(r.run.counts.rendered_this_run, 1);
  assert.equal(r.run.billable_seconds, 5, 'billed once, by the run that saw it succeed');
});

test('a task seen SUCCEEDED by an interrupted run and downloaded by the next is billed once, by the first', () => {
  const a = plan({ id: 'a' });
  const l = new LedgerScript().runStart(['a']);
  l.intent(a);
  l.submitted(a, 'task-a');
  l.state(a, 'task-a', 'SUCCEEDED', { usage: { duration: 5, SR: '720' }, videoUrl: 'https://media.pixverseai.cn/a.mp4' });
  l.runEnd(true); // Ctrl-C during the download
  const first = buildReport(input([a], l));
  assert.equal(first.run.billable_seconds, 5);
  l.runId = 'run-2';
  l.runStart(['a']);
  l.records.push({ t: 'downloaded', at: l.at(), runId: 'run-2', shot: 'a', key: a.key, taskId: 'task-a', file: 'videos/a.mp4', bytes: 100, sha256: sha256('a'), videoUrl: 'x' });
  l.runEnd();
  const second = buildReport(input([a], l));
  assert.equal(second.shots[0]?.this_run, true, 'the resumed run finished it');
  assert.equal(second.shots[0]?.reason, 'resumed: new shot');
  assert.equal(second.run.billable_seconds, 0, 'already billed by the run that saw it succeed');
});

test('a task found SUCCEEDED by status --refresh between runs is billed by the run that downloads it', () => {
  const a = plan({ id: 'a' });
  const l = new LedgerScript().runStart(['a']);
  l.intent(a);
  l.submitted(a, 'task-a');
  l.runEnd(true);
  l.runId = 'status-refresh';
  l.state(a, 'task-a', 'SUCCEEDED', { usage: { duration: 5, SR: '720' }, videoUrl: 'https://media.pixverseai.cn/a.mp4' });
  l.runId = 'run-2';
  l.runStart(['a']);
  l.records.push({ t: 'downloaded', at: l.at(), runId: 'run-2', shot: 'a', key: a.key, taskId: 'task-a', file: 'videos/a.mp4', bytes: 100, sha256: sha256('a'), videoUrl: 'x' });
  l.runEnd();
  assert.equal(buildReport(input([a], l)).run.billable_seconds, 5);
});

test('shots not selected by --only say so', () => {
  const a = plan({ id: 'a' });
  const b = plan({ id: 'b' });
  const l = new LedgerScript().runStart(['a']);
  l.success(a);
  assert.equal(buildReport(input([a, b], l)).shots[1]?.reason, 'not selected in this run');
});

test('shots come in manifest order, not ledger order', () => {
  const z = plan({ id: 'z' });
  const a = plan({ id: 'a' });
  const l = new LedgerScript().runStart(['z', 'a']);
  l.success(a);
  l.success(z);
  assert.deepEqual(buildReport(input([z, a], l)).shots.map((s) => [s.index, s.id]), [[0, 'z'], [1, 'a']]);
});

test('estimated cost uses configured prices by model, then family, then the catalog (same currency, same region)', () => {
  const p = plan({ id: 'hero', duration: 8 });
  const l = new LedgerScript().runStart(['hero']);
  l.success(p, { usage: { duration: 8, SR: '720' } });
  for (const [prices, cost, region] of [
    [{ currency: 'CNY', perSecond: { 'pixverse-c1': { '720P': 0.5 } } }, 4, 'cn-beijing'],
    [{ currency: 'CNY', perSecond: { 'pixverse/pixverse-c1-t2v': { '720P': 0.25 }, 'pixverse-c1': { '720P': 9 } } }, 2, 'cn-beijing'],
    // Not configured at this tier: the catalog's Beijing price (c1 720P silent: 0.30 CNY/s).
    [{ currency: 'CNY', perSecond: { 'pixverse-c1': { '1080P': 1 } } }, 2.4, 'cn-beijing'],
    // The catalog's prices are CNY for Beijing: never used in another currency or region.
    [{ currency: 'USD', perSecond: { 'pixverse-c1': { '1080P': 1 } } }, null, 'cn-beijing'],
  ] as const) {
    const r = buildReport(input([p], l, { prices, region }));
    assert.equal(r.run.estimated_cost, cost);
    assert.equal(r.shots[0]?.estimated_cost, cost);
    assert.deepEqual(r.run.unpriced_shots, cost === null ? ['hero'] : []);
    assert.equal(r.run.currency, prices.currency);
  }
});

test('the estimated cost sums priced shots and names the unpriced ones', () => {
  const a = plan({ id: 'a' });
  const w = plan({ id: 'w', model: WAN });
  const l = new LedgerScript().runStart(['a', 'w']);
  l.success(a, { usage: { duration: 5, SR: '720' } });
  l.success(w, { usage: { duration: 5, SR: 720 } });
  const r = buildReport(input([a, w], l, { prices: { currency: 'EUR', perSecond: { 'pixverse-c1': { '720P': 0.1 } } } }));
  assert.equal(r.run.estimated_cost, 0.5);
  assert.deepEqual(r.run.unpriced_shots, ['w'], 'the catalog price of w is in CNY, not the configured EUR');
});

test('a base URL never carries credentials into the report', () => {
  assert.equal(redactUrl('https://user:secret@dashscope.aliyuncs.com/api/v1'), 'https://dashscope.aliyuncs.com/api/v1');
  const r = buildReport(input([], new LedgerScript(), { baseUrl: 'https://u:secret@x.example/api/v1' }));
  assert.doesNotMatch(JSON.stringify(r), /secret/);
});

test('without any run the report still lists every shot as never rendered', () => {
  const r = buildReport(input([plan({ id: 'a' })], new LedgerScript()));
  assert.equal(r.run.run_id, null);
  assert.equal(r.run.started_at, null);
  assert.equal(r.shots[0]?.state, 'never-rendered');
  assert.equal(r.shots[0]?.reason, 'not submitted');
});
