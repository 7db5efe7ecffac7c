// Tasks and their lifecycle: PENDING → RUNNING → SUCCEEDED | FAILED, CANCELED from PENDING.
// State advances lazily: `settle(now)` replays every start and end event up to the emulated
// `now` in time order, so jumps of the clock (advanceClock) and any timeScale give the same
// history, and the per-family running cap is exact (extra tasks wait PENDING, FIFO).
import type { ModelEntry } from '../core/catalog/model-entry.js';
import type { Tier } from '../core/types.js';
import type { Markers } from './markers.js';
import { createRng } from './rng.js';
import type { Rng } from './rng.js';

export type EmulatedStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** Tasks are kept (and answered) for 24 h of emulated time, then read as UNKNOWN. */
export const TASK_RETENTION_MS = 24 * 3600 * 1000;

export interface Task {
  id: string;
  model: ModelEntry;
  family: string;
  /** Submit path used, e.g. `/services/aigc/video-generation/video-synthesis`. */
  endpoint: string;
  body: Record<string, unknown>;
  bodySha256: string;
  /** request_id of the submit that created it. */
  requestId: string;
  tier: Tier | undefined;
  markers: Markers;
  notes: string[];
  /** Set when the task is to end FAILED. */
  failure?: { code: string; message: string };
  /** Submitted by another client on the account (the `[[foreign:N]]` marker). */
  client?: 'other';
  status: EmulatedStatus;
  submitAt: number;
  /** Earliest start (submit + scheduling delay). */
  readyAt: number;
  runMs: number;
  startAt?: number;
  endAt?: number;
  /** Emulated ms when an answer (GET or list row) first showed the task final: the client's detection lag starts at `endAt`. */
  seenFinalAt?: number;
  /** Per-task fault counters. */
  gets: number;
  downloads: number;
  /** Sequence number, for stable ordering and stats epochs. */
  seq: number;
}

/** What a submit knows about a task; the store adds its family, lifecycle times and counters. */
export type NewTask = Pick<Task, 'id' | 'model' | 'endpoint' | 'body' | 'bodySha256' | 'requestId' | 'tier' | 'markers' | 'notes' | 'failure' | 'client'>;

interface FamilyState {
  queue: Task[];
  running: Task[];
  peakRunning: number;
  peakActive: number;
}

const TIER_FACTOR: Record<Tier, number> = { '360P': 0.6, '480P': 0.7, '540P': 0.8, '720P': 1, '768P': 1.1, '1080P': 1.7, '2K': 2.5, '4K': 4 };

/**
 * Emulated run time in ms: grows with the requested duration and the tier, with a seeded
 * jitter of 0.7–1.4. A 720P 5 s PixVerse clip takes about 45 s; 1080P 15 s about 3 min.
 * Tasks that fail on a rule fail fast.
 */
export function drawRunMs(rng: Rng, model: ModelEntry, tier: Tier | undefined, durationS: number, failure: boolean): number {
  const jitter = 0.7 + rng() * 0.7;
  if (failure) return (2_000 + 6_000 * rng()) * jitter;
  const modelFactor = model.vendor === 'wan' ? 1.5 : 1;
  const seconds = (15 + 6 * Math.max(1, durationS) * TIER_FACTOR[tier ?? '720P']) * modelFactor * jitter;
  return seconds * 1000;
}

/**
 * A fixed distribution of task times instead of the realistic one (the benchmark's profiles):
 * every task takes a uniform draw from [minMs, maxMs] of emulated time from submit to end when a
 * slot is free. The draw depends only on the seed and the body, so the same batch sent by two
 * clients meets the same durations.
 */
export interface DurationProfile {
  minMs: number;
  maxMs: number;
}

/** A uniform draw in [0, 1) from the seed and a body hash. */
function drawForBody(seed: number, bodySha256: string): number {
  return createRng(seed, Number.parseInt(bodySha256.slice(0, 8), 16) || 0)();
}

export class TaskStore {
  private readonly tasks = new Map<string, Task>();
  private readonly families = new Map<string, FamilyState>();
  private cursor = 0;
  private seq = 0;

  constructor(
    private readonly rng: Rng,
    private readonly runningCap: (family: string) => number,
    private readonly profile?: DurationProfile & { seed: number },
  ) {}

  create(t: NewTask, now: number): Task {
    this.settle(now);
    const durationS = typeof (t.body.parameters as Record<string, unknown> | undefined)?.duration === 'number'
      ? ((t.body.parameters as Record<string, unknown>).duration as number)
      : (t.model.duration.serverDefault ?? 5);
    const p = this.profile;
    // Scheduling delay before a free slot is taken: 0.5–3 s emulated (none under a profile).
    const readyAt = p ? now : now + 500 + this.rng() * 2_500;
    const runMs = p
      ? p.minMs + (p.maxMs - p.minMs) * drawForBody(p.seed, t.bodySha256)
      : drawRunMs(this.rng, t.model, t.tier, durationS, t.failure !== undefined);
    const task: Task = {
      ...t,
      family: t.model.quota.family,
      status: 'PENDING',
      submitAt: now,
      readyAt,
      runMs,
      gets: 0,
      downloads: 0,
      seq: this.seq++,
    };
    this.tasks.set(task.id, task);
    const fam = this.family(task.family);
    fam.queue.push(task);
    fam.peakActive = Math.max(fam.peakActive, fam.queue.length + fam.running.length);
    return task;
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  all(): Task[] {
    return [...this.tasks.values()];
  }

  /** Notes that an answer showed `task` final at emulated `now` (the first time only). */
  seenFinal(task: Task, now: number): void {
    if (task.seenFinalAt === undefined && task.endAt !== undefined && task.endAt <= now) task.seenFinalAt = now;
  }

  /** Cancels a PENDING task; false when it is in any other state. */
  cancel(task: Task, now: number): boolean {
    this.settle(now);
    if (task.status !== 'PENDING') return false;
    const fam = this.family(task.family);
    fam.queue.splice(fam.queue.indexOf(task), 1);
    task.status = 'CANCELED';
    task.endAt = now;
    return true;
  }

  peaks(): { running: Record<string, number>; active: Record<string, number> } {
    const running: Record<string, number> = {};
    const active: Record<string, number> = {};
    for (const [name, fam] of this.families) {
      running[name] = fam.peakRunning;
      active[name] = fam.peakActive;
    }
    return { running, active };
  }

  resetPeaks(): void {
    for (const fam of this.families.values()) {
      fam.peakRunning = fam.running.length;
      fam.peakActive = fam.running.length + fam.queue.length;
    }
  }

  /** Replays every start/end event up to `now` (emulated ms), in time order. */
  settle(now: number): void {
    if (now < this.cursor) return;
    for (;;) {
      let best: { at: number; kind: 'end' | 'start'; fam: FamilyState; task: Task } | undefined;
      for (const fam of this.families.values()) {
        for (const task of fam.running) {
          const at = (task.startAt as number) + task.runMs;
          if (at <= now && (!best || at < best.at || (at === best.at && best.kind === 'start'))) best = { at, kind: 'end', fam, task };
        }
        const head = fam.queue[0];
        if (head && fam.running.length < this.runningCap(head.family)) {
          const at = Math.max(head.readyAt, this.cursor);
          if (at <= now && (!best || at < best.at)) best = { at, kind: 'start', fam, task: head };
        }
      }
      if (!best) break;
      this.cursor = best.at;
      const { fam, task } = best;
      if (best.kind === 'start') {
        fam.queue.shift();
        fam.running.push(task);
        task.status = 'RUNNING';
        task.startAt = best.at;
        fam.peakRunning = Math.max(fam.peakRunning, fam.running.length);
      } else {
        fam.running.splice(fam.running.indexOf(task), 1);
        task.status = task.failure ? 'FAILED' : 'SUCCEEDED';
        task.endAt = best.at;
      }
    }
    this.cursor = now;
  }

  private family(name: string): FamilyState {
    let fam = this.families.get(name);
    if (!fam) {
      fam = { queue: [], running: [], peakRunning: 0, peakActive: 0 };
      this.families.set(name, fam);
    }
    return fam;
  }
}
