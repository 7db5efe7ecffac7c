// The CLI as a user meets it, each command in a fresh process (the built `pixverse`): `validate`
// and `plan` of a generated 10,000-shot manifest (plan writes one file per shot), and every
// `<command> --help` against `node -e 0`, the cost of starting Node at all. Medians of a few
// runs. Targets: plan ≤ 1.5× validate; each --help within 50 ms of `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './run-benchmarks.js';
import { generateManifest, median, pngBytes } from './validate.bench.js';

const SHOTS = 10_000;
const RUNS = 3;
const HELP_RUNS = 7;
const COMMANDS = ['init', 'validate', 'plan', 'run', 'status', 'pull', 'push', 'report', 'animatic', 'emulator'];
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Wall ms of one process run; throws when it exits with another code than `expect`. */
function timed(args: string[], opts: { cwd?: string; expect?: number } = {}): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: opts.cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== (opts.expect ?? 0)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  return ms;
}

export const cliBenchmark: Benchmark = {
  name: 'cli',
  description: `\`pixverse validate\` and \`pixverse plan\` of a ${SHOTS.toLocaleString('en')}-shot manifest (median of ${RUNS}), and \`<command> --help\` against \`node -e 0\` (median of ${HELP_RUNS}), each in a fresh process. Targets: plan ≤ 1.5× validate; every --help within 50 ms of node -e 0.`,
  async run(): Promise<BenchResult> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixverse-bench-cli-'));
    try {
      const file = path.join(dir, 'bench.yaml');
      await writeFile(file, generateManifest(SHOTS));
      await writeFile(path.join(dir, 'package.json'), '{}\n'); // the project root: outputs go under dir/output
      await mkdir(path.join(dir, 'media'));
      for (let i = 0; i < 8; i++) await writeFile(path.join(dir, 'media', `img-${i}.png`), pngBytes(i));
      const validate: number[] = [];
      const plan: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        validate.push(timed([CLI, 'validate', file], { cwd: dir }));
        plan.push(timed([CLI, 'plan', file], { cwd: dir }));
      }
      const nodeMs: number[] = [];
      const help = new Map<string, number[]>(COMMANDS.map((c) => [c, []]));
      for (let i = 0; i < HELP_RUNS; i++) {
        nodeMs.push(timed(['-e', '0']));
        for (const c of COMMANDS) help.get(c)!.push(timed([CLI, c, '--help']));
      }
      const v = median(validate);
      const p = median(plan);
      const n = median(nodeMs);
      const helpMs = new Map([...help].map(([c, xs]) => [c, median(xs)]));
      const worst = Math.max(...helpMs.values());
      const planOk = p <= 1.5 * v;
      const helpOk = worst - n <= 50;
      const r = Math.round;
      const metrics: Record<string, number | boolean> = { shots: SHOTS, validateMs: r(v), planMs: r(p), planOverValidate: Math.round((p / v) * 100) / 100, nodeStartMs: r(n), worstHelpOverNodeMs: r(worst - n), planTargetMet: planOk, helpTargetMet: helpOk };
      for (const [c, ms] of helpMs) metrics[`help.${c}Ms`] = r(ms);
      return {
        metrics,
        verdict: planOk && helpOk ? 'targets met' : 'target missed',
        markdown: [
          `| ${SHOTS.toLocaleString('en')} shots | ms (median) |`,
          '|---|---:|',
          `| \`pixverse validate\` | ${r(v)} |`,
          `| \`pixverse plan\` (writes ${SHOTS.toLocaleString('en')} plan files) | ${r(p)} (${(p / v).toFixed(2)}× validate) |`,
          '',
          '| command | ms (median) | over `node -e 0` |',
          '|---|---:|---:|',
          `| \`node -e 0\` | ${r(n)} | |`,
          ...[...helpMs].map(([c, ms]) => `| \`pixverse ${c} --help\` | ${r(ms)} | +${r(ms - n)} |`),
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
