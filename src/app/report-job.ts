// `report` as a library call: report.json, report.md and index.html written anew from the ledger
// (the run writes them too, at the end of every run). Region, base URL and the emulator flag come
// from the latest run record, so a report regenerated later still says where tasks ran.
import type { Report } from '../core/report/report-model.js';
import { countsAsModelStudio, derivedIdentity, serverOfConfig } from '../core/server-identity.js';
import { ffmpegBinary } from '../io/ffmpeg.js';
import { readRenderState } from '../io/read-render-state.js';
import { writeReports, type ReportInput } from '../io/write-reports.js';
import { addressingOf } from './run-manifest.js';
import { TOOL_VERSION } from '../version.js';
import { loadJobConfig, type JobConfigOptions } from './job-config.js';
import type { JobWarning } from './status-job.js';

export interface ReportJobOptions extends JobConfigOptions {
  /** The report of `run --emulator` instead of the real one. */
  emulator?: boolean;
  /** The report's date; default the clock. */
  now?: Date;
}

export interface ReportJob {
  /** The manifest as shown in messages. */
  shown: string;
  report: Report;
  /** The files written (absolute). */
  files: string[];
  warnings: JobWarning[];
}

export async function reportJob(manifest: string, options: ReportJobOptions = {}, shownPath: (abs: string) => string = (p) => p): Promise<ReportJob> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const state = await readRenderState(manifestAbs, config, shown, options.emulator ?? false);
  const warnings: JobWarning[] = [];
  if (state.damagedLines.length) warnings.push({ code: 'ledger-lines-skipped', message: `ledger lines ${state.damagedLines.join(', ')} are unreadable (a crash mid-write) and were skipped` });
  if (state.lock.problem) warnings.push({ code: 'lock-ignored', message: `ignoring ${shownPath(state.lock.file)} (${state.lock.problem})` });
  const { loaded, plans } = state.manifest;
  const { outputDir, lockFile } = state.space;
  const lastRun = state.ledger.runs.at(-1);
  const lastServer = lastRun ? (lastRun.server ?? derivedIdentity(lastRun)) : undefined;
  const input: ReportInput = {
    manifestPath: shown,
    manifestName: loaded.name,
    manifestSha256: loaded.manifestSha256 ?? '',
    outputDir,
    plans,
    ledger: state.ledger,
    region: lastRun?.region ?? config.region,
    baseUrl: lastRun?.baseUrl ?? config.baseUrl,
    // Bannered when the latest run was not on Model Studio (an old ledger may hold a --base-url run).
    emulator: state.space.emulator || (lastServer !== undefined && !countsAsModelStudio(lastServer, serverOfConfig(config, false))),
    ...(lastServer ? { server: lastServer } : {}),
    toolVersion: TOOL_VERSION,
    ...(config.prices ? { prices: config.prices } : {}),
    now: options.now ?? new Date(),
    lockFile,
    // With a store configured, stored videos get links to their objects.
    ...(config.store ? { store: config.store.url, storeAddressing: addressingOf(config.store) } : {}),
    ffmpeg: ffmpegBinary(options.env ?? process.env),
  };
  const { files, report } = await writeReports(input);
  return { shown, report, files, warnings };
}
