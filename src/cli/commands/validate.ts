// `pixverse validate <manifest…>`: every issue of every manifest at once, like a compiler.
// Exit 0 when valid (warnings allowed), 2 on any error. No network.
import path from 'node:path';
import { createSchemaChecker } from '../../core/manifest/schema-check.js';
import type { ResolvedConfig } from '../../config/config-types.js';
import { loadJobConfig } from '../../app/job-config.js';
import { hasErrors, loadManifest } from '../../io/read-manifest.js';
import { CONFIG_FLAGS, JSON_FLAG, defineCommand, parseCommand } from '../args.js';
import { displayPath } from '../../app/job-config.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { countIssues, formatIssues, formatSummary } from '../format-issues.js';
import { USAGE } from '../usage/validate.js';

const COMMAND = defineCommand({
  name: 'validate',
  usage: USAGE,
  flags: { ...JSON_FLAG, ...CONFIG_FLAGS },
  manifests: 'some',
  example: 'pixverse validate jobs/storyboard.yaml',
});

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMAND);
  if (args.help) return EXIT.ok;

  const checker = createSchemaChecker();
  const configs = new Map<string, { config: ResolvedConfig }>();
  const results = [];
  let failed = false;
  for (const file of args.positionals) {
    // One config per directory: manifests side by side share their pixverse.config.ts.
    const dir = path.dirname(path.resolve(io.cwd, file));
    let job = configs.get(dir);
    if (!job) {
      job = await loadJobConfig(file, {
        cwd: io.cwd,
        env: io.env,
        ...(typeof args.values['config'] === 'string' ? { configFile: args.values['config'] } : {}),
        ...(typeof args.values['region'] === 'string' ? { region: args.values['region'] } : {}),
      });
      configs.set(dir, job);
    }
    const config = job.config;
    const abs = path.resolve(io.cwd, file);
    const loaded = await loadManifest(abs, { region: config.region, host: config.host, displayPath: displayPath(io.cwd, abs), schemaChecker: checker });
    failed ||= hasErrors(loaded.issues);
    results.push({ loaded, config });
  }

  if (args.values['json']) {
    const manifests = results.map(({ loaded, config }) => ({
      file: loaded.displayFile,
      name: loaded.name,
      region: config.region,
      shots: loaded.shots.length,
      valid: !hasErrors(loaded.issues),
      ...countIssues(loaded.issues),
      issues: loaded.issues,
    }));
    io.out(JSON.stringify({ valid: !failed, manifests }, null, 2));
  } else {
    for (const { loaded } of results) {
      // --quiet: the errors alone, on stderr (warnings and the summary are for a person reading).
      if (io.quiet) for (const line of formatIssues(loaded.issues.filter((i) => i.severity === 'error'))) io.err(line);
      else for (const line of formatIssues(loaded.issues)) io.out(line);
      io.out(formatSummary(loaded.displayFile, loaded.shots.length, loaded.issues));
    }
  }
  return failed ? EXIT.invalidInput : EXIT.ok;
}
