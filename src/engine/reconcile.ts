// Looking up intents that have no task id (a crash between the intent and the answer, or an
// uncertain submit) in the task LIST before anything is sent again (spec §3): the tasks of the
// model created since the intents, minus those the ledger already knows, are GET (for
// orig_prompt and usage) and paired with ALL the model's open intents in one matching
// (src/core/task/match-intents.ts). A task that does not show yet what it is is waited for
// (bounded), never taken on faith.
import { isFinalStatus, matchIntentsToTasks } from '../core/task/match-intents.js';
import type { CandidateTask, IntentMatch, IntentToMatch } from '../core/task/match-intents.js';
import type { TaskRow } from '../core/task/task-view.js';
import type { RequestBody } from '../core/types.js';
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
  /** The submit path it POSTs to (compared with the list row's `user_api_unique_key`). */
  endpoint?: string;
  /** Its POST is still on the wire: its task, if any, will soon be known. */
  inFlight?: boolean;
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
   * A task shows its prompt and usage only as it runs or ends: while an intent cannot be decided
   * and such a task is still live, the list is read again after `waitStepMs` (doubling up to
   * six times that), for up to `maxWaitMs`; only tasks whose status changed are GET again.
   */
  waitStepMs: number;
  maxWaitMs: number;
  /** Tries per query before the lookup gives up (the intents then stay unreconciled). */
  queryAttempts: number;
}

export type ReconcileOutcome = IntentMatch | { id: string; ambiguous: true; reason: 'lookup'; candidates: string[]; rivals: string[]; why: string };

/** What the caller needs besides the match: the candidates' last seen status, for messages. */
export interface ReconcileResult {
  outcomes: ReconcileOutcome[];
  statusOf: ReadonlyMap<string, string | undefined>;
}

/**
 * Reconciles open intents, one matching per model. `intents` may be a function: it is read
 * again at every matching, so intents opened, answered or closed meanwhile (other shots of the
 * same run) take part as they stand. Only the intents in `targets` (default: all) are waited for.
 * @param known task ids the ledger (and this run) already attribute to shots; read live.
 */
export async function reconcileIntents(
  intents: readonly OpenIntent[] | (() => readonly OpenIntent[]),
  known: ReadonlySet<string>,
  deps: ReconcileDeps,
  o: ReconcileOptions,
  signal?: AbortSignal,
  targets?: ReadonlySet<string>,
): Promise<ReconcileResult> {
  const current = typeof intents === 'function' ? intents : () => intents;
  const out: ReconcileOutcome[] = [];
  const statusOf = new Map<string, string | undefined>();
  const models = [...new Set(current().filter((i) => !targets || targets.has(i.id)).map((i) => i.model))];
  for (const model of models) {
    const ofModel = (): OpenIntent[] => current().filter((i) => i.model === model);
    const decided = await reconcileModel(model, ofModel, known, deps, o, signal, targets, statusOf);
    out.push(...decided.filter((r) => !targets || targets.has(r.id)));
  }
  return { outcomes: out, statusOf };
}

async function reconcileModel(
  model: string,
  intents: () => OpenIntent[],
  known: ReadonlySet<string>,
  deps: ReconcileDeps,
  o: ReconcileOptions,
  signal: AbortSignal | undefined,
  targets: ReadonlySet<string> | undefined,
  statusOf: Map<string, string | undefined>,
): Promise<ReconcileOutcome[]> {
  const now = deps.clock.now();
  const isTooOld = (i: OpenIntent): boolean => now - i.atMs > o.maxWindowMs - o.skewMs;
  const tooOld: ReconcileOutcome[] = intents()
    .filter(isTooOld)
    .map((i) => ({ id: i.id, ambiguous: true, reason: 'lookup', candidates: [], rivals: [], why: 'the intent is older than the task list keeps tasks (24 h)' }));
  const open = (): OpenIntent[] => intents().filter((i) => !isTooOld(i));
  // The window starts at the earliest intent looked up: an older one that only takes part (held
  // earlier, another shot's) cannot own a task created before the window anyway.
  const looked = open().filter((i) => !targets || targets.has(i.id));
  if (looked.length === 0) return tooOld;
  const start = Math.min(...looked.map((i) => i.atMs)) - o.skewMs;
  const query = <T>(fn: () => Promise<T>, count: () => void): Promise<T> =>
    deps.queries.run(fn, { maxAttempts: o.queryAttempts, count, ...(signal ? { signal } : {}) });

  const candidates = new Map<string, CandidateTask>();
  const readList = async (): Promise<TaskRow[]> => {
    const rows: TaskRow[] = [];
    for (let page = 1; ; page++) {
      const res = await query(() => deps.client.listTasks({ modelName: model, startTime: new Date(start), pageNo: page, pageSize: o.pageSize }), () => deps.counters.listTasks++);
      rows.push(...res.rows);
      if (page >= res.totalPages) break;
    }
    return rows.filter((r) => r.model === model && !known.has(r.taskId));
  };
  const look = async (r: TaskRow): Promise<void> => {
    const res = await query(() => deps.client.getTask(r.taskId), () => deps.counters.getTask++);
    const before = candidates.get(r.taskId);
    const status = res.status;
    const prompt = res.origPrompt ?? before?.origPrompt;
    const usage = res.usage ?? before?.usage;
    candidates.set(r.taskId, {
      taskId: r.taskId,
      status,
      ...(r.createdAtMs !== undefined ? { createdAtMs: r.createdAtMs } : {}),
      ...(r.userApiUniqueKey ? { userApiUniqueKey: r.userApiUniqueKey } : {}),
      // A prompt seen while the task ran stays known after it ends (a FAILED task shows none).
      ...(prompt !== undefined ? { origPrompt: prompt } : {}),
      ...(usage ? { usage } : {}),
    });
    statusOf.set(r.taskId, status);
    for (const i of open()) if (!targets || targets.has(i.id)) deps.onSnapshot(i.id, { source: 'reconcile-candidate', response: res.raw });
  };

  let rows = await readList();
  if (rows.length > o.maxCandidates) {
    const ids = rows.map((r) => r.taskId);
    return [...tooOld, ...open().map((i): ReconcileOutcome => ({ id: i.id, ambiguous: true, reason: 'lookup', candidates: ids, rivals: [], why: `${rows.length} unknown tasks of ${model} in the window` }))];
  }
  for (const r of rows) await look(r);
  const started = deps.clock.now();
  let step = o.waitStepMs;
  for (;;) {
    const matches = match(open(), candidates, known, o.skewMs);
    const pending = matches.filter((m) => (!targets || targets.has(m.id)) && 'ambiguous' in m);
    const live = (id: string): boolean => !isFinalStatus(candidates.get(id)?.status);
    const inFlight = new Set(open().filter((i) => i.inFlight).map((i) => i.id));
    const candidatesOf = new Map(matches.map((m) => [m.id, 'ambiguous' in m ? m.candidates : []]));
    // Waiting helps only if a task that may be it (or a rival's) can still show more, or a
    // rival's POST is still on the wire (its answer will claim its task).
    const helps = pending.some(
      (m) => 'reason' in m && (m.candidates.some(live) || m.rivals.some((r) => inFlight.has(r) || (candidatesOf.get(r) ?? []).some(live))),
    );
    if (!helps || deps.clock.now() - started >= o.maxWaitMs) return [...tooOld, ...matches];
    await deps.clock.sleep(step, signal);
    step = Math.min(step * 2, o.waitStepMs * 6);
    const seen = new Map([...candidates].map(([id, c]) => [id, c.status]));
    rows = await readList();
    for (const r of rows) {
      // Only a task that is new or moved on can show something new.
      if (!seen.has(r.taskId) || (seen.get(r.taskId) !== r.status && !isFinalStatus(seen.get(r.taskId)))) await look(r);
    }
  }
}

function match(intents: OpenIntent[], candidates: Map<string, CandidateTask>, known: ReadonlySet<string>, skewMs: number): IntentMatch[] {
  const toMatch: IntentToMatch[] = intents.map((i) => ({
    id: i.id,
    atMs: i.atMs,
    body: i.body,
    ...(i.endpoint ? { endpoint: i.endpoint } : {}),
  }));
  // A task answered to another shot meanwhile is known now: it is nobody's candidate.
  return matchIntentsToTasks(toMatch, [...candidates.values()].filter((c) => !known.has(c.taskId)), skewMs);
}

/**
 * Why an intent was not reconciled, in a clause (the caller adds how to decide); `statusOf`
 * gives the candidates' last seen status.
 */
export function describeUnreconciled(r: Extract<ReconcileOutcome, { ambiguous: true }>, statusOf: ReadonlyMap<string, string | undefined>): string {
  if (r.reason === 'lookup') return r.why;
  const one = r.candidates.length === 1;
  const tasks = `${one ? 'task' : 'tasks'} ${r.candidates.map((t) => `${t}${statusOf.get(t) ? ` (${statusOf.get(t)})` : ''}`).join(', ')}`;
  if (r.reason === 'unproven') {
    return `${tasks} may be its own, but the server did not show ${one ? 'its' : 'their'} prompt and parameters within the wait`;
  }
  const echoed = 'by all the server reports (prompt, duration, size, audio; not the seed, media or watermark)';
  if (r.rivals.length > 0) return `${tasks} ${one ? 'fits' : 'fit'} it and shot ${r.rivals.join(', ')} equally ${echoed}`;
  return `${tasks} fit it equally ${echoed}`;
}

/** The warning for a shot submitted again although a task that ended without a result may be its own. */
export function describeUnbilled(ids: readonly string[], statusOf: ReadonlyMap<string, string | undefined>): string {
  const tasks = ids.map((t) => `${t}${statusOf.get(t) ? ` (${statusOf.get(t)})` : ''}`).join(', ');
  return `${ids.length === 1 ? 'task' : 'tasks'} ${tasks} may have come from this shot's earlier submit, but the server shows no prompt for a task that ended without a result, and such a task bills nothing: submitting it again`;
}
