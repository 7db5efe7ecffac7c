// `pixverse animatic`: the current videos joined in manifest order into one film that measures
// as the sum of its clips, recorded by sha256; `status` says when it is stale; `--only` takes a
// subset; without ffmpeg the command says how to install it and exits 3 (a real process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { run as animaticCommand } from '../../src/cli/commands/animatic.js';
import { run as runCommand } from '../../src/cli/commands/run.js';
import { run as statusCommand } from '../../src/cli/commands/status.js';
import type { AnimaticRecord } from '../../src/core/evidence/animatic.js';
import type { Report } from '../../src/core/report/report-model.js';
import { measureVideo } from '../../src/io/measure-video.js';
import { FFMPEG_INSTALL_HINT } from '../../src/io/ffmpeg.js';
import { decodeYuv, ffmpegOrSkip } from '../helpers/ffmpeg.js';
import { runCli } from '../helpers/run-cli.js';
import { createProject } from '../report/project-kit.js';

function manifest(prompt = 'a pier'): string {
  const shot = (id: string, lines: string[]) => [`  - id: ${id}`, ...lines.map((l) => `    ${l}`)];
  return [
    'version: 1',
    'name: demo',
    'shots:',
    ...shot('opening', ['model: pixverse/pixverse-c1-t2v', 'prompt: a harbour', 'size: "1280*720"', 'duration: 2', 'audio: false', 'seed: [1, 2]']),
    ...shot('pier', ['model: pixverse/pixverse-c1-t2v', `prompt: ${prompt}`, 'size: "720*1280"', 'duration: 3', 'audio: true', 'seed: 3']),
    ...shot('never', ['model: pixverse/pixverse-c1-t2v', 'prompt: not rendered', 'size: "1280*720"', 'duration: 2', 'seed: 4']),
  ].join('\n') + '\n';
}

test('animatic: joins the current videos in manifest order; status says when it is stale; --only; --labels', async (t) => {
  if (!(await ffmpegOrSkip(t))) return;
  const p = await createProject(t, manifest());
  p.env['DASHSCOPE_API_KEY'] = 'sk-animatic-test';
  const io = p.io();
  assert.equal(await runCommand(['demo.yaml', '--emulator', '--time-scale', '0.002', '--only', 'opening@*,pier'], io), 0, io.stderr.join('\n'));
  const space = path.join(p.outputDir, 'emulator');
  const report = JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8')) as Report;

  const a = p.io();
  assert.equal(await animaticCommand(['demo.yaml', '--emulator'], a), 0, a.stderr.join('\n'));
  assert.match(a.stdout.join('\n'), /animatic\.mp4: 3 shots, 7 s, 1280\*720 at 24 fps/);
  assert.deepEqual(a.stderr, ['left out: never (never-rendered: never rendered)']);
  const record = JSON.parse(await readFile(path.join(space, 'animatic.json'), 'utf8')) as AnimaticRecord;
  // Manifest order, sweep variants in the order of their values; each video by its sha256.
  assert.deepEqual(record.shots.map((s) => [s.id, s.sha256]), report.shots.slice(0, 3).map((s) => [s.id, s.sha256]));
  assert.deepEqual(record.shots.map((s) => s.id), ['opening@seed=1', 'opening@seed=2', 'pier']);
  const film = await measureVideo(path.join(space, 'animatic.mp4'));
  assert.deepEqual([film.width, film.height, film.audio], [1280, 720, true], 'the most common size; sound because one clip has it');
  assert.ok(Math.abs(film.duration - 7) < 0.1, `2 + 2 + 3 s, got ${film.duration}`);
  assert.equal(record.duration, film.duration);

  // The portrait clip is padded, not stretched: its middle is the clip's, its sides black.
  const frames = await decodeYuv(path.join(space, 'animatic.mp4'), 24 * 5 + 12);
  const frame = frames.subarray((24 * 5 + 11) * 1280 * 720 * 1.5, (24 * 5 + 11) * 1280 * 720 * 1.5 + 1280 * 720);
  const at = (x: number, y: number) => frame[y * 1280 + x]!;
  assert.ok(at(40, 360) < 20 && at(1240, 360) < 20, 'black bars beside the portrait clip');
  assert.ok(at(640, 100) > 30, 'the clip in the middle');

  const status = async (): Promise<{ text: string; json: { animatic?: { stale: boolean; reasons: string[] } } }> => {
    const s = p.io();
    await statusCommand(['demo.yaml', '--emulator'], s);
    const j = p.io();
    await statusCommand(['demo.yaml', '--emulator', '--json'], j);
    return { text: s.stdout.join('\n'), json: JSON.parse(j.stdout.join('\n')) as { animatic?: { stale: boolean; reasons: string[] } } };
  };
  let st = await status();
  assert.match(st.text, /animatic\.mp4: up to date \(3 shots, made /);
  assert.deepEqual(st.json.animatic?.stale, false);

  // Render `never` and re-render `pier` (its prompt changed): the animatic is stale, for both reasons.
  await p.writeManifest(manifest('a pier at night'));
  const r2 = p.io();
  assert.equal(await runCommand(['demo.yaml', '--emulator', '--time-scale', '0.002'], r2), 0, r2.stderr.join('\n'));
  st = await status();
  assert.deepEqual(st.json.animatic?.reasons, ['pier was rendered again', 'never was rendered since and is not in it']);
  assert.match(st.text, /animatic\.mp4 is stale: pier was rendered again; never was rendered since and is not in it \(`pixverse animatic demo\.yaml` makes it again\)/);

  // --only: a subset, in manifest order whatever the order asked; new shots outside it do not make it stale.
  const o = p.io();
  assert.equal(await animaticCommand(['demo.yaml', '--emulator', '--only', 'pier', '--only', 'opening@seed=2', '--json'], o), 0, o.stderr.join('\n'));
  const subset = JSON.parse(o.stdout.join('\n')) as AnimaticRecord;
  assert.deepEqual(subset.shots.map((s) => s.id), ['opening@seed=2', 'pier']);
  assert.deepEqual(subset.only, ['pier', 'opening@seed=2']);
  assert.equal((await status()).json.animatic?.stale, false);

  // --labels burns the id in: the bottom-left corner differs from the film without labels.
  const plainFrame = (await decodeYuv(path.join(space, 'animatic.mp4'), 1)).subarray(0, 1280 * 720);
  const l = p.io();
  assert.equal(await animaticCommand(['demo.yaml', '--emulator', '--only', 'pier', '--only', 'opening@seed=2', '--labels'], l), 0, l.stderr.join('\n'));
  const labelled = (await decodeYuv(path.join(space, 'animatic.mp4'), 1)).subarray(0, 1280 * 720);
  let changed = 0;
  let elsewhere = 0;
  for (let y = 0; y < 720; y++) {
    for (let x = 0; x < 1280; x++) {
      const d = Math.abs(plainFrame[y * 1280 + x]! - labelled[y * 1280 + x]!) > 40;
      if (d && x < 400 && y > 600) changed++;
      else if (d && y < 400) elsewhere++;
    }
  }
  assert.ok(changed > 500, `the label is drawn bottom left (${changed} samples changed)`);
  assert.ok(elsewhere < 200, `the rest of the picture is untouched (${elsewhere})`);

  // Usage errors: an --only that matches nothing, a bad size.
  const bad = p.io();
  await assert.rejects(animaticCommand(['demo.yaml', '--emulator', '--only', 'nope'], bad), /--only nope matches no shot/);
  await assert.rejects(animaticCommand(['demo.yaml', '--emulator', '--size', '1281*720'], bad), /not an even W\*H size/);
});

test('animatic without ffmpeg: the exact install hint and exit 3, nothing written (the built CLI, a real process)', async (t) => {
  const p = await createProject(t, manifest());
  const r = await runCli(['animatic', 'demo.yaml'], { cwd: p.dir, env: { PIXVERSE_FFMPEG: '/nonexistent/ffmpeg' } });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(r.stderr.includes('pixverse animatic joins the videos with ffmpeg, which was not found (/nonexistent/ffmpeg)'), r.stderr);
  assert.ok(r.stderr.includes(FFMPEG_INSTALL_HINT), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
