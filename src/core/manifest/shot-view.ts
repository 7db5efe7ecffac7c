// A shot as the catalog's rules see it (fields by their API names), and the way back from a rule's
// place (`{field: 'media', index: 1, key: 'url'}`) to the JSON pointer of the value in the
// manifest. The Wan skill's names are aliases here: `reference_image` and a one-item `media`
// list both stand for `img_url` on the Wan models that take one.
import type { ModelEntry } from '../catalog/model-entry.js';
import type { RequestView, RuleAt } from '../catalog/rules/problems.js';
import type { Shot } from '../types.js';

export interface ShotView extends RequestView {
  /** The manifest pointer of a rule's place. */
  pointerOf(at: RuleAt): string;
  /** Which manifest field stands for the flat image field, when an alias does. */
  imageAlias?: 'reference_image' | 'media';
}

/** True when the model takes its input image as the flat `img_url` field (Wan ≤ 2.6 i2v). */
export function takesImgUrl(model: ModelEntry): boolean {
  return model.media.shape === 'flat' && model.media.slots.some((s) => s.type === 'img_url');
}

export function shotView(model: ModelEntry, shot: Shot, fieldPointer: (field?: string) => string): ShotView {
  let imageAlias: ShotView['imageAlias'];
  if (takesImgUrl(model) && shot['img_url'] === undefined) {
    if (typeof shot.reference_image === 'string') imageAlias = 'reference_image';
    else if (Array.isArray(shot.media) && shot.media.length > 0) imageAlias = 'media';
  }
  const get = (field: string): unknown => {
    if (field === 'img_url' && imageAlias === 'reference_image') return shot.reference_image;
    if (field === 'img_url' && imageAlias === 'media') return (shot.media?.[0] as { url?: unknown } | undefined)?.url;
    if (field === 'media' && takesImgUrl(model)) return undefined; // the alias, checked by the validator
    if (field === 'reference_image') return undefined;
    return shot[field];
  };
  const pointerOf = (at: RuleAt): string => {
    if (at.field === undefined) return fieldPointer();
    let base: string;
    if (at.field === 'img_url' && imageAlias === 'reference_image') base = fieldPointer('reference_image');
    else if (at.field === 'img_url' && imageAlias === 'media') base = `${fieldPointer('media')}/0/url`;
    else base = fieldPointer(at.field);
    return `${base}${at.index !== undefined ? `/${at.index}` : ''}${at.key ? `/${at.key}` : ''}`;
  };
  return { get, pointerOf, ...(imageAlias ? { imageAlias } : {}) };
}
