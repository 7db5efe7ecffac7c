// The object store around a run: which store a command uses, the write probe before anything is
// submitted, `pull` (current videos fetched from the store, verified), `push` (videos on disk
// that the store does not have yet) and the evidence upload. The engine stores each video right
// after its download (engine/store-video.ts); this completes what it could not.
import { readdir, readFile, rename } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ResolvedStore } from '../config/config-types.js';
import { UserError } from '../core/errors.js';
import { lastRenderedAttempt, renderedAttempt } from '../core/ledger/fold-ledger.js';
import type { LedgerView } from '../core/ledger/fold-ledger.js';
import type { EvidenceStoredRecord, LedgerRecord, ReusedRecord, ReuseOrigin, StoredRecord, StoreFailedRecord } from '../core/ledger/records.js';
import type { LockEntry, LockFile } from '../core/lock/lock-model.js';
import { isSafeRelativePath } from '../core/lock/lock-model.js';
import { renderHtml } from '../core/report/render-html.js';
import { renderMarkdown } from '../core/report/render-markdown.js';
import type { Report } from '../core/report/report-model.js';
import { objectUrl, videoHrefFromEvidence, videoKey, videoRel } from '../core/store/store-location.js';
import type { StoredRenderRecord } from '../core/store/store-location.js';
import { storedVideoUrl } from '../core/store/stored-video.js';
import type { PlannedRequest } from '../core/types.js';
import type { RunOutput } from '../io/run-output.js';
import { isStoreError } from '../store/object-store.js';
import type { ObjectStore, StoreError } from '../store/object-store.js';

/**
 * The store a command uses. An `--emulator` run uses only a store named on its command line
 * (`--store`), never one from the config or the environment, and then writes under `emulator/`.
 */
export function storeFor(store: ResolvedStore | undefined, emulator: boolean): { store?: ResolvedStore; ignored?: string } {
  if (!store) return {};
  if (emulator && store.source !== 'flag') return { ignored: `emulator run: the store from ${store.source === 'env' ? 'PIXVERSE_STORE' : 'the config'} (${store.url}) is not used; pass --store to store emulator renders (under ${store.url}/emulator/)` };
  return { store };
}

/** A store failure as the user error a command stops with (exit 3): which failure, and what to do. */
export function storeUserError(e: StoreError, store: ObjectStore, consequence: string): UserError {
  const hints: Partial<Record<StoreError['kind'], string>> = {
    'missing-bucket': `create the bucket, or fix the store URL (--store, PIXVERSE_STORE or store.url) and endpoint`,
    credentials: 'check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and that they may write to the bucket',
    'no-credentials': 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a profile in ~/.aws/credentials',
    unreachable: 'check store.endpoint (or AWS_ENDPOINT_URL_S3) and the network',
    'wrong-region': "set store.region to the bucket's region",
    'path-style': 'remove store.forcePathStyle',
  };
  const kind = e.kind === 'credentials' || e.kind === 'no-credentials' ? 'auth' : 'config';
  const what = e.kind === 'missing-bucket' ? 'missing bucket' : e.kind === 'credentials' ? 'credentials refused' : e.kind === 'no-credentials' ? 'no credentials' : e.kind === 'unreachable' ? 'endpoint unreachable' : e.kind;
  return new UserError(kind, `store-${e.kind}`, `store ${store.url} (${what}): ${e.message}; ${consequence}`, hints[e.kind] ?? 'check the store settings');
}

/** Opens the store and proves it can be written before anything is submitted. */
export async function openProbedStore(resolved: ResolvedStore, opts: { env?: NodeJS.ProcessEnv; emulator?: boolean; onWarning?: (m: string) => void }): Promise<ObjectStore> {
  // Loaded only here: a run without a store never loads the AWS SDK.
  const { openStore } = await import('../store/open-store.js');
  const store = openStore(resolved, { ...(opts.env ? { env: opts.env } : {}), ...(opts.emulator ? { emulator: true } : {}) });
  try {
    const probe = await store.probe();
    if (probe.warning) opts.onWarning?.(probe.warning);
    return store;
  } catch (e) {
    store.close();
    if (isStoreError(e)) throw storeUserError(e, store, 'nothing was submitted');
    throw e;
  }
}

/** What the store did for each shot. */
export interface StoreShotResult {
  shot: string;
  /**
   * pull: `present` (on disk, verified), `pulled`, `reused` (no render of the shot, but the store
   * has a video of the same request, under any shot id or manifest), `not-stored`, `failed`,
   * `nothing` (no render of the current request is recorded). push: `stored`, `already` (the store had it), `failed`,
   * `not-on-disk`, `nothing`.
   */
  result: 'present' | 'pulled' | 'reused' | 'not-stored' | 'failed' | 'nothing' | 'stored' | 'already' | 'not-on-disk';
  detail?: string;
  url?: string;
  /** For `failed`: the store error's kind (a bucket or credential problem fails every shot alike). */
  errorKind?: StoreError['kind'];
}

/** The video recorded for a shot's CURRENT request: from the ledger, else from the lock. */
function currentVideo(plan: PlannedRequest, view: LedgerView, lock: LockFile | undefined): { file: string; sha256: string; lockEntry?: LockEntry } | undefined {
  const entry = lock?.shots.find((e) => e.id === plan.shotId);
  const a = renderedAttempt(view.shots.get(plan.shotId), plan.key);
  if (a?.download) return { file: a.download.file, sha256: a.download.sha256, ...(entry ? { lockEntry: entry } : {}) };
  if (entry && entry.key === plan.key) return { file: entry.file, sha256: entry.sha256, lockEntry: entry };
  return undefined;
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Fetches from the store every video of a current request that is not on disk (or differs from
 * its recorded sha256): the object the ledger or the lock names, else the content address in
 * this store. Each is streamed to a `.part` file, verified and renamed. Submits nothing.
 */
export async function pullVideos(
  plans: readonly PlannedRequest[],
  output: RunOutput,
  view: LedgerView,
  lock: LockFile | undefined,
  store: ObjectStore,
  opts: { runId: string; signal?: AbortSignal },
): Promise<StoreShotResult[]> {
  const { signal } = opts;
  const results: StoreShotResult[] = [];
  const reused: Array<Omit<ReusedRecord, 'at' | 'runId'>> = [];
  await eachLimited(plans, 4, async (plan) => {
    const shot = plan.shotId;
    const video = currentVideo(plan, view, lock);
    if (!video && !view.shots.get(shot)?.attempts.some((a) => a.key === plan.key) && !signal?.aborted) {
      // Never attempted under this id: the store may hold the same request's video from any shot.
      const r = await pullByKey(plan, output, store, signal);
      if (r.record) reused.push(r.record);
      results.push(r.result);
      return;
    }
    if (!video || !isSafeRelativePath(video.file)) {
      results.push({ shot, result: 'nothing', detail: 'no render of the current request is recorded (ledger or lock)' });
      return;
    }
    const disk = await output.hashFile(video.file);
    if (disk.exists && disk.sha256 === video.sha256) {
      results.push({ shot, result: 'present' });
      return;
    }
    if (signal?.aborted) return;
    const url = storedVideoUrl(view, video.sha256, video.lockEntry) ?? objectUrl(store.location.bucket, videoKey(store.location, video.sha256));
    const part = `${video.file}.pull.part`;
    await output.ensureParent(video.file);
    try {
      await store.fetchVideo(url, output.abs(part), video.sha256, signal);
      await rename(output.abs(part), output.abs(video.file));
      results.push({ shot, result: 'pulled', url });
    } catch (e) {
      await output.remove(part).catch(() => undefined);
      if (isStoreError(e) && e.kind === 'not-found') results.push({ shot, result: 'not-stored', url, detail: `not in the store (${url})` });
      else results.push({ shot, result: 'failed', url, detail: e instanceof Error ? e.message : String(e), ...(isStoreError(e) ? { errorKind: e.kind } : {}) });
    }
  });
  await appendRecords(output, opts.runId, reused);
  return order(plans, results);
}

/**
 * The store's render record for the shot's key (`renders/<key>.json`, written by whichever shot
 * or manifest rendered that request first): its video is fetched, sha256 verified, and recorded
 * as `reused` — the run then skips the shot instead of submitting it.
 */
async function pullByKey(plan: PlannedRequest, output: RunOutput, store: ObjectStore, signal?: AbortSignal): Promise<{ result: StoreShotResult; record?: Omit<ReusedRecord, 'at' | 'runId'> }> {
  const shot = plan.shotId;
  let record: StoredRenderRecord | undefined;
  try {
    record = await store.getRenderRecord(plan.key);
  } catch (e) {
    return { result: { shot, result: 'failed', detail: e instanceof Error ? e.message : String(e), ...(isStoreError(e) ? { errorKind: e.kind } : {}) } };
  }
  // A record that does not name this request's video by its content address is not trusted.
  if (!record || record.request_key !== plan.key || !/^[0-9a-f]{64}$/.test(record.sha256) || record.video !== videoRel(record.sha256)) {
    return { result: { shot, result: 'nothing', detail: 'no render of the current request is recorded (ledger, lock or store)' } };
  }
  const url = objectUrl(store.location.bucket, videoKey(store.location, record.sha256));
  const rel = output.videoRelPath(shot);
  const part = `${rel}.pull.part`;
  await output.ensureParent(rel);
  try {
    const { bytes } = await store.fetchVideo(url, output.abs(part), record.sha256, signal);
    await rename(output.abs(part), output.abs(rel));
    const from: ReuseOrigin = { shot: record.shot, record: 'store', file: url };
    return {
      result: { shot, result: 'reused', url, detail: `reused from ${record.shot} (the same request, in the store)` },
      record: { t: 'reused', shot, key: plan.key, model: plan.model, file: rel, bytes, sha256: record.sha256, ...(record.task_id ? { taskId: record.task_id } : {}), from },
    };
  } catch (e) {
    await output.remove(part).catch(() => undefined);
    if (isStoreError(e) && e.kind === 'not-found') return { result: { shot, result: 'not-stored', url, detail: `the render record names ${url}, which is not in the store` } };
    return { result: { shot, result: 'failed', url, detail: e instanceof Error ? e.message : String(e), ...(isStoreError(e) ? { errorKind: e.kind } : {}) } };
  }
}

function order(plans: readonly PlannedRequest[], results: StoreShotResult[]): StoreShotResult[] {
  const at = new Map(plans.map((p, i) => [p.shotId, i]));
  return results.sort((a, b) => at.get(a.shot)! - at.get(b.shot)!);
}

/** Appends store records to the ledger (flushed), stamped with `runId`. */
async function appendRecords(output: RunOutput, runId: string, records: Array<Omit<LedgerRecord, 'at' | 'runId'>>): Promise<void> {
  if (records.length === 0) return;
  const ledger = await output.openLedger();
  try {
    for (const r of records) await ledger.append({ ...r, at: new Date().toISOString(), runId } as LedgerRecord);
  } finally {
    await ledger.close();
  }
}

/**
 * Puts every shot's video that is on disk (with its recorded sha256) and not yet in this store:
 * renders made before a store was set, and uploads a run could not complete. Records `stored` or
 * `store-failed` in the ledger.
 */
export async function pushVideos(plans: readonly PlannedRequest[], output: RunOutput, view: LedgerView, lock: LockFile | undefined, store: ObjectStore, runId: string): Promise<StoreShotResult[]> {
  const results: StoreShotResult[] = [];
  const records: Array<Omit<StoredRecord, 'at' | 'runId'> | Omit<StoreFailedRecord, 'at' | 'runId'>> = [];
  await eachLimited(plans, 4, async (plan) => {
    const shot = plan.shotId;
    const entry = lock?.shots.find((e) => e.id === shot);
    const a = lastRenderedAttempt(view.shots.get(shot));
    const video = a?.download ? { file: a.download.file, sha256: a.download.sha256, key: a.key, model: a.model, taskId: a.taskId } : entry ? { file: entry.file, sha256: entry.sha256, key: entry.key, model: entry.model, taskId: entry.task_id } : undefined;
    if (!video || !isSafeRelativePath(video.file)) {
      results.push({ shot, result: 'nothing' });
      return;
    }
    const known = storedVideoUrl(view, video.sha256, entry, store.location);
    if (known) {
      results.push({ shot, result: 'already', url: known });
      return;
    }
    const disk = await output.hashFile(video.file);
    if (!disk.exists || disk.sha256 !== video.sha256) {
      results.push({ shot, result: 'not-on-disk', detail: `${video.file} is ${disk.exists ? 'not the recorded video (sha256 differs)' : 'not on disk'}` });
      return;
    }
    try {
      const put = await store.putVideo(output.abs(video.file), video.sha256, disk.bytes!);
      records.push({ t: 'stored', shot, key: video.key, sha256: video.sha256, bytes: disk.bytes!, url: put.url, existed: put.existed });
      await store
        .putRenderRecord({ request_key: video.key, model: video.model, sha256: video.sha256, bytes: disk.bytes!, video: videoRel(video.sha256), task_id: video.taskId ?? null, shot })
        .catch(() => undefined);
      results.push({ shot, result: put.existed ? 'already' : 'stored', url: put.url });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      records.push({ t: 'store-failed', shot, key: video.key, sha256: video.sha256, store: store.url, code: isStoreError(e) ? e.code : 'Error', message });
      results.push({ shot, result: 'failed', detail: message, ...(isStoreError(e) ? { errorKind: e.kind } : {}) });
    }
  });
  await appendRecords(output, runId, records);
  return order(plans, results);
}

/**
 * The report as the store serves it: videos linked at their content address (`../videos/<sha256>.mp4`
 * from the manifest's folder), shots without a stored video shown without one, no plan files.
 */
export function storedReportView(report: Report): Report {
  return {
    ...report,
    shots: report.shots.map((s) => ({
      ...s,
      file: s.stored ? videoHrefFromEvidence(s.stored.sha256) : null,
      file_on_disk: Boolean(s.stored),
      // Posters stay on disk: the stored sheet shows the browser's own frame.
      poster_file: null,
      plan_file: null,
    })),
  };
}

const EVIDENCE_DIRS: Record<string, string> = { requests: 'application/json', snapshots: 'application/x-ndjson' };

/**
 * Puts the evidence under `<prefix>/<manifest name>/`: request bodies, snapshots, report.json,
 * and report.md and index.html rendered with links into the store. Only files whose content
 * changed since the last put (the ledger's `evidence-stored` records) go up. Returns the failures.
 */
export async function pushEvidence(manifestName: string, output: RunOutput, view: LedgerView, store: ObjectStore, report: Report, runId: string): Promise<string[]> {
  const files: Array<{ rel: string; body: Buffer | string; type: string }> = [];
  for (const [dir, type] of Object.entries(EVIDENCE_DIRS)) {
    let names: string[] = [];
    try {
      names = await readdir(output.abs(dir));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (name.endsWith('.part')) continue;
      files.push({ rel: `${dir}/${name}`, body: await readFile(path.join(output.abs(dir), name)), type });
    }
  }
  const stored = storedReportView(report);
  files.push({ rel: 'report.json', body: JSON.stringify(report, null, 2) + '\n', type: 'application/json' });
  files.push({ rel: 'report.md', body: renderMarkdown(stored), type: 'text/markdown; charset=utf-8' });
  files.push({ rel: 'index.html', body: renderHtml(stored), type: 'text/html; charset=utf-8' });

  const put: Record<string, string> = {};
  const failures: string[] = [];
  await eachLimited(files, 4, async (f) => {
    const sha = createHash('sha256').update(f.body).digest('hex');
    if (view.evidence.get(`${store.url}|${f.rel}`) === sha) return;
    try {
      await store.putEvidence(manifestName, f.rel, f.body, f.type);
      put[f.rel] = sha;
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  });
  if (Object.keys(put).length > 0) await appendRecords(output, runId, [{ t: 'evidence-stored', store: store.url, files: put } as Omit<EvidenceStoredRecord, 'at' | 'runId'>]);
  return failures;
}
