// `pixverse validate <manifest…>`: every issue of every manifest at once, like a compiler.
// Exit 0 when valid (warnings allowed), 2 on any error. No network.
import { validateJob } from '../../app/validate-job.js';
import { CONFIG_FLAGS, JSON_FLAG, defineCommand, parseCommand } from '../args.js';
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

  const { valid, manifests: results } = await validateJob(args.positionals, {
    cwd: io.cwd,
    env: io.env,
    ...(typeof args.values['config'] === 'string' ? { configFile: args.values['config'] } : {}),
    ...(typeof args.values['region'] === 'string' ? { region: args.values['region'] } : {}),
  });

  if (args.values['json']) {
    const manifests = results.map(({ loaded, config, valid: ok }) => ({
      file: loaded.displayFile,
      name: loaded.name,
      region: config.region,
      shots: loaded.shots.length,
      valid: ok,
      ...countIssues(loaded.issues),
      issues: loaded.issues,
    }));
    io.out(JSON.stringify({ valid, manifests }, null, 2));
  } else {
    for (const { loaded } of results) {
      // --quiet: the errors alone, on stderr (warnings and the summary are for a person reading).
      if (io.quiet) for (const line of formatIssues(loaded.issues.filter((i) => i.severity === 'error'))) io.err(line);
      else for (const line of formatIssues(loaded.issues)) io.out(line);
      io.out(formatSummary(loaded.displayFile, loaded.shots.length, loaded.issues));
    }
  }
  return valid ? EXIT.ok : EXIT.invalidInput;
}
