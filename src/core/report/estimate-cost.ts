// Estimated cost from configured prices. Prices are the user's own figures (DashScope publishes
// them per model and resolution tier, per second of video); the tool never invents one.
import type { Tier } from '../types.js';

/**
 * Prices per billable second. The config's shape (src/core/plan/cost.ts `PriceTable`) is
 * `{ currency, perSecond: { "<model or family>": { "720P": 0.5 } } }`; a bare map of the same,
 * and a single number per model (every tier), are accepted too.
 */
export interface PriceTable {
  currency?: string;
  perSecond: Readonly<Record<string, number | Readonly<Partial<Record<Tier, number>>>>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads prices from config; anything unrecognised counts as "no prices" (cost stays null). */
export function readPriceTable(prices: unknown): PriceTable | undefined {
  if (!isRecord(prices)) return undefined;
  const currency = typeof prices['currency'] === 'string' ? prices['currency'] : undefined;
  const inner = isRecord(prices['perSecond']) ? prices['perSecond'] : isRecord(prices['models']) ? prices['models'] : prices;
  const perSecond: Record<string, number | Partial<Record<Tier, number>>> = {};
  for (const [model, value] of Object.entries(inner)) {
    if (model === 'currency') continue;
    if (typeof value === 'number' && Number.isFinite(value)) perSecond[model] = value;
    else if (isRecord(value)) {
      const tiers: Partial<Record<Tier, number>> = {};
      for (const [tier, price] of Object.entries(value)) if (typeof price === 'number' && Number.isFinite(price)) tiers[tier as Tier] = price;
      perSecond[model] = tiers;
    }
  }
  return { ...(currency ? { currency } : {}), perSecond };
}

/**
 * Cost of `seconds` of `model` at `tier`: the exact model's price first, then its family's (as
 * the planner's src/core/plan/cost.ts looks them up); undefined when neither is configured.
 */
export function costOf(table: PriceTable | undefined, model: string, family: string | undefined, tier: Tier | string | undefined, seconds: number): number | undefined {
  const lookup = (name: string | undefined): number | undefined => {
    const price = name === undefined ? undefined : table?.perSecond[name];
    if (price === undefined) return undefined;
    return typeof price === 'number' ? price : tier ? price[tier as Tier] : undefined;
  };
  const perSecond = lookup(model) ?? lookup(family);
  if (perSecond === undefined) return undefined;
  // Round to 1/10000 of the currency unit so sums print without float noise.
  return Math.round(perSecond * seconds * 10000) / 10000;
}
