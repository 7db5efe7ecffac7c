import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';
import type { JobConfigOptions } from '../app/job-config.js';

type ArgSpec = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs (values typed from `options`), with a bad flag turned into a usage error instead of a stack trace. */
export function parseCommandArgs<const T extends ArgSpec>(
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError('invalid-input', 'usage', (error as Error).message.split('\n')[0]!, 'run with --help for the options');
  }
}

/**
 * The job options every manifest command takes from its flags (`--config`, `--region`,
 * `--output-dir`, `--base-url` where the command has them), with the command's cwd and env.
 */
export function jobOptionsFromFlags(values: Readonly<Record<string, unknown>>, io: { cwd: string; env: NodeJS.ProcessEnv }): JobConfigOptions {
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const configFile = str('config');
  const region = str('region');
  const outputDir = str('output-dir');
  const baseUrl = str('base-url');
  const store = str('store');
  return {
    cwd: io.cwd,
    env: io.env,
    ...(configFile ? { configFile } : {}),
    ...(region ? { region } : {}),
    ...(outputDir ? { outputDir } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(store ? { store } : {}),
  };
}
