// Duration: a range or a list, narrower at some tiers, different with some media (Kling with a
// video), special values (0 = the input's length), or no duration parameter at all.
import type { Tier } from '../../types.js';
import { allowedDurations } from '../lookup.js';
import type { DurationRule, ModelEntry } from '../model-entry.js';
import type { RequestView } from './problems.js';
import { orList, type Problems } from './report.js';
import { mediaTypesOf, required } from './sizing.js';

/** The rule in force for this request: the media-specific one when its media are given. */
export function durationRuleFor(model: ModelEntry, mediaTypes: readonly string[]): Omit<DurationRule, 'withMedia'> {
  const w = model.duration.withMedia;
  return w && w.types.some((t) => mediaTypes.includes(t)) ? w.rule : model.duration;
}

export function checkDuration(model: ModelEntry, view: RequestView, tier: Tier | undefined, p: Problems): void {
  const duration = view.get('duration');
  if (model.duration.none) {
    if (duration !== undefined) p.notTaken('duration', `${model.name} takes no duration: the output is as long as its input`, 'remove duration');
    return;
  }
  const types = mediaTypesOf(view, model);
  const rule = durationRuleFor(model, types);
  const withMedia = rule !== model.duration ? ` with a ${orList(model.duration.withMedia!.types)}` : '';
  if (duration === undefined) {
    if (rule.serverDefault === undefined) p.error('duration-missing', 'required', {}, p.wire ? required('parameters.duration', model) : `${model.name} needs duration`, `add duration: ${describeDurations(rule, tier)}`);
    return;
  }
  if (typeof duration !== 'number' || !Number.isInteger(duration)) {
    p.wrongType({ field: 'duration' }, `Field "${p.wire ? 'parameters.' : ''}duration" must be an integer number of seconds.`, 'write duration: 5 (a whole number)');
    return;
  }
  if (rule.special?.[duration] !== undefined) return;
  const list = allowedDurations(rule, tier);
  if (list) {
    if (list.includes(duration)) return;
    const atTier = tier && rule.byTier?.[tier] ? ` at ${tier}` : '';
    // The narrower list belongs to a tier: a lower size or resolution widens it.
    const lower = model.sizing.kind === 'size' ? 'a lower size' : 'a lower resolution';
    p.error(
      'duration-not-allowed',
      'duration',
      { field: 'duration' },
      p.wire
        ? `The duration ${duration} is not supported by model ${model.name}${atTier}${withMedia}; allowed: ${list.join(', ')}.`
        : `duration ${duration} is not allowed for ${model.name}${atTier}${withMedia} (allowed: ${list.join(', ')})`,
      `use duration ${orList(list)}${atTier ? `, or ${lower}` : ''}${specialHint(rule)}`,
    );
    return;
  }
  const min = rule.min ?? 1;
  const max = rule.max ?? Number.POSITIVE_INFINITY;
  if (duration < min || duration > max) {
    p.error(
      'duration-not-allowed',
      'duration',
      { field: 'duration' },
      p.wire
        ? `The duration ${duration} is out of range for model ${model.name}${withMedia}; allowed: ${min}-${max}.`
        : `duration ${duration} is out of range for ${model.name}${withMedia} (allowed: ${min}–${max} seconds)`,
      `use a duration from ${min} to ${max}${specialHint(rule)}`,
    );
  }
}

function specialHint(rule: Omit<DurationRule, 'withMedia'>): string {
  const special = Object.entries(rule.special ?? {});
  return special.length ? `, or ${special.map(([v, why]) => `${v} (${why})`).join(', ')}` : '';
}

export function describeDurations(rule: Omit<DurationRule, 'withMedia'>, tier: Tier | undefined): string {
  const list = allowedDurations(rule, tier);
  return list ? orList(list) : `${rule.min ?? 1}–${rule.max} seconds`;
}
