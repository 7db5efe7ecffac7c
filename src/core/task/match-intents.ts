// Which unknown task (if any) an open intent created. Pure. After a crash or an uncertain submit
// the engine lists the model's tasks since the intent and keeps those the ledger does not know;
// this module pairs them with the open intents. A pairing must be unique: when two intents could
// own the same task (same prompt, parameters the server does not echo), nothing is guessed and
// the intent stays unreconciled (the user decides, `--force` resubmits).

export interface IntentToMatch {
  id: string;
  /** Local epoch ms of the intent record. */
  atMs: number;
  /** `input.prompt` of the planned body; undefined when the request has none. */
  prompt: string | undefined;
  /** Planned parameters, compared with what the task's usage reports (duration, size). */
  parameters?: Record<string, unknown>;
}

export interface CandidateTask {
  taskId: string;
  /** Server epoch ms of creation (list row `gmt_create`), when known. */
  createdAtMs?: number;
  /** `output.orig_prompt` of GET /tasks/{id}; undefined when the server did not send it. */
  origPrompt?: string;
  usage?: Record<string, unknown>;
}

export type IntentMatch =
  | { id: string; taskId: string }
  /** No unknown task can be this intent's: nothing was created, it is safe to submit again. */
  | { id: string; taskId: null }
  | { id: string; ambiguous: true; candidates: string[] };

/**
 * @param skewMs tolerance when comparing the server's creation time with the local intent time.
 */
export function matchIntentsToTasks(intents: readonly IntentToMatch[], candidates: readonly CandidateTask[], skewMs: number): IntentMatch[] {
  const compatible = new Map<string, Set<string>>();
  for (const i of intents) {
    compatible.set(i.id, new Set(candidates.filter((c) => couldBe(i, c, skewMs)).map((c) => c.taskId)));
  }
  const assigned = new Map<string, string>();
  const taken = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of intents) {
      if (assigned.has(i.id)) continue;
      const open = [...compatible.get(i.id)!].filter((t) => !taken.has(t));
      if (open.length !== 1) continue;
      const task = open[0]!;
      const rivals = intents.filter((j) => j.id !== i.id && !assigned.has(j.id) && compatible.get(j.id)!.has(task));
      if (rivals.length > 0) continue;
      assigned.set(i.id, task);
      taken.add(task);
      changed = true;
    }
  }
  return intents.map((i): IntentMatch => {
    const t = assigned.get(i.id);
    if (t) return { id: i.id, taskId: t };
    const open = [...compatible.get(i.id)!].filter((x) => !taken.has(x));
    if (open.length === 0) return { id: i.id, taskId: null };
    return { id: i.id, ambiguous: true, candidates: open };
  });
}

function couldBe(i: IntentToMatch, c: CandidateTask, skewMs: number): boolean {
  if (c.createdAtMs !== undefined && c.createdAtMs < i.atMs - skewMs) return false;
  if (c.origPrompt !== undefined) {
    const asked = i.prompt ?? '';
    // The server silently truncates over-long prompts (spec §5), so a prefix also matches.
    if (c.origPrompt !== asked && !(c.origPrompt.length > 0 && asked.startsWith(c.origPrompt))) return false;
  }
  if (c.usage && i.parameters) {
    const d = c.usage['duration'];
    if (typeof d === 'number' && typeof i.parameters['duration'] === 'number' && d !== i.parameters['duration']) return false;
  }
  return true;
}
