// Writes report.json, report.md and index.html into the manifest's output directory. The run
// engine calls this at the end of every run (interrupted or not); `pixverse report` calls it to
// regenerate them from the ledger.
import path from 'node:path';
import { buildReport } from '../core/report/report-model.js';
import type { Report, ReportModelInput } from '../core/report/report-model.js';
import { renderHtml } from '../core/report/render-html.js';
import { renderMarkdown } from '../core/report/render-markdown.js';
import { videoChecks } from '../core/report/shot-state.js';
import type { PlannedRequest } from '../core/types.js';
import { inspectOutputs } from './inspect-outputs.js';
import { readLockFile } from './read-lock-file.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { writePosters, type PosterResult } from './write-posters.js';
import { ffmpegBinary } from './ffmpeg.js';

export const REPORT_FILES = { json: 'report.json', markdown: 'report.md', html: 'index.html' } as const;

/** What the writers need: the report model's input, with dates, and where to read and write. */
export interface ReportInput extends Omit<ReportModelInput, 'plans' | 'startedAt' | 'endedAt' | 'now' | 'lock' | 'disk'> {
  /** Current plans (after defaults and sweeps), in manifest order. */
  plans: PlannedRequest[];
  /** `output/<manifest name>` (or its emulator space): videos are checked and reports written here. */
  outputDir: string;
  startedAt?: Date;
  endedAt?: Date;
  now: Date;
  /** The lock file to read (lock-only shots are verified against it); see run-space.ts. */
  lockFile: string;
  /**
   * The ffmpeg that makes poster frames (ffmpeg.ts: `PIXVERSE_FFMPEG` or `ffmpeg`); `false`
   * makes none (the contact sheet then shows the browser's own frame). Default: this
   * process's `PIXVERSE_FFMPEG`, else `ffmpeg`.
   */
  ffmpeg?: string | false;
}

/** Builds the report value (reads the lock and the output directory, writes nothing). */
export async function readReport(input: ReportInput): Promise<Report> {
  const lock = (await readLockFile(input.lockFile)).lock;
  const disk = await inspectOutputs(input.outputDir, videoChecks(input.plans, input.ledger, lock));
  const { outputDir: _outputDir, lockFile: _lockFile, ffmpeg: _ffmpeg, startedAt, endedAt, now, ...model } = input;
  return buildReport({
    ...model,
    ...(startedAt ? { startedAt: startedAt.toISOString() } : {}),
    ...(endedAt ? { endedAt: endedAt.toISOString() } : {}),
    now: now.toISOString(),
    ...(lock ? { lock } : {}),
    disk,
  });
}

/** Writes the three report files (atomically) and returns their paths and the report value. */
export async function writeReports(input: ReportInput): Promise<{ files: string[]; report: Report; posters?: PosterResult }> {
  let posters: PosterResult | undefined;
  if (input.ffmpeg !== false) {
    const lock = (await readLockFile(input.lockFile)).lock;
    const videos = videoChecks(input.plans, input.ledger, lock).map((c) => c.file);
    posters = await writePosters(input.outputDir, videos, input.ffmpeg ?? ffmpegBinary(process.env));
  }
  const report = await readReport(input);
  const files = [
    [REPORT_FILES.json, JSON.stringify(report, null, 2) + '\n'],
    [REPORT_FILES.markdown, renderMarkdown(report)],
    [REPORT_FILES.html, renderHtml(report)],
  ] as const;
  const written: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(input.outputDir, name);
    await writeFileAtomic(file, content);
    written.push(file);
  }
  return { files: written, report, ...(posters ? { posters } : {}) };
}
