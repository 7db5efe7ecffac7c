import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run as status } from '../../src/cli/commands/status.js';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { readLedger } from '../../src/io/ledger-file.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import { writeLockFile } from '../../src/io/write-lock-file.js';
import { lockPathFor } from '../../src/core/lock/lock-model.js';
import { createDashScopeClient } from '../../src/dashscope/client.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createProject, manifestYaml, runRecords } from '../report/project-kit.js';
import { declareModelStudio } from '../helpers/run-kit.js';

interface StatusJson {
  counts: Record<string, number>;
  lockUsed: boolean;
  refresh?: { refreshed: number; recorded: number; skipped: string[]; errors: string[] };
  shots: { id: string; state: string; detail: string; changes?: string[]; taskId: string | null; status: string | null; error?: { code: string; message: string } }[];
}

async function statusJson(io: ReturnType<Awaited<ReturnType<typeof createProject>>['io']>, ...args: string[]): Promise<StatusJson> {
  const code = await status(['demo.yaml', '--json', ...args], io);
  assert.equal(code, 0, io.stderr.join('\n'));
  return JSON.parse(io.stdout.join('\n')) as StatusJson;
}

const THREE = manifestYaml([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);

test('status of a manifest never run: every shot never rendered, exit 0', async (t) => {
  const p = await createProject(t, THREE);
  const io = p.io();
  assert.equal(await status(['demo.yaml'], io), 0);
  const text = io.stdout.join('\n');
  assert.match(text, /^a\s+never-rendered\s+never rendered$/m);
  assert.match(text, /3 shots: 3 never-rendered/);
  assert.match(text, /nothing recorded yet/);
});

test('status shows current, failed (code, message), running (task id) and stale (what changed)', async (t) => {
  const p = await createProject(t, THREE);
  const [a, b, c] = await p.plans();
  await p.appendLedger(
    runRecords('run-1', [
      { plan: a!, outcome: 'success', video: await p.putVideo('a') },
      { plan: b!, outcome: 'fail' },
      { plan: c!, outcome: 'running', taskId: 'task-live' },
    ]),
  );
  let s = await statusJson(p.io());
  assert.deepEqual(s.shots.map((x) => [x.id, x.state]), [['a', 'current'], ['b', 'failed'], ['c', 'running']]);
  assert.deepEqual(s.shots[1]?.error, { code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' });
  assert.equal(s.shots[2]?.taskId, 'task-live');
  assert.equal(s.shots[2]?.status, 'RUNNING');
  assert.match(s.shots[2]!.detail, /task task-live RUNNING/);

  // Edit shot a: its video is now stale, and status says which field changed.
  await p.writeManifest(manifestYaml([{ id: 'a', size: '1920*1080' }, { id: 'b' }, { id: 'c' }]));
  s = await statusJson(p.io());
  assert.equal(s.shots[0]?.state, 'stale');
  assert.deepEqual(s.shots[0]?.changes, ['parameters.size']);

  // Text output: one line per shot with its detail.
  const io = p.io();
  await status(['demo.yaml'], io);
  assert.match(io.stdout.join('\n'), /^b\s+failed\s+DataInspectionFailed: Output data may contain inappropriate content\.$/m);
  assert.match(io.stdout.join('\n'), /^a\s+stale\s+request changed since the last render: parameters\.size$/m);
});

test('status --verify hashes videos: same size, different bytes is stale', async (t) => {
  const p = await createProject(t, THREE);
  const [a] = await p.plans();
  const video = await p.putVideo('a');
  await p.appendLedger(runRecords('run-1', [{ plan: a!, outcome: 'success', video }]));
  const file = path.join(p.outputDir, video.file);
  const bytes = await readFile(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await writeFile(file, bytes);
  assert.equal((await statusJson(p.io())).shots[0]?.state, 'current', 'without --verify only the size is checked');
  const s = await statusJson(p.io(), '--verify');
  assert.equal(s.shots[0]?.state, 'stale');
  assert.match(s.shots[0]!.detail, /sha256 differs/);
});

test('status works from the committed lock: current when the video matches, missing on a fresh clone', async (t) => {
  const p = await createProject(t, THREE);
  const plans = await p.plans();
  await p.appendLedger(runRecords('run-1', [{ plan: plans[0]!, outcome: 'success', video: await p.putVideo('a') }]));
  const ledger = foldLedger((await readLedger(path.join(p.outputDir, 'ledger.jsonl'))).records);
  await writeLockFile(lockPathFor(p.manifest), plans, ledger);

  // The ledger is gone but the videos are there.
  await rm(path.join(p.outputDir, 'ledger.jsonl'));
  let s = await statusJson(p.io());
  assert.equal(s.lockUsed, true);
  assert.equal(s.shots[0]?.state, 'current');
  assert.equal(s.shots[0]?.detail, 'rendered and current (task task-a), verified against the lock');
  assert.equal(s.shots[1]?.state, 'never-rendered');

  // A fresh clone: the lock is committed, output/ is not.
  await rm(path.join(p.dir, 'output'), { recursive: true });
  s = await statusJson(p.io());
  assert.equal(s.shots[0]?.state, 'missing');
  assert.match(s.shots[0]!.detail, /^recorded in lock, video not on disk/);
});

test('status ignores a hand-broken lock with a warning instead of trusting it', async (t) => {
  const p = await createProject(t, THREE);
  // An unresolved merge: not YAML any more.
  await writeFile(path.join(p.dir, 'demo.lock.yaml'), 'version: 1\nshots:\n<<<<<<< HEAD\n  "a":\n    key: "k1"\n=======\n  "a":\n    key: "k2"\n>>>>>>> theirs\n');
  let io = p.io();
  let s = await statusJson(io);
  assert.equal(s.lockUsed, false);
  assert.match(io.stderr.join('\n'), /ignoring demo\.lock\.yaml \(line 3: /);
  // Valid YAML, wrong layout.
  await writeFile(path.join(p.dir, 'demo.lock.yaml'), 'version: 1\nshots:\n  - nonsense\n');
  io = p.io();
  s = await statusJson(io);
  assert.equal(s.lockUsed, false);
  assert.match(io.stderr.join('\n'), /ignoring demo\.lock\.yaml \(shots must be a mapping of shot id to entry\)/);
});

test('status --refresh asks the server, records the tasks that ended in the ledger, and submits nothing', async (t) => {
  const emu = await startEmulator();
  t.after(() => emu.close());
  const p = await createProject(t, THREE);
  await declareModelStudio(p.dir, emu.baseUrl);
  const [a, b, c] = await p.plans();
  // Real tasks on the emulator: c's has had an hour to finish, b's was just sent.
  const client = createDashScopeClient({ baseUrl: emu.baseUrl, apiKey: emu.apiKey });
  const early = await client.submit(c!.endpoint, c!.body);
  emu.advanceClock(60 * 60_000);
  const late = await client.submit(b!.endpoint, b!.body);
  await client.close();
  const ledgerFile = path.join(p.outputDir, 'ledger.jsonl');
  await p.appendLedger(runRecords('run-1', [{ plan: b!, outcome: 'running', taskId: late.taskId }, { plan: c!, outcome: 'running', taskId: early.taskId }], emu.baseUrl));
  const before = await readFile(ledgerFile, 'utf8');
  emu.resetStats();

  p.env['DASHSCOPE_API_KEY'] = emu.apiKey;
  const s = await statusJson(p.io(), '--refresh', '--base-url', emu.baseUrl);
  assert.deepEqual(s.refresh, { refreshed: 2, recorded: 1, skipped: [], errors: [] });
  assert.equal(emu.stats().requests['getTask'], 2, 'one GET per live task');
  assert.equal(emu.stats().tasksCreated, 0, 'nothing submitted');
  assert.deepEqual(Object.keys(emu.stats().requests).sort(), ['getTask']);
  assert.equal(s.shots[2]?.status, 'SUCCEEDED', "the server's state, not the ledger's");
  assert.match(s.shots[2]!.detail, /SUCCEEDED, video not downloaded yet/);
  assert.match(s.shots[1]!.status ?? '', /^(PENDING|RUNNING)$/);
  assert.equal(s.shots[0]?.state, 'never-rendered');
  assert.ok(a);

  // The ledger gained exactly the ended task's state, as received; the still-running one is not written.
  const after = await readFile(ledgerFile, 'utf8');
  assert.ok(after.startsWith(before));
  const added = after.slice(before.length).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
  assert.equal(added.length, 1);
  const rec = added[0] as Extract<LedgerRecord, { t: 'state' }>;
  assert.deepEqual([rec.t, rec.runId, rec.shot, rec.key, rec.taskId, rec.status], ['state', 'status-refresh', 'c', c!.key, early.taskId, 'SUCCEEDED']);
  assert.ok(rec.videoUrl && rec.usage && rec.endTime && rec.requestId, JSON.stringify(rec));
  // A later plain status reads it from the ledger, without the server.
  const again = await statusJson(p.io());
  assert.equal(again.shots[2]?.status, 'SUCCEEDED');
  assert.equal(emu.stats().requests['getTask'], 2);

  for (const name of await readdir(p.dir, { recursive: true })) {
    const text = await readFile(path.join(p.dir, String(name)), 'utf8').catch(() => '');
    assert.ok(!text.includes(emu.apiKey), `${name} contains the API key`);
  }
});

test('status --refresh does not ask a server about tasks another server created (an old emulator session)', async (t) => {
  const emu = await startEmulator();
  t.after(() => emu.close());
  const p = await createProject(t, THREE);
  await declareModelStudio(p.dir, emu.baseUrl);
  const [, , c] = await p.plans();
  await p.appendLedger(runRecords('run-1', [{ plan: c!, outcome: 'running', taskId: 'task-elsewhere' }], 'http://127.0.0.1:9/api/v1'));
  const before = await readFile(path.join(p.outputDir, 'ledger.jsonl'), 'utf8');
  // No API key is set: none is needed when no task can be asked about.
  const io = p.io();
  const s = await statusJson(io, '--refresh', '--base-url', emu.baseUrl);
  assert.equal(s.refresh?.refreshed, 0);
  assert.match(s.refresh?.skipped[0] ?? '', /^c: task task-elsewhere was sent to http:\/\/127\.0\.0\.1:9\/api\/v1/);
  assert.match(io.stderr.join('\n'), /not refreshed: c: task task-elsewhere/);
  assert.equal(emu.stats().requests['getTask'] ?? 0, 0);
  assert.equal(s.shots[2]?.state, 'running');
  assert.equal(await readFile(path.join(p.outputDir, 'ledger.jsonl'), 'utf8'), before);
});

test('status --refresh without an API key is an auth error (exit 3 via UserError)', async (t) => {
  const p = await createProject(t, THREE);
  await declareModelStudio(p.dir, 'http://127.0.0.1:1/api/v1');
  const [, , c] = await p.plans();
  await p.appendLedger(runRecords('run-1', [{ plan: c!, outcome: 'running' }]));
  await assert.rejects(status(['demo.yaml', '--refresh', '--base-url', 'http://127.0.0.1:1/api/v1'], p.io()), (e: Error & { kind?: string }) => e.kind === 'auth');
});

test('status of an invalid manifest is an input error, not a crash', async (t) => {
  const p = await createProject(t, 'version: 1\nname: demo\nshots:\n  - id: a\n    model: pixverse/pixverse-c1-t2vv\n');
  await assert.rejects(status(['demo.yaml'], p.io()), (e: Error & { kind?: string }) => e.kind === 'invalid-input' && /demo\.yaml/.test(e.message));
});
