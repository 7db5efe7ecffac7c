// Shot → the exact request it turns into. Pure: local files arrive as facts (hash, size).
// Every parameter that has a server-side default is written out (the catalog's `defaults`),
// and so is the seed, so a request never depends on a default that could change under us.
import { findModel, tierOfSize } from '../catalog/models.js';
import { isLocalUrl, localPlaceholder } from '../manifest/url-kind.js';
import type { LocalMedia, PlannedRequest, RequestBody, Shot, Tier } from '../types.js';
import { pricePerSecond, roundMoney, type PriceTable } from './cost.js';
import { deriveSeed } from './derive-seed.js';
import { shotKey } from './shot-key.js';

/** What the I/O edge knows about a local file the manifest names. */
export interface LocalFileFacts {
  absPath: string;
  sha256: string;
  bytes: number;
}

export interface PlanContext {
  /** Local media facts keyed by the url as written in the manifest. */
  localFiles: ReadonlyMap<string, LocalFileFacts>;
  prices?: PriceTable;
}

/** Plans shots that passed validation; throws on an unknown model or missing file facts (a bug). */
export function planShots(shots: readonly Shot[], ctx: PlanContext): PlannedRequest[] {
  return shots.map((s) => planShot(s, ctx));
}

export function planShot(shot: Shot, ctx: PlanContext): PlannedRequest {
  const model = findModel(shot.model);
  if (!model) throw new Error(`planShot: unknown model '${shot.model}' (validate first)`);
  const pinned: string[] = [];
  const localMedia: LocalMedia[] = [];

  const urlFor = (url: string, bodyPointer: string): string => {
    if (!isLocalUrl(url)) return url;
    const facts = ctx.localFiles.get(url);
    if (!facts) throw new Error(`planShot: no file facts for local media '${url}'`);
    localMedia.push({ bodyPointer, absPath: facts.absPath, manifestPath: url, sha256: facts.sha256, bytes: facts.bytes });
    return localPlaceholder(url);
  };

  // input: media first, then prompt (PixVerse's documented order); Wan: prompt, negative_prompt, img_url.
  const input: Record<string, unknown> = {};
  const media = model.media;
  if (media.kind === 'first-frame' || media.kind === 'keyframes' || media.kind === 'references') {
    input['media'] = (shot.media ?? []).map((m, i) => ({
      type: m.type,
      url: urlFor(m.url, `/input/media/${i}/url`),
      ...(m.ref_name !== undefined && media.kind === 'references' ? { ref_name: m.ref_name } : {}),
    }));
  }
  if (shot.prompt !== undefined && shot.prompt !== '') input['prompt'] = shot.prompt;
  if (model.negativePrompt && shot.negative_prompt !== undefined && shot.negative_prompt !== '') input['negative_prompt'] = shot.negative_prompt;
  if (media.kind === 'img-url') {
    const image = shot.reference_image ?? shot.media?.[0]?.url;
    if (image === undefined) throw new Error(`planShot: shot '${shot.id}' has no input image (validate first)`);
    input['img_url'] = urlFor(image, '/input/img_url');
  }

  const parameters: Record<string, unknown> = {};
  let tier: Tier;
  if (model.frame.kind === 'size') {
    if (shot.size === undefined) throw new Error(`planShot: shot '${shot.id}' has no size (validate first)`);
    parameters['size'] = shot.size;
    tier = tierOfSize(model, shot.size) ?? fail(`size ${shot.size} not in table`);
  } else {
    const resolution = shot.resolution ?? model.frame.serverDefault;
    if (resolution === undefined) throw new Error(`planShot: shot '${shot.id}' has no resolution (validate first)`);
    if (shot.resolution === undefined) pinned.push('resolution');
    parameters['resolution'] = resolution;
    tier = resolution as Tier;
  }
  const duration = shot.duration ?? model.duration.serverDefault;
  if (duration === undefined) throw new Error(`planShot: shot '${shot.id}' has no duration (validate first)`);
  if (shot.duration === undefined) pinned.push('duration');
  parameters['duration'] = duration;
  for (const field of ['prompt_extend', 'shot_type', 'audio', 'watermark'] as const) {
    const serverDefault = model.defaults[field];
    if (serverDefault === undefined) continue;
    const value = shot[field];
    if (value === undefined) pinned.push(field);
    parameters[field] = value ?? serverDefault;
  }
  const seedDerived = shot.seed === undefined;
  if (seedDerived) pinned.push('seed');
  parameters['seed'] = shot.seed ?? deriveSeed(shot.id);

  const body: RequestBody = { model: model.name, input, parameters };
  const billableSeconds = duration;
  const price = pricePerSecond(ctx.prices, model.name, model.family, tier);
  return {
    shotId: shot.id,
    model: model.name,
    endpoint: model.endpoint,
    body,
    localMedia,
    key: shotKey(model.endpoint, body, localMedia),
    tier,
    billableSeconds,
    ...(price !== undefined ? { estimatedCost: roundMoney(price * billableSeconds) } : {}),
    pinned,
    seedDerived,
  };
}

function fail(message: string): never {
  throw new Error(`planShot: ${message} (validate first)`);
}
