import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import type { JobConfigOptions } from '../app/job-config.js';

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

/**
 * The job options every manifest command takes from its flags (`--config`, `--region`,
 * `--output-dir`, `--base-url` where the command has them), with the command's cwd and env.
 */
export function jobOptionsFromFlags(values: Record<string, string | boolean | undefined>, io: { cwd: string; env: NodeJS.ProcessEnv }): JobConfigOptions {
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const configFile = str('config');
  const region = str('region');
  const outputDir = str('output-dir');
  const baseUrl = str('base-url');
  return {
    cwd: io.cwd,
    env: io.env,
    ...(configFile ? { configFile } : {}),
    ...(region ? { region } : {}),
    ...(outputDir ? { outputDir } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  };
}
