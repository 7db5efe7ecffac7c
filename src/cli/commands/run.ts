// `pixverse run <manifest>`: plan, then render through the engine (src/engine/run-engine.ts),
// with progress, reports and the lock file at the end of every run. This command owns the
// process signals: the first Ctrl-C stops cleanly (exit 130), the second quits at once.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { findModel } from '../../core/catalog/models.js';
import { foldLedger } from '../../core/ledger/fold-ledger.js';
import { parseSelectors, selectShots } from '../../core/plan/render-decision-select.js';
import { DEFAULT_POLL_SCHEDULE } from '../../core/task/poll-schedule.js';
import type { ResolvedConfig } from '../../config/config-types.js';
import { createDashScopeClient } from '../../dashscope/client.js';
import type { DashScopeClient } from '../../dashscope/client-types.js';
import { systemClock } from '../../engine/clock.js';
import { runShots } from '../../engine/run-engine.js';
import type { RunResult } from '../../engine/run-engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../engine/run-options.js';
import type { FamilyQuota, RunOptions } from '../../engine/run-options.js';
import { resolveApiKey } from '../../io/credentials.js';
import { readLedger } from '../../io/ledger-file.js';
import { loadConfig } from '../../io/load-config.js';
import { planManifest } from '../../io/read-manifest.js';
import type { ManifestPlan } from '../../io/read-manifest.js';
import { createRunOutput } from '../../io/run-output.js';
import { writeLockFile } from '../../io/write-lock-file.js';
import { writeReports } from '../../io/write-reports.js';
import { TOOL_VERSION } from '../../version.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { formatIssue, formatSummary } from '../format-issues.js';
import { chooseProgressMode, createProgressRenderer } from '../progress.js';
import { displayPath } from './validate.js';

const USAGE = `Usage: pixverse run <manifest.yaml> [options]

Renders the shots of a manifest: uploads local media, submits within the account's quotas,
polls, downloads each video to <output>/<name>/videos/<shot>.mp4 and writes the reports and
the lock file. Re-running the same command resumes; shots already rendered are skipped.

Options:
  --only <ids>         only these shots: ids or globs on expanded ids (hero@*), comma-separated or repeated
  --force              render again even shots that are up to date or failed
  --retry-failed       resubmit shots whose task FAILED (or whose submit was refused) before
  --cancel-pending     on Ctrl-C, cancel tasks still queued (PENDING)
  --yes                run even if it exceeds the configured budget
  --emulator           run against an in-process emulator (no API key, nothing billed)
  --time-scale <x>     the server's time scale: emulator seconds per emulated second (default 0.01 with --emulator)
  --base-url <url>     send requests here (e.g. an emulator started with \`pixverse emulator\`)
  --json               stream progress events as JSON lines
  --config <file>      use this config file instead of searching for pixverse.config.ts
  --region <region>    override the region (PIXVERSE_REGION, config region)
  --output-dir <dir>   override the output base (OUTPUT_DIR, config outputDir)
  -h, --help           show this help

Exit codes: 0 all done, 1 some shots failed, 2 invalid manifest or options, 3 config or auth error,
4 over budget or unreconciled submits (needs --yes / --force), 130 interrupted (re-run to resume).`;

/** How the command hears about Ctrl-C; injectable for in-process tests. */
export interface RunCommandDeps {
  /** Calls `onInterrupt(n)` for the n-th interrupt; returns an unsubscribe function. */
  onInterrupt(handler: (n: number) => void): () => void;
  /** Leaves at once (the second Ctrl-C); the ledger is consistent at every instant. */
  quitNow(): void;
}

const processSignals: RunCommandDeps = {
  onInterrupt(handler) {
    let n = 0;
    const listener = (): void => handler(++n);
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
  quitNow() {
    // Re-raise with no listener left: Node's default action ends the process with the signal
    // (shells report 130), without going through process.exit here.
    process.kill(process.pid, 'SIGINT');
  },
};

interface RunArgs {
  manifest: string;
  only: string[];
  force: boolean;
  retryFailed: boolean;
  cancelPending: boolean;
  yes: boolean;
  emulator: boolean;
  timeScale: number | undefined;
  baseUrl: string | undefined;
  json: boolean;
  config: string | undefined;
  region: string | undefined;
  outputDir: string | undefined;
  help: boolean;
}

function parseRunArgs(argv: string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        only: { type: 'string', multiple: true },
        force: { type: 'boolean' },
        'retry-failed': { type: 'boolean' },
        'cancel-pending': { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        emulator: { type: 'boolean' },
        'time-scale': { type: 'string' },
        'base-url': { type: 'string' },
        json: { type: 'boolean' },
        config: { type: 'string' },
        region: { type: 'string' },
        'output-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UserError('invalid-input', 'usage', (error as Error).message.split('\n')[0]!, 'run with --help for the options');
  }
  const v = parsed.values;
  if (v.help) return { help: true } as RunArgs;
  if (parsed.positionals.length !== 1) throw new UserError('invalid-input', 'usage', 'run takes exactly one manifest', 'pixverse run jobs/storyboard.yaml --emulator');
  let timeScale: number | undefined;
  if (v['time-scale'] !== undefined) {
    timeScale = Number(v['time-scale']);
    if (!(timeScale > 0 && timeScale <= 1)) throw new UserError('invalid-input', 'usage', `--time-scale must be a number in (0, 1], got ${v['time-scale']}`, 'e.g. --time-scale 0.01');
  }
  if (v.emulator && v['base-url']) throw new UserError('invalid-input', 'usage', '--emulator and --base-url exclude each other', 'use --emulator for an in-process emulator, --base-url for one already running');
  return {
    manifest: parsed.positionals[0]!,
    only: v.only ?? [],
    force: v.force ?? false,
    retryFailed: v['retry-failed'] ?? false,
    cancelPending: v['cancel-pending'] ?? false,
    yes: v.yes ?? false,
    emulator: v.emulator ?? false,
    timeScale,
    baseUrl: v['base-url'],
    json: v.json ?? false,
    config: v.config,
    region: v.region,
    outputDir: v['output-dir'],
    help: false,
  };
}

export async function run(argv: string[], io: CommandIo, deps: RunCommandDeps = processSignals): Promise<number> {
  const args = parseRunArgs(argv);
  if (args.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const abs = path.resolve(io.cwd, args.manifest);
  const shown = displayPath(io.cwd, abs);
  const config = await loadConfig({
    searchFrom: path.dirname(abs),
    ...(args.config ? { configFile: args.config } : {}),
    env: io.env,
    cwd: io.cwd,
    flags: {
      ...(args.region ? { region: args.region } : {}),
      ...(args.outputDir ? { outputDir: args.outputDir } : {}),
      ...(args.baseUrl ? { baseUrl: args.baseUrl } : {}),
    },
  });
  const planned = await planManifest(abs, config, { displayPath: shown });
  if (planned.plans.length === 0 && planned.issues.some((i) => i.severity === 'error')) {
    for (const issue of planned.issues) io.err(formatIssue(issue));
    io.err(formatSummary(planned.loaded.displayFile, planned.loaded.shots.length, planned.issues));
    return EXIT.invalidInput;
  }
  for (const issue of planned.issues) io.err(formatIssue(issue));

  const ids = new Set(planned.plans.map((p) => p.shotId));
  const selection = selectShots(planned.plans, (p) => p.shotId, parseSelectors(args.only, ids));
  if (selection.unmatched.length > 0) {
    throw new UserError('invalid-input', 'unknown-shot', `--only ${selection.unmatched.join(', ')} matches no shot of ${shown}`, `shot ids: ${[...ids].slice(0, 8).join(', ')}${ids.size > 8 ? ', …' : ''}`);
  }

  // The server: an in-process emulator, or the configured (or --base-url) endpoint with a key.
  let emulator: { baseUrl: string; apiKey: string; close(): Promise<void> } | undefined;
  let client: DashScopeClient | undefined;
  const stopSignals: Array<() => void> = [];
  try {
    let baseUrl = config.baseUrl;
    let apiKey: string;
    let timeScale = args.timeScale ?? 1;
    if (args.emulator) {
      timeScale = args.timeScale ?? 0.01;
      const { startEmulator } = await import('../../emulator/index.js');
      emulator = await startEmulator({ timeScale });
      baseUrl = emulator.baseUrl;
      apiKey = emulator.apiKey;
    } else {
      apiKey = (await resolveApiKey({ env: io.env })).key;
    }
    client = createDashScopeClient({
      baseUrl,
      apiKey,
      ...(config.workspace ? { workspace: config.workspace } : {}),
      // Task queries and submits are retried by the engine, through its shared rate limiters
      // and family backoff; retries inside the client would bypass both.
      retry: { submit: { maxAttempts: 1 }, getTask: { maxAttempts: 1 }, listTasks: { maxAttempts: 1 }, cancel: { maxAttempts: 1 } },
    });

    const output = createRunOutput(planned.outputDir);
    const controller = new AbortController();
    stopSignals.push(
      deps.onInterrupt((n) => {
        if (n === 1) {
          io.err('\nstopping: nothing new is submitted; live tasks stay recorded in the ledger. Ctrl-C again quits at once (still safe to resume).');
          const reason = new Error('interrupted by the user');
          reason.name = 'AbortError';
          controller.abort(reason);
        } else {
          for (const stop of stopSignals.splice(0)) stop();
          deps.quitNow();
        }
      }),
    );

    const mode = chooseProgressMode({ json: args.json, isTTY: io.isTTY, columns: process.stdout.columns, env: io.env });
    const progress = createProgressRenderer(mode, io);
    const startedAt = new Date();
    let result: RunResult;
    try {
      result = await runShots(
        {
          manifest: shown,
          manifestSha256: planned.loaded.manifestSha256 ?? '',
          requests: selection.selected,
          region: config.region,
          baseUrl,
          emulator: args.emulator,
          toolVersion: TOOL_VERSION,
        },
        runOptions(config, args, timeScale),
        { client, output, clock: systemClock, random: Math.random, onEvent: (e) => progress.onEvent(e) },
        controller.signal,
      );
    } finally {
      await progress.finish();
    }

    await writeRunEvidence(planned, config, { manifestAbs: abs, shown, baseUrl, emulator: args.emulator, startedAt }, io);
    return finish(result, { shown, argv, json: args.json }, io);
  } finally {
    for (const stop of stopSignals.splice(0)) stop();
    await client?.close().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
  }
}

function runOptions(config: ResolvedConfig, args: RunArgs, timeScale: number): RunOptions {
  const quotaOf = (model: string): FamilyQuota => {
    const base = findModel(model)?.quota ?? { family: model, runningTasks: 2, submitsPerSecond: 2 };
    const o = config.quotas[base.family];
    return { family: base.family, runningTasks: o?.runningTasks ?? base.runningTasks, submitsPerSecond: o?.submitsPerSecond ?? base.submitsPerSecond };
  };
  // The list poller ticks once for ALL live tasks, so its floor can sit far below a per-task
  // poll interval; a minimum written in the config still wins.
  const pollMin = config.sources['polling'] === 'config' ? config.polling.minIntervalMs : DEFAULT_POLL_SCHEDULE.minIntervalMs;
  return {
    ...DEFAULT_RUN_OPTIONS,
    force: args.force,
    retryFailed: args.retryFailed,
    cancelPending: args.cancelPending,
    yes: args.yes,
    budget: {
      ...(config.budget.maxBillableSeconds !== undefined ? { maxSeconds: config.budget.maxBillableSeconds } : {}),
      ...(config.budget.maxCost !== undefined ? { maxCost: config.budget.maxCost } : {}),
    },
    quotaOf,
    // `taskQueriesPerSecond` in the config is already this tool's share of the account's 20.
    accountQueriesPerSecond: config.taskQueriesPerSecond,
    queryShare: 1,
    poll: { ...DEFAULT_POLL_SCHEDULE, minIntervalMs: pollMin, maxIntervalMs: config.polling.maxIntervalMs },
    serverTimeScale: timeScale,
    submitBackoff: { baseMs: config.retries.baseDelayMs, maxMs: config.retries.maxDelayMs },
    maxSubmitRetries: Math.max(1, config.retries.maxAttempts - 1) + 3,
  };
}

/** Reports and lock file, at the end of every run (done, partly failed or interrupted). */
async function writeRunEvidence(
  planned: ManifestPlan,
  config: ResolvedConfig,
  ctx: { manifestAbs: string; shown: string; baseUrl: string; emulator: boolean; startedAt: Date },
  io: CommandIo,
): Promise<void> {
  const { records } = await readLedger(createRunOutput(planned.outputDir).ledgerPath);
  const ledger = foldLedger(records);
  try {
    await writeReports({
      manifestPath: ctx.shown,
      manifestName: planned.loaded.name,
      manifestSha256: planned.loaded.manifestSha256 ?? '',
      outputDir: planned.outputDir,
      plans: planned.plans,
      ledger,
      region: config.region,
      baseUrl: ctx.baseUrl,
      emulator: ctx.emulator,
      toolVersion: TOOL_VERSION,
      ...(config.prices ? { prices: config.prices } : {}),
      startedAt: ctx.startedAt,
      endedAt: new Date(),
      now: new Date(),
      lockFile: lockPathFor(ctx.manifestAbs),
    });
    await writeLockFile(ctx.manifestAbs, planned.plans, ledger, planned.outputDir);
  } catch (e) {
    // The videos and the ledger are what matter; `pixverse report` rebuilds the rest.
    io.err(`warning: could not write the reports (${e instanceof Error ? e.message : String(e)}); \`pixverse report\` rebuilds them from the ledger`);
  }
}

function lockPathFor(manifestAbs: string): string {
  return manifestAbs.replace(/\.(ya?ml)$/i, '') + '.lock.yaml';
}

function finish(result: RunResult, ctx: { shown: string; argv: string[]; json: boolean }, io: CommandIo): number {
  const c = result.counts;
  const r = result.requests;
  const line =
    `${c.succeeded} rendered, ${c.skipped} up to date, ${c.failed} failed` +
    (c.interrupted ? `, ${c.interrupted} interrupted` : '') +
    (c.unreconciled ? `, ${c.unreconciled} unreconciled` : '') +
    ` in ${(result.durationMs / 1000).toFixed(1)} s (${r.submit} submits, ${r.listTasks} list + ${r.getTask} task queries, ${r.download} downloads)`;
  if (!ctx.json) io.out(line);
  const resume = `pixverse run ${ctx.argv.filter((a) => a !== '--force').join(' ')}`;
  if (result.interrupted) {
    io.err(`interrupted: the ledger is consistent; resume with: ${resume}`);
    return EXIT.interrupted;
  }
  if (c.unreconciled > 0) {
    const shots = result.outcomes.filter((o) => o.status === 'unreconciled').map((o) => o.shot);
    throw new UserError(
      'unreconciled',
      'unreconciled-submits',
      `${shots.length} shot(s) have a submit whose outcome is unknown and could not be matched to a task: ${shots.join(', ')}; nothing was resubmitted for them`,
      `check the tasks in the console; re-run with --force to submit them again (a task may then be billed twice)`,
    );
  }
  return c.failed > 0 ? EXIT.shotsFailed : EXIT.ok;
}
