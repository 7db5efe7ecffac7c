// A committed lock file on a clone without `output/`: `run` fetches the locked videos back (GET of
// the task, or the lock's stable URL) instead of billing every shot again, holds what can no
// longer be fetched, and `plan` shows the same decisions without writing. The built binary runs
// against an emulator over loopback with --base-url, declared a proxy of Model Studio in the
// project's config (a real-server run, not --emulator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import type { RunEvent, ShotOutcome } from '../../src/engine/events.js';
import type { RenderAction } from '../../src/core/plan/render-decision.js';
import { hashFile } from '../../src/io/inspect-outputs.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { renderLockText } from '../../src/io/write-lock-file.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, rewriteJob, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';

const SHOTS: ShotSpec[] = [
  { id: 'pix', prompt: 'a lighthouse at dawn' },
  { id: 'pix2', model: 'pixverse/pixverse-c1-t2v', prompt: 'a harbour at noon' },
  { id: 'wan', model: 'wan2.6-i2v-flash', prompt: 'waves under a golden sky', extra: ['    reference_image: img.png', '    resolution: 720P'] },
];

interface Clone {
  job: TempJob;
  lockPath: string;
  outputDir: string;
  run(...extra: string[]): ReturnType<typeof runCli>;
  cli(args: string[]): ReturnType<typeof runCli>;
}

function cloneOf(job: TempJob, baseUrl: string, apiKey: string): Clone {
  const env = { DASHSCOPE_API_KEY: apiKey };
  const cli = (args: string[]): ReturnType<typeof runCli> => runCli(args, { cwd: job.dir, env });
  return {
    job,
    lockPath: path.join(job.dir, 'jobs', 'clone.lock.yaml'),
    outputDir: path.join(job.dir, 'output', 'clone'),
    cli,
    run: (...extra) => cli(['run', 'jobs/clone.yaml', '--json', '--base-url', baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output', ...extra]),
  };
}

const actions = (events: RunEvent[]): Record<string, RenderAction> => {
  const start = events.find((e) => e.type === 'run-start');
  assert.ok(start && start.type === 'run-start', 'a run-start event');
  return Object.fromEntries(start.shots.map((s) => [s.shot, s.action]));
};
const reasons = (events: RunEvent[]): Record<string, string> => {
  const start = events.find((e) => e.type === 'run-start');
  return start && start.type === 'run-start' ? Object.fromEntries(start.shots.map((s) => [s.shot, s.reason])) : {};
};
const outcome = (events: RunEvent[], shot: string): ShotOutcome => {
  const end = events.find((e) => e.type === 'shot-end' && e.outcome.shot === shot);
  assert.ok(end && end.type === 'shot-end', `a shot-end for ${shot}`);
  return end.outcome;
};
async function lockEntries(file: string): Promise<Record<string, { key: string; task_id?: string; sha256: string; url?: string }>> {
  const parsed = parseLockText(await readFile(file, 'utf8'));
  assert.ok(parsed.ok);
  return Object.fromEntries(parsed.lock.shots.map((e) => [e.id, e]));
}
async function ledgerOf(dir: string): Promise<LedgerRecord[]> {
  return (await readFile(path.join(dir, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LedgerRecord);
}

test('a fresh clone with the lock committed fetches every video back without a submit; the lock stays byte-identical and status says current', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('clone', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const c = cloneOf(job, emu.baseUrl, emu.apiKey);
    const first = await c.run();
    assert.equal(first.code, 0, first.stderr);
    const lockText = await readFile(c.lockPath, 'utf8');
    const locked = await lockEntries(c.lockPath);
    const before = emu.stats();
    assert.equal(before.tasksCreated, 3);

    // The clone: the lock is committed, output/ is not.
    await rm(path.join(job.dir, 'output'), { recursive: true });
    const second = await c.run();
    assert.equal(second.code, 0, second.stderr);
    const after = emu.stats();
    assert.equal(after.tasksCreated, 3, 'nothing submitted again');
    assert.equal(after.requests['submit'], before.requests['submit']);
    assert.deepEqual(actions(second.events), { pix: 'download', pix2: 'download', wan: 'download' });
    assert.match(reasons(second.events)['wan']!, /recorded in clone\.lock\.yaml \(task .+\): downloading it again \(no new render\)/);
    // Fetched back by asking each task for its URL (the lock keeps no loopback URL).
    assert.equal((after.requests['getTask'] ?? 0) - (before.requests['getTask'] ?? 0), 3);
    for (const shot of ['pix', 'pix2', 'wan']) {
      assert.equal(outcome(second.events, shot).status, 'succeeded');
      assert.equal(await hashFile(path.join(c.outputDir, 'videos', `${shot}.mp4`)), locked[shot]!.sha256);
    }
    assert.equal(await readFile(c.lockPath, 'utf8'), lockText, 'the lock is byte-identical: same task ids');
    const adopted = (await ledgerOf(c.outputDir)).filter((r) => r.t === 'adopted');
    assert.deepEqual(adopted.map((r) => r.t === 'adopted' && [r.shot, r.taskId]).sort(), Object.entries(locked).map(([id, e]) => [id, e.task_id]).sort());
    const report = JSON.parse(await readFile(path.join(c.outputDir, 'report.json'), 'utf8')) as { run: { billable_seconds: number } };
    assert.equal(report.run.billable_seconds, 0, 'the report bills nothing for fetched-back videos');

    const status = await c.cli(['status', 'jobs/clone.yaml', '--json', '--output-dir', 'output']);
    assert.equal(status.code, 0, status.stderr);
    const shots = (JSON.parse(status.stdout) as { shots: { id: string; state: string }[] }).shots;
    assert.deepEqual(shots.map((s) => [s.id, s.state]), [['pix', 'current'], ['pix2', 'current'], ['wan', 'current']]);

    const third = await c.run();
    assert.equal(third.code, 0, third.stderr);
    assert.deepEqual(actions(third.events), { pix: 'skip', pix2: 'skip', wan: 'skip' });
    assert.equal(emu.stats().tasksCreated, 3);
    assert.equal(await readFile(c.lockPath, 'utf8'), lockText);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('after 25 h the locked Wan video can no longer be fetched: held with the reason, exit 1, nothing submitted; --force renders exactly that shot', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('clone', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const c = cloneOf(job, emu.baseUrl, emu.apiKey);
    const first = await c.run();
    assert.equal(first.code, 0, first.stderr);
    // PixVerse URLs do not expire, so a real lock keeps them: give `pix` the URL it was served
    // from (the writer leaves loopback URLs out, so it is put in by hand here).
    const pixUrl = outcome(first.events, 'pix').videoUrl!;
    const parsed = parseLockText(await readFile(c.lockPath, 'utf8'));
    assert.ok(parsed.ok);
    const withUrl = { ...parsed.lock, shots: parsed.lock.shots.map((e) => (e.id === 'pix' ? { ...e, url: pixUrl } : e)) };
    await writeFile(c.lockPath, renderLockText(withUrl));
    const locked = await lockEntries(c.lockPath);
    await rm(path.join(job.dir, 'output'), { recursive: true });
    emu.advanceClock(25 * 3600_000);
    const before = emu.stats();

    const held = await c.run();
    assert.equal(held.code, 1, `some shots are not done: ${held.stderr}`);
    assert.equal(emu.stats().tasksCreated, 3, 'nothing submitted');
    const wan = outcome(held.events, 'wan');
    assert.deepEqual([wan.status, wan.action, wan.code], ['failed', 'hold', 'VideoLost']);
    assert.match(wan.message!, new RegExp(`recorded in clone\\.lock\\.yaml as rendered \\(task ${locked['wan']!.task_id}\\) but the video is not on disk and can no longer be fetched \\(task \\S+ is UNKNOWN \\(expired after 24 h\\)\\); --retry-failed or --force renders it again \\(billed\\)$`));
    // `pix` came back from its stable URL without asking the (expired) task; `pix2` had no URL.
    assert.equal(outcome(held.events, 'pix').status, 'succeeded');
    assert.equal(await hashFile(path.join(c.outputDir, 'videos', 'pix.mp4')), locked['pix']!.sha256);
    assert.equal(outcome(held.events, 'pix2').action, 'hold');
    assert.equal((emu.stats().requests['getTask'] ?? 0) - (before.requests['getTask'] ?? 0), 2, 'one GET each for wan and pix2, none for pix');
    const kept = await lockEntries(c.lockPath);
    assert.deepEqual([kept['wan'], kept['pix2']], [locked['wan'], locked['pix2']], 'held shots keep their lock entries');

    // The next run does not try again or bill: the hold stands, and plan and status say so.
    const again = await c.run();
    assert.equal(again.code, 1);
    assert.deepEqual(actions(again.events), { pix: 'skip', pix2: 'hold', wan: 'hold' });
    assert.equal(emu.stats().tasksCreated, 3);
    const plan = await c.cli(['plan', 'jobs/clone.yaml', '--json', '--output-dir', 'output', '--base-url', emu.baseUrl]);
    assert.equal(plan.code, 0, plan.stderr);
    const decisions = (JSON.parse(plan.stdout) as { decisions: { shot: string; action: string; reason: string }[] }).decisions;
    assert.equal(decisions.find((d) => d.shot === 'wan')!.action, 'hold');
    assert.match(decisions.find((d) => d.shot === 'wan')!.reason, /can no longer be fetched .*UNKNOWN/);
    const status = await c.cli(['status', 'jobs/clone.yaml', '--json', '--output-dir', 'output']);
    const states = (JSON.parse(status.stdout) as { shots: { id: string; state: string; detail: string }[] }).shots;
    assert.equal(states.find((s) => s.id === 'wan')!.state, 'missing');
    assert.match(states.find((s) => s.id === 'wan')!.detail, /can no longer be fetched/);

    const forced = await c.run('--force', '--only', 'wan');
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(actions(forced.events), { wan: 'submit' });
    assert.equal(emu.stats().tasksCreated, 4, 'exactly one new render');
    const relocked = await lockEntries(c.lockPath);
    assert.notEqual(relocked['wan']!.task_id, locked['wan']!.task_id);
    assert.deepEqual(relocked['pix2'], locked['pix2']);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a shot changed after the lock renders as changed; the unchanged ones are adopted and skipped', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('clone', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const c = cloneOf(job, emu.baseUrl, emu.apiKey);
    assert.equal((await c.run()).code, 0);
    const locked = await lockEntries(c.lockPath);
    // A teammate's clone: the videos were copied over, the ledger was not.
    await rm(path.join(c.outputDir, 'ledger.jsonl'));
    await rewriteJob(job, 'clone', SHOTS.map((s) => (s.id === 'pix2' ? { ...s, prompt: 'a harbour at dusk' } : s)));

    const r = await c.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(actions(r.events), { pix: 'skip', pix2: 'submit', wan: 'skip' });
    const why = reasons(r.events);
    assert.equal(why['pix2'], 'changed since the render recorded in clone.lock.yaml');
    assert.equal(why['pix'], 'unchanged; videos/pix.mp4 matches clone.lock.yaml');
    assert.equal(emu.stats().tasksCreated, 4);
    const relocked = await lockEntries(c.lockPath);
    assert.deepEqual([relocked['pix'], relocked['wan']], [locked['pix'], locked['wan']]);
    assert.notEqual(relocked['pix2']!.key, locked['pix2']!.key);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('plan on a fresh clone shows download, skip and hold from the lock and writes no ledger', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('clone', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const c = cloneOf(job, emu.baseUrl, emu.apiKey);
    assert.equal((await c.run()).code, 0);
    const kept = path.join(job.dir, 'pix.mp4');
    await copyFile(path.join(c.outputDir, 'videos', 'pix.mp4'), kept);
    await rm(path.join(job.dir, 'output'), { recursive: true });
    // One video was copied over by hand; one lock entry lost its task id (and has no URL).
    await mkdir(path.join(c.outputDir, 'videos'), { recursive: true });
    await copyFile(kept, path.join(c.outputDir, 'videos', 'pix.mp4'));
    const parsed = parseLockText(await readFile(c.lockPath, 'utf8'));
    assert.ok(parsed.ok);
    const shots = parsed.lock.shots.map((e) => (e.id === 'pix2' ? { ...e, task_id: undefined } : e));
    await writeFile(c.lockPath, renderLockText({ ...parsed.lock, shots }));

    const plan = await c.cli(['plan', 'jobs/clone.yaml', '--json', '--output-dir', 'output', '--base-url', emu.baseUrl]);
    assert.equal(plan.code, 0, plan.stderr);
    const decisions = (JSON.parse(plan.stdout) as { decisions: { shot: string; action: string; reason: string }[] }).decisions;
    assert.deepEqual(decisions.map((d) => [d.shot, d.action]), [['pix', 'skip'], ['pix2', 'hold'], ['wan', 'download']]);
    assert.match(decisions[1]!.reason, /neither a task id nor a stable URL/);
    await assert.rejects(readFile(path.join(c.outputDir, 'ledger.jsonl')), { code: 'ENOENT' });

    // run decides the same.
    const r = await c.run();
    assert.deepEqual(actions(r.events), { pix: 'skip', pix2: 'hold', wan: 'download' });
    assert.equal(r.code, 1);
    assert.equal(emu.stats().tasksCreated, 3);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
