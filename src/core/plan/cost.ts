// Billable seconds and estimated cost. DashScope bills video by output seconds per resolution
// tier (PixVerse `usage.duration`; Wan `duration` = input + output video seconds, input 0 here).
import { TIERS, type PlannedRequest, type Tier } from '../types.js';

/** Prices per second of output, per tier, keyed by exact model name or by family. */
export interface PriceTable {
  /** Currency code for display, e.g. `CNY`. */
  currency: string;
  /** Model name or family (`pixverse-v6`, `wan2.6`) → tier → price per billed second. */
  perSecond: Readonly<Record<string, Partial<Record<Tier, number>>>>;
}

/** Price per second for a model at a tier: exact model name first, then its family. */
export function pricePerSecond(prices: PriceTable | undefined, model: string, family: string, tier: Tier): number | undefined {
  if (!prices) return undefined;
  return prices.perSecond[model]?.[tier] ?? prices.perSecond[family]?.[tier];
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
