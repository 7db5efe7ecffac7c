// `pixverse validate` end to end: the built CLI in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { formatIssues } from '../../src/cli/format-issues.js';
import type { Issue } from '../../src/core/types.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pixverse-cli-validate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function pixverse(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: tmp, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => assert.equal(/\n\s+at .+:\d+:\d+\)?/.test(s), false, `stack trace in:\n${s}`);

describe('pixverse validate', () => {
  it('exits 0 on the demo storyboard, with its one grouped warning', () => {
    const r = pixverse(['validate', 'jobs/storyboard.yaml']);
    assert.equal(r.code, 0, r.out + r.err);
    const lines = r.out.trim().split('\n');
    // PixVerse shots with local images: one warning each, printed once for the three shots.
    assert.equal(lines.length, 2, r.out);
    assert.match(
      lines[0]!,
      /^jobs\/storyboard\.yaml:37:14 warning \[shot lighthouse-rise\] local image files are uploaded and sent as temporary oss:\/\/ URLs, but the PixVerse API docs document only public HTTP\(S\) image URLs \(also dawn-to-night, keeper-lantern\) — hint: .*public https URL/,
    );
    assert.equal(lines[1], 'jobs/storyboard.yaml: 10 shots, valid (3 warnings)');
  });

  it('groups a warning repeated in many shots, but never errors', () => {
    const file = path.join(tmp, 'many.yaml');
    const shot = (id: string, url: string) => `  - id: ${id}\n    model: pixverse/pixverse-v6-it2v\n    media: [{type: image_url, url: "${url}"}]\n    resolution: 720P\n    duration: 5\n`;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    writeFileSync(file, 'name: many\nshots:\n' + ids.map((id) => shot(id, `oss://dashscope-instant/k/${id}.png`)).join('') + shot('g', 'oss://x/g.png').replace('duration: 5', 'duration: 99'));
    const r = pixverse(['validate', file]);
    assert.equal(r.code, 2, r.out);
    const warnings = r.out.split('\n').filter((l) => l.includes(' warning '));
    assert.equal(warnings.length, 1, r.out);
    assert.match(warnings[0]!, /:5:36 warning \[shot a\] oss:\/\/ image URLs are given, but the PixVerse API docs .* \(also b, c, d and 3 more shots\)/);
    assert.match(r.out, /:37:15 error \[shot g\] duration 99 is out of range/);
    assert.match(r.out, /many\.yaml: 1 error, 7 warnings/);
    const json = JSON.parse(pixverse(['validate', '--json', file]).out) as { manifests: { issues: { code: string; shot: string }[] }[] };
    const listed = json.manifests[0]!.issues.filter((i) => i.code === 'media-source-undocumented').map((i) => i.shot);
    assert.deepEqual(listed, [...ids, 'g'], '--json keeps every occurrence');
  });

  it('reports a URL the server would answer with 400 InvalidURL at its line, and a disputed rule as a warning naming both pages', () => {
    const file = path.join(tmp, 'urls.yaml');
    writeFileSync(
      file,
      [
        'name: urls',
        'shots:',
        '  - id: ftp',
        '    model: pixverse/pixverse-c1-it2v',
        '    media: [{type: image_url, url: "ftp://example.com/a.png"}]',
        '    resolution: 720P',
        '    duration: 5',
        '  - id: disputed',
        '    model: pixverse/pixverse-v5.6-it2v',
        '    media: [{type: image_url, url: "https://example.com/a.png"}]',
        '    resolution: 1080P',
        '    duration: 5',
        '',
      ].join('\n'),
    );
    const r = pixverse(['validate', file]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.out, /urls\.yaml:5:36 error \[shot ftp\] pixverse\/pixverse-c1-it2v does not take the URL 'ftp:\/\/example\.com\/a\.png': the server answers 400 InvalidURL .* — hint: use an https URL/);
    assert.match(r.out, /urls\.yaml:11:17 warning \[shot disputed\] resolution 1080P on pixverse\/pixverse-v5\.6-it2v is disputed by the official pages: help\.aliyun\.com .*; platform\.qianwenai\.com .* — hint: sent as written; if the server refuses it .*resolution: 720P/);
    noStack(r.out + r.err);
  });

  it('exits 2 and prints every issue like a compiler', () => {
    const r = pixverse(['validate', 'test/fixtures/manifests/positions.yaml']);
    assert.equal(r.code, 2);
    const lines = r.out.trim().split('\n');
    assert.ok(
      lines.includes(
        'test/fixtures/manifests/positions.yaml:10:15 error [shot hero] duration 12 is not allowed for pixverse/pixverse-v5.6-t2v at 1080P (allowed: 5, 8) — hint: use duration 5 or 8, or a lower size',
      ),
      r.out,
    );
    assert.ok(lines.some((l) => l.startsWith('test/fixtures/manifests/positions.yaml:18:19 error [shot sweep@duration=16]')), r.out);
    assert.ok(lines.includes("test/fixtures/manifests/positions.yaml:23:5 error [shot typo] unknown key 'sede' in a shot — hint: did you mean 'seed'?"), r.out);
    assert.ok(lines.includes('test/fixtures/manifests/positions.yaml:11:5 error [shot nosize] pixverse/pixverse-v6-t2v needs size — hint: add size: W*H, e.g. 1280*720, 1108*832, 960*960, 832*1108, 720*1280, 1200*800, 800*1200, 1280*560 (720P)'), r.out);
    assert.match(lines.at(-1)!, /positions\.yaml: 4 errors/);
    noStack(r.out + r.err);
  });

  it('warnings alone do not fail', () => {
    const file = path.join(tmp, 'warn.yaml');
    writeFileSync(file, 'name: warn\nshots:\n  - id: w\n    model: wan2.6-i2v-flash\n    reference_image: https://example.com/a.png\n    fps: 24\n');
    const r = pixverse(['validate', file]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /warning \[shot w\] fps 24 is not sent/);
    assert.match(r.out, /1 shot, valid \(1 warning\)/);
  });

  it('reports YAML failures without a stack trace', () => {
    for (const name of ['syntax-error.yaml', 'duplicate-keys.yaml', 'alias-bomb.yaml']) {
      const r = pixverse(['validate', `test/fixtures/manifests/${name}`]);
      assert.equal(r.code, 2, name);
      assert.match(r.out, new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+ error`));
      noStack(r.out + r.err);
    }
  });

  it('refuses an oversized file', () => {
    const file = path.join(tmp, 'huge.yaml');
    writeFileSync(file, 'name: huge\nshots: []\n' + `# ${'x'.repeat(100)}\n`.repeat(60000));
    const r = pixverse(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.out, /manifests are limited to 5 MB/);
  });

  it('checks several manifests at once and fails if any fails', () => {
    const r = pixverse(['validate', 'jobs/storyboard.yaml', 'test/fixtures/manifests/duplicate-keys.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.out, /storyboard\.yaml: 10 shots, valid/);
    assert.match(r.out, /duplicate-keys\.yaml: 1 error/);
  });

  it('--json output has exactly the documented shape, and --help documents every field', () => {
    const help = pixverse(['validate', '--help']).out;
    const documented = new Set([...help.slice(help.indexOf('JSON output')).matchAll(/"(\w+)"/g)].map((m) => m[1]!));
    const r = pixverse(['validate', '--json', 'test/fixtures/manifests/positions-media.yaml', 'test/fixtures/manifests/duplicate-keys.yaml']);
    assert.equal(r.code, 2);
    const data = JSON.parse(r.out) as { manifests: Array<Record<string, unknown> & { issues: Array<Record<string, unknown>> }> };
    assert.deepEqual(Object.keys(data), ['valid', 'manifests']);
    const seen = new Set<string>(Object.keys(data));
    for (const m of data.manifests) {
      assert.deepEqual(Object.keys(m), ['file', 'name', 'region', 'shots', 'valid', 'errors', 'warnings', 'issues']);
      for (const issue of m.issues) {
        assert.deepEqual(Object.keys(issue).slice(0, 3), ['severity', 'code', 'message']);
        for (const k of Object.keys(issue)) seen.add(k);
        for (const k of Object.keys((issue['pos'] as object | undefined) ?? {})) seen.add(k);
        for (const rel of (issue['related'] as object[] | undefined) ?? []) for (const k of Object.keys(rel)) seen.add(k);
      }
      for (const k of Object.keys(m)) seen.add(k);
    }
    for (const k of ['shot', 'pointer', 'pos', 'hint', 'line', 'col']) assert.ok(seen.has(k), `the fixtures exercise ${k}`);
    for (const k of seen) assert.ok(documented.has(k), `--json field "${k}" is not documented in validate --help`);
  });

  it('--json prints the issues as data', () => {
    const r = pixverse(['validate', '--json', 'test/fixtures/manifests/positions.yaml']);
    assert.equal(r.code, 2);
    const data = JSON.parse(r.out) as { valid: boolean; manifests: { errors: number; issues: { code: string; pos: { line: number; col: number }; shot?: string }[] }[] };
    assert.equal(data.valid, false);
    assert.equal(data.manifests[0]!.errors, 4);
    const issue = data.manifests[0]!.issues.find((i) => i.shot === 'hero')!;
    assert.deepEqual([issue.code, issue.pos.line, issue.pos.col], ['duration-not-allowed', 10, 15]);
  });

  it('checks the region from the environment', () => {
    const r = pixverse(['validate', 'jobs/storyboard.yaml'], { PIXVERSE_REGION: 'ap-southeast-1' });
    assert.equal(r.code, 2);
    assert.match(r.out, /is not available in ap-southeast-1/);
  });

  it('a broken config exits 3 with a clear message', () => {
    const dir = path.join(tmp, 'badcfg');
    writeFileSync(path.join(tmp, 'package.json'), '{}');
    const manifest = path.join(tmp, 'ok.yaml');
    writeFileSync(manifest, 'name: ok\nshots:\n  - id: a\n    model: wan2.6-i2v-flash\n    reference_image: https://example.com/a.png\n');
    writeFileSync(path.join(tmp, 'pixverse.config.mjs'), "export default { region: 'mars-1' };\n");
    const r = pixverse(['validate', manifest]);
    rmSync(path.join(tmp, 'pixverse.config.mjs'));
    assert.equal(r.code, 3, r.out + r.err + dir);
    assert.match(r.err, /region "mars-1"/);
    noStack(r.err);
  });

  it('usage errors exit 2', () => {
    assert.equal(pixverse(['validate']).code, 2);
    assert.equal(pixverse(['validate', '--bogus', 'x.yaml']).code, 2);
    const help = pixverse(['validate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /<file>:<line>:<col> <error\|warning> \[shot <id>\]/);
  });
});

describe('formatIssues', () => {
  const w = (shot: string, message = 'same words', extra: Partial<Issue> = {}): Issue => ({ severity: 'warning', code: 'c', message, hint: 'h', shot, ...extra });
  it('prints a repeated warning once with the other shots, keeps errors and different warnings apart', () => {
    const lines = formatIssues([
      w('a', 'same words', { pos: { file: 'f.yaml', line: 3, col: 5 } }),
      { severity: 'error', code: 'c', message: 'same words', hint: 'h', shot: 'b' },
      { severity: 'error', code: 'c', message: 'same words', hint: 'h', shot: 'c' },
      w('b'),
      w('c', 'other words'),
      w('d', 'same words', { alsoIn: ['e', 'b'] }),
      { severity: 'warning', code: 'c', message: 'same words', hint: 'h' },
    ]);
    assert.deepEqual(lines, [
      'f.yaml:3:5 warning [shot a] same words (also b, d, e) — hint: h',
      'error [shot b] same words — hint: h',
      'error [shot c] same words — hint: h',
      'warning [shot c] other words — hint: h',
      'warning same words — hint: h',
    ]);
  });
});
