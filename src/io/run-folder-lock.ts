// One run per run folder at a time. `run` holds `<run folder>/run.lock` for its whole life: two
// runs of one manifest (two terminals, a CI job beside a laptop, a library call) would otherwise
// both read the ledger, both decide "new", and both pay for every shot.
//
// The lock is a small JSON file created atomically: written complete under a temporary name,
// then hard-linked to `run.lock`, which fails if the file exists (link(2) is atomic, and unlike
// open(O_EXCL) nobody can read a half-written holder). A lock left by a process that is gone
// (same host, pid not alive, or the machine rebooted since) is taken over, and the caller says
// so; a lock from another host cannot be checked from here and is respected until the user
// breaks it. Taking over goes through a short-lived `run.lock.takeover` file so that two runs
// finding the same stale lock cannot both remove it (one of them would remove the other's
// fresh lock).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../core/errors.js';

export const RUN_LOCK_FILE = 'run.lock';

/** Who holds a run folder: written into the lock, shown to whoever else wants the folder. */
export interface RunHolder {
  pid: number;
  host: string;
  /** The kernel's boot id (Linux): a lock from before a reboot has no live holder, whatever its pid. */
  bootId?: string;
  /** ISO time the run took the folder. */
  startedAt: string;
  /** The command line of the run, e.g. `pixverse run jobs/x.yaml --only hero`. */
  command: string;
  cwd: string;
  /** Tells two holders with the same pid and host apart (library runs of one process). */
  nonce: string;
}

export interface HeldRunFolder {
  /** The lock file (absolute). */
  file: string;
  holder: RunHolder;
  /** The dead run whose lock this one took over, or the lock broken with `breakLock`. */
  tookOver?: { holder: RunHolder | undefined; why: 'dead' | 'broken' };
  /** Removes the lock if it is still this run's (never another run's). */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Recorded in the lock and shown to a second run. */
  command: string;
  cwd: string;
  /** Wait for the holder to finish instead of refusing. */
  wait?: boolean;
  /** Take the folder over from a holder on another host (or an unreadable lock). */
  breakLock?: boolean;
  /** Called once when the run starts waiting (`wait`), with what the user should see. */
  onWaiting?: (message: string) => void;
  /** Stops waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Between two looks while waiting, ms. Default 500. */
  pollMs?: number;
  /** For tests: this machine's identity. */
  host?: string;
  bootId?: string;
}

type Verdict = 'alive' | 'dead' | 'other-host' | 'unreadable';

/** Takes the run folder `dir` (created if missing) or throws UserError('busy') naming the holder. */
export async function acquireRunFolder(dir: string, opts: AcquireOptions): Promise<HeldRunFolder> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, RUN_LOCK_FILE);
  const host = opts.host ?? os.hostname();
  const bootId = opts.bootId ?? currentBootId();
  const holder: RunHolder = {
    pid: process.pid,
    host,
    ...(bootId ? { bootId } : {}),
    startedAt: new Date().toISOString(),
    command: opts.command,
    cwd: opts.cwd,
    nonce: randomBytes(8).toString('hex'),
  };
  const here = { host, ...(bootId ? { bootId } : {}) };
  let tookOver: HeldRunFolder['tookOver'];
  let waited = false;
  for (;;) {
    if (await createExclusive(file, holder)) {
      return { file, holder, ...(tookOver ? { tookOver } : {}), release: () => releaseIfOurs(file, holder.nonce) };
    }
    const current = await readHolder(file);
    if (current === 'missing') continue; // released between our two looks
    const verdict = judge(current.holder, here);
    const breakable = verdict === 'dead' || (opts.breakLock === true && (verdict === 'other-host' || verdict === 'unreadable'));
    if (breakable) {
      if (await removeIfUnchanged(file, current.text, holder, here)) tookOver = { holder: current.holder, why: verdict === 'dead' ? 'dead' : 'broken' };
      else await sleep(50, undefined, opts.signal ? { signal: opts.signal } : {});
      continue;
    }
    if (opts.wait) {
      if (!waited) opts.onWaiting?.(`${describeHolder(current.holder, file)}; waiting for it to finish (Ctrl-C stops waiting; nothing is sent meanwhile)`);
      waited = true;
      await sleep(opts.pollMs ?? 500, undefined, opts.signal ? { signal: opts.signal } : {});
      continue;
    }
    throw busyError(current.holder, verdict, file, opts.breakLock === true);
  }
}

/**
 * What `status` and `plan` say about a run in progress (they read without the lock and never
 * take or touch it): undefined when no run holds the folder or its holder is known to be gone.
 */
export async function runInProgress(dir: string): Promise<string | undefined> {
  const file = path.join(dir, RUN_LOCK_FILE);
  const current = await readHolder(file).catch(() => 'missing' as const);
  if (current === 'missing') return undefined;
  const bootId = currentBootId();
  const verdict = judge(current.holder, { host: os.hostname(), ...(bootId ? { bootId } : {}) });
  if (verdict === 'dead') return undefined;
  const h = current.holder;
  const who = h ? `pid ${h.pid} on host ${h.host}, started ${h.startedAt.replace(/\.\d+Z$/, 'Z')}: ${h.command}` : `${file} (unreadable)`;
  return `a run is in progress in this run folder (${who}); what it records next may change this picture`;
}

/** `pid 4242 on host ci-7, started 2026-05-01T10:00:00Z: pixverse run jobs/x.yaml` */
export function describeHolder(h: RunHolder | undefined, file: string): string {
  if (!h) return `the run folder is locked by ${file}, which cannot be read`;
  return `another run is using this run folder: pid ${h.pid} on host ${h.host}, started ${h.startedAt.replace(/\.\d+Z$/, 'Z')}: ${h.command} (in ${h.cwd})`;
}

function busyError(h: RunHolder | undefined, verdict: Verdict, file: string, breakLock: boolean): UserError {
  const folder = path.dirname(file);
  const what = describeHolder(h, file);
  if (verdict === 'alive') {
    const hint = breakLock
      ? `that run is alive on this machine: --break-lock never takes a folder from a live run; stop it (kill ${h?.pid}) or wait with --wait`
      : 'wait for it with --wait (this run then starts where it ends), or stop it first; nothing was sent';
    return new UserError('busy', 'run-folder-busy', `${what}\n  run folder: ${folder}`, hint);
  }
  // Another host (or an unreadable lock): this machine cannot tell whether that run still lives.
  return new UserError(
    'busy',
    'run-folder-busy',
    `${what}\n  run folder: ${folder}\n  this machine cannot tell whether that run is still alive`,
    `if it is gone (its machine stopped), take the folder over with --break-lock; else wait with --wait. Nothing was sent`,
  );
}

function judge(h: RunHolder | undefined, here: { host: string; bootId?: string }): Verdict {
  if (!h) return 'unreadable';
  if (h.host !== here.host) return 'other-host';
  if (h.bootId && here.bootId && h.bootId !== here.bootId) return 'dead';
  return pidAlive(h.pid) ? 'alive' : 'dead';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Writes the holder under a unique temporary name and links it to `file`: false if `file` exists. */
async function createExclusive(file: string, holder: RunHolder): Promise<boolean> {
  const temp = `${file}.${holder.nonce}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(holder, null, 2) + '\n', { flag: 'wx' });
  try {
    await link(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readHolder(file: string): Promise<'missing' | { text: string; holder: RunHolder | undefined }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  return { text, holder: parseHolder(text) };
}

function parseHolder(text: string): RunHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<RunHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.startedAt === 'string' && typeof v.nonce === 'string') {
      return { command: '', cwd: '', ...v } as RunHolder;
    }
  } catch {
    /* unreadable */
  }
  return undefined;
}

/**
 * Removes the stale lock whose text is `staleText`, under the takeover lock; false when another
 * run is taking over at the same moment or the lock changed meanwhile.
 */
async function removeIfUnchanged(file: string, staleText: string, me: RunHolder, here: { host: string; bootId?: string }): Promise<boolean> {
  const guard = `${file}.takeover`;
  if (!(await createExclusive(guard, me))) {
    // A takeover guard is held for milliseconds; one whose process is gone is removed.
    const g = await readHolder(guard);
    if (g !== 'missing' && judge(g.holder, here) === 'dead') await rm(guard, { force: true });
    return false;
  }
  try {
    const now = await readHolder(file);
    if (now === 'missing' || now.text !== staleText) return false;
    await rm(file, { force: true });
    return true;
  } finally {
    await releaseIfOurs(guard, me.nonce);
  }
}

async function releaseIfOurs(file: string, nonce: string): Promise<void> {
  const current = await readHolder(file).catch(() => 'missing' as const);
  if (current !== 'missing' && current.holder?.nonce === nonce) await rm(file, { force: true });
}
