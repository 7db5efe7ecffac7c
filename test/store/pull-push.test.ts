// `pixverse pull` and `push` end to end: the built CLI, the DashScope emulator on loopback and
// s3rver. A fresh clone with only the manifest and the lock pulls every video with no request to
// DashScope at all; renders made before a store was set are pushed, and recorded in lock and report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/core/report/report-model.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';
import { s3Env, startS3 } from '../helpers/s3-server.js';

const SHOTS: ShotSpec[] = [
  { id: 'pix', prompt: 'a lighthouse at dawn' },
  { id: 'pix2', model: 'pixverse/pixverse-c1-t2v', prompt: 'a harbour at noon' },
  { id: 'wan', model: 'wan2.6-i2v-flash', prompt: 'waves under a golden sky', extra: ['    reference_image: img.png', '    resolution: 720P'] },
];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const total = (requests: Record<string, number>): number => Object.values(requests).reduce((a, b) => a + b, 0);

test('a fresh clone with the manifest and the lock pulls every video from the store, verified, with no request to DashScope; run then submits nothing', async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const storeEnv = { ...s3Env(s3), PIXVERSE_STORE: 's3://team-bucket/renders' };
  const rendered = await runCli(['run', 'jobs/team.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey, ...storeEnv } });
  assert.equal(rendered.code, 0, rendered.stderr);
  const lock = parseLockText(await readFile(path.join(job.dir, 'jobs', 'team.lock.yaml'), 'utf8'));
  assert.ok(lock.ok);

  // The clone: what git holds (manifest, its image, the lock); no output/.
  const clone = await mkdtemp(path.join(tmpdir(), 'pixverse-clone-'));
  t.after(() => rm(clone, { recursive: true, force: true }));
  await mkdir(path.join(clone, 'jobs'));
  for (const f of ['team.yaml', 'team.lock.yaml', 'img.png']) await copyFile(path.join(job.dir, 'jobs', f), path.join(clone, 'jobs', f));
  await copyFile(path.join(job.dir, 'pixverse.config.json'), path.join(clone, 'pixverse.config.json'));
  const before = emu.stats();
  const pulled = await runCli(['pull', 'jobs/team.yaml', '--output-dir', 'output'], { cwd: clone, env: storeEnv });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /3 pulled from s3:\/\/team-bucket\/renders, 0 already on disk, 0 not pulled, 0 with no render recorded; nothing was submitted/);
  for (const e of lock.lock.shots) {
    const bytes = await readFile(path.join(clone, 'output', 'team', e.file));
    assert.equal(sha(bytes), e.sha256, `${e.id} pulled byte for byte`);
  }
  const after = emu.stats();
  assert.equal(after.tasksCreated, before.tasksCreated, '0 submits');
  assert.equal(total(after.requests), total(before.requests), 'DashScope was not asked anything');

  // Pulling again finds everything on disk; status says current and stored; run renders nothing.
  const again = await runCli(['pull', 'jobs/team.yaml', '--output-dir', 'output', '--json'], { cwd: clone, env: storeEnv });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as { shots: { result: string }[] }).shots.map((s) => s.result), ['present', 'present', 'present']);
  const status = await runCli(['status', 'jobs/team.yaml', '--output-dir', 'output', '--json'], { cwd: clone, env: storeEnv });
  const shots = (JSON.parse(status.stdout) as { shots: { state: string; stored: string | null }[] }).shots;
  assert.deepEqual(shots.map((s) => s.state), ['current', 'current', 'current']);
  for (const s of shots) assert.match(s.stored ?? '', /^s3:\/\/team-bucket\/renders\/videos\/[0-9a-f]{64}\.mp4$/);
  const run = await runCli(['run', 'jobs/team.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], { cwd: clone, env: { DASHSCOPE_API_KEY: emu.apiKey, ...storeEnv } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(emu.stats().tasksCreated, before.tasksCreated, 'run on the clone submits nothing');
});

test('run on a clone whose videos are gone from DashScope gets them from the store before deciding anything', async (t) => {
  const emu = await startTestEmulator();
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS.slice(0, 2));
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const storeEnv = { ...s3Env(s3), PIXVERSE_STORE: 's3://team-bucket/renders' };
  const args = (baseUrl: string): string[] => ['run', 'jobs/team.yaml', '--json', '--base-url', baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
  const first = await runCli(args(emu.baseUrl), { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey, ...storeEnv } });
  assert.equal(first.code, 0, first.stderr);
  await emu.close();
  // The server that rendered them forgot them (its tasks and URLs with it): a new emulator on the
  // same address, the same server to the run, knows nothing.
  const other = await startTestEmulator({ port: Number(new URL(emu.baseUrl).port) });
  t.after(() => other.close());
  await rm(path.join(job.dir, 'output', 'team', 'videos'), { recursive: true });
  const second = await runCli(args(other.baseUrl), { cwd: job.dir, env: { DASHSCOPE_API_KEY: other.apiKey, ...storeEnv } });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(other.stats().tasksCreated, 0, 'nothing rendered again');
  const start = second.events.find((e) => e.type === 'run-start');
  assert.ok(start && start.type === 'run-start');
  assert.deepEqual(start.shots.map((s) => s.action), ['skip', 'skip'], 'the store had them before anything was decided');
  const end = second.events.find((e) => e.type === 'run-end');
  assert.ok(end && end.type === 'run-end');
  assert.equal(end.requests.download + end.requests.getTask, 0, 'nothing asked of DashScope: the videos came from the store');
});

test('push uploads renders made before a store was set; the lock and report then record them, and a second push uploads nothing', async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const plain = await runCli(['run', 'jobs/team.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey } });
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(s3.requests.length, 0);

  const noStore = await runCli(['push', 'jobs/team.yaml', '--output-dir', 'output'], { cwd: job.dir, env: s3Env(s3) });
  assert.equal(noStore.code, 3);
  assert.match(noStore.stderr, /no store is set/);

  const push = await runCli(['push', 'jobs/team.yaml', '--output-dir', 'output', '--store', 's3://team-bucket/renders'], { cwd: job.dir, env: s3Env(s3) });
  assert.equal(push.code, 0, push.stderr);
  const report = JSON.parse(await readFile(path.join(job.dir, 'output', 'team', 'report.json'), 'utf8')) as Report;
  const objects = await s3.objects('team-bucket');
  for (const s of report.shots) {
    assert.equal(s.stored?.sha256, s.sha256);
    assert.equal(sha(objects.get(`renders/videos/${s.sha256}.mp4`)!), s.sha256);
  }
  assert.ok(objects.has('renders/team/index.html') && objects.has('renders/team/report.json'));
  const lock = parseLockText(await readFile(path.join(job.dir, 'jobs', 'team.lock.yaml'), 'utf8'));
  assert.ok(lock.ok);
  for (const e of lock.lock.shots) assert.equal(e.stored, `s3://team-bucket/renders/videos/${e.sha256}.mp4`);

  const videoPuts = s3.writesUnder('team-bucket/renders/videos/').length;
  const again = await runCli(['push', 'jobs/team.yaml', '--output-dir', 'output', '--store', 's3://team-bucket/renders', '--json'], { cwd: job.dir, env: s3Env(s3) });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as { shots: { result: string }[] }).shots.map((s) => s.result), ['already', 'already', 'already']);
  assert.equal(s3.writesUnder('team-bucket/renders/videos/').length, videoPuts, 'nothing uploaded twice');
  const status = await runCli(['status', 'jobs/team.yaml', '--output-dir', 'output', '--store', 's3://team-bucket/renders'], { cwd: job.dir, env: s3Env(s3) });
  assert.match(status.stdout, /pix .*current .*stored \(s3:\/\/team-bucket\/renders\/videos\//);
});
