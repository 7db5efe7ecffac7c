// The emulator's videos are truthful: downloaded over HTTP, each measures (from its own MP4
// boxes) as the size, duration, frame rate and audio its request asked for and its usage reports,
// and two shots never share a picture.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestBody } from '../../src/core/types.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { measureVideo } from '../../src/io/measure-video.js';
import { clientOn, startFastEmulator, uniquePrompt, VIDEO_SYNTHESIS, waitForStatus } from '../helpers/client-emulator.js';
import { decodeYuv, ffmpegOrSkip } from '../helpers/ffmpeg.js';

const PNG = 'https://example.com/harbor.png';

describe('emulator videos', () => {
  let emu: RunningEmulator;
  let dir: string;
  before(async () => {
    emu = await startFastEmulator({ quotas: { families: { 'pixverse-v6': { runningTasks: 100, submitsPerSecond: 1000 }, 'pixverse-c1': { runningTasks: 100, submitsPerSecond: 1000 }, 'pixverse-v5.6': { runningTasks: 100, submitsPerSecond: 1000 }, 'wan2.6-i2v-flash': { runningTasks: 100, submitsPerSecond: 1000 } }, taskQueriesPerSecond: 10_000 } });
    dir = await mkdtemp(path.join(tmpdir(), 'pixverse-videos-'));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Submits, waits, downloads: the file, its usage block and the bytes' sha256. */
  async function render(name: string, body: RequestBody) {
    const { client } = clientOn(emu);
    try {
      const { taskId } = await client.submit(VIDEO_SYNTHESIS, body);
      const done = await waitForStatus(client, taskId, ['SUCCEEDED', 'FAILED']);
      assert.equal(done.output.task_status, 'SUCCEEDED', JSON.stringify(done));
      const file = path.join(dir, `${name}.mp4`);
      const r = await client.download(String(done.output.video_url), file);
      return { file, usage: done.usage as Record<string, unknown>, sha256: r.sha256 };
    } finally {
      await client.close();
    }
  }
  const t2v = (seed: number, over: Record<string, unknown> = {}): RequestBody => ({
    model: 'pixverse/pixverse-c1-t2v',
    input: { prompt: uniquePrompt('a harbour at dawn') },
    parameters: { size: '1280*720', duration: 4, audio: false, watermark: false, seed, ...over },
  });

  it('a silent 1280*720 4 s shot measures 1280×720, 4 s, 24 fps, H.264, no audio track: as its usage says', async () => {
    const { file, usage } = await render('silent', t2v(11));
    const facts = await measureVideo(file);
    assert.deepEqual(
      { width: facts.width, height: facts.height, duration: facts.duration, fps: facts.fps, audio: facts.audio },
      { width: 1280, height: 720, duration: 4, fps: 24, audio: false },
    );
    assert.match(facts.video_codec ?? '', /^avc1\./);
    assert.equal(usage['size'], '1280*720');
    assert.equal(usage['duration'], 4);
    assert.equal(usage['fps'], 24);
    assert.equal(usage['audio'], false);
  });

  it('audio: true gives an AAC track; a portrait 1080P size and 15 s are delivered as asked', async () => {
    const { file } = await render('audio', t2v(12, { size: '1080*1920', duration: 15, audio: true }));
    const facts = await measureVideo(file);
    assert.deepEqual([facts.width, facts.height, facts.duration, facts.audio, facts.audio_codec], [1080, 1920, 15, true, 'mp4a.40.2']);
  });

  it('a resolution tier (it2v) is delivered at the tier size its usage reports', async () => {
    const { file, usage } = await render('it2v', {
      model: 'pixverse/pixverse-v6-it2v',
      input: { prompt: uniquePrompt('waves'), media: [{ type: 'image_url', url: PNG }] },
      parameters: { resolution: '540P', duration: 3, audio: false, watermark: false, seed: 5 },
    });
    const facts = await measureVideo(file);
    assert.equal(`${facts.width}*${facts.height}`, usage['size']);
    assert.equal(facts.duration, 3);
  });

  it('Wan 2.6 at 720P: 30 fps, sound by default (an audio track), silence when audio: false', async () => {
    const wan = (audio?: boolean): RequestBody => ({
      model: 'wan2.6-i2v-flash',
      input: { prompt: uniquePrompt('a lighthouse'), img_url: PNG },
      parameters: { resolution: '720P', duration: 5, ...(audio === undefined ? {} : { audio }) },
    });
    const loud = await measureVideo((await render('wan-default', wan())).file);
    assert.deepEqual([loud.width, loud.height, loud.duration, loud.fps, loud.audio], [1280, 720, 5, 30, true]);
    const quiet = await measureVideo((await render('wan-silent', wan(false))).file);
    assert.equal(quiet.audio, false);
  });

  it('v5.6 t2v 1808*1808 at 8 s is delivered at 1440*1440, as its usage reports (a documented quirk)', async () => {
    const { file, usage } = await render('square', {
      model: 'pixverse/pixverse-v5.6-t2v',
      input: { prompt: uniquePrompt('a square') },
      parameters: { size: '1808*1808', duration: 8, audio: false, watermark: false, seed: 1 },
    });
    const facts = await measureVideo(file);
    assert.equal(usage['size'], '1440*1440');
    assert.deepEqual([facts.width, facts.height, facts.duration], [1440, 1440, 8]);
  });

  it('two shots differ in bytes and in picture; the same task downloads the same bytes again', async (t) => {
    const a = await render('a', t2v(21));
    const b = await render('b', t2v(22));
    assert.notEqual(a.sha256, b.sha256);
    assert.equal(createHash('sha256').update(await readFile(a.file)).digest('hex'), a.sha256);
    if (!(await ffmpegOrSkip(t))) return;
    const [fa, fb] = [await decodeYuv(a.file, 1), await decodeYuv(b.file, 1)];
    const luma = 1280 * 720;
    let differing = 0;
    for (let i = 0; i < luma; i++) if (fa[i] !== fb[i]) differing++;
    assert.ok(differing > luma / 100, `the pictures differ (${differing} luma samples)`);
    const values = new Set(fa.subarray(0, luma));
    assert.ok(values.size > 8, 'not a blank frame');
  });
});
