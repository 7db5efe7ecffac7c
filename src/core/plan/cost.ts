// Billable seconds and estimated cost. DashScope bills video by output seconds per resolution
// tier (some models also the input video's seconds: catalog `billing`). Prices come from config
// when configured, else from the catalog's documented price for the region requests go to.
import type { ModelEntry } from '../catalog/model-entry.js';
import { TIERS, type PlannedRequest, type Region, type Tier } from '../types.js';

/** Prices per second of output, per tier, keyed by exact model name or by family. */
export interface PriceTable {
  /** Currency code for display, e.g. `CNY`. */
  currency: string;
  /** Model name or family (`pixverse-v6`, `wan2.6`) → tier → price per billed second. */
  perSecond: Readonly<Record<string, Partial<Record<Tier, number>>>>;
}

/**
 * Price per second for a model at a tier: the configured price (exact model name first, then its
 * family); else the catalog's, for its region only and never mixed into another currency; with
 * sound or without as the request says (unknown: the higher price, which a budget can trust).
 */
export function pricePerSecond(prices: PriceTable | undefined, model: ModelEntry, tier: Tier, audio?: boolean, region?: Region, mediaTypes: readonly string[] = []): number | undefined {
  const configured = prices?.perSecond[model.name]?.[tier] ?? prices?.perSecond[model.family]?.[tier];
  if (configured !== undefined) return configured;
  const catalog = model.price;
  if (!catalog || region === undefined || catalog.region !== region) return undefined;
  if (prices && prices.currency !== catalog.currency) return undefined;
  const table = catalog.withMedia && catalog.withMedia.types.some((t) => mediaTypes.includes(t)) ? catalog.withMedia.perSecond : catalog.perSecond;
  const p = table[tier];
  if (p === undefined) return undefined;
  if (typeof p === 'number') return p;
  return audio === false ? p.silent : p.audio;
}

export interface PlanSummary {
  shots: number;
  billableSeconds: number;
  /** Billable seconds per tier, tiers in ascending order. */
  secondsByTier: Partial<Record<Tier, number>>;
  /** Sum of the priced shots' costs; undefined when no shot has a price. */
  estimatedCost?: number;
  currency?: string;
  /** Shots without a price (their cost is not in estimatedCost). */
  unpricedShots: string[];
  /** How many shots use a seed derived from their id. */
  derivedSeeds: number;
}

export function summarizePlans(plans: readonly PlannedRequest[], currency?: string): PlanSummary {
  const byTier: Partial<Record<Tier, number>> = {};
  let seconds = 0;
  let cost: number | undefined;
  const unpriced: string[] = [];
  let derived = 0;
  for (const p of plans) {
    seconds += p.billableSeconds;
    byTier[p.tier] = (byTier[p.tier] ?? 0) + p.billableSeconds;
    if (p.estimatedCost === undefined) unpriced.push(p.shotId);
    else cost = (cost ?? 0) + p.estimatedCost;
    if (p.seedDerived) derived++;
  }
  const secondsByTier: Partial<Record<Tier, number>> = {};
  for (const t of TIERS) if (byTier[t] !== undefined) secondsByTier[t] = byTier[t];
  return {
    shots: plans.length,
    billableSeconds: seconds,
    secondsByTier,
    ...(cost !== undefined ? { estimatedCost: roundMoney(cost) } : {}),
    ...(cost !== undefined && currency ? { currency } : {}),
    unpricedShots: unpriced,
    derivedSeeds: derived,
  };
}

/** Costs are estimates: keep 4 decimals so sums of small prices do not show float noise. */
export function roundMoney(value: number): number {
  return Math.round(value * 10000) / 10000;
}
