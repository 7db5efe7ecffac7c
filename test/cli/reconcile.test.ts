// Submits whose outcome is unknown, end to end: the built CLI against an emulator that refuses
// submits before any task exists, loses answers after creating, has another client on the same
// account submit tasks of the same model, and shows orig_prompt only once a task runs or ends.
// Counted on the server: every shot ends with a task whose prompt and parameters are its own,
// and no body is created twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson, sha256 } from '../../src/emulator/submit.js';
import type { PromptVisibility, RunningEmulator } from '../../src/emulator/index.js';
import type { RunEvent, ShotOutcome } from '../../src/engine/events.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, clientFor, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec, TempJob } from '../helpers/run-kit.js';

const V6 = 'pixverse/pixverse-v6-t2v';

function yaml(name: string, shots: string[][]): string {
  return ['version: 1', `name: ${name}`, 'defaults:', '  audio: false', '  watermark: false', `  model: ${V6}`, '  duration: 5', 'shots:', ...shots.flat()].join('\n') + '\n';
}

function shot(id: string, prompt: string, lines: string[] = ['    size: 1280*720', '    seed: 1']): string[] {
  return [`  - id: ${id}`, `    prompt: ${JSON.stringify(prompt)}`, ...lines];
}

function cli(job: TempJob, emu: RunningEmulator, name: string, extra: string[] = [], scale = TEST_TIME_SCALE) {
  const args = ['run', `jobs/${name}.yaml`, '--base-url', emu.baseUrl, '--time-scale', String(scale), '--output-dir', 'output', ...extra];
  return (opts: { json?: boolean; onEvent?: (e: RunEvent) => NodeJS.Signals | undefined } = {}) =>
    runCli(opts.json === false ? args : [...args, '--json'], { cwd: job.dir, env: { DASHSCOPE_API_KEY: emu.apiKey }, ...(opts.onEvent ? { onEvent: opts.onEvent } : {}) });
}

const endsOf = (events: RunEvent[]): Map<string, ShotOutcome> =>
  new Map(events.flatMap((e) => (e.type === 'shot-end' ? [[e.outcome.shot, e.outcome] as const] : [])));

/** The body a shot actually POSTed, as the emulator hashes it. */
async function postedBodyHash(job: TempJob, name: string, shotId: string): Promise<string> {
  return sha256(canonicalJson(JSON.parse(await readFile(path.join(job.dir, 'output', name, 'requests', `${shotId}.json`), 'utf8'))));
}

/** Each shot's task on the server was created from the shot's own body, and from no other. */
async function assertOwnTasks(emu: RunningEmulator, job: TempJob, name: string, ends: Map<string, ShotOutcome>): Promise<void> {
  const s = emu.stats();
  const byTask = new Map(s.tasks.map((t) => [t.taskId, t]));
  for (const [id, o] of ends) {
    assert.equal(o.status, 'succeeded', `${id}: ${o.code} ${o.message}`);
    const task = byTask.get(o.taskId ?? '');
    assert.ok(task, `${id}: its task ${o.taskId} exists on the server`);
    assert.notEqual(task.client, 'other', `${id} was handed another client's task`);
    const own = await postedBodyHash(job, name, id);
    assert.equal(task.bodySha256, own, `${id}: its task was created from its own prompt and parameters`);
    assert.equal(s.submitsByBody[own], 1, `${id}: its body was created once`);
  }
  assert.equal(new Set([...ends.values()].map((o) => o.taskId)).size, ends.size, 'no task went to two shots');
}

for (const from of ['SUCCEEDED', 'RUNNING'] as PromptVisibility[]) {
  test(`one run mixing refused submits, lost answers, strangers' tasks and a size sweep: every shot gets its own task, no body twice (orig_prompt from ${from})`, async () => {
    const emu = await startTestEmulator({ promptVisibleFrom: from });
    try {
      const job = await writeTempJob('mixed', []);
      await declareModelStudio(job.dir, emu.baseUrl);
      await writeFile(
        job.manifest,
        yaml('mixed', [
          // The first probe: x refused before any task exists, y's task created but its answer lost.
          shot('x', 'x is refused at first [[submit-503:1]]'),
          shot('y', 'y loses its answer [[submit-500-after-create:1]]'),
          shot('r', 'r is reset before its task exists [[reset-before-create]]'),
          // Another client on the account submits the same model and parameters around a's POST.
          shot('a', 'a is reset after its task exists [[reset-after-create]] [[foreign:2]]'),
          shot('f', 'f is fine but has company [[foreign:3]]'),
          // Told apart only by usage.size: both answers lost.
          shot('hero', 'hero sweeps its size [[reset-after-create]]', ['    size: [1280*720, 720*1280]', '    seed: 1']),
        ]),
      );
      const run = await cli(job, emu, 'mixed')();
      assert.equal(run.code, 0, run.stderr);
      const ends = endsOf(run.events);
      assert.deepEqual([...ends.keys()].sort(), ['a', 'f', 'hero@size=1280x720', 'hero@size=720x1280', 'r', 'x', 'y']);
      await assertOwnTasks(emu, job, 'mixed', ends);
      const s = emu.stats();
      assert.equal(s.foreignTasks, 5);
      assert.equal(s.tasksCreated, 7 + 5, 'one task per shot, plus the strangers');
      assert.equal(s.duplicateSubmits, 0);
      const ledger = await readFile(path.join(job.dir, 'output', 'mixed', 'ledger.jsonl'), 'utf8');
      for (const id of ['x', 'y', 'r', 'a', 'hero@size=1280x720', 'hero@size=720x1280']) {
        assert.match(ledger, new RegExp(`"t":"submit-uncertain","shot":"${id.replace(/[*@=]/g, '.')}"`), `${id} was uncertain`);
      }
    } finally {
      await emu.close();
    }
  });
}

test("a killed run's open intent is never given another manifest's or another tool's task, finished or still live", async () => {
  // Slow enough that the other tool's task is still live (no prompt shown) during the lookup.
  const scale = TEST_TIME_SCALE * 10;
  const emu = await startTestEmulator({ timeScale: scale });
  const other = clientFor(emu);
  try {
    const spec: ShotSpec[] = [{ id: 'x', prompt: 'x a harbour at dawn', size: '1280*720' }];
    const job = await writeTempJob('first', spec);
    await declareModelStudio(job.dir, emu.baseUrl);
    // x's intent is flushed, then the run dies with nothing created on the server.
    emu.setFaults([{ endpoint: 'submit', kind: 'reset-before-create', rate: 1 }]);
    const killed = await cli(job, emu, 'first', [], scale)({ onEvent: (e) => (e.type === 'shot' && e.phase === 'submitting' ? 'SIGKILL' : undefined) });
    assert.equal(killed.signal, 'SIGKILL');
    emu.setFaults([]);
    assert.equal(emu.stats().tasksCreated, 0);

    // Meanwhile a colleague renders another manifest of the same model and parameters …
    const colleague = await writeTempJob('second', [{ id: 'c', prompt: "a colleague's lighthouse", size: '1280*720' }]);
    await declareModelStudio(colleague.dir, emu.baseUrl);
    const theirs = await cli(colleague, emu, 'second', [], scale)();
    assert.equal(theirs.code, 0, theirs.stderr);
    // … and another tool submits one that is still live when the first manifest is re-run.
    const body = JSON.parse(await readFile(path.join(colleague.dir, 'output', 'second', 'requests', 'c.json'), 'utf8'));
    // A long render: it shows no prompt for a few real seconds.
    const long = { ...body, input: { prompt: 'another tool, same model' }, parameters: { ...body.parameters, size: '1920*1080', duration: 15 } };
    const live = await other.submit('/services/aigc/video-generation/video-synthesis', long);

    const again = await cli(job, emu, 'first', [], scale)();
    assert.equal(again.code, 0, again.stderr);
    const ends = endsOf(again.events);
    assert.notEqual(ends.get('x')!.taskId, live.taskId);
    await assertOwnTasks(emu, job, 'first', ends);
    assert.equal(emu.stats().tasksCreated, 3, "x's, the colleague's and the other tool's");
    const ledger = await readFile(path.join(job.dir, 'output', 'first', 'ledger.jsonl'), 'utf8');
    assert.match(ledger, /"t":"reconciled","shot":"x"[^\n]*"taskId":null/, 'the lookup proved that nothing of x was created');
  } finally {
    await other.close();
    await emu.close();
  }
});

test('a lost answer whose task failed is submitted again with a warning, never held: a failed task bills nothing and shows no prompt', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('failing', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    await writeFile(job.manifest, yaml('failing', [shot('m', 'moderated [[reset-after-create]] [[fail:DataInspectionFailed]]'), shot('ok', 'a quiet bay')]));
    const run = await cli(job, emu, 'failing')();
    assert.equal(run.code, 1, run.stderr);
    const ends = endsOf(run.events);
    assert.equal(ends.get('m')!.code, 'DataInspectionFailed');
    assert.equal(ends.get('ok')!.status, 'succeeded');
    const warned = run.events.filter((e) => e.type === 'warning' && e.shot === 'm');
    assert.equal(warned.length, 1);
    assert.match(warned[0]!.type === 'warning' ? warned[0]!.message : '', /FAILED\).*bills nothing: submitting it again/);
    const own = await postedBodyHash(job, 'failing', 'm');
    assert.equal(emu.stats().submitsByBody[own], 2, 'the failed task, then the resubmitted one');
  } finally {
    await emu.close();
  }
});

test('a seed sweep whose answers are lost is held with one line per shot and exit 4; --force submits again', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('twins', []);
    await declareModelStudio(job.dir, emu.baseUrl);
    // A family's first submit goes alone (an account check): `lead` goes first, then the twins'
    // POSTs are on the wire together, so each lookup sees the other's intent open.
    await writeFile(job.manifest, yaml('twins', [shot('lead', 'goes first'), shot('s', 'twins differ by seed only [[reset-after-create]]', ['    size: 1280*720', '    seed: [1, 2]'])]));
    const held = await cli(job, emu, 'twins')({ json: false });
    assert.equal(held.code, 4, held.stdout + held.stderr);
    const text = held.stdout + held.stderr;
    for (const [me, rival] of <Array<[string, string]>>[['s@seed=1', 's@seed=2'], ['s@seed=2', 's@seed=1']]) {
      const lines = text.split('\n').filter((l) => l.startsWith(me) && /unreconciled/.test(l));
      assert.equal(lines.length, 1, `one line for ${me}:\n${text}`);
      assert.match(lines[0]!, new RegExp(`fit it and shot ${rival.replace(/[@=]/g, '.')} equally`));
      assert.match(lines[0]!, /seed/);
      assert.match(lines[0]!, /--force/);
    }
    assert.equal(emu.stats().tasksCreated, 3, 'nothing was resubmitted');

    const forced = await cli(job, emu, 'twins', ['--force', '--only', 's@*'])();
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(emu.stats().tasksCreated, 5, '--force pays again, as it says');
  } finally {
    await emu.close();
  }
});
