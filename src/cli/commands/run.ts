// `pixverse run <manifest>`: plan, then render through the engine (src/engine/run-engine.ts),
// with progress, reports and the lock file at the end of every run. This command owns the
// process signals: the first Ctrl-C stops cleanly (exit 130), the second quits at once.
import { UserError } from '../../core/errors.js';
import { runManifest } from '../../app/run-manifest.js';
import type { RunResult } from '../../engine/run-engine.js';
import { isAbortError } from '../../engine/clock.js';
import type { RunStoreSummary } from '../../app/run-manifest.js';
import { displayPath } from '../../app/job-config.js';
import type { JobConfigOptions } from '../../app/job-config.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, STORE_FLAG, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { tolerantIo } from '../command-io.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { formatIssues, formatSummary } from '../format-issues.js';
import { chooseProgressMode, createProgressRenderer, describeOutcome } from '../progress.js';
import { USAGE } from '../usage/run.js';

const COMMAND = defineCommand({
  name: 'run',
  usage: USAGE,
  flags: {
    only: { type: 'string', multiple: true },
    force: { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
    'cancel-pending': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    wait: { type: 'boolean' },
    'break-lock': { type: 'boolean' },
    'time-scale': { type: 'string' },
    ...SERVER_FLAGS,
    ...STORE_FLAG,
    ...JSON_FLAG,
    ...CONFIG_FLAGS,
    ...OUTPUT_DIR_FLAG,
  },
  manifests: 'one',
  example: 'pixverse run jobs/storyboard.yaml --emulator',
});

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
    // A closed terminal (SIGHUP) does not stop a render: the run finishes its shots, ledger and
    // reports in the background (its output is dropped); Ctrl-C or kill stop it, as always.
    const hangUp = (): void => undefined;
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    process.on('SIGHUP', hangUp);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
      process.off('SIGHUP', hangUp);
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
  wait: boolean;
  breakLock: boolean;
  emulator: boolean;
  timeScale: number | undefined;
  json: boolean;
  /** --config, --region, --output-dir, --base-url, with the command's cwd and env. */
  job: JobConfigOptions;
  help: boolean;
}

function parseRunArgs(argv: string[], io: CommandIo): RunArgs {
  const parsed = parseCommand(argv, io, COMMAND);
  const v = parsed.values;
  if (parsed.help) return { help: true } as RunArgs;
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
    wait: v.wait ?? false,
    breakLock: v['break-lock'] ?? false,
    emulator: v.emulator ?? false,
    timeScale,
    json: v.json ?? false,
    job: jobOptionsFromFlags(v, io),
    help: false,
  };
}

export async function run(argv: string[], terminal: CommandIo, deps: RunCommandDeps = processSignals): Promise<number> {
  // Nothing that happens to the display stops a render (see tolerantIo).
  const io = tolerantIo(terminal);
  const args = parseRunArgs(argv, io);
  if (args.help) return EXIT.ok;
  const controller = new AbortController();
  const stopSignals: Array<() => void> = [];
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
  // --quiet: the plain renderer into a muted stdout (listr2 would draw on the terminal itself).
  const mode = chooseProgressMode({ json: args.json, isTTY: io.isTTY && !io.quiet, columns: process.stdout.columns, env: io.env });
  const warn = runWarner(io, args.json);
  const progress = createProgressRenderer(mode, io, { rows: process.stdout.rows });
  try {
    const outcome = await runManifest(args.manifest, {
      ...args.job,
      only: args.only,
      force: args.force,
      retryFailed: args.retryFailed,
      cancelPending: args.cancelPending,
      yes: args.yes,
      wait: args.wait,
      breakLock: args.breakLock,
      command: `pixverse run ${argv.join(' ')}`,
      onWaiting: (message) => io.err(`pixverse run: ${message}`),
      emulator: args.emulator,
      ...(args.timeScale !== undefined ? { timeScale: args.timeScale } : {}),
      onEvent: (e) => progress.onEvent(e),
      onWarning: (message) => warn({ message }),
      onIssues: (planned) => {
        // An emulator run takes media URLs the service's docs do not name (local files as oss://
        // on PixVerse); that warning is about a real run, and validate, plan and run say it.
        const issues = args.emulator ? planned.issues.filter((i) => i.code !== 'media-source-undocumented') : planned.issues;
        if (!args.json) for (const line of formatIssues(issues)) io.err(line);
        else for (const issue of issues) io.out(JSON.stringify({ type: issue.severity, at: new Date().toISOString(), ...issue }));
      },
      signal: controller.signal,
    }).catch((e: unknown) => {
      // Ctrl-C before the run began (waiting for the run folder with --wait): nothing was sent.
      if (controller.signal.aborted && isAbortError(e)) return undefined;
      throw e;
    });
    await progress.finish().catch(() => undefined);
    if (outcome === undefined) {
      io.err('interrupted before the run started; nothing was sent');
      return EXIT.interrupted;
    }
    if (!outcome.ok) {
      if (!args.json) io.err(formatSummary(outcome.planned.loaded.displayFile, outcome.planned.loaded.shots.length, outcome.planned.issues));
      return EXIT.invalidInput;
    }
    if (!args.json && outcome.space.emulator) io.out(`not from Model Studio: videos, reports and lock file are in ${displayPath(io.cwd, outcome.space.outputDir)}/`);
    const code = finish(outcome.result, { argv, json: args.json }, io);
    return outcome.store ? finishStore(outcome.store, code, { json: args.json, warn }, io) : code;
  } finally {
    await progress.finish().catch(() => undefined);
    for (const stop of stopSignals.splice(0)) stop();
  }
}

type RunWarner = (w: { message: string; shot?: string } & Record<string, unknown>) => void;

/**
 * Warnings of the run outside the engine's events (the manifest's, the config's, the store's):
 * on stderr for people; with --json, `warning` events in the same JSON-lines stream as the
 * engine's, so a program reading stdout sees every warning and no free text.
 */
function runWarner(io: CommandIo, json: boolean): RunWarner {
  if (!json) return ({ message, shot }) => io.err(`warning: ${shot ? `${shot}: ` : ''}${message}`);
  return (w) => io.out(JSON.stringify({ type: 'warning', at: new Date().toISOString(), ...w }));
}

/** The store's part of the summary; a video rendered but not stored makes the run exit 1. */
function finishStore(store: RunStoreSummary, code: number, ctx: { json: boolean; warn: RunWarner }, io: CommandIo): number {
  const pulled = store.pulled.filter((p) => p.result === 'pulled').length;
  const unpulled = store.pulled.filter((p) => p.result === 'failed');
  if (!ctx.json) {
    const uploaded = store.pushed.filter((p) => p.result === 'stored').length;
    io.out(`store ${store.url}: ${pulled} pulled${uploaded ? `, ${uploaded} uploaded after the run` : ''}${store.notStored.length ? `, ${store.notStored.length} not stored` : ', every video stored'}`);
  }
  for (const p of unpulled) ctx.warn({ shot: p.shot, message: `could not pull from the store: ${p.detail ?? ''}` });
  if (store.notStored.length === 0 || code !== EXIT.ok) return code;
  for (const s of store.notStored.slice(0, 10)) io.err(`not stored: ${s.shot}: ${s.why}`);
  io.err(`${store.notStored.length} video(s) rendered and kept on disk but not in the store; \`pixverse push\` (or the next run) uploads them`);
  return EXIT.shotsFailed;
}

function finish(result: RunResult, ctx: { argv: string[]; json: boolean }, io: CommandIo): number {
  const c = result.counts;
  const r = result.requests;
  // A reused video (the same request rendered under another id or manifest) was copied, not rendered.
  const reused = result.outcomes.filter((o) => o.status === 'succeeded' && o.action === 'reuse').length;
  const line =
    `${c.succeeded - reused} rendered, ${reused ? `${reused} reused, ` : ''}${c.skipped} up to date, ${c.failed} failed` +
    (c.interrupted ? `, ${c.interrupted} interrupted` : '') +
    (c.unreconciled ? `, ${c.unreconciled} unreconciled` : '') +
    ` in ${(result.durationMs / 1000).toFixed(1)} s (${r.submit} submits, ${r.listTasks} list + ${r.getTask} task queries, ${r.download} downloads)`;
  if (!ctx.json) io.out(line);
  // --quiet muted the progress: what failed is still said, on stderr.
  if (io.quiet) for (const o of result.outcomes) if (o.status === 'failed') io.err(`${o.shot}  ${describeOutcome(o)}`);
  const resume = `pixverse run ${ctx.argv.filter((a) => a !== '--force').join(' ')}`;
  if (result.stopped) throw stoppedError(result, resume);
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

/** A run the server's refusal of the account (or its silence) stopped: exit 3, what and why. */
function stoppedError(result: RunResult, resume: string): UserError {
  const s = result.stopped!;
  const notSent = result.outcomes.filter((o) => o.status === 'interrupted' && !o.taskLeftLive).length;
  const live = result.outcomes.filter((o) => o.taskLeftLive).length;
  const answer = `${s.httpStatus !== undefined ? `HTTP ${s.httpStatus} ` : ''}${s.code}: ${s.message}`;
  const left = [`${notSent} shot(s) not submitted`, ...(live ? [`${live} task(s) still rendering on the server (the next run picks them up)`] : [])].join(', ');
  return new UserError(
    s.kind === 'account' ? 'auth' : 'config',
    s.code,
    `${s.cause} (${answer}). The run stopped: ${left}; nothing is held: the next run submits them normally`,
    `${s.hint}; then: ${resume}`,
  );
}
