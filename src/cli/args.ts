import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';

type ArgSpec = Record<string, { type: 'boolean' | 'string'; short?: string }>;

/** node:util parseArgs, with a bad flag turned into a usage error instead of a stack trace. */
export function parseCommandArgs(argv: string[], options: ArgSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UserError('invalid-input', 'usage', (error as Error).message.split('\n')[0]!, 'run with --help for the options');
  }
}
