// `pixverse report <manifest>`: regenerates report.json, report.md and index.html from the ledger
// (the run writes them too, at the end of every run). Region, base URL and the emulator flag
// come from the latest run record, so a report regenerated later still says where tasks ran.
import path from 'node:path';
import { readRenderState } from '../../io/read-render-state.js';
import { writeReports } from '../../io/write-reports.js';
import type { ReportInput } from '../../io/write-reports.js';
import { TOOL_VERSION } from '../../version.js';
import { writeWarning, type CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { loadCommandConfig } from './status.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, defineCommand, parseCommand } from '../args.js';
import { displayPath } from '../../io/display-path.js';
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
  const abs = path.resolve(io.cwd, args.positionals[0]!);
  const shown = displayPath(io.cwd, abs);
  const config = await loadCommandConfig(io, abs, args.values);
  const state = await readRenderState(abs, config, shown, Boolean(args.values['emulator']));
  const json = Boolean(args.values['json']);
  if (state.damagedLines.length) writeWarning(io, json, `ledger lines ${state.damagedLines.join(', ')} are unreadable (a crash mid-write) and were skipped`, { code: 'ledger-lines-skipped' });
  if (state.lock.problem) writeWarning(io, json, `ignoring ${displayPath(io.cwd, state.lock.file)} (${state.lock.problem})`, { code: 'lock-ignored' });
  const { loaded, plans } = state.manifest;
  const { outputDir, lockFile } = state.space;
  const lastRun = state.ledger.runs.at(-1);
  const input: ReportInput = {
    manifestPath: shown,
    manifestName: loaded.name,
    manifestSha256: loaded.manifestSha256 ?? '',
    outputDir,
    plans,
    ledger: state.ledger,
    region: lastRun?.region ?? config.region,
    baseUrl: lastRun?.baseUrl ?? config.baseUrl,
    emulator: state.space.emulator || (lastRun?.emulator ?? false),
    toolVersion: TOOL_VERSION,
    ...(config.prices ? { prices: config.prices } : {}),
    now: new Date(),
    lockFile,
  };
  const { files, report } = await writeReports(input);
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
