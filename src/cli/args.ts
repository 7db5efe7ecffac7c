import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { closest } from '../core/catalog/suggest.js';
import { UserError } from '../core/errors.js';
import type { JobConfigOptions } from '../app/job-config.js';

type ArgSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs (values typed from `options`), with every command-line mistake turned into
 * a usage error (exit 2) in our words: an unknown flag names the closest one the command has,
 * a missing value names the flag. `command` names the command in hints (`pixverse run --help`).
 */
export function parseCommandArgs<const T extends ArgSpec>(
  argv: string[],
  options: T,
  command?: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorOf(error as Error & { code?: string }, options, command);
  }
}

function usageErrorOf(error: Error & { code?: string }, options: ArgSpec, command: string | undefined): UserError {
  const help = `pixverse ${command ? `${command} ` : ''}--help lists the options`;
  const first = error.message.split('\n')[0]!;
  // parseArgs quotes the flag as written: "Unknown option '--emulatr'. To specify…".
  const written = /'([^']+)'/.exec(first)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && written) {
    const suggestion = suggestFlag(written, options);
    return new UserError('invalid-input', 'usage', `unknown option '${written}'`, suggestion ? `did you mean '${suggestion}'? (${help})` : help);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && written) {
    const flag = written.split(' ')[0]!;
    return /argument missing/.test(first)
      ? new UserError('invalid-input', 'usage', `option '${flag}' needs a value`, `write ${flag} <value> (${help})`)
      : new UserError('invalid-input', 'usage', `option '${flag}' takes no value`, `write ${flag} alone (${help})`);
  }
  return new UserError('invalid-input', 'usage', first, help);
}

/** The flag of `options` closest to one that was mistyped (`--emulatr` → `--emulator`, `-j` → none). */
export function suggestFlag(written: string, options: ArgSpec): string | undefined {
  const name = written.replace(/^-+/, '').split('=')[0]!;
  const long = Object.keys(options);
  const exact = long.find((k) => k === name || options[k]!.short === name);
  if (exact) return `--${exact}`;
  const near = closest(name, long);
  return near ? `--${near}` : undefined;
}

/** Flag blocks the commands share; each command lists the blocks it takes, once. */
export const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
export const JSON_FLAG = { json: { type: 'boolean' } } as const;
/** `--config`, `--region`: where the config comes from and which region's rules apply. */
export const CONFIG_FLAGS = { config: { type: 'string' }, region: { type: 'string' } } as const;
export const OUTPUT_DIR_FLAG = { 'output-dir': { type: 'string' } } as const;
/** `--emulator`, `--base-url`: which server's renders the command is about. */
export const SERVER_FLAGS = { emulator: { type: 'boolean' }, 'base-url': { type: 'string' } } as const;
export const STORE_FLAG = { store: { type: 'string' } } as const;

/** What a command takes, declared once: its flags, its help text, and how many manifests. */
export interface CommandSpec<T extends ArgSpec> {
  name: string;
  usage: string;
  /** Without `--help`, which every command has. */
  flags: T;
  /** `one`: exactly one manifest; `some`: at least one. */
  manifests: 'one' | 'some';
  /** A command line to show in the hint when the manifests are wrong. */
  example: string;
}

export function defineCommand<const T extends ArgSpec>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

type Parsed<T extends ArgSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: T & typeof HELP_FLAG; allowPositionals: true; strict: true }>>;

/**
 * Parses `argv` by the command's spec. `--help` prints the usage and gives `help: true` (the
 * command then returns exit 0); otherwise the manifest count is checked (a usage error if wrong).
 */
export function parseCommand<const T extends ArgSpec>(argv: string[], io: { out(text: string): void }, spec: CommandSpec<T>): Parsed<T> & { help: boolean } {
  const parsed: Parsed<T> = parseCommandArgs(argv, { ...spec.flags, ...HELP_FLAG } as T & typeof HELP_FLAG, spec.name);
  if ((parsed.values as Record<string, unknown>)['help'] === true) {
    io.out(spec.usage);
    return { ...parsed, help: true };
  }
  const n = parsed.positionals.length;
  if (spec.manifests === 'one' && n !== 1) throw new UserError('invalid-input', 'usage', `${spec.name} takes exactly one manifest`, spec.example);
  if (spec.manifests === 'some' && n === 0) throw new UserError('invalid-input', 'usage', `${spec.name} needs at least one manifest`, spec.example);
  return { ...parsed, help: false };
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
