// The engine against the emulator over real loopback HTTP, with the real client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../src/core/errors.js';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { readLedger } from '../../src/io/ledger-file.js';
import { createRunOutput } from '../../src/io/run-output.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/engine/run-options.js';
import { clientFor, planJob, rewriteJob, runEngine, startTestEmulator, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';

const twoFamilies = (n: number): ShotSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    model: i % 2 === 0 ? 'pixverse/pixverse-v6-t2v' : 'pixverse/pixverse-c1-t2v',
    prompt: `shot number ${i} of the quota test`,
  }));

test('every shot of two families renders within the quotas; an unchanged re-run submits nothing; one change submits one', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('quota', twoFamilies(14));
    const first = await runEngine(emu, job);
    assert.deepEqual(first.result.counts, { succeeded: 14, skipped: 0, failed: 0, interrupted: 0, unreconciled: 0 });
    const s = emu.stats();
    assert.equal(s.tasksCreated, 14);
    assert.equal(s.duplicateSubmits, 0);
    assert.deepEqual(s.throttled, {});
    for (const fam of ['pixverse-v6', 'pixverse-c1']) {
      assert.ok((s.peakActiveTasks[fam] ?? 0) <= 5, `${fam} active ${s.peakActiveTasks[fam]}`);
      assert.ok((s.peakSubmitsPerSecond[fam] ?? 0) <= 5, `${fam} submits/s ${s.peakSubmitsPerSecond[fam]}`);
    }
    assert.ok(s.peakQueriesPerSecond <= 20, `queries/s ${s.peakQueriesPerSecond}`);
    // The list poller spends far fewer task queries than one GET per task per poll.
    const queries = (s.requests['getTask'] ?? 0) + (s.requests['listTasks'] ?? 0);
    assert.ok(queries < 14 * 4, `${queries} task queries for 14 shots`);

    // Videos, POSTed bodies and snapshots are on disk, named from shot ids.
    const out = createRunOutput(first.output.dir);
    for (const o of first.result.outcomes) {
      assert.equal(o.file, path.join('videos', `${o.shot}.mp4`));
      assert.equal((await out.hashFile(o.file!)).sha256, o.sha256);
      const body = JSON.parse(await readFile(out.abs(`requests/${o.shot}.json`), 'utf8'));
      assert.equal(body.input.prompt, `shot number ${o.shot.slice(1)} of the quota test`);
      const snaps = (await readFile(out.abs(`snapshots/${o.shot}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(snaps[0].source, 'submit');
      assert.equal(snaps.at(-1).response.output.task_status, 'SUCCEEDED');
      assert.ok(!JSON.stringify(snaps).includes(emu.apiKey));
    }

    const again = await runEngine(emu, job);
    assert.equal(again.result.counts.skipped, 14);
    assert.equal(emu.stats().tasksCreated, 14);

    const changed = twoFamilies(14);
    changed[3] = { ...changed[3]!, prompt: 'a different prompt' };
    await rewriteJob(job, 'quota', changed);
    const third = await runEngine(emu, job);
    const d3 = third.result.decisions.find((d) => d.shot === 's3')!;
    assert.deepEqual([d3.action, d3.reason], ['submit', 'changed: input.prompt']);
    assert.equal(third.result.counts.succeeded, 1);
    assert.equal(third.result.counts.skipped, 13);
    assert.equal(emu.stats().tasksCreated, 15);
    assert.equal(emu.stats().duplicateSubmits, 0);

    // A video deleted from disk comes back by download, without a new submit.
    await rm(out.abs('videos/s5.mp4'));
    const fourth = await runEngine(emu, job);
    const d5 = fourth.result.decisions.find((d) => d.shot === 's5')!;
    assert.deepEqual([d5.action, d5.reasonCode], ['download', 'video-missing']);
    assert.equal(fourth.result.outcomes.find((o) => o.shot === 's5')!.status, 'succeeded');
    assert.equal(emu.stats().tasksCreated, 15);

    // A recorded URL that no longer works (an expired signature: 403, as Wan's 24 h URLs do) is
    // refreshed from the task (GET) while the task is queryable; still no submit.
    await rm(out.abs('videos/s6.mp4'));
    const ledger = await out.openLedger();
    const s6 = foldLedger((await readLedger(out.ledgerPath)).records).shots.get('s6')!.attempts.at(-1)!;
    const expired = s6.download!.videoUrl.replace(/Expires=\d+/, 'Expires=1700000000');
    assert.notEqual(expired, s6.download!.videoUrl);
    const edit = { at: new Date().toISOString(), runId: 'edit', shot: 's6', key: s6.key, taskId: s6.taskId! };
    await ledger.append({ ...edit, t: 'state', status: 'SUCCEEDED', videoUrl: expired });
    await ledger.append({ ...s6.download!, ...edit, t: 'downloaded', videoUrl: expired });
    await ledger.close();
    // GETs the server answered: the runs before this one may still fill the account's 20/s
    // window, and a throttled GET (429) is retried after a pause, which is not a refresh.
    const answeredGets = (): number => (emu.stats().requests['getTask'] ?? 0) - (emu.stats().throttled['Throttling'] ?? 0);
    const gets = answeredGets();
    const fifth = await runEngine(emu, job);
    const o6 = fifth.result.outcomes.find((o) => o.shot === 's6')!;
    assert.equal(o6.status, 'succeeded', JSON.stringify(o6));
    assert.equal(o6.videoUrl, s6.download!.videoUrl, 'downloaded from the URL the task gave again');
    assert.equal((await out.hashFile('videos/s6.mp4')).sha256, s6.download!.sha256);
    assert.equal(answeredGets() - gets, 1, 'one GET refreshed the URL');
    assert.equal(emu.stats().tasksCreated, 15);
  } finally {
    await emu.close();
  }
});

test('faults slow shots down but only a FAILED task fails; --retry-failed resubmits it deliberately', async () => {
  const emu = await startTestEmulator();
  try {
    const markers = [
      '[[submit-429:2]]',
      '[[submit-500:1]]',
      '[[reset-after-create]]',
      '[[reset-before-create]]',
      '[[poll-503:3]]',
      '[[poll-429:2]]',
      '[[malformed:2]]',
      '[[download-fail:2]]',
      '[[download-truncate:1]]',
      '[[fail:DataInspectionFailed]]',
    ];
    const shots = markers.map((m, i) => ({ id: `f${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `fault ${i} ${m}` }));
    const job = await writeTempJob('faults', shots);
    const first = await runEngine(emu, job);
    const byShot = Object.fromEntries(first.result.outcomes.map((o) => [o.shot, o]));
    for (let i = 0; i < 9; i++) assert.equal(byShot[`f${i}`]!.status, 'succeeded', `f${i} ${markers[i]}: ${byShot[`f${i}`]!.code} ${byShot[`f${i}`]!.message}`);
    assert.equal(byShot['f9']!.status, 'failed');
    assert.equal(byShot['f9']!.code, 'DataInspectionFailed');
    assert.equal(byShot['f9']!.taskStatus, 'FAILED');
    let s = emu.stats();
    assert.equal(s.duplicateSubmits, 0);
    assert.equal(s.tasksCreated, 10);
    assert.ok(first.events.some((e) => e.type === 'shot' && e.phase === 'backing-off' && e.shot === 'f0'));
    // Retries and reconciliations never push a family or the account over its quota.
    for (const fam of ['pixverse-v6', 'pixverse-c1']) {
      assert.ok((s.peakActiveTasks[fam] ?? 0) <= 5, `${fam} active ${s.peakActiveTasks[fam]}`);
      assert.ok((s.peakSubmitsPerSecond[fam] ?? 0) <= 5, `${fam} submits/s ${s.peakSubmitsPerSecond[fam]}`);
    }
    assert.ok(s.peakQueriesPerSecond <= 15, `queries/s ${s.peakQueriesPerSecond}`);
    assert.ok(first.events.some((e) => e.type === 'shot' && e.phase === 'reconciling' && e.shot === 'f2'));

    const { records } = await readLedger(first.output.ledgerPath);
    const f2 = foldLedger(records).shots.get('f2')!.attempts;
    assert.equal(f2.length, 1);
    assert.equal(f2[0]!.outcome, 'submitted'); // found by reconciliation, not resubmitted
    // The ledger's order per shot: the intent is flushed before the POST, the answer right after;
    // a 500 on submit is uncertain and looked up in the task list before anything is resent.
    const steps = (shot: string): string[] =>
      records
        .filter((r) => 'shot' in r && r.shot === shot)
        .map((r) => (r.t === 'reconciled' ? `reconciled:${r.taskId ? 'found' : 'none'}` : r.t === 'state' ? `state:${r.status}` : r.t));
    assert.deepEqual(steps('f0').slice(0, 2), ['intent', 'submitted'], '429s are retried under one intent (nothing was created)');
    assert.deepEqual(steps('f1').slice(0, 5), ['intent', 'submit-uncertain', 'reconciled:none', 'intent', 'submitted']);
    assert.deepEqual(steps('f2').slice(0, 3), ['intent', 'submit-uncertain', 'reconciled:found']);
    assert.deepEqual(steps('f2').filter((t) => t === 'intent'), ['intent']);
    for (const shot of ['f0', 'f1', 'f4']) {
      const s = steps(shot);
      assert.equal(s.at(-1), 'downloaded', `${shot}: ${s.join(' → ')}`);
      assert.ok(s.indexOf('state:SUCCEEDED') > s.lastIndexOf('submitted') && s.indexOf('state:SUCCEEDED') < s.indexOf('downloaded'), s.join(' → '));
    }
    const f0Download = records.find((r) => r.t === 'downloaded' && r.shot === 'f0');
    assert.ok(f0Download && f0Download.t === 'downloaded' && /^[0-9a-f]{64}$/.test(f0Download.sha256));

    const again = await runEngine(emu, job);
    assert.equal(again.result.outcomes.find((o) => o.shot === 'f9')!.status, 'failed');
    assert.equal(again.result.decisions.find((d) => d.shot === 'f9')!.action, 'hold');
    assert.equal(emu.stats().tasksCreated, 10);

    const retried = await runEngine(emu, job, { retryFailed: true });
    assert.equal(retried.result.decisions.find((d) => d.shot === 'f9')!.reasonCode, 'failed-before');
    assert.equal(retried.result.counts.skipped, 9);
    s = emu.stats();
    assert.equal(s.tasksCreated, 11);
  } finally {
    await emu.close();
  }
});

test('a video that keeps failing costs exactly the engine\'s download attempts, not attempts × client retries', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('deadvideo', [{ id: 'd', model: 'pixverse/pixverse-v6-t2v', prompt: 'never downloads [[download-fail:99]]' }]);
    const run = await runEngine(emu, job);
    const o = run.result.outcomes[0]!;
    assert.deepEqual([o.status, o.code, o.taskStatus], ['failed', 'DownloadFailed', 'SUCCEEDED']);
    assert.equal(emu.stats().requests['download'], DEFAULT_RUN_OPTIONS.downloadAttempts);
    assert.equal(emu.stats().tasksCreated, 1);
  } finally {
    await emu.close();
  }
});

test('interrupting stops submitting, cancels PENDING tasks when asked, and a re-run finishes without duplicates', async () => {
  // The emulator runs one task at a time; we allow five, so four wait PENDING on the server.
  const emu = await startTestEmulator({ timeScale: 0.008, quotas: { families: { 'pixverse-v6': { runningTasks: 1 } } } });
  try {
    const shots = Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, prompt: `interrupt test ${i}` }));
    const job = await writeTempJob('interrupt', shots);
    const ac = new AbortController();
    let pending = 0;
    const first = await runEngine(emu, job, { cancelPending: true }, {
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'shot' && e.phase === 'pending' && ++pending === 5) ac.abort();
      },
    });
    assert.equal(first.result.interrupted, true);
    assert.equal(first.result.counts.interrupted + first.result.counts.succeeded, 8);
    const canceled = first.result.outcomes.filter((o) => o.taskStatus === 'CANCELED');
    assert.ok(canceled.length >= 1, 'some PENDING task was canceled');
    assert.ok(first.result.outcomes.filter((o) => !o.taskId).length >= 1, 'some shot was never submitted');
    const created = emu.stats().tasksCreated;
    assert.ok(created <= 5);

    const second = await runEngine(emu, job);
    assert.equal(second.result.interrupted, false, JSON.stringify(second.result.outcomes));
    assert.equal(second.result.counts.succeeded + second.result.counts.skipped, 8, JSON.stringify(second.result.outcomes.map((o) => [o.shot, o.status, o.action, o.code, o.message])));
    const s = emu.stats();
    // Canceled tasks are submitted again (deliberately); nothing else twice.
    assert.equal(s.tasksCreated, 8 + canceled.length);
    assert.equal(s.duplicateSubmits, canceled.length);
    for (const o of second.result.outcomes.filter((x) => first.result.outcomes.find((f) => f.shot === x.shot)?.taskLeftLive)) {
      assert.equal(second.result.decisions.find((d) => d.shot === o.shot)!.action === 'submit', false, `${o.shot} was re-attached, not resubmitted`);
    }
  } finally {
    await emu.close();
  }
});

test('an intent left by a crash is reconciled to its task; an ambiguous one is not resubmitted without --force', async () => {
  const emu = await startTestEmulator();
  const client = clientFor(emu);
  try {
    const job = await writeTempJob('crash', [
      { id: 'found', prompt: 'the task exists' },
      { id: 'twin', prompt: 'two tasks look like me' },
      { id: 'none', prompt: 'nothing was created' },
    ]);
    const { plans, outputDir } = await planJob(job);
    const ledger = await createRunOutput(outputDir).openLedger();
    const at = new Date(Date.now() - 1000).toISOString();
    for (const p of plans) {
      await ledger.append({ t: 'intent', at, runId: 'crashed', shot: p.shotId, key: p.key, model: p.model, endpoint: p.endpoint, attempt: 1, reason: 'new', body: p.body, mediaSha256: {} });
    }
    await ledger.close();
    // What the crashed run managed to send: one task for `found`, two look-alikes for `twin`.
    const found = await client.submit(plans[0]!.endpoint, plans[0]!.body);
    await client.submit(plans[1]!.endpoint, plans[1]!.body);
    await client.submit(plans[1]!.endpoint, { ...plans[1]!.body, parameters: { ...plans[1]!.body.parameters, seed: 2 } });

    const first = await runEngine(emu, job);
    const by = Object.fromEntries(first.result.outcomes.map((o) => [o.shot, o]));
    assert.equal(by['found']!.status, 'succeeded');
    assert.equal(by['found']!.taskId, found.taskId);
    assert.equal(by['none']!.status, 'succeeded');
    assert.equal(by['twin']!.status, 'unreconciled');
    assert.equal(emu.stats().tasksCreated, 4); // only `none` was submitted
    // Every shot's end is announced, the held one too (displays count shots by shot-end).
    const ended = first.events.flatMap((e) => (e.type === 'shot-end' ? [e.outcome.shot] : []));
    assert.deepEqual(ended.sort(), ['found', 'none', 'twin']);

    const forced = await runEngine(emu, job, { force: true }, { only: ['twin'] });
    assert.equal(forced.result.outcomes.find((o) => o.shot === 'twin')!.status, 'succeeded');
    assert.equal(emu.stats().tasksCreated, 5);
  } finally {
    await client.close();
    await emu.close();
  }
});

test("a ledger's other open intents take part in the matching: a task that fits another shot's earlier submit as well is not taken", async () => {
  const emu = await startTestEmulator();
  const client = clientFor(emu);
  try {
    const job = await writeTempJob('ledger-rivals', [{ id: 'y', prompt: 'one prompt, two seeds' }]);
    const { plans, outputDir } = await planJob(job);
    const y = plans[0]!;
    const ledger = await createRunOutput(outputDir).openLedger();
    const at = new Date(Date.now() - 1000).toISOString();
    // A crashed run left two open intents: y's, and one of a shot `x` since removed from the
    // manifest whose body differs from y's only by its seed (which the server does not echo).
    const xBody = { ...y.body, parameters: { ...y.body.parameters, seed: 2 } };
    await ledger.append({ t: 'intent', at, runId: 'crashed', shot: 'x', key: 'kx', model: y.model, endpoint: y.endpoint, attempt: 1, reason: 'new', body: xBody, mediaSha256: {} });
    await ledger.append({ t: 'intent', at, runId: 'crashed', shot: 'y', key: y.key, model: y.model, endpoint: y.endpoint, attempt: 1, reason: 'new', body: y.body, mediaSha256: {} });
    await ledger.close();
    await client.submit(y.endpoint, xBody); // x's POST got through; y's did not

    const run = await runEngine(emu, job);
    const out = run.result.outcomes.find((o) => o.shot === 'y')!;
    assert.equal(out.status, 'unreconciled', 'one task fits y and x equally: it is not given to y');
    assert.match(out.message ?? '', /fits it and shot x \(its earlier submit 1\) equally/);
    assert.equal(emu.stats().tasksCreated, 1, 'nothing was resubmitted');
  } finally {
    await client.close();
    await emu.close();
  }
});

test('local media is uploaded once per content and model; the budget cap refuses a run unless confirmed', async () => {
  const emu = await startTestEmulator();
  try {
    const img = ['    resolution: 720P', '    media:', '      - type: image_url', '        url: img.png'];
    const job = await writeTempJob('media', [
      { id: 'm1', model: 'pixverse/pixverse-c1-it2v', prompt: 'one', extra: img },
      { id: 'm2', model: 'pixverse/pixverse-c1-it2v', prompt: 'two', extra: img },
    ]);
    await assert.rejects(runEngine(emu, job, { budget: { maxSeconds: 6 } }), (e: unknown) => e instanceof UserError && e.kind === 'budget');
    assert.equal(emu.stats().tasksCreated, 0);
    const run = await runEngine(emu, job, { budget: { maxSeconds: 6 }, yes: true });
    assert.equal(run.result.counts.succeeded, 2);
    assert.equal(emu.stats().requests['upload'], 1);
    const body = JSON.parse(await readFile(run.output.abs('requests/m1.json'), 'utf8'));
    assert.match(body.input.media[0].url, /^oss:\/\//);
    const { records } = await readLedger(run.output.ledgerPath);
    assert.equal(records.filter((r) => r.t === 'upload').length, 1);
  } finally {
    await emu.close();
  }
});

test('a PixVerse kf2v shot is submitted on its documented path (video-generation), whatever the official SDK does', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('keyframes', [
    {
      id: 'dusk',
      model: 'pixverse/pixverse-v6-kf2v',
      prompt: 'the harbour from dawn to dusk',
      extra: ['    resolution: 720P', '    media:', '      - { type: first_frame, url: img.png }', '      - { type: last_frame, url: img.png }'],
    },
  ]);
  try {
    const r = await runEngine(emu, job);
    assert.equal(r.result.counts.succeeded, 1, JSON.stringify(r.result.outcomes));
    const byPath = emu.stats().requestsByPath;
    assert.equal(byPath['POST /api/v1/services/aigc/video-generation/video-synthesis'], 1);
    assert.equal(byPath['POST /api/v1/services/aigc/image2video/video-synthesis'], undefined);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
