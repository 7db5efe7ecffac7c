// `pixverse plan <manifest>`: the exact request each shot would send, written to
// `<output>/<name>/plan/<shot id>.json`, with billable seconds and estimated cost. No network.
import type { PlanSummary } from '../../core/plan/cost.js';
import { planFile } from '../../core/plan/plan-file.js';
import type { PlannedRequest } from '../../core/types.js';
import type { ResolvedConfig } from '../../app/job-config.js';
import { planFileContext, planJob, writePlanJobFiles } from '../../app/plan-job.js';
import type { CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { countIssues, formatIssues, formatSummary, plural } from '../format-issues.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { displayPath } from '../../app/job-config.js';
import { USAGE } from '../usage/plan.js';

const COMMAND = defineCommand({
  name: 'plan',
  usage: USAGE,
  flags: { ...JSON_FLAG, ...CONFIG_FLAGS, ...OUTPUT_DIR_FLAG, ...SERVER_FLAGS },
  manifests: 'one',
  example: 'pixverse plan jobs/storyboard.yaml',
});

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMAND);
  if (args.help) return EXIT.ok;
  const job = await planJob(args.positionals[0]!, { ...jobOptionsFromFlags(args.values, io), emulator: Boolean(args.values['emulator']) });
  const { config, planned: result, decisions, runFolder } = job;
  const { loaded, plans, issues, summary } = result;
  if (plans.length === 0 && countIssues(issues).errors > 0) {
    if (args.values['json']) io.out(JSON.stringify({ valid: false, file: loaded.displayFile, issues }, null, 2));
    else {
      for (const line of formatIssues(issues)) io.out(line);
      io.out(formatSummary(loaded.displayFile, loaded.shots.length, issues));
    }
    return EXIT.invalidInput;
  }
  const fileCtx = planFileContext(config);
  const { planDir, inProgress } = await writePlanJobFiles(job);
  const decisionOf = new Map(decisions.map((d) => [d.shot, d]));
  if (args.values['json']) {
    io.out(
      JSON.stringify(
        {
          valid: true,
          file: loaded.displayFile,
          name: loaded.name,
          region: config.region,
          planDir: displayPath(io.cwd, planDir),
          runFolder,
          ...(inProgress ? { runInProgress: inProgress } : {}),
          summary,
          plans: plans.map((p) => planFile(p, fileCtx)),
          decisions: decisions.map((d) => ({ shot: d.shot, action: d.action, reasonCode: d.reasonCode, reason: d.reason, ...(d.changedFields ? { changedFields: d.changedFields } : {}) })),
          issues,
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  for (const line of formatIssues(issues)) io.out(line);
  io.out(formatPlanText(plans.map((plan) => ({ plan, decision: renderColumn(decisionOf.get(plan.shotId)) })), summary, { config, planDir: displayPath(io.cwd, planDir), runFolder, file: loaded.displayFile }));
  if (inProgress) io.out(`note: ${inProgress}`);
  return EXIT.ok;
}

/** `skip (unchanged; …)`, `submit (changed: parameters.size)`… for the plan table. */
function renderColumn(d: { action: string; reason: string } | undefined): string | undefined {
  return d ? `${d.action}: ${d.reason}` : undefined;
}

/** One row of the plan table; the run command adds its render decision (skip / new / changed…). */
export interface PlanRow {
  plan: PlannedRequest;
  /** e.g. `skip (unchanged)`, `new`, `changed: size`. A column appears when any row has one. */
  decision?: string;
}

export interface PlanTextContext {
  config: Pick<ResolvedConfig, 'region' | 'baseUrl' | 'prices'>;
  planDir: string;
  /** The absolute run folder (ledger, videos, reports). */
  runFolder?: string;
  file: string;
}

/** The human-readable plan: a table of shots, then totals. Pure string building. */
export function formatPlanText(rows: readonly PlanRow[], summary: PlanSummary, ctx: PlanTextContext): string {
  const withDecision = rows.some((r) => r.decision !== undefined);
  const priced = rows.some((r) => r.plan.estimatedCost !== undefined);
  const header = ['shot', 'model', 'size/res', 'dur', 'tier', 'seed', ...(priced ? ['cost'] : []), 'key', ...(withDecision ? ['render'] : [])];
  const table = rows.map(({ plan, decision }) => {
    const p = plan.body.parameters;
    return [
      plan.shotId,
      plan.model.replace(/^pixverse\/pixverse-/, 'pixverse-'),
      String(p['size'] ?? p['resolution'] ?? ''),
      `${plan.billableSeconds}s`,
      plan.tier,
      `${p['seed'] ?? '—'}${plan.seedDerived ? '*' : ''}`,
      ...(priced ? [plan.estimatedCost !== undefined ? plan.estimatedCost.toFixed(2) : '—'] : []),
      plan.key.slice(0, 12),
      ...(withDecision ? [decision ?? ''] : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const tiers = Object.entries(summary.secondsByTier).map(([t, s]) => `${t} ${s}s`).join(', ');
  const out = [
    `${ctx.file} → ${ctx.config.baseUrl} (${ctx.config.region})`,
    '',
    line(header),
    ...table.map(line),
    '',
    `${plural(summary.shots, 'shot')}, ${summary.billableSeconds} billable seconds (${tiers || 'none'})`,
  ];
  if (summary.estimatedCost !== undefined) {
    out.push(
      `estimated cost: ${summary.estimatedCost.toFixed(2)} ${summary.currency ?? ''}`.trimEnd() +
        (summary.unpricedShots.length ? ` (+ ${plural(summary.unpricedShots.length, 'shot')} without a price)` : ''),
    );
  } else out.push('estimated cost: no prices in the config');
  if (summary.derivedSeeds > 0) out.push(`* seed derived from the shot id (${plural(summary.derivedSeeds, 'shot')}); write seed: to choose one`);
  out.push(`requests written to ${ctx.planDir}/`);
  if (ctx.runFolder) out.push(`run folder: ${ctx.runFolder}`);
  return out.join('\n');
}
