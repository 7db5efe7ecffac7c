import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLedger } from '../../src/core/ledger/fold-ledger.js';
import { buildReport } from '../../src/core/report/report-model.js';
import { EAGER_VIDEOS, renderHtml } from '../../src/core/report/render-html.js';
import { renderMarkdown } from '../../src/core/report/render-markdown.js';
import { escapeHtml, escapeMarkdownCell, relativeHref, truncate } from '../../src/core/report/text-escape.js';
import { LedgerScript, disk, plan, sha256 } from './report-fixtures.js';

for (const [text, max, out] of [
  ['short', 10, 'short'],
  ['line one\nline two', 40, 'line one line two'],
  ['abcdefghij', 5, 'abcd…'],
  ['😀😀😀😀', 3, '😀😀…'],
] as const) {
  test(`truncate(${JSON.stringify(text)}, ${max})`, () => assert.equal(truncate(text, max), out));
}

for (const [text, out] of [
  ['a | b', 'a \\| b'],
  ['<script>', '&lt;script&gt;'],
  ['*bold* _x_ `code` [l](u)', '\\*bold\\* \\_x\\_ \\`code\\` \\[l\\](u)'],
  ['back\\slash|', 'back\\\\slash\\|'],
  ['two\nlines', 'two lines'],
] as const) {
  test(`markdown cell escapes ${JSON.stringify(text)}`, () => assert.equal(escapeMarkdownCell(text), out));
}

test('HTML escaping covers text and attributes', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('relative links encode sweep ids and spaces but keep the folders', () => {
  assert.equal(relativeHref('videos/hero@seed=2,size=720*1280.mp4'), 'videos/hero%40seed%3D2%2Csize%3D720%2A1280.mp4');
  assert.equal(relativeHref('videos/a b (1).mp4'), 'videos/a%20b%20%281%29.mp4');
});

function sample(emulator = true) {
  const ok = plan({ id: 'hero@seed=2', prompt: 'A knight | rides <b>fast</b> ' + 'very '.repeat(60) + 'far' });
  const bad = plan({ id: 'bad', prompt: 'x' });
  const l = new LedgerScript().runStart(['hero@seed=2', 'bad']);
  l.success(ok, { file: 'videos/hero@seed=2.mp4' });
  l.failure(bad, 'DataInspectionFailed', 'Output <data> | may contain inappropriate content.');
  return buildReport({
    manifestPath: 'jobs/demo.yaml', manifestName: 'demo <x>', manifestSha256: sha256('m'), plans: [ok, bad], ledger: foldLedger(l.records),
    region: 'cn-beijing', baseUrl: 'http://127.0.0.1:1/api/v1', emulator, toolVersion: '0.1.0', now: '2026-11-21T09:00:00.000Z',
    disk: disk({ 'videos/hero@seed=2.mp4': { exists: true, bytes: 100 } }, ['requests/hero@seed=2.json', 'snapshots/hero@seed=2.jsonl', 'requests/bad.json', 'snapshots/bad.jsonl']),
  });
}

test('report.md: one row per shot, pipes escaped, long prompts cut, relative video links', () => {
  const md = renderMarkdown(sample());
  const rows = md.split('\n').filter((line) => /^\| \d+ \|/.test(line));
  assert.equal(rows.length, 2);
  // Every row has exactly the header's 11 cells: no unescaped pipe leaked from a prompt or message.
  for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length - 2, 11, row);
  assert.match(rows[0]!, /A knight \\\| rides &lt;b&gt;fast&lt;\/b&gt; very/);
  assert.match(rows[0]!, /…/);
  assert.doesNotMatch(rows[0]!, /far/);
  assert.match(rows[0]!, /\]\(videos\/hero%40seed%3D2\.mp4\)/);
  assert.match(rows[1]!, /DataInspectionFailed: Output &lt;data&gt; \\\| may contain/);
  assert.match(md, /\*\*Not from Model Studio: these tasks ran on the local DashScope emulator/);
  assert.match(md, /## Failures/);
  assert.match(md, /\| Shots \| 2 shots: 1 current, 1 failed \|/);
});

test('report.md links each shot to its evidence (video, request, snapshots) and says where links resolve', () => {
  const md = renderMarkdown(sample());
  const rows = md.split('\n').filter((line) => /^\| \d+ \|/.test(line));
  assert.match(rows[0]!, /\[hero@seed=2\.mp4\]\(videos\/hero%40seed%3D2\.mp4\) · \[request\]\(requests\/hero%40seed%3D2\.json\) · \[snapshots\]\(snapshots\/hero%40seed%3D2\.jsonl\)/);
  // A failed shot has no video but its request and task responses are evidence too.
  assert.match(rows[1]!, /\| \[request\]\(requests\/bad\.json\) · \[snapshots\]\(snapshots\/bad\.jsonl\) \|/);
  assert.match(md, /^> Links are relative to this file's folder .* In a pull request that does not commit the output folder they do not resolve/m);
});

test('index.html links each shot to its request and snapshots', () => {
  const html = renderHtml(sample());
  assert.match(html, /<a href="requests\/hero%40seed%3D2\.json">request<\/a> · <a href="snapshots\/hero%40seed%3D2\.jsonl">snapshots<\/a>/);
  assert.match(html, /<a href="requests\/bad\.json">request<\/a>/);
});

test('index.html: only the first players fetch metadata on open; a long sheet offers "load every preview"', () => {
  const shots = Array.from({ length: EAGER_VIDEOS + 3 }, (_, i) => plan({ id: `s${i}` }));
  const l = new LedgerScript().runStart(shots.map((p) => p.shotId));
  for (const p of shots) l.success(p);
  const report = buildReport({
    manifestPath: 'jobs/demo.yaml', manifestName: 'demo', manifestSha256: sha256('m'), plans: shots, ledger: foldLedger(l.records),
    region: 'cn-beijing', baseUrl: 'http://127.0.0.1:1/api/v1', emulator: false, toolVersion: '0.1.0', now: '2026-11-21T09:00:00.000Z',
    disk: disk(Object.fromEntries(shots.map((p) => [`videos/${p.shotId}.mp4`, { exists: true, bytes: 100 }]))),
  });
  const videos = renderHtml(report).match(/<video [^>]*>/g) ?? [];
  assert.equal(videos.length, EAGER_VIDEOS + 3);
  assert.equal(videos.filter((v) => v.includes('preload="metadata"')).length, EAGER_VIDEOS);
  assert.ok(videos.slice(EAGER_VIDEOS).every((v) => v.includes('preload="none" data-lazy')));
  assert.match(renderHtml(report), /<a href="#all">load every preview<\/a>/);
  assert.doesNotMatch(renderHtml(sample()), /load every preview/, 'not on a short sheet');
});

test('report.md of a real run has no emulator banner', () => {
  assert.doesNotMatch(renderMarkdown(sample(false)), /Not from Model Studio/);
});

test('index.html: escaped, relative sources, no external resources, shot order', () => {
  const html = renderHtml(sample());
  assert.doesNotMatch(html, /<b>fast/);
  assert.match(html, /&lt;b&gt;fast&lt;\/b&gt;/);
  assert.match(html, /<title>demo &lt;x&gt;: contact sheet<\/title>/);
  assert.match(html, /<video src="videos\/hero%40seed%3D2\.mp4#t=0\.5" controls/, 'no poster on disk: the frame at the offset');
  assert.equal((html.match(/<video /g) ?? []).length, 1, 'a shot without a video file gets a placeholder, not a broken player');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.doesNotMatch(html, /<link|@import|url\(/);
  assert.ok(html.indexOf('id="shot-hero@seed=2"') < html.indexOf('id="shot-bad"'));
  assert.match(html, /Not from Model Studio/);
  assert.match(html, /data-loaded/);
});
