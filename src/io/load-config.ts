// Finds and loads pixverse.config.ts (or .mts/.js/.mjs/.cjs/.json) with cosmiconfig, searching
// from the manifest's directory up to the project root (the first directory with a
// package.json). TypeScript configs are loaded through jiti: cosmiconfig 9's own .ts loader
// needs the TypeScript JS API, which TypeScript 7 no longer ships.
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { createJiti } from 'jiti';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { resolveConfig, type ResolveConfigOptions } from '../config/resolve-config.js';
import { projectRootOf } from './project-root.js';

export const CONFIG_SEARCH_PLACES = [
  'pixverse.config.ts',
  'pixverse.config.mts',
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

const jitiLoader: Loader = async (filepath) => {
  const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false, fsCache: false });
  const mod = await jiti.import<unknown>(filepath);
  return (mod && typeof mod === 'object' && 'default' in mod ? (mod as { default: unknown }).default : mod) ?? null;
};

/** Loads, validates and resolves the configuration; a broken config is a UserError('config'). */
export async function loadConfig(opts: LoadConfigOptions): Promise<ResolvedConfig> {
  const explorer = cosmiconfig('pixverse', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'project',
    loaders: { '.ts': jitiLoader, '.mts': jitiLoader },
    cache: false,
  });
  let found: { config: unknown; filepath: string } | null = null;
  if (!opts.noConfigFile) {
    const target = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : undefined;
    try {
      found = target ? await explorer.load(target) : await explorer.search(path.resolve(opts.cwd, opts.searchFrom));
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (target && e.code === 'ENOENT') {
        throw new UserError('config', 'config-not-found', `config file ${opts.configFile} does not exist`, 'check the --config path');
      }
      // The config is user code: report its error (first line, no stack) as a config problem.
      const first = String(e.message ?? e).split('\n')[0];
      throw new UserError('config', 'config-load-failed', `cannot load ${target ?? 'pixverse.config'}: ${first}`, 'fix the config file; it must `export default defineConfig({...})`');
    }
  }
  // The default output folder belongs to the manifest's project: beside the config file found
  // from the manifest upward, else at the project's root (never the cwd: see project-root.ts).
  const projectDir = found && !opts.configFile ? path.dirname(found.filepath) : await projectRootOf(path.resolve(opts.cwd, opts.searchFrom));
  return resolveConfig(found?.config, {
    ...(found ? { configFile: found.filepath } : {}),
    env: opts.env,
    cwd: opts.cwd,
    projectDir,
    ...(opts.flags ? { flags: opts.flags } : {}),
  });
}
