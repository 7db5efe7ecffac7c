// Command-line conventions, through the built binary: --version, usage errors on stderr with
// exit 2 and a did-you-mean, `status --check` for CI, --quiet, JSON warnings and errors with
// --json, and a final mark that is a success mark only when the run succeeded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ShotBoard } from '../../src/cli/progress.js';
import type { ShotOutcome } from '../../src/engine/events.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { CLI_MAIN, runCli } from '../helpers/run-cli.js';
import { TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';

const FAST = ['--time-scale', String(TEST_TIME_SCALE)];

test('--version prints the package version; help goes to stdout, exit 0', async () => {
  const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const job = await writeTempJob('v', [{ id: 'a', prompt: 'x' }]);
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag], { cwd: job.dir });
    assert.deepEqual([r.code, r.stdout.trim(), r.stderr], [0, version, ''], flag);
  }
  const help = await runCli(['--help'], { cwd: job.dir });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: pixverse <command>[\s\S]*--quiet[\s\S]*--version/);
  const runHelp = await runCli(['help', 'run'], { cwd: job.dir });
  assert.equal(runHelp.code, 0);
  assert.match(runHelp.stdout, /Usage: pixverse run <manifest.yaml>/);
});

test('every command-line mistake exits 2 with the reason (and a did-you-mean) on stderr, nothing on stdout', async () => {
  const job = await writeTempJob('usage', [{ id: 'a', prompt: 'x' }]);
  const cases: Array<[string[], RegExp]> = [
    [[], /^Usage: pixverse <command>/],
    [['valdate', 'jobs/usage.yaml'], /unknown command 'valdate'\n {2}hint: did you mean 'pixverse validate'\?/],
    [['--emulator'], /unknown option '--emulator' before the command/],
    [['run', 'jobs/usage.yaml', '--emulatr'], /pixverse run: unknown option '--emulatr'\n {2}hint: did you mean '--emulator'\? \(pixverse run --help lists the options\)/],
    [['status', 'jobs/usage.yaml', '--refrsh'], /unknown option '--refrsh'\n {2}hint: did you mean '--refresh'\?/],
    [['validate', 'jobs/usage.yaml', '-x'], /unknown option '-x'\n {2}hint: pixverse validate --help lists the options/],
    [['plan', 'jobs/usage.yaml', '--region'], /option '--region' needs a value/],
    [['plan', 'jobs/usage.yaml', '--json=yes'], /option '--json' takes no value/],
    [['run', 'jobs/usage.yaml', '--region', 'mars'], /region/],
    [['run', 'jobs/usage.yaml', '--emulator', '--time-scale', 'fast'], /--time-scale must be a number/],
    [['run', 'jobs/usage.yaml', 'jobs/usage.yaml'], /run takes exactly one manifest/],
    [['validate'], /validate needs at least one manifest/],
    [['emulator', '--disputed', 'lenint'], /did you mean --disputed lenient\?/],
    [['status', 'jobs/usage.yaml', '--json', '--quiet'], /--quiet and --json exclude each other/],
  ];
  for (const [args, stderr] of cases) {
    const r = await runCli(args, { cwd: job.dir });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, stderr, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')} prints nothing on stdout`);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, 'no stack trace');
  }
});

test('status --check exits 1 until every shot is current, then 0; -q prints nothing', async () => {
  const job = await writeTempJob('check', [{ id: 'a', prompt: 'first' }, { id: 'b', prompt: 'second' }]);
  const before = await runCli(['status', 'jobs/check.yaml', '--emulator', '--check'], { cwd: job.dir });
  assert.equal(before.code, 1, before.stderr);
  assert.match(before.stderr, /not every shot is current: 2 of 2/);
  const quietBefore = await runCli(['-q', 'status', 'jobs/check.yaml', '--emulator', '--check'], { cwd: job.dir });
  assert.deepEqual([quietBefore.code, quietBefore.stdout, quietBefore.stderr], [1, '', '']);
  // Without --check, status answers 0 whatever the state (it could answer).
  assert.equal((await runCli(['status', 'jobs/check.yaml', '--emulator'], { cwd: job.dir })).code, 0);

  const quietRun = await runCli(['run', 'jobs/check.yaml', '--emulator', ...FAST, '--quiet'], { cwd: job.dir });
  assert.deepEqual([quietRun.code, quietRun.stdout, quietRun.stderr], [0, '', ''], 'a quiet run that succeeds prints nothing');
  const after = await runCli(['status', 'jobs/check.yaml', '--emulator', '--check', '--quiet'], { cwd: job.dir });
  assert.deepEqual([after.code, after.stdout, after.stderr], [0, '', '']);
  const json = await runCli(['status', 'jobs/check.yaml', '--emulator', '--check', '--json'], { cwd: job.dir });
  assert.equal(json.code, 0);
  assert.deepEqual((JSON.parse(json.stdout) as { counts: { current: number } }).counts.current, 2);

  // Edit one shot: it is stale, and --check says so with exit 1.
  writeFileSync(job.manifest, readFileSync(job.manifest, 'utf8').replace('second', 'second, edited'));
  const stale = await runCli(['status', 'jobs/check.yaml', '--emulator', '--check'], { cwd: job.dir });
  assert.equal(stale.code, 1);
  assert.match(stale.stdout, /b\s+stale/);
});

test('--quiet: a failed shot is still said on stderr, and the exit code is 1', async () => {
  const job = await writeTempJob('quietfail', [{ id: 'ok', prompt: 'fine' }, { id: 'bad', prompt: 'this one fails [[fail:InternalError]]' }]);
  const r = await runCli(['run', 'jobs/quietfail.yaml', '--emulator', ...FAST, '-q'], { cwd: job.dir });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bad {2}failed: InternalError/m);
  assert.doesNotMatch(r.stderr, /^ok/m);
});

test('with --json, warnings and errors are JSON lines: run events, status warnings, a usage error', async () => {
  const long = 'a '.repeat(2600); // over the 5000-character prompt limit: a warning, the server truncates
  const job = await writeTempJob('jsonwarn', [{ id: 'a', prompt: long }]);
  const r = await runCli(['run', 'jobs/jsonwarn.yaml', '--emulator', ...FAST, '--json'], { cwd: job.dir });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `stdout holds JSON only: ${line.slice(0, 80)}`);
  const warnings = lines.map((l) => JSON.parse(l) as { type: string; code?: string; pos?: { line: number } }).filter((e) => e.type === 'warning');
  assert.ok(warnings.some((w) => w.code === 'prompt-truncated' && w.pos?.line), JSON.stringify(warnings));
  assert.equal(r.stderr, '', 'nothing in free text');

  writeFileSync(path.join(job.dir, 'jobs', 'jsonwarn.lock.yaml'), 'not: [a lock');
  const s = await runCli(['status', 'jobs/jsonwarn.yaml', '--json'], { cwd: job.dir });
  assert.equal(s.code, 0, s.stderr);
  const warning = JSON.parse(s.stderr.trim().split('\n')[0]!) as { type: string; code: string; message: string };
  assert.deepEqual([warning.type, warning.code], ['warning', 'lock-ignored']);
  assert.doesNotThrow(() => JSON.parse(s.stdout));

  const e = await runCli(['run', 'jobs/jsonwarn.yaml', '--json', '--region', 'mars'], { cwd: job.dir });
  assert.equal(e.code, 2);
  const error = JSON.parse(e.stderr.trim()) as { type: string; kind: string; exitCode: number; message: string };
  assert.deepEqual([error.type, error.kind, error.exitCode], ['error', 'invalid-input', 2]);
});

/** The run in a terminal (script(1) gives it a pseudo-terminal), its output as text. */
function runInTerminal(args: string[], cwd: string): { status: number | null; text: string } {
  const command = [process.execPath, CLI_MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols 100 rows 30; ${command}`, '/dev/null'], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TERM: 'xterm' } });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, text: r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') };
}

test('in a terminal the final mark is ✔ only for a run that succeeded: ✖ when a shot failed', { skip: spawnSync('script', ['--version']).status !== 0 && !process.env['CI'] && 'script(1) is not installed' }, async () => {
  const ok = await writeTempJob('markok', [{ id: 'a', prompt: 'fine' }]);
  const good = runInTerminal(['run', 'jobs/markok.yaml', '--emulator', ...FAST], ok.dir);
  assert.equal(good.status, 0, good.text);
  assert.match(good.text, /✔ 1 shots: 0 queued · 0 active · 1 done/);

  const bad = await writeTempJob('markbad', [{ id: 'a', prompt: 'fine' }, { id: 'b', prompt: 'fails [[fail:InternalError]]' }]);
  const failed = runInTerminal(['run', 'jobs/markbad.yaml', '--emulator', ...FAST], bad.dir);
  assert.equal(failed.status, 1, failed.text);
  assert.match(failed.text, /✖ 2 shots: .*1 failed/);
  assert.doesNotMatch(failed.text, /✔/);
});

test('the board marks a run ok only when every shot ended done or up to date', () => {
  const end = (shot: string, status: ShotOutcome['status']): ShotOutcome => ({ shot, model: 'm', status, action: 'submit', reasonCode: 'new', reason: 'new' });
  const board = (ends: Array<[string, ShotOutcome['status']]>, total = ends.length): ShotBoard => {
    const b = new ShotBoard(5);
    b.start(Array.from({ length: total }, (_, i) => ({ shot: `s${i}` })));
    for (const [shot, status] of ends) b.onEnd(end(shot, status));
    return b;
  };
  assert.equal(board([['s0', 'succeeded'], ['s1', 'skipped']]).verdict(), 'ok');
  assert.equal(board([['s0', 'succeeded'], ['s1', 'failed']]).verdict(), 'failed');
  assert.equal(board([['s0', 'unreconciled']]).verdict(), 'failed');
  assert.equal(board([['s0', 'succeeded'], ['s1', 'interrupted']]).verdict(), 'interrupted');
  assert.equal(board([['s0', 'succeeded']], 2).verdict(), 'interrupted', 'a shot that never ended');
  assert.equal(board([['s0', 'failed'], ['s1', 'interrupted']]).verdict(), 'failed');
});
