// Which unknown task (if any) each open intent created. Pure. After a crash or an uncertain
// submit the engine lists the model's tasks since the intents and keeps those no ledger entry
// claims; this module pairs them with ALL the model's open intents at once, as one matching.
//
// The task list is account-wide: a candidate may be another manifest's, another tool's or a
// colleague's. So a task goes to an intent only when it is provably that intent's: its
// `orig_prompt` and every parameter the server echoes (usage: duration, size or SR tier, audio,
// shot_type; the list row: the submit path) equal the intent's body, and no other open intent
// fits it as well. A task whose prompt or parameters are not visible yet is never taken on
// faith. Intents the server cannot tell apart (a seed sweep: the seed is not echoed) are held:
// the user decides (`--force` submits again).
import { findModel } from '../catalog/lookup.js';
import type { ModelEntry } from '../catalog/model-entry.js';
import { normaliseTier } from '../catalog/rules/sizing.js';
import { FINAL_STATUSES } from './task-view.js';

export interface IntentToMatch {
  id: string;
  /** Local epoch ms of the intent record. */
  atMs: number;
  /** The planned body; its prompt and parameters are compared with what the task echoes. */
  body: { model: string; input: Record<string, unknown>; parameters: Record<string, unknown> } | undefined;
  /** The submit path the intent POSTs to (below the base URL), compared with the list row. */
  endpoint?: string;
}

export interface CandidateTask {
  taskId: string;
  /** Server epoch ms of creation (list row `gmt_create`), when known. */
  createdAtMs?: number;
  /** `output.task_status` as last seen (PENDING, RUNNING, SUCCEEDED…). */
  status?: string;
  /** `output.orig_prompt`, once the server has shown it. */
  origPrompt?: string;
  /** `usage` of GET /tasks/{id}; the server sends it with the result. */
  usage?: Record<string, unknown>;
  /** List row `user_api_unique_key` (encodes the submit path). */
  userApiUniqueKey?: string;
}

/**
 * own: provably the intent's; other: provably not; unseen: cannot tell yet; unbilled: cannot
 * tell ever, but it ended without a result (FAILED, CANCELED, UNKNOWN: no usage, nothing billed).
 */
export type Relation = 'own' | 'other' | 'unseen' | 'unbilled';

export type IntentMatch =
  | { id: string; taskId: string }
  /**
   * No unknown task can be this intent's, or only `unbilled` ones (ended without a result, which
   * the server does not show enough of to tell): submitting again cannot pay twice.
   */
  | { id: string; taskId: null; unbilled?: string[] }
  | {
      id: string;
      ambiguous: true;
      /**
       * indistinguishable: tasks fit it and other intents (or each other) equally, by all the
       * server echoes; unproven: a task that may be it does not show its prompt or parameters.
       */
      reason: 'indistinguishable' | 'unproven';
      candidates: string[];
      /** Other open intents that fit the same tasks (indistinguishable only). */
      rivals: string[];
    };

export function isFinalStatus(status: string | undefined): boolean {
  return status !== undefined && FINAL_STATUSES.has(status);
}

/**
 * @param skewMs tolerance when comparing the server's creation time with the local intent time.
 */
export function matchIntentsToTasks(intents: readonly IntentToMatch[], candidates: readonly CandidateTask[], skewMs: number): IntentMatch[] {
  const own = new Map<string, Set<string>>();
  const unseen = new Map<string, Set<string>>();
  const unbilled = new Map<string, string[]>();
  for (const i of intents) {
    own.set(i.id, new Set());
    unseen.set(i.id, new Set());
    unbilled.set(i.id, []);
    for (const c of candidates) {
      const r = relationOf(i, c, skewMs);
      if (r === 'own') own.get(i.id)!.add(c.taskId);
      else if (r === 'unseen') unseen.get(i.id)!.add(c.taskId);
      else if (r === 'unbilled') unbilled.get(i.id)!.push(c.taskId);
    }
  }
  const assigned = new Map<string, string>();
  const taken = new Set<string>();
  const openOwn = (id: string): string[] => [...own.get(id)!].filter((t) => !taken.has(t));
  // An intent takes a task when it is the only one left that proves its own, and no other open
  // intent could claim that task as well. Each assignment may settle another: repeat.
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of intents) {
      if (assigned.has(i.id)) continue;
      const open = openOwn(i.id);
      if (open.length !== 1) continue;
      const task = open[0]!;
      if (intents.some((j) => j.id !== i.id && !assigned.has(j.id) && own.get(j.id)!.has(task))) continue;
      assigned.set(i.id, task);
      taken.add(task);
      changed = true;
    }
  }
  return intents.map((i): IntentMatch => {
    const t = assigned.get(i.id);
    if (t) return { id: i.id, taskId: t };
    const mine = openOwn(i.id);
    const maybe = [...unseen.get(i.id)!].filter((x) => !taken.has(x));
    if (mine.length === 0 && maybe.length === 0) {
      const maybeUnbilled = unbilled.get(i.id)!;
      return { id: i.id, taskId: null, ...(maybeUnbilled.length > 0 ? { unbilled: maybeUnbilled } : {}) };
    }
    const rivals = intents.filter((j) => j.id !== i.id && !assigned.has(j.id) && mine.some((x) => own.get(j.id)!.has(x))).map((j) => j.id);
    return { id: i.id, ambiguous: true, reason: maybe.length > 0 ? 'unproven' : 'indistinguishable', candidates: [...mine, ...maybe], rivals };
  });
}

/** How a candidate task stands to an intent, from what the server has shown of it. */
export function relationOf(i: IntentToMatch, c: CandidateTask, skewMs: number): Relation {
  if (c.createdAtMs !== undefined && c.createdAtMs < i.atMs - skewMs) return 'other';
  if (!i.body) return 'unseen';
  if (submitPathDiffers(i, c)) return 'other';
  const model = findModel(i.body.model);
  if (c.origPrompt !== undefined && !samePrompt(i.body.input['prompt'], c.origPrompt, model)) return 'other';
  if (c.usage && echoedParameterDiffers(i.body.parameters, c.usage, model) !== undefined) return 'other';
  // Everything the server may still add (the prompt, the usage of the result) must be in.
  if (!isFinalStatus(c.status)) return 'unseen';
  if (c.origPrompt === undefined) return c.status === 'SUCCEEDED' ? 'unseen' : 'unbilled';
  return 'own';
}

/** The server silently truncates an over-long prompt (spec §5): then a prefix also matches. */
function samePrompt(asked: unknown, shown: string, model: ModelEntry | undefined): boolean {
  const text = typeof asked === 'string' ? asked : '';
  if (shown === text) return true;
  if (!model || model.prompt.overLength !== 'truncated' || shown.length === 0) return false;
  const limit = Math.min(model.prompt.maxChars, model.prompt.maxCjkChars ?? model.prompt.maxChars);
  return text.length > limit && shown.length < text.length && text.startsWith(shown);
}

/**
 * The name of the first parameter whose echo in `usage` differs from the body, if any. Only
 * fields the server reports are compared; one it does not report cannot tell tasks apart.
 */
export function echoedParameterDiffers(params: Record<string, unknown>, usage: Record<string, unknown>, model: ModelEntry | undefined): string | undefined {
  const duration = params['duration'];
  if (typeof duration === 'number' && duration > 0) {
    // Wan reports duration = input + output seconds; output_video_duration is the asked one.
    const out = typeof usage['output_video_duration'] === 'number' ? usage['output_video_duration'] : model?.billing.seconds === 'output' ? usage['duration'] : undefined;
    if (typeof out === 'number' && out !== duration) return 'duration';
  }
  const size = params['size'];
  if (typeof size === 'string' && typeof usage['size'] === 'string') {
    // Some sizes are delivered smaller (v5.6: 1808*1808 for 8 s comes out 1440*1440).
    const delivered = model?.result.deliveredSizeOverrides?.[`${size}@${String(duration)}`];
    if (usage['size'] !== size && usage['size'] !== delivered) return 'size';
  }
  const resolution = typeof params['resolution'] === 'string' ? normaliseTier(params['resolution']) : undefined;
  const sr = typeof usage['SR'] === 'string' || typeof usage['SR'] === 'number' ? normaliseTier(String(usage['SR'])) : undefined;
  if (resolution && sr && resolution !== sr) return 'resolution';
  if (typeof params['audio'] === 'boolean' && typeof usage['audio'] === 'boolean' && params['audio'] !== usage['audio']) return 'audio';
  if (typeof usage['shot_type'] === 'string') {
    const asked = typeof params['shot_type'] === 'string' ? params['shot_type'] : 'single';
    if (usage['shot_type'] !== asked) return 'shot_type';
  }
  return undefined;
}

/**
 * The list row's `user_api_unique_key` names the submit path (`apikey:v1:aigc:image2video:
 * video-synthesis:<model>`). Only a key that clearly names another path counts: a format this
 * code does not know proves nothing either way.
 */
function submitPathDiffers(i: IntentToMatch, c: CandidateTask): boolean {
  if (!i.endpoint || !c.userApiUniqueKey) return false;
  const shown = /:aigc:([a-z0-9-]+):video-synthesis:/i.exec(c.userApiUniqueKey)?.[1];
  const asked = /\/aigc\/([a-z0-9-]+)\/video-synthesis$/i.exec(i.endpoint)?.[1];
  return shown !== undefined && asked !== undefined && shown.toLowerCase() !== asked.toLowerCase();
}
