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
