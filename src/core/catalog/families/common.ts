// Parameter rules several vendors share word for word.
import type { ParamRule } from '../model-entry.js';

/** "随机数种子，取值范围为[0, 2147483647]"; derived from the shot id when the shot gives none. */
export const SEED: ParamRule = {
  name: 'seed',
  type: 'integer',
  min: 0,
  max: 2147483647,
  derive: 'seed',
  doc: 'Seed 0–2147483647; derived from the shot id when omitted.',
};

export const MB = 1024 * 1024;
