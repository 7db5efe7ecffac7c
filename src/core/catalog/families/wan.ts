// Wan (万相) video models, one file per generation: wan26.ts (2.6 and 2.5), wan27.ts, wan30.ts, wan22.ts;
// what they share is in wan-common.ts.
import type { ModelEntry } from '../model-entry.js';
import { WAN22_MODELS } from './wan22.js';
import { WAN26_MODELS } from './wan26.js';
import { WAN27_MODELS } from './wan27.js';
import { WAN30_MODELS } from './wan30.js';

export const WAN_MODELS: readonly ModelEntry[] = [...WAN26_MODELS, ...WAN27_MODELS, ...WAN30_MODELS, ...WAN22_MODELS];
