// Reading manifests from disk: positions of issues, YAML failures, size guard, local media.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { hasErrors, loadManifest, planManifest } from '../../src/io/read-manifest.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { Issue } from '../../src/core/types.js';
import { bmpHeader, gifHeader, jpegHeader, pngHeader } from '../helpers/image-bytes.js';

const FIXTURES = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'manifests');
const fixture = (name: string) => path.join(FIXTURES, name);
const at = (i: Issue | undefined) => (i?.pos ? `${i.pos.line}:${i.pos.col}` : 'no position');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pixverse-read-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function byCode(issues: Issue[], code: string, shot?: string): Issue {
  const found = issues.find((i) => i.code === code && (shot === undefined || i.shot === shot));
  assert.ok(found, `no ${code}${shot ? ` for ${shot}` : ''} in:\n${issues.map((i) => `${at(i)} ${i.code} ${i.shot ?? ''} ${i.message}`).join('\n')}`);
  return found;
}

describe('issue positions', async () => {
  const loaded = await loadManifest(fixture('positions.yaml'), { displayPath: 'positions.yaml' });

  it('a bad value points at the value', () => {
    const i = byCode(loaded.issues, 'duration-not-allowed', 'hero');
    assert.equal(at(i), '10:15');
    assert.equal(i.pos?.file, 'positions.yaml');
  });
  it('a missing required field points at the shot', () => {
    assert.equal(at(byCode(loaded.issues, 'size-missing', 'nosize')), '11:5');
  });
  it('a sweep-expanded shot points at its sweep value', () => {
    const i = byCode(loaded.issues, 'duration-not-allowed', 'sweep@duration=16');
    assert.equal(at(i), '18:19');
  });
  it('an unknown key points at the key', () => {
    assert.equal(at(byCode(loaded.issues, 'unknown-key')), '23:5');
  });
  it('issues come in file order', () => {
    const lines = loaded.issues.map((i) => i.pos?.line ?? 0);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });
});

describe('issue positions in media items, defaults and the top level', async () => {
  const loaded = await loadManifest(fixture('positions-media.yaml'), { displayPath: 'positions-media.yaml' });
  const where = (code: string, shot?: string) => at(byCode(loaded.issues, code, shot));

  it('an unknown top-level key points at the key and names no shot', () => {
    const i = byCode(loaded.issues, 'unknown-key');
    assert.equal(at(i), '3:1');
    assert.equal(i.shot, undefined);
  });
  it('an unknown key in a media item points at the key and names the shot', () => {
    const i = byCode(loaded.issues, 'unknown-key', 'frames');
    assert.equal(at(i), '13:9');
    assert.match(i.message, /'ref' in a media item/);
    assert.match(i.hint ?? '', /'ref_name'/);
  });
  it('a value from defaults points at the default, for each shot that uses it', () => {
    assert.equal(where('duration-not-allowed', 'frames'), '5:13');
    assert.equal(where('duration-not-allowed', 'refs'), '5:13');
    assert.equal(where('resolution-not-accepted', 'refs'), '6:15');
    assert.equal(loaded.issues.some((i) => i.code === 'duration-not-allowed' && i.shot === 'local'), false, 'local sets its own duration');
  });
  it('a media type points at the type value', () => {
    assert.equal(where('media-type-not-allowed', 'frames'), '11:15');
  });
  it('a duplicate ref_name points at the second one, inside a flow mapping', () => {
    assert.equal(where('ref-name-duplicate', 'refs'), '20:69');
  });
  it('a missing local file and the PixVerse source warning point at the url', () => {
    assert.equal(where('media-not-found', 'local'), '29:14');
    const w = byCode(loaded.issues, 'media-source-undocumented', 'local');
    assert.equal(at(w), '29:14');
    assert.equal(w.severity, 'warning');
  });
});

describe('YAML failures', () => {
  it('a syntax error has a position and no data', async () => {
    const loaded = await loadManifest(fixture('syntax-error.yaml'));
    assert.equal(loaded.issues[0]?.code, 'yaml-syntax');
    assert.equal(at(loaded.issues[0]), '6:5'); // where the parser finds the list unclosed
    assert.equal(loaded.shots.length, 0);
  });
  it('a duplicate key points at the second key', async () => {
    const loaded = await loadManifest(fixture('duplicate-keys.yaml'));
    const i = byCode(loaded.issues, 'duplicate-key');
    assert.equal(at(i), '6:5');
    assert.match(i.message, /'prompt'/);
  });
  it('an alias bomb is refused', async () => {
    const loaded = await loadManifest(fixture('alias-bomb.yaml'));
    assert.deepEqual(loaded.issues.map((i) => i.code), ['alias-bomb']);
  });
  it('merge keys and x- anchors are allowed', async () => {
    const loaded = await loadManifest(fixture('merge-keys.yaml'));
    assert.deepEqual(loaded.issues, []);
    assert.equal(loaded.shots[0]?.model, 'pixverse/pixverse-v6-t2v');
  });
  it('an oversized file is refused before reading', async () => {
    const big = path.join(tmp, 'big.yaml');
    writeFileSync(big, `name: big\nshots: []\n# ${'x'.repeat(2048)}\n`);
    const loaded = await loadManifest(big, { maxBytes: 1024 });
    assert.deepEqual(loaded.issues.map((i) => i.code), ['file-too-large']);
  });
  it('a missing file is an issue, not an exception', async () => {
    const loaded = await loadManifest(path.join(tmp, 'nope.yaml'));
    assert.deepEqual(loaded.issues.map((i) => i.code), ['file-not-found']);
  });
  it('an empty file is an issue', async () => {
    const empty = path.join(tmp, 'empty.yaml');
    writeFileSync(empty, '# nothing\n');
    const loaded = await loadManifest(empty);
    assert.deepEqual(loaded.issues.map((i) => i.code), ['empty-manifest']);
  });
});

describe('examples', () => {
  it('jobs/storyboard.yaml is valid and uses every variant', async () => {
    const loaded = await loadManifest(path.join(PACKAGE_ROOT, 'jobs', 'storyboard.yaml'));
    // Its only warnings: PixVerse shots with local images (PixVerse documents public URLs only).
    assert.deepEqual(
      loaded.issues.map((i) => [i.severity, i.code, i.shot]),
      ['lighthouse-rise', 'dawn-to-night', 'keeper-lantern'].map((shot) => ['warning', 'media-source-undocumented', shot]),
    );
    const models = new Set(loaded.shots.map((s) => s.model.replace(/^.*-(\w+)$/, '$1')));
    for (const v of ['t2v', 'it2v', 'kf2v', 'r2v']) assert.ok(models.has(v), v);
    assert.ok(loaded.shots.some((s) => s.model === 'wan2.6-i2v-flash'));
    assert.ok(loaded.shots.some((s) => s.id.includes('@')), 'has a sweep');
    assert.ok(loaded.shots.length >= 8 && loaded.shots.length <= 12);
    assert.ok([...loaded.localFiles.values()].every((f) => f.exists && f.sha256));
  });
  it('the fixture sweep is valid', async () => {
    const loaded = await loadManifest(fixture('valid-sweep.yaml'));
    assert.deepEqual(loaded.issues, []);
    assert.equal(loaded.shots.length, 9);
  });
});

describe('local media on disk', async () => {
  const dir = path.join(tmp, 'media-case');
  mkdirSync(path.join(dir, 'img'), { recursive: true });
  writeFileSync(path.join(dir, 'img', 'ok.png'), pngHeader(800, 600));
  writeFileSync(path.join(dir, 'img', 'disguised.png'), gifHeader(800, 600));
  writeFileSync(path.join(dir, 'img', 'huge.jpg'), jpegHeader(12000, 800));
  writeFileSync(path.join(dir, 'img', 'small.bmp'), bmpHeader(200, 300));
  // wan2.6 takes at most 20 MB: a valid header padded one byte past the limit.
  const png = pngHeader(800, 600);
  writeFileSync(path.join(dir, 'img', 'heavy.png'), Buffer.concat([png, Buffer.alloc(20 * 1024 * 1024 + 1 - png.length)]));
  const shot = (id: string, url: string, model = 'pixverse/pixverse-c1-it2v') =>
    model.startsWith('wan') ? `  - id: ${id}\n    model: ${model}\n    reference_image: ${url}\n` : `  - id: ${id}\n    model: ${model}\n    media: [{type: image_url, url: ${url}}]\n    resolution: 720P\n    duration: 5\n`;
  writeFileSync(
    path.join(dir, 'm.yaml'),
    'name: media\nshots:\n' +
      shot('ok', 'img/ok.png') +
      shot('again', './img/ok.png') +
      shot('missing', 'img/missing.png') +
      shot('disguised', 'img/disguised.png') +
      shot('huge', 'img/huge.jpg') +
      shot('small', 'img/small.bmp', 'wan2.6-i2v-flash') +
      shot('heavy', 'img/heavy.png', 'wan2.6-i2v-flash'),
  );
  const loaded = await loadManifest(path.join(dir, 'm.yaml'));

  it('checks existence, magic bytes and pixel size', () => {
    const codes = Object.fromEntries(loaded.issues.filter((i) => i.severity === 'error').map((i) => [i.shot, i.code]));
    assert.deepEqual(codes, { missing: 'media-not-found', disguised: 'media-format', huge: 'media-dimensions', small: 'media-dimensions', heavy: 'media-too-large' });
    assert.match(byCode(loaded.issues, 'media-too-large', 'heavy').message, /img\/heavy\.png is 20971521 bytes; wan2\.6-i2v-flash accepts images up to 20971520 bytes \(20\.0 MB\)/);
    assert.match(byCode(loaded.issues, 'media-format', 'disguised').message, /img\/disguised\.png is a GIF image/);
    assert.match(byCode(loaded.issues, 'media-dimensions', 'huge').message, /12000×800 px; .* at most 10000 px per side/);
    assert.match(byCode(loaded.issues, 'media-dimensions', 'small').message, /200×300 px; wan2\.6-i2v-flash needs at least 240 px per side/);
    // Every PixVerse shot here uses a local file: one warning each; the Wan shot none.
    const warned = loaded.issues.filter((i) => i.code === 'media-source-undocumented').map((i) => i.shot);
    assert.deepEqual(warned, ['ok', 'again', 'missing', 'disguised', 'huge']);
  });
  it('hashes each file once and keys facts by the url as written', () => {
    const a = loaded.localFiles.get('img/ok.png');
    const b = loaded.localFiles.get('./img/ok.png');
    assert.equal(a?.sha256, b?.sha256);
    assert.equal(a?.width, 800);
    assert.equal(b?.manifestPath, './img/ok.png');
  });
  it('plans nothing while there are errors', async () => {
    const config = resolveConfig(undefined, { env: {}, cwd: tmp });
    const plan = await planManifest(path.join(dir, 'm.yaml'), config);
    assert.equal(hasErrors(plan.issues), true);
    assert.deepEqual(plan.plans, []);
  });
});

describe('planManifest', () => {
  it('plans the storyboard with local media hashed and the output dir from config', async () => {
    const config = resolveConfig({ outputDir: 'out' }, { env: {}, cwd: tmp, configFile: path.join(tmp, 'pixverse.config.ts') });
    const plan = await planManifest(path.join(PACKAGE_ROOT, 'jobs', 'storyboard.yaml'), config);
    assert.equal(plan.outputDir, path.join(tmp, 'out', 'storyboard'));
    assert.equal(plan.plans.length, plan.loaded.shots.length);
    const kf = plan.plans.find((p) => p.shotId === 'dawn-to-night')!;
    assert.deepEqual(kf.localMedia.map((m) => m.bodyPointer), ['/input/media/0/url', '/input/media/1/url']);
    assert.match(kf.localMedia[0]!.sha256, /^[0-9a-f]{64}$/);
    const again = await planManifest(path.join(PACKAGE_ROOT, 'jobs', 'storyboard.yaml'), config);
    assert.deepEqual(again.plans.map((p) => p.key), plan.plans.map((p) => p.key));
  });
  it('checks models against the configured region', async () => {
    const config = resolveConfig({ region: 'ap-southeast-1' }, { env: {}, cwd: tmp });
    const plan = await planManifest(path.join(PACKAGE_ROOT, 'jobs', 'storyboard.yaml'), config);
    assert.ok(plan.issues.some((i) => i.code === 'region-not-hosted'));
    assert.equal(plan.issues.some((i) => i.code === 'region-not-hosted' && i.shot?.startsWith('wan')), false);
  });
});

describe('manifest name', () => {
  it('is an error at its position when it cannot be a directory name, not a silent fallback', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pixverse-name-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'spring.yaml');
    writeFileSync(file, 'name: ../spring batch\nshots:\n  - id: a\n    model: pixverse/pixverse-v6-t2v\n    prompt: x\n    size: 1280*720\n    duration: 5\n');
    const loaded = await loadManifest(file);
    const issue = loaded.issues.find((i) => i.code === 'unsafe-name');
    assert.ok(issue, JSON.stringify(loaded.issues));
    assert.equal(issue.severity, 'error');
    assert.deepEqual([issue.pos?.line, issue.pos?.col], [1, 7]);
    assert.match(issue.message, /starts with '\.'/);
    assert.match(issue.hint ?? '', /name: spring/);
    assert.ok(hasErrors(loaded.issues));
  });
});
