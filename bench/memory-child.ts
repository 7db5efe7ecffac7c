// A child process of the memory benchmark, so that what is measured is one run alone:
//   node memory-child.js emulator          starts an emulator (quotas lifted, fast clock) and
//                                          prints {baseUrl, apiKey}; runs until stdin closes
//   node memory-child.js run <n> <baseUrl> <apiKey>
//                                          renders n shots through it and prints the peak heap
//                                          and RSS above the process's own base (after a GC)
// The emulator lives in its own process: its per-task state is the server's, not the client's.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { planShots } from '../src/core/plan/plan-shots.js';
import type { Shot } from '../src/core/types.js';
import { createDashScopeClient } from '../src/dashscope/client.js';
import { startEmulator } from '../src/emulator/index.js';
import { systemClock } from '../src/engine/clock.js';
import { runShots } from '../src/engine/run-engine.js';
import { DEFAULT_RUN_OPTIONS, ENGINE_CLIENT_RETRY } from '../src/engine/run-options.js';
import { createRunOutput } from '../src/io/run-output.js';
import { FAMILIES } from './run-profile.js';

/** Real seconds per emulated second: a 45 s task takes about 20 ms. */
const SCALE = 0.0005;
const LIFTED = { runningTasks: 50, submitsPerSecond: 1e6 };

export interface MemorySample {
  shots: number;
  peakHeapBytes: number;
  peakRssBytes: number;
  wallMs: number;
  failed: number;
}

async function serve(): Promise<void> {
  const emu = await startEmulator({ timeScale: SCALE, seed: 3, quotas: { families: Object.fromEntries(FAMILIES.map((f) => [f.family, LIFTED])), taskQueriesPerSecond: 1e6 } });
  process.stdout.write(JSON.stringify({ baseUrl: emu.baseUrl, apiKey: emu.apiKey }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => void emu.close().then(() => process.exit(0)));
}

function loadGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function render(n: number, baseUrl: string, apiKey: string): Promise<MemorySample> {
  const shots: Shot[] = Array.from({ length: n }, (_, i) => ({
    id: `mem-${i}`,
    model: FAMILIES[i % FAMILIES.length]!.model,
    prompt: `memory benchmark shot ${i}: a harbour at dawn, slow push-in`,
    size: '640*360',
    duration: 5,
    audio: false,
    watermark: false,
    seed: i,
  }));
  const requests = planShots(shots, { localFiles: new Map() });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pixverse-bench-mem-'));
  const client = createDashScopeClient({ baseUrl, apiKey, retry: ENGINE_CLIENT_RETRY });
  const gc = loadGc();
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const sample = (): void => {
    const u = process.memoryUsage();
    peakHeap = Math.max(peakHeap, u.heapUsed);
    peakRss = Math.max(peakRss, u.rss);
  };
  const timer = setInterval(sample, 50);
  try {
    const t0 = performance.now();
    const result = await runShots(
      { manifest: 'bench', manifestSha256: 'bench', requests, region: 'cn-beijing', baseUrl, emulator: true, toolVersion: 'bench' },
      {
        ...DEFAULT_RUN_OPTIONS,
        serverTimeScale: SCALE,
        quotaOf: (model) => ({ family: FAMILIES.find((f) => f.model === model)!.family, ...LIFTED }),
        accountQueriesPerSecond: 1e6,
        queryShare: 1,
      },
      { client, output: createRunOutput(dir), clock: systemClock, random: Math.random, onEvent: () => undefined },
    );
    sample();
    return { shots: n, peakHeapBytes: peakHeap - base.heapUsed, peakRssBytes: peakRss - base.rss, wallMs: performance.now() - t0, failed: result.counts.failed + result.counts.interrupted };
  } finally {
    clearInterval(timer);
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'emulator') {
  await serve();
} else if (mode === 'run') {
  const sample = await render(Number(args[0]), args[1]!, args[2]!);
  process.stdout.write(JSON.stringify(sample) + '\n');
}
