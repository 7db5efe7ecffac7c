// Which renders of the committed lock file a run takes over. On a fresh clone (lock committed, no
// `output/`) the ledger is empty, yet every shot whose request is unchanged was rendered and
// billed already: its lock entry stands for that task, so the run fetches the video back instead
// of submitting the same request again. Pure: `previewRenders` folds these records in memory (so
// `plan` decides exactly as `run` would, without writing) and `runShots` appends them first.
import type { LedgerView } from '../ledger/fold-ledger.js';
import type { AdoptedRecord } from '../ledger/records.js';
import { lockEntryServer } from '../lock/lock-model.js';
import type { LockEntry } from '../lock/lock-model.js';
import { sameServer } from '../server-identity.js';
import type { ServerIdentity } from '../server-identity.js';
import type { PlannedRequest } from '../types.js';

/**
 * One `adopted` record per planned shot whose lock entry has the plan's CURRENT key and whose
 * ledger has no attempt with that key. A changed shot (other key) and lock entries of shots no
 * longer planned are left alone; a ledger that knows the key always wins over the lock.
 */
export function adoptLockedRenders(
  requests: readonly PlannedRequest[],
  view: LedgerView,
  lock: readonly LockEntry[] | undefined,
  stamp: { at: string; runId: string },
  /** The server this run talks to: a render the lock says another one made is not taken over. */
  server?: ServerIdentity,
): AdoptedRecord[] {
  if (!lock || lock.length === 0) return [];
  const byId = new Map(lock.map((e) => [e.id, e]));
  const out: AdoptedRecord[] = [];
  for (const req of requests) {
    const entry = byId.get(req.shotId);
    // Every lock `pixverse run` writes has bytes; a hand-made entry without is not taken over
    // (decideRender holds such a shot rather than bill it again).
    if (!entry || entry.key !== req.key || entry.bytes === undefined) continue;
    if (view.shots.get(req.shotId)?.attempts.some((a) => a.key === req.key)) continue;
    const made = lockEntryServer(entry);
    if (made && server && !sameServer(made, server)) continue;
    out.push({
      t: 'adopted',
      ...stamp,
      shot: req.shotId,
      key: entry.key,
      model: entry.model,
      ...(entry.task_id ? { taskId: entry.task_id } : {}),
      file: entry.file,
      bytes: entry.bytes,
      sha256: entry.sha256,
      ...(entry.url ? { videoUrl: entry.url } : {}),
      source: 'lock',
      ...(made ? { server: made } : {}),
    });
  }
  return out;
}
