// The one way every command and library call finds its configuration: search for
// pixverse.config.ts from the manifest's directory up, then apply the environment and the flags
// (flags > environment > config file > defaults; see ARCHITECTURE.md).
import path from 'node:path';
import type { ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../io/load-config.js';
import { displayPath } from '../io/display-path.js';

/** How commands show a path: relative to their cwd when inside it, else absolute. */
export { displayPath };
export type { ResolvedConfig };

export interface JobConfigOptions {
  /** Resolves the manifest path and relative flags; default process.cwd(). */
  cwd?: string;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** An explicit config file instead of the search. */
  configFile?: string;
  region?: string;
  outputDir?: string;
  baseUrl?: string;
  /** `s3://bucket/prefix`: the object store (`--store`; over PIXVERSE_STORE and config `store.url`). */
  store?: string;
}

export interface JobConfig {
  config: ResolvedConfig;
  manifestAbs: string;
  /** The manifest path as shown in messages and records (relative to cwd when inside it). */
  shown: string;
}

export async function loadJobConfig(manifest: string, opts: JobConfigOptions = {}): Promise<JobConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const manifestAbs = path.resolve(cwd, manifest);
  const config = await loadConfig({
    searchFrom: path.dirname(manifestAbs),
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    env: opts.env ?? process.env,
    cwd,
    flags: {
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.outputDir ? { outputDir: opts.outputDir } : {}),
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      ...(opts.store ? { store: opts.store } : {}),
    },
  });
  return { config, manifestAbs, shown: displayPath(cwd, manifestAbs) };
}
