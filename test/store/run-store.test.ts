// `pixverse run` with an object store, end to end: the built CLI against the DashScope emulator
// (over loopback, as a real-server run with --base-url) and s3rver (a real S3-compatible server),
// counting on the server side what was submitted and what was uploaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import type { Report } from '../../src/core/report/report-model.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';
import { s3Env, startRefusingS3, startS3 } from '../helpers/s3-server.js';

const SHOTS: ShotSpec[] = [
  { id: 'pix', prompt: 'a lighthouse at dawn' },
  { id: 'pix2', model: 'pixverse/pixverse-c1-t2v', prompt: 'a harbour at noon' },
  { id: 'wan', model: 'wan2.6-i2v-flash', prompt: 'waves under a golden sky', extra: ['    reference_image: img.png', '    resolution: 720P'] },
];
/** s3rver checks no signatures: any secret passes, so this one can be looked for everywhere. */
const SECRET = 'sekrit-never-written-4711';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function cli(job: TempJob, env: Record<string, string>) {
  return (args: string[]) => runCli(args, { cwd: job.dir, env });
}
function runArgs(baseUrl: string, ...extra: string[]): string[] {
  return ['run', 'jobs/team.yaml', '--json', '--base-url', baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output', ...extra];
}
async function reportOf(job: TempJob): Promise<Report> {
  return JSON.parse(await readFile(path.join(job.dir, 'output', 'team', 'report.json'), 'utf8')) as Report;
}
async function ledgerOf(job: TempJob): Promise<LedgerRecord[]> {
  return (await readFile(path.join(job.dir, 'output', 'team', 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LedgerRecord);
}
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

test('a run with a store puts every video under its sha256 and the evidence beside, as report and lock claim; a second run uploads no video again', async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const env = { DASHSCOPE_API_KEY: emu.apiKey, ...s3Env(s3), AWS_SECRET_ACCESS_KEY: SECRET };
  const run = cli(job, env);

  const first = await run(runArgs(emu.baseUrl, '--store', 's3://team-bucket/renders'));
  assert.equal(first.code, 0, first.stderr);
  const report = await reportOf(job);
  assert.equal(report.run.store, 's3://team-bucket/renders');
  const objects = await s3.objects('team-bucket');
  for (const shot of report.shots) {
    assert.equal(shot.state, 'current');
    // The https address too (path style on a localhost endpoint): report.md links it for readers without the output folder.
    const href = `${s3.endpoint}/team-bucket/renders/videos/${shot.sha256}.mp4`;
    assert.deepEqual(shot.stored, { url: `s3://team-bucket/renders/videos/${shot.sha256}.mp4`, sha256: shot.sha256, href });
    assert.ok((await readFile(path.join(job.dir, 'output', 'team', 'report.md'), 'utf8')).includes(`[stored](${href})`), 'report.md links the stored object');
    const served = Buffer.from(await (await fetch(href)).arrayBuffer());
    assert.equal(sha(served), shot.sha256, 'the link opens the stored video');
    const stored = objects.get(`renders/videos/${shot.sha256}.mp4`);
    assert.ok(stored, `${shot.id}'s video is in the bucket`);
    assert.equal(sha(stored), shot.sha256, 'the bytes stored are the ones the report claims');
    assert.ok(stored.equals(await readFile(path.join(job.dir, 'output', 'team', shot.file!))));
    const record = JSON.parse(objects.get(`renders/renders/${shot.key}.json`)!.toString('utf8')) as { sha256: string; request_key: string };
    assert.deepEqual([record.request_key, record.sha256], [shot.key, shot.sha256], 'the video can be found by its request key');
    for (const rel of [`requests/${shot.id}.json`, `snapshots/${shot.id}.jsonl`]) {
      assert.ok(objects.get(`renders/team/${rel}`)?.equals(await readFile(path.join(job.dir, 'output', 'team', rel))), `${rel} stored`);
    }
  }
  assert.ok(objects.get('renders/team/report.json')!.equals(await readFile(path.join(job.dir, 'output', 'team', 'report.json'))), 'report.json stored as written');
  // The stored contact sheet and report link the stored videos relatively (they work served over HTTP).
  const html = objects.get('renders/team/index.html')!.toString('utf8');
  const md = objects.get('renders/team/report.md')!.toString('utf8');
  for (const shot of report.shots) {
    // No poster in the store: the tile shows the browser's frame at the offset (#t=…).
    assert.ok(html.includes(`src="../videos/${shot.sha256}.mp4#t=0.5"`), `index.html plays ${shot.id} from the store`);
    assert.ok(md.includes(`(../videos/${shot.sha256}.mp4)`), `report.md links ${shot.id}'s stored video`);
  }
  const lock = parseLockText(await readFile(path.join(job.dir, 'jobs', 'team.lock.yaml'), 'utf8'));
  assert.ok(lock.ok);
  for (const e of lock.lock.shots) assert.equal(e.stored, `s3://team-bucket/renders/videos/${e.sha256}.mp4`);
  // Content-addressed: identical bytes (the emulator may serve the same fixture twice) go up once.
  const distinct = new Set(report.shots.map((s) => s.sha256)).size;
  assert.equal(s3.writesUnder('team-bucket/renders/videos/').length, distinct);
  assert.equal(s3.requests.filter((r) => r.path.includes('.pixverse-probe')).length, 2, 'one probe: put and delete');

  // Nothing new: no video goes up twice; the lock does not change.
  const lockText = await readFile(path.join(job.dir, 'jobs', 'team.lock.yaml'), 'utf8');
  const second = await run(runArgs(emu.baseUrl, '--store', 's3://team-bucket/renders'));
  assert.equal(second.code, 0, second.stderr);
  assert.equal(s3.writesUnder('team-bucket/renders/videos/').length, distinct, 'no video uploaded again');
  assert.equal(await readFile(path.join(job.dir, 'jobs', 'team.lock.yaml'), 'utf8'), lockText);
  assert.equal(s3.writesUnder('team-bucket/renders/team/requests/').length, 3, 'unchanged evidence is not put again');

  // The credentials never land anywhere.
  for (const file of [...(await filesUnder(path.join(job.dir, 'output'))), path.join(job.dir, 'jobs', 'team.lock.yaml')]) {
    assert.ok(!(await readFile(file, 'utf8')).includes(SECRET), `${file} holds no secret`);
  }
  for (const [key, bytes] of await s3.objects('team-bucket')) assert.ok(!bytes.toString('utf8').includes(SECRET), `${key} holds no secret`);
  assert.ok(!first.stdout.includes(SECRET) && !first.stderr.includes(SECRET));
});

test('the store stopped mid-run loses nothing: every video stays on disk as rendered-but-not-stored, and the next run uploads them without a submit', async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const run = cli(job, { DASHSCOPE_API_KEY: emu.apiKey, ...s3Env(s3), PIXVERSE_STORE: 's3://team-bucket/renders' });

  // After the probe, before any video: the store goes away for the rest of the run.
  let stopping: Promise<void> | undefined;
  const first = await runCli(runArgs(emu.baseUrl), {
    cwd: job.dir,
    env: { DASHSCOPE_API_KEY: emu.apiKey, ...s3Env(s3), PIXVERSE_STORE: 's3://team-bucket/renders' },
    onEvent: (e) => {
      if (e.type === 'run-start') stopping = s3.stop();
      return undefined;
    },
  });
  await stopping;
  assert.equal(first.code, 1, 'rendered but not stored is not done');
  assert.match(first.stderr, /3 video\(s\) rendered and kept on disk but not in the store; `pixverse push` \(or the next run\) uploads them/);
  const ends = first.events.filter((e) => e.type === 'shot-end').map((e) => (e.type === 'shot-end' ? e.outcome : undefined)!);
  assert.deepEqual(ends.map((o) => o.status).sort(), ['succeeded', 'succeeded', 'succeeded'], 'every shot rendered');
  for (const o of ends) assert.match(o.storeError ?? '', /cannot be reached/);
  const report = await reportOf(job);
  for (const s of report.shots) {
    assert.equal(s.file_on_disk, true);
    assert.equal(s.stored, null);
    assert.match(s.store_error ?? '', /cannot be reached/);
    assert.equal(sha(await readFile(path.join(job.dir, 'output', 'team', s.file!))), s.sha256);
  }
  assert.equal((await ledgerOf(job)).filter((r) => r.t === 'store-failed').length >= 3, true);
  const created = emu.stats().tasksCreated;
  assert.equal(created, 3);

  await s3.start();
  const second = await run(runArgs(emu.baseUrl));
  assert.equal(second.code, 0, second.stderr);
  assert.equal(emu.stats().tasksCreated, created, 'nothing submitted again');
  const objects = await s3.objects('team-bucket');
  for (const s of (await reportOf(job)).shots) {
    assert.equal(sha(objects.get(`renders/videos/${s.sha256}.mp4`)!), s.sha256);
    assert.equal(s.stored?.sha256, s.sha256);
    assert.equal(s.store_error, null);
  }
});

test('a store that cannot be written stops the run with exit 3 before any submit, saying which failure', async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const refusing = await startRefusingS3('SignatureDoesNotMatch');
  t.after(() => refusing.close());
  const job = await writeTempJob('team', SHOTS);
  await declareModelStudio(job.dir, emu.baseUrl);
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const cases: Array<{ what: string; env: Record<string, string>; store: string; said: RegExp }> = [
    { what: 'missing bucket', env: s3Env(s3), store: 's3://no-such-bucket/x', said: /missing bucket.*'no-such-bucket' does not exist/ },
    { what: 'refused credentials', env: { ...s3Env(s3), AWS_ENDPOINT_URL_S3: refusing.endpoint }, store: 's3://team-bucket/x', said: /credentials refused.*SignatureDoesNotMatch/ },
    { what: 'unknown key', env: { ...s3Env(s3), AWS_ACCESS_KEY_ID: 'NOT-KNOWN' }, store: 's3://team-bucket/x', said: /credentials refused.*InvalidAccessKeyId/ },
    { what: 'unreachable endpoint', env: { ...s3Env(s3), AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, store: 's3://team-bucket/x', said: /endpoint unreachable.*cannot be reached/ },
    {
      what: 'no credentials',
      // The SDK's chain would otherwise ask the EC2 instance metadata address: never leave loopback.
      env: { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
      store: 's3://team-bucket/x',
      said: /no credentials/,
    },
  ];
  for (const c of cases) {
    const r = await cli(job, { DASHSCOPE_API_KEY: emu.apiKey, ...c.env })(runArgs(emu.baseUrl, '--store', c.store));
    assert.equal(r.code, 3, `${c.what}: ${r.stderr}`);
    assert.match(r.stderr, c.said, c.what);
    assert.match(r.stderr, /nothing was submitted/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(emu.stats().tasksCreated, 0, 'nothing was submitted');
  assert.ok(refusing.requests > 0, 'the refusing server was asked');
});

test('--emulator never writes to a configured store; with --store it writes only under emulator/', async (t) => {
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const job = await writeTempJob('team', SHOTS.slice(0, 2));
  t.after(() => rm(job.dir, { recursive: true, force: true }));
  const env = { ...s3Env(s3), PIXVERSE_STORE: 's3://team-bucket/renders' };
  const args = ['run', 'jobs/team.yaml', '--json', '--emulator', '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
  const quiet = await cli(job, env)(args);
  assert.equal(quiet.code, 0, quiet.stderr);
  // With --json the warning is a `warning` event among the JSON lines.
  const warnings = quiet.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  assert.ok(warnings.some((m) => /emulator run: the store from PIXVERSE_STORE \(s3:\/\/team-bucket\/renders\) is not used/.test(m)), JSON.stringify(warnings));
  assert.equal(s3.requests.length, 0, 'the store was not even asked');

  const asked = await cli(job, env)([...args, '--store', 's3://team-bucket/renders']);
  assert.equal(asked.code, 0, asked.stderr);
  const keys = [...(await s3.objects('team-bucket')).keys()];
  assert.ok(keys.length > 0);
  for (const key of keys) assert.ok(key.startsWith('renders/emulator/'), `${key} is under renders/emulator/`);
  const report = JSON.parse(await readFile(path.join(job.dir, 'output', 'team', 'emulator', 'report.json'), 'utf8')) as Report;
  assert.equal(report.run.store, 's3://team-bucket/renders/emulator');
  for (const s of report.shots) assert.equal(s.stored?.url, `s3://team-bucket/renders/emulator/videos/${s.sha256}.mp4`);
  assert.equal(keys.filter((k) => k.startsWith('renders/emulator/videos/')).length, new Set(report.shots.map((s) => s.sha256)).size);
  assert.ok(keys.includes('renders/emulator/team/index.html'));
});
