// Refusals of the account and a server that is not there stop the run at once (exit 3), with a
// message naming the likely cause and never the key; the refused shots are not held, so the next
// run with the cause fixed submits them normally. The built binary against an emulator over
// loopback; what was created is counted on the server side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';

const WRONG_KEY = 'sk-wrong-key-0123456789abcdef';

/** Shots of two quota families (v6, c1), alternating. */
const shots = (n: number, tag: string): ShotSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${i % 2 ? 'c' : 'v'}${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `${tag} shot ${i}` }));

async function ledgerOf(job: TempJob, name: string): Promise<LedgerRecord[]> {
  const text = await readFile(path.join(job.dir, 'output', name, 'ledger.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as LedgerRecord);
}

/** The error a `--json` run printed on stderr (one JSON line). */
function errorOf(stderr: string): { kind: string; code: string; message: string; hint: string; exitCode: number } {
  const line = stderr.split('\n').find((l) => l.startsWith('{') && l.includes('"type":"error"'));
  assert.ok(line, stderr);
  return JSON.parse(line) as { kind: string; code: string; message: string; hint: string; exitCode: number };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('a refused key: exit 3 after at most one submit per family, naming key and region, never the key; a good key then renders every shot without --retry-failed', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('refused', shots(8, 'refused'));
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const args = ['run', 'jobs/refused.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const refused = await runCli(args, { cwd: job.dir, env: { DASHSCOPE_API_KEY: WRONG_KEY } });
    assert.equal(refused.code, 3, refused.stderr);
    const err = errorOf(refused.stderr);
    assert.deepEqual([err.kind, err.code, err.exitCode], ['auth', 'InvalidApiKey', 3]);
    assert.match(err.message, /API key is refused by 127\.0\.0\.1:\d+ \(cn-beijing\)/);
    assert.match(err.message, /HTTP 401 InvalidApiKey/);
    assert.match(err.hint, /^check DASHSCOPE_API_KEY .* and the region/);
    assert.doesNotMatch(refused.stderr + refused.stdout, new RegExp(WRONG_KEY));
    const stats = emu.stats();
    assert.ok((stats.requests['submit'] ?? 0) <= 2, `at most one submit per family: ${stats.requests['submit']}`);
    assert.equal(stats.tasksCreated, 0);
    const ends = refused.events.filter((e) => e.type === 'shot-end');
    assert.equal(ends.length, 8, 'every shot ends');
    assert.ok(ends.every((e) => e.type === 'shot-end' && e.outcome.status === 'interrupted'), 'none failed');
    const ledger = await ledgerOf(job, 'refused');
    const rejected = ledger.filter((r) => r.t === 'submit-rejected');
    assert.ok(rejected.length >= 1 && rejected.every((r) => r.t === 'submit-rejected' && r.stop === 'account' && r.code === 'InvalidApiKey'), JSON.stringify(rejected));
    assert.equal(ledger.filter((r) => r.t === 'intent').length, rejected.length, 'an intent only for the refused submits');
    assert.ok(!JSON.stringify(ledger).includes(WRONG_KEY));

    // status: never rendered (not failed, not held); the report says the same.
    const status = await runCli(['status', 'jobs/refused.yaml', '--json', '--output-dir', 'output'], { cwd: job.dir, env: {} });
    assert.equal(status.code, 0, status.stderr);
    const states = (JSON.parse(status.stdout) as { shots: { id: string; state: string; detail: string }[] }).shots;
    assert.ok(states.every((s) => s.state === 'never-rendered'), JSON.stringify(states));
    assert.ok(states.some((s) => /InvalidApiKey.*the next run submits it/.test(s.detail)), JSON.stringify(states));

    const good = await runCli(args, { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey } });
    assert.equal(good.code, 0, good.stderr);
    const after = emu.stats();
    assert.equal(after.tasksCreated, 8);
    assert.equal(after.duplicateSubmits, 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a model the account has not activated (403 AccessDenied): exit 3 naming activation; one submit of that family; the other family is left live and resumed', async () => {
  const emu = await startTestEmulator({ notActivated: ['pixverse/pixverse-c1-t2v'] });
  const job = await writeTempJob('inactive', shots(6, 'inactive'));
  await declareModelStudio(job.dir, emu.baseUrl);
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const args = ['run', 'jobs/inactive.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const stopped = await runCli(args, { cwd: job.dir, env });
    assert.equal(stopped.code, 3, stopped.stderr);
    const err = errorOf(stopped.stderr);
    assert.match(err.message, /the model is not activated for this account/);
    assert.match(err.message, /HTTP 403 AccessDenied/);
    assert.match(err.hint, /^activate the model in the Model Studio console/);
    const ledger = await ledgerOf(job, 'inactive');
    const c1Intents = ledger.filter((r) => r.t === 'intent' && r.model === 'pixverse/pixverse-c1-t2v');
    assert.equal(c1Intents.length, 1, 'one c1 submit, alone');
    assert.ok(emu.stats().tasks.every((t) => t.model !== 'pixverse/pixverse-c1-t2v'));

    // The v6 shots: whatever was created is picked up, never created again.
    const createdBefore = emu.stats().tasksCreated;
    const resumed = await runCli([...args, '--only', 'v*'], { cwd: job.dir, env });
    assert.equal(resumed.code, 0, resumed.stderr);
    const s = emu.stats();
    assert.equal(s.duplicateSubmits, 0);
    assert.equal(s.tasksCreated, 3);
    assert.ok(createdBefore <= 3);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('nothing listening at the base URL: exit 3 naming the host after a few tries; nothing held or failed; the next run submits every shot', async () => {
  const port = await closedPort();
  const job = await writeTempJob('nowhere', shots(6, 'nowhere'));
  const emu = await startTestEmulator();
  // Both stand for the real service here: one run folder for the run that found nothing and the next.
  await declareModelStudio(job.dir, [`http://127.0.0.1:${port}/api/v1`, emu.baseUrl]);
  try {
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const flags = ['--json', '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const down = await runCli(['run', 'jobs/nowhere.yaml', '--base-url', `http://127.0.0.1:${port}/api/v1`, ...flags], { cwd: job.dir, env });
    assert.equal(down.code, 3, down.stderr);
    const err = errorOf(down.stderr);
    assert.equal(err.exitCode, 3);
    assert.match(err.message, new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port}: nothing answers there \\(ConnectionRefused`));
    assert.match(err.hint, /^check the network/);
    const ledger = await ledgerOf(job, 'nowhere');
    const intents = ledger.filter((r) => r.t === 'intent');
    assert.ok(intents.length >= 1 && intents.length <= 2, `one probing submit per family: ${intents.length}`);
    assert.ok(ledger.filter((r) => r.t === 'submit-rejected').every((r) => r.t === 'submit-rejected' && r.stop === 'unreachable'));
    const end = ledger.at(-1);
    assert.ok(end?.t === 'run-end' && end.stopped === 'ConnectionRefused', JSON.stringify(end));

    const status = await runCli(['status', 'jobs/nowhere.yaml', '--json', '--output-dir', 'output'], { cwd: job.dir, env: {} });
    const states = (JSON.parse(status.stdout) as { shots: { state: string }[] }).shots;
    assert.ok(states.every((s) => s.state === 'never-rendered'), JSON.stringify(states));

    const up = await runCli(['run', 'jobs/nowhere.yaml', '--base-url', emu.baseUrl, ...flags], { cwd: job.dir, env });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(emu.stats().tasksCreated, 6);
    assert.equal(emu.stats().duplicateSubmits, 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
