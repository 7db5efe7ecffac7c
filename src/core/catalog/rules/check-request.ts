// One request against its model's rules, the same for a shot (validator) and a body (emulator):
// sizing, duration, prompt, media and parameters, every problem at once.
import type { Tier } from '../../types.js';
import type { ModelEntry } from '../model-entry.js';
import { checkDuration } from './duration.js';
import { checkMedia, type MediaItemView, type MediaOptions } from './media.js';
import { checkParams } from './params.js';
import type { CheckContext, RequestView, RuleProblem } from './problems.js';
import { checkPrompt } from './prompt.js';
import { Problems } from './report.js';
import { checkSizing } from './sizing.js';

export interface CheckResult {
  problems: RuleProblem[];
  /** The request's tier, when it could be derived (for durations, billing, usage). */
  tier?: Tier;
  /** The media items of the types the model takes. */
  items: MediaItemView[];
}

export function checkRequest(model: ModelEntry, view: RequestView, ctx: CheckContext, opts: MediaOptions = {}): CheckResult {
  const p = new Problems(ctx);
  const tier = checkSizing(model, view, p);
  checkDuration(model, view, tier, p);
  checkPrompt(model, view, p);
  const items = checkMedia(model, view, p, opts);
  checkParams(model, view, p);
  return { problems: p.list, ...(tier ? { tier } : {}), items };
}
