// `pixverse plan` end to end: request files on disk, totals, JSON, no network.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pixverse-cli-plan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function pixverse(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    // A key in the environment must not leak into any output or file.
    env: { PATH: process.env['PATH'] ?? '', HOME: tmp, DASHSCOPE_API_KEY: 'sk-test-secret-123', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('pixverse plan', () => {
  const out = path.join(tmp, 'out');
  const first = pixverse(['plan', 'jobs/storyboard.yaml'], { OUTPUT_DIR: out });
  const planDir = path.join(out, 'storyboard', 'plan');

  it('writes one request file per shot under OUTPUT_DIR/<name>/plan', () => {
    assert.equal(first.code, 0, first.out + first.err);
    const files = readdirSync(planDir).sort();
    assert.equal(files.length, 10);
    assert.ok(files.includes('opening@seed=11.json'));
    assert.ok(files.includes('title-card@size=720x1280.json'));
  });

  it('each file holds the endpoint and the exact body with pinned defaults', () => {
    const wan = JSON.parse(readFileSync(path.join(planDir, 'wan-night.json'), 'utf8'));
    assert.equal(wan.url, 'https://dashscope.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis');
    assert.equal(wan.body.input.img_url, 'local:media/harbor-night.jpg');
    assert.deepEqual(Object.keys(wan.body.parameters), ['resolution', 'duration', 'prompt_extend', 'shot_type', 'audio', 'watermark', 'seed']);
    assert.equal(wan.seedDerived, true);
    assert.match(wan.localMedia[0].sha256, /^[0-9a-f]{64}$/);
    assert.match(wan.key, /^[0-9a-f]{64}$/);
  });

  it('prints a table with totals and the example prices', () => {
    assert.match(first.out, /10 shots, 38 billable seconds \(540P 8s, 720P 30s\)/);
    assert.match(first.out, /estimated cost: 15\.90 CNY/);
    assert.match(first.out, /keeper-lantern\s+pixverse-c1-r2v\s+1024\*576/);
  });

  it('is reproducible: a second plan writes identical files', () => {
    const before = readFileSync(path.join(planDir, 'keeper-lantern.json'), 'utf8');
    const again = pixverse(['plan', 'jobs/storyboard.yaml'], { OUTPUT_DIR: out });
    assert.equal(again.code, 0);
    assert.equal(readFileSync(path.join(planDir, 'keeper-lantern.json'), 'utf8'), before);
  });

  it('never writes or prints the API key', () => {
    for (const f of readdirSync(planDir)) assert.equal(readFileSync(path.join(planDir, f), 'utf8').includes('sk-test-secret-123'), false);
    assert.equal((first.out + first.err).includes('sk-test-secret-123'), false);
  });

  it('--json prints the plan as data', () => {
    const r = pixverse(['plan', '--json', 'jobs/storyboard.yaml'], { OUTPUT_DIR: path.join(tmp, 'json') });
    assert.equal(r.code, 0, r.err);
    const data = JSON.parse(r.out) as { plans: { shotId: string; body: { model: string } }[]; summary: { billableSeconds: number } };
    assert.equal(data.plans.length, 10);
    assert.equal(data.summary.billableSeconds, 38);
  });

  it('--output-dir wins over OUTPUT_DIR', () => {
    const flagDir = path.join(tmp, 'flag');
    const r = pixverse(['plan', '--output-dir', flagDir, 'jobs/storyboard.yaml'], { OUTPUT_DIR: path.join(tmp, 'env') });
    assert.equal(r.code, 0, r.err);
    assert.equal(readdirSync(path.join(flagDir, 'storyboard', 'plan')).length, 10);
  });

  it('an invalid manifest exits 2, prints its issues and writes nothing', () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nshots:\n  - id: a\n    model: pixverse/pixverse-v6-t2v\n    prompt: x\n    size: 1280*720\n    duration: 99\n');
    const r = pixverse(['plan', bad], { OUTPUT_DIR: path.join(tmp, 'bad-out') });
    assert.equal(r.code, 2);
    assert.match(r.out, /bad\.yaml:7:15 error \[shot a\] duration 99 is out of range/);
    assert.throws(() => readdirSync(path.join(tmp, 'bad-out')));
  });
});
