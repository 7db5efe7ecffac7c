// The model catalog: one entry per model, as data, one file per vendor family (families/).
// Adding a model is one entry plus its tests.
import type { ModelEntry } from './model-entry.js';
import { PIXVERSE_MODELS } from './families/pixverse.js';
import { PIXVERSE_TOOL_MODELS } from './families/pixverse-tools.js';
import { WAN_MODELS } from './families/wan.js';
import { HAPPYHORSE_MODELS } from './families/happyhorse.js';
import { KLING_MODELS } from './families/kling.js';
import { VIDU_MODELS } from './families/vidu.js';
import { MINIMAX_MODELS } from './families/minimax.js';

export { VIDEO_SYNTHESIS_PATH, IMAGE2VIDEO_PATH } from './families/paths.js';

/** Every model the tool knows, keyed by its exact DashScope name. */
export const MODELS: ReadonlyMap<string, ModelEntry> = new Map([...PIXVERSE_MODELS, ...PIXVERSE_TOOL_MODELS, ...WAN_MODELS, ...HAPPYHORSE_MODELS, ...KLING_MODELS, ...VIDU_MODELS, ...MINIMAX_MODELS].map((m) => [m.name, m]));
