// The manifest's vocabulary in one place: top-level keys, shot fields (the union of every model's
// fields, from the catalog), media item keys and types, and which fields sweep.
import { allModelFields } from '../catalog/fields.js';
import { MODELS } from '../catalog/models.js';
import { catalogItemKeys } from '../catalog/rules/media.js';

export const TOP_LEVEL_KEYS = ['$schema', 'version', 'name', 'defaults', 'shots'] as const;

/** Accepted for the Wan skill's job files: an alias of img_url, and two fields that are never sent. */
export const COMPAT_FIELDS: readonly string[] = ['reference_image', 'fps', 'motion_strength'];

/** Every field a shot (or `defaults`) may carry: id, model, every model's fields, the compat fields. */
export const SHOT_FIELDS: readonly string[] = ['id', 'model', ...new Set([...allModelFields(), 'duration', 'seed'].filter((f) => f !== 'model')), ...COMPAT_FIELDS];

export type ShotField = string;

/** Keys a media item may carry (each model takes a subset: its value key and extra keys). */
export const MEDIA_ITEM_KEYS: readonly string[] = ['type', 'url', 'ref_name', 'reference_voice', 'id', 'content', ...catalogItemKeys().keys()];

/** Every media type any model takes, in catalog order. */
export const MEDIA_TYPES: readonly string[] = [
  ...new Set([...MODELS.values()].flatMap((m) => (m.media.shape === 'list' ? m.media.slots.map((s) => s.type) : []))),
];

/**
 * Fields that expand into a sweep when written as a list, in the canonical order used for the
 * cartesian product and for the id suffix (`hero@seed=2,size=720x1280`). New fields go at the
 * end so that existing sweep ids never change.
 */
export const SWEEP_FIELDS = ['seed', 'size', 'resolution', 'duration', 'audio', 'shot_type', 'prompt', 'ratio', 'aspect_ratio', 'mode'] as const;

export type SweepField = (typeof SWEEP_FIELDS)[number];

/**
 * Fields whose sweep may also be written as a mapping of label → value (`prompt: {wide: …,
 * close: …}` → `hero@prompt=wide`), and whose list values are labelled by the value itself only
 * when it is short and safe, else by a short hash of it (see `sweepLabel`): long texts make no
 * id, and a label from the value — never from its position — survives edits to the list.
 */
export const SWEEP_BY_LABEL: ReadonlySet<string> = new Set(['prompt']);
