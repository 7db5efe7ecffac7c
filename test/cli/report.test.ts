import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { run as report } from '../../src/cli/commands/report.js';
import type { Report } from '../../src/core/report/report-model.js';
import { schemaErrors } from '../report/report-checks.js';
import { createProject, manifestYaml, runRecords } from '../report/project-kit.js';

test('pixverse report regenerates the three files from the ledger', async (t) => {
  const p = await createProject(t, manifestYaml([{ id: 'b', prompt: 'pipe | in prompt' }, { id: 'a' }]));
  const [b, a] = await p.plans();
  await p.appendLedger(runRecords('run-1', [{ plan: a!, outcome: 'success', video: await p.putVideo('a') }, { plan: b!, outcome: 'fail' }]));
  const io = p.io();
  assert.equal(await report(['demo.yaml'], io), 0, io.stderr.join('\n'));
  assert.match(io.stdout.join('\n'), /demo\.yaml: 2 shots — 1 current, 0 stale, 0 running, 1 failed/);
  for (const name of ['report.json', 'report.md', 'index.html']) {
    assert.ok((await stat(path.join(p.outputDir, name))).size > 0, name);
    assert.match(io.stdout.join('\n'), new RegExp(`wrote output/demo/${name.replace('.', '\\.')}`));
  }
  const r = JSON.parse(await readFile(path.join(p.outputDir, 'report.json'), 'utf8')) as Report;
  assert.equal(await schemaErrors(r), undefined);
  assert.deepEqual(r.shots.map((s) => [s.id, s.state]), [['b', 'failed'], ['a', 'current']], 'manifest order');
  assert.equal(r.run.manifest, 'demo.yaml');
  assert.equal(r.run.emulator, true, 'taken from the run record');
  assert.equal(r.run.run_id, 'run-1');
  const md = await readFile(path.join(p.outputDir, 'report.md'), 'utf8');
  assert.match(md, /pipe \\\| in prompt/);
  assert.match(md, /\[a\.mp4\]\(videos\/a\.mp4\)/);
});

test('pixverse report --json prints the report itself', async (t) => {
  const p = await createProject(t, manifestYaml([{ id: 'a' }]));
  const io = p.io();
  assert.equal(await report(['demo.yaml', '--json'], io), 0);
  const r = JSON.parse(io.stdout.join('\n')) as Report;
  assert.equal(await schemaErrors(r), undefined);
  assert.equal(r.shots[0]?.state, 'never-rendered');
  assert.equal(r.run.emulator, false);
});

test('pixverse report honours --output-dir', async (t) => {
  const p = await createProject(t, manifestYaml([{ id: 'a' }]));
  const io = p.io();
  assert.equal(await report(['demo.yaml', '--output-dir', 'elsewhere'], io), 0);
  assert.ok((await stat(path.join(p.dir, 'elsewhere', 'demo', 'report.json'))).isFile());
});
