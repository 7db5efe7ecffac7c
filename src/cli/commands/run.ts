// `pixverse run` — not implemented yet.
import type { CommandIo } from '../command-io.js';

export async function run(_argv: string[], io: CommandIo): Promise<number> {
  io.err('pixverse run: not implemented yet');
  return 2;
}
