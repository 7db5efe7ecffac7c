// Runs the benchmarks (not timed tests) and writes `output/bench/results.json` and a readable
// `output/bench/results.md` (base directory from OUTPUT_DIR, else `output/` in the cwd).
// To add a benchmark: export a `Benchmark` from `bench/<name>.bench.ts` and list it below.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { validateBenchmark } from './validate.bench.js';
import { runBenchmark } from './run.bench.js';
import { cliBenchmark } from './cli.bench.js';

export interface BenchResult {
  /** Measured values; units in the key name (`totalMs`, `shots`, `ratio`). */
  metrics: Record<string, number | string | boolean>;
  /** A short verdict against the benchmark's target, e.g. `target met`. */
  verdict?: string;
  /** Markdown lines for results.md (a table or a few sentences). */
  markdown: string[];
}

export interface Benchmark {
  name: string;
  /** What is measured and the target, one sentence. */
  description: string;
  run(): Promise<BenchResult>;
}

const BENCHMARKS: Benchmark[] = [validateBenchmark, cliBenchmark, runBenchmark];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;
  const results: { name: string; description: string; result: BenchResult }[] = [];
  for (const b of selected) {
    process.stdout.write(`bench ${b.name}…\n`);
    const result = await b.run();
    results.push({ name: b.name, description: b.description, result });
    process.stdout.write(`${result.markdown.join('\n')}\n\n`);
  }
  const dir = path.join(process.env['OUTPUT_DIR'] || path.join(process.cwd(), 'output'), 'bench');
  await mkdir(dir, { recursive: true });
  const machine = { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown' };
  const at = new Date().toISOString();
  await writeFile(path.join(dir, 'results.json'), JSON.stringify({ at, machine, results: results.map((r) => ({ name: r.name, description: r.description, ...r.result })) }, null, 2) + '\n');
  const md = [
    '# Benchmarks',
    '',
    `${at} · Node ${machine.node} · ${machine.platform} · ${machine.cpus} × ${machine.cpu}`,
    '',
    ...results.flatMap((r) => [`## ${r.name}`, '', r.description, '', ...r.result.markdown, '']),
  ];
  await writeFile(path.join(dir, 'results.md'), md.join('\n'));
  process.stdout.write(`results: ${path.join(dir, 'results.json')} and results.md\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
