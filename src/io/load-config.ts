// Finds and loads pixverse.config.ts (or .mts/.cts/.js/.mjs/.cjs/.json) with cosmiconfig,
// searching from the manifest's directory up to the project root (the first directory with a
// package.json). Each file is read by config-file.ts, which places every error in the file.
import { cosmiconfig, type Loader } from 'cosmiconfig';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { resolveConfig, type ResolveConfigOptions } from '../config/resolve-config.js';
import { projectRootOf } from './project-root.js';
import { readConfigFile, SCRIPT_CONFIG_EXTENSIONS, type ConfigFile } from './config-file.js';
import { displayPath } from './display-path.js';

export const CONFIG_SEARCH_PLACES = [
  'pixverse.config.ts',
  'pixverse.config.mts',
  'pixverse.config.cts',
  'pixverse.config.js',
  'pixverse.config.mjs',
  'pixverse.config.cjs',
  'pixverse.config.json',
];

export interface LoadConfigOptions {
  /**
   * Directory to search from (the manifest's directory); with `configFile`, only where the
   * manifest's project root (the default output folder's anchor) is looked for.
   */
  searchFrom: string;
  /** An explicit config file (`--config`); no search then. */
  configFile?: string;
  env: ResolveConfigOptions['env'];
  cwd: string;
  flags?: ResolveConfigOptions['flags'];
  /** Skip config files entirely (`--no-config`): environment and defaults only. */
  noConfigFile?: boolean;
}

/** Loads, validates and resolves the configuration; a broken config is a UserError('config'). */
export async function loadConfig(opts: LoadConfigOptions): Promise<ResolvedConfig> {
  // cosmiconfig finds the file; our loaders read it and keep each file's key positions.
  const files = new Map<string, ConfigFile>();
  const shown = (file: string): string => displayPath(opts.cwd, file);
  const loader: Loader = async (filepath, content) => {
    const file = await readConfigFile(filepath, content, shown(filepath));
    files.set(filepath, file);
    return file.value;
  };
  const explorer = cosmiconfig('pixverse', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'project',
    loaders: { '.json': loader, ...Object.fromEntries(SCRIPT_CONFIG_EXTENSIONS.map((ext) => [ext, loader])) },
    cache: false,
  });
  let found: { config: unknown; filepath: string } | null = null;
  if (!opts.noConfigFile) {
    const target = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : undefined;
    try {
      found = target ? await explorer.load(target) : await explorer.search(path.resolve(opts.cwd, opts.searchFrom));
    } catch (error) {
      if (error instanceof UserError) throw error;
      const e = error as NodeJS.ErrnoException;
      if (target && e.code === 'ENOENT') {
        throw new UserError('config', 'config-not-found', `config file ${opts.configFile} does not exist`, 'check the --config path');
      }
      if (target && /No loader specified/.test(e.message)) {
        throw new UserError('config', 'config-unsupported', `${opts.configFile}: a config file must end in ${['.json', ...SCRIPT_CONFIG_EXTENSIONS].join(', ')}`, 'rename it, e.g. pixverse.config.ts');
      }
      throw new UserError('config', 'config-load-failed', `cannot read ${target ? shown(target) : 'pixverse.config'}: ${e.message}`, 'check the file and its permissions');
    }
  }
  // The default output folder belongs to the manifest's project: beside the config file found
  // from the manifest upward, else at the project's root (never the cwd: see project-root.ts).
  const projectDir = found && !opts.configFile ? path.dirname(found.filepath) : await projectRootOf(path.resolve(opts.cwd, opts.searchFrom));
  const file = found ? files.get(found.filepath) : undefined;
  return resolveConfig(found?.config, {
    ...(found ? { configFile: found.filepath, configShown: shown(found.filepath) } : {}),
    ...(file ? { locate: file.locate } : {}),
    env: opts.env,
    cwd: opts.cwd,
    projectDir,
    ...(opts.flags ? { flags: opts.flags } : {}),
  });
}
