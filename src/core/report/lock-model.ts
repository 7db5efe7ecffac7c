// The lock file beside the manifest (`<manifest>.lock.yaml`, meant to be committed): per shot, the
// request key and the video it produced. It is a fold over the ledger (plus the previous lock, so
// a fresh ledger never forgets what a committed lock knew), written in a fixed, sorted layout with
// no timestamps and no absolute paths, so re-running without changes reproduces it byte for byte
// and a diff names exactly the shots that changed.
//
// The layout is a small, fixed subset of YAML (block mappings, JSON-quoted strings, integers),
// which is why it is emitted and parsed here without a YAML library.
import { lastRenderedAttempt } from '../ledger/fold-ledger.js';
import type { LedgerView } from '../ledger/fold-ledger.js';
import type { PlannedRequest } from '../types.js';

export const LOCK_VERSION = 1;

export interface LockEntry {
  /** Shot id. */
  id: string;
  /** Content key of the request that produced the video. */
  key: string;
  model: string;
  seed?: number;
  task_id?: string;
  /** Path relative to the manifest's output directory, e.g. `videos/hero.mp4`. */
  file: string;
  bytes?: number;
  sha256: string;
  /** Only when the URL does not expire (PixVerse); signed Wan URLs die after 24 h. */
  url?: string;
}

export interface LockFile {
  version: number;
  /** Sorted by id (code-unit order, independent of locale). */
  shots: LockEntry[];
}

/** `jobs/x.yaml` → `jobs/x.lock.yaml` (also for `.yml`; other names get `.lock.yaml` appended). */
export function lockPathFor(manifestPath: string): string {
  return manifestPath.replace(/\.ya?ml$/i, '') + '.lock.yaml';
}

/**
 * A video URL worth committing: not signed with an expiry (Wan's `?Expires=…&Signature=…` URLs
 * last 24 h) and not on a loopback host (the emulator's port changes every run).
 */
export function isStableVideoUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  if (host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1') return false;
  for (const name of parsed.searchParams.keys()) {
    if (/^(expires|signature|ossaccesskeyid|security-token)$/i.test(name) || /^x-(oss|amz)-/i.test(name)) return false;
  }
  return true;
}

/** True for a relative path that stays inside the output directory (no `..`, not absolute). */
export function isSafeRelativePath(p: string): boolean {
  if (!p || p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z]:/.test(p)) return false;
  return !p.split(/[\\/]/).some((segment) => segment === '..' || segment === '');
}

function seedOf(body: { parameters: Record<string, unknown> } | undefined): number | undefined {
  const seed = body?.parameters['seed'];
  return typeof seed === 'number' ? seed : undefined;
}

/**
 * The lock for the current plans: each shot's newest downloaded video from the ledger, else the
 * previous lock's entry (a fresh clone's ledger starts empty). Shots no longer in the manifest
 * are dropped.
 */
export function buildLock(plans: readonly PlannedRequest[], ledger: LedgerView, previous?: LockFile): LockFile {
  const before = new Map((previous?.shots ?? []).map((e) => [e.id, e]));
  const shots: LockEntry[] = [];
  for (const plan of plans) {
    const rendered = lastRenderedAttempt(ledger.shots.get(plan.shotId));
    if (rendered?.download && isSafeRelativePath(rendered.download.file)) {
      const d = rendered.download;
      // The seed of the request that produced the video: the plan's when it is that request.
      const seed = rendered.key === plan.key ? seedOf(plan.body) : seedOf(rendered.body);
      const entry: LockEntry = { id: plan.shotId, key: rendered.key, model: rendered.model, file: d.file, sha256: d.sha256 };
      if (seed !== undefined) entry.seed = seed;
      if (rendered.taskId) entry.task_id = rendered.taskId;
      entry.bytes = d.bytes;
      const url = d.videoUrl || rendered.videoUrl;
      if (url && isStableVideoUrl(url)) entry.url = url;
      shots.push(entry);
      continue;
    }
    const kept = before.get(plan.shotId);
    if (kept) shots.push(kept);
  }
  shots.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { version: LOCK_VERSION, shots };
}

const FIELD_ORDER = ['key', 'model', 'seed', 'task_id', 'file', 'bytes', 'sha256', 'url'] as const;

/** The lock as text: fixed field order, JSON-quoted strings (valid YAML), LF line ends. */
export function renderLock(lock: LockFile): string {
  const lines = [
    '# pixverse lock file: the video each shot\'s request produced. Written by `pixverse run`;',
    '# commit it. Sorted by shot id; changes only when a shot changes. Do not edit by hand.',
    `version: ${lock.version}`,
  ];
  if (lock.shots.length === 0) {
    lines.push('shots: {}');
  } else {
    lines.push('shots:');
    for (const entry of lock.shots) {
      lines.push(`  ${JSON.stringify(entry.id)}:`);
      for (const field of FIELD_ORDER) {
        const value = entry[field];
        if (value === undefined) continue;
        lines.push(`    ${field}: ${JSON.stringify(value)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export type LockParse = { ok: true; lock: LockFile } | { ok: false; line: number; message: string };

/**
 * Reads a lock written by `renderLock`. Anything outside that layout is refused with its line
 * number rather than guessed at: a hand-edited lock is ignored, never trusted halfway.
 */
export function parseLock(text: string): LockParse {
  const shots: LockEntry[] = [];
  let version: number | undefined;
  let inShots = false;
  let current: Record<string, unknown> | undefined;
  let currentLine = 0;
  const fail = (line: number, message: string): LockParse => ({ ok: false, line, message });
  // Entry-level problems point at the entry's `"id":` line.
  const finish = (): LockParse | undefined => {
    if (!current) return undefined;
    const line = currentLine;
    const e = current;
    current = undefined;
    if (typeof e['key'] !== 'string' || typeof e['model'] !== 'string' || typeof e['file'] !== 'string' || typeof e['sha256'] !== 'string') {
      return fail(line, `shot ${JSON.stringify(e['id'])} lacks key, model, file or sha256`);
    }
    if (!isSafeRelativePath(e['file'])) return fail(line, `shot ${JSON.stringify(e['id'])}: file must be relative to the output directory`);
    shots.push(e as unknown as LockEntry);
    return undefined;
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!;
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^version:\s*(\d+)\s*$/))) {
      version = Number(m[1]);
    } else if (/^shots:\s*(\{\})?\s*$/.test(raw)) {
      inShots = true;
    } else if (inShots && (m = raw.match(/^ {2}("(?:[^"\\]|\\.)*"):\s*$/))) {
      const bad = finish();
      if (bad) return bad;
      const id = parseJson(m[1]!);
      if (typeof id !== 'string') return fail(n, 'shot id must be a quoted string');
      current = { id };
      currentLine = n;
    } else if (current && (m = raw.match(/^ {4}([a-z_0-9]+):\s*(.+?)\s*$/))) {
      const field = m[1]!;
      if (!(FIELD_ORDER as readonly string[]).includes(field)) return fail(n, `unknown field '${field}'`);
      const value = parseJson(m[2]!);
      const wantsNumber = field === 'seed' || field === 'bytes';
      if (wantsNumber ? typeof value !== 'number' : typeof value !== 'string') {
        return fail(n, `'${field}' must be ${wantsNumber ? 'a number' : 'a quoted string'}`);
      }
      current[field] = value;
    } else {
      return fail(n, 'unexpected line');
    }
  }
  const bad = finish();
  if (bad) return bad;
  if (version !== LOCK_VERSION) return fail(1, `unsupported lock version ${version ?? '(missing)'}`);
  return { ok: true, lock: { version, shots } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
