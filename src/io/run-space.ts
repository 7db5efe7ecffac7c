// Where a manifest's renders live. Runs against anything but Model Studio — the in-process
// emulator, a `--base-url` to a standalone emulator or a test server — get a space of their own
// (`emulator/`): their fixture videos and task ids can then never stand in for real renders (a
// later real run would otherwise skip those shots as "up to date"), and no lock beside the
// manifest — the file a team commits — ever records one. A proxy in front of Model Studio counts
// as Model Studio only when the config lists it (`modelStudioProxies`).
import path from 'node:path';
import { lockPathFor } from '../core/lock/lock-model.js';

export interface RunSpace {
  /** Ledger, videos, requests, snapshots and reports go here. */
  outputDir: string;
  /** The lock file: beside the manifest for Model Studio runs, inside `outputDir` for the others. */
  lockFile: string;
  /** Not Model Studio's space (emulator or test-server renders). */
  emulator: boolean;
}

/** `manifestOutputDir` is `<output base>/<manifest name>`. */
export function runSpaceFor(manifestAbs: string, manifestOutputDir: string, emulator: boolean): RunSpace {
  if (!emulator) return { outputDir: manifestOutputDir, lockFile: lockPathFor(manifestAbs), emulator };
  const outputDir = path.join(manifestOutputDir, 'emulator');
  return { outputDir, lockFile: path.join(outputDir, path.basename(lockPathFor(manifestAbs))), emulator };
}
