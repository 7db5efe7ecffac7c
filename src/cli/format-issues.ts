// Issues printed like a compiler's diagnostics, one per line:
//   jobs/x.yaml:12:7 error [shot hero] duration 12 is not allowed … — hint: use duration 5 or 8
// and as data for --json.
import type { Issue } from '../core/types.js';

const MAX_LISTED_SHOTS = 3;

export function formatIssue(issue: Issue): string {
  const where = issue.pos ? `${issue.pos.file}:${issue.pos.line}:${issue.pos.col} ` : '';
  const shot = issue.shot ? `[shot ${issue.shot}] ` : '';
  const also = issue.alsoIn?.length
    ? ` (also ${issue.alsoIn.slice(0, MAX_LISTED_SHOTS).join(', ')}${issue.alsoIn.length > MAX_LISTED_SHOTS ? ` and ${issue.alsoIn.length - MAX_LISTED_SHOTS} more shots` : ''})`
    : '';
  const hint = issue.hint ? ` — hint: ${issue.hint}` : '';
  const lines = [`${where}${issue.severity} ${shot}${issue.message}${also}${hint}`];
  for (const r of issue.related ?? []) {
    lines.push(`  ${r.pos ? `${r.pos.file}:${r.pos.line}:${r.pos.col} ` : ''}note: ${r.message}`);
  }
  return lines.join('\n');
}

export interface IssueCounts {
  errors: number;
  warnings: number;
}

export function countIssues(issues: readonly Issue[]): IssueCounts {
  let errors = 0;
  let warnings = 0;
  for (const i of issues) i.severity === 'error' ? errors++ : warnings++;
  return { errors, warnings };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `jobs/x.yaml: 2 errors, 1 warning` or `jobs/x.yaml: 12 shots, valid`. */
export function formatSummary(file: string, shots: number, issues: readonly Issue[]): string {
  const { errors, warnings } = countIssues(issues);
  if (errors === 0) return `${file}: ${plural(shots, 'shot')}, valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}`;
  return `${file}: ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`;
}
