// `pixverse run` end to end: the built binary against an emulator over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';

const shots = (n: number, tag: string): ShotSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `k${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `${tag} shot ${i}` }));

test('the storyboard demo runs with --emulator, says so in its report, and a re-run renders nothing', async () => {
  const job = await writeTempJob('unused', []);
  await cp(path.join(PACKAGE_ROOT, 'jobs'), path.join(job.dir, 'jobs'), { recursive: true, filter: (src) => !src.endsWith('.lock.yaml') });
  const args = ['run', 'jobs/storyboard.yaml', '--emulator', '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
  const first = await runCli(args, { cwd: job.dir });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /EMULATOR/);
  assert.match(first.stdout, /10 rendered, 0 up to date, 0 failed/);
  // Emulator renders live in a space of their own: a later real run must never take their
  // fixture videos for renders, and the lock beside the manifest (committed by teams) stays clean.
  const space = path.join(job.dir, 'output', 'storyboard', 'emulator');
  const report = JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8'));
  assert.equal(report.run?.emulator ?? report.emulator, true);
  assert.ok((await stat(path.join(space, 'videos', 'wan-sea.mp4'))).size > 0);
  assert.ok((await stat(path.join(space, 'storyboard.lock.yaml'))).size > 0);
  await assert.rejects(stat(path.join(job.dir, 'jobs', 'storyboard.lock.yaml')), { code: 'ENOENT' });
  await assert.rejects(stat(path.join(job.dir, 'output', 'storyboard', 'ledger.jsonl')), { code: 'ENOENT' });
  assert.ok(!(first.stdout + first.stderr).includes('sk-emulator-key'));

  const again = await runCli(args, { cwd: job.dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 rendered, 10 up to date/);
});

test('killed with SIGKILL right after an intent, mid-polling and mid-download, re-runs submit every shot exactly once', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('killed', shots(8, 'kill'));
    const args = ['run', 'jobs/killed.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const killAt: Array<(e: { type: string; phase?: string }) => boolean> = [
      (e) => e.type === 'shot' && e.phase === 'submitting',
      (e) => e.type === 'shot' && e.phase === 'running',
      (e) => e.type === 'shot' && e.phase === 'downloading',
    ];
    for (const when of killAt) {
      const r = await runCli(args, { cwd: job.dir, env, onEvent: (e) => (when(e) ? 'SIGKILL' : undefined) });
      assert.equal(r.signal, 'SIGKILL', `expected a kill; exit ${r.code}: ${r.stderr}`);
    }
    const last = await runCli(args, { cwd: job.dir, env });
    assert.equal(last.code, 0, last.stderr);
    const s = emu.stats();
    assert.equal(s.duplicateSubmits, 0);
    assert.equal(s.tasksCreated, 8);
    for (let i = 0; i < 8; i++) assert.ok((await stat(path.join(job.dir, 'output', 'killed', 'videos', `k${i}.mp4`))).size > 0);
    const report = JSON.parse(await readFile(path.join(job.dir, 'output', 'killed', 'report.json'), 'utf8'));
    assert.ok(JSON.stringify(report).length > 0);
    assert.ok(s.peakQueriesPerSecond <= 20);
  } finally {
    await emu.close();
  }
});

test('Ctrl-C stops cleanly with exit 130 and a resume hint; a failed shot makes the exit code 1', async () => {
  const emu = await startTestEmulator();
  try {
    const spec = shots(6, 'interrupt');
    spec[5] = { ...spec[5]!, prompt: 'this one fails [[fail:InternalError]]' };
    const job = await writeTempJob('stopped', spec);
    const args = ['run', 'jobs/stopped.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const stopped = await runCli(args, { cwd: job.dir, env, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined) });
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /resume with: pixverse run jobs\/stopped\.yaml/);
    assert.ok(stopped.events.some((e) => e.type === 'run-end' && e.interrupted));
    // Reports are written for an interrupted run too.
    assert.ok((await stat(path.join(job.dir, 'output', 'stopped', 'report.md'))).size > 0);

    const finished = await runCli(args, { cwd: job.dir, env });
    assert.equal(finished.code, 1, finished.stderr);
    const end = finished.events.find((e) => e.type === 'run-end');
    assert.ok(end && end.type === 'run-end');
    assert.equal(end.counts.failed, 1);
    assert.equal(emu.stats().duplicateSubmits, 0);
    assert.equal(emu.stats().tasksCreated, 6);
  } finally {
    await emu.close();
  }
});

test('a budget cap refuses the run with exit 4 unless --yes; --only selects shots by glob', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('budget', shots(3, 'budget'));
    await writeFile(path.join(job.dir, 'cap.json'), JSON.stringify({ budget: { maxBillableSeconds: 6 } }));
    const base = ['run', 'jobs/budget.yaml', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output', '--config', 'cap.json'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const refused = await runCli(base, { cwd: job.dir, env });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /budget/);
    assert.equal(emu.stats().tasksCreated, 0);
    const one = await runCli([...base, '--only', 'k?'.replace('?', '1')], { cwd: job.dir, env });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(emu.stats().tasksCreated, 1);
    const unknown = await runCli([...base, '--only', 'nope*'], { cwd: job.dir, env });
    assert.equal(unknown.code, 2);
    const all = await runCli([...base, '--yes'], { cwd: job.dir, env });
    assert.equal(all.code, 0, all.stderr);
    assert.equal(emu.stats().tasksCreated, 3);
  } finally {
    await emu.close();
  }
});

test('an interrupted --emulator run resumes on a new emulator session: nothing of the old server is re-attached', async () => {
  const job = await writeTempJob('resume', shots(4, 'resume'));
  const args = ['run', 'jobs/resume.yaml', '--emulator', '--json', '--time-scale', '0.01', '--output-dir', 'output'];
  const stopped = await runCli(args, { cwd: job.dir, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined) });
  assert.equal(stopped.code, 130, stopped.stderr);
  const resumed = await runCli(args, { cwd: job.dir });
  assert.equal(resumed.code, 0, resumed.stderr);
  const start = resumed.events.find((e) => e.type === 'run-start');
  assert.ok(start && start.type === 'run-start' && start.shots.every((s) => s.action === 'submit'));
});
