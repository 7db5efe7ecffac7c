// The renders of the project's other manifests, as reuse sources: every run folder beside this
// one under the same output base (`<base>/<name>/`, or `<base>/<name>/emulator/` for emulator
// runs) whose ledger records downloaded videos made on the same server. Read only; a folder
// whose ledger cannot be read is passed over (it only means fewer videos to reuse).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { foldLedger } from '../core/ledger/fold-ledger.js';
import { ledgerReuseSources } from '../core/plan/reuse.js';
import type { ReuseSource } from '../core/plan/reuse.js';
import { LEDGER_FILE, readLedger } from './ledger-file.js';

/** `ownFolder` is this manifest's run folder (`<base>/<name>`, without `emulator/`). */
export async function readProjectRenders(ownFolder: string, opts: { emulator: boolean; server: string }): Promise<ReuseSource[]> {
  const base = path.dirname(ownFolder);
  let names: string[];
  try {
    names = (await readdir(base, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const out: ReuseSource[] = [];
  for (const name of names.sort()) {
    const dir = path.join(base, name);
    if (dir === ownFolder) continue;
    const space = opts.emulator ? path.join(dir, 'emulator') : dir;
    try {
      const { records } = await readLedger(path.join(space, LEDGER_FILE));
      if (records.length > 0) out.push(...ledgerReuseSources(foldLedger(records), { dir: space, server: opts.server, manifest: name }));
    } catch {
      // Unreadable (permissions, a directory named ledger.jsonl): nothing to reuse from it.
    }
  }
  return out;
}
