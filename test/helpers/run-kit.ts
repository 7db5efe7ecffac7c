// Shared set-up for engine and CLI run tests: temporary manifests planned by the real planner,
// an emulator, a real client, and an engine run that records its events.
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { PlannedRequest } from '../../src/core/types.js';
import { createDashScopeClient } from '../../src/dashscope/client.js';
import type { DashScopeClient } from '../../src/dashscope/client-types.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { systemClock } from '../../src/engine/clock.js';
import type { RunEvent } from '../../src/engine/events.js';
import { runShots } from '../../src/engine/run-engine.js';
import type { RunResult } from '../../src/engine/run-engine.js';
import { DEFAULT_RUN_OPTIONS, ENGINE_CLIENT_RETRY } from '../../src/engine/run-options.js';
import type { RunOptions } from '../../src/engine/run-options.js';
import { createRunOutput } from '../../src/io/run-output.js';
import type { RunOutput } from '../../src/io/run-output.js';
import { planManifest } from '../../src/io/read-manifest.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/** Small enough for a quick suite, large enough that tasks overlap and queue. */
export const TEST_TIME_SCALE = 0.002;

export interface ShotSpec {
  id: string;
  model?: string;
  prompt: string;
  size?: string;
  duration?: number;
  /** Extra YAML lines for the shot (already indented by 4 spaces). */
  extra?: string[];
}

export function manifestYaml(name: string, shots: ShotSpec[]): string {
  const lines = ['version: 1', `name: ${name}`, 'defaults:', '  audio: false', '  watermark: false', 'shots:'];
  for (const s of shots) {
    lines.push(`  - id: ${s.id}`);
    lines.push(`    model: ${s.model ?? 'pixverse/pixverse-v6-t2v'}`);
    lines.push(`    prompt: ${JSON.stringify(s.prompt)}`);
    if (!s.extra?.some((l) => l.trim().startsWith('resolution:'))) lines.push(`    size: ${s.size ?? '640*360'}`);
    lines.push(`    duration: ${s.duration ?? 5}`);
    lines.push(`    seed: 1`);
    for (const l of s.extra ?? []) lines.push(l);
  }
  return lines.join('\n') + '\n';
}

export interface TempJob {
  dir: string;
  manifest: string;
  outputBase: string;
}

/** A temp dir with `jobs/<name>.yaml` (and a copy of one demo image as `jobs/img.png`). */
export async function writeTempJob(name: string, shots: ShotSpec[]): Promise<TempJob> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-run-'));
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  await copyFile(path.join(PACKAGE_ROOT, 'jobs', 'media', 'lighthouse.png'), path.join(dir, 'jobs', 'img.png'));
  const manifest = path.join(dir, 'jobs', `${name}.yaml`);
  await writeFile(manifest, manifestYaml(name, shots));
  return { dir, manifest, outputBase: path.join(dir, 'output') };
}

export async function rewriteJob(job: TempJob, name: string, shots: ShotSpec[]): Promise<void> {
  await writeFile(job.manifest, manifestYaml(name, shots));
}

export async function planJob(job: TempJob): Promise<{ plans: PlannedRequest[]; outputDir: string }> {
  const config = resolveConfig({}, { env: {}, cwd: job.dir, flags: { outputDir: job.outputBase } });
  const planned = await planManifest(job.manifest, config);
  const errors = planned.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`test manifest invalid: ${errors.map((e) => e.message).join('; ')}`);
  return { plans: planned.plans, outputDir: planned.outputDir };
}

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ timeScale: TEST_TIME_SCALE, ...opts });
}

export function clientFor(emu: RunningEmulator): DashScopeClient {
  return createDashScopeClient({
    baseUrl: emu.baseUrl,
    apiKey: emu.apiKey,
    retry: ENGINE_CLIENT_RETRY,
  });
}

export interface EngineRun {
  result: RunResult;
  events: RunEvent[];
  output: RunOutput;
}

export function testRunOptions(over: Partial<RunOptions> = {}): RunOptions {
  return { ...DEFAULT_RUN_OPTIONS, serverTimeScale: TEST_TIME_SCALE, accountQueriesPerSecond: 15, queryShare: 1, ...over };
}

export async function runEngine(
  emu: RunningEmulator,
  job: TempJob,
  over: Partial<RunOptions> = {},
  hooks: { signal?: AbortSignal; onEvent?: (e: RunEvent) => void; only?: string[] } = {},
): Promise<EngineRun> {
  const { plans, outputDir } = await planJob(job);
  const client = clientFor(emu);
  const output = createRunOutput(outputDir);
  const events: RunEvent[] = [];
  try {
    const result = await runShots(
      { manifest: job.manifest, manifestSha256: 'x', requests: hooks.only ? plans.filter((p) => hooks.only!.includes(p.shotId)) : plans, region: 'cn-beijing', baseUrl: emu.baseUrl, emulator: true, toolVersion: 'test' },
      testRunOptions(over),
      {
        client,
        output,
        clock: systemClock,
        random: Math.random,
        onEvent: (e) => {
          events.push(e);
          hooks.onEvent?.(e);
        },
      },
      hooks.signal,
    );
    return { result, events, output };
  } finally {
    await client.close();
  }
}

/**
 * Makes `dir`'s project treat the emulator at `baseUrl` as Model Studio: a `pixverse.config.json`
 * declaring it a proxy in front of the real service (`modelStudioProxies`), so runs against it go
 * to the real run space and the lock beside the manifest, as a run against DashScope would.
 * `extra` adds other config keys.
 */
export async function declareModelStudio(dir: string, baseUrl: string | string[], extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, 'pixverse.config.json');
  await writeFile(file, JSON.stringify({ modelStudioProxies: [baseUrl].flat(), ...extra }, null, 2) + '\n');
  return file;
}
