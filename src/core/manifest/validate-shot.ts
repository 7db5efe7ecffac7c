// The rules of one expanded shot, all driven by its catalog entry: model name, region, size or
// resolution, duration, prompt, optional parameters, seed, compatibility fields and media.
// Values of the wrong type are skipped here: the schema check has already reported them.
import { allowedDurations, findModel, modelNames, tierOfSize } from '../catalog/models.js';
import { acceptsParameter, nearestSizes, nearestTierForSize, parseSize, sizesOfTier, suggestModel, tiersOf } from '../catalog/lookup.js';
import type { ModelEntry } from '../catalog/model-entry.js';
import { DISPUTES, disputeMessage } from '../catalog/disputes.js';
import type { Region, Tier } from '../types.js';
import type { ExpandedShot } from './manifest-types.js';
import type { ShotReport } from './shot-report.js';
import { validateMedia, type LocalFiles } from './validate-media.js';

export interface ValidateContext {
  /** The region requests go to (config `region`); the model must be hosted there. */
  region: Region;
  /** Facts about local media files, keyed by url as written; omit to skip file checks. */
  localFiles?: LocalFiles;
}

const OPTIONAL_PARAMETERS = ['audio', 'watermark', 'shot_type', 'prompt_extend'] as const;

export function validateShot(es: ExpandedShot, ctx: ValidateContext, r: ShotReport): void {
  const shot = es.shot;
  if (shot.model === undefined) {
    r.error('model-missing', undefined, 'shot has no model', `add model: <name> to the shot or to defaults (one of: ${modelNames().join(', ')})`);
    return;
  }
  if (typeof shot.model !== 'string') return;
  const model = findModel(shot.model);
  if (!model) {
    const suggestion = suggestModel(shot.model);
    r.error(
      'model-unknown',
      'model',
      `unknown model '${shot.model}'`,
      suggestion ? `did you mean '${suggestion}'?` : `use an exact model name: ${modelNames().join(', ')}`,
    );
    return;
  }
  if (!model.regions.includes(ctx.region)) {
    r.error(
      'region-not-hosted',
      'model',
      `${model.name} is not available in ${ctx.region} (hosted in: ${model.regions.join(', ')})`,
      `set region: '${model.regions[0]}' in pixverse.config.ts (or PIXVERSE_REGION), or pick a model hosted in ${ctx.region}`,
    );
  }
  const tier = checkFrame(model, es, r);
  checkDuration(model, shot.duration, tier, r);
  checkPrompt(model, shot.prompt, r);
  checkParameters(model, es, r);
  checkSeedRange(model, shot.seed, r);
  checkCompatFields(model, es, r);
  validateMedia(model, es, r, ctx.localFiles);
}

/** Size or resolution; returns the tier when it is known (for duration and billing rules). */
function checkFrame(model: ModelEntry, es: ExpandedShot, r: ShotReport): Tier | undefined {
  const { size, resolution } = es.shot;
  const frame = model.frame;
  if (frame.kind === 'size') {
    if (resolution !== undefined) {
      const asTier = typeof resolution === 'string' ? normaliseTier(resolution) : undefined;
      const examples = asTier ? sizesOfTier(model, asTier) : [];
      r.error(
        'resolution-not-accepted',
        'resolution',
        `${model.name} takes size (W*H), not resolution`,
        examples.length ? `use size instead, e.g. size: ${examples[0]} (${asTier} sizes: ${examples.join(', ')})` : `use size: W*H from the ${tiersOf(model).join('/')} table`,
      );
    }
    if (size === undefined) {
      if (resolution === undefined) {
        r.error('size-missing', undefined, `${model.name} needs size`, `add size: W*H, e.g. ${sizesOfTier(model, '720P').join(', ')} (720P)`);
      }
      return undefined;
    }
    if (typeof size !== 'string') return undefined;
    const tier = tierOfSize(model, size);
    if (tier) return tier;
    const written = parseSize(size);
    const normalised = written ? `${written.w}*${written.h}` : undefined;
    if (normalised && tierOfSize(model, normalised)) {
      r.error('size-format', 'size', `size '${size}' must be written W*H`, `write size: ${normalised}`);
      return tierOfSize(model, normalised);
    }
    const nearest = nearestSizes(model, size);
    const nearestTier = nearest[0] ? tierOfSize(model, nearest[0]) : undefined;
    const named = nearest.map((s) => `${s} (${tierOfSize(model, s)})`);
    r.error(
      'size-not-in-table',
      'size',
      `size ${size} is not in the size table of ${model.name}`,
      nearestTier
        ? `${named.length > 1 ? `nearest allowed sizes: ${named.join(' or ')}` : `nearest allowed size: ${named[0]}`}; ${nearestTier} sizes: ${sizesOfTier(model, nearestTier).join(', ')}`
        : `allowed sizes: ${tiersOf(model).map((t) => `${t} ${sizesOfTier(model, t).join(', ')}`).join('; ')}`,
    );
    return undefined;
  }
  // Resolution models (it2v, kf2v, Wan).
  if (size !== undefined) {
    const nearest = typeof size === 'string' ? nearestTierForSize(size, frame.tiers) : undefined;
    r.error(
      'size-not-accepted',
      'size',
      `${model.name} takes resolution, not size (the output follows the image's aspect ratio)`,
      `use resolution: ${nearest ?? frame.tiers.at(-1)} (allowed: ${frame.tiers.join('|')})`,
    );
  }
  if (resolution === undefined) {
    if (frame.serverDefault) return frame.serverDefault;
    if (size === undefined) r.error('resolution-missing', undefined, `${model.name} needs resolution`, `add resolution: one of ${frame.tiers.join('|')}`);
    return undefined;
  }
  if (typeof resolution !== 'string') return undefined;
  if ((frame.tiers as readonly string[]).includes(resolution)) {
    const dispute = frame.disputedTiers?.[resolution as Tier];
    if (dispute) {
      // One official page allows this tier and another does not: sent as written, with a warning.
      const d = disputeMessage(DISPUTES[dispute]);
      r.warn('disputed-rule', 'resolution', d.message, d.hint);
    }
    return resolution as Tier;
  }
  const normalised = normaliseTier(resolution);
  if (normalised && frame.tiers.includes(normalised)) {
    r.error('resolution-format', 'resolution', `resolution '${resolution}' must be written ${normalised}`, `write resolution: ${normalised}`);
    return normalised;
  }
  r.error(
    'resolution-not-allowed',
    'resolution',
    `resolution ${resolution} is not available for ${model.name} (allowed: ${frame.tiers.join(', ')})`,
    `use resolution: ${frame.tiers.join('|')}`,
  );
  return undefined;
}

/** `720p`, `720` or `720P` → `720P`. */
function normaliseTier(value: string): Tier | undefined {
  const m = /^\s*(360|480|540|720|1080)\s*[pP]?\s*$/.exec(value);
  return m ? (`${m[1]}P` as Tier) : undefined;
}

function checkDuration(model: ModelEntry, duration: unknown, tier: Tier | undefined, r: ShotReport): void {
  const rule = model.duration;
  if (duration === undefined) {
    if (rule.serverDefault === undefined) r.error('duration-missing', undefined, `${model.name} needs duration`, `add duration: ${describeDurations(model, tier)}`);
    return;
  }
  if (typeof duration !== 'number' || !Number.isInteger(duration)) return;
  const list = allowedDurations(rule, tier);
  if (list) {
    if (list.includes(duration)) return;
    const atTier = tier && rule.byTier?.[tier] ? ` at ${tier}` : '';
    // The narrower list belongs to a tier: a lower size or resolution widens it.
    const elsewhere = atTier !== '';
    const lower = model.frame.kind === 'size' ? 'a lower size' : 'a lower resolution';
    r.error(
      'duration-not-allowed',
      'duration',
      `duration ${duration} is not allowed for ${model.name}${atTier} (allowed: ${list.join(', ')})`,
      `use duration ${orList(list)}${elsewhere ? `, or ${lower}` : ''}`,
    );
    return;
  }
  const min = rule.min ?? 1;
  const max = rule.max ?? Number.POSITIVE_INFINITY;
  if (duration < min || duration > max) {
    r.error('duration-not-allowed', 'duration', `duration ${duration} is out of range for ${model.name} (allowed: ${min}–${max} seconds)`, `use a duration from ${min} to ${max}`);
  }
}

function describeDurations(model: ModelEntry, tier: Tier | undefined): string {
  const list = allowedDurations(model.duration, tier);
  return list ? orList(list) : `${model.duration.min ?? 1}–${model.duration.max} seconds`;
}

function orList(values: readonly number[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

function checkPrompt(model: ModelEntry, prompt: unknown, r: ShotReport): void {
  if (prompt === undefined || (typeof prompt === 'string' && prompt.trim() === '')) {
    if (model.prompt.required) r.error('prompt-missing', prompt === undefined ? undefined : 'prompt', `${model.name} needs a prompt`, 'add prompt: <what happens in the shot>');
    return;
  }
  if (typeof prompt !== 'string') return;
  // Length in characters (code points); the cheap UTF-16 length is an upper bound.
  if (prompt.length > model.prompt.maxChars) {
    const chars = [...prompt].length;
    if (chars > model.prompt.maxChars) {
      r.warn('prompt-truncated', 'prompt', `prompt is ${chars} characters; ${model.name} reads at most ${model.prompt.maxChars} and the server silently truncates the rest`, `shorten the prompt to ${model.prompt.maxChars} characters`);
    }
  }
}

function checkParameters(model: ModelEntry, es: ExpandedShot, r: ShotReport): void {
  const shot = es.shot;
  if (shot.negative_prompt !== undefined) {
    if (!model.negativePrompt) {
      r.error('field-not-supported', 'negative_prompt', `${model.name} does not take negative_prompt`, unsupportedHint(model, 'negative_prompt', 'remove negative_prompt, or say what to avoid in the prompt'));
    } else if (typeof shot.negative_prompt === 'string' && [...shot.negative_prompt].length > model.negativePrompt.maxChars) {
      r.warn('negative-prompt-too-long', 'negative_prompt', `negative_prompt is ${[...shot.negative_prompt].length} characters; ${model.name} documents at most ${model.negativePrompt.maxChars}`, `shorten it to ${model.negativePrompt.maxChars} characters`);
    }
  }
  for (const field of OPTIONAL_PARAMETERS) {
    if (shot[field] === undefined || acceptsParameter(model, field)) continue;
    r.error('field-not-supported', field, `${model.name} does not take ${field}`, unsupportedHint(model, field, `remove ${field}`));
  }
  if (typeof shot.shot_type === 'string' && acceptsParameter(model, 'shot_type')) {
    if (shot.shot_type !== 'single' && shot.shot_type !== 'multi') {
      r.error('shot-type-invalid', 'shot_type', `shot_type must be single or multi, got '${shot.shot_type}'`, 'use shot_type: single or shot_type: multi');
    } else if (shot.shot_type === 'multi' && acceptsParameter(model, 'prompt_extend')) {
      // Wan: multi-shot is done by the prompt rewriter, so it does nothing without it.
      const extend = shot.prompt_extend ?? model.defaults.prompt_extend;
      if (extend === false) {
        r.warn('shot-type-ineffective', 'shot_type', `shot_type: multi has no effect on ${model.name} when prompt_extend is false`, 'set prompt_extend: true, or drop shot_type');
      }
    }
  }
}

function unsupportedHint(model: ModelEntry, field: string, fallback: string): string {
  return model.unsupportedHints?.[field] ?? fallback;
}

function checkSeedRange(model: ModelEntry, seed: unknown, r: ShotReport): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) return;
  if (seed < model.seed.min || seed > model.seed.max) {
    r.error('seed-out-of-range', 'seed', `seed ${seed} is out of range (${model.seed.min}–${model.seed.max})`, `use a seed from ${model.seed.min} to ${model.seed.max}, or omit it to derive one from the shot id`);
  }
}

/** The Wan skill's fps and motion_strength: accepted so its job files load, never sent. */
function checkCompatFields(model: ModelEntry, es: ExpandedShot, r: ShotReport): void {
  const { fps, motion_strength: motion } = es.shot;
  if (typeof fps === 'number' && fps !== model.fps) {
    r.warn(
      'field-not-sent',
      'fps',
      `fps ${fps} is not sent: DashScope has no fps parameter`,
      model.fps !== undefined ? `${model.name} delivers ${model.fps} fps; remove fps` : 'remove fps (the frame rate is chosen by the model)',
    );
  }
  if (typeof motion === 'number') {
    r.warn('field-not-sent', 'motion_strength', `motion_strength is not sent: DashScope has no such parameter`, 'describe the amount of motion in the prompt instead, and remove motion_strength');
  }
}
