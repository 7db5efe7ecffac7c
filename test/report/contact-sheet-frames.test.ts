// Every tile of the contact sheet shows a frame of its video, not black: a poster made with
// ffmpeg when it is there, else the browser's own frame at a small offset. Checked on the pixels
// of a headless-Chromium screenshot, tile by tile (the tiles' places read from the same page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { lockPathFor } from '../../src/core/lock/lock-model.js';
import { renderMp4 } from '../../src/emulator/video/render-mp4.js';
import { writeReports, type ReportInput } from '../../src/io/write-reports.js';
import { ffmpegOrSkip } from '../helpers/ffmpeg.js';
import { decodePng, type Rgba } from '../helpers/png.js';
import { LedgerScript, plan, sha256 } from './report-fixtures.js';
import { chromiumOrSkip, dumpDom, schemaErrors, screenshot } from './report-checks.js';

const WINDOW = '1280,1400';

/** A sheet of emulator videos (one shot without a video on disk); ffmpeg: false makes no posters. */
async function sheet(t: { after(fn: () => Promise<void>): void }, ffmpeg: string | false) {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-frames-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const manifestPath = path.join(dir, 'demo.yaml');
  await writeFile(manifestPath, 'name: demo\n');
  const outputDir = path.join(dir, 'output', 'demo');
  await mkdir(path.join(outputDir, 'videos'), { recursive: true });
  const shots = ['dawn', 'pier', 'storm', 'gone'].map((id) => plan({ id }));
  const l = new LedgerScript().runStart(shots.map((s) => s.shotId));
  for (const [i, s] of shots.entries()) {
    const bytes = await renderMp4({ width: i === 1 ? 720 : 1280, height: i === 1 ? 1280 : 720, duration: 2 + i, fps: 24, audio: i === 2, identity: s.shotId, label: String(10 + i) });
    const file = `videos/${s.shotId}.mp4`;
    if (s.shotId !== 'gone') await writeFile(path.join(outputDir, file), bytes);
    l.success(s, { file, bytes: bytes.length, sha: sha256(bytes) });
  }
  l.runEnd();
  const input: ReportInput = {
    manifestPath, manifestName: 'demo', manifestSha256: sha256('name: demo\n'), outputDir, plans: shots, ledger: foldLedger(l.records),
    region: 'cn-beijing', baseUrl: 'http://127.0.0.1:9/api/v1', emulator: true, toolVersion: '0.1.0', now: new Date('2026-11-21T09:00:00Z'),
    lockFile: lockPathFor(manifestPath), ffmpeg,
  };
  const { report, posters } = await writeReports(input);
  return { input, outputDir, report, posters, html: path.join(outputDir, 'index.html') };
}

/** Each card's media box (video or "no video"), by shot id, from the page as chromium lays it out. */
async function tileBoxes(chromium: string, html: string): Promise<Map<string, { x: number; y: number; width: number; height: number }>> {
  const probe = html.replace(/index\.html$/, 'probe.html');
  const script = `<script>for (const c of document.querySelectorAll('.card')) c.setAttribute('data-box', JSON.stringify(c.querySelector('video, .novideo').getBoundingClientRect()));</script></body>`;
  await writeFile(probe, (await readFile(html, 'utf8')).replace('</body>', script));
  const dom = await dumpDom(chromium, probe, { window: WINDOW });
  const boxes = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const m of dom.matchAll(/<article class="card" id="shot-([^"]+)" data-box="([^"]+)"/g)) boxes.set(m[1]!, JSON.parse(m[2]!.replace(/&quot;/g, '"')));
  return boxes;
}

/** Share of near-black pixels and number of distinct colours in the middle of a box. */
function look(png: Rgba, box: { x: number; y: number; width: number; height: number }): { dark: number; colours: number } {
  let dark = 0;
  let n = 0;
  const colours = new Set<number>();
  // The middle of the tile, above the player's controls.
  for (let y = Math.round(box.y + box.height * 0.15); y < box.y + box.height * 0.6; y++) {
    for (let x = Math.round(box.x + box.width * 0.2); x < box.x + box.width * 0.8; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (Math.max(r, g, b) < 30) dark++;
      colours.add((r << 16) | (g << 8) | b);
      n++;
    }
  }
  return { dark: dark / n, colours: colours.size };
}

async function assertFramesShown(chromium: string, html: string): Promise<void> {
  const boxes = await tileBoxes(chromium, html);
  assert.deepEqual([...boxes.keys()], ['dawn', 'pier', 'storm', 'gone']);
  const png = decodePng(await screenshot(chromium, html, WINDOW));
  for (const id of ['dawn', 'pier', 'storm']) {
    const seen = look(png, boxes.get(id)!);
    assert.ok(seen.dark < 0.5 && seen.colours > 8, `tile ${id} shows its video (dark ${seen.dark.toFixed(2)}, ${seen.colours} colours)`);
  }
  // The check can fail: the tile without a video is blank, and it says so.
  const gone = look(png, boxes.get('gone')!);
  assert.ok(gone.dark > 0.9, `the tile without a video is blank (dark ${gone.dark.toFixed(2)})`);
}

test('with ffmpeg: a poster JPEG beside each video, named in report.json and on the tile; every tile shows a frame', async (t) => {
  const chromium = await chromiumOrSkip(t);
  if (!chromium || !(await ffmpegOrSkip(t))) return;
  const s = await sheet(t, 'ffmpeg');
  assert.equal(await schemaErrors(s.report), undefined);
  assert.deepEqual(s.posters, { written: 3, ffmpegMissing: false, failures: [] });
  assert.deepEqual(s.report.shots.map((x) => x.poster_file), ['videos/dawn.jpg', 'videos/pier.jpg', 'videos/storm.jpg', null]);
  const jpeg = await readFile(path.join(s.outputDir, 'videos', 'dawn.jpg'));
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  const html = await readFile(s.html, 'utf8');
  assert.match(html, /<video src="videos\/dawn\.mp4" poster="videos\/dawn\.jpg"/);
  await assertFramesShown(chromium, s.html);
});

test('posters are made once: another report leaves them; a newer video gets a new one', async (t) => {
  if (!(await ffmpegOrSkip(t))) return;
  const s = await sheet(t, 'ffmpeg');
  const poster = path.join(s.outputDir, 'videos', 'dawn.jpg');
  const first = await readFile(poster);
  const firstTime = (await stat(poster)).mtimeMs;
  assert.deepEqual((await writeReports(s.input)).posters, { written: 0, ffmpegMissing: false, failures: [] });
  assert.equal((await stat(poster)).mtimeMs, firstTime);
  // The video replaced by another (a re-render): its poster follows.
  await writeFile(path.join(s.outputDir, 'videos', 'dawn.mp4'), await renderMp4({ width: 1280, height: 720, duration: 2, fps: 24, audio: false, identity: 'other', label: '99' }));
  await utimes(path.join(s.outputDir, 'videos', 'dawn.mp4'), new Date(), new Date(Date.now() + 5000));
  assert.equal((await writeReports(s.input)).posters?.written, 1);
  assert.notDeepEqual(await readFile(poster), first);
});

test('without ffmpeg: no poster, the browser shows the frame at the offset; every tile still shows a frame', async (t) => {
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  const s = await sheet(t, '/nonexistent/ffmpeg');
  assert.equal(s.posters?.ffmpegMissing, true);
  assert.deepEqual(s.report.shots.map((x) => x.poster_file), [null, null, null, null]);
  assert.match(await readFile(s.html, 'utf8'), /<video src="videos\/dawn\.mp4#t=0\.5" controls/);
  await assertFramesShown(chromium, s.html);
});
