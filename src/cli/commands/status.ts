// `pixverse status <manifest>`: where every shot stands — rendered and current, stale and why,
// running (task id, state), failed (code, message), never rendered — as `statusJob`
// (src/app/status-job.ts) finds it; `--refresh` asks the server about running tasks there. This
// file parses the flags and prints.
// Exits 0 when it could answer; with --check (for CI, like `dvc status -q`) 0 only when every shot
// is current, else 1.
import { SHOT_STATE_KINDS } from '../../core/report/shot-state.js';
import type { ShotState, ShotStateKind } from '../../core/report/shot-state.js';
import { describeFacts } from '../../core/evidence/video-facts.js';
import { statusJob, type ShotStorage } from '../../app/status-job.js';
import { displayPath } from '../../app/job-config.js';
import { writeWarning, type CommandIo } from '../command-io.js';
import { EXIT } from '../exit-codes.js';
import { CONFIG_FLAGS, JSON_FLAG, OUTPUT_DIR_FLAG, SERVER_FLAGS, STORE_FLAG, defineCommand, jobOptionsFromFlags, parseCommand } from '../args.js';
import { USAGE } from '../usage/status.js';

const COMMAND = defineCommand({
  name: 'status',
  usage: USAGE,
  flags: { ...JSON_FLAG, check: { type: 'boolean' }, refresh: { type: 'boolean' }, verify: { type: 'boolean' }, ...SERVER_FLAGS, ...STORE_FLAG, ...CONFIG_FLAGS, ...OUTPUT_DIR_FLAG },
  manifests: 'one',
  example: 'pixverse status jobs/storyboard.yaml',
});

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
  const verify = Boolean(args.values['verify']);
  const job = await statusJob(
    args.positionals[0]!,
    { ...jobOptionsFromFlags(args.values, io), emulator: Boolean(args.values['emulator']), refresh: Boolean(args.values['refresh']), verify },
    (abs) => displayPath(io.cwd, abs),
  );
  for (const w of job.warnings) writeWarning(io, json, w.message, { code: w.code });
  const { state, states, refresh, inProgress, evidence, animatic } = job;
  const shown = state.manifest.loaded.displayFile;
  const { outputDir } = state.space;
  const lock = state.lock.lock;
  const storeOf = (s: ShotState): ShotStorage | undefined => job.storage.get(s.shotId);
  const showStore = job.showStore;
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
