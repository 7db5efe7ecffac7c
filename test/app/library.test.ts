// The library surface (`import { plan, run } from 'pixverse-batch'`), and the rule that renders
// made on the in-process emulator never stand in for real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plan, run, startEmulator } from '../../src/index.js';
import type { RunEvent } from '../../src/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

async function copyOfJobs(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-lib-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(path.join(PACKAGE_ROOT, 'jobs'), path.join(dir, 'jobs'), { recursive: true, filter: (src) => !src.endsWith('.lock.yaml') });
  return dir;
}

test('plan: every storyboard shot planned and, with nothing rendered yet, to be submitted as new', async (t) => {
  const dir = await copyOfJobs(t);
  const { planned, decisions } = await plan('jobs/storyboard.yaml', { cwd: dir, env: {}, outputDir: 'output' });
  assert.equal(planned.plans.length, 10);
  assert.deepEqual(new Set(decisions.map((d) => `${d.action}:${d.reasonCode}`)), new Set(['submit:new']));
  await assert.rejects(stat(path.join(dir, 'output')), { code: 'ENOENT' }, 'the library plan writes nothing');
});

test('run on the emulator, then for real: emulator renders are kept apart and never skip a real render', async (t) => {
  const dir = await copyOfJobs(t);
  const events: RunEvent[] = [];
  const opts = { cwd: dir, env: {}, outputDir: 'output' };
  const onEmulator = await run('jobs/storyboard.yaml', { ...opts, emulator: true, timeScale: 0.002, onEvent: (e) => events.push(e) });
  assert.ok(onEmulator.ok);
  assert.equal(onEmulator.result.counts.succeeded, 10);
  assert.equal(onEmulator.space.outputDir, path.join(dir, 'output', 'storyboard', 'emulator'));
  assert.ok(events.some((e) => e.type === 'run-start') && events.some((e) => e.type === 'run-end'));

  // What plan says afterwards depends on which renders it is asked about.
  const realPlan = await plan('jobs/storyboard.yaml', opts);
  assert.ok(realPlan.decisions.every((d) => d.action === 'submit'), 'no real render exists yet');
  const emuPlan = await plan('jobs/storyboard.yaml', { ...opts, emulator: true });
  assert.ok(emuPlan.decisions.every((d) => d.action === 'skip'), 'the emulator renders are up to date');

  // A "real" server (an emulator the run cannot tell from DashScope) renders every shot.
  const server = await startEmulator({ timeScale: 0.002 });
  t.after(() => server.close());
  // Declared a proxy in front of Model Studio: only then do its renders count as real.
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'pixverse.config.json'), JSON.stringify({ modelStudioProxies: [server.baseUrl] }));
  const real = await run('jobs/storyboard.yaml', { ...opts, baseUrl: server.baseUrl, timeScale: 0.002, env: { DASHSCOPE_API_KEY: server.apiKey } });
  assert.ok(real.ok);
  assert.equal(real.result.counts.succeeded, 10);
  assert.equal(real.result.counts.skipped, 0);
  assert.equal(server.stats().tasksCreated, 10);
  // Its lock sits beside the manifest, the emulator's inside its own space.
  const lock = await readFile(path.join(dir, 'jobs', 'storyboard.lock.yaml'), 'utf8');
  assert.match(lock, /"wan-sea":/);
  assert.ok((await stat(path.join(dir, 'output', 'storyboard', 'emulator', 'storyboard.lock.yaml'))).isFile());
});

test('run refuses an invalid manifest without sending anything', async (t) => {
  const dir = await copyOfJobs(t);
  const server = await startEmulator({ timeScale: 0.002 });
  t.after(() => server.close());
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'jobs', 'bad.yaml'), 'name: bad\nshots:\n  - id: a\n    model: pixverse/pixverse-v6-t2v\n    prompt: x\n    size: 1280*721\n    duration: 5\n');
  const outcome = await run('jobs/bad.yaml', { cwd: dir, outputDir: 'output', baseUrl: server.baseUrl, env: { DASHSCOPE_API_KEY: server.apiKey } });
  assert.equal(outcome.ok, false);
  assert.ok(outcome.planned.issues.some((i) => i.severity === 'error' && i.pos?.line === 6));
  assert.equal(server.stats().requests['submit'] ?? 0, 0);
});

test('a submit that times out on a slow server is found in the task list, never sent twice', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-slow-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'slow.yaml'), 'name: slow\nshots:\n  - id: a\n    model: pixverse/pixverse-v6-t2v\n    prompt: a slow harbour\n    size: 1280*720\n    duration: 5\n    seed: 1\n');
  // The config's request timeout reaches the client: the server creates the task only after
  // 2.5 s, well after the client gave up (undici fires a 1 s timeout within about 1–2 s).
  const server = await startEmulator({ timeScale: 0.002, faults: [{ endpoint: 'submit', kind: 'slow', ms: 2500, rate: 1 }] });
  t.after(() => server.close());
  await writeFile(path.join(dir, 'pixverse.config.json'), JSON.stringify({ timeouts: { requestMs: 1000 }, modelStudioProxies: [server.baseUrl] }));
  const events: RunEvent[] = [];
  const outcome = await run('slow.yaml', { cwd: dir, outputDir: 'output', baseUrl: server.baseUrl, timeScale: 0.002, env: { DASHSCOPE_API_KEY: server.apiKey }, onEvent: (e) => events.push(e) });
  assert.ok(outcome.ok);
  assert.equal(outcome.result.counts.succeeded, 1, JSON.stringify(outcome.result.outcomes));
  assert.equal(server.stats().requests['submit'], 1, 'the submit was not sent again');
  assert.equal(server.stats().tasksCreated, 1);
  const ledger = await readFile(path.join(dir, 'output', 'slow', 'ledger.jsonl'), 'utf8');
  assert.match(ledger, /"t":"submit-uncertain"[^\n]*"code":"HeadersTimeout"/);
  assert.match(ledger, /"t":"reconciled"[^\n]*"taskId":"[^"]+"/);
});
