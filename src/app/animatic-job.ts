// `pixverse animatic`: the storyboard as one film. The current videos of the manifest, in its
// order (a sweep's variants follow one another in the order its values are listed), or those
// `--only` selects, joined by ffmpeg into `<run folder>/animatic.mp4`; `animatic.json` records
// the videos (sha256) it was made from. Nothing is rendered or sent anywhere.
import { ANIMATIC_FILE, animaticStaleness, commonSize, type AnimaticClip, type AnimaticRecord } from '../core/evidence/animatic.js';
import { UserError } from '../core/errors.js';
import { parseSelectors, selectShots } from '../core/plan/render-decision-select.js';
import { shotStates, videoChecks, type ShotState } from '../core/report/shot-state.js';
import { readAnimatic, writeAnimaticRecord, writeAnimaticVideo } from '../io/animatic-files.js';
import { FFMPEG_INSTALL_HINT, ffmpegBinary, ffmpegVersion } from '../io/ffmpeg.js';
import { displayPath } from '../io/display-path.js';
import { inspectOutputs } from '../io/inspect-outputs.js';
import { measureVideo } from '../io/measure-video.js';
import { readRenderState } from '../io/read-render-state.js';
import { loadJobConfig, type JobConfigOptions } from './job-config.js';
import path from 'node:path';

export interface AnimaticOptions extends JobConfigOptions {
  /** Shot ids or globs (`hero@*`); default every shot. */
  only?: string[];
  /** Frame size; default the most common size among the clips. */
  size?: { width: number; height: number };
  /** Frames per second; default the first clip's (rounded), else 24. */
  fps?: number;
  /** Burn each shot's id into its clip. */
  labels?: boolean;
  /** The renders of `run --emulator`. */
  emulator?: boolean;
  now?: () => Date;
}

export interface AnimaticOutcome {
  /** Absolute path of the film. */
  file: string;
  /** The film's path as messages show it (relative to the cwd when inside it). */
  shownFile: string;
  record: AnimaticRecord;
  /** Selected shots without a current video, and why. */
  left: Array<{ id: string; why: string }>;
}

export async function makeAnimatic(manifest: string, options: AnimaticOptions = {}): Promise<AnimaticOutcome> {
  const { config, manifestAbs, shown } = await loadJobConfig(manifest, options);
  const state = await readRenderState(manifestAbs, config, shown, options.emulator ?? false);
  const ffmpeg = ffmpegBinary(options.env ?? process.env);
  if (!(await ffmpegVersion(ffmpeg))) {
    throw new UserError('config', 'ffmpeg-missing', `pixverse animatic joins the videos with ffmpeg, which was not found (${ffmpeg})`, FFMPEG_INSTALL_HINT);
  }
  const { plans } = state.manifest;
  const ids = new Set(plans.map((p) => p.shotId));
  const selectors = parseSelectors(options.only ?? [], ids);
  const chosen = selectShots(plans, (p) => p.shotId, selectors);
  if (chosen.unmatched.length) {
    throw new UserError('invalid-input', 'unknown-shot', `--only ${chosen.unmatched.join(', ')} matches no shot of ${shown}`, `shots: ${[...ids].slice(0, 8).join(', ')}${ids.size > 8 ? ', …' : ''}`);
  }
  const outputDir = state.space.outputDir;
  const lock = state.lock.lock;
  const states = shotStates(chosen.selected, state.ledger, lock, await inspectOutputs(outputDir, videoChecks(chosen.selected, state.ledger, lock)));
  const clips: AnimaticClip[] = [];
  const left: AnimaticOutcome['left'] = [];
  let firstFps: number | null = null;
  for (const s of states) {
    if (s.state !== 'current' || !s.video) {
      left.push({ id: s.shotId, why: `${s.state}: ${s.detail}` });
      continue;
    }
    const facts = await measureVideo(path.join(outputDir, s.video.file)).catch((e: unknown) => e as Error);
    if (facts instanceof Error) left.push({ id: s.shotId, why: `its video cannot be read (${facts.message})` });
    else {
      if (clips.length === 0) firstFps = facts.fps;
      clips.push({ id: s.shotId, file: s.video.file, sha256: s.video.sha256, width: facts.width, height: facts.height, duration: facts.duration, audio: facts.audio });
    }
  }
  if (clips.length === 0) {
    throw new UserError('invalid-input', 'nothing-to-join', `no selected shot of ${shown} has a current video to join`, `\`pixverse run ${shown}\` renders them; \`pixverse status ${shown}\` shows where each stands`);
  }
  const size = options.size ?? commonSize(clips);
  const shape = { ...size, fps: options.fps ?? (firstFps ? Math.round(firstFps) : 24), labels: options.labels ?? false };
  const { sha256 } = await writeAnimaticVideo(ffmpeg, outputDir, ANIMATIC_FILE, clips, shape);
  const made = await measureVideo(path.join(outputDir, ANIMATIC_FILE));
  const record: AnimaticRecord = {
    version: 1,
    file: ANIMATIC_FILE,
    made_at: (options.now ?? (() => new Date()))().toISOString(),
    ...shape,
    only: selectors.length ? selectors : null,
    duration: made.duration,
    sha256,
    shots: clips.map((c) => ({ id: c.id, file: c.file, sha256: c.sha256, duration: c.duration })),
  };
  await writeAnimaticRecord(outputDir, record);
  const file = path.join(outputDir, ANIMATIC_FILE);
  return { file, shownFile: displayPath(options.cwd ?? process.cwd(), file), record, left };
}

export interface AnimaticStatus {
  file: string;
  stale: boolean;
  /** Why it is stale (empty when up to date). */
  reasons: string[];
  shots: number;
  madeAt: string;
}

/** The animatic of this run folder, if one was made: stale or not, and why (`hash`: check the film's sha256). */
export async function animaticStatus(outputDir: string, states: readonly ShotState[], hash: boolean): Promise<AnimaticStatus | undefined> {
  const found = await readAnimatic(outputDir, hash);
  if (!found) return undefined;
  const current = states.map((s) => ({ id: s.shotId, state: s.state, ...(s.video ? { sha256: s.video.sha256 } : {}) }));
  const reasons = animaticStaleness(found.record, current, found.file);
  return { file: found.record.file, stale: reasons.length > 0, reasons, shots: found.record.shots.length, madeAt: found.record.made_at };
}
