// Progress for `pixverse run`: three consumers of the engine's typed events.
// - listr2 in a terminal: one line per shot, redrawn in place;
// - plain lines when stdout is not a terminal (CI logs), one per change of a shot's phase;
// - JSON lines (`--json`): every event as it comes.
// listr2 is imported here only. Its own fallback renderer is not used: it does not notice a
// terminal with zero columns (toolchain.md), so the choice is made here.
import { Listr } from 'listr2';
import type { ListrTaskWrapper } from 'listr2';
import type { RunEvent, ShotEvent, ShotOutcome } from '../engine/events.js';
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

export function createProgressRenderer(mode: ProgressMode, io: CommandIo): ProgressRenderer {
  if (mode === 'json') return { onEvent: (e) => io.out(JSON.stringify(e)), finish: async () => undefined };
  if (mode === 'plain') return new PlainProgress(io);
  return new ListrProgress(io);
}

/** `pending (queue 3)`, `backing off: Throttling, retry in 2.0 s`… */
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
        const submit = e.shots.filter((s) => s.action === 'submit').length;
        this.io.out(
          `run ${e.runId}${e.emulator ? ' (EMULATOR)' : ''}: ${e.shots.length} shots, ${submit} to submit, ` +
            `${e.cost.billableSeconds} billable seconds${e.cost.estimatedCost !== undefined && e.cost.shots > 0 ? `, about ${e.cost.estimatedCost.toFixed(2)}` : ''}`,
        );
        for (const s of e.shots) this.io.out(`  ${s.shot.padEnd(this.width)}  ${s.action}: ${s.reason}`);
        break;
      }
      case 'shot': {
        if (e.phase === 'queued' || e.phase === 'done' || e.phase === 'skipped' || e.phase === 'failed' || e.phase === 'interrupted') return;
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

interface TaskSlot {
  title: string;
  wrapper?: ListrTaskWrapper<unknown, never, never>;
  end?: ShotOutcome;
  resolve?: () => void;
}

class ListrProgress implements ProgressRenderer {
  private readonly slots = new Map<string, TaskSlot>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly io: CommandIo) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run-start': {
        this.io.out(
          `run ${e.runId}${e.emulator ? ' (EMULATOR)' : ''}: ${e.shots.length} shots, ` +
            `${e.shots.filter((s) => s.action === 'submit').length} to submit, ${e.cost.billableSeconds} billable seconds`,
        );
        for (const s of e.shots) this.slots.set(s.shot, { title: `${s.shot}  ${s.action === 'skip' ? 'up to date' : 'queued'}` });
        const list = new Listr(
          e.shots.map((s) => ({
            title: this.slots.get(s.shot)!.title,
            task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
              const slot = this.slots.get(s.shot)!;
              slot.wrapper = task;
              task.title = slot.title;
              if (!slot.end) await new Promise<void>((r) => (slot.resolve = r));
              const o = slot.end!;
              task.title = `${s.shot}  ${describeOutcome(o)}`;
              if (o.status === 'skipped') task.skip(task.title);
              else if (o.status !== 'succeeded') throw new Error(describeOutcome(o));
            },
          })),
          // The CLI owns SIGINT (first Ctrl-C stops cleanly); listr2 must not install its own.
          { concurrent: true, exitOnError: false, registerSignalListeners: false },
        );
        this.running = list.run().catch(() => undefined);
        break;
      }
      case 'shot': {
        const slot = this.slots.get(e.shot);
        if (!slot) return;
        slot.title = `${e.shot}  ${describePhase(e)}`;
        if (slot.wrapper) slot.wrapper.title = slot.title;
        break;
      }
      case 'shot-end': {
        const slot = this.slots.get(e.outcome.shot);
        if (!slot) return;
        slot.end = e.outcome;
        slot.resolve?.();
        break;
      }
      case 'warning':
        this.io.err(`warning: ${e.shot ? `${e.shot}: ` : ''}${e.message}`);
        break;
      default:
        break;
    }
  }

  async finish(): Promise<void> {
    // Shots that never got a shot-end (e.g. a budget refusal) must not hang the display.
    for (const slot of this.slots.values()) {
      if (!slot.end) {
        slot.end = { shot: '', model: '', status: 'interrupted', action: 'submit', reasonCode: 'new', reason: '' };
        slot.resolve?.();
      }
    }
    await this.running;
  }
}
