// Where a run's files live and who may write them: the run folder depends on the manifest, never
// on the directory a command is started from, and one run at a time holds it. The built binary
// against an emulator over loopback; tasks are counted on the server side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunEvent } from '../../src/engine/events.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';

const shots = (n: number, tag: string): ShotSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `s${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `${tag} shot ${i}` }));

const runFolderOf = (events: RunEvent[]): string => {
  const start = events.find((e) => e.type === 'run-start');
  assert.ok(start && start.type === 'run-start', 'a run-start event');
  return start.runFolder;
};

test('Ctrl-C, then the same run from another directory: one ledger, every shot created once', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('anywhere', shots(4, 'anywhere'));
  const elsewhere = await mkdtemp(path.join(tmpdir(), 'pixverse-cwd-'));
  try {
    // A project: the manifest's nearest ancestor with package.json is its root.
    await writeFile(path.join(job.dir, 'package.json'), '{}\n');
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const flags = ['--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE)];
    const stopped = await runCli(['run', 'jobs/anywhere.yaml', ...flags], { cwd: job.dir, env, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined) });
    assert.equal(stopped.code, 130, stopped.stderr);
    const folder = runFolderOf(stopped.events);
    assert.ok(path.isAbsolute(folder) && folder.startsWith(path.join(job.dir, 'output', 'anywhere')), folder);

    // Resumed from a directory outside the project, with the manifest's absolute path.
    const resumed = await runCli(['run', job.manifest, ...flags], { cwd: elsewhere, env });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(runFolderOf(resumed.events), folder, 'the same run folder from any cwd');
    const s = emu.stats();
    assert.equal(s.tasksCreated, 4);
    assert.equal(s.duplicateSubmits, 0);
    for (let i = 0; i < 4; i++) assert.ok((await stat(path.join(folder, 'videos', `s${i}.mp4`))).size > 0);
    await assert.rejects(stat(path.join(elsewhere, 'output')), { code: 'ENOENT' }, 'nothing written in the cwd');

    // plan and status name the same absolute folder, from anywhere.
    const plan = await runCli(['plan', job.manifest, '--base-url', emu.baseUrl], { cwd: elsewhere, env });
    assert.equal(plan.code, 0, plan.stderr);
    assert.ok(plan.stdout.includes(`run folder: ${folder}\n`), plan.stdout);
    const status = await runCli(['status', path.join('..', path.basename(job.dir), 'jobs', 'anywhere.yaml'), '--base-url', emu.baseUrl], { cwd: path.join(path.dirname(job.dir), path.basename(elsewhere)), env });
    assert.equal(status.code, 0, status.stderr);
    assert.ok(status.stdout.split('\n')[0]!.endsWith(`→ ${folder} (ledger)`), status.stdout);
    assert.match(status.stdout, /4 shots: 4 current/);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  }
});

test('two runs of one manifest at once: the second refuses before any request (exit 5, naming the first) or waits with --wait; every shot is created once', async () => {
  // Tasks of a few seconds: the first run is still busy when the others start. One shot's every
  // answer is also held back 4 s of real time (emulator marker), so that the first run outlasts
  // the start of four more processes on a loaded machine.
  const emu = await startTestEmulator({ timeScale: 0.05 });
  const job = await writeTempJob('twice', shots(6, 'twice').map((s, i) => (i === 0 ? { ...s, prompt: `${s.prompt} [[slow:4000]]` } : s)));
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const flags = ['--json', '--base-url', emu.baseUrl, '--time-scale', '0.05'];
    const args = ['run', 'jobs/twice.yaml', ...flags];
    let second: ReturnType<typeof runCli> | undefined;
    let waiter: ReturnType<typeof runCli> | undefined;
    let plan: ReturnType<typeof runCli> | undefined;
    let status: ReturnType<typeof runCli> | undefined;
    let submitsBefore = 0;
    const first = await runCli(args, {
      cwd: job.dir,
      env,
      onEvent: (e) => {
        // While the first run has tasks live: a second run, a waiting one, plan and status.
        if (second || e.type !== 'shot' || e.phase !== 'pending') return undefined;
        submitsBefore = emu.stats().requests['submit'] ?? 0;
        second = runCli(['run', 'twice.yaml', ...flags], { cwd: path.join(job.dir, 'jobs'), env });
        waiter = runCli([...args, '--wait'], { cwd: job.dir, env });
        plan = runCli(['plan', 'jobs/twice.yaml', '--base-url', emu.baseUrl], { cwd: job.dir, env });
        status = runCli(['status', 'jobs/twice.yaml', '--json', '--base-url', emu.baseUrl], { cwd: job.dir, env });
        return undefined;
      },
    });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(second && waiter && plan && status);
    const refused = await second;
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /another run is using this run folder: pid \d+ on host .*pixverse run jobs\/twice\.yaml --json/);
    assert.match(refused.stderr, /--wait/);
    assert.equal(refused.events.length, 0, 'it never started');
    const waited = await waiter;
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stderr, /waiting for it to finish/);
    const start = waited.events.find((e) => e.type === 'run-start');
    assert.ok(start && start.type === 'run-start');
    assert.deepEqual(new Set(start.shots.map((s) => s.action)), new Set(['skip']), 'it started where the first ended');
    // plan and status read without the lock: they answer at once and do not disturb the run.
    const p = await plan;
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /note: a run is in progress in this run folder \(pid \d+/);
    const st = await status;
    assert.equal(st.code, 0, st.stderr);
    assert.match((JSON.parse(st.stdout) as { runInProgress?: string }).runInProgress ?? '', /a run is in progress/);

    const s = emu.stats();
    assert.equal(s.tasksCreated, 6);
    assert.equal(s.duplicateSubmits, 0);
    assert.equal(s.requests['submit'], 6, 'no submit from the refused or the waiting run');
    assert.ok(submitsBefore >= 1);
    const folder = runFolderOf(first.events);
    await assert.rejects(stat(path.join(folder, 'run.lock')), { code: 'ENOENT' }, 'released at the end');
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('two runs started at the same instant, both with --wait: every shot created once', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('race', shots(6, 'race'));
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const flags = ['--json', '--wait', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE)];
    const [a, b] = await Promise.all([runCli(['run', 'jobs/race.yaml', ...flags], { cwd: job.dir, env }), runCli(['run', 'race.yaml', ...flags], { cwd: path.join(job.dir, 'jobs'), env })]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const s = emu.stats();
    assert.equal(s.tasksCreated, 6);
    assert.equal(s.duplicateSubmits, 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a run killed with SIGKILL leaves its lock; the next run takes the folder over, says so, and creates nothing twice', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('killed', shots(3, 'killed'));
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const args = ['run', 'jobs/killed.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE)];
    const killed = await runCli(args, { cwd: job.dir, env, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGKILL' : undefined) });
    assert.equal(killed.signal, 'SIGKILL');
    const folder = runFolderOf(killed.events);
    assert.ok((await stat(path.join(folder, 'run.lock'))).size > 0, 'the lock outlives a kill -9');
    const next = await runCli(args, { cwd: job.dir, env });
    assert.equal(next.code, 0, next.stderr);
    // With --json the warning is an event in the JSON-lines stream, like the engine's warnings.
    const warnings = next.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    assert.ok(warnings.some((m) => /^took the run folder over from a run that is no longer running \(pid \d+ on .*pixverse run jobs\/killed\.yaml/.test(m)), JSON.stringify(warnings));
    assert.equal(next.stderr, '', 'no free text beside the JSON events');
    assert.equal(emu.stats().tasksCreated, 3);
    assert.equal(emu.stats().duplicateSubmits, 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
