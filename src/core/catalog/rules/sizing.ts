// Sizing in its five forms: a size table, a resolution tier (optionally narrowed by a size), a
// resolution plus an aspect ratio, Kling's mode plus aspect_ratio, or none (the output follows the
// input). Returns the tier, for the duration rules and for billing.
import type { Tier } from '../../types.js';
import { DISPUTES, disputeMessage } from '../disputes.js';
import { nearestRatio, nearestSizes, nearestTierForSize, parseSize, sizesOfTier, tierOfSize, tiersOf } from '../lookup.js';
import type { ModeSizing, ModelEntry, RatioSizing, ResolutionSizing, SizeSizing } from '../model-entry.js';
import type { RequestView } from './problems.js';
import { orList, type Problems } from './report.js';

/** Every sizing field any model takes; a model refuses the ones its form does not use. */
export const SIZING_FIELDS = ['size', 'resolution', 'ratio', 'aspect_ratio', 'mode'] as const;

export function checkSizing(model: ModelEntry, view: RequestView, p: Problems): Tier | undefined {
  const s = model.sizing;
  switch (s.kind) {
    case 'size':
      refuseOthers(model, view, p, ['size']);
      return sizeTable(model, s, view, p);
    case 'resolution':
      refuseOthers(model, view, p, s.sizes ? ['resolution', 'size'] : ['resolution']);
      return resolutionTier(model, s, view, p);
    case 'resolution-ratio': {
      refuseOthers(model, view, p, ['resolution', s.ratioField]);
      const tier = resolutionTier(model, s, view, p);
      ratio(model, s, view, p);
      return tier;
    }
    case 'mode-aspect':
      refuseOthers(model, view, p, ['mode', 'aspect_ratio']);
      return modeAspect(model, s, view, p);
    case 'input':
      refuseOthers(model, view, p, []);
      return s.tier;
  }
}

/** Sizing fields of another form: named with the field this model uses instead. */
function refuseOthers(model: ModelEntry, view: RequestView, p: Problems, own: readonly string[]): void {
  const s = model.sizing;
  for (const field of SIZING_FIELDS) {
    const value = view.get(field);
    if (value === undefined || own.includes(field)) continue;
    const text = typeof value === 'string' ? value : undefined;
    const code = `${field.replace('_', '-')}-not-accepted`;
    switch (s.kind) {
      case 'size': {
        const asTier = field === 'resolution' && text ? normaliseTier(text) : undefined;
        const examples = asTier ? sizesOfTier(model, asTier) : [];
        p.notTaken(
          field,
          field === 'resolution' ? `${model.name} takes size (W*H), not resolution` : `${model.name} takes size (W*H), not ${field}`,
          examples.length ? `use size instead, e.g. size: ${examples[0]} (${asTier} sizes: ${examples.join(', ')})` : `use size: W*H from the ${tiersOf(model).join('/')} table`,
          code,
        );
        break;
      }
      case 'resolution': {
        const nearest = field === 'size' && text ? nearestTierForSize(text, s.tiers) : undefined;
        p.notTaken(
          field,
          field === 'size'
            ? `${model.name} takes resolution, not size (the output follows the image's aspect ratio)`
            : `${model.name} takes resolution, not ${field} (the output follows the input's aspect ratio)`,
          `use resolution: ${nearest ?? s.tiers.at(-1)} (allowed: ${s.tiers.join('|')})`,
          code,
        );
        break;
      }
      case 'resolution-ratio': {
        const tier = field === 'size' && text ? nearestTierForSize(text, s.tiers) : undefined;
        const r = field === 'size' && text ? nearestRatio(text, s.ratios) : undefined;
        p.notTaken(
          field,
          `${model.name} takes resolution and ${s.ratioField}, not ${field}`,
          field === 'size' && tier && r
            ? `use resolution: ${tier} and ${s.ratioField}: '${r}'`
            : `use ${s.ratioField}: one of ${s.ratios.join(', ')}${field === 'ratio' || field === 'aspect_ratio' ? ` (${model.vendor}'s name is ${s.ratioField})` : ''}`,
          code,
        );
        break;
      }
      case 'mode-aspect': {
        const modes = Object.entries(s.modes).map(([m, t]) => `${m} (${t})`).join(', ');
        const r = field === 'size' && text ? nearestRatio(text, s.ratios) : undefined;
        p.notTaken(
          field,
          `${model.name} takes mode and aspect_ratio, not ${field}`,
          field === 'resolution' || field === 'size'
            ? `use mode: ${modes}${r ? ` and aspect_ratio: '${r}'` : ''} — a ${field} alone would be ignored by the service`
            : `use aspect_ratio: one of ${s.ratios.join(', ')}`,
          code,
        );
        break;
      }
      case 'input':
        p.notTaken(field, `${model.name} takes no ${field}: the output follows the input video`, `remove ${field}`, code);
        break;
    }
  }
}

function sizeTable(model: ModelEntry, s: SizeSizing, view: RequestView, p: Problems): Tier | undefined {
  const size = view.get('size');
  if (size === undefined) {
    if (s.serverDefault !== undefined) return tierOfSize(model, s.serverDefault);
    if (view.get('resolution') === undefined || p.wire) {
      p.error('size-missing', 'required', {}, p.wire ? required('parameters.size', model) : `${model.name} needs size`, `add size: W*H, e.g. ${sizesOfTier(model, '720P').join(', ')} (720P)`);
    }
    return undefined;
  }
  if (typeof size !== 'string') {
    p.wrongType({ field: 'size' }, 'Field "size" must be a string like "1280*720".', 'write size: W*H');
    return undefined;
  }
  return sizeInTable(model, size, p);
}

function sizeInTable(model: ModelEntry, size: string, p: Problems, tier?: Tier): Tier | undefined {
  const found = tierOfSize(model, size);
  if (found && (tier === undefined || found === tier)) return found;
  if (found && tier !== undefined) {
    // Vidu: the size must belong to the chosen resolution's row.
    p.error('size-not-in-table', 'size', { field: 'size' }, `size ${size} belongs to ${found}, not to resolution ${tier}, on ${model.name}`, `use resolution: ${found}, or a ${tier} size: ${sizesOfTier(model, tier).join(', ')}`);
    return tier;
  }
  const written = parseSize(size);
  const normalised = written ? `${written.w}*${written.h}` : undefined;
  if (normalised && tierOfSize(model, normalised)) {
    p.error('size-format', 'size', { field: 'size' }, `size '${size}' must be written W*H`, `write size: ${normalised}`);
    return tierOfSize(model, normalised);
  }
  if (p.wire) {
    p.error('size-not-in-table', 'size', { field: 'size' }, `The size is not match the allowed sizes of model ${model.name}: "${size}".`, 'use a size from the table');
    return undefined;
  }
  const nearest = nearestSizes(model, size);
  const nearestTier = nearest[0] ? tierOfSize(model, nearest[0]) : undefined;
  const named = nearest.map((n) => `${n} (${tierOfSize(model, n)})`);
  p.error(
    'size-not-in-table',
    'size',
    { field: 'size' },
    `size ${size} is not in the size table of ${model.name}`,
    nearestTier
      ? `${named.length > 1 ? `nearest allowed sizes: ${named.join(' or ')}` : `nearest allowed size: ${named[0]}`}; ${nearestTier} sizes: ${sizesOfTier(model, nearestTier).join(', ')}`
      : `allowed sizes: ${tiersOf(model).map((t) => `${t} ${sizesOfTier(model, t).join(', ')}`).join('; ')}`,
  );
  return undefined;
}

function resolutionTier(model: ModelEntry, s: ResolutionSizing | RatioSizing, view: RequestView, p: Problems): Tier | undefined {
  const resolution = view.get('resolution');
  let tier: Tier | undefined;
  const sizeTier = s.kind === 'resolution' && s.sizes && typeof view.get('size') === 'string' ? tierOfSize(model, view.get('size') as string) : undefined;
  if (resolution === undefined) {
    // Vidu: a size from the table says its tier; the planner then writes that resolution.
    if (sizeTier) tier = sizeTier;
    else if (s.serverDefault) tier = s.serverDefault;
    else if (p.wire || view.get('size') === undefined) {
      p.error('resolution-missing', 'required', {}, p.wire ? required('parameters.resolution', model) : `${model.name} needs resolution`, `add resolution: one of ${s.tiers.join('|')}`);
    }
  } else if (typeof resolution !== 'string') {
    p.wrongType({ field: 'resolution' }, 'Field "resolution" must be a string such as "720P".', 'write resolution: 720P');
  } else if ((s.tiers as readonly string[]).includes(resolution)) {
    tier = resolution as Tier;
    const dispute = s.kind === 'resolution' ? s.disputedTiers?.[tier] : undefined;
    if (dispute && p.ctx.disputes === 'warn') {
      // One official page allows this tier and another does not: sent as written, with a warning.
      const d = disputeMessage(DISPUTES[dispute]);
      p.warn('disputed-rule', 'resolution', { field: 'resolution' }, d.message, d.hint);
    } else if (dispute && p.ctx.disputes === 'strict') {
      const allowed = s.tiers.filter((t) => !(s.kind === 'resolution' && s.disputedTiers?.[t]));
      p.error('resolution-not-allowed', 'resolution', { field: 'resolution' }, `The resolution "${resolution}" is not supported by model ${model.name}; allowed: ${allowed.join(', ')}.`, `use resolution: ${allowed.join('|')}`);
      return undefined;
    }
  } else {
    const normalised = p.wire ? undefined : normaliseTier(resolution);
    if (normalised && s.tiers.includes(normalised)) {
      p.error('resolution-format', 'resolution', { field: 'resolution' }, `resolution '${resolution}' must be written ${normalised}`, `write resolution: ${normalised}`);
      tier = normalised;
    } else {
      const message = p.wire
        ? `The resolution "${resolution}" is not supported by model ${model.name}; allowed: ${s.tiers.join(', ')}.`
        : `resolution ${resolution} is not available for ${model.name} (allowed: ${s.tiers.join(', ')})`;
      p.error('resolution-not-allowed', 'resolution', { field: 'resolution' }, message, `use resolution: ${s.tiers.join('|')}`);
    }
  }
  if (s.kind === 'resolution' && s.sizes) {
    const size = view.get('size');
    if (typeof size === 'string' && tier) sizeInTable(model, size, p, tier);
    else if (size !== undefined && typeof size !== 'string') p.wrongType({ field: 'size' }, 'Field "size" must be a string like "1280*720".');
  }
  return tier;
}

function ratio(model: ModelEntry, s: RatioSizing, view: RequestView, p: Problems): void {
  const field = s.ratioField;
  const value = view.get(field);
  if (value === undefined) {
    if (s.ratioRequired) p.error(`${field.replace('_', '-')}-missing`, 'required', {}, p.wire ? required(`parameters.${field}`, model) : `${model.name} needs ${field}`, `add ${field}: one of ${s.ratios.join(', ')}`);
    return;
  }
  if (typeof value !== 'string') {
    p.wrongType({ field }, `Field "${field}" must be a string such as "16:9".`, `write ${field}: '16:9' (quoted)`);
    return;
  }
  if (!s.ratios.includes(value)) {
    p.error('ratio-not-allowed', 'parameter', { field }, `${field} ${value} is not available for ${model.name} (allowed: ${s.ratios.join(', ')})`, `use ${field}: one of ${s.ratios.join(', ')}`);
  }
}

function modeAspect(model: ModelEntry, s: ModeSizing, view: RequestView, p: Problems): Tier | undefined {
  const mode = view.get('mode');
  let tier: Tier | undefined;
  const modes = Object.keys(s.modes);
  if (mode === undefined) tier = s.modes[s.modeDefault];
  else if (typeof mode !== 'string') p.wrongType({ field: 'mode' }, 'Field "mode" must be a string.');
  else if (s.modes[mode] === undefined) {
    p.error('mode-not-allowed', 'parameter', { field: 'mode' }, `mode ${mode} is not available for ${model.name} (allowed: ${modes.join(', ')})`, `use mode: ${Object.entries(s.modes).map(([m, t]) => `${m} (${t})`).join(', ')}`);
  } else tier = s.modes[mode];
  const value = view.get('aspect_ratio');
  if (value === undefined) {
    const waived = s.ratioRequiredWithout?.some((type) => mediaTypesOf(view, model).includes(type));
    if (s.ratioRequiredWithout && !waived) {
      p.error('aspect-ratio-missing', 'required', {}, `${model.name} needs aspect_ratio${s.ratioRequiredWithout.length ? ` unless a ${orList(s.ratioRequiredWithout)} is given` : ''}`, `add aspect_ratio: one of ${s.ratios.join(', ')}`);
    }
  } else if (typeof value !== 'string') p.wrongType({ field: 'aspect_ratio' }, 'Field "aspect_ratio" must be a string such as "16:9".');
  else if (!s.ratios.includes(value)) {
    p.error('ratio-not-allowed', 'parameter', { field: 'aspect_ratio' }, `aspect_ratio ${value} is not available for ${model.name} (allowed: ${s.ratios.join(', ')})`, `use aspect_ratio: one of ${s.ratios.join(', ')}`);
  }
  return tier;
}

/** The media types a request carries (list shape), for rules that depend on them. */
export function mediaTypesOf(view: RequestView, model: ModelEntry): string[] {
  if (model.media.shape === 'list') {
    const media = view.get('media');
    return Array.isArray(media) ? media.flatMap((m) => (m && typeof m === 'object' && typeof (m as { type?: unknown }).type === 'string' ? [(m as { type: string }).type] : [])) : [];
  }
  if (model.media.shape === 'flat') return model.media.slots.filter((s) => typeof view.get(s.type) === 'string').map((s) => s.type);
  return [];
}

/** The wire's wording of a missing required parameter. */
export function required(path: string, model: ModelEntry): string {
  return `Required parameter "${path}" missing for model ${model.name}.`;
}

/** `720p`, `720` or `720P` → `720P`. */
export function normaliseTier(value: string): Tier | undefined {
  const m = /^\s*(360|480|540|720|768|1080)\s*[pP]?\s*$/.exec(value);
  if (m) return `${m[1]}P` as Tier;
  const k = /^\s*([24])\s*[kK]\s*$/.exec(value);
  return k ? (`${k[1]}K` as Tier) : undefined;
}
