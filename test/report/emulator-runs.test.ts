// Reports and lock files from real runs: `pixverse run --emulator` through the CLI command, on
// the in-process emulator (real HTTP on loopback, real MP4 downloads). Covers a success, a partial
// failure (a `[[fail:…]]` marker), a no-op re-run and a re-run after an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run as runCommand } from '../../src/cli/commands/run.js';
import type { Report } from '../../src/core/report/report-model.js';
import { DEFAULT_API_KEY, startEmulator } from '../../src/emulator/index.js';
import { hashFile } from '../../src/io/inspect-outputs.js';
import { createProject } from './project-kit.js';
import { schemaErrors } from './report-checks.js';
import { declareModelStudio } from '../helpers/run-kit.js';

const KEY_IN_ENV = 'sk-report-test-0123456789abcdef';

function manifest(failB: boolean): string {
  const shot = (id: string, prompt: string) =>
    [`  - id: ${id}`, '    model: pixverse/pixverse-c1-t2v', `    prompt: ${JSON.stringify(prompt)}`, '    size: "1280*720"', '    duration: 5', '    seed: 3'];
  return ['version: 1', 'name: demo', 'shots:', ...shot('a', 'a lighthouse at dusk'), ...shot('b', `a storm${failB ? ' [[fail:DataInspectionFailed]]' : ''}`), ...shot('c', 'gulls')].join('\n') + '\n';
}

async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((n) => path.join(dir, String(n)));
}

test('reports and lock from emulator runs: success, partial failure, no-op re-run, edit and re-run', async (t) => {
  const p = await createProject(t, manifest(true));
  p.env['DASHSCOPE_API_KEY'] = KEY_IN_ENV;
  const runOnce = async (): Promise<{ code: number; stderr: string }> => {
    const io = p.io();
    const code = await runCommand(['demo.yaml', '--emulator'], io);
    return { code, stderr: io.stderr.join('\n') };
  };

  // `--emulator` renders live in their own space, lock file included (src/io/run-space.ts).
  const space = path.join(p.outputDir, 'emulator');
  const first = await runOnce();
  assert.equal(first.code, 1, `one shot fails → exit 1\n${first.stderr}`);
  const readReport = async (): Promise<Report> => JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8')) as Report;
  let report = await readReport();
  assert.equal(await schemaErrors(report), undefined);
  assert.equal(report.run.emulator, true);
  assert.deepEqual(report.shots.map((s) => [s.id, s.state]), [['a', 'current'], ['b', 'failed'], ['c', 'current']]);
  for (const s of [report.shots[0]!, report.shots[2]!]) {
    assert.equal(s.file, `videos/${s.id}.mp4`);
    assert.equal(s.sha256, await hashFile(path.join(space, s.file)));
    assert.equal(s.bytes, (await stat(path.join(space, s.file))).size);
    assert.equal(s.size_delivered, '1280*720');
    assert.equal(s.duration_billed, 5);
    assert.equal(s.status, 'SUCCEEDED');
    assert.ok(s.task_id && s.request_id && s.submit_time && s.end_time, JSON.stringify(s));
    assert.equal(s.request_file, `requests/${s.id}.json`);
    assert.equal(s.snapshots_file, `snapshots/${s.id}.jsonl`);
    // The server's UTC+8 times, converted: close to this machine's clock (the emulated clock
    // starts at real time), not eight hours off.
    const started = Date.parse(report.run.started_at!);
    assert.ok(Math.abs(Date.parse(s.submit_time!) - started) < 30 * 60_000, `${s.submit_time} vs ${report.run.started_at}`);
    assert.ok(s.submit_time! <= s.scheduled_time! && s.scheduled_time! <= s.end_time!, JSON.stringify(s));
  }
  // Evidence on disk for every shot, the failed one included: the body POSTed (with the chosen
  // model) and the task responses as received.
  for (const id of ['a', 'b', 'c']) {
    const body = JSON.parse(await readFile(path.join(space, 'requests', `${id}.json`), 'utf8')) as { model: string };
    assert.equal(body.model, 'pixverse/pixverse-c1-t2v');
    const lines = (await readFile(path.join(space, 'snapshots', `${id}.jsonl`), 'utf8')).trim().split('\n');
    assert.ok(lines.length >= 2, `${id}: submit and at least one poll`);
  }
  // Each shot's video is its own (the emulator draws it from the request): none is another's.
  assert.notEqual(report.shots[0]!.sha256, report.shots[2]!.sha256);
  assert.equal(report.shots[1]?.error_code, 'DataInspectionFailed');
  assert.ok(report.shots[1]?.error_message);
  assert.equal(report.run.billable_seconds, 10);
  for (const name of ['report.md', 'index.html']) assert.ok((await stat(path.join(space, name))).size > 0);

  const lockFile = path.join(space, 'demo.lock.yaml');
  await assert.rejects(stat(path.join(p.dir, 'demo.lock.yaml')), { code: 'ENOENT' }, 'no emulator lock beside the manifest');
  const lockText = await readFile(lockFile, 'utf8');
  const lockMtime = (await stat(lockFile)).mtimeMs;
  assert.match(lockText, /"a":/);
  assert.doesNotMatch(lockText, /"b":/, 'a failed shot has no video to lock');

  // A no-op re-run: nothing is submitted again and the lock is byte-identical and untouched.
  const second = await runOnce();
  assert.equal(second.code, 1, 'b stays failed until --retry-failed');
  assert.equal(await readFile(lockFile, 'utf8'), lockText);
  assert.equal((await stat(lockFile)).mtimeMs, lockMtime);
  report = await readReport();
  assert.equal(await schemaErrors(report), undefined);
  assert.match(report.shots[0]!.reason, /^skipped/);
  assert.equal(report.run.billable_seconds, 0);

  // Fix shot b and run again: only b renders; the lock gains exactly b's entry.
  await p.writeManifest(manifest(false));
  const third = await runOnce();
  assert.equal(third.code, 0, third.stderr);
  report = await readReport();
  assert.equal(await schemaErrors(report), undefined);
  assert.deepEqual(report.shots.map((s) => [s.id, s.state, s.this_run]), [['a', 'current', false], ['b', 'current', true], ['c', 'current', false]]);
  const newLock = await readFile(lockFile, 'utf8');
  assert.ok(lockText.split('\n').every((line) => newLock.includes(line)), 'entries of a and c unchanged');
  assert.match(newLock, /"b":/);

  // The API key (ours, and the emulator's own) is in no file the runs wrote.
  for (const file of [...(await allFiles(space)), lockFile]) {
    if (!(await stat(file)).isFile()) continue;
    const text = (await readFile(file)).toString('latin1');
    assert.ok(!text.includes(KEY_IN_ENV) && !text.includes(DEFAULT_API_KEY), `${path.relative(p.dir, file)} contains an API key`);
  }
  await assertNoSecrets(p.dir, DEFAULT_API_KEY);
});

test('an interrupted run and its resumption: both reports validate, nothing is submitted twice', async (t) => {
  const emu = await startEmulator({ apiKey: KEY_IN_ENV, timeScale: 0.02 });
  t.after(() => emu.close());
  const p = await createProject(t, manifest(false));
  await declareModelStudio(p.dir, emu.baseUrl);
  p.env['DASHSCOPE_API_KEY'] = KEY_IN_ENV;
  const args = ['demo.yaml', '--base-url', emu.baseUrl, '--time-scale', '0.02'];

  // Ctrl-C (through the command's injectable interrupt hook) once a task is known to exist.
  let interrupt: ((n: number) => void) | undefined;
  const deps = { onInterrupt: (h: (n: number) => void) => ((interrupt = h), () => (interrupt = undefined)), quitNow: () => assert.fail('second interrupt') };
  const io = p.io();
  const first = runCommand(args, io, deps);
  const ledgerFile = path.join(p.outputDir, 'ledger.jsonl');
  for (let i = 0; ; i++) {
    const text = await readFile(ledgerFile, 'utf8').catch(() => '');
    if (text.includes('"t":"submitted"')) break;
    assert.ok(i < 3000, 'no submit recorded');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(interrupt, 'the run listens for Ctrl-C');
  interrupt(1);
  assert.equal(await first, 130, io.stderr.join('\n'));
  let report = JSON.parse(await readFile(path.join(p.outputDir, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(report), undefined);
  assert.equal(report.run.interrupted, true);
  const live = report.shots.filter((s) => s.state === 'running' && s.task_id).map((s) => s.id);
  assert.ok(live.length > 0, 'the interrupt left a task to re-attach to');

  const second = p.io();
  assert.equal(await runCommand(args, second, deps), 0, second.stderr.join('\n'));
  report = JSON.parse(await readFile(path.join(p.outputDir, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(report), undefined);
  assert.equal(report.run.interrupted, false);
  assert.deepEqual(report.shots.map((s) => s.state), ['current', 'current', 'current']);
  assert.ok(report.shots.every((s) => s.attempts === 1), JSON.stringify(report.shots.map((s) => [s.id, s.attempts])));
  for (const s of report.shots.filter((x) => live.includes(x.id))) assert.match(s.reason, /^resumed: /, s.id);
  assert.equal(emu.stats().duplicateSubmits, 0);
  assert.equal(emu.stats().tasksCreated, 3);
  await assertNoSecrets(p.dir, KEY_IN_ENV);
});

/** No file under `dir` (output/, the lock beside the manifest) holds the key or an auth header. */
async function assertNoSecrets(dir: string, key: string): Promise<void> {
  let snapshots = 0;
  for (const file of await allFiles(dir)) {
    if (!(await stat(file)).isFile()) continue;
    const text = (await readFile(file)).toString('latin1');
    const rel = path.relative(dir, file);
    assert.ok(!text.includes(key), `${rel} contains the API key`);
    assert.doesNotMatch(text, /authorization|bearer /i, `${rel} holds an auth header`);
    if (rel.includes(`snapshots${path.sep}`)) snapshots++;
  }
  assert.ok(snapshots > 0, 'the check saw the snapshots');
}

test('a run with the key from ~/.alibabacloud/credentials writes it nowhere: output/, lock, snapshots', async (t) => {
  const KEY_IN_FILE = 'sk-from-credentials-file-9876543210';
  // The emulator accepts only this key: the run can only succeed by reading the credentials file.
  const emu = await startEmulator({ apiKey: KEY_IN_FILE, timeScale: 0.01 });
  t.after(() => emu.close());
  const p = await createProject(t, manifest(true));
  await declareModelStudio(p.dir, emu.baseUrl);
  const userHome = await mkdtemp(path.join(tmpdir(), 'pixverse-home-'));
  t.after(() => rm(userHome, { recursive: true, force: true }));
  await mkdir(path.join(userHome, '.alibabacloud'));
  await writeFile(path.join(userHome, '.alibabacloud', 'credentials'), `[default]\ndashscope_api_key = ${KEY_IN_FILE}\n`);
  // The command's own environment: its HOME holds the credentials file, and no key is set.
  p.env['HOME'] = userHome;
  delete p.env['DASHSCOPE_API_KEY'];
  const io = p.io();
  const code = await runCommand(['demo.yaml', '--base-url', emu.baseUrl, '--time-scale', '0.01'], io);
  assert.equal(code, 1, `one shot fails → exit 1\n${io.stderr.join('\n')}`);
  assert.equal(emu.stats().tasksCreated, 3);
  const lock = await readFile(path.join(p.dir, 'demo.lock.yaml'), 'utf8');
  assert.match(lock, /"a":/, 'a real (non-emulator) run keeps its lock beside the manifest');
  const report = JSON.parse(await readFile(path.join(p.outputDir, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(report), undefined);
  assert.equal(report.run.emulator, false);
  assert.equal(report.shots[1]?.error_code, 'DataInspectionFailed');
  await assertNoSecrets(p.dir, KEY_IN_FILE);
  assert.ok(!io.stdout.join('\n').includes(KEY_IN_FILE) && !io.stderr.join('\n').includes(KEY_IN_FILE), 'nor in the output');
});
