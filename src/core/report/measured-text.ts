// One line for what a shot's video file holds, as measured, for report.md and the contact sheet.
import { describeFacts } from '../evidence/video-facts.js';
import type { ReportShot } from './report-model.js';

/** What the file holds (measured), with ⚠️ when it differs from the ask or the usage block. */
export function measuredText(s: ReportShot): string {
  if (!s.measured) return s.measure_error ? `unreadable: ${s.measure_error}` : '—';
  return `${s.mismatches.length ? '⚠️ ' : ''}${describeFacts(s.measured)}`;
}
