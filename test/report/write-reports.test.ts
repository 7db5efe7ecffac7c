import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import type { Report } from '../../src/core/report/report-model.js';
import { hashFile } from '../../src/io/inspect-outputs.js';
import { writeLockFile } from '../../src/io/write-lock-file.js';
import { lockPathFor } from '../../src/core/lock/lock-model.js';
import { writeReports } from '../../src/io/write-reports.js';
import { EAGER_VIDEOS } from '../../src/core/report/render-html.js';
import type { ReportInput } from '../../src/io/write-reports.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { renderMp4 } from '../../src/emulator/video/render-mp4.js';
import type { PlannedRequest } from '../../src/core/types.js';
import { LedgerScript, plan, sha256 } from './report-fixtures.js';
import { chromiumOrSkip, dumpDom, schemaErrors } from './report-checks.js';

const FIXTURE = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'videos', 'sample.mp4');

/** A project dir with a manifest, and output/demo with real MP4s for the shots that rendered. */
async function project(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const manifestPath = path.join(dir, 'demo.yaml');
  await writeFile(manifestPath, 'name: demo\n');
  const outputDir = path.join(dir, 'output', 'demo');
  return { dir, manifestPath, outputDir };
}

async function putVideo(outputDir: string, shot: string): Promise<{ bytes: number; sha: string; file: string }> {
  const file = `videos/${shot}.mp4`;
  await mkdir(path.join(outputDir, 'videos'), { recursive: true });
  await copyFile(FIXTURE, path.join(outputDir, file));
  return { file, bytes: (await stat(FIXTURE)).size, sha: await hashFile(FIXTURE) };
}

function reportInput(p: { manifestPath: string; outputDir: string }, plans: PlannedRequest[], l: LedgerScript): ReportInput {
  return {
    manifestPath: p.manifestPath, manifestName: 'demo', manifestSha256: sha256('name: demo\n'), outputDir: p.outputDir, plans,
    ledger: foldLedger(l.records), region: 'cn-beijing', baseUrl: 'http://127.0.0.1:9/api/v1', emulator: true, toolVersion: '0.1.0',
    now: new Date('2026-11-21T09:00:00Z'), lockFile: lockPathFor(p.manifestPath),
    // Posters have tests of their own (contact-sheet-frames.test.ts); hundreds here would be slow.
    ffmpeg: false,
  };
}

test('writeReports writes report.json (valid against the schema), report.md and index.html', async (t) => {
  const p = await project(t);
  const a = plan({ id: 'a-shot', prompt: 'first | shot' });
  const b = plan({ id: 'b@seed=2', prompt: '<b>second</b>' });
  const c = plan({ id: 'c', prompt: 'fails' });
  const l = new LedgerScript().runStart([a.shotId, b.shotId, c.shotId]);
  for (const s of [a, b]) l.success(s, await putVideo(p.outputDir, s.shotId));
  l.failure(c, 'InternalError', 'An internal error has occured, please try again later.');
  l.runEnd();
  await mkdir(path.join(p.outputDir, 'requests'), { recursive: true });
  await writeFile(path.join(p.outputDir, 'requests', 'a-shot.json'), '{}');

  const { files } = await writeReports(reportInput(p, [a, b, c], l));
  assert.deepEqual(files.map((f) => path.relative(p.outputDir, f)), ['report.json', 'report.md', 'index.html']);
  const report = JSON.parse(await readFile(path.join(p.outputDir, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(report), undefined);
  assert.deepEqual(report.shots.map((s) => [s.id, s.state, s.file_on_disk]), [['a-shot', 'current', true], ['b@seed=2', 'current', true], ['c', 'failed', false]]);
  assert.equal(report.shots[0]?.request_file, 'requests/a-shot.json');
  assert.equal(report.shots[0]?.sha256, await hashFile(FIXTURE));
  assert.equal(report.shots[2]?.error_code, 'InternalError');
  assert.equal(report.run.emulator, true);
  const leftovers = (await readdir(p.outputDir)).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
});

test("the emulator's own videos play in the browser: silent and with sound, landscape and portrait, their durations", async (t) => {
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  const p = await project(t);
  const specs = [
    { width: 1280, height: 720, duration: 4, fps: 24, audio: false },
    { width: 720, height: 1280, duration: 6, fps: 24, audio: true },
    { width: 1108, height: 830, duration: 5, fps: 30, audio: true },
  ];
  const shots = specs.map((_, i) => plan({ id: `emu-${i}` }));
  const l = new LedgerScript().runStart(shots.map((s) => s.shotId));
  for (const [i, s] of shots.entries()) {
    const file = `videos/${s.shotId}.mp4`;
    await mkdir(path.join(p.outputDir, 'videos'), { recursive: true });
    const bytes = await renderMp4({ ...specs[i]!, identity: s.shotId, label: String(i) });
    await writeFile(path.join(p.outputDir, file), bytes);
    l.success(s, { file, bytes: bytes.length, sha: sha256(bytes) });
  }
  l.runEnd();
  await writeReports(reportInput(p, shots, l));
  const videos = players(await dumpDom(chromium, path.join(p.outputDir, 'index.html')));
  assert.equal(videos.length, 3);
  videos.forEach((v, i) => {
    assert.doesNotMatch(v, /data-error/, v);
    assert.match(v, new RegExp(`data-loaded="${specs[i]!.duration}"`), v);
  });
});

test('the schema rejects a report with a wrong field', async () => {
  const bad = { schema_version: 1, run: {}, shots: [{ id: 1 }] };
  assert.match((await schemaErrors(bad)) ?? '', /must have required property/);
});

test('index.html plays every video in a real headless browser', async (t) => {
  // CI installs Debian's chromium (.ci/run): there, a missing browser fails instead of skipping.
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  const p = await project(t);
  const shots = [plan({ id: 'one' }), plan({ id: 'two@seed=3,size=1280*720' }), plan({ id: 'three (take 2)' })];
  const l = new LedgerScript().runStart(shots.map((s) => s.shotId));
  for (const s of shots) l.success(s, await putVideo(p.outputDir, s.shotId));
  l.runEnd();
  await writeReports(reportInput(p, shots, l));
  const dom = await dumpDom(chromium, path.join(p.outputDir, 'index.html'));
  const videos = dom.match(/<video [^>]*>/g) ?? [];
  assert.equal(videos.length, 3, dom.slice(0, 2000));
  for (const v of videos) {
    assert.doesNotMatch(v, /data-error/, v);
    assert.match(v, /data-loaded="\d/, v);
  }
});

/** A contact sheet of `n` rendered shots (each its own real MP4); returns index.html's path. */
async function sheetOf(t: { after(fn: () => Promise<void>): void }, n: number): Promise<string> {
  const p = await project(t);
  const shots = Array.from({ length: n }, (_, i) => plan({ id: `shot-${String(i).padStart(3, '0')}` }));
  const l = new LedgerScript().runStart(shots.map((s) => s.shotId));
  for (const s of shots) l.success(s, await putVideo(p.outputDir, s.shotId));
  l.runEnd();
  await writeReports(reportInput(p, shots, l));
  return path.join(p.outputDir, 'index.html');
}

const players = (dom: string): string[] => dom.match(/<video [^>]*>/g) ?? [];

test('a 500-shot contact sheet loads lazily: the first players at once, the next as they come near, far ones not at all', async (t) => {
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  // A tall window: the first screen holds the eager players and some lazy ones.
  const opened = players(await dumpDom(chromium, await sheetOf(t, 500), { window: '1280,2400' }));
  assert.equal(opened.length, 500);
  for (const v of opened.slice(0, EAGER_VIDEOS)) assert.match(v, /preload="metadata"[^>]*data-loaded="\d/, v);
  // Lazy players just below the first screen were woken by the observer and loaded.
  const woken = opened.slice(EAGER_VIDEOS).filter((v) => !/data-lazy/.test(v));
  assert.ok(woken.length > 0 && woken.every((v) => /data-loaded="\d/.test(v)), woken.join('\n'));
  // The last cards are far below: nothing fetched for them.
  for (const v of opened.slice(-100)) {
    assert.match(v, /preload="none" data-lazy/, v);
    assert.doesNotMatch(v, /data-loaded|data-error/, v);
  }
});

test('"#all" (the "load every preview" link) loads every player of a long sheet', async (t) => {
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  const html = await sheetOf(t, 3 * EAGER_VIDEOS);
  assert.match(await readFile(html, 'utf8'), /<a href="#all">load every preview<\/a>/);
  const lazyAtFirst = players(await dumpDom(chromium, html)).filter((v) => /data-lazy/.test(v));
  assert.ok(lazyAtFirst.length > 0, 'the sheet is long enough to leave players asleep');
  const all = players(await dumpDom(chromium, html, { hash: '#all' }));
  const notLoaded = all.filter((v) => !/data-loaded="\d/.test(v));
  assert.equal(all.length, 3 * EAGER_VIDEOS);
  assert.deepEqual(notLoaded, [], `${notLoaded.length} players did not load their metadata`);
});

test('the headless-browser check catches a video that does not load', async (t) => {
  // CI installs Debian's chromium (.ci/run): there, a missing browser fails instead of skipping.
  const chromium = await chromiumOrSkip(t);
  if (!chromium) return;
  const p = await project(t);
  const s = plan({ id: 'broken' });
  const l = new LedgerScript().runStart(['broken']);
  await mkdir(path.join(p.outputDir, 'videos'), { recursive: true });
  await writeFile(path.join(p.outputDir, 'videos', 'broken.mp4'), 'not a video');
  l.success(s, { file: 'videos/broken.mp4', bytes: 11, sha: sha256('not a video') });
  await writeReports(reportInput(p, [s], l));
  const dom = await dumpDom(chromium, path.join(p.outputDir, 'index.html'));
  assert.match(dom, /<video [^>]*data-error=/);
  assert.doesNotMatch(dom, /<video [^>]*data-loaded=/);
});

test('the lock file is byte-identical (and untouched) after a no-op re-run', async (t) => {
  const p = await project(t);
  const a = plan({ id: 'a' });
  const b = plan({ id: 'b' });
  const l = new LedgerScript().runStart(['a', 'b']);
  l.success(b, await putVideo(p.outputDir, 'b'));
  l.success(a, { ...(await putVideo(p.outputDir, 'a')), videoUrl: 'https://media.pixverseai.cn/a.mp4' });
  l.runEnd();
  const first = await writeLockFile(lockPathFor(p.manifestPath), [a, b], foldLedger(l.records));
  assert.deepEqual(first, { file: path.join(p.dir, 'demo.lock.yaml'), changed: true });
  const text = await readFile(first.file, 'utf8');
  const mtime = (await stat(first.file)).mtimeMs;
  assert.doesNotMatch(text, new RegExp(p.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute paths');

  // A second run that skips everything appends only run records.
  l.runId = 'run-2';
  l.runStart(['a', 'b']).runEnd();
  const second = await writeLockFile(lockPathFor(p.manifestPath), [a, b], foldLedger(l.records));
  assert.equal(second.changed, false);
  assert.equal(await readFile(first.file, 'utf8'), text);
  assert.equal((await stat(first.file)).mtimeMs, mtime);

  // Changing one shot changes exactly its entry.
  const a2 = plan({ id: 'a', size: '1920*1080' });
  l.runId = 'run-3';
  l.runStart(['a']);
  l.success(a2, { ...(await putVideo(p.outputDir, 'a')), taskId: 'task-new' });
  const third = await writeLockFile(lockPathFor(p.manifestPath), [a2, b], foldLedger(l.records));
  assert.equal(third.changed, true);
  const before = text.split('\n');
  const after = (await readFile(first.file, 'utf8')).split('\n');
  const field = (line: string): string => line.trim().split(':')[0]!;
  assert.deepEqual(before.filter((line) => !after.includes(line)).map(field), ['key', 'task_id', 'url']);
  assert.deepEqual(after.filter((line) => !before.includes(line)).map(field), ['key', 'task_id']);
  assert.ok(after.indexOf('  "b":') > after.indexOf('  "a":'));
});

test('a lock re-indented by hand or a merge tool is still used, and the next write puts it back in canonical form', async (t) => {
  const p = await project(t);
  const a = plan({ id: 'a' });
  const l = new LedgerScript().runStart(['a']);
  l.success(a, await putVideo(p.outputDir, 'a'));
  const lockFile = lockPathFor(p.manifestPath);
  await writeLockFile(lockFile, [a], foldLedger(l.records));
  const canonical = await readFile(lockFile, 'utf8');
  // Same data, other spelling: four-space indent, plain scalars, CRLF.
  const respelled = canonical.replace(/^ {4}/gm, '        ').replace(/^ {2}"a":/m, '    a:').replace(/: "([^"]*)"$/gm, ': $1').replace(/\n/g, '\r\n');
  assert.notEqual(respelled, canonical);
  await writeFile(lockFile, respelled);
  // A fresh clone: no ledger, the video is on disk. The lock alone says the shot is current...
  const { report } = await writeReports(reportInput(p, [a], new LedgerScript()));
  assert.equal(report.shots[0]?.state, 'current');
  // ...and rewriting from an empty ledger keeps the entry, in canonical form again.
  assert.deepEqual(await writeLockFile(lockFile, [a], foldLedger([])), { file: lockFile, changed: true });
  assert.equal(await readFile(lockFile, 'utf8'), canonical);
});

test('with only a committed lock, a report still shows verified videos as current', async (t) => {
  const p = await project(t);
  const a = plan({ id: 'a' });
  const l = new LedgerScript().runStart(['a']);
  l.success(a, await putVideo(p.outputDir, 'a'));
  await writeLockFile(lockPathFor(p.manifestPath), [a], foldLedger(l.records));
  // The ledger is gone (e.g. output/ rebuilt from a cache of videos only).
  const { files } = await writeReports(reportInput(p, [a], new LedgerScript()));
  const report = JSON.parse(await readFile(files[0]!, 'utf8')) as Report;
  assert.equal(report.shots[0]?.state, 'current');
  assert.equal(report.shots[0]?.detail, 'rendered and current (task task-1), verified against the lock');
  assert.equal(await schemaErrors(report), undefined);
});
