// Models whose inputs are videos and audio (upscale, lipsync, motion control) through the built
// CLI against the emulator over loopback: local files are sniffed, measured, hashed into the shot
// key, uploaded once per file content and model, sent as oss:// URLs; the emulator's stats name
// each task's family and quota pool.
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';

/** One second of 8 kHz mono 16-bit silence as a WAV file. */
function silentWav(seconds = 1): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2 * seconds);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const MANIFEST = `version: 1
name: media
shots:
  - id: up
    model: pixverse/pixverse-upscale
    media: [{type: video_url, url: clip.mp4}]
  - id: lips
    model: pixverse/pixverse-lipsync
    media: [{type: video_url, url: clip.mp4}, {type: audio_url, url: voice.wav}]
  - id: move
    model: pixverse/pixverse-motioncontrol
    resolution: 360P
    media: [{type: image_url, url: img.png}, {type: video_url, url: clip.mp4}]
`;

test('video and audio inputs are measured, uploaded once per content and model, and sent as oss:// URLs', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('media', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    await copyFile(path.join(PACKAGE_ROOT, 'test', 'fixtures', 'videos', 'sample.mp4'), path.join(job.dir, 'jobs', 'clip.mp4'));
    await writeFile(path.join(job.dir, 'jobs', 'voice.wav'), silentWav());
    await writeFile(job.manifest, MANIFEST);
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const args = ['run', 'jobs/media.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];

    const plan = await runCli(['plan', 'jobs/media.yaml', '--json', '--output-dir', 'output'], { cwd: job.dir, env });
    assert.equal(plan.code, 0, plan.stderr);
    const lips = JSON.parse(await readFile(path.join(job.dir, 'output', 'media', 'plan', 'lips.json'), 'utf8'));
    assert.deepEqual(lips.body.input.media.map((m: { type: string }) => m.type), ['video_url', 'audio_url']);

    const first = await runCli(args, { cwd: job.dir, env });
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const stats = emu.stats();
    // clip.mp4 for three models, voice.wav and img.png for one each: one policy and one upload each.
    assert.equal(stats.requests['getPolicy'], 5);
    assert.equal(stats.requests['upload'], 5);
    assert.equal(stats.tasksCreated, 3);
    assert.deepEqual(
      stats.tasks.map((t) => [t.model, t.family, t.pool]).sort(),
      [
        ['pixverse/pixverse-lipsync', 'pixverse-lipsync', 'pixverse-tools'],
        ['pixverse/pixverse-motioncontrol', 'pixverse-motioncontrol', 'pixverse-tools'],
        ['pixverse/pixverse-upscale', 'pixverse-upscale', 'pixverse-tools'],
      ],
    );
    const sent = JSON.parse(await readFile(path.join(job.dir, 'output', 'media', 'requests', 'lips.json'), 'utf8'));
    const body = sent.body ?? sent;
    for (const item of body.input.media) assert.match(item.url, /^oss:\/\//, JSON.stringify(item));
    // Billed on the input's length, which the file told (1 s), not the 300 s ceiling.
    const planned = JSON.parse(plan.stdout) as { summary: { billableSeconds: number } };
    assert.equal(planned.summary.billableSeconds, 3);

    // The files' bytes are in the shot keys: a re-run renders and uploads nothing again.
    const again = await runCli(args, { cwd: job.dir, env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.stats().tasksCreated, 3);
    assert.equal(emu.stats().requests['upload'], 5);

    // A different audio file is a different shot: only that shot is rendered again.
    await writeFile(path.join(job.dir, 'jobs', 'voice.wav'), silentWav(2));
    const changed = await runCli(args, { cwd: job.dir, env });
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(emu.stats().tasksCreated, 4);
    assert.deepEqual(emu.stats().tasks.at(-1)?.model, 'pixverse/pixverse-lipsync');
  } finally {
    await emu.close();
  }
});
