// Puts a just-downloaded video in the object store and records the outcome in the ledger. A
// store failure never fails the shot: the verified local video stands, the ledger says
// `store-failed`, and the next run (or `pixverse push`) uploads it.
import type { StoredRecord, StoreFailedRecord } from '../core/ledger/records.js';
import { videoRel } from '../core/store/store-location.js';
import { storeErrorCode } from './ports.js';
import type { EngineContext } from './engine-context.js';

export interface StoredVideo {
  stored?: string;
  storeError?: string;
}

export async function storeVideo(
  ctx: EngineContext,
  job: { shot: string; key: string; taskId: string; model: string },
  video: { rel: string; sha256: string; bytes: number },
): Promise<StoredVideo> {
  const store = ctx.deps.store!;
  ctx.phase(job.shot, 'storing', { taskId: job.taskId });
  try {
    const put = await store.putVideo(ctx.deps.output.abs(video.rel), video.sha256, video.bytes);
    await ctx.record<StoredRecord>({ t: 'stored', shot: job.shot, key: job.key, sha256: video.sha256, bytes: video.bytes, url: put.url, existed: put.existed });
    await store
      .putRenderRecord({ request_key: job.key, model: job.model, sha256: video.sha256, bytes: video.bytes, video: videoRel(video.sha256), task_id: job.taskId || null, shot: job.shot })
      .catch((e: unknown) => ctx.warn(`the video is stored but its render record is not (${e instanceof Error ? e.message : String(e)})`, job.shot));
    return { stored: put.url };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await ctx.record<StoreFailedRecord>({ t: 'store-failed', shot: job.shot, key: job.key, sha256: video.sha256, store: store.url, code: storeErrorCode(e), message });
    ctx.warn(`rendered but not stored (${message}); the video is kept on disk and the next run or \`pixverse push\` uploads it`, job.shot);
    return { storeError: message };
  }
}
