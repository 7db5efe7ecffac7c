// Delivered values are measured from the files: a real emulator run records each video's own
// metadata in report.json/report.md/index.html, warns about a video delivered differently from
// the ask, and `status --verify` measures the files on disk again (a swapped file shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { run as runCommand } from '../../src/cli/commands/run.js';
import { run as statusCommand } from '../../src/cli/commands/status.js';
import type { Report } from '../../src/core/report/report-model.js';
import { createProject } from './project-kit.js';
import { schemaErrors } from './report-checks.js';

const shot = (id: string, lines: string[]) => [`  - id: ${id}`, ...lines.map((l) => `    ${l}`)];

test('an emulator run records what each file holds beside the ask and the usage; a difference is a warning and is marked', async (t) => {
  const yaml = [
    'version: 1',
    'name: demo',
    'shots:',
    ...shot('wide', ['model: pixverse/pixverse-c1-t2v', 'prompt: a harbour', 'size: "1280*720"', 'duration: 4', 'audio: false', 'seed: 1']),
    ...shot('tall', ['model: pixverse/pixverse-c1-t2v', 'prompt: a pier', 'size: "720*1280"', 'duration: 6', 'audio: true', 'seed: 2']),
    // v5.6 delivers 1808*1808 at 8 s as 1440*1440 (documented; the usage block says so).
    ...shot('square', ['model: pixverse/pixverse-v5.6-t2v', 'prompt: a square', 'size: "1808*1808"', 'duration: 8', 'audio: false', 'seed: 3']),
  ].join('\n') + '\n';
  const p = await createProject(t, yaml);
  p.env['DASHSCOPE_API_KEY'] = 'sk-measure-test';
  const io = p.io();
  const code = await runCommand(['demo.yaml', '--emulator', '--time-scale', '0.002'], io);
  assert.equal(code, 0, io.stderr.join('\n'));
  const space = path.join(p.outputDir, 'emulator');
  const report = JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(report), undefined);
  const [wide, tall, square] = report.shots;
  assert.deepEqual(wide!.measured, { width: 1280, height: 720, duration: 4, fps: 24, video_codec: 'avc1.42c01f', audio: false, audio_codec: null });
  assert.deepEqual(wide!.mismatches, []);
  assert.deepEqual([tall!.measured?.width, tall!.measured?.height, tall!.measured?.duration, tall!.measured?.audio, tall!.measured?.audio_codec], [720, 1280, 6, true, 'mp4a.40.2']);
  assert.deepEqual(tall!.mismatches, []);
  assert.deepEqual([square!.measured?.width, square!.measured?.height], [1440, 1440]);
  assert.deepEqual(square!.mismatches, ['size: asked 1808*1808, the file is 1440*1440 (as the server reported)']);

  // The run summary warns about it (stderr, named by shot) and about nothing else.
  const warnings = io.stderr.filter((l) => l.includes('delivered differently'));
  assert.deepEqual(warnings, ['warning: square: delivered differently: size: asked 1808*1808, the file is 1440*1440 (as the server reported)']);

  const md = await readFile(path.join(space, 'report.md'), 'utf8');
  assert.match(md, /\| File \(measured\) \|/);
  assert.match(md, /1280\\\*720 · 4 s · 24 fps · avc1\.42c01f · no audio/);
  assert.match(md, /⚠️ 1440\\\*1440 · 8 s/);
  assert.match(md, /## Delivered differently\n\n.*\n\n- ⚠️ \*\*square\*\*: size: asked 1808\\\*1808, the file is 1440\\\*1440/);
  const html = await readFile(path.join(space, 'index.html'), 'utf8');
  assert.match(html, /file: 720\*1280 · 6 s · 24 fps · avc1\.[0-9a-f]+ · audio \(mp4a\.40\.2\)/);
  assert.match(html, /<div class="error mismatch">⚠ size: asked 1808\*1808, the file is 1440\*1440/);

  // status --verify measures the files again: swap two videos on disk and both show it.
  const videos = path.join(space, 'videos');
  await rename(path.join(videos, 'wide.mp4'), path.join(videos, 'x.mp4'));
  await rename(path.join(videos, 'tall.mp4'), path.join(videos, 'wide.mp4'));
  await rename(path.join(videos, 'x.mp4'), path.join(videos, 'tall.mp4'));
  const sio = p.io();
  assert.equal(await statusCommand(['demo.yaml', '--emulator', '--verify', '--json'], sio), 0, sio.stderr.join('\n'));
  const status = JSON.parse(sio.stdout.join('\n')) as { shots: { id: string; measured: { width: number } | null; mismatches: string[] }[] };
  const byId = new Map(status.shots.map((s) => [s.id, s]));
  assert.equal(byId.get('wide')!.measured?.width, 720);
  assert.ok(byId.get('wide')!.mismatches.includes('size: asked 1280*720, the file is 720*1280'), JSON.stringify(byId.get('wide')));
  assert.ok(byId.get('wide')!.mismatches.includes('duration: asked 4 s, the file lasts 6 s'));
  assert.ok(byId.get('wide')!.mismatches.includes('audio: asked silent (audio: false), the file has an audio track'));
  assert.ok(byId.get('tall')!.mismatches.includes('audio: asked with sound (audio: true), the file has no audio track'));
  const text = p.io();
  await statusCommand(['demo.yaml', '--emulator', '--verify'], text);
  assert.match(text.stdout.join('\n'), /wide .*⚠ size: asked 1280\*720, the file is 720\*1280/);
  // Without --verify, status does not measure (the download's record stands).
  const plain = p.io();
  await statusCommand(['demo.yaml', '--emulator', '--json'], plain);
  assert.equal((JSON.parse(plain.stdout.join('\n')) as { shots: object[] }).shots.every((s) => !('measured' in s)), true);
});
