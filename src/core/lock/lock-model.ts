// The lock file beside the manifest (`<manifest>.lock.yaml`, meant to be committed): per shot, the
// request key and the video it produced. It is a fold over the ledger (plus the previous lock, so
// a fresh ledger never forgets what a committed lock knew), written in a fixed, sorted layout with
// no timestamps and no absolute paths, so re-running without changes reproduces it byte for byte
// and a diff names exactly the shots that changed.
//
// This is the lock as a value (build, to and from plain data); the YAML text is made and read in
// src/io (write-lock-file.ts, read-lock-file.ts) with the `yaml` package.
import { lastRenderedAttempt } from '../ledger/fold-ledger.js';
import { countsAsModelStudio } from '../server-identity.js';
import type { ServerIdentity } from '../server-identity.js';
import type { LedgerView } from '../ledger/fold-ledger.js';
import { parseObjectUrl } from '../store/store-location.js';
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
  /** The video in the object store, `s3://bucket/<prefix>/videos/<sha256>.mp4` (`pixverse pull` fetches it). */
  stored?: string;
  /** The server that made it: origin (`https://dashscope.aliyuncs.com`), region and workspace. */
  server?: string;
  region?: string;
  workspace?: string;
}

/**
 * The server a lock entry says made its video; undefined for entries from before it was recorded.
 * The lock beside a manifest only ever holds Model Studio renders; an emulator space's lock is
 * never adopted (src/app/run-lock.ts).
 */
export function lockEntryServer(e: LockEntry, modelStudio = true): ServerIdentity | undefined {
  if (e.server === undefined || e.region === undefined) return undefined;
  return { origin: e.server, region: e.region, ...(e.workspace ? { workspace: e.workspace } : {}), modelStudio };
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

/** The seed a request body sends, if any. */
export function seedOf(body: { parameters: Record<string, unknown> } | undefined): number | undefined {
  const seed = body?.parameters['seed'];
  return typeof seed === 'number' ? seed : undefined;
}

/**
 * The lock for the current plans: each shot's newest downloaded video from the ledger, else the
 * previous lock's entry (a fresh clone's ledger starts empty). Shots no longer in the manifest
 * are dropped.
 */
export function buildLock(plans: readonly PlannedRequest[], ledger: LedgerView, previous?: LockFile, only?: { modelStudioFor: ServerIdentity | undefined }): LockFile {
  const before = new Map((previous?.shots ?? []).map((e) => [e.id, e]));
  const shots: LockEntry[] = [];
  // The committed lock (`only`): renders of Model Studio alone, never an emulator's or a test server's.
  const accept = only ? (a: { server?: ServerIdentity }) => !a.server || countsAsModelStudio(a.server, only.modelStudioFor) : undefined;
  for (const plan of plans) {
    const rendered = lastRenderedAttempt(ledger.shots.get(plan.shotId), accept);
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
      // Stored by this ledger, or (a clone that pulled it) as the previous lock says for these bytes.
      const kept = before.get(plan.shotId);
      const stored = ledger.storedBySha.get(d.sha256)?.url ?? (kept?.sha256 === d.sha256 ? kept.stored : undefined);
      if (stored) entry.stored = stored;
      if (rendered.server && !rendered.server.derived) {
        entry.server = rendered.server.origin;
        entry.region = rendered.server.region;
        if (rendered.server.workspace) entry.workspace = rendered.server.workspace;
      }
      shots.push(entry);
      continue;
    }
    const kept = before.get(plan.shotId);
    if (kept) shots.push(kept);
  }
  shots.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { version: LOCK_VERSION, shots };
}

/** Field order of an entry in the file: what a reviewer reads first comes first. */
export const LOCK_ENTRY_FIELDS = ['key', 'model', 'seed', 'task_id', 'file', 'bytes', 'sha256', 'url', 'stored', 'server', 'region', 'workspace'] as const;

/** Names the lock file writes plain (everything else, shot ids included, is quoted). */
export const LOCK_FIELD_NAMES: ReadonlySet<string> = new Set(['version', 'shots', ...LOCK_ENTRY_FIELDS]);

/** The comment at the top of the file. */
export const LOCK_HEADER = [
  "pixverse lock file: the video each shot's request produced. Written by `pixverse run`;",
  'commit it. Sorted by shot id; changes only when a shot changes. Do not edit by hand.',
];

/**
 * The lock as data in file layout: `shots` is a Map (a plain object would move integer-like ids
 * such as `"2"` ahead of the others) and each entry lists its fields in LOCK_ENTRY_FIELDS order.
 */
export function lockToData(lock: LockFile): { version: number; shots: Map<string, Record<string, string | number>> } {
  const shots = new Map<string, Record<string, string | number>>();
  for (const entry of lock.shots) {
    const fields: Record<string, string | number> = {};
    for (const field of LOCK_ENTRY_FIELDS) {
      const value = entry[field];
      if (value !== undefined) fields[field] = value;
    }
    shots.set(entry.id, fields);
  }
  return { version: lock.version, shots };
}

export type LockFromData = { ok: true; lock: LockFile } | { ok: false; message: string };

/** Entries of a mapping read from YAML (Maps) or JSON (plain objects); undefined for anything else. */
function entriesOf(value: unknown): [string, unknown][] | undefined {
  if (value instanceof Map) return [...value].map(([k, v]) => [String(k), v]);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  return undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks data read from a lock file and returns the lock. Anything outside the layout (unknown
 * field, wrong type, unsafe path, other version) refuses the whole file with a message naming
 * the shot and field: a hand-edited lock is ignored, never trusted halfway. The layout, not the
 * formatting, is checked: any valid YAML spelling of the same data reads the same.
 */
export function lockFromData(data: unknown): LockFromData {
  const fail = (message: string): LockFromData => ({ ok: false, message });
  const top = entriesOf(data);
  if (!top) return fail('the lock must be a mapping with version and shots');
  const topMap = new Map(top);
  for (const [name] of top) if (name !== 'version' && name !== 'shots') return fail(`unknown top-level field '${name}'`);
  const version = topMap.get('version');
  if (version !== LOCK_VERSION) return fail(`unsupported lock version ${version === undefined ? '(missing)' : JSON.stringify(version)}`);
  const rawShots = topMap.get('shots');
  // `shots:` with nothing after it is an empty mapping to a YAML reader too.
  const shotEntries = rawShots === null || rawShots === undefined ? [] : entriesOf(rawShots);
  if (!shotEntries) return fail('shots must be a mapping of shot id to entry');
  const shots: LockEntry[] = [];
  for (const [id, raw] of shotEntries) {
    const where = `shot ${JSON.stringify(id)}`;
    const fields = entriesOf(raw);
    if (!fields) return fail(`${where}: the entry must be a mapping`);
    const entry: Record<string, unknown> = { id };
    for (const [field, value] of fields) {
      if (!(LOCK_ENTRY_FIELDS as readonly string[]).includes(field)) return fail(`${where}: unknown field '${field}'`);
      const wantsInteger = field === 'seed' || field === 'bytes';
      if (wantsInteger ? !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) : typeof value !== 'string') {
        return fail(`${where}: '${field}' must be ${wantsInteger ? 'a non-negative integer' : 'a string'}`);
      }
      entry[field] = value;
    }
    for (const field of ['key', 'model', 'file', 'sha256'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '') return fail(`${where}: '${field}' is missing`);
    }
    if (!SHA256.test(entry['sha256'] as string)) return fail(`${where}: 'sha256' must be 64 lower-case hex digits`);
    if (!isSafeRelativePath(entry['file'] as string)) return fail(`${where}: 'file' must be a path relative to the output directory`);
    if (entry['stored'] !== undefined && !parseObjectUrl(entry['stored'] as string)) return fail(`${where}: 'stored' must be an s3://bucket/key URL`);
    shots.push(entry as unknown as LockEntry);
  }
  return { ok: true, lock: { version: LOCK_VERSION, shots } };
}
