// The rules of one expanded shot, all driven by its catalog entry: model name, region and host,
// the request rules shared with the emulator (sizing, duration, prompt, media, parameters), fields
// the model does not take, the Wan skill's compatibility fields, and local media files.
// Values of the wrong type are skipped by the rules: the schema check has already reported them.
import { fieldsOf, modelsTaking } from '../catalog/fields.js';
import { findModel, modelNames, suggestModel } from '../catalog/lookup.js';
import type { ModelEntry } from '../catalog/model-entry.js';
import { checkRequest } from '../catalog/rules/check-request.js';
import { FLAT_MEDIA_FIELDS } from '../catalog/rules/media.js';
import { SIZING_FIELDS } from '../catalog/rules/sizing.js';
import type { Region } from '../types.js';
import type { ExpandedShot } from './manifest-types.js';
import { COMPAT_FIELDS } from './manifest-fields.js';
import type { ShotReport } from './shot-report.js';
import { shotView, takesImgUrl } from './shot-view.js';
import { checkLocalMedia, type LocalFiles } from './validate-media.js';

export interface ValidateContext {
  /** The region requests go to (config `region`); the model must be hosted there. */
  region: Region;
  /**
   * The kind of host requests go to: the region's shared DashScope host, a workspace host
   * (`{WorkspaceId}.{region}.maas.aliyuncs.com`), or a base URL set by hand (an emulator, a
   * proxy), where the model-host rule cannot be known. Default `dashscope`.
   */
  host?: 'dashscope' | 'workspace' | 'custom';
  /** Facts about local media files, keyed by url as written; omit to skip file checks. */
  localFiles?: LocalFiles;
}

/** Fields every shot may carry whatever its model, handled before the model's rules. */
const HANDLED_BY_RULES: ReadonlySet<string> = new Set(['prompt', 'negative_prompt', 'media', 'duration', ...SIZING_FIELDS, ...FLAT_MEDIA_FIELDS]);

export function validateShot(es: ExpandedShot, ctx: ValidateContext, r: ShotReport): void {
  const shot = es.shot;
  if (shot.model === undefined) {
    r.error('model-missing', undefined, 'shot has no model', `add model: <name> to the shot or to defaults (one of: ${modelNames().join(', ')})`);
    return;
  }
  if (typeof shot.model !== 'string') return;
  const model = findModel(shot.model);
  if (!model) {
    const suggestion = suggestModel(shot.model);
    r.error(
      'model-unknown',
      'model',
      `unknown model '${shot.model}'`,
      suggestion ? `did you mean '${suggestion}'?` : `use an exact model name: ${modelNames().join(', ')}`,
    );
    return;
  }
  checkRegion(model, ctx, r);
  checkFieldsTaken(model, es, r);
  checkCompatFields(model, es, r);

  const view = shotView(model, shot, (field) => r.pointerOf(field));
  const kindOf = (url: string) => ctx.localFiles?.get(url)?.kind;
  const result = checkRequest(model, view, { side: 'manifest', disputes: 'warn' }, { kindOf });
  for (const p of result.problems) r.add(p.severity, p.code, view.pointerOf(p.at), p.message, p.hint);
  checkLocalMedia(model, result.items, view, r, ctx.localFiles);
}

function checkRegion(model: ModelEntry, ctx: ValidateContext, r: ShotReport): void {
  if (!model.regions.includes(ctx.region)) {
    r.error(
      'region-not-hosted',
      'model',
      `${model.name} is not available in ${ctx.region} (hosted in: ${model.regions.join(', ')})`,
      `set region: '${model.regions[0]}' in pixverse.config.ts (or PIXVERSE_REGION), or pick a model hosted in ${ctx.region}`,
    );
    return;
  }
  if (model.workspaceOnly && (ctx.host ?? 'dashscope') === 'dashscope') {
    r.error(
      'workspace-host-only',
      'model',
      `${model.name} is served only through workspace hosts ({WorkspaceId}.${ctx.region}.maas.aliyuncs.com), not the shared DashScope host`,
      `set workspace: '<your WorkspaceId>' and host: 'workspace' in pixverse.config.ts (the API key must belong to that workspace)`,
    );
  }
}

/** Parameters of other models: refused with a hint naming what this model uses, or who takes it. */
function checkFieldsTaken(model: ModelEntry, es: ExpandedShot, r: ShotReport): void {
  const own = new Set(fieldsOf(model).map((f) => f.name));
  for (const field of Object.keys(es.shot)) {
    if (field === 'id' || field === 'model' || own.has(field) || HANDLED_BY_RULES.has(field) || COMPAT_FIELDS.includes(field)) continue;
    if (es.shot[field] === undefined) continue;
    const takers = modelsTaking(field).filter((m) => m.vendor === model.vendor);
    const hint =
      model.unsupportedHints?.[field] ??
      (takers.length > 0 ? `remove ${field}, or use ${takers.slice(0, 3).map((m) => m.name).join(' / ')}` : `remove ${field}${describeTakers(field)}`);
    r.error('field-not-supported', field, `${model.name} does not take ${field}`, hint);
  }
}

function describeTakers(field: string): string {
  const vendors = [...new Set(modelsTaking(field).map((m) => m.vendor))];
  return vendors.length > 0 ? ` (a ${vendors.join('/')} parameter)` : '';
}

/** The Wan skill's reference_image, fps and motion_strength: accepted so its job files load. */
function checkCompatFields(model: ModelEntry, es: ExpandedShot, r: ShotReport): void {
  const shot = es.shot;
  if (takesImgUrl(model)) {
    const fromRef = typeof shot.reference_image === 'string';
    const fromImg = typeof shot['img_url'] === 'string';
    const media = Array.isArray(shot.media) ? shot.media : [];
    if (fromImg && fromRef) r.error('media-count', 'reference_image', `${model.name} takes exactly one image: both img_url and reference_image are given`, 'keep img_url and drop reference_image');
    else if ((fromRef || fromImg) && media.length > 0) r.error('media-count', 'reference_image', `${model.name} takes exactly one image: both reference_image and media are given`, 'keep either reference_image or the media item');
    else if (media.length > 1) r.error('media-count', 'media', `${model.name} takes exactly one image, got ${media.length}`, 'keep one image');
    media.forEach((m, index) => {
      if (m && typeof m === 'object' && typeof m.type === 'string' && m.type !== 'image_url') {
        r.add('error', 'media-type-not-allowed', `${r.pointerOf('media')}/${index}/type`, `${model.name} takes one input image (type image_url), not ${m.type}`, 'use img_url: <url or path> (or reference_image:), or media: [{type: image_url, url: …}]');
      }
    });
  } else if (typeof shot.reference_image === 'string') {
    r.error(
      'field-not-supported',
      'reference_image',
      `${model.name} does not take reference_image (the Wan skill's name for the input image)`,
      model.media.shape === 'none' ? 'remove reference_image' : model.media.shape === 'list' ? `put the image in media: [{type: ${model.media.slots[0]?.type ?? 'image_url'}, url: …}]` : `use ${model.media.slots.map((s) => s.type).join(' / ')}`,
    );
  }
  const { fps, motion_strength: motion } = shot;
  if (typeof fps === 'number' && fps !== model.result.fps) {
    r.warn(
      'field-not-sent',
      'fps',
      `fps ${fps} is not sent: DashScope has no fps parameter`,
      model.result.fps !== undefined ? `${model.name} delivers ${model.result.fps} fps; remove fps` : 'remove fps (the frame rate is chosen by the model)',
    );
  }
  if (typeof motion === 'number') {
    r.warn('field-not-sent', 'motion_strength', `motion_strength is not sent: DashScope has no such parameter`, 'describe the amount of motion in the prompt instead, and remove motion_strength');
  }
}
