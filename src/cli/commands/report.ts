// `pixverse report <manifest>`: regenerates report.json, report.md and index.html from the ledger
// through `reportJob` (src/app/report-job.ts); this file parses the flags and prints.
import { displayPath } from '../../app/job-config.js';
import { reportJob } from '../../app/report-job.js';
import { writeWarning, type CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { USAGE } from '../usage/report.js';

const COMMAND = defineCommand({
  name: 'report',
  usage: USAGE,
  flags: { ...JSON_FLAG, ...CONFIG_FLAGS, ...OUTPUT_DIR_FLAG, emulator: SERVER_FLAGS.emulator },
  manifests: 'one',
  example: 'pixverse report jobs/storyboard.yaml',
});

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMAND);
  if (args.help) return EXIT.ok;
  const json = Boolean(args.values['json']);
  const { shown, report, files, warnings } = await reportJob(
    args.positionals[0]!,
    { ...jobOptionsFromFlags(args.values, io), emulator: Boolean(args.values['emulator']) },
    (abs) => displayPath(io.cwd, abs),
  );
  for (const w of warnings) writeWarning(io, json, w.message, { code: w.code });
  if (args.values['json']) {
    io.out(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  const c = report.run.counts;
  io.out(
    [
      `${shown}: ${c.shots} shots — ${c.current} current, ${c.stale} stale, ${c.running} running, ${c.failed} failed, ${c.missing} missing, ${c.never_rendered} never rendered`,
      ...files.map((f) => `wrote ${displayPath(io.cwd, f)}`),
    ].join('\n'),
  );
  return EXIT.ok;
}
