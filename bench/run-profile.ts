// One measured run of a task-length profile: a batch over two PixVerse families on a fresh
// emulator whose task times follow the profile, driven by the engine with its list poller or
// with the official SDK's per-task wait() schedule. Everything is counted on the server side
// (emulator stats): task queries, 429s, each task's start, end and the first answer that showed
// it final (detection lag), and the time of every query. Times are reported in emulated time.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { foldLedger } from '../src/core/ledger/fold-ledger.js';
import { planShots } from '../src/core/plan/plan-shots.js';
import type { PlannedRequest, Shot } from '../src/core/types.js';
import { createDashScopeClient } from '../src/dashscope/client.js';
import { startEmulator } from '../src/emulator/index.js';
import type { EmulatorStats } from '../src/emulator/index.js';
import { systemClock } from '../src/engine/clock.js';
import { runShots } from '../src/engine/run-engine.js';
import { DEFAULT_RUN_OPTIONS, ENGINE_CLIENT_RETRY } from '../src/engine/run-options.js';
import type { RunDeps, RunOptions } from '../src/engine/run-options.js';
import { readLedger } from '../src/io/ledger-file.js';
import { createRunOutput } from '../src/io/run-output.js';
import { greedyMakespanMs } from './greedy-bound.js';
import { createSdkWaitWatcher } from './run-sdk-watcher.js';

export const FAMILIES = [
  { model: 'pixverse/pixverse-v6-t2v', family: 'pixverse-v6' },
  { model: 'pixverse/pixverse-c1-t2v', family: 'pixverse-c1' },
];
/** The real quotas, per emulated second: per family 5 tasks live and 5 submits/s; 20 task queries/s per account. */
export const QUOTA = { cap: 5, submitsPerSecond: 5, accountQps: 20 };
/** This tool's share of the account's queries (the config default `taskQueriesPerSecond`). */
export const OUR_QPS = 15;

export interface Profile {
  name: string;
  /** Task times, emulated s. */
  minS: number;
  maxS: number;
  shots: number;
  /** Real seconds per emulated second for this profile (short tasks need a slower clock to stay above loopback latency). */
  scale: number;
  /** Target for pixverse's makespan / ideal. */
  target: number;
}

export type ClientName = 'pixverse' | 'sdk';

export interface ProfileRun {
  makespanS: number;
  idealS: number;
  ratio: number;
  queriesPerShot: number;
  /** Task queries per emulated second over the makespan. */
  queryRate: number;
  /** Task queries per emulated second while 1–5 tasks were live (submitted, not yet seen final); undefined if never. */
  fewLiveQueryRate: number | undefined;
  lagMedianS: number;
  lagMaxS: number;
  throttled: number;
  failed: number;
}

export function profileBatch(p: Profile): PlannedRequest[] {
  const shots: Shot[] = Array.from({ length: p.shots }, (_, i) => ({
    id: `${p.name}-${i}`,
    model: FAMILIES[i % FAMILIES.length]!.model,
    prompt: `${p.name} benchmark shot ${i}: a harbour at dawn, slow push-in`,
    size: '1280*720',
    duration: 5,
    audio: false,
    watermark: false,
    seed: i,
  }));
  return planShots(shots, { localFiles: new Map() });
}

const familyOf = (model: string): string => FAMILIES.find((f) => f.model === model)!.family;

export async function measureProfile(p: Profile, client: ClientName, seed: number): Promise<ProfileRun> {
  const scale = p.scale;
  const emu = await startEmulator({
    timeScale: scale,
    seed,
    taskDurationMs: { minMs: p.minS * 1000, maxMs: p.maxS * 1000 },
    recordQueryTimes: true,
    quotas: {
      families: Object.fromEntries(FAMILIES.map((f) => [f.family, { runningTasks: QUOTA.cap, submitsPerSecond: QUOTA.submitsPerSecond / scale }])),
      taskQueriesPerSecond: QUOTA.accountQps / scale,
    },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pixverse-bench-'));
  const http = createDashScopeClient({ baseUrl: emu.baseUrl, apiKey: emu.apiKey, retry: ENGINE_CLIENT_RETRY });
  const output = createRunOutput(dir);
  const requests = profileBatch(p);
  const options: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    serverTimeScale: scale,
    quotaOf: (model) => ({ family: familyOf(model), runningTasks: QUOTA.cap, submitsPerSecond: QUOTA.submitsPerSecond / scale }),
    accountQueriesPerSecond: OUR_QPS / scale,
    queryShare: 1,
  };
  const watcher: RunDeps['createWatcher'] = client === 'sdk' ? createSdkWaitWatcher : undefined;
  try {
    const t0 = performance.now();
    const result = await runShots(
      { manifest: 'bench', manifestSha256: 'bench', requests, region: 'cn-beijing', baseUrl: emu.baseUrl, emulator: true, toolVersion: 'bench' },
      options,
      { client: http, output, clock: systemClock, random: Math.random, onEvent: () => undefined, ...(watcher ? { createWatcher: watcher } : {}) },
    );
    const makespanS = (performance.now() - t0) / scale / 1000;
    const view = foldLedger((await readLedger(output.ledgerPath)).records);
    const stats = emu.stats();
    const byId = new Map(stats.tasks.map((t) => [t.taskId, t]));
    // Durations as the server ran them, in batch order per family.
    const durations = new Map<string, number[]>();
    for (const req of requests) {
      const taskId = view.shots.get(req.shotId)?.attempts.at(-1)?.taskId;
      const times = taskId ? byId.get(taskId)?.times : undefined;
      if (times?.startMs === undefined || times.endMs === undefined) continue;
      const fam = familyOf(req.model);
      durations.set(fam, [...(durations.get(fam) ?? []), times.endMs - times.startMs]);
    }
    const idealS = greedyMakespanMs(durations, { cap: QUOTA.cap, submitsPerSecond: QUOTA.submitsPerSecond }) / 1000;
    const queries = (stats.requests['getTask'] ?? 0) + (stats.requests['listTasks'] ?? 0);
    const lags = stats.tasks.filter((t) => t.times.endMs !== undefined && t.times.seenFinalMs !== undefined).map((t) => (t.times.seenFinalMs! - t.times.endMs!) / 1000);
    return {
      makespanS,
      idealS,
      ratio: makespanS / idealS,
      queriesPerShot: queries / p.shots,
      queryRate: queries / makespanS,
      fewLiveQueryRate: fewLiveRate(stats, 5),
      lagMedianS: median(lags),
      lagMaxS: Math.max(...lags),
      throttled: Object.values(stats.throttled).reduce((a, b) => a + b, 0),
      failed: result.counts.failed + result.counts.interrupted,
    };
  } finally {
    await http.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Queries per emulated second during the time when 1..`few` tasks were live — from a task's
 * submit to the first answer that showed it final, as the client sees it.
 */
export function fewLiveRate(stats: Pick<EmulatorStats, 'tasks' | 'queryTimes'>, few: number): number | undefined {
  const edges: Array<[number, number]> = [];
  for (const t of stats.tasks) {
    edges.push([t.times.submitMs, +1]);
    if (t.times.seenFinalMs !== undefined) edges.push([t.times.seenFinalMs, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const periods: Array<[number, number]> = [];
  let live = 0;
  for (let i = 0; i < edges.length; i++) {
    live += edges[i]![1];
    const next = edges[i + 1]?.[0];
    if (next !== undefined && live > 0 && live <= few && next > edges[i]![0]) periods.push([edges[i]![0], next]);
  }
  const total = periods.reduce((s, [a, b]) => s + (b - a), 0);
  if (total <= 0) return undefined;
  const queries = (stats.queryTimes ?? []).filter((q) => periods.some(([a, b]) => q >= a && q < b)).length;
  return queries / (total / 1000);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
