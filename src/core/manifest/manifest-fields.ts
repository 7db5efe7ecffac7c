// The manifest's vocabulary in one place: top-level keys, shot fields, and which fields sweep.

export const TOP_LEVEL_KEYS = ['$schema', 'version', 'name', 'defaults', 'shots'] as const;

/** Every field a shot (or `defaults`) may carry, in the order the docs present them. */
export const SHOT_FIELDS = [
  'id',
  'model',
  'prompt',
  'negative_prompt',
  'media',
  'size',
  'resolution',
  'duration',
  'audio',
  'watermark',
  'seed',
  'prompt_extend',
  'shot_type',
  'reference_image',
  'fps',
  'motion_strength',
] as const;

export type ShotField = (typeof SHOT_FIELDS)[number];

export const MEDIA_ITEM_KEYS = ['type', 'url', 'ref_name'] as const;
export const MEDIA_TYPES = ['image_url', 'first_frame', 'last_frame'] as const;

/**
 * Fields that expand into a sweep when written as a list, in the canonical order used for the
 * cartesian product and for the id suffix (`hero@seed=2,size=720x1280`).
 */
export const SWEEP_FIELDS = ['seed', 'size', 'resolution', 'duration', 'audio', 'shot_type', 'prompt'] as const;

export type SweepField = (typeof SWEEP_FIELDS)[number];

/** Fields whose sweep label is the 1-based index of the value rather than the value itself. */
export const SWEEP_BY_INDEX: ReadonlySet<string> = new Set(['prompt']);
