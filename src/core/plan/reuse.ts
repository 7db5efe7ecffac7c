// Never paying twice for the same content. A shot whose request key equals the key of a video the
// project already has — under another shot id, in this manifest's ledger or lock, another
// manifest's ledger, or the object store — is not submitted: that video is copied (and its
// sha256 verified) instead. The key covers the endpoint, the full body (seed included) and the
// bytes of every local file, so an equal key is the same request. Pure: the sources come in as
// values, the caller verifies the file on disk before a decision says `reuse`.
import { canonicalJson } from './canonical-json.js';
import { describeOrigin } from '../ledger/fold-ledger.js';
import type { LedgerView } from '../ledger/fold-ledger.js';
import type { ReuseOrigin, RunStartRecord } from '../ledger/records.js';
import type { LockEntry } from '../lock/lock-model.js';
import { isSafeRelativePath, seedOf } from '../lock/lock-model.js';
import type { PlannedRequest, RequestBody } from '../types.js';
import type { RenderDecision } from './render-decision.js';

/** A video of the project that a shot with the same key may take over. */
export interface ReuseSource {
  key: string;
  model: string;
  /** The run folder `file` is relative to (absolute), or '' for a store object. */
  dir: string;
  sha256: string;
  bytes?: number;
  taskId?: string;
  videoUrl?: string;
  /** When the source's task was submitted (lets a later run refresh its URL while it is queryable). */
  submittedAt?: string;
  /** The source's planned body and media hashes (ledger sources), to explain a seed-only difference. */
  body?: RequestBody;
  mediaSha256?: Record<string, string>;
  from: ReuseOrigin;
  /**
   * Rendered by this very run first, for the shot `from.shot` (two shots of one run with the same
   * key are rendered once): the copy waits for that shot, and `sha256` is what it downloads.
   */
  inRun?: boolean;
}

/**
 * The server a render was made on, as far as reuse is concerned: its base URL, or `emulator`
 * for every `--emulator` session (their fixture videos live in a space of their own and are
 * interchangeable; they never meet real renders).
 */
export function serverIdentity(run: Pick<RunStartRecord, 'baseUrl' | 'emulator'>): string {
  return run.emulator ? 'emulator' : run.baseUrl;
}

/**
 * Every downloaded video a ledger records, made on the server `server` (a render of another
 * server is never taken for this one's). `manifest` names another manifest's ledger.
 */
export function ledgerReuseSources(view: LedgerView, ctx: { dir: string; server: string; manifest?: string }): ReuseSource[] {
  const serverOf = new Map(view.runs.map((r) => [r.runId, serverIdentity(r)]));
  const out: ReuseSource[] = [];
  for (const history of view.shots.values()) {
    for (const a of history.attempts) {
      const d = a.download;
      if (!d || !isSafeRelativePath(d.file)) continue;
      // An adopted or reused record's run is the one that took it over; its server is the
      // server that run talked to, which is where the task that made it lives too.
      if (serverOf.get(a.runId) !== ctx.server) continue;
      out.push({
        key: a.key,
        model: a.model,
        dir: ctx.dir,
        sha256: d.sha256,
        bytes: d.bytes,
        ...(a.taskId ? { taskId: a.taskId } : {}),
        ...(d.videoUrl || a.videoUrl ? { videoUrl: d.videoUrl || a.videoUrl! } : {}),
        ...(a.submittedAt ? { submittedAt: a.submittedAt } : {}),
        ...(a.body ? { body: a.body } : {}),
        ...(a.mediaSha256 ? { mediaSha256: a.mediaSha256 } : {}),
        from: { shot: history.shot, ...(ctx.manifest ? { manifest: ctx.manifest } : {}), record: 'ledger', file: d.file },
      });
    }
  }
  return out;
}

/** The renders a lock file records (its `file`s are relative to the run folder `dir`). */
export function lockReuseSources(entries: readonly LockEntry[], ctx: { dir: string; manifest?: string }): ReuseSource[] {
  return entries.map((e) => ({
    key: e.key,
    model: e.model,
    dir: ctx.dir,
    sha256: e.sha256,
    ...(e.bytes !== undefined ? { bytes: e.bytes } : {}),
    ...(e.task_id ? { taskId: e.task_id } : {}),
    ...(e.url ? { videoUrl: e.url } : {}),
    from: { shot: e.id, ...(ctx.manifest ? { manifest: ctx.manifest } : {}), record: 'lock' as const, file: e.file },
  }));
}

/**
 * The sources a shot may reuse, best first: same key, not the shot's own video in its own run
 * folder (that is `skip` or `download`, decided before), this manifest before others, ledger
 * before lock. The caller takes the first whose file hashes to its sha256.
 */
export function reuseCandidates(req: PlannedRequest, sources: readonly ReuseSource[], ownDir: string): ReuseSource[] {
  const rank = (s: ReuseSource): number => (s.from.manifest ? 2 : 0) + (s.from.record === 'ledger' ? 0 : 1);
  return sources
    .filter((s) => s.key === req.key && !(s.dir === ownDir && s.from.shot === req.shotId && !s.from.manifest))
    .sort((a, b) => rank(a) - rank(b));
}

/**
 * Whether a decision may be replaced by a reuse: a submit or a hold (never a forced render, and
 * never a live task, an open intent or a video this shot can fetch back itself).
 */
export function mayReuse(d: RenderDecision): boolean {
  return (d.action === 'submit' || d.action === 'hold') && d.reasonCode !== 'forced';
}

/** The decision that copies `source`'s verified video instead of rendering. */
export function reuseDecision(d: RenderDecision, source: ReuseSource): RenderDecision {
  const from = describeOrigin(source.from);
  const { prior: _prior, ifLost: _ifLost, changedFields: _c, changedMedia: _m, ...rest } = d;
  return {
    ...rest,
    action: 'reuse',
    reasonCode: 'reused',
    reason: `reused from ${from}: the same request (key ${source.key.slice(0, 12)}), its video ${source.from.file} verified by sha256; nothing is submitted`,
    reuse: source,
  };
}

/** Actions that leave this run with a video of the shot's key (or a failure to share). */
const PRODUCES: ReadonlySet<RenderDecision['action']> = new Set(['submit', 'reconcile', 'reattach', 'download']);

/**
 * Two shots of one run with the same key: the later ones copy the first one's video once it is
 * done instead of submitting the same request again. `producing` maps a key to the first shot
 * whose decision yields a video for it this run; a decision that does is added.
 */
export function inRunReuse(d: RenderDecision, req: PlannedRequest, producing: Map<string, string>, ownDir: string, videoRel: (shot: string) => string): RenderDecision {
  const first = producing.get(req.key);
  if (first !== undefined && mayReuse(d)) {
    const source: ReuseSource = { key: req.key, model: req.model, dir: ownDir, sha256: '', from: { shot: first, record: 'ledger', file: videoRel(first) }, inRun: true };
    return {
      ...reuseDecision(d, source),
      reason: `the same request as ${first} (key ${req.key.slice(0, 12)}), whose video this run renders or fetches: it is copied once done, sha256 verified; nothing is submitted`,
    };
  }
  if (first === undefined && PRODUCES.has(d.action)) producing.set(req.key, req.shotId);
  return d;
}

/**
 * For a new shot whose seed is derived from its id: the render of a source whose request differs
 * from this one only in the seed (a renamed shot). Its video cannot be reused — another seed is
 * another take — but the user should know why it renders and how to keep the old take.
 */
export function seedOnlyTwin(req: PlannedRequest, sources: readonly ReuseSource[]): ReuseSource | undefined {
  if (!req.seedDerived) return undefined;
  const withoutSeed = (b: RequestBody): string => canonicalJson({ ...b, parameters: { ...b.parameters, seed: null } });
  const mine = withoutSeed(req.body);
  const media = canonicalJson(Object.fromEntries(req.localMedia.map((m) => [m.manifestPath, m.sha256])));
  return sources.find(
    (s) => s.body !== undefined && s.key !== req.key && s.model === req.model && withoutSeed(s.body) === mine && canonicalJson(s.mediaSha256 ?? {}) === media,
  );
}

/** The `new` decision of a renamed shot, saying why it renders and how to reuse the earlier take. */
export function explainNewSeed(d: RenderDecision, twin: ReuseSource, req: PlannedRequest): RenderDecision {
  const seed = seedOf(req.body);
  const old = twin.body ? seedOf(twin.body) : undefined;
  const derived = `this shot's seed (${seed ?? '?'}) is derived from its id, so it is a new take and renders (billed)`;
  if (!twin.from.manifest && isPositionalPromptId(twin.from.shot, req.shotId)) {
    // Ids of prompt sweeps were once formed from the prompt's position; now from the prompt.
    return {
      ...d,
      reason:
        `sweep ids are now formed from the prompt, not its position in the list (a one-time change): ${twin.from.shot} is now ${req.shotId}; ` +
        `its seed was ${old ?? '?'}, ${derived} — to keep that take, make it a shot of its own with \`seed: ${old ?? '<n>'}\``,
    };
  }
  return {
    ...d,
    reason: `new shot id: ${describeOrigin(twin.from)} has the same request but seed ${old ?? '?'}; ${derived} — write \`seed: ${old ?? '<n>'}\` to reuse that video instead`,
  };
}

/** `hero@seed=1,prompt=2` → `hero@seed=1,prompt=3f9a1c2b`: the same sweep shot under the old positional prompt label. */
export function isPositionalPromptId(oldId: string, newId: string): boolean {
  const [oldBase, oldLabels] = oldId.split('@', 2);
  const [newBase, newLabels] = newId.split('@', 2);
  if (oldLabels === undefined || newLabels === undefined || oldBase !== newBase) return false;
  const o = oldLabels.split(',');
  const n = newLabels.split(',');
  return o.length === n.length && o.some((p) => /^prompt=\d+$/.test(p)) && o.every((p, i) => p === n[i] || (/^prompt=\d+$/.test(p) && n[i]!.startsWith('prompt=')));
}
