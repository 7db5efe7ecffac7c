// Builders for report tests: real plans from the planner and ledgers made of real records, with
// timestamps that advance one second per record so ordering is visible.
import { createHash } from 'node:crypto';
import { planShot } from '../../src/core/plan/plan-shots.js';
import type { PlanContext } from '../../src/core/plan/plan-shots.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import type { PlannedRequest, Shot, TaskStatus } from '../../src/core/types.js';
import type { DiskFacts, VideoFact } from '../../src/core/report/shot-state.js';

export const T2V = 'pixverse/pixverse-c1-t2v';
export const WAN = 'wan2.6-i2v-flash';

export function plan(shot: Partial<Shot> & { id: string }, ctx: PlanContext = { localFiles: new Map() }): PlannedRequest {
  const full: Shot =
    shot.model === WAN
      ? { model: WAN, reference_image: 'https://example.com/a.png', resolution: '720P', duration: 5, ...shot }
      : { model: T2V, prompt: `prompt of ${shot.id}`, size: '1280*720', duration: 5, seed: 7, ...shot };
  return planShot(full, ctx);
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface SuccessOptions {
  taskId?: string;
  usage?: Record<string, unknown>;
  file?: string;
  bytes?: number;
  sha?: string;
  videoUrl?: string;
}

/** Appends records the way the run engine writes them. */
export class LedgerScript {
  readonly records: LedgerRecord[] = [];
  private tick = 0;
  private taskSeq = 0;
  runId = 'run-1';

  at(): string {
    return new Date(Date.UTC(2026, 10, 21, 8, 0, this.tick++)).toISOString();
  }

  runStart(shots: string[], over: Partial<Extract<LedgerRecord, { t: 'run-start' }>> = {}): this {
    this.records.push({
      t: 'run-start', at: this.at(), runId: this.runId, manifest: 'jobs/demo.yaml', manifestSha256: sha256('m'), toolVersion: '0.1.0',
      region: 'cn-beijing', baseUrl: 'http://127.0.0.1:1/api/v1', emulator: true, shots, ...over,
    });
    return this;
  }

  runEnd(interrupted = false): this {
    this.records.push({ t: 'run-end', at: this.at(), runId: this.runId, interrupted, counts: {} });
    return this;
  }

  intent(p: PlannedRequest, reason = 'new shot', attempt = 1): this {
    this.records.push({
      t: 'intent', at: this.at(), runId: this.runId, shot: p.shotId, key: p.key, model: p.model, endpoint: p.endpoint, attempt, reason,
      body: p.body, mediaSha256: Object.fromEntries(p.localMedia.map((m) => [m.manifestPath, m.sha256])),
    });
    return this;
  }

  submitted(p: PlannedRequest, taskId = `task-${++this.taskSeq}`): string {
    this.records.push({ t: 'submitted', at: this.at(), runId: this.runId, shot: p.shotId, key: p.key, taskId, requestId: `req-${taskId}` });
    return taskId;
  }

  state(p: PlannedRequest, taskId: string, status: TaskStatus, extra: Partial<Extract<LedgerRecord, { t: 'state' }>> = {}): this {
    this.records.push({ t: 'state', at: this.at(), runId: this.runId, shot: p.shotId, key: p.key, taskId, status, ...extra });
    return this;
  }

  /** intent → submitted → RUNNING → SUCCEEDED → downloaded. Returns the task id. */
  success(p: PlannedRequest, o: SuccessOptions = {}, reason = 'new shot'): string {
    this.intent(p, reason);
    const taskId = this.submitted(p, o.taskId);
    const videoUrl = o.videoUrl ?? `http://127.0.0.1:1/__files/${taskId}.mp4?Expires=1`;
    this.state(p, taskId, 'RUNNING', { submitTime: '2026-11-21 16:00:00.000', scheduledTime: '2026-11-21 16:00:01.000' });
    this.state(p, taskId, 'SUCCEEDED', {
      submitTime: '2026-11-21 16:00:00.000', scheduledTime: '2026-11-21 16:00:01.000', endTime: '2026-11-21 16:00:30.000', videoUrl,
      usage: o.usage ?? { duration: 5, size: '1280*720', fps: 24, video_count: 1, audio: false, SR: '720' },
    });
    this.records.push({
      t: 'downloaded', at: this.at(), runId: this.runId, shot: p.shotId, key: p.key, taskId, file: o.file ?? `videos/${p.shotId}.mp4`,
      bytes: o.bytes ?? 100, sha256: o.sha ?? sha256(p.shotId), videoUrl,
    });
    return taskId;
  }

  /** intent → submitted → FAILED with a task-level error. */
  failure(p: PlannedRequest, code = 'DataInspectionFailed', message = 'Output data may contain inappropriate content.'): string {
    this.intent(p);
    const taskId = this.submitted(p);
    this.state(p, taskId, 'FAILED', { code, message, submitTime: '2026-11-21 16:00:00.000', endTime: '2026-11-21 16:00:10.000' });
    return taskId;
  }
}

/** Disk facts: every listed video exists with the given bytes (and sha256 when given). */
export function disk(videos: Record<string, VideoFact> = {}, files: string[] = []): DiskFacts {
  return { videos: new Map(Object.entries(videos)), files: new Set(files) };
}
