// The catalog's quota pools as the emulator enforces them by default (no overrides): Kling's 10
// running tasks are shared by its two video models, Vidu's 5 by all of its models; the stats name
// each task's family and pool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { getTask, submitOk } from '../helpers/emulator-http.js';

const FROZEN = 1000;
const IMG = 'https://example.com/a.png';

const kling = (i: number) =>
  i % 2
    ? { model: 'kling/kling-v3-video-generation', input: { prompt: `kling ${i}` }, parameters: { mode: 'std', aspect_ratio: '16:9', duration: 5, audio: false, watermark: false } }
    : { model: 'kling/kling-v3-omni-video-generation', input: { prompt: `omni ${i}`, media: [{ type: 'first_frame', url: IMG }] }, parameters: { mode: 'std', duration: 5, audio: false, watermark: false } };
const vidu = (i: number) =>
  i % 2
    ? { model: 'vidu/viduq3-turbo_text2video', input: { prompt: `vidu ${i}` }, parameters: { resolution: '540P', duration: 5 } }
    : { model: 'vidu/viduq2-pro_img2video', input: { media: [{ type: 'image', url: IMG }] }, parameters: { resolution: '720P', duration: 5 } };

/** Submits n bodies, 4 at a time (under each pool's 5 submits/s), moving the clock on between. */
async function submitAll(emu: RunningEmulator, n: number, body: (i: number) => unknown): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 4) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(4, n - i) }, (_, j) => submitOk(emu, body(i + j))))));
    await new Promise((r) => setTimeout(r, 1100)); // the submit rate is measured on the real clock
  }
  return ids;
}

describe('catalog quota pools in the emulator', () => {
  it('Kling: 10 running tasks shared by v3 and v3-omni; Vidu: 5 shared by every Vidu model', async () => {
    const emu = await startEmulator({ timeScale: FROZEN });
    try {
      const k = await submitAll(emu, 12, kling);
      const v = await submitAll(emu, 7, vidu);
      emu.advanceClock(5_000);
      const running = async (ids: string[]) => (await Promise.all(ids.map(async (id) => (await getTask(emu, id)).json.output.task_status))).filter((s) => s === 'RUNNING').length;
      assert.equal(await running(k), 10);
      assert.equal(await running(v), 5);
      const stats = emu.stats();
      assert.equal(stats.peakRunningTasks['kling'], 10);
      assert.equal(stats.peakRunningTasks['vidu'], 5);
      const pools = new Set(stats.tasks.map((t) => `${t.family}/${t.pool}`));
      assert.deepEqual([...pools].sort(), ['kling-v3/kling', 'vidu-q2/vidu', 'vidu-q3/vidu']);
    } finally {
      await emu.close();
    }
  });
});
