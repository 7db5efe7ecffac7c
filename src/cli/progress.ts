// Progress for `pixverse run`: three consumers of the engine's typed events.
// - listr2 in a terminal: a summary line and one line per ACTIVE shot, redrawn in place
//   (bounded for batches of hundreds of shots);
// - plain lines when stdout is not a terminal (CI logs), one per change of a shot's phase;
// - JSON lines (`--json`): every event as it comes.
// listr2 is imported here only. Its own fallback renderer is not used: it does not notice a
// terminal with zero columns (toolchain.md), so the choice is made here.
import { Listr } from 'listr2';
import type { ListrDefaultRenderer, ListrSimpleRenderer, ListrTaskWrapper } from 'listr2';
import { formatCost } from '../core/plan/render-decision.js';
import type { RunEvent, ShotEvent, ShotOutcome, ShotPhase } from '../engine/events.js';
import type { CommandIo } from './command-io.js';

export type ProgressMode = 'tty' | 'plain' | 'json';

export interface ProgressRenderer {
  onEvent(e: RunEvent): void;
  /** Resolves when the display has drawn its last frame. */
  finish(): Promise<void>;
}

export function chooseProgressMode(opts: { json: boolean; isTTY: boolean; columns: number | undefined; env: NodeJS.ProcessEnv }): ProgressMode {
  if (opts.json) return 'json';
  if (!opts.isTTY || !opts.columns || opts.env['TERM'] === 'dumb') return 'plain';
  return 'tty';
}

/** @param opts.rows terminal height: the terminal display shows at most about this many shot lines. */
export function createProgressRenderer(mode: ProgressMode, io: CommandIo, opts: { rows?: number } = {}): ProgressRenderer {
  if (mode === 'json') return { onEvent: (e) => io.out(JSON.stringify(e)), finish: async () => undefined };
  if (mode === 'plain') return new PlainProgress(io);
  return new ListrProgress(io, Math.max(5, Math.min(40, (opts.rows ?? 24) - 8)));
}

/** `pending (queue position 3)`, `backing off — Throttling, retry in 2.0 s`… */
export function describePhase(e: Pick<ShotEvent, 'phase' | 'queuePosition' | 'detail' | 'taskId'>): string {
  const label = e.phase === 'backing-off' ? 'backing off' : e.phase;
  const parts = [label];
  if (e.queuePosition !== undefined) parts.push(`(queue position ${e.queuePosition})`);
  if (e.detail && e.phase !== 'queued') parts.push(`— ${e.detail}`);
  return parts.join(' ');
}

export function describeOutcome(o: ShotOutcome): string {
  switch (o.status) {
    case 'succeeded':
      return `done → ${o.file}`;
    case 'skipped':
      return `skipped: ${o.reason}`;
    case 'failed':
      return `failed: ${o.code ?? ''}${o.message ? `: ${o.message}` : ''}${o.taskId ? ` (task ${o.taskId})` : ''}`;
    case 'interrupted':
      return `interrupted${o.taskId ? ` (task ${o.taskId} ${o.taskLeftLive ? 'left running; the next run re-attaches it' : 'canceled'})` : ' (not submitted)'}`;
    case 'unreconciled':
      return `unreconciled: ${o.message ?? ''}`;
  }
}

class PlainProgress implements ProgressRenderer {
  private readonly last = new Map<string, string>();
  private width = 0;

  constructor(private readonly io: CommandIo) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run-start': {
        this.width = Math.min(40, Math.max(4, ...e.shots.map((s) => s.shot.length)));
        this.io.out(describeRunStart(e));
        for (const s of e.shots) this.io.out(`  ${s.shot.padEnd(this.width)}  ${s.action}: ${s.reason}`);
        break;
      }
      case 'shot': {
        // The shot-end line says these (one line per held or failed shot, not two).
        if (e.phase === 'queued' || e.phase === 'done' || e.phase === 'skipped' || e.phase === 'failed' || e.phase === 'unreconciled' || e.phase === 'interrupted') return;
        const text = describePhase(e);
        if (this.last.get(e.shot) === text) return;
        this.last.set(e.shot, text);
        this.io.out(`${e.shot.padEnd(this.width)}  ${text}${e.taskId && e.phase === 'pending' ? ` [task ${e.taskId}]` : ''}`);
        break;
      }
      case 'shot-end':
        this.last.delete(e.outcome.shot);
        this.io.out(`${e.outcome.shot.padEnd(this.width)}  ${describeOutcome(e.outcome)}`);
        break;
      case 'backoff':
        this.io.out(`backing off ${(e.ms / 1000).toFixed(1)} s (${e.code}${e.family ? `, ${e.family} submits` : ', task queries'})`);
        break;
      case 'warning':
        this.io.err(`warning: ${e.shot ? `${e.shot}: ` : ''}${e.message}`);
        break;
      case 'run-end':
        break;
    }
  }

  async finish(): Promise<void> {}
}

/** Phases in which a shot is actively being worked on (shown one line each in a terminal). */
const ACTIVE_PHASES: ReadonlySet<ShotPhase> = new Set(['reconciling', 'uploading', 'submitting', 'pending', 'running', 'backing-off', 'downloading', 'storing']);

/**
 * What the terminal shows of a batch, kept bounded whatever its size: one line per ACTIVE shot
 * (at most `maxRows`, then "… and N more"), a one-line summary with the counts of the others,
 * and the latest failures. Memory is per active shot, plus one counter per state.
 */
export class ShotBoard {
  private total = 0;
  private readonly active = new Map<string, string>();
  /** Shots not yet ended: their last phase is either queued or one of ACTIVE_PHASES. */
  private readonly open = new Set<string>();
  private readonly ended: Record<ShotOutcome['status'], number> = { succeeded: 0, skipped: 0, failed: 0, interrupted: 0, unreconciled: 0 };
  private readonly failures: string[] = [];

  constructor(
    private readonly maxRows: number,
    private readonly maxFailures = 3,
  ) {}

  start(shots: ReadonlyArray<{ shot: string }>): void {
    this.total = shots.length;
    for (const s of shots) this.open.add(s.shot);
  }

  onShot(e: ShotEvent): void {
    if (!this.open.has(e.shot)) return;
    if (ACTIVE_PHASES.has(e.phase)) this.active.set(e.shot, describePhase(e));
    else this.active.delete(e.shot);
  }

  onEnd(o: ShotOutcome): void {
    if (!this.open.delete(o.shot)) return;
    this.active.delete(o.shot);
    this.ended[o.status]++;
    if (o.status === 'failed' || o.status === 'unreconciled') {
      this.failures.push(`${o.shot}  ${describeOutcome(o)}`);
      // Only the latest are drawn while running; the report lists them all.
      if (this.failures.length > 50) this.failures.splice(0, this.failures.length - 50);
    }
  }

  /** `120 shots: 80 queued · 10 active · 25 done · 3 up to date · 2 failed`. */
  summary(): string {
    const queued = this.open.size - this.active.size;
    const parts = [`${queued} queued`, `${this.active.size} active`, `${this.ended.succeeded} done`];
    if (this.ended.skipped) parts.push(`${this.ended.skipped} up to date`);
    if (this.ended.failed) parts.push(`${this.ended.failed} failed`);
    if (this.ended.unreconciled) parts.push(`${this.ended.unreconciled} unreconciled`);
    if (this.ended.interrupted) parts.push(`${this.ended.interrupted} interrupted`);
    return `${this.total} shots: ${parts.join(' · ')}`;
  }

  /**
   * How the batch ended, for the mark beside the final summary: `failed` when a shot failed or
   * is unreconciled, `interrupted` when a shot was interrupted or never ended, else `ok`.
   */
  verdict(): 'ok' | 'failed' | 'interrupted' {
    if (this.ended.failed || this.ended.unreconciled) return 'failed';
    if (this.ended.interrupted || this.open.size > 0) return 'interrupted';
    return 'ok';
  }

  /** The lines under the summary: active shots (bounded), then the latest failures. */
  lines(opts: { final?: boolean } = {}): string[] {
    const out: string[] = [];
    const width = Math.min(40, Math.max(4, ...[...this.active.keys()].map((k) => k.length)));
    if (!opts.final) {
      let shown = 0;
      for (const [shot, text] of this.active) {
        if (shown === this.maxRows) break;
        out.push(`${shot.padEnd(width)}  ${text}`);
        shown++;
      }
      if (this.active.size > shown) out.push(`… and ${this.active.size - shown} more active`);
    }
    const limit = opts.final ? 20 : this.maxFailures;
    const failures = this.failures.slice(-limit);
    const hidden = this.ended.failed + this.ended.unreconciled - failures.length;
    if (hidden > 0 && failures.length > 0) out.push(`… ${hidden} earlier failure(s): see report.md`);
    out.push(...failures);
    return out;
  }
}

/**
 * The run header: shots, what will be submitted, billable seconds and cost with its currency,
 * then the absolute run folder (where the ledger, videos and reports of this run are).
 */
export function describeRunStart(e: Extract<RunEvent, { type: 'run-start' }>): string {
  const submit = e.shots.filter((s) => s.action === 'submit').length;
  const cost = e.cost.estimatedCost !== undefined && e.cost.shots > 0 ? `, about ${formatCost(e.cost.estimatedCost, e.cost.currency)}` : '';
  return `run ${e.runId}${e.emulator ? ' (EMULATOR)' : ''}: ${e.shots.length} shots, ${submit} to submit, ${e.cost.billableSeconds} billable seconds${cost}\nrun folder: ${e.runFolder}`;
}

/**
 * listr2 in a terminal: ONE task whose title is the board's summary and whose output lists the
 * active shots, so a batch of hundreds of shots draws a bounded frame (listr2 would otherwise
 * draw one line per shot). Redrawn on every event; the final frame keeps the summary and the
 * failures.
 */
class ListrProgress implements ProgressRenderer {
  private board: ShotBoard;
  private wrapper: ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer> | undefined;
  private resolve: (() => void) | undefined;
  private ended = false;
  /** A run-end event came and said the run was not interrupted. */
  private runEnded = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly io: CommandIo,
    private readonly maxRows: number,
  ) {
    this.board = new ShotBoard(maxRows);
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run-start': {
        this.io.out(describeRunStart(e));
        this.board = new ShotBoard(this.maxRows);
        this.board.start(e.shots);
        const list = new Listr<unknown, 'default', 'simple'>(
          [
            {
              title: this.board.summary(),
              task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>) => {
                this.wrapper = task;
                this.draw();
                if (!this.ended) await new Promise<void>((r) => (this.resolve = r));
                task.title = this.board.summary();
                task.output = this.board.lines({ final: true }).join('\n');
                // The mark says how the run ended: ✔ only when every shot is done or up to date;
                // ✖ when one failed; ↓ when the run was interrupted or ended early.
                const verdict = this.runEnded ? this.board.verdict() : 'interrupted';
                if (verdict === 'failed') throw new Error(task.title);
                if (verdict === 'interrupted') task.skip(task.title);
              },
              // One output entry (the whole list, redrawn), kept in the final frame for the failures.
              rendererOptions: { persistentOutput: true, outputBar: 1 },
            },
          ],
          // The CLI owns SIGINT (first Ctrl-C stops cleanly); listr2 must not install its own.
          { concurrent: false, exitOnError: false, registerSignalListeners: false },
        );
        this.running = list.run().catch(() => undefined);
        break;
      }
      case 'shot':
        this.board.onShot(e);
        this.draw();
        break;
      case 'shot-end':
        this.board.onEnd(e.outcome);
        this.draw();
        break;
      case 'warning':
        this.io.err(`warning: ${e.shot ? `${e.shot}: ` : ''}${e.message}`);
        break;
      case 'run-end':
        this.runEnded = !e.interrupted;
        break;
      default:
        break;
    }
  }

  private draw(): void {
    if (!this.wrapper || this.ended) return;
    this.wrapper.title = this.board.summary();
    this.wrapper.output = this.board.lines().join('\n');
  }

  async finish(): Promise<void> {
    // Also when no run-end came (a budget refusal, an error): the display must not hang.
    this.ended = true;
    this.resolve?.();
    await this.running;
  }
}
