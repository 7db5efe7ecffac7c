// Every render knows the server it was made on. Renders from anything but Model Studio (here: an
// emulator the config does not declare a proxy of Model Studio) stay out of the committed lock,
// carry the "not from Model Studio" banner, and never count on the real service; tasks made on
// one server (base URL + region + workspace) are never followed on another. The built binary
// against emulators over loopback; what was created is counted on the server side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../src/core/report/report-model.js';
import type { RunEvent } from '../../src/engine/events.js';
import { parseLockText } from '../../src/io/read-lock-file.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';
import { schemaErrors } from '../report/report-checks.js';

const start = (events: RunEvent[]): Extract<RunEvent, { type: 'run-start' }> => {
  const s = events.find((e) => e.type === 'run-start');
  assert.ok(s && s.type === 'run-start', 'a run-start event');
  return s;
};

test('a run via --base-url to a standalone emulator: the lock beside the manifest is unchanged, its reports are bannered, and the real renders stay current', async () => {
  const real = await startTestEmulator();
  const other = await startTestEmulator();
  const shots: ShotSpec[] = [1, 2, 3].map((i) => ({ id: `s${i}`, prompt: `harbour shot ${i}` }));
  const job = await writeTempJob('apart', shots);
  try {
    // `real` stands for Model Studio (declared a proxy of it); `other` is just a test server.
    await declareModelStudio(job.dir, real.baseUrl);
    const flags = ['--json', '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const onReal = await runCli(['run', 'jobs/apart.yaml', '--base-url', real.baseUrl, ...flags], { cwd: job.dir, env: { DASHSCOPE_API_KEY: real.apiKey } });
    assert.equal(onReal.code, 0, onReal.stderr);
    const lockFile = path.join(job.dir, 'jobs', 'apart.lock.yaml');
    const lockText = await readFile(lockFile, 'utf8');
    const lock = parseLockText(lockText);
    assert.ok(lock.ok);
    const origin = new URL(real.baseUrl).origin;
    assert.ok(lock.lock.shots.every((e) => e.server === origin && e.region === 'cn-beijing'), lockText);
    const realReport = JSON.parse(await readFile(path.join(job.dir, 'output', 'apart', 'report.json'), 'utf8')) as Report;
    assert.deepEqual(realReport.run.server, { origin, region: 'cn-beijing', workspace: null, model_studio: true });
    assert.equal(realReport.run.emulator, false);

    const onOther = await runCli(['run', 'jobs/apart.yaml', '--base-url', other.baseUrl, ...flags], { cwd: job.dir, env: { DASHSCOPE_API_KEY: other.apiKey } });
    assert.equal(onOther.code, 0, onOther.stderr);
    const warnings = onOther.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    assert.ok(warnings.some((w) => /is not a Model Studio endpoint: its renders are kept apart .* never enter apart\.lock\.yaml/.test(w)), JSON.stringify(warnings));
    const apart = path.join(job.dir, 'output', 'apart', 'emulator');
    assert.equal(start(onOther.events).runFolder, apart);
    assert.deepEqual(new Set(start(onOther.events).shots.map((s) => s.action)), new Set(['submit']), "the real renders are not this server's");
    assert.equal(other.stats().tasksCreated, 3);
    assert.equal(await readFile(lockFile, 'utf8'), lockText, 'the committed lock is byte-identical');
    const report = JSON.parse(await readFile(path.join(apart, 'report.json'), 'utf8')) as Report;
    assert.equal(await schemaErrors(report), undefined);
    assert.equal(report.run.emulator, true);
    assert.deepEqual(report.run.server, { origin: new URL(other.baseUrl).origin, region: 'cn-beijing', workspace: null, model_studio: false });
    for (const name of ['report.md', 'index.html']) assert.match(await readFile(path.join(apart, name), 'utf8'), /Not from Model Studio: these tasks ran on 127\.0\.0\.1:\d+ \(cn-beijing\), which is not a Model Studio endpoint/, name);
    assert.ok((await stat(path.join(apart, 'apart.lock.yaml'))).isFile(), 'its own lock, in its own space');

    // Back on the real service: every shot is still up to date, nothing is created again.
    const again = await runCli(['run', 'jobs/apart.yaml', '--base-url', real.baseUrl, ...flags], { cwd: job.dir, env: { DASHSCOPE_API_KEY: real.apiKey } });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(new Set(start(again.events).shots.map((s) => s.action)), new Set(['skip']));
    assert.equal(real.stats().tasksCreated, 3);
    assert.equal(await readFile(lockFile, 'utf8'), lockText);
  } finally {
    await real.close();
    await other.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});

test('a task made in one region is never followed from another: the other region renders its own, and the first region re-attaches its task, created once', async () => {
  const emu = await startTestEmulator();
  const job = await writeTempJob('regions', [{ id: 'sea', model: 'wan2.6-i2v-flash', prompt: 'waves at dusk', extra: ['    reference_image: img.png', '    resolution: 720P'] }]);
  try {
    await declareModelStudio(job.dir, emu.baseUrl);
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const run = (region: string, onEvent?: (e: RunEvent) => NodeJS.Signals | undefined) =>
      runCli(['run', 'jobs/regions.yaml', '--json', '--base-url', emu.baseUrl, '--region', region, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], { cwd: job.dir, env, ...(onEvent ? { onEvent } : {}) });
    const stopped = await run('cn-beijing', (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined));
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.equal(emu.stats().tasksCreated, 1);

    const singapore = await run('ap-southeast-1');
    assert.equal(singapore.code, 0, singapore.stderr);
    const decided = start(singapore.events).shots[0]!;
    assert.deepEqual([decided.action, decided.reasonCode], ['submit', 'other-server']);
    assert.match(decided.reason, /was sent to another server/);
    assert.equal(emu.stats().tasksCreated, 2);

    // Beijing again: its own task is still there, re-attached; Singapore's video is not current here.
    const beijing = await run('cn-beijing');
    assert.equal(beijing.code, 0, beijing.stderr);
    const back = start(beijing.events).shots[0]!;
    assert.equal(back.action, 'reattach', back.reason);
    assert.equal(emu.stats().tasksCreated, 2, 'nothing created twice on one server');
    assert.equal(emu.stats().duplicateSubmits, 0);
  } finally {
    await emu.close();
    await rm(job.dir, { recursive: true, force: true });
  }
});
