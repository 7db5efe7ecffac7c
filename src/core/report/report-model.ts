// The run report as data: a fold over the ledger for the current plans, in manifest order. The
// JSON form is `report.json` (described by schemas/report.schema.json); markdown and HTML are
// renderings of the same value. Field names are snake_case like the DashScope responses they
// quote. Pure: times, files on disk and prices come in as arguments.
import { findModel } from '../catalog/lookup.js';
import type { AttemptState, LedgerView } from '../ledger/fold-ledger.js';
import type { ReuseOrigin, RunEndRecord, RunStartRecord } from '../ledger/records.js';
import { pricePerSecond, roundMoney, type PriceTable } from '../plan/cost.js';
import type { PlannedRequest, Region, Tier } from '../types.js';
import type { LockFile } from '../lock/lock-model.js';
import { storedVideoUrl } from '../store/stored-video.js';
import { objectHttpUrl, type StoreAddressing } from '../store/store-location.js';
import { serverTimeToIso } from './server-time.js';
import { shotState } from './shot-state.js';
import type { VideoFacts } from '../evidence/video-facts.js';
import { shotEvidence } from '../evidence/shot-evidence.js';
import { posterPathOf } from '../evidence/poster-path.js';
import { describeServer, IN_PROCESS_EMULATOR } from '../server-identity.js';
import type { ServerIdentity } from '../server-identity.js';
import type { DiskFacts, ShotState, ShotStateKind } from './shot-state.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportCounts {
  shots: number;
  current: number;
  stale: number;
  running: number;
  failed: number;
  missing: number;
  never_rendered: number;
  /** Shots whose video was rendered by the run this report describes. */
  rendered_this_run: number;
  /** Shots whose attempt in this run failed. */
  failed_this_run: number;
  /** Shots this run did not submit (unchanged, or not selected). */
  skipped: number;
}

export interface ReportRun {
  manifest: string;
  manifest_name: string;
  manifest_sha256: string;
  tool_version: string;
  region: string;
  base_url: string;
  /**
   * True when the tasks ran on anything but Model Studio (the emulator, `--base-url` to a test
   * server): the videos are not renders from Model Studio, and every rendering says so.
   */
  emulator: boolean;
  /** The server the run talked to; null in reports rebuilt from ledgers that did not record it. */
  server: { origin: string; region: string; workspace: string | null; model_studio: boolean } | null;
  run_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  interrupted: boolean | null;
  generated_at: string;
  counts: ReportCounts;
  /** Seconds billed by tasks that succeeded in this run (usage.duration, else the plan's figure). */
  billable_seconds: number;
  billable_seconds_by_tier: Record<string, number>;
  /** Seconds the whole manifest bills if every shot renders once. */
  planned_billable_seconds: number;
  /** Cost of the priced part of `billable_seconds`; null when no price applies to anything billed. */
  estimated_cost: number | null;
  currency: string | null;
  /** Shots billed in this run that have no configured price (not in estimated_cost). */
  unpriced_shots: string[];
  /** The object store of this run (`s3://bucket/prefix`), or null. */
  store: string | null;
}

export interface ReportShot {
  id: string;
  /** Position in the manifest (after sweep expansion), from 0. */
  index: number;
  model: string;
  family: string | null;
  variant: string | null;
  endpoint: string;
  region: string;
  prompt: string | null;
  /** `W*H` asked (t2v, r2v) or null. */
  size: string | null;
  /** Tier asked (it2v, kf2v, Wan) or null. */
  resolution: string | null;
  tier: string;
  /** `usage.size` as returned; null when the model reports none (Wan) or nothing came back. */
  size_delivered: string | null;
  duration: number | null;
  /** `usage.duration`: seconds billed. */
  duration_billed: number | null;
  fps: number | null;
  audio: boolean | null;
  audio_delivered: boolean | null;
  watermark: boolean | null;
  seed: number | null;
  seed_derived: boolean;
  /** Key of the current request. */
  key: string;
  /** Key of the request that produced the video on record (differs when stale). */
  video_key: string | null;
  state: ShotStateKind;
  detail: string;
  /** Why it rendered in this run (the planner's reason), or why it was skipped. */
  reason: string;
  this_run: boolean;
  changes: string[] | null;
  task_id: string | null;
  request_id: string | null;
  status: string | null;
  /** The task's times, converted from the server's UTC+8 strings to ISO 8601 UTC. */
  submit_time: string | null;
  scheduled_time: string | null;
  end_time: string | null;
  /** Submit attempts for the reported request. */
  attempts: number;
  video_url: string | null;
  /** Local video, relative to the report's directory. */
  file: string | null;
  /** Its poster frame (a JPEG beside it, made with ffmpeg), or null when there is none. */
  poster_file: string | null;
  file_on_disk: boolean;
  bytes: number | null;
  sha256: string | null;
  /** Where the video came from when it was reused from another render of the same request (nothing was billed for it). */
  reused_from: { shot: string; manifest: string | null; record: 'ledger' | 'lock' | 'store'; file: string } | null;
  /** The video in the object store (URL, sha256 and its https address when the store's is known), or null. */
  stored: { url: string; sha256: string; href: string | null } | null;
  /** Why the video is rendered but not stored (the last failed upload), or null. */
  store_error: string | null;
  error_code: string | null;
  error_message: string | null;
  plan_file: string | null;
  request_file: string | null;
  snapshots_file: string | null;
  /** The task's usage block as received. */
  usage: Record<string, unknown> | null;
  /** The video file's own metadata (read from its MP4 boxes after the download), or null. */
  measured: VideoFacts | null;
  /** Why the file could not be measured, when it could not. */
  measure_error: string | null;
  /** Differences that matter between the ask, the usage block and the file (empty: none). */
  mismatches: string[];
  billable_seconds: number;
  estimated_cost: number | null;
}

export interface Report {
  schema_version: number;
  run: ReportRun;
  shots: ReportShot[];
}

export interface ReportModelInput {
  manifestPath: string;
  manifestName: string;
  manifestSha256: string;
  plans: readonly PlannedRequest[];
  ledger: LedgerView;
  region: string;
  baseUrl: string;
  emulator: boolean;
  /** The server of the run (default: the latest run record's, when it has one). */
  server?: ServerIdentity;
  toolVersion: string;
  /** The resolved config's prices (per model or family, per tier, per billed second). */
  prices?: PriceTable;
  /** ISO times; default to the latest run's start and end records. */
  startedAt?: string;
  endedAt?: string;
  now: string;
  lock?: LockFile;
  disk: DiskFacts;
  /** The object store in use (`s3://bucket/prefix`), if any. */
  store?: string;
  /** How the store's objects are reached over HTTP, for links to stored videos. */
  storeAddressing?: StoreAddressing;
}

function reportServer(s: ServerIdentity | undefined): ReportRun['server'] {
  return s ? { origin: redactUrl(s.origin), region: s.region, workspace: s.workspace ?? null, model_studio: s.modelStudio } : null;
}

/** The banner every rendering of a report not from Model Studio opens with (one sentence). */
export function notModelStudioBanner(run: Pick<ReportRun, 'server'>): string {
  const s = run.server;
  const where =
    !s || s.origin === IN_PROCESS_EMULATOR
      ? 'the local DashScope emulator (--emulator)'
      : `${describeServer({ origin: s.origin, region: s.region, ...(s.workspace ? { workspace: s.workspace } : {}), modelStudio: true })}, which is not a Model Studio endpoint (an emulator or a test server)`;
  return `Not from Model Studio: these tasks ran on ${where}; the videos are test fixtures, not renders from Model Studio.`;
}

/** Drops `user:password@` from a URL: a base URL must never carry a credential into a report. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** The attempt whose task the report describes for a shot. */
function reportedAttempt(s: ShotState): AttemptState | undefined {
  if (s.state === 'running' || s.state === 'failed' || s.state === 'never-rendered') return s.attempt;
  return s.video?.attempt ?? s.attempt;
}

function skipReason(s: ShotState, selected: boolean): string {
  if (!selected) return 'not selected in this run';
  switch (s.state) {
    case 'current':
      return s.video?.source === 'lock' ? 'skipped: unchanged, video matches the lock' : `skipped: unchanged since task ${s.video?.taskId ?? '?'}`;
    case 'running':
      return 'skipped: a task is still under way';
    case 'failed':
      return 'skipped: failed earlier (retry-failed or --force resubmits it)';
    case 'stale':
      return `not re-rendered: ${s.detail}`;
    case 'missing':
      return `not re-rendered: ${s.detail}`;
    case 'never-rendered':
      return 'not submitted';
  }
}

function originOf(o: ReuseOrigin): NonNullable<ReportShot['reused_from']> {
  return { shot: o.shot, manifest: o.manifest ?? null, record: o.record, file: o.file };
}

/** What the report needs to know of the recorded runs: the latest, and when the others ran. */
interface RunsSeen {
  latest: RunStartRecord | undefined;
  latestEnd: RunEndRecord | undefined;
  regionOfRun: Map<string, string>;
  /** A state seen while an earlier run was going (else it came from `status --refresh`). */
  seenByEarlierRun(at: string | undefined): boolean;
  pricesConfigured: boolean;
}

function runsSeen(input: ReportModelInput): RunsSeen {
  const runs = input.ledger.runs;
  const latest: RunStartRecord | undefined = runs[runs.length - 1];
  const latestEnd = latest ? input.ledger.runEnds.filter((r) => r.runId === latest.runId).at(-1) : undefined;
  // Time spans of the runs before the latest: from their start to their end record (or, after
  // a crash, to the next run's start). A state seen outside them came from `status --refresh`.
  const earlierSpans = runs.slice(0, -1).map((r, i) => ({
    from: r.at,
    to: input.ledger.runEnds.filter((e) => e.runId === r.runId).at(-1)?.at ?? runs[i + 1]!.at,
  }));
  return {
    latest,
    latestEnd,
    regionOfRun: new Map(runs.map((r) => [r.runId, r.region])),
    seenByEarlierRun: (at) => at !== undefined && earlierSpans.some((w) => at >= w.from && at <= w.to),
    pricesConfigured: input.prices !== undefined || input.plans.some((p) => p.estimatedCost !== undefined || findModel(p.model)?.price !== undefined),
  };
}

/** A shot as the report sees it against the latest run: its attempt, and whether this run made it. */
interface ShotInRun {
  s: ShotState;
  a: AttemptState | undefined;
  resumed: boolean;
  thisRun: boolean;
  selected: boolean;
}

function shotInRun(input: ReportModelInput, seen: RunsSeen, plan: PlannedRequest): ShotInRun {
  const { latest } = seen;
  const s = shotState(plan, input.ledger, input.lock, input.disk);
  const a = reportedAttempt(s);
  // An attempt belongs to this run when this run submitted it, or re-attached to it (a resumed
  // run polls and downloads tasks an interrupted run submitted).
  const resumed = Boolean(a && latest && a.runId !== latest.runId && ((a.statusAt ?? '') >= latest.at || (a.download?.at ?? '') >= latest.at));
  // A render adopted from the lock file was billed elsewhere: this run only took it over (and
  // at most downloaded its video again, which moves `download.at` past the adoption).
  const adoptedOnly = Boolean(a?.adopted && a.download?.at === a.intentAt);
  const thisRun = !adoptedOnly && Boolean(a && latest && (a.runId === latest.runId || resumed));
  const selected = !latest || latest.shots.includes(plan.shotId);
  return { s, a, resumed, thisRun, selected };
}

/** What this run was billed for the shot: seconds at a tier, and their price when known. */
function billedFor(input: ReportModelInput, seen: RunsSeen, plan: PlannedRequest, shot: ShotInRun): { seconds: number; tier: string; cost: number | undefined } | undefined {
  const { a, thisRun, resumed } = shot;
  const usage = a?.usage ?? null;
  const params = plan.body.parameters;
  const durationBilled = num(usage?.['duration']);
  // Billed by the run that first saw the task succeed: a resumed run that only downloads a
  // video an earlier run already saw SUCCEEDED (interrupted mid-download) bills nothing again.
  if (!(thisRun && a?.status === 'SUCCEEDED' && !a.adopted && !a.reusedFrom && !(resumed && seen.seenByEarlierRun(a.statusAt)))) return undefined;
  const seconds = durationBilled ?? (a.key === plan.key ? plan.billableSeconds : 0);
  const sr = usage?.['SR'];
  // `usage.SR` is "720" / 720 for a P tier and "4K" as written (PixVerse upscale).
  const tier = sr !== undefined && sr !== null && String(sr) !== '' ? (/^\d+$/.test(String(sr)) ? `${String(sr)}P` : String(sr)) : plan.tier;
  // The delivered tier (`usage.SR`) may differ from the planned one: price what was billed.
  const model = findModel(a.model);
  const region = (seen.regionOfRun.get(a.runId) ?? input.region) as Region;
  const media = plan.body.input['media'];
  const mediaTypes = Array.isArray(media) ? media.map((m) => String((m as { type?: unknown }).type)) : [];
  const perSecond = model ? pricePerSecond(input.prices, model, tier as Tier, bool(params['audio']) ?? plan.audio ?? undefined, region, mediaTypes) : undefined;
  const cost =
    perSecond !== undefined
      ? roundMoney(perSecond * seconds)
      : a.key === plan.key && plan.estimatedCost !== undefined && plan.billableSeconds > 0
        ? roundMoney((plan.estimatedCost * seconds) / plan.billableSeconds)
        : undefined;
  return { seconds, tier, cost };
}

export function buildReport(input: ReportModelInput): Report {
  const seen = runsSeen(input);
  const { latest, latestEnd } = seen;
  const prices = input.prices;
  const counts: ReportCounts = {
    shots: input.plans.length,
    current: 0,
    stale: 0,
    running: 0,
    failed: 0,
    missing: 0,
    never_rendered: 0,
    rendered_this_run: 0,
    failed_this_run: 0,
    skipped: 0,
  };
  let billed = 0;
  const byTier: Record<string, number> = {};
  let cost: number | null = null;
  const unpriced: string[] = [];

  const shots = input.plans.map((plan, index): ReportShot => {
    const shot = shotInRun(input, seen, plan);
    const { s, thisRun } = shot;
    counts[s.state === 'never-rendered' ? 'never_rendered' : s.state]++;
    // A reused video was copied, not rendered: this run made the file, but no render.
    if (thisRun && s.state === 'current' && !shot.a?.reusedFrom) counts.rendered_this_run++;
    if (thisRun && s.state === 'failed') counts.failed_this_run++;
    if (!thisRun) counts.skipped++;
    const bill = billedFor(input, seen, plan, shot);
    if (bill) {
      billed += bill.seconds;
      byTier[bill.tier] = (byTier[bill.tier] ?? 0) + bill.seconds;
      if (bill.cost === undefined) {
        if (seen.pricesConfigured) unpriced.push(plan.shotId);
      } else cost = roundMoney((cost ?? 0) + bill.cost);
    }
    return reportShot(input, seen, plan, index, shot, bill ? (bill.cost ?? null) : null);
  });

  return {
    schema_version: REPORT_SCHEMA_VERSION,
    run: {
      manifest: input.manifestPath,
      manifest_name: input.manifestName,
      manifest_sha256: input.manifestSha256,
      tool_version: input.toolVersion,
      region: input.region,
      base_url: redactUrl(input.baseUrl),
      emulator: input.emulator,
      server: reportServer(input.server ?? latest?.server),
      run_id: latest?.runId ?? null,
      started_at: input.startedAt ?? latest?.at ?? null,
      ended_at: input.endedAt ?? latestEnd?.at ?? null,
      interrupted: latestEnd ? latestEnd.interrupted : null,
      generated_at: input.now,
      counts,
      billable_seconds: billed,
      billable_seconds_by_tier: byTier,
      planned_billable_seconds: input.plans.reduce((sum, p) => sum + p.billableSeconds, 0),
      estimated_cost: cost,
      // Catalog prices are in CNY; configured ones in their own currency (never mixed).
      currency: prices?.currency ?? (cost !== null ? 'CNY' : null),
      unpriced_shots: unpriced,
      store: input.store ?? null,
    },
    shots,
  };
}

/** One shot's row of report.json. */
function reportShot(input: ReportModelInput, seen: RunsSeen, plan: PlannedRequest, index: number, shot: ShotInRun, shotCost: number | null): ReportShot {
  const { s, a, thisRun, resumed, selected } = shot;
  const entry = findModel(plan.model);
  const params = plan.body.parameters;
  const usage = a?.usage ?? null;
  const durationBilled = num(usage?.['duration']);
  const history = input.ledger.shots.get(plan.shotId);
  const attemptKey = a?.key ?? plan.key;
  const attempts = history ? history.attempts.filter((x) => x.key === attemptKey).length : 0;
  const error = s.error ?? null;
  const regionOfRun = seen.regionOfRun;
  const video = s.video;
  const file = video?.file ?? null;
  const fact = file ? input.disk.videos.get(file) : undefined;
  const linkIf = (rel: string): string | null => (input.disk.files.has(rel) ? rel : null);
  const prompt = str(plan.body.input['prompt']);
  const showVideo = s.state === 'current' || s.state === 'stale' || s.state === 'missing';
  const lockEntry = input.lock?.shots.find((e) => e.id === plan.shotId);
  const storedUrl = showVideo && video ? storedVideoUrl(input.ledger, video.sha256, lockEntry) : undefined;
  const storeFailure = showVideo && video && !storedUrl ? input.ledger.storeFailed.get(video.sha256) : undefined;
  const evidence = shotEvidence(plan, s, fact);

  return {
    id: plan.shotId,
    index,
    model: plan.model,
    family: entry?.family ?? null,
    variant: entry?.variant ?? null,
    endpoint: plan.endpoint,
    region: (a && regionOfRun.get(a.runId)) ?? input.region,
    prompt,
    size: str(params['size']),
    resolution: str(params['resolution']),
    tier: plan.tier,
    size_delivered: str(usage?.['size']),
    duration: num(params['duration']),
    duration_billed: durationBilled,
    fps: num(usage?.['fps']) ?? entry?.result.fps ?? null,
    audio: bool(params['audio']) ?? plan.audio ?? null,
    audio_delivered: bool(usage?.['audio']),
    watermark: bool(params['watermark']),
    seed: num(params['seed']),
    seed_derived: plan.seedDerived,
    key: plan.key,
    video_key: video?.key ?? null,
    state: s.state,
    detail: s.detail,
    reason: thisRun && a ? (resumed ? `resumed: ${a.reason}` : a.reason) : skipReason(s, selected),
    this_run: thisRun,
    changes: s.changes ?? null,
    task_id: a?.taskId ?? (showVideo ? (video?.taskId ?? null) : null),
    request_id: a?.requestId ?? null,
    status: a?.status ?? null,
    submit_time: serverTimeToIso(a?.submitTime),
    scheduled_time: serverTimeToIso(a?.scheduledTime),
    end_time: serverTimeToIso(a?.endTime),
    attempts,
    video_url: a?.videoUrl ?? (showVideo ? (video?.url ?? null) : null),
    file: showVideo ? file : null,
    poster_file: showVideo && file ? linkIf(posterPathOf(file)) : null,
    file_on_disk: showVideo && Boolean(fact?.exists),
    bytes: showVideo ? (video?.bytes ?? fact?.bytes ?? null) : null,
    sha256: showVideo ? (video?.sha256 ?? null) : null,
    reused_from: showVideo && video?.attempt?.reusedFrom ? originOf(video.attempt.reusedFrom) : null,
    stored: storedUrl && video ? { url: storedUrl, sha256: video.sha256, href: input.storeAddressing ? (objectHttpUrl(storedUrl, input.storeAddressing) ?? null) : null } : null,
    store_error: storeFailure ? storeFailure.message : null,
    error_code: error?.code ?? null,
    error_message: error?.message ?? null,
    plan_file: linkIf(`plan/${plan.shotId}.json`),
    request_file: linkIf(`requests/${plan.shotId}.json`),
    snapshots_file: linkIf(`snapshots/${plan.shotId}.jsonl`),
    usage,
    measured: evidence.measured,
    measure_error: evidence.measureError,
    mismatches: evidence.mismatches,
    billable_seconds: plan.billableSeconds,
    estimated_cost: shotCost,
  };
}
