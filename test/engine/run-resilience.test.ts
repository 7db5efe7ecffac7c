// The engine under throttled task queries, unknown tasks and refused uploads: against the
// emulator over loopback (real client), and with a fake client where the emulator cannot
// produce the situation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import type { PlannedRequest, RequestBody } from '../../src/core/types.js';
import type { DashScopeClient, SubmitResult } from '../../src/dashscope/client-types.js';
import { DashScopeError } from '../../src/dashscope/errors.js';
import { systemClock } from '../../src/engine/clock.js';
import type { RunEvent } from '../../src/engine/events.js';
import { runShots } from '../../src/engine/run-engine.js';
import { isOssRefusal } from '../../src/engine/uploads.js';
import { readLedger } from '../../src/io/ledger-file.js';
import { createRunOutput } from '../../src/io/run-output.js';
import { clientFor, planJob, rewriteJob, runEngine, startTestEmulator, testRunOptions, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';
import { toTaskRowPage, toTaskView } from '../../src/dashscope/task-view.js';

const recordsOf = async (file: string, shot?: string): Promise<LedgerRecord[]> =>
  (await readLedger(file)).records.filter((r) => shot === undefined || ('shot' in r && r.shot === shot));

/** An earlier run against this same server, as the ledger would hold it. */
async function seedLedger(job: TempJob, baseUrl: string, records: (runId: string, plans: PlannedRequest[]) => LedgerRecord[]): Promise<PlannedRequest[]> {
  const { plans, outputDir } = await planJob(job);
  const ledger = await createRunOutput(outputDir).openLedger();
  const at = new Date(Date.now() - 1000).toISOString();
  await ledger.append({ t: 'run-start', at, runId: 'earlier', manifest: job.manifest, manifestSha256: 'x', toolVersion: 'test', region: 'cn-beijing', baseUrl, emulator: true, shots: plans.map((p) => p.shotId) });
  for (const r of records('earlier', plans)) await ledger.append(r);
  await ledger.close();
  return plans;
}

test('throttled and failing task queries slow every query but fail no shot; a crash intent is still reconciled through them', async () => {
  const emu = await startTestEmulator({
    seed: 5,
    faults: [
      { endpoint: 'listTasks', kind: '429', rate: 0.35 },
      { endpoint: 'getTask', kind: '429', rate: 0.25 },
      { endpoint: 'getTask', kind: '503', rate: 0.1 },
    ],
  });
  const client = clientFor(emu);
  try {
    const shots: ShotSpec[] = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `throttled queries ${i}` }));
    const job = await writeTempJob('throttled', shots);
    // A crashed run sent q0 (the task exists) but never recorded its task id.
    const plans = await seedLedger(job, emu.baseUrl, (runId, p) => [
      { t: 'intent', at: new Date(Date.now() - 1000).toISOString(), runId, shot: 'q0', key: p[0]!.key, model: p[0]!.model, endpoint: p[0]!.endpoint, attempt: 1, reason: 'new', body: p[0]!.body, mediaSha256: {} },
    ]);
    const sent = await client.submit(plans[0]!.endpoint, plans[0]!.body);

    const run = await runEngine(emu, job);
    const byShot = Object.fromEntries(run.result.outcomes.map((o) => [o.shot, o]));
    for (const s of shots) assert.equal(byShot[s.id]!.status, 'succeeded', `${s.id}: ${byShot[s.id]!.code} ${byShot[s.id]!.message}`);
    assert.equal(byShot['q0']!.taskId, sent.taskId, 'q0 was re-attached to the task the crashed run created');
    const stats = emu.stats();
    assert.equal(stats.tasksCreated, 6);
    assert.equal(stats.duplicateSubmits, 0);
    assert.ok((stats.throttled['Throttling'] ?? 0) > 0, 'the emulator throttled some queries');
    const pauses = run.events.filter((e): e is Extract<RunEvent, { type: 'backoff' }> => e.type === 'backoff' && e.scope === 'query');
    assert.ok(pauses.length > 0 && pauses.some((p) => p.code === 'Throttling'), 'throttled queries paused all queries');
    assert.ok(stats.peakQueriesPerSecond <= 20);
  } finally {
    await client.close();
    await emu.close();
  }
});

test('a task the server reports UNKNOWN is final with its status; only --retry-failed submits it again', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('unknown', [{ id: 'u', prompt: 'a task the server forgot' }]);
    await seedLedger(job, emu.baseUrl, (runId, p) => [
      { t: 'intent', at: new Date(Date.now() - 2000).toISOString(), runId, shot: 'u', key: p[0]!.key, model: p[0]!.model, endpoint: p[0]!.endpoint, attempt: 1, reason: 'new', body: p[0]!.body, mediaSha256: {} },
      { t: 'submitted', at: new Date(Date.now() - 2000).toISOString(), runId, shot: 'u', key: p[0]!.key, taskId: 'no-such-task', requestId: 'r' },
    ]);
    const first = await runEngine(emu, job);
    assert.equal(first.result.decisions[0]!.action, 'reattach');
    const o = first.result.outcomes[0]!;
    assert.deepEqual([o.status, o.taskStatus, o.code], ['failed', 'UNKNOWN', 'UNKNOWN']);
    assert.match(o.message!, /unknown to the server/);

    const again = await runEngine(emu, job);
    assert.deepEqual([again.result.decisions[0]!.action, again.result.outcomes[0]!.status], ['hold', 'failed']);
    assert.equal(emu.stats().tasksCreated, 0);

    const retried = await runEngine(emu, job, { retryFailed: true });
    assert.deepEqual([retried.result.decisions[0]!.action, retried.result.decisions[0]!.reasonCode], ['submit', 'failed-before']);
    assert.equal(retried.result.outcomes[0]!.status, 'succeeded');
    assert.equal(emu.stats().tasksCreated, 1);
  } finally {
    await emu.close();
  }
});

const IMG = ['    resolution: 720P', '    media:', '      - type: image_url', '        url: img.png'];
const it2v = (id: string, prompt: string): ShotSpec => ({ id, model: 'pixverse/pixverse-c1-it2v', prompt, extra: IMG });

test('an oss:// URL the server refuses before its recorded expiry is uploaded again once, the shot resubmitted, and the ledger says so', async () => {
  const old = await startTestEmulator();
  const job = await writeTempJob('reupload', [it2v('m1', 'first use of the image')]);
  try {
    const first = await runEngine(old, job);
    assert.equal(first.result.counts.succeeded, 1);
    assert.equal(old.stats().requests['upload'], 1);
  } finally {
    await old.close();
  }
  // A new server session at the same address: it never saw the file our ledger says is valid
  // for 48 h (as a server that dropped it early would answer).
  const emu = await startTestEmulator({ port: Number(new URL(old.baseUrl).port) });
  try {
    assert.equal(emu.baseUrl, old.baseUrl);
    await rewriteJob(job, 'reupload', [it2v('m1', 'first use of the image'), it2v('m2', 'second use of the image')]);
    const second = await runEngine(emu, job);
    const m2 = second.result.outcomes.find((o) => o.shot === 'm2')!;
    assert.equal(m2.status, 'succeeded', `${m2.code} ${m2.message}`);
    const s = emu.stats();
    assert.equal(s.requests['upload'], 1, 'uploaded again exactly once');
    assert.equal(s.tasksCreated, 1);
    assert.equal(s.duplicateSubmits, 0);
    assert.ok(second.events.some((e) => e.type === 'warning' && e.shot === 'm2' && /uploading it again/.test(e.message)));

    // The ledger: the refused POST (a 4xx: no task), the dead URL, the new upload, a new intent.
    const m2Records = (await recordsOf(second.output.ledgerPath, 'm2')).map((r) => r.t);
    assert.deepEqual(m2Records.slice(0, 4), ['intent', 'submit-rejected', 'intent', 'submitted']);
    const uploads = (await recordsOf(second.output.ledgerPath)).filter((r): r is Extract<LedgerRecord, { t: 'upload' }> => r.t === 'upload');
    assert.equal(uploads.length, 3);
    assert.equal(uploads[1]!.url, uploads[0]!.url);
    assert.equal(uploads[1]!.expiresAt, uploads[1]!.at, 'the refused URL is recorded as expired');
    assert.notEqual(uploads[2]!.url, uploads[0]!.url);

    // A later run reuses the new upload.
    await rewriteJob(job, 'reupload', [it2v('m1', 'first use of the image'), it2v('m2', 'second use of the image'), it2v('m3', 'third use')]);
    const third = await runEngine(emu, job);
    assert.equal(third.result.outcomes.find((o) => o.shot === 'm3')!.status, 'succeeded');
    assert.equal(emu.stats().requests['upload'], 1);
  } finally {
    await emu.close();
  }
});

test('a refused re-upload is not tried a third time: the shot fails with the server code and the others go on', async () => {
  // A server that refuses every oss:// input (the emulator always accepts a fresh upload).
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-oss-'));
  const img = path.join(dir, 'a.png');
  await writeFile(img, 'png bytes');
  let uploads = 0;
  let submits = 0;
  const client: DashScopeClient = {
    baseUrl: 'fake',
    async upload() {
      uploads++;
      return { url: `oss://dashscope-instant/dir${uploads}/a.png`, expiresAt: new Date(Date.now() + 48 * 3600_000) };
    },
    async submit(_endpoint: string, body: RequestBody): Promise<SubmitResult> {
      submits++;
      const url = JSON.stringify(body).match(/oss:\/\/[^"]+/)?.[0];
      if (url) throw new DashScopeError({ operation: 'submit', errorClass: 'fatal', code: 'InvalidParameter', httpStatus: 400, message: `The oss:// resource "${url}" has expired.` });
      const id = `t-${String(body.input['prompt'])}`;
      return toTaskView({ request_id: 'r', output: { task_id: id, task_status: 'PENDING' } });
    },
    getTask: async (id) => toTaskView({ request_id: 'r', output: { task_id: id, task_status: 'FAILED', code: 'InternalError', message: 'x' } }),
    // The list never shows the task: the poller falls back to GET.
    listTasks: async () => toTaskRowPage({ request_id: 'r', total: 0, total_page: 1, page_no: 1, page_size: 100, data: [] }),
    cancel: () => Promise.reject(new Error('not used')),
    download: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
  const req = (id: string, local: boolean): PlannedRequest => ({
    shotId: id,
    model: 'wan2.6-i2v-flash',
    endpoint: '/services/aigc/video-generation/video-synthesis',
    body: { model: 'wan2.6-i2v-flash', input: { prompt: id, img_url: local ? 'local:a.png' : 'https://x/a.png' }, parameters: { resolution: '720P', duration: 5 } },
    localMedia: local ? [{ manifestPath: 'a.png', absPath: img, sha256: 'S', bodyPointer: '/input/img_url' }] : [],
    key: `K-${id}`,
    tier: '720P',
    billableSeconds: 5,
    pinned: [],
    seedDerived: false,
  } as unknown as PlannedRequest);
  const output = createRunOutput(path.join(dir, 'out'));
  const result = await runShots(
    { manifest: 'm', manifestSha256: 'x', requests: [req('local', true), req('remote', false)], region: 'cn-beijing', baseUrl: 'fake', emulator: true, toolVersion: 'test' },
    testRunOptions({ serverTimeScale: 0.001 }),
    { client, output, clock: systemClock, random: Math.random, onEvent: () => undefined },
  );
  const local = result.outcomes.find((o) => o.shot === 'local')!;
  assert.deepEqual([local.status, local.code], ['failed', 'InvalidParameter']);
  assert.equal(uploads, 2, 'one upload and one re-upload');
  const localRecords = (await recordsOf(output.ledgerPath, 'local')).map((r) => r.t);
  assert.deepEqual(localRecords, ['intent', 'submit-rejected', 'intent', 'submit-rejected']);
  // The other shot was submitted (and its task followed) regardless.
  const remote = result.outcomes.find((o) => o.shot === 'remote')!;
  assert.deepEqual([remote.taskId, remote.taskStatus, remote.code], ['t-remote', 'FAILED', 'InternalError']);
  assert.equal(submits, 3);
});

test('only a 4xx that names the upload or an input-URL problem counts as a refused oss:// URL', () => {
  const urls = ['oss://d/a.png'];
  const f = (httpStatus: number, code: string, message: string, errorClass = 'fatal') => ({ errorClass, httpStatus, code, message });
  assert.equal(isOssRefusal(f(400, 'InvalidParameter', 'The oss:// resource "oss://d/a.png" has expired.'), urls), true);
  assert.equal(isOssRefusal(f(400, 'InvalidURL', 'cannot fetch the input'), urls), true);
  assert.equal(isOssRefusal(f(400, 'BadRequest.InputDownloadFailed', 'Download the media resource timed out'), urls), true);
  assert.equal(isOssRefusal(f(400, 'InvalidParameter', 'The size is not match xxx'), urls), false);
  assert.equal(isOssRefusal(f(400, 'InvalidParameter', 'The oss:// resource has expired'), []), false, 'no upload in the body');
  assert.equal(isOssRefusal(f(429, 'Throttling.RateQuota', 'expired', 'retryable'), urls), false);
  assert.equal(isOssRefusal(f(500, 'InternalError', 'download failed', 'uncertain'), urls), false, 'a 5xx may have created a task');
  assert.equal(isOssRefusal(f(401, 'InvalidApiKey', 'expired key'), urls), false);
});
