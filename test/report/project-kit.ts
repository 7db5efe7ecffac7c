// A project on disk for status/report command tests: a manifest, its real plans (planner and
// config loader as the commands use them), a ledger written through the real ledger writer, and
// real MP4s (the emulator's fixture) in output/<name>/videos.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandIo } from '../../src/cli/command-io.js';
import type { LedgerRecord } from '../../src/core/ledger/records.js';
import type { PlannedRequest } from '../../src/core/types.js';
import { hashFile } from '../../src/io/inspect-outputs.js';
import { openLedger } from '../../src/io/ledger-file.js';
import { loadConfig } from '../../src/io/load-config.js';
import { planManifest } from '../../src/io/read-manifest.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

export const FIXTURE_MP4 = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'videos', 'sample.mp4');

export function manifestYaml(shots: { id: string; size?: string; prompt?: string; seed?: number }[]): string {
  const lines = ['version: 1', 'name: demo', 'shots:'];
  for (const s of shots) {
    lines.push(
      `  - id: ${s.id}`,
      '    model: pixverse/pixverse-c1-t2v',
      `    prompt: ${JSON.stringify(s.prompt ?? `a shot called ${s.id}`)}`,
      `    size: "${s.size ?? '1280*720'}"`,
      '    duration: 5',
      `    seed: ${s.seed ?? 1}`,
    );
  }
  return lines.join('\n') + '\n';
}

export interface Project {
  dir: string;
  manifest: string;
  outputDir: string;
  env: Record<string, string>;
  plans(): Promise<PlannedRequest[]>;
  writeManifest(yaml: string): Promise<void>;
  /** Appends records to output/demo/ledger.jsonl through the real writer. */
  appendLedger(records: LedgerRecord[]): Promise<void>;
  putVideo(shot: string): Promise<{ file: string; bytes: number; sha256: string }>;
  io(): CommandIo & { stdout: string[]; stderr: string[] };
}

export async function createProject(t: { after(fn: () => Promise<void>): void }, yaml: string): Promise<Project> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const manifest = path.join(dir, 'demo.yaml');
  const outputDir = path.join(dir, 'output', 'demo');
  // No HOME credentials, no inherited OUTPUT_DIR/region: the test decides.
  const env: Record<string, string> = { HOME: dir, PATH: process.env['PATH'] ?? '' };
  await writeFile(manifest, yaml);
  const project: Project = {
    dir,
    manifest,
    outputDir,
    env,
    async plans() {
      const config = await loadConfig({ searchFrom: dir, env, cwd: dir });
      return (await planManifest(manifest, config)).plans;
    },
    writeManifest: (text) => writeFile(manifest, text),
    async appendLedger(records) {
      const ledger = await openLedger(path.join(outputDir, 'ledger.jsonl'));
      for (const r of records) await ledger.append(r);
      await ledger.close();
    },
    async putVideo(shot) {
      const file = `videos/${shot}.mp4`;
      await mkdir(path.join(outputDir, 'videos'), { recursive: true });
      await copyFile(FIXTURE_MP4, path.join(outputDir, file));
      const sha256 = await hashFile(FIXTURE_MP4);
      const { size } = await import('node:fs/promises').then((fs) => fs.stat(FIXTURE_MP4));
      return { file, bytes: size, sha256 };
    },
    io() {
      const stdout: string[] = [];
      const stderr: string[] = [];
      return { out: (s) => stdout.push(s), err: (s) => stderr.push(s), env, cwd: dir, isTTY: false, stdout, stderr };
    },
  };
  return project;
}

let tick = 0;
const at = (): string => new Date(Date.UTC(2026, 10, 21, 8, 0, tick++)).toISOString();

/** Ledger records for a run that rendered, failed or left running the given shots. */
export function runRecords(
  runId: string,
  shots: { plan: PlannedRequest; outcome: 'success' | 'fail' | 'running'; video?: { file: string; bytes: number; sha256: string }; taskId?: string }[],
  baseUrl = 'http://127.0.0.1:1/api/v1',
): LedgerRecord[] {
  const records: LedgerRecord[] = [
    {
      t: 'run-start', at: at(), runId, manifest: 'demo.yaml', manifestSha256: '0'.repeat(64), toolVersion: '0.1.0', region: 'cn-beijing',
      baseUrl, emulator: false, shots: shots.map((s) => s.plan.shotId),
    },
  ];
  for (const { plan: p, outcome, video, taskId = `task-${p.shotId}` } of shots) {
    const base = { runId, shot: p.shotId, key: p.key };
    records.push({ t: 'intent', at: at(), ...base, model: p.model, endpoint: p.endpoint, attempt: 1, reason: 'new shot', body: p.body, mediaSha256: {} });
    records.push({ t: 'submitted', at: at(), ...base, taskId, requestId: `req-${taskId}` });
    if (outcome === 'running') {
      records.push({ t: 'state', at: at(), ...base, taskId, status: 'RUNNING' });
    } else if (outcome === 'fail') {
      records.push({ t: 'state', at: at(), ...base, taskId, status: 'FAILED', code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' });
    } else {
      const videoUrl = `http://127.0.0.1:1/__files/${taskId}.mp4?Expires=1`;
      records.push({ t: 'state', at: at(), ...base, taskId, status: 'SUCCEEDED', videoUrl, usage: { duration: 5, size: '1280*720', fps: 24, SR: '720' } });
      records.push({ t: 'downloaded', at: at(), ...base, taskId, file: video!.file, bytes: video!.bytes, sha256: video!.sha256, videoUrl });
    }
  }
  records.push({ t: 'run-end', at: at(), runId, interrupted: false, counts: {} });
  return records;
}
