// `pixverse animatic <manifest>`: the storyboard as one video (src/app/animatic-job.ts).
import { makeAnimatic } from '../../app/animatic-job.js';
import { UserError } from '../../core/errors.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { USAGE } from '../usage/animatic.js';

const COMMAND = defineCommand({
  name: 'animatic',
  usage: USAGE,
  flags: {
    ...JSON_FLAG,
    only: { type: 'string', multiple: true },
    size: { type: 'string' },
    fps: { type: 'string' },
    labels: { type: 'boolean' },
    ...CONFIG_FLAGS,
    ...OUTPUT_DIR_FLAG,
    emulator: SERVER_FLAGS.emulator,
  },
  manifests: 'one',
  example: 'pixverse animatic jobs/storyboard.yaml',
});

function parseSize(text: string | undefined): { width: number; height: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{2,5})[*xX×](\d{2,5})$/.exec(text.trim());
  if (!m || Number(m[1]) % 2 || Number(m[2]) % 2) throw new UserError('invalid-input', 'usage', `--size ${text} is not an even W*H size`, 'e.g. --size 1280*720');
  return { width: Number(m[1]), height: Number(m[2]) };
}

function parseFps(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n > 120) throw new UserError('invalid-input', 'usage', `--fps ${text} is not a frame rate from 1 to 120`, 'e.g. --fps 24');
  return n;
}

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMAND);
  if (args.help) return EXIT.ok;
  const v = args.values;
  const size = parseSize(v.size);
  const fps = parseFps(v.fps);
  const outcome = await makeAnimatic(args.positionals[0]!, {
    ...jobOptionsFromFlags(v, io),
    only: v.only ?? [],
    ...(size ? { size } : {}),
    ...(fps !== undefined ? { fps } : {}),
    labels: Boolean(v.labels),
    emulator: Boolean(v.emulator),
  });
  if (v.json) {
    io.out(JSON.stringify({ ...outcome.record, path: outcome.file, left_out: outcome.left }, null, 2));
    return EXIT.ok;
  }
  const r = outcome.record;
  io.out(`${outcome.shownFile}: ${r.shots.length} shot${r.shots.length === 1 ? '' : 's'}, ${r.duration} s, ${r.width}*${r.height} at ${r.fps} fps${r.labels ? ', ids burnt in' : ''}`);
  for (const l of outcome.left) io.err(`left out: ${l.id} (${l.why})`);
  return EXIT.ok;
}
