// `pixverse pull <manifest>` and `pixverse push <manifest>`: the object store without rendering.
// pull fetches every current video from the store (verified by sha256) and submits nothing; push
// uploads the videos on disk that the store does not have yet, then the reports, lock and evidence.
import { pullManifest, pushManifest } from '../../app/store-jobs.js';
import type { StoreJobResult } from '../../app/store-jobs.js';
import { displayPath } from '../../app/job-config.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, STORE_FLAG, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { writeWarning, type CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { USAGE } from '../usage/store.js';

/** The same flags for both verbs (COMMON above describes them). */
const FLAGS = { ...STORE_FLAG, ...JSON_FLAG, emulator: SERVER_FLAGS.emulator, config: CONFIG_FLAGS.config, ...OUTPUT_DIR_FLAG };

const COMMANDS = {
  pull: defineCommand({ name: 'pull', usage: USAGE.pull, flags: FLAGS, manifests: 'one', example: 'pixverse pull jobs/storyboard.yaml' }),
  push: defineCommand({ name: 'push', usage: USAGE.push, flags: FLAGS, manifests: 'one', example: 'pixverse push jobs/storyboard.yaml' }),
};

const LABEL: Record<StoreJobResult['shots'][number]['result'], string> = {
  present: 'on disk (verified)',
  pulled: 'pulled',
  reused: 'reused (the same request, from the store)',
  'not-stored': 'not in the store',
  failed: 'failed',
  nothing: 'nothing recorded',
  stored: 'uploaded',
  already: 'in the store',
  'not-on-disk': 'not on disk',
};

async function storeCommand(verb: 'pull' | 'push', argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMANDS[verb]);
  if (args.help) return EXIT.ok;
  const options = { ...jobOptionsFromFlags(args.values, io), emulator: Boolean(args.values.emulator), onWarning: (m: string) => writeWarning(io, Boolean(args.values.json), m) };
  const result = verb === 'pull' ? await pullManifest(args.positionals[0]!, options) : await pushManifest(args.positionals[0]!, options);
  const bad = result.shots.filter((s) => (verb === 'pull' ? s.result === 'not-stored' || s.result === 'failed' : s.result === 'failed'));
  if (args.values.json) {
    io.out(JSON.stringify({ store: result.store, outputDir: displayPath(io.cwd, result.state.space.outputDir), shots: result.shots, evidenceFailures: result.evidenceFailures }, null, 2));
    return bad.length > 0 ? EXIT.shotsFailed : EXIT.ok;
  }
  const width = Math.max(4, ...result.shots.map((s) => s.shot.length));
  for (const s of result.shots) io.out(`${s.shot.padEnd(width)}  ${LABEL[s.result]}${s.detail && s.result !== 'nothing' ? ` — ${s.detail}` : ''}`);
  const count = (r: string): number => result.shots.filter((s) => s.result === r).length;
  if (verb === 'pull') {
    io.out(`${count('pulled')} pulled from ${result.store}, ${count('reused') ? `${count('reused')} reused by request, ` : ''}${count('present')} already on disk, ${bad.length} not pulled, ${count('nothing')} with no render recorded; nothing was submitted`);
    if (count('nothing') > 0) io.out('shots with no render recorded for their current request: `pixverse run` renders them');
  } else {
    io.out(`${count('stored')} uploaded to ${result.store}, ${count('already')} already there, ${bad.length} failed, ${count('not-on-disk')} not on disk`);
  }
  for (const f of result.evidenceFailures.slice(0, 3)) writeWarning(io, false, `evidence not stored: ${f}`);
  return bad.length > 0 ? EXIT.shotsFailed : EXIT.ok;
}

export const pull = { run: (argv: string[], io: CommandIo): Promise<number> => storeCommand('pull', argv, io) };
export const push = { run: (argv: string[], io: CommandIo): Promise<number> => storeCommand('push', argv, io) };
