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

/**
 * Compiler-style lines for a list of issues. A warning that says word for word the same thing in
 * several shots (e.g. "local files are not documented for PixVerse" in every it2v shot) is
 * printed once, at its first place, naming the other shots: `(also b, c, d and 4 more shots)`.
 * Errors are always printed one by one; `--json` keeps every issue with its own position.
 */
export function formatIssues(issues: readonly Issue[]): string[] {
  const firstByKey = new Map<string, { issue: Issue; also: string[] }>();
  const shown: Array<{ issue: Issue; also?: string[] }> = [];
  for (const issue of issues) {
    if (issue.severity !== 'warning' || issue.shot === undefined) {
      shown.push({ issue });
      continue;
    }
    const key = `${issue.code}\u0000${issue.message}\u0000${issue.hint ?? ''}`;
    const first = firstByKey.get(key);
    if (!first) {
      const entry = { issue, also: [...(issue.alsoIn ?? [])] };
      firstByKey.set(key, entry);
      shown.push(entry);
    } else {
      for (const id of [issue.shot, ...(issue.alsoIn ?? [])]) if (id !== first.issue.shot && !first.also.includes(id)) first.also.push(id);
    }
  }
  return shown.map(({ issue, also }) => formatIssue(also && also.length > 0 ? { ...issue, alsoIn: also } : issue));
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
