// Reuse through the object store: a teammate's render of the same request, under another shot
// id and in another checkout, is fetched from the store (sha256 verified) instead of rendered.
// The built CLI against the emulator and s3rver, counting on the server side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob, manifestYaml } from '../helpers/run-kit.js';
import { s3Env, startS3 } from '../helpers/s3-server.js';

test("a shot renamed in another checkout reuses the store's video of the same request: nothing is submitted, the evidence names the store object", async (t) => {
  const emu = await startTestEmulator();
  t.after(() => emu.close());
  const s3 = await startS3({ buckets: ['team-bucket'] });
  t.after(() => s3.close());
  const alice = await writeTempJob('team', [{ id: 'hero', prompt: 'a lighthouse at dawn' }]);
  await declareModelStudio(alice.dir, emu.baseUrl);
  const bob = await writeTempJob('team', [{ id: 'opening', prompt: 'a lighthouse at dawn' }, { id: 'other', prompt: 'a harbour at noon' }]);
  await declareModelStudio(bob.dir, emu.baseUrl);
  t.after(() => Promise.all([rm(alice.dir, { recursive: true, force: true }), rm(bob.dir, { recursive: true, force: true })]));
  const env = { DASHSCOPE_API_KEY: emu.apiKey, ...s3Env(s3) };
  const args = ['run', 'jobs/team.yaml', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output', '--store', 's3://team-bucket/renders'];

  const first = await runCli(args, { cwd: alice.dir, env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(emu.stats().tasksCreated, 1);

  const second = await runCli(args, { cwd: bob.dir, env });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(emu.stats().tasksCreated, 2, 'only the shot with another request rendered');
  assert.match(second.stdout, /1 rendered, 1 up to date/);
  const video = (dir: string, shot: string) => readFile(path.join(dir, 'output', 'team', 'videos', `${shot}.mp4`));
  const sha = createHash('sha256').update(await video(alice.dir, 'hero')).digest('hex');
  assert.ok((await video(bob.dir, 'opening')).equals(await video(alice.dir, 'hero')));
  const report = JSON.parse(await readFile(path.join(bob.dir, 'output', 'team', 'report.json'), 'utf8'));
  const opening = report.shots.find((s: { id: string }) => s.id === 'opening');
  assert.deepEqual(opening.reused_from, { shot: 'hero', manifest: null, record: 'store', file: `s3://team-bucket/renders/videos/${sha}.mp4` });
  assert.equal(opening.state, 'current');
  const lock = await readFile(path.join(bob.dir, 'jobs', 'team.lock.yaml'), 'utf8');
  assert.match(lock, new RegExp(`"opening":\\n(    .*\\n)*    sha256: "${sha}"`));

  // A changed request is never taken for the stored one.
  await writeFile(bob.manifest, manifestYaml('team', [{ id: 'opening', prompt: 'a lighthouse at dusk' }, { id: 'other', prompt: 'a harbour at noon' }]));
  const third = await runCli(args, { cwd: bob.dir, env });
  assert.equal(third.code, 0, third.stderr);
  assert.equal(emu.stats().tasksCreated, 3);
});
