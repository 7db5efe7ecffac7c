// Everything `status` and `report` fold over, read from disk: the manifest's current plans, the
// ledger, the lock beside the manifest. No network, nothing written.
import type { ResolvedConfig } from '../config/config-types.js';
import { foldLedger } from '../core/ledger/fold-ledger.js';
import type { LedgerView } from '../core/ledger/fold-ledger.js';
import type { LedgerRecord } from '../core/ledger/records.js';
import { UserError } from '../core/errors.js';
import { LEDGER_FILE, readLedger } from './ledger-file.js';
import { hasErrors, planManifest } from './read-manifest.js';
import type { ManifestPlan } from './read-manifest.js';
import { readLockFile } from './read-lock-file.js';
import type { LockRead } from './read-lock-file.js';
import path from 'node:path';
import { runSpaceFor } from './run-space.js';
import { serverOfConfig } from '../core/server-identity.js';
import type { RunSpace } from './run-space.js';

export interface RenderState {
  manifest: ManifestPlan;
  records: LedgerRecord[];
  ledger: LedgerView;
  /** Torn or unreadable ledger lines (only a crash mid-write explains one). */
  damagedLines: number[];
  lock: LockRead;
  /** Where the renders of this manifest live (the emulator's own space with `emulator`). */
  space: RunSpace;
}

/** Plans the manifest (an invalid one is a UserError: nothing can be compared) and reads the rest. */
export async function readRenderState(manifestAbs: string, config: ResolvedConfig, displayPath: string, emulator = false): Promise<RenderState> {
  const manifest = await planManifest(manifestAbs, config, { displayPath });
  if (hasErrors(manifest.issues)) {
    const first = manifest.issues.find((i) => i.severity === 'error')!;
    const where = first.pos ? `${first.pos.file}:${first.pos.line}:${first.pos.col}: ` : '';
    throw new UserError('invalid-input', 'invalid-manifest', `${displayPath} is invalid: ${where}${first.message}`, `pixverse validate ${displayPath} lists every issue`);
  }
  // Renders of anything but Model Studio (`--emulator`, a `--base-url` to a test server) live apart.
  const space = runSpaceFor(manifestAbs, manifest.outputDir, !serverOfConfig(config, emulator).modelStudio);
  const { records, damagedLines } = await readLedger(path.join(space.outputDir, LEDGER_FILE));
  const lock = await readLockFile(space.lockFile);
  return { manifest, records, ledger: foldLedger(records), damagedLines, lock, space };
}
