// A finished task's video → `videos/<shot>.mp4`: streamed to `<file>.part` (the client hashes
// as it writes and checks status and length), content type checked, renamed, then recorded in
// the ledger with its sha256. A URL that stops working (expired: 403) is refreshed from the task
// while the task is still queryable.
import { backoffDelayMs } from '../core/task/backoff.js';
import type { DownloadedRecord, DownloadFailedRecord } from '../core/ledger/records.js';
import { abortError } from './clock.js';
import { describeFailure } from './dashscope-failure.js';
import type { EngineContext } from './engine-context.js';
import type { ShotOutcome } from './events.js';
import { storeVideo } from './store-video.js';

export interface DownloadJob {
  shot: string;
  key: string;
  /** Empty only for a render adopted from a lock entry without task id (then only its URL works). */
  taskId: string;
  /** The URL the task reported, if known; otherwise it is asked from the task first. */
  videoUrl: string | undefined;
  /** The model that rendered it (recorded with the video in the object store). */
  model: string;
}

/** Statuses that mean "this URL will not work again" (expired signature, gone). */
const DEAD_URL_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 410]);

/** Content types we accept for a video body. */
export function isVideoContentType(ct: string | undefined): boolean {
  if (ct === undefined) return true;
  const t = ct.split(';')[0]!.trim().toLowerCase();
  return t.startsWith('video/') || t === 'application/octet-stream' || t === 'binary/octet-stream';
}

export function downloadVideo(ctx: EngineContext, job: DownloadJob, base: ShotOutcome): Promise<ShotOutcome> {
  return ctx.downloads(() => downloadNow(ctx, job, base));
}

async function downloadNow(ctx: EngineContext, job: DownloadJob, base: ShotOutcome): Promise<ShotOutcome> {
  const { output, client, clock } = ctx.deps;
  if (ctx.signal.aborted) throw abortError(ctx.signal);
  ctx.phase(job.shot, 'downloading', { taskId: job.taskId });
  const rel = output.videoRelPath(job.shot);
  const part = `${rel}.part`;
  await output.ensureParent(rel);
  let url = job.videoUrl;
  let triedUrl = false;
  let lastError = 'no attempt made';
  const attempts = Math.max(1, ctx.options.downloadAttempts);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    if (!url) {
      const fresh = await refreshUrl(ctx, job, triedUrl);
      if ('final' in fresh) {
        lastError = fresh.final;
        break;
      }
      if ('retry' in fresh) {
        lastError = fresh.retry;
        await clock.sleep(backoff(ctx, attempt), ctx.signal);
        continue;
      }
      url = fresh.url;
    }
    triedUrl = true;
    try {
      ctx.counters.download++;
      const res = await client.download(url, output.abs(part), { signal: ctx.signal });
      if (!(res.bytes > 0)) throw new Error('the server sent an empty body');
      if (!isVideoContentType(res.contentType)) throw new Error(`the server sent ${res.contentType}, not a video`);
      await output.rename(part, rel);
      const measured = await measure(ctx, rel);
      await ctx.record<DownloadedRecord>({ t: 'downloaded', shot: job.shot, key: job.key, taskId: job.taskId, file: rel, bytes: res.bytes, sha256: res.sha256, videoUrl: url, ...measured });
      // Right after the verified download: the video is safe on disk whatever the store does.
      const stored = ctx.deps.store ? await storeVideo(ctx, job, { rel, sha256: res.sha256, bytes: res.bytes }) : {};
      ctx.phase(job.shot, 'done', { taskId: job.taskId });
      return { ...base, status: 'succeeded', taskId: job.taskId, taskStatus: 'SUCCEEDED', file: rel, sha256: res.sha256, bytes: res.bytes, videoUrl: url, ...stored };
    } catch (e) {
      await output.remove(part).catch(() => undefined);
      if (ctx.signal.aborted) throw e;
      const f = describeFailure(e);
      lastError = f.errorClass === 'unknown' ? f.message : `${f.code}: ${f.message}`;
      if (f.httpStatus !== undefined && DEAD_URL_STATUSES.has(f.httpStatus)) {
        url = undefined; // ask the task for a fresh URL
      } else {
        await clock.sleep(backoff(ctx, attempt), ctx.signal);
      }
    }
  }
  await ctx.record<DownloadFailedRecord>({ t: 'download-failed', shot: job.shot, key: job.key, taskId: job.taskId, message: lastError });
  ctx.phase(job.shot, 'failed', { taskId: job.taskId, detail: `download failed: ${lastError}` });
  return { ...base, status: 'failed', taskId: job.taskId, taskStatus: 'SUCCEEDED', code: 'DownloadFailed', message: lastError };
}

/** The file's own metadata, the evidence of what was delivered; a file the reader cannot parse is noted, not failed. */
async function measure(ctx: EngineContext, rel: string): Promise<Pick<DownloadedRecord, 'media' | 'mediaError'>> {
  if (!ctx.deps.output.measureVideo) return {};
  try {
    return { media: await ctx.deps.output.measureVideo(rel) };
  } catch (e) {
    return { mediaError: e instanceof Error ? e.message : String(e) };
  }
}

function backoff(ctx: EngineContext, attempt: number): number {
  const cfg = ctx.options.queryBackoff;
  return backoffDelayMs({ baseMs: ctx.serverMs(cfg.baseMs), maxMs: ctx.serverMs(cfg.maxMs) }, attempt, ctx.deps.random());
}

/** GET the task for its current video_url. */
async function refreshUrl(ctx: EngineContext, job: DownloadJob, hadUrl: boolean): Promise<{ url: string } | { final: string } | { retry: string }> {
  // A render adopted from a lock entry without task id has only its URL.
  if (!job.taskId) return { final: 'the video URL does not work and no task id is recorded to ask for a fresh one' };
  try {
    // Throttling and 5xx wait (shared backoff) and try again; only a lasting failure counts
    // against the download's attempts.
    const res = await ctx.queries.run(() => ctx.deps.client.getTask(job.taskId), { maxAttempts: 4, count: () => ctx.counters.getTask++, signal: ctx.signal });
    ctx.snapshot(job.shot, { source: 'get', response: res.raw });
    const status = res.status;
    if (status === 'SUCCEEDED' && res.videoUrl) return { url: res.videoUrl };
    return { final: `${hadUrl ? 'the video URL no longer works and ' : ''}task ${job.taskId} is ${status}${status === 'UNKNOWN' ? ' (expired after 24 h)' : ''}` };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const f = describeFailure(e);
    if (f.errorClass === 'fatal') return { final: `${f.code}: ${f.message}` };
    return { retry: `${f.code}: ${f.message}` };
  }
}
