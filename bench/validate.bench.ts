// Validation speed, in process: a generated 10,000-shot manifest through parse + schema + sweeps +
// rules (what `validate` does), then plan, next to a bare `yaml` parse of the same file. Target:
// validation at most 1.5× the bare parse. (Measurement only; no test asserts on time.)
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as bareYamlParse } from 'yaml';
import { createSchemaChecker } from '../src/core/manifest/schema-check.js';
import { planShots, type LocalFileFacts } from '../src/core/plan/plan-shots.js';
import { hasErrors, loadManifest } from '../src/io/read-manifest.js';
import type { Benchmark, BenchResult } from './run-benchmarks.js';

const SHOTS = 10_000;
const RUNS = 5;

/** A manifest with every variant, local media shared by many shots, defaults and some sweeps. */
export function generateManifest(shots: number): string {
  const lines = [
    '# yaml-language-server: $schema=../schemas/manifest.schema.json',
    'name: bench',
    'defaults:',
    '  duration: 5',
    '  audio: false',
    'shots:',
  ];
  const kinds = [
    (i: number) => [`  - id: t2v-${i}`, '    model: pixverse/pixverse-v6-t2v', `    prompt: A lighthouse at dusk, take ${i}, slow dolly in over the rocks.`, '    size: 1280*720', `    seed: ${i}`],
    (i: number) => [`  - id: it2v-${i}`, '    model: pixverse/pixverse-c1-it2v', '    media:', '      - type: image_url', `        url: media/img-${i % 8}.png`, '    resolution: 720P'],
    (i: number) => [
      `  - id: kf2v-${i}`,
      '    model: pixverse/pixverse-v5.6-kf2v',
      '    media:',
      '      - type: first_frame',
      `        url: https://example.com/frames/${i}-a.jpg`,
      '      - type: last_frame',
      `        url: https://example.com/frames/${i}-b.jpg`,
      `    prompt: Morning turns to night over the bay, shot ${i}.`,
      '    resolution: 1080P',
      '    duration: 8',
    ],
    (i: number) => [
      `  - id: r2v-${i}`,
      '    model: pixverse/pixverse-c1-r2v',
      '    media:',
      '      - {type: image_url, url: media/img-1.png, ref_name: keeper}',
      '      - {type: image_url, url: media/img-2.png, ref_name: lantern}',
      `    prompt: "@keeper raises @lantern , scene ${i}."`,
      '    size: 1024*576',
    ],
    (i: number) => [`  - id: wan-${i}`, '    model: wan2.6-i2v-flash', `    reference_image: media/img-${i % 8}.png`, `    prompt: Waves roll in, variation ${i}.`, '    resolution: 720P', '    duration: 3'],
  ];
  for (let i = 0; i < shots; i++) lines.push(...kinds[i % kinds.length]!(i));
  return lines.join('\n') + '\n';
}

/** A real PNG header (800×600, RGB): the validator reads headers, never pixels. */
export function pngBytes(seed: number): Buffer {
  const b = Buffer.alloc(45);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(800, 16);
  b.writeUInt32BE(600, 20);
  b[24] = 8;
  b[25] = 2;
  b.writeUInt32BE(seed, 41);
  return b;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const validateBenchmark: Benchmark = {
  name: 'validate',
  description: `Parse + validate, then plan, a generated ${SHOTS.toLocaleString('en')}-shot manifest (every variant, shared local media) in process, vs a bare \`yaml\` parse of the same text; median of ${RUNS} runs. Target: validation ≤ 1.5× the bare parse.`,
  async run(): Promise<BenchResult> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixverse-bench-validate-'));
    try {
      const file = path.join(dir, 'bench.yaml');
      const text = generateManifest(SHOTS);
      await writeFile(file, text);
      await mkdir(path.join(dir, 'media'));
      for (let i = 0; i < 8; i++) await writeFile(path.join(dir, 'media', `img-${i}.png`), pngBytes(i));

      const checker = createSchemaChecker();
      const bare: number[] = [];
      const load: number[] = [];
      const plan: number[] = [];
      let shots = 0;
      for (let run = 0; run < RUNS; run++) {
        let t = performance.now();
        bareYamlParse(await readFile(file, 'utf8'));
        bare.push(performance.now() - t);

        t = performance.now();
        const loaded = await loadManifest(file, { schemaChecker: checker });
        load.push(performance.now() - t);
        if (hasErrors(loaded.issues)) throw new Error(`bench manifest invalid: ${loaded.issues[0]?.message}`);

        t = performance.now();
        const facts = new Map<string, LocalFileFacts>();
        for (const [url, info] of loaded.localFiles) facts.set(url, { absPath: info.absPath, sha256: info.sha256!, bytes: info.bytes });
        shots = planShots(loaded.shots, { localFiles: facts }).length;
        plan.push(performance.now() - t);
      }
      const bareMs = median(bare);
      const loadMs = median(load);
      const planMs = median(plan);
      const totalMs = loadMs + planMs;
      const ratio = loadMs / bareMs;
      const ok = ratio <= 1.5;
      const r = (n: number) => Math.round(n);
      return {
        metrics: { shots, bytes: Buffer.byteLength(text), bareParseMs: r(bareMs), loadAndValidateMs: r(loadMs), planMs: r(planMs), totalMs: r(totalMs), validateOverBareParse: Math.round(ratio * 100) / 100, targetMet: ok },
        verdict: ok ? 'target met' : 'target missed',
        markdown: [
          '| step | ms (median) |',
          '|---|---:|',
          `| bare \`yaml\` parse | ${r(bareMs)} |`,
          `| read + parse with positions + schema + sweeps + media + rules | ${r(loadMs)} |`,
          `| plan (bodies, seeds, shot keys, cost) | ${r(planMs)} |`,
          `| **total** | **${r(totalMs)}** |`,
          '',
          `${shots.toLocaleString('en')} shots, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MB. Validation = ${ratio.toFixed(2)}× the bare parse (target ≤ 1.5×: ${ok ? 'met' : 'missed'}).`,
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
