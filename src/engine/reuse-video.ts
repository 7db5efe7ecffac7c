// A `reuse` decision carried out: the source's video (the same request, rendered under another
// shot id or manifest) is copied to `videos/<shot>.mp4.part`, its sha256 checked against the one
// the source records, renamed, and recorded as `reused` — nothing is submitted. A copy that does
// not verify fails the shot without submitting: the plan counted no cost for it, and the next run
// decides again from what is on disk.
import path from 'node:path';
import type { ReusedRecord } from '../core/ledger/records.js';
import type { RenderDecision } from '../core/plan/render-decision.js';
import type { PlannedRequest } from '../core/types.js';
import type { EngineContext } from './engine-context.js';
import type { ShotOutcome } from './events.js';
import { storeVideo } from './store-video.js';

export async function reuseVideo(ctx: EngineContext, req: PlannedRequest, d: RenderDecision, base: ShotOutcome): Promise<ShotOutcome> {
  let source = d.reuse!;
  const { output } = ctx.deps;
  if (source.inRun) {
    // The same request is rendered by another shot of this run: its outcome is this one's.
    ctx.phase(req.shotId, 'queued', { detail: d.reason });
    const twin = await ctx.state.outcomeOf(source.from.shot);
    if (!twin || twin.status !== 'succeeded' || !twin.sha256 || !twin.file) {
      const status = twin?.status === 'interrupted' ? 'interrupted' : 'failed';
      const message = `the same request as ${source.from.shot}, which ${twin ? `ended ${twin.status}${twin.code ? ` (${twin.code}: ${twin.message ?? ''})` : ''}` : 'is not part of this run'}; nothing was submitted for this shot`;
      ctx.phase(req.shotId, status, { detail: message });
      return { ...base, status, ...(twin?.code ? { code: twin.code } : status === 'failed' ? { code: 'TwinFailed' } : {}), message };
    }
    source = { ...source, sha256: twin.sha256, from: { ...source.from, file: twin.file }, ...(twin.taskId ? { taskId: twin.taskId } : {}), ...(twin.videoUrl ? { videoUrl: twin.videoUrl } : {}) };
  }
  const rel = output.videoRelPath(req.shotId);
  const part = `${rel}.part`;
  ctx.phase(req.shotId, 'downloading', { detail: d.reason });
  let copy: { exists: boolean; sha256?: string; bytes?: number } = { exists: false };
  let error: string | undefined;
  try {
    copy = await output.copyIn(path.join(source.dir, source.from.file), part);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (!copy.exists || copy.sha256 !== source.sha256 || copy.bytes === undefined) {
    await output.remove(part).catch(() => undefined);
    const why = error !== undefined ? `could not be copied (${error})` : 'no longer has the sha256 it was planned with';
    const message = `the video of ${source.from.shot} (${source.from.file}) ${why}; nothing was submitted — run again to decide anew`;
    ctx.phase(req.shotId, 'failed', { detail: message });
    return { ...base, status: 'failed', code: 'ReuseFailed', message };
  }
  await output.rename(part, rel);
  await ctx.record<ReusedRecord>({
    t: 'reused',
    shot: req.shotId,
    key: req.key,
    model: req.model,
    file: rel,
    bytes: copy.bytes,
    sha256: copy.sha256,
    ...(source.taskId ? { taskId: source.taskId } : {}),
    ...(source.videoUrl ? { videoUrl: source.videoUrl } : {}),
    from: source.from,
  });
  const stored = ctx.deps.store ? await storeVideo(ctx, { shot: req.shotId, key: req.key, model: req.model, taskId: source.taskId ?? '' }, { rel, sha256: copy.sha256, bytes: copy.bytes }) : {};
  ctx.phase(req.shotId, 'done', { detail: d.reason, ...(source.taskId ? { taskId: source.taskId } : {}) });
  return {
    ...base,
    status: 'succeeded',
    ...(source.taskId ? { taskId: source.taskId } : {}),
    taskStatus: 'SUCCEEDED',
    file: rel,
    sha256: copy.sha256,
    bytes: copy.bytes,
    ...(source.videoUrl ? { videoUrl: source.videoUrl } : {}),
    ...stored,
  };
}
