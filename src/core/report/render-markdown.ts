// `report.md`: a summary and one table row per shot, meant to be read in a pull request. Every
// user or server string is flattened to one line, escaped and cut short; links are relative to
// the report (it sits in the output directory beside videos/).
import type { Report, ReportShot } from './report-model.js';
import { notModelStudioBanner } from './report-model.js';
import type { ShotStateKind } from './shot-state.js';
import { measuredText } from './measured-text.js';
import { escapeMarkdownCell, relativeHref, truncate } from './text-escape.js';

const STATE_LABEL: Record<ShotStateKind, string> = {
  current: '✅ current',
  stale: '♻️ stale',
  running: '⏳ running',
  failed: '❌ failed',
  missing: '❔ missing',
  'never-rendered': '⬜ never rendered',
};

const PROMPT_CHARS = 80;
const MESSAGE_CHARS = 100;

const cell = (text: string, max = 200): string => escapeMarkdownCell(truncate(text, max));

function link(text: string, rel: string): string {
  return `[${cell(text)}](${relativeHref(rel)})`;
}

function asked(s: ReportShot): string {
  const parts = [s.size ?? s.resolution ?? s.tier];
  if (s.duration !== null) parts.push(`${s.duration} s`);
  if (s.audio !== null) parts.push(s.audio ? 'audio' : 'silent');
  if (s.watermark) parts.push('watermark');
  return parts.join(' · ');
}

/** What the server's usage block said. */
function reported(s: ReportShot): string {
  const parts: string[] = [];
  if (s.size_delivered) parts.push(s.size_delivered);
  if (s.duration_billed !== null) parts.push(`${s.duration_billed} s billed`);
  if (s.fps !== null && s.usage) parts.push(`${s.fps} fps`);
  if (s.audio_delivered !== null) parts.push(s.audio_delivered ? 'audio' : 'silent');
  return parts.length ? parts.join(' · ') : '—';
}

/** The shot's evidence: its video, the body POSTed and the task responses, when on disk. */
function filesCell(s: ReportShot): string {
  const links: string[] = [];
  if (s.file && s.file_on_disk) links.push(link(s.file.split('/').pop() ?? s.file, s.file));
  if (s.request_file) links.push(link('request', s.request_file));
  if (s.snapshots_file) links.push(link('snapshots', s.snapshots_file));
  // The stored copy: where a reader without the output folder (a pull request) can open it.
  if (s.stored?.href) links.push(`[stored](${s.stored.href})`);
  else if (s.stored) links.push(`stored: \`${cell(s.stored.url)}\``);
  return links.length ? links.join(' · ') : '—';
}

function taskCell(s: ReportShot): string {
  if (s.error_code) return cell(`${s.error_code}: ${s.error_message ?? ''}`, MESSAGE_CHARS);
  if (s.state !== 'current' && s.state !== 'never-rendered') return cell(s.detail, MESSAGE_CHARS);
  return s.task_id ? cell(s.task_id) : '—';
}

function costText(r: Report['run']): string {
  const unpriced = r.unpriced_shots.length ? ` (+ ${plural(r.unpriced_shots.length, 'shot')} without a price)` : '';
  if (r.estimated_cost === null) return r.unpriced_shots.length ? `no price configured for the ${plural(r.unpriced_shots.length, 'shot')} billed` : r.billable_seconds ? 'no prices configured' : '0 (nothing billed)';
  return `${r.estimated_cost}${r.currency ? ` ${cell(r.currency)}` : ''}${unpriced}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderMarkdown(report: Report): string {
  const r = report.run;
  const c = r.counts;
  const lines: string[] = [`# Render report: ${cell(r.manifest_name)}`, ''];
  if (r.emulator) {
    lines.push(`> **${cell(notModelStudioBanner(r), 400)}**`, '');
  }
  const states = (
    [
      ['current', c.current],
      ['stale', c.stale],
      ['running', c.running],
      ['failed', c.failed],
      ['missing', c.missing],
      ['never rendered', c.never_rendered],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');
  const tiers = Object.entries(r.billable_seconds_by_tier)
    .map(([tier, n]) => `${tier}: ${n}`)
    .join(', ');
  lines.push(
    '| | |',
    '|---|---|',
    `| Manifest | ${cell(r.manifest)} (sha256 ${r.manifest_sha256.slice(0, 12)}…) |`,
    `| Region | ${cell(r.region)} · ${cell(r.base_url)}${r.emulator ? ' (emulator)' : ''} |`,
    `| Run | ${r.run_id ? cell(r.run_id) : 'no run recorded'}${r.started_at ? ` · started ${r.started_at}` : ''}${r.ended_at ? ` · ended ${r.ended_at}` : ''}${r.interrupted ? ' · **interrupted**' : ''} |`,
    `| Tool | pixverse-batch ${cell(r.tool_version)} · report generated ${r.generated_at} |`,
    `| Shots | ${plural(c.shots, 'shot')}${states ? `: ${states}` : ''} |`,
    `| This run | ${c.rendered_this_run} rendered, ${c.failed_this_run} failed, ${c.skipped} skipped |`,
    `| Billable seconds | ${r.billable_seconds}${tiers ? ` (${tiers})` : ''} this run; ${r.planned_billable_seconds} for the whole manifest |`,
    `| Estimated cost | ${costText(r)} |`,
    '',
    '## Shots',
    '',
    '| # | Shot | State | Model | Asked | Server reported | File (measured) | Seed | Prompt | Files | Task / error |',
    '|---:|---|---|---|---|---|---|---:|---|---|---|',
  );
  for (const s of report.shots) {
    lines.push(
      `| ${s.index + 1} | ${cell(s.id)} | ${STATE_LABEL[s.state]} | ${cell(s.model)} | ${cell(asked(s))} | ${cell(reported(s))} | ${cell(measuredText(s))} | ${s.seed ?? '—'} | ${s.prompt ? cell(s.prompt, PROMPT_CHARS) : '—'} | ${filesCell(s)} | ${taskCell(s)} |`,
    );
  }
  const differing = report.shots.filter((s) => s.mismatches.length);
  if (differing.length) {
    lines.push('', '## Delivered differently', '', 'What the video files hold (read from their MP4 boxes) against what was asked and what the server reported:', '');
    for (const s of differing) lines.push(`- ⚠️ **${cell(s.id)}**: ${s.mismatches.map((m) => cell(m, 300)).join('; ')}`);
  }
  const failures = report.shots.filter((s) => s.error_code);
  if (failures.length) {
    lines.push('', '## Failures', '');
    for (const s of failures) {
      lines.push(`- **${cell(s.id)}** (${cell(s.task_id ?? 'no task')}): ${cell(s.error_code ?? '')}: ${cell(s.error_message ?? '', 500)}`);
    }
  }
  lines.push(
    '',
    `Machine-readable: [report.json](report.json) · contact sheet: [index.html](index.html)`,
    '',
    "> Links are relative to this file's folder (the manifest's output folder): they open on the disk that holds the videos, or in a repository that commits that folder. In a pull request that does not commit the output folder they do not resolve: there, a `stored` link opens the video's copy in the object store (when the bucket lets the reader in), and the lock file records each video's task id and sha256.",
    '',
  );
  return lines.join('\n');
}
