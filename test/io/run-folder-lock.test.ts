// The run folder's lock: atomic creation, refusal naming the holder, waiting, taking over from a
// dead local holder, respecting another host until --break-lock. Real files, real processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/core/errors.js';
import { acquireRunFolder, RUN_LOCK_FILE, runInProgress } from '../../src/io/run-folder-lock.js';
import type { RunHolder } from '../../src/io/run-folder-lock.js';

const opts = { command: 'pixverse run jobs/x.yaml', cwd: '/somewhere' };

async function folder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'pixverse-lock-'));
}

/** The pid of a process that has ended (and, on a busy machine, not been reused yet). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function holder(over: Partial<RunHolder>): RunHolder {
  return { pid: process.pid, host: os.hostname(), startedAt: '2026-01-02T03:04:05.000Z', command: 'pixverse run jobs/x.yaml --only a', cwd: '/elsewhere', nonce: 'feedface', ...over };
}

const busy = (re: RegExp) => (e: unknown) => e instanceof UserError && e.kind === 'busy' && re.test(`${e.message}\n${e.hint}`);

test('one holder at a time: the second is refused naming the first, and may go once it is released', async () => {
  const dir = await folder();
  try {
    const first = await acquireRunFolder(dir, opts);
    const written = JSON.parse(await readFile(path.join(dir, RUN_LOCK_FILE), 'utf8')) as RunHolder;
    assert.deepEqual([written.pid, written.host, written.command, written.cwd], [process.pid, os.hostname(), opts.command, opts.cwd]);
    assert.ok(!Number.isNaN(Date.parse(written.startedAt)));
    await assert.rejects(acquireRunFolder(dir, { ...opts, command: 'pixverse run again' }), busy(new RegExp(`pid ${process.pid} on host .*pixverse run jobs/x\\.yaml .*--wait`, 's')));
    // --break-lock never takes the folder from a run that is alive on this machine.
    await assert.rejects(acquireRunFolder(dir, { ...opts, breakLock: true }), busy(/alive on this machine/));
    assert.match((await runInProgress(dir)) ?? '', new RegExp(`a run is in progress .*pid ${process.pid}`));
    await first.release();
    assert.equal(await runInProgress(dir), undefined);
    const second = await acquireRunFolder(dir, opts);
    assert.equal(second.tookOver, undefined);
    await second.release();
    // No temporary files are left behind.
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock left by a dead process on this host, or from before a reboot, is taken over and said so', async () => {
  const dir = await folder();
  try {
    const pid = deadPid();
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(holder({ pid })));
    assert.equal(await runInProgress(dir), undefined, 'status does not report a dead run as in progress');
    const held = await acquireRunFolder(dir, opts);
    assert.equal(held.tookOver?.why, 'dead');
    assert.equal(held.tookOver?.holder?.pid, pid);
    await held.release();

    // Same host, a pid that is alive now, but the lock was written before the machine rebooted.
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(holder({ pid: process.pid, bootId: 'an-earlier-boot' })));
    const after = await acquireRunFolder(dir, { ...opts, bootId: 'this-boot' });
    assert.equal(after.tookOver?.why, 'dead');
    await after.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('many runs finding the same dead lock at once: exactly one takes it over', async () => {
  const dir = await folder();
  try {
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(holder({ pid: deadPid() })));
    const tries = await Promise.allSettled(Array.from({ length: 12 }, () => acquireRunFolder(dir, opts)));
    const won = tries.filter((t) => t.status === 'fulfilled');
    assert.equal(won.length, 1, 'one winner');
    for (const t of tries) if (t.status === 'rejected') assert.ok(busy(/another run is using this run folder/)(t.reason), String(t.reason));
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireRunFolder>>>).value.release();
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock from another host is respected until --break-lock; an unreadable one too', async () => {
  const dir = await folder();
  try {
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(holder({ pid: 1, host: 'ci-runner-7' })));
    await assert.rejects(acquireRunFolder(dir, opts), busy(/pid 1 on host ci-runner-7.*cannot tell whether that run is still alive.*--break-lock/s));
    const broken = await acquireRunFolder(dir, { ...opts, breakLock: true });
    assert.deepEqual([broken.tookOver?.why, broken.tookOver?.holder?.host], ['broken', 'ci-runner-7']);
    await broken.release();

    await writeFile(path.join(dir, RUN_LOCK_FILE), 'not json');
    await assert.rejects(acquireRunFolder(dir, opts), busy(/cannot be read/));
    const again = await acquireRunFolder(dir, { ...opts, breakLock: true });
    assert.equal(again.tookOver?.holder, undefined);
    await again.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--wait waits for the holder to end, says so once, and stops waiting on abort', async () => {
  const dir = await folder();
  try {
    const first = await acquireRunFolder(dir, opts);
    const told: string[] = [];
    const waiting = acquireRunFolder(dir, { ...opts, wait: true, pollMs: 20, onWaiting: (m) => told.push(m) });
    await new Promise((r) => setTimeout(r, 150));
    await first.release();
    const second = await waiting;
    assert.equal(told.length, 1);
    assert.match(told[0]!, /another run is using this run folder.*waiting for it to finish/);

    const controller = new AbortController();
    const stopped = acquireRunFolder(dir, { ...opts, wait: true, pollMs: 20, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(stopped, (e: Error) => e.name === 'AbortError');
    // The holder's lock is untouched, and a release by anyone but its holder changes nothing.
    assert.match((await runInProgress(dir)) ?? '', /in progress/);
    await second.release();
    assert.equal(await runInProgress(dir), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
