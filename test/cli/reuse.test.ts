// Never paying twice for the same content: the built CLI against a standalone emulator, counting
// on the server side what was created. A shot renamed with an explicit seed is the same request
// (its video is copied, sha256 verified); without a seed it is a new take, and `plan` says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { TempJob } from '../helpers/run-kit.js';

/** A manifest of t2v shots: `[id, prompt, seed?]`. */
function manifest(name: string, shots: Array<[string, string, number?]>): string {
  const lines = ['version: 1', `name: ${name}`, 'defaults:', '  model: pixverse/pixverse-v6-t2v', '  size: 640*360', '  duration: 5', '  audio: false', '  watermark: false', 'shots:'];
  for (const [id, prompt, seed] of shots) {
    lines.push(`  - id: ${id}`, `    prompt: ${JSON.stringify(prompt)}`);
    if (seed !== undefined) lines.push(`    seed: ${seed}`);
  }
  return lines.join('\n') + '\n';
}

function cli(emu: RunningEmulator, job: TempJob) {
  const common = ['--base-url', emu.baseUrl, '--output-dir', 'output'];
  const env = { DASHSCOPE_API_KEY: emu.apiKey };
  return {
    run: (file: string, ...extra: string[]) => runCli(['run', file, '--time-scale', String(TEST_TIME_SCALE), ...common, ...extra], { cwd: job.dir, env }),
    plan: (file: string) => runCli(['plan', file, ...common], { cwd: job.dir, env }),
  };
}

const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

test('a shot renamed with an explicit seed renders nothing: plan says "reused from <old id>", run copies the verified video and records where it came from', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('rename', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    const { run, plan } = cli(emu, job);
    await writeFile(job.manifest, manifest('rename', [['wide', 'A harbour at dawn', 7], ['close', 'A lantern in the fog', 8]]));
    const first = await run('jobs/rename.yaml');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(emu.stats().tasksCreated, 2);

    await writeFile(job.manifest, manifest('rename', [['wide', 'A harbour at dawn', 7], ['lantern', 'A lantern in the fog', 8]]));
    const planned = await plan('jobs/rename.yaml');
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /lantern .*reuse: reused from close\b/);
    assert.match(planned.stdout, /wide .*skip/);

    const second = await run('jobs/rename.yaml');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(emu.stats().tasksCreated, 2, 'nothing new was created on the server');
    assert.match(second.stdout, /0 rendered, 1 reused, 1 up to date, 0 failed/);
    const space = path.join(job.dir, 'output', 'rename');
    assert.equal(await sha256(path.join(space, 'videos', 'lantern.mp4')), await sha256(path.join(space, 'videos', 'close.mp4')));
    const report = JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8'));
    const lantern = report.shots.find((s: { id: string }) => s.id === 'lantern');
    assert.deepEqual(lantern.reused_from, { shot: 'close', manifest: null, record: 'ledger', file: 'videos/close.mp4' });
    assert.equal(lantern.state, 'current');
    assert.equal(lantern.estimated_cost ?? null, null, 'a reused video bills nothing');
    const ledger = (await readFile(path.join(space, 'ledger.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const reused = ledger.find((r) => r.t === 'reused');
    assert.equal(reused.shot, 'lantern');
    assert.equal(reused.from.shot, 'close');
    const lock = await readFile(path.join(job.dir, 'jobs', 'rename.lock.yaml'), 'utf8');
    assert.match(lock, /"lantern":/);
    assert.doesNotMatch(lock, /"close":/);

    const third = await run('jobs/rename.yaml');
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /0 rendered, 2 up to date/);
    assert.equal(emu.stats().tasksCreated, 2);
  } finally {
    await emu.close();
  }
});

test('a shot renamed without a seed renders once (its derived seed is new) and plan says why, naming the seed that would reuse the old take', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('noseed', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    const { run, plan } = cli(emu, job);
    await writeFile(job.manifest, manifest('noseed', [['close', 'A lantern in the fog']]));
    const first = await run('jobs/noseed.yaml');
    assert.equal(first.code, 0, first.stderr);
    const oldSeed = JSON.parse(await readFile(path.join(job.dir, 'output', 'noseed', 'requests', 'close.json'), 'utf8')).parameters.seed as number;

    await writeFile(job.manifest, manifest('noseed', [['lantern', 'A lantern in the fog']]));
    const planned = await plan('jobs/noseed.yaml');
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, new RegExp(`submit: new shot id: close has the same request but seed ${oldSeed}; this shot's seed \\(\\d+\\) is derived from its id`));
    assert.match(planned.stdout, new RegExp(`write \`seed: ${oldSeed}\` to reuse that video`));

    const second = await run('jobs/noseed.yaml');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(emu.stats().tasksCreated, 2, 'a new seed is a new take: one new render');

    // Following the hint reuses the first take.
    await writeFile(job.manifest, manifest('noseed', [['lantern', 'A lantern in the fog'], ['again', 'A lantern in the fog', oldSeed]]));
    const third = await run('jobs/noseed.yaml');
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /0 rendered, 1 reused, 1 up to date/);
    assert.equal(emu.stats().tasksCreated, 2);
  } finally {
    await emu.close();
  }
});

test('a shot of another manifest in the same project with the same request is reused from its run folder; an emulator render is never reused by a real run', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('first', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    const { run, plan } = cli(emu, job);
    await writeFile(job.manifest, manifest('first', [['hero', 'A harbour at dawn', 7]]));
    assert.equal((await run('jobs/first.yaml')).code, 0);
    assert.equal(emu.stats().tasksCreated, 1);

    await mkdir(path.join(job.dir, 'jobs'), { recursive: true });
    await writeFile(path.join(job.dir, 'jobs', 'second.yaml'), manifest('second', [['opening', 'A harbour at dawn', 7], ['other', 'A harbour at dawn', 9]]));
    const planned = await plan('jobs/second.yaml');
    assert.match(planned.stdout, /opening .*reuse: reused from hero of manifest first\b/);
    const second = await run('jobs/second.yaml');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /1 rendered, 1 reused/);
    assert.equal(emu.stats().tasksCreated, 2, 'only the shot with another seed rendered');
    const report = JSON.parse(await readFile(path.join(job.dir, 'output', 'second', 'report.json'), 'utf8'));
    assert.deepEqual(report.shots[0].reused_from, { shot: 'hero', manifest: 'first', record: 'ledger', file: 'videos/hero.mp4' });

    // Against another server (here: the real service's URL), nothing rendered on this emulator counts.
    await writeFile(path.join(job.dir, 'jobs', 'third.yaml'), manifest('third', [['opening', 'A harbour at dawn', 7]]));
    const real = await runCli(['plan', 'jobs/third.yaml', '--output-dir', 'output'], { cwd: job.dir });
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /opening .*submit: new shot/);
  } finally {
    await emu.close();
  }
});

test('a source whose file changed after it was recorded is not taken: the owner fetches its video back and the twin copies that', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('tamper', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    const { run, plan } = cli(emu, job);
    await writeFile(job.manifest, manifest('tamper', [['close', 'A lantern in the fog', 8]]));
    assert.equal((await run('jobs/tamper.yaml')).code, 0);
    await writeFile(path.join(job.dir, 'output', 'tamper', 'videos', 'close.mp4'), 'not the video');
    await writeFile(job.manifest, manifest('tamper', [['close', 'A lantern in the fog', 8], ['lantern', 'A lantern in the fog', 8]]));
    const planned = await plan('jobs/tamper.yaml');
    assert.doesNotMatch(planned.stdout, /reused from/);
    // The tampered file is not taken: `close` fetches its video back, `lantern` copies that.
    assert.match(planned.stdout, /close .*download: /);
    assert.match(planned.stdout, /lantern .*reuse: the same request as close\b/);
    const r = await run('jobs/tamper.yaml');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(emu.stats().tasksCreated, 1);
    const space = path.join(job.dir, 'output', 'tamper');
    const good = await sha256(path.join(space, 'videos', 'lantern.mp4'));
    assert.equal(await sha256(path.join(space, 'videos', 'close.mp4')), good);
    assert.notEqual(good, createHash('sha256').update('not the video').digest('hex'));
  } finally {
    await emu.close();
  }
});

test('two shots of one run with the same request are rendered once: the second copies the first one\'s video when it is done', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('twins', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    const { run, plan } = cli(emu, job);
    await writeFile(job.manifest, manifest('twins', [['a', 'A lantern in the fog', 8], ['b', 'A lantern in the fog', 8], ['c', 'A harbour', 8]]));
    const planned = await plan('jobs/twins.yaml');
    assert.match(planned.stdout, /b .*reuse: the same request as a\b/);
    const first = await run('jobs/twins.yaml', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(emu.stats().tasksCreated, 2);
    const start = first.events.find((e) => e.type === 'run-start');
    assert.equal(start?.type === 'run-start' ? start.cost.shots : -1, 2, 'the twin costs nothing');
    const space = path.join(job.dir, 'output', 'twins');
    assert.equal(await sha256(path.join(space, 'videos', 'b.mp4')), await sha256(path.join(space, 'videos', 'a.mp4')));
    const again = await run('jobs/twins.yaml');
    assert.match(again.stdout, /0 rendered, 3 up to date/);
    assert.equal(emu.stats().tasksCreated, 2);
  } finally {
    await emu.close();
  }
});

test('inserting a prompt in front of a rendered sweep renders only the new prompt: the others keep their ids, derived seeds and videos', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('sweep', []);
    const { run, plan } = cli(emu, job);
    const sweep = (prompts: string[]): string =>
      ['version: 1', 'name: sweep', 'shots:', '  - id: hero', '    model: pixverse/pixverse-v6-t2v', '    size: 640*360', '    duration: 5', '    audio: false', '    watermark: false', `    prompt: ${JSON.stringify(prompts)}`].join('\n') + '\n';
    await writeFile(job.manifest, sweep(['A harbour at dawn', 'A lantern in the fog']));
    const first = await run('jobs/sweep.yaml');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(emu.stats().tasksCreated, 2);

    await writeFile(job.manifest, sweep(['Gulls over the pier', 'A harbour at dawn', 'A lantern in the fog']));
    const planned = await plan('jobs/sweep.yaml');
    assert.equal((planned.stdout.match(/ skip: unchanged/g) ?? []).length, 2, planned.stdout);
    assert.equal((planned.stdout.match(/ submit: new shot/g) ?? []).length, 1, planned.stdout);
    const second = await run('jobs/sweep.yaml');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(emu.stats().tasksCreated, 3, 'one new render, counted on the server');
    assert.match(second.stdout, /1 rendered, 2 up to date, 0 failed/);
  } finally {
    await emu.close();
  }
});
