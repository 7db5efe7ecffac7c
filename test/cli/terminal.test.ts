// Nothing that happens to the terminal stops a render: stdout closed by `| head`, a terminal
// that hangs up, a progress display that throws. The run finishes its shots, its ledger and its
// reports, and exits with its usual code. The built binary (or the command in-process) against an
// emulator over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { run as runCommand } from '../../src/cli/commands/run.js';
import type { CommandIo } from '../../src/cli/command-io.js';
import { CLI_MAIN, runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';

const shots = (n: number, tag: string): ShotSpec[] => Array.from({ length: n }, (_, i) => ({ id: `t${i}`, prompt: `${tag} shot ${i}` }));

async function assertAllRendered(job: TempJob, name: string, n: number): Promise<void> {
  const folder = path.join(job.dir, 'output', name);
  for (let i = 0; i < n; i++) assert.ok((await stat(path.join(folder, 'videos', `t${i}.mp4`))).size > 0, `t${i}.mp4`);
  const ledger = (await readFile(path.join(folder, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: string });
  assert.equal(ledger.filter((r) => r.t === 'downloaded').length, n);
  assert.equal(ledger.at(-1)!.t, 'run-end');
  const report = JSON.parse(await readFile(path.join(folder, 'report.json'), 'utf8')) as { shots: unknown[] };
  assert.equal(report.shots.length, n);
}

/** `pixverse run … | head -3`: the reader goes away after three lines (stderr too, with `closeStderr`). */
function runThenCloseOutput(args: string[], opts: { cwd: string; env: Record<string, string>; closeStderr?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: opts.cwd, env: { PATH: process.env['PATH'] ?? '', HOME: opts.cwd, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines += chunk.split('\n').length - 1;
      if (lines >= 3 && !child.stdout.destroyed) {
        child.stdout.destroy();
        if (opts.closeStderr) child.stderr.destroy();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('stdout (and stderr) closed after the first lines: the run finishes every shot and exits 0', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('piped', shots(6, 'piped'));
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const args = ['run', 'jobs/piped.yaml', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const r = await runThenCloseOutput(args, { cwd: job.dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|internal error/);
    await assertAllRendered(job, 'piped', 6);
    assert.equal(emu.stats().tasksCreated, 6);

    // Both streams gone, on a manifest with more shots to render.
    const more = await writeTempJob('piped2', shots(6, 'both'));
    await declareModelStudio(more.dir, emu.baseUrl);
    try {
      const both = await runThenCloseOutput(['run', 'jobs/piped2.yaml', ...args.slice(2)], { cwd: more.dir, env, closeStderr: true });
      assert.equal(both.code, 0);
      await assertAllRendered(more, 'piped2', 6);
    } finally {
      await rm(more.dir, { recursive: true, force: true });
    }
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a terminal that hangs up (SIGHUP) does not stop the run', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('hangup', shots(4, 'hangup'));
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const args = ['run', 'jobs/hangup.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const r = await runCli(args, { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey }, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGHUP' : undefined) });
    assert.equal(r.signal, null);
    assert.equal(r.code, 0, r.stderr);
    await assertAllRendered(job, 'hangup', 4);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a progress display that throws on every line never ends the run nor changes its exit code', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('broken', [...shots(3, 'broken'), { id: 't3', prompt: 'this one fails [[fail:DataInspectionFailed]]' }]);
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const broken = (): void => {
      throw new Error('the display broke');
    };
    const io: CommandIo = { out: broken, err: broken, env: { DASHSCOPE_API_KEY: emu.apiKey }, cwd: job.dir, isTTY: false };
    const deps = { onInterrupt: () => () => undefined, quitNow: () => undefined };
    const code = await runCommand(['jobs/broken.yaml', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], io, deps);
    assert.equal(code, 1, 'some shots failed: the usual exit code');
    const folder = path.join(job.dir, 'output', 'broken');
    for (let i = 0; i < 3; i++) assert.ok((await stat(path.join(folder, 'videos', `t${i}.mp4`))).size > 0);
    assert.ok((await stat(path.join(folder, 'report.md'))).size > 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
