// `pixverse run` end to end: the built binary against an emulator over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runCli } from '../helpers/run-cli.js';
import { declareModelStudio, startTestEmulator, TEST_TIME_SCALE, writeTempJob } from '../helpers/run-kit.js';
import type { ShotSpec } from '../helpers/run-kit.js';
import type { RunEvent, ShotOutcome } from '../../src/engine/events.js';
import type { CommandIo } from '../../src/cli/command-io.js';
import { run as runCommand } from '../../src/cli/commands/run.js';
import { chooseProgressMode, createProgressRenderer, ShotBoard } from '../../src/cli/progress.js';

const shots = (n: number, tag: string): ShotSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `k${i}`, model: i % 2 ? 'pixverse/pixverse-c1-t2v' : 'pixverse/pixverse-v6-t2v', prompt: `${tag} shot ${i}` }));

test('npm run demo shows the live board for seconds: the emulator slowed to a time scale a person can follow', () => {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { demo: string } };
  const scale = Number(/--time-scale (\S+)/.exec(pkg.scripts.demo)?.[1]);
  // Emulated PixVerse tasks run about a minute: at 0.05–0.2 the board stays up for 3–15 s.
  assert.ok(scale >= 0.05 && scale <= 0.2, `demo time scale ${scale}`);
  assert.match(pkg.scripts.demo, /run jobs\/storyboard\.yaml --emulator/);
});

test('the storyboard demo runs with --emulator, says so in its report, and a re-run renders nothing', async () => {
  const job = await writeTempJob('unused', []);
  await cp(path.join(PACKAGE_ROOT, 'jobs'), path.join(job.dir, 'jobs'), { recursive: true, filter: (src) => !src.endsWith('.lock.yaml') });
  const args = ['run', 'jobs/storyboard.yaml', '--emulator', '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
  const first = await runCli(args, { cwd: job.dir });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /EMULATOR/);
  assert.match(first.stdout, /10 rendered, 0 up to date, 0 failed/);
  assert.equal(first.stderr, '', 'the demo prints no warning about its own manifest');
  // Emulator renders live in a space of their own: a later real run must never take their
  // fixture videos for renders, and the lock beside the manifest (committed by teams) stays clean.
  const space = path.join(job.dir, 'output', 'storyboard', 'emulator');
  const report = JSON.parse(await readFile(path.join(space, 'report.json'), 'utf8'));
  assert.equal(report.run?.emulator ?? report.emulator, true);
  assert.ok((await stat(path.join(space, 'videos', 'wan-sea.mp4'))).size > 0);
  assert.ok((await stat(path.join(space, 'storyboard.lock.yaml'))).size > 0);
  await assert.rejects(stat(path.join(job.dir, 'jobs', 'storyboard.lock.yaml')), { code: 'ENOENT' });
  await assert.rejects(stat(path.join(job.dir, 'output', 'storyboard', 'ledger.jsonl')), { code: 'ENOENT' });
  assert.ok(!(first.stdout + first.stderr).includes('sk-emulator-key'));

  const again = await runCli(args, { cwd: job.dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 rendered, 10 up to date/);
});

test('killed with SIGKILL right after an intent, mid-polling, mid-download and right after a download, re-runs submit every shot exactly once and lose no video', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('killed', shots(8, 'kill'));
    await declareModelStudio(job.dir, emu.baseUrl);
    const args = ['run', 'jobs/killed.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const killAt: Array<(e: RunEvent) => boolean> = [
      (e) => e.type === 'shot' && e.phase === 'submitting',
      // Mid-polling: a task is live. Not only on RUNNING: on a loaded machine the poller may see a
      // task go from PENDING straight to SUCCEEDED, and the run would end with nothing killed.
      (e) => e.type === 'shot' && (e.phase === 'running' || e.phase === 'pending'),
      (e) => e.type === 'shot' && e.phase === 'downloading',
      // `done` comes right after the `downloaded` record: killed before the reports are written.
      (e) => e.type === 'shot' && e.phase === 'done',
    ];
    let doneShot: string | undefined;
    for (const when of killAt) {
      const r = await runCli(args, {
        cwd: job.dir,
        env,
        onEvent: (e) => {
          if (!when(e)) return undefined;
          if (e.type === 'shot' && e.phase === 'done') doneShot ??= e.shot;
          return 'SIGKILL';
        },
      });
      assert.equal(r.signal, 'SIGKILL', `expected a kill; exit ${r.code}: ${r.stderr}`);
    }
    assert.ok(doneShot, 'some shot finished its download before the last kill');
    const downloadsBefore = emu.stats().requests['download'] ?? 0;
    const last = await runCli(args, { cwd: job.dir, env });
    assert.equal(last.code, 0, last.stderr);
    const s = emu.stats();
    assert.equal(s.duplicateSubmits, 0);
    assert.equal(s.tasksCreated, 8);
    for (let i = 0; i < 8; i++) assert.ok((await stat(path.join(job.dir, 'output', 'killed', 'videos', `k${i}.mp4`))).size > 0);
    // The video downloaded just before the kill is kept: neither downloaded again nor resubmitted.
    const start = last.events.find((e) => e.type === 'run-start');
    assert.ok(start && start.type === 'run-start');
    assert.equal(start.shots.find((x) => x.shot === doneShot)!.action, 'skip');
    const fetched = start.shots.filter((x) => x.action !== 'skip').length;
    assert.equal((s.requests['download'] ?? 0) - downloadsBefore, fetched, 'only the shots without a video were downloaded');
    assert.equal(last.events.filter((e) => e.type === 'shot' && e.phase === 'submitting').length, start.shots.filter((x) => x.action === 'submit').length);
    const report = JSON.parse(await readFile(path.join(job.dir, 'output', 'killed', 'report.json'), 'utf8'));
    assert.ok(JSON.stringify(report).length > 0);
    assert.ok(s.peakQueriesPerSecond <= 20);
  } finally {
    await emu.close();
  }
});

test('Ctrl-C stops cleanly with exit 130 and a resume hint; a failed shot makes the exit code 1', async () => {
  const emu = await startTestEmulator();
  try {
    const spec = shots(6, 'interrupt');
    spec[5] = { ...spec[5]!, prompt: 'this one fails [[fail:InternalError]]' };
    const job = await writeTempJob('stopped', spec);
    await declareModelStudio(job.dir, emu.baseUrl);
    const args = ['run', 'jobs/stopped.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const stopped = await runCli(args, { cwd: job.dir, env, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined) });
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /resume with: pixverse run jobs\/stopped\.yaml/);
    assert.ok(stopped.events.some((e) => e.type === 'run-end' && e.interrupted));
    // Reports are written for an interrupted run too.
    assert.ok((await stat(path.join(job.dir, 'output', 'stopped', 'report.md'))).size > 0);

    // Ctrl-C twice: out at once (killed by the re-raised SIGINT, no clean shutdown) — unless the
    // clean stop after the first one already finished, which a loaded machine can make happen
    // before the second signal lands; both leave the ledger consistent for the resume below.
    // (The second interrupt quitting at once is pinned down in-process in the next test.)
    const quit = await runCli(args, { cwd: job.dir, env, onEvent: (e) => (e.type === 'shot' ? ['SIGINT', 'SIGINT'] : undefined) });
    assert.ok(quit.signal === 'SIGINT' || quit.code === 130, `exit ${quit.code}, signal ${quit.signal}: ${quit.stderr}`);
    assert.match(quit.stderr, /Ctrl-C again quits at once/);

    const finished = await runCli(args, { cwd: job.dir, env });
    assert.equal(finished.code, 1, finished.stderr);
    const end = finished.events.find((e) => e.type === 'run-end');
    assert.ok(end && end.type === 'run-end');
    assert.equal(end.counts.failed, 1);
    assert.equal(emu.stats().duplicateSubmits, 0);
    assert.equal(emu.stats().tasksCreated, 6);
  } finally {
    await emu.close();
  }
});

test('the second interrupt quits at once; the first only stops submitting', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('twice', shots(4, 'twice'));
    await declareModelStudio(job.dir, emu.baseUrl);
    let interrupt: ((n: number) => void) | undefined;
    const quits: number[] = [];
    const deps = { onInterrupt: (h: (n: number) => void) => ((interrupt = h), () => (interrupt = undefined)), quitNow: () => quits.push(Date.now()) };
    const stderr: string[] = [];
    let interrupted = false;
    const io: CommandIo = {
      // The first progress line means the run has started: press Ctrl-C twice, back to back.
      out: (line) => {
        if (!interrupted && line.includes('"type":"shot"')) {
          interrupted = true;
          interrupt?.(1);
          assert.equal(quits.length, 0, 'the first Ctrl-C does not quit');
          interrupt?.(2);
        }
      },
      err: (line) => stderr.push(line),
      env: { DASHSCOPE_API_KEY: emu.apiKey },
      cwd: job.dir,
      isTTY: false,
    };
    const code = await runCommand(['jobs/twice.yaml', '--json', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output'], io, deps);
    assert.ok(interrupted, 'the run emitted progress');
    assert.equal(quits.length, 1, 'the second Ctrl-C quits at once');
    assert.equal(interrupt, undefined, 'the signal handlers are released');
    // In a real process quitNow() ends it here; in-process the clean stop simply finishes.
    assert.equal(code, 130, stderr.join('\n'));
    assert.equal(emu.stats().duplicateSubmits, 0);
  } finally {
    await emu.close();
  }
});

test('a budget cap refuses the run with exit 4 unless --yes; --only selects shots by glob', async () => {
  const emu = await startTestEmulator();
  try {
    const job = await writeTempJob('budget', shots(3, 'budget'));
    // A cap, prices (with their currency), and quota overrides: one running v6 task, 6 queries/s.
    const price = { '360P': 0.53 };
    await writeFile(
      path.join(job.dir, 'cap.json'),
      JSON.stringify({
        budget: { maxBillableSeconds: 6 },
        prices: { currency: 'CNY', perSecond: { 'pixverse/pixverse-v6-t2v': price, 'pixverse/pixverse-c1-t2v': price } },
        quotas: { 'pixverse-v6': { runningTasks: 1 } },
        taskQueriesPerSecond: 6,
      }),
    );
    const base = ['run', 'jobs/budget.yaml', '--base-url', emu.baseUrl, '--time-scale', String(TEST_TIME_SCALE), '--output-dir', 'output', '--config', 'cap.json'];
    const env = { DASHSCOPE_API_KEY: emu.apiKey };
    const refused = await runCli(base, { cwd: job.dir, env });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /budget/);
    assert.match(refused.stderr, /would bill 15 s of video \(3 shots\), over the budget of 6 s/);
    assert.equal(emu.stats().tasksCreated, 0);
    const one = await runCli([...base, '--only', 'k?'.replace('?', '1')], { cwd: job.dir, env });
    assert.equal(one.code, 0, one.stderr);
    // The plain run-start line shows the estimate with its currency (5 s × 0.53).
    assert.match(one.stdout, /1 shots, 1 to submit, 5 billable seconds, about 2\.65 CNY/);
    assert.equal(emu.stats().tasksCreated, 1);
    const unknown = await runCli([...base, '--only', 'nope*'], { cwd: job.dir, env });
    assert.equal(unknown.code, 2);
    emu.resetStats(); // peaks of this run alone (the limiter is per run)
    const all = await runCli([...base, '--yes'], { cwd: job.dir, env });
    assert.equal(all.code, 0, all.stderr);
    const s = emu.stats();
    assert.equal(s.tasksCreated, 2);
    // The config's quotas win over the catalog's.
    assert.equal(s.peakActiveTasks['pixverse-v6'], 1);
    assert.ok(s.peakQueriesPerSecond <= 6, `queries/s ${s.peakQueriesPerSecond}`);
  } finally {
    await emu.close();
  }
});

test('an interrupted --emulator run resumes on a new emulator session: nothing of the old server is re-attached', async () => {
  const job = await writeTempJob('resume', shots(4, 'resume'));
  const args = ['run', 'jobs/resume.yaml', '--emulator', '--json', '--time-scale', '0.01', '--output-dir', 'output'];
  const stopped = await runCli(args, { cwd: job.dir, onEvent: (e) => (e.type === 'shot' && e.phase === 'pending' ? 'SIGINT' : undefined) });
  assert.equal(stopped.code, 130, stopped.stderr);
  const resumed = await runCli(args, { cwd: job.dir });
  assert.equal(resumed.code, 0, resumed.stderr);
  const start = resumed.events.find((e) => e.type === 'run-start');
  assert.ok(start && start.type === 'run-start' && start.shots.every((s) => s.action === 'submit'));
});

test('progress: a terminal shows a bounded board for a huge batch; plain lines carry the currency; --json streams every event', () => {
  // The board: 500 shots, 300 of them active at once, 10 rows of room.
  const board = new ShotBoard(10);
  board.start(Array.from({ length: 500 }, (_, i) => ({ shot: `s${i}` })));
  for (let i = 0; i < 300; i++) board.onShot({ type: 'shot', at: '', shot: `s${i}`, phase: i % 2 ? 'running' : 'pending', ...(i % 2 ? {} : { queuePosition: 3 }) });
  const end = (shot: string, status: ShotOutcome['status']): ShotOutcome => ({ shot, model: 'm', status, action: 'submit', reasonCode: 'new', reason: 'new', code: 'DataInspectionFailed', message: 'no' });
  for (let i = 0; i < 40; i++) board.onEnd(end(`s${i}`, i < 30 ? 'succeeded' : 'failed'));
  board.onShot({ type: 'shot', at: '', shot: 's0', phase: 'running' }); // late event of an ended shot: ignored
  assert.equal(board.summary(), '500 shots: 200 queued · 260 active · 30 done · 10 failed');
  const lines = board.lines();
  assert.ok(lines.length <= 10 + 1 + 1 + 3, `${lines.length} lines`);
  assert.match(lines[0]!, /^s40\s+pending \(queue position 3\)$/);
  assert.ok(lines.includes('… and 250 more active'));
  assert.match(lines.at(-1)!, /^s39  failed: DataInspectionFailed: no$/);
  // The final frame lists the failures (bounded too), not the active shots.
  assert.deepEqual(board.lines({ final: true }).length, 10);

  const io = (): { out: string[]; err: string[]; io: CommandIo } => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: '/', isTTY: false } };
  };
  const start: RunEvent = {
    type: 'run-start',
    at: '',
    runId: 'r1',
    manifest: 'm.yaml',
    emulator: false,
    baseUrl: 'b',
    runFolder: '/work/output/m',
    shots: [{ shot: 'a', model: 'm', action: 'submit', reasonCode: 'changed', reason: 'changed: input.prompt' }],
    cost: { shots: 6, billableSeconds: 30, secondsByTier: { '720P': 30 }, estimatedCost: 15.9, currency: 'CNY' },
  };
  const plain = io();
  const p = createProgressRenderer(chooseProgressMode({ json: false, isTTY: false, columns: 80, env: {} }), plain.io);
  p.onEvent(start);
  p.onEvent({ type: 'shot', at: '', shot: 'a', phase: 'pending', taskId: 't1', queuePosition: 2 });
  p.onEvent({ type: 'shot', at: '', shot: 'a', phase: 'pending', taskId: 't1', queuePosition: 2 });
  p.onEvent({ type: 'backoff', at: '', scope: 'query', ms: 1500, code: 'Throttling' });
  p.onEvent({ type: 'shot-end', at: '', outcome: end('a', 'failed') });
  assert.deepEqual(plain.out, [
    'run r1: 1 shots, 1 to submit, 30 billable seconds, about 15.90 CNY\nrun folder: /work/output/m',
    '  a     submit: changed: input.prompt',
    'a     pending (queue position 2) [task t1]',
    'backing off 1.5 s (Throttling, task queries)',
    'a     failed: DataInspectionFailed: no',
  ]);

  const json = io();
  const j = createProgressRenderer(chooseProgressMode({ json: true, isTTY: true, columns: 80, env: {} }), json.io);
  j.onEvent(start);
  assert.deepEqual(JSON.parse(json.out[0]!), start);
  assert.equal(chooseProgressMode({ json: false, isTTY: true, columns: 0, env: {} }), 'plain', 'a terminal without columns gets plain lines');
});
