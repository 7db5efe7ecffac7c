// `pixverse init [manifest.yaml]`: writes a starter manifest with the editor-schema modeline
// (src/app/init-manifest.ts says which schema path it names).
import path from 'node:path';
import { initManifest } from '../../app/init-manifest.js';
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { USAGE } from '../usage/init.js';

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs(argv, { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'init');
  if (args.values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (args.positionals.length > 1) throw new UserError('invalid-input', 'usage', 'init takes at most one manifest path', 'pixverse init jobs/shots.yaml');
  const r = await initManifest(args.positionals[0] ?? path.join('jobs', 'shots.yaml'), { cwd: io.cwd, force: Boolean(args.values.force) });
  io.out(`wrote ${r.shown} (schema: ${r.schemaPath})`);
  if (!r.fromProject && path.isAbsolute(r.schemaPath)) io.out('note: the schema path is this machine\'s; `npm install -D pixverse-batch` in the project and init again for one that holds on every clone');
  io.out(`next: pixverse validate ${r.shown} && pixverse run ${r.shown} --emulator`);
  return EXIT.ok;
}
