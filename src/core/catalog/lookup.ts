// Questions the validator, the planner, the emulator and the schema generator ask of the
// catalog, answered from the data alone.
import type { Tier, Variant } from '../types.js';
import type { DurationRule, ModelEntry, ParamRule, SizeTable } from './model-entry.js';
import { MODELS } from './models.js';
import { closest } from './suggest.js';

/** Short side in pixels of each tier, used to map a `W*H` size onto a tier. */
const TIER_SHORT_SIDE: Readonly<Record<Tier, number>> = {
  '360P': 360,
  '480P': 480,
  '540P': 540,
  '720P': 720,
  '768P': 768,
  '1080P': 1080,
  '2K': 1440,
  '4K': 2160,
};

export function findModel(name: string): ModelEntry | undefined {
  return MODELS.get(name);
}

export function modelNames(): string[] {
  return [...MODELS.keys()];
}

/** The size table a model's `size` values come from, if it takes `size`. */
export function sizeTableOf(model: ModelEntry): SizeTable | undefined {
  const s = model.sizing;
  if (s.kind === 'size') return s.tiers;
  if (s.kind === 'resolution') return s.sizes;
  return undefined;
}

/** Tier of a `W*H` size in the model's size table, or undefined when the size is not in it. */
export function tierOfSize(model: ModelEntry, size: string): Tier | undefined {
  const table = sizeTableOf(model);
  if (!table) return undefined;
  for (const [tier, sizes] of Object.entries(table)) {
    if (sizes?.includes(size)) return tier as Tier;
  }
  return undefined;
}

/** Durations allowed at a tier, as a list when the rule is a list, else undefined (range rule). */
export function allowedDurations(rule: Omit<DurationRule, 'withMedia'>, tier: Tier | undefined): readonly number[] | undefined {
  if (tier && rule.byTier?.[tier]) return rule.byTier[tier];
  return rule.values;
}

/** The parameter rule of a field, if the model takes it as an optional parameter. */
export function paramOf(model: ModelEntry, name: string): ParamRule | undefined {
  return model.params.find((p) => p.name === name);
}

/** The exact model name closest to a misspelt one, or undefined when nothing is close. */
export function suggestModel(name: string): string | undefined {
  // `pixverse-v6-t2v` without its `pixverse/` provider prefix is a common slip.
  for (const exact of MODELS.keys()) if (exact.endsWith(`/${name}`)) return exact;
  return closest(name, MODELS.keys());
}

/** Another model of the same family with the given variant (e.g. v6-t2v → v6-it2v). */
export function siblingModel(model: ModelEntry, variant: Variant): ModelEntry | undefined {
  for (const m of MODELS.values()) if (m.family === model.family && m.variant === variant) return m;
  return undefined;
}

/** Tiers the model accepts, from its size table, its resolution list or its modes. */
export function tiersOf(model: ModelEntry): Tier[] {
  const s = model.sizing;
  switch (s.kind) {
    case 'size':
      return Object.keys(s.tiers) as Tier[];
    case 'resolution':
    case 'resolution-ratio':
      return [...s.tiers];
    case 'mode-aspect':
      return [...new Set(Object.values(s.modes))];
    case 'input':
      return s.tier ? [s.tier] : [];
  }
}

export function parseSize(size: string): { w: number; h: number } | undefined {
  const m = /^(\d{2,5})\s*[*xX×]\s*(\d{2,5})$/.exec(size.trim());
  return m ? { w: Number(m[1]), h: Number(m[2]) } : undefined;
}

/** The tier among `tiers` whose short side is nearest to the short side of a `W*H` size. */
export function nearestTierForSize(size: string, tiers: readonly Tier[]): Tier | undefined {
  const parsed = parseSize(size);
  if (!parsed || tiers.length === 0) return undefined;
  const short = Math.min(parsed.w, parsed.h);
  let best = tiers[0]!;
  for (const t of tiers) if (Math.abs(TIER_SHORT_SIDE[t] - short) < Math.abs(TIER_SHORT_SIDE[best] - short)) best = t;
  return best;
}

/** The allowed size nearest to what was asked: same orientation and closest aspect ratio, then closest area. */
export function nearestSize(model: ModelEntry, size: string): string | undefined {
  const table = sizeTableOf(model);
  if (!table) return undefined;
  const all = Object.values(table).flatMap((s) => s ?? []);
  const asked = parseSize(size);
  if (!asked) return undefined;
  const ratio = Math.log(asked.w / asked.h);
  const area = Math.log(asked.w * asked.h);
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of all) {
    const c = parseSize(candidate)!;
    const score = Math.abs(Math.log(c.w / c.h) - ratio) * 4 + Math.abs(Math.log(c.w * c.h) - area);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/**
 * Sizes worth suggesting for one that is not in the table: when the table has the same aspect
 * ratio (within 1%) in sizes both smaller and larger than the one asked, the two around it
 * (1108*830 on v5.6-t2v → 1024*768 and 1280*960), the one nearer in area first; otherwise the
 * single nearest size.
 */
export function nearestSizes(model: ModelEntry, size: string): string[] {
  const nearest = nearestSize(model, size);
  const asked = parseSize(size);
  const table = sizeTableOf(model);
  if (!table || !asked || !nearest) return nearest ? [nearest] : [];
  const ratio = asked.w / asked.h;
  const area = asked.w * asked.h;
  let below: { size: string; area: number } | undefined;
  let above: { size: string; area: number } | undefined;
  for (const candidate of Object.values(table).flatMap((s) => s ?? [])) {
    const c = parseSize(candidate)!;
    if (Math.abs(Math.log(c.w / c.h / ratio)) > 0.01) continue;
    const a = c.w * c.h;
    if (a < area && (!below || a > below.area)) below = { size: candidate, area: a };
    if (a > area && (!above || a < above.area)) above = { size: candidate, area: a };
  }
  if (!below || !above) return [nearest];
  return Math.log(area / below.area) <= Math.log(above.area / area) ? [below.size, above.size] : [above.size, below.size];
}

/** Sizes of one tier, for hints ("720P sizes: 1280*720, …"). */
export function sizesOfTier(model: ModelEntry, tier: Tier): readonly string[] {
  return sizeTableOf(model)?.[tier] ?? [];
}

/** The aspect ratio of a `W*H` size closest to one of `ratios` ("16:9"), for hints. */
export function nearestRatio(size: string, ratios: readonly string[]): string | undefined {
  const asked = parseSize(size);
  if (!asked || ratios.length === 0) return undefined;
  const value = (r: string) => {
    const [w, h] = r.split(':').map(Number);
    return w && h ? Math.log(w / h) : Number.NaN;
  };
  const target = Math.log(asked.w / asked.h);
  let best: string | undefined;
  for (const r of ratios) {
    const v = value(r);
    if (Number.isNaN(v)) continue;
    if (best === undefined || Math.abs(v - target) < Math.abs(value(best) - target)) best = r;
  }
  return best;
}

/** The parameters with a server default and the default each is pinned to, by name. */
export function pinnedDefaults(model: ModelEntry): Record<string, boolean | string | number> {
  const out: Record<string, boolean | string | number> = {};
  for (const p of model.params) if (p.serverDefault !== undefined) out[p.name] = p.serverDefault;
  return out;
}
