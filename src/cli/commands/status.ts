// `pixverse status <manifest>`: where every shot stands — rendered and current, stale and why,
// running (task id, state), failed (code, message), never rendered — from the ledger, the lock
// file and the videos on disk. `--refresh` asks the server for the live state of running tasks
// and appends the ones that ENDED to the ledger (the source of truth, so the next run downloads
// or holds them without asking again); it never submits, downloads or cancels anything.
// Exits 0 when it could answer; with --check (for CI, like `dvc status -q`) 0 only when every shot
// is current, else 1.
import path from 'node:path';
import type { ResolvedConfig } from '../../config/config-types.js';
import type { LedgerRecord, StateRecord } from '../../core/ledger/records.js';
import { redactUrl } from '../../core/report/report-model.js';
import { foldLedger } from '../../core/ledger/fold-ledger.js';
import { SHOT_STATE_KINDS, shotStates, videoChecks } from '../../core/report/shot-state.js';
import type { ShotState, ShotStateKind } from '../../core/report/shot-state.js';
import { storedVideoUrl } from '../../core/store/stored-video.js';
import { shotEvidence } from '../../core/evidence/shot-evidence.js';
import { describeFacts } from '../../core/evidence/video-facts.js';
import { animaticStatus } from '../../app/animatic-job.js';
import { createDashScopeClient, formatDashScopeError, isDashScopeError } from '../../dashscope/index.js';
import { FINAL_STATUSES } from '../../engine/task-watcher.js';
import { stateFieldsOf } from '../../core/task/task-view.js';
import { resolveApiKey } from '../../io/credentials.js';
import { LEDGER_FILE, openLedger } from '../../io/ledger-file.js';
import { inspectOutputs } from '../../io/inspect-outputs.js';
import { readRenderState } from '../../io/read-render-state.js';
import { writeWarning, type CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, STORE_FLAG, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { displayPath } from '../../io/display-path.js';
import { loadJobConfig } from '../../app/job-config.js';
import { runInProgress } from '../../io/run-folder-lock.js';
import { USAGE } from '../usage/status.js';

const COMMAND = defineCommand({
  name: 'status',
  usage: USAGE,
  flags: { ...JSON_FLAG, check: { type: 'boolean' }, refresh: { type: 'boolean' }, verify: { type: 'boolean' }, ...SERVER_FLAGS, ...STORE_FLAG, ...CONFIG_FLAGS, ...OUTPUT_DIR_FLAG },
  manifests: 'one',
  example: 'pixverse status jobs/storyboard.yaml',
});

/** Config for status/report: the same sources and flags as `run`. */
export async function loadCommandConfig(io: CommandIo, manifestAbs: string, values: Record<string, string | boolean | undefined>): Promise<ResolvedConfig> {
  return (await loadJobConfig(manifestAbs, jobOptionsFromFlags(values, io))).config;
}

export interface RefreshSummary {
  /** Tasks asked about. */
  refreshed: number;
  /** Tasks found ended (SUCCEEDED, FAILED, CANCELED, UNKNOWN) and appended to the ledger. */
  recorded: number;
  /** Tasks not asked about, and why (sent to another server). */
  skipped: string[];
  errors: string[];
}

/** Names a refresh writes its ledger records under (they belong to no run). */
export const REFRESH_RUN_ID = 'status-refresh';

/**
 * GETs every task the ledger last saw PENDING/RUNNING (or not polled yet) on the server this
 * command talks to, and returns the answers as `state` records for the fold. The ones that
 * ended are appended (flushed) to the ledger: a final state cannot be contradicted later, so
 * this is safe even while a run follows the same tasks; a PENDING/RUNNING answer is shown but
 * not written (a run in progress may have recorded a newer state meanwhile).
 */
async function refreshLiveTasks(
  records: LedgerRecord[],
  states: readonly ShotState[],
  config: ResolvedConfig,
  io: CommandIo,
  ledgerFile: string,
  now: () => Date,
): Promise<{ records: LedgerRecord[]; summary: RefreshSummary }> {
  const summary: RefreshSummary = { refreshed: 0, recorded: 0, skipped: [], errors: [] };
  const runBaseUrl = new Map(foldLedger(records).runs.map((r) => [r.runId, r.baseUrl]));
  const live: ShotState[] = [];
  for (const s of states) {
    const a = s.attempt;
    if (s.state !== 'running' || a?.outcome !== 'submitted' || !a.taskId || a.status === 'SUCCEEDED') continue;
    // A task lives on the server that created it: asking another one (an emulator session that
    // is gone, another region) would answer UNKNOWN and wrongly end the shot.
    const sentTo = runBaseUrl.get(a.runId);
    if (sentTo !== undefined && sentTo !== config.baseUrl) {
      summary.skipped.push(`${s.shotId}: task ${a.taskId} was sent to ${redactUrl(sentTo)}, not ${redactUrl(config.baseUrl)}`);
      continue;
    }
    live.push(s);
  }
  if (live.length === 0) return { records, summary };
  const { key } = await resolveApiKey({ env: io.env, ...(io.env['HOME'] ? { home: io.env['HOME'] } : {}) });
  const client = createDashScopeClient({ baseUrl: config.baseUrl, apiKey: key, ...(config.workspace ? { workspace: config.workspace } : {}) });
  const seen: StateRecord[] = [];
  try {
    for (const s of live) {
      const a = s.attempt!;
      try {
        const res = await client.getTask(a.taskId!);
        seen.push({
          t: 'state',
          at: now().toISOString(),
          runId: REFRESH_RUN_ID,
          shot: s.shotId,
          key: a.key,
          taskId: a.taskId!,
          // As the engine reads it: an unrecognised status (e.g. SUSPENDED) is still running.
          status: res.status,
          ...stateFieldsOf(res),
        });
      } catch (error) {
        summary.errors.push(`${s.shotId}: task ${a.taskId}: ${isDashScopeError(error) ? formatDashScopeError(error) : (error as Error).message}`);
      }
    }
  } finally {
    await client.close();
  }
  summary.refreshed = seen.length;
  const ended = seen.filter((r) => FINAL_STATUSES.has(r.status));
  if (ended.length) {
    try {
      const ledger = await openLedger(ledgerFile);
      try {
        for (const r of ended) await ledger.append(r);
        summary.recorded = ended.length;
      } finally {
        await ledger.close();
      }
    } catch (error) {
      summary.errors.push(`could not record the ended tasks in the ledger (${(error as Error).message}); the next run asks again`);
    }
  }
  return { records: [...records, ...seen], summary };
}

function countStates(states: readonly ShotState[]): Record<ShotStateKind, number> {
  const counts = Object.fromEntries(SHOT_STATE_KINDS.map((k) => [k, 0])) as Record<ShotStateKind, number>;
  for (const s of states) counts[s.state]++;
  return counts;
}

export function formatStatusText(states: readonly ShotState[], header: string, notes?: ReadonlyMap<string, string>): string {
  const rows = states.map((s) => [s.shotId, s.state, notes?.get(s.shotId) ? `${s.detail}; ${notes.get(s.shotId)}` : s.detail]);
  const widths = [Math.max(4, ...rows.map((r) => r[0]!.length)), Math.max(5, ...rows.map((r) => r[1]!.length))];
  const line = (cells: string[]): string => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`.trimEnd();
  const counts = countStates(states);
  const summary = SHOT_STATE_KINDS.filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(', ');
  return [header, '', line(['shot', 'state', 'detail']), ...rows.map(line), '', `${states.length} shot${states.length === 1 ? '' : 's'}${summary ? `: ${summary}` : ''}`].join('\n');
}

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parseCommand(argv, io, COMMAND);
  if (args.help) return EXIT.ok;
  const json = Boolean(args.values['json']);
  const abs = path.resolve(io.cwd, args.positionals[0]!);
  const shown = displayPath(io.cwd, abs);
  const config = await loadCommandConfig(io, abs, args.values);
  const state = await readRenderState(abs, config, shown, Boolean(args.values['emulator']));
  const { plans } = state.manifest;
  const { outputDir } = state.space;
  const lock = state.lock.lock;
  if (state.lock.problem) writeWarning(io, json, `ignoring ${displayPath(io.cwd, state.lock.file)} (${state.lock.problem})`, { code: 'lock-ignored' });
  if (state.damagedLines.length) writeWarning(io, json, `ledger lines ${state.damagedLines.join(', ')} are unreadable (a crash mid-write) and were skipped`, { code: 'ledger-lines-skipped' });

  const verify = Boolean(args.values['verify']);
  let disk = await inspectOutputs(outputDir, videoChecks(plans, state.ledger, lock), verify);
  let states = shotStates(plans, state.ledger, lock, disk);
  let refresh: RefreshSummary | undefined;
  if (args.values['refresh']) {
    const r = await refreshLiveTasks(state.records, states, config, io, path.join(outputDir, LEDGER_FILE), () => new Date());
    refresh = r.summary;
    if (r.summary.refreshed > 0) {
      const ledger = foldLedger(r.records);
      disk = await inspectOutputs(outputDir, videoChecks(plans, ledger, lock), verify);
      states = shotStates(plans, ledger, lock, disk);
    }
    for (const skipped of r.summary.skipped) writeWarning(io, json, `not refreshed: ${skipped}`, { code: 'not-refreshed' });
    for (const e of r.summary.errors) writeWarning(io, json, `refresh failed: ${e}`, { code: 'refresh-failed' });
  }

  const inProgress = await runInProgress(outputDir);
  // Stored or not, for every shot with a video on record (from the ledger, else the lock entry).
  const storeOf = (s: ShotState): { stored: string | null; storeError: string | null } | undefined => {
    if (!s.video || (s.state !== 'current' && s.state !== 'stale' && s.state !== 'missing')) return undefined;
    const url = storedVideoUrl(state.ledger, s.video.sha256, lock?.shots.find((e) => e.id === s.shotId));
    return { stored: url ?? null, storeError: url ? null : (state.ledger.storeFailed.get(s.video.sha256)?.message ?? null) };
  };
  const showStore = Boolean(config.store) || states.some((s) => storeOf(s)?.stored);
  // --verify: every video measured again on disk, against its ask and its usage block.
  const animatic = await animaticStatus(outputDir, states, verify);
  const evidence = new Map(verify ? states.map((s, i) => [s.shotId, shotEvidence(plans[i]!, s, s.video ? disk.videos.get(s.video.file) : undefined)]) : []);
  const answer = args.values['check'] && states.some((s) => s.state !== 'current') ? EXIT.shotsFailed : EXIT.ok;
  if (json) {
    io.out(
      JSON.stringify(
        {
          file: shown,
          ...(inProgress ? { runInProgress: inProgress } : {}),
          name: state.manifest.loaded.name,
          outputDir: displayPath(io.cwd, outputDir),
          runFolder: outputDir,
          lockFile: displayPath(io.cwd, state.lock.file),
          lockUsed: Boolean(lock),
          counts: countStates(states),
          ...(refresh ? { refresh } : {}),
          ...(animatic ? { animatic } : {}),
          shots: states.map((s) => ({
            id: s.shotId,
            state: s.state,
            detail: s.detail,
            ...(s.changes ? { changes: s.changes } : {}),
            taskId: s.attempt?.taskId ?? s.video?.taskId ?? null,
            status: s.attempt?.status ?? null,
            ...(s.error ? { error: s.error } : {}),
            file: s.video?.file ?? null,
            stored: storeOf(s)?.stored ?? null,
            storeError: storeOf(s)?.storeError ?? null,
            ...(verify ? { measured: evidence.get(s.shotId)?.measured ?? null, measureError: evidence.get(s.shotId)?.measureError ?? null, mismatches: evidence.get(s.shotId)?.mismatches ?? [] } : {}),
          })),
        },
        null,
        2,
      ),
    );
    return answer;
  }
  const source = state.records.length ? 'ledger' : lock ? 'lock file (no ledger)' : 'nothing recorded yet';
  const refreshed = refresh ? `; refreshed ${refresh.refreshed} live task(s)${refresh.recorded ? `, ${refresh.recorded} ended (recorded in the ledger)` : ''}` : '';
  const notes = new Map<string, string>();
  if (showStore) {
    for (const s of states) {
      const st = storeOf(s);
      if (st) notes.set(s.shotId, st.stored ? `stored (${st.stored})` : `not stored${st.storeError ? ` (${st.storeError})` : ''}: \`pixverse push\` uploads it`);
    }
  }
  for (const [id, ev] of evidence) {
    const said = ev.measured ? `measured ${describeFacts(ev.measured)}` : ev.measureError ? `unreadable: ${ev.measureError}` : '';
    const text = [said, ...ev.mismatches.map((m) => `⚠ ${m}`)].filter(Boolean).join('; ');
    if (text) notes.set(id, notes.has(id) ? `${notes.get(id)}; ${text}` : text);
  }
  io.out(formatStatusText(states, `${shown} → ${outputDir} (${source})${refreshed}${inProgress ? `\n${inProgress}` : ''}`, notes));
  if (animatic) {
    io.out(
      animatic.stale
        ? `\n${animatic.file} is stale: ${animatic.reasons.slice(0, 5).join('; ')}${animatic.reasons.length > 5 ? `; and ${animatic.reasons.length - 5} more` : ''} (\`pixverse animatic ${shown}\` makes it again)`
        : `\n${animatic.file}: up to date (${animatic.shots} shot${animatic.shots === 1 ? '' : 's'}, made ${animatic.madeAt})`,
    );
  }
  if (answer !== EXIT.ok && !io.quiet) io.err(`not every shot is current: ${states.filter((s) => s.state !== 'current').length} of ${states.length} are not (\`pixverse run\` renders them)`);
  return answer;
}
