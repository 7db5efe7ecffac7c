// Looking up intents that have no task id (a crash between the intent and the answer, or an
// uncertain submit) in the task LIST before anything is sent again (spec §3): the tasks of the
// intent's model created since the intent, minus those the ledger already knows, are GET (for
// orig_prompt) and paired with the open intents (src/core/task/match-intents.ts).
import { matchIntentsToTasks } from '../core/task/match-intents.js';
import type { CandidateTask, IntentMatch, IntentToMatch } from '../core/task/match-intents.js';
import type { RequestBody } from '../core/types.js';
import type { TaskRow } from '../core/task/task-view.js';
import type { TaskService } from './ports.js';
import type { Clock } from './clock.js';
import type { QueryThrottle } from './query-throttle.js';
import type { RequestCounters } from './request-counters.js';

export interface OpenIntent {
  /** Unique among the intents reconciled together (the shot id). */
  id: string;
  model: string;
  atMs: number;
  body?: RequestBody;
}

export interface ReconcileDeps {
  client: Pick<TaskService, 'getTask' | 'listTasks'>;
  clock: Clock;
  /** The run's shared query limiter and backoff: a throttled lookup waits and tries again. */
  queries: QueryThrottle;
  counters: RequestCounters;
  onSnapshot(shot: string, entry: Record<string, unknown>): void;
}

export interface ReconcileOptions {
  /** Tolerated clock difference between us and the server, ms. */
  skewMs: number;
  /** The list window's longest span (24 h; scaled on the emulator), ms. */
  maxWindowMs: number;
  /** More unknown candidates than this for one model are not all GET: the intents stay unreconciled. */
  maxCandidates: number;
  pageSize: number;
  /**
   * The server shows `orig_prompt` only once a task SUCCEEDED: when the pairing is ambiguous
   * and some candidates are still live, look again every `waitStepMs` for up to `maxWaitMs`.
   */
  waitStepMs: number;
  maxWaitMs: number;
  /** Tries per query before the lookup gives up (the intents then stay unreconciled). */
  queryAttempts: number;
}

export type ReconcileOutcome = IntentMatch | { id: string; ambiguous: true; candidates: string[]; why: string };

/**
 * @param known task ids the ledger (and this run) already attribute to shots.
 */
export async function reconcileIntents(
  intents: readonly OpenIntent[],
  known: ReadonlySet<string>,
  deps: ReconcileDeps,
  o: ReconcileOptions,
  signal?: AbortSignal,
): Promise<ReconcileOutcome[]> {
  const out: ReconcileOutcome[] = [];
  const byModel = new Map<string, OpenIntent[]>();
  for (const i of intents) byModel.set(i.model, [...(byModel.get(i.model) ?? []), i]);
  const now = deps.clock.now();

  for (const [model, group] of byModel) {
    const tooOld = group.filter((i) => now - i.atMs > o.maxWindowMs - o.skewMs);
    for (const i of tooOld) {
      out.push({ id: i.id, ambiguous: true, candidates: [], why: 'the intent is older than the task list keeps tasks (24 h)' });
    }
    const open = group.filter((i) => !tooOld.includes(i));
    if (open.length === 0) continue;
    const start = Math.min(...open.map((i) => i.atMs)) - o.skewMs;
    const rows: TaskRow[] = [];
    for (let page = 1; ; page++) {
      const res = await deps.queries.run(() => deps.client.listTasks({ modelName: model, startTime: new Date(start), pageNo: page, pageSize: o.pageSize }), {
        maxAttempts: o.queryAttempts,
        count: () => deps.counters.listTasks++,
        ...(signal ? { signal } : {}),
      });
      rows.push(...res.rows);
      if (page >= res.totalPages) break;
    }
    const unknown = rows.filter((r) => r.model === model && !known.has(r.taskId));
    if (unknown.length > o.maxCandidates) {
      for (const i of open) {
        out.push({ id: i.id, ambiguous: true, candidates: unknown.map((r) => r.taskId), why: `${unknown.length} unknown tasks of ${model} in the window` });
      }
      continue;
    }
    const candidates = new Map<string, CandidateTask & { live: boolean }>();
    const look = async (r: TaskRow): Promise<void> => {
      const res = await deps.queries.run(() => deps.client.getTask(r.taskId), {
        maxAttempts: o.queryAttempts,
        count: () => deps.counters.getTask++,
        ...(signal ? { signal } : {}),
      });
      candidates.set(r.taskId, {
        taskId: r.taskId,
        live: res.status === 'PENDING' || res.status === 'RUNNING',
        ...(r.createdAtMs !== undefined ? { createdAtMs: r.createdAtMs } : {}),
        ...(res.origPrompt !== undefined ? { origPrompt: res.origPrompt } : {}),
        ...(res.usage ? { usage: res.usage } : {}),
      });
      for (const i of open) deps.onSnapshot(i.id, { source: 'reconcile-candidate', response: res.raw });
    };
    for (const r of unknown) await look(r);
    const toMatch: IntentToMatch[] = open.map((i) => {
      const prompt = i.body?.input?.['prompt'];
      return {
        id: i.id,
        atMs: i.atMs,
        prompt: typeof prompt === 'string' ? prompt : undefined,
        ...(i.body?.parameters ? { parameters: i.body.parameters } : {}),
      };
    });
    const started = deps.clock.now();
    let matches = matchIntentsToTasks(toMatch, [...candidates.values()], o.skewMs);
    for (;;) {
      const waiting = unknown.filter((r) => candidates.get(r.taskId)?.live && candidates.get(r.taskId)?.origPrompt === undefined);
      if (!matches.some((m) => 'ambiguous' in m) || waiting.length === 0 || deps.clock.now() - started >= o.maxWaitMs) break;
      await deps.clock.sleep(o.waitStepMs, signal);
      for (const r of waiting) await look(r);
      matches = matchIntentsToTasks(toMatch, [...candidates.values()], o.skewMs);
    }
    out.push(...matches);
  }
  return out;
}
