// Run engine benchmark against the emulator (measurement only; no test asserts on time).
// 1. Three task-length profiles (2–6 s, 10–30 s, 30–90 s of emulated time), each a batch over
//    two PixVerse families under the real quotas (5 tasks live and 5 submits/s per family, 20
//    task queries/s per account, all per emulated second). Per profile and seed, the same batch
//    is rendered on a fresh emulator by the engine with its list poller and by the engine with
//    the official SDK's per-task wait() schedule (1,1,2,2,2,4,4,4, then 5 s) as the watcher;
//    both run in the emulator's time, so the SDK's seconds and the poller's are the same
//    seconds. Task durations depend on the seed and the body only: both clients meet the same
//    ones. Makespan is measured against the greedy quota-bound schedule over those durations
//    (bench/greedy-bound.ts); queries, 429s and the detection lag are counted by the emulator.
//    Medians over `BENCH_PAIRS` seeds (default 3).
// 2. Memory: the marginal peak heap and RSS per extra shot, from 100 to 1,000 and from 1,000
//    to 10,000 shots, each run in a fresh process against an emulator in another process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './run-benchmarks.js';
import type { MemorySample } from './memory-child.js';
import { OUR_QPS, QUOTA, measureProfile, median } from './run-profile.js';
import type { ClientName, Profile, ProfileRun } from './run-profile.js';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 3);
/** Time scales: short tasks need a slower clock, so that loopback and disk latencies (real ms) stay small against them. */
const PROFILES: Profile[] = [
  { name: 'short', minS: 2, maxS: 6, shots: 50, scale: 0.4, target: 1.1 },
  { name: 'medium', minS: 10, maxS: 30, shots: 25, scale: 0.2, target: 1.03 },
  { name: 'long', minS: 30, maxS: 90, shots: 20, scale: 0.1, target: 1.02 },
];
const MEMORY_SIZES = [100, 1_000, 10_000];
/** The issue's target: at most this many bytes per extra shot at 10,000 shots. */
const MEMORY_TARGET_BYTES = 20 * 1024;

type Summary = Record<keyof ProfileRun, number>;

function summarise(runs: ProfileRun[]): Summary {
  const keys = Object.keys(runs[0]!) as Array<keyof ProfileRun>;
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] ?? Number.NaN).filter((x) => !Number.isNaN(x)))])) as Summary;
}

async function measureProfiles(): Promise<Array<{ profile: Profile; clients: Record<ClientName, Summary> }>> {
  const out = [];
  for (const profile of PROFILES) {
    const runs: Record<ClientName, ProfileRun[]> = { pixverse: [], sdk: [] };
    for (let pair = 1; pair <= PAIRS; pair++) {
      for (const client of ['pixverse', 'sdk'] as const) runs[client].push(await measureProfile(profile, client, pair));
    }
    out.push({ profile, clients: { pixverse: summarise(runs.pixverse), sdk: summarise(runs.sdk) } });
  }
  return out;
}

const childScript = fileURLToPath(new URL('./memory-child.js', import.meta.url));

/** Runs the memory child for each size against one emulator process. */
async function measureMemory(): Promise<MemorySample[]> {
  const server = spawn(process.execPath, [childScript, 'emulator'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [first] = (await once(server.stdout, 'data')) as [Buffer];
    const { baseUrl, apiKey } = JSON.parse(first.toString('utf8')) as { baseUrl: string; apiKey: string };
    const samples: MemorySample[] = [];
    for (const n of MEMORY_SIZES) {
      const child = spawn(process.execPath, [childScript, 'run', String(n), baseUrl, apiKey], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0) throw new Error(`memory run of ${n} shots exited ${code}`);
      samples.push(JSON.parse(text) as MemorySample);
    }
    return samples;
  } finally {
    server.stdin.end();
    if (server.exitCode === null) await once(server, 'exit');
  }
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r2 = (x: number): number => Math.round(x * 100) / 100;

export const runBenchmark: Benchmark = {
  name: 'run',
  description:
    `Per task-length profile (${PROFILES.map((p) => `${p.shots} shots of ${p.minS}–${p.maxS} s`).join('; ')}, emulated time), over two PixVerse families under the real quotas ` +
    `(${QUOTA.cap} tasks live and ${QUOTA.submitsPerSecond} submits/s per family, ${QUOTA.accountQps} task queries/s per account; this tool's share ${OUR_QPS}/s), ` +
    `the engine's list poller and the official SDK's wait() schedule render the same batch, medians of ${PAIRS} seeds: makespan over the greedy quota-bound ideal, ` +
    'task queries per shot, query rate (all, and while five or fewer tasks are live), detection lag, 429s. Then memory per extra shot at 1,000 and 10,000 shots. ' +
    `Targets: makespan / ideal at or below the SDK's and at most ${PROFILES.map((p) => p.target).join(' / ')}; queries per shot at or below the SDK's; ` +
    `query rate within ${OUR_QPS}/s, at most 2/s while five or fewer tasks are live; no 429; at most 20 KB per extra shot at 10,000.`,
  async run(): Promise<BenchResult> {
    const profiles = await measureProfiles();
    const memory = await measureMemory();
    const marginal = (a: MemorySample, b: MemorySample, k: 'peakHeapBytes' | 'peakRssBytes'): number => (b[k] - a[k]) / (b.shots - a.shots);
    const [m100, m1000, m10000] = memory as [MemorySample, MemorySample, MemorySample];
    const metrics: Record<string, number | string | boolean> = { pairs: PAIRS };
    const md = ['| profile | client | makespan / ideal | queries / shot | queries/s | queries/s, ≤ 5 live | lag median / max | 429s |', '|---|---|---:|---:|---:|---:|---:|---:|'];
    let met = true;
    for (const { profile: p, clients } of profiles) {
      metrics[`${p.name}.timeScale`] = p.scale;
      metrics[`${p.name}.shots`] = p.shots;
      for (const c of ['pixverse', 'sdk'] as const) {
        const s = clients[c];
        metrics[`${p.name}.${c}.makespanS`] = r2(s.makespanS);
        metrics[`${p.name}.${c}.idealS`] = r2(s.idealS);
        metrics[`${p.name}.${c}.makespanOverIdeal`] = r3(s.ratio);
        metrics[`${p.name}.${c}.queriesPerShot`] = r2(s.queriesPerShot);
        metrics[`${p.name}.${c}.queriesPerSecond`] = r2(s.queryRate);
        metrics[`${p.name}.${c}.queriesPerSecondFewLive`] = r2(s.fewLiveQueryRate);
        metrics[`${p.name}.${c}.lagMedianS`] = r2(s.lagMedianS);
        metrics[`${p.name}.${c}.lagMaxS`] = r2(s.lagMaxS);
        metrics[`${p.name}.${c}.throttled`] = s.throttled;
        metrics[`${p.name}.${c}.failed`] = s.failed;
        md.push(
          `| ${p.minS}–${p.maxS} s × ${p.shots} | ${c === 'sdk' ? 'SDK wait()' : '**pixverse**'} | ${r3(s.ratio)} | ${r2(s.queriesPerShot)} | ${r2(s.queryRate)} | ${r2(s.fewLiveQueryRate)} | ${r2(s.lagMedianS)} / ${r2(s.lagMaxS)} s | ${s.throttled} |`,
        );
      }
      const ours = clients.pixverse;
      const sdk = clients.sdk;
      const ok = ours.ratio <= sdk.ratio && ours.ratio <= p.target && ours.queriesPerShot <= sdk.queriesPerShot && ours.queryRate <= OUR_QPS && !(ours.fewLiveQueryRate > 2) && ours.throttled === 0 && ours.failed === 0;
      metrics[`${p.name}.targetMet`] = ok;
      met &&= ok;
    }
    const perShot = {
      heap1000: marginal(m100, m1000, 'peakHeapBytes'),
      heap10000: marginal(m1000, m10000, 'peakHeapBytes'),
      rss1000: marginal(m100, m1000, 'peakRssBytes'),
      rss10000: marginal(m1000, m10000, 'peakRssBytes'),
    };
    metrics['memory.heapBytesPerExtraShotAt1000'] = Math.round(perShot.heap1000);
    metrics['memory.heapBytesPerExtraShotAt10000'] = Math.round(perShot.heap10000);
    metrics['memory.rssBytesPerExtraShotAt1000'] = Math.round(perShot.rss1000);
    metrics['memory.rssBytesPerExtraShotAt10000'] = Math.round(perShot.rss10000);
    metrics['memory.wallMsAt10000'] = Math.round(m10000.wallMs);
    metrics['memory.failedShots'] = memory.reduce((s, m) => s + m.failed, 0);
    const memOk = Math.max(perShot.heap10000, perShot.rss10000) <= MEMORY_TARGET_BYTES && metrics['memory.failedShots'] === 0;
    metrics['memory.targetMet'] = memOk;
    const kb = (b: number): string => `${(b / 1024).toFixed(1)} KB`;
    return {
      metrics,
      verdict: met && memOk ? 'target met' : 'target missed',
      markdown: [
        ...md,
        '',
        `Memory, the marginal cost of one more shot (peak above the process's base; the emulator runs in its own process): ` +
          `from 100 to 1,000 shots ${kb(perShot.heap1000)} heap / ${kb(perShot.rss1000)} RSS per shot; from 1,000 to 10,000 ${kb(perShot.heap10000)} heap / ${kb(perShot.rss10000)} RSS per shot ` +
          `(10,000 shots rendered in ${(m10000.wallMs / 1000).toFixed(1)} s).`,
      ],
    };
  },
};
