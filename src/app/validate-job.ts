// `validate` as a library call: every issue of every manifest at once, like a compiler. No network.
import path from 'node:path';
import type { ResolvedConfig } from '../config/config-types.js';
import { createSchemaChecker } from '../core/manifest/schema-check.js';
import { hasErrors, loadManifest, type LoadedManifest } from '../io/read-manifest.js';
import { displayPath, loadJobConfig, type JobConfigOptions } from './job-config.js';

export interface ValidatedManifest {
  loaded: LoadedManifest;
  config: ResolvedConfig;
  valid: boolean;
}

export interface ValidateJob {
  /** False if any manifest has an error. */
  valid: boolean;
  manifests: ValidatedManifest[];
}

export async function validateJob(files: readonly string[], options: Pick<JobConfigOptions, 'cwd' | 'env' | 'configFile' | 'region'> = {}): Promise<ValidateJob> {
  const cwd = options.cwd ?? process.cwd();
  const checker = createSchemaChecker();
  const configs = new Map<string, { config: ResolvedConfig }>();
  const manifests: ValidatedManifest[] = [];
  for (const file of files) {
    // One config per directory: manifests side by side share their pixverse.config.ts.
    const dir = path.dirname(path.resolve(cwd, file));
    let job = configs.get(dir);
    if (!job) {
      job = await loadJobConfig(file, { ...options, cwd });
      configs.set(dir, job);
    }
    const config = job.config;
    const abs = path.resolve(cwd, file);
    const loaded = await loadManifest(abs, { region: config.region, host: config.host, displayPath: displayPath(cwd, abs), schemaChecker: checker });
    manifests.push({ loaded, config, valid: !hasErrors(loaded.issues) });
  }
  return { valid: manifests.every((m) => m.valid), manifests };
}
