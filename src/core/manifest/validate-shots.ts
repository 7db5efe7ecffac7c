// Validation of all expanded shots: every issue at once, each at the place that caused it.
// Pure: file facts come in through the context.
import type { Issue } from '../types.js';
import type { ExpandedShot } from './manifest-types.js';
import { ShotReport } from './shot-report.js';
import { validateShot, type ValidateContext } from './validate-shot.js';

export type { ValidateContext } from './validate-shot.js';

export function validateShots(shots: readonly ExpandedShot[], ctx: ValidateContext): Issue[] {
  const raw: Issue[] = [];
  for (const es of shots) validateShot(es, ctx, new ShotReport(es, raw));
  return mergeRepeats(raw);
}

/**
 * A value shared by many shots (a default, a sweep's fixed fields) fails the same way in each:
 * report it once, listing the other shots in `alsoIn`.
 */
export function mergeRepeats(issues: readonly Issue[]): Issue[] {
  const firstByKey = new Map<string, Issue>();
  const out: Issue[] = [];
  for (const issue of issues) {
    const key = `${issue.pointer ?? ''}\u0000${issue.code}\u0000${issue.message}`;
    const first = firstByKey.get(key);
    if (!first) {
      const copy = { ...issue };
      firstByKey.set(key, copy);
      out.push(copy);
    } else if (issue.shot !== undefined && issue.shot !== first.shot) {
      (first.alsoIn ??= []).push(issue.shot);
    }
  }
  return out;
}
