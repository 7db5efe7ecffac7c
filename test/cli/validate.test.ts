// `pixverse validate` end to end: the built CLI in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';

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
  it('exits 0 on the demo storyboard', () => {
    const r = pixverse(['validate', 'jobs/storyboard.yaml']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /jobs\/storyboard\.yaml: 10 shots, valid/);
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
    assert.ok(lines.some((l) => /:23:5 error unknown key 'sede' in a shot — hint: did you mean 'seed'\?/.test(l)), r.out);
    assert.match(lines.at(-1)!, /positions\.yaml: 4 errors/);
    noStack(r.out + r.err);
  });

  it('warnings alone do not fail', () => {
    const file = path.join(tmp, 'warn.yaml');
    writeFileSync(file, 'name: warn\nshots:\n  - id: w\n    model: wan2.6-i2v-flash\n    reference_image: https://example.com/a.png\n    fps: 30\n');
    const r = pixverse(['validate', file]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /warning \[shot w\] fps 30 is not sent/);
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
    assert.equal(pixverse(['validate', '--help']).code, 0);
  });
});
