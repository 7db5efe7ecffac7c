// Shot → the exact request it turns into. Pure: local files arrive as facts (hash, size, length).
// Every field of the shot goes where its model takes it (`input` or `parameters`, catalog
// fields.ts); every parameter that has a server-side default is written out (pinned), and so is
// the seed, so a request never depends on a default that could change under us. A fact about the
// output no parameter states (wan2.6-t2v always has sound) is recorded, never sent.
import { fieldsOf } from '../catalog/fields.js';
import { findModel, paramOf, tierOfSize, sizesOfTier } from '../catalog/lookup.js';
import type { MediaSlot, ModelEntry } from '../catalog/model-entry.js';
import { mediaItems } from '../catalog/rules/media.js';
import { Problems } from '../catalog/rules/report.js';
import { durationRuleFor } from '../catalog/rules/duration.js';
import { mediaTypesOf } from '../catalog/rules/sizing.js';
import { isLocalUrl, localPlaceholder } from '../manifest/url-kind.js';
import { shotView, takesImgUrl } from '../manifest/shot-view.js';
import type { LocalMedia, PlannedRequest, Region, RequestBody, Shot, Tier } from '../types.js';
import { pricePerSecond, roundMoney, type PriceTable } from './cost.js';
import { deriveSeed } from './derive-seed.js';
import { shotKey } from './shot-key.js';

/** What the I/O edge knows about a local file the manifest names. */
export interface LocalFileFacts {
  absPath: string;
  sha256: string;
  bytes: number;
  kind?: 'image' | 'video' | 'audio';
  /** Length in seconds (video, audio), when the file tells. */
  seconds?: number;
  /** Pixel height (video), for the tier of an output that follows its input. */
  height?: number;
}

export interface PlanContext {
  /** Local media facts keyed by the url as written in the manifest. */
  localFiles: ReadonlyMap<string, LocalFileFacts>;
  /** Prices from config; they win over the catalog's. */
  prices?: PriceTable;
  /** The region requests go to: the catalog's prices are for one region each. */
  region?: Region;
}

/** Plans shots that passed validation; throws on an unknown model or missing file facts (a bug). */
export function planShots(shots: readonly Shot[], ctx: PlanContext): PlannedRequest[] {
  return shots.map((s) => planShot(s, ctx));
}

export function planShot(shot: Shot, ctx: PlanContext): PlannedRequest {
  const model = findModel(shot.model);
  if (!model) throw new Error(`planShot: unknown model '${shot.model}' (validate first)`);
  const pinned: string[] = [];
  const implicit: string[] = [];
  const localMedia: LocalMedia[] = [];
  const view = shotView(model, shot, () => '');

  const urlFor = (url: string, bodyPointer: string, kind?: LocalMedia['kind']): string => {
    if (!isLocalUrl(url)) return url;
    const facts = ctx.localFiles.get(url);
    if (!facts) throw new Error(`planShot: no file facts for local media '${url}'`);
    localMedia.push({ bodyPointer, ...(facts.kind ?? kind ? { kind: facts.kind ?? kind } : {}), absPath: facts.absPath, manifestPath: url, sha256: facts.sha256, bytes: facts.bytes });
    return localPlaceholder(url);
  };

  const input: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  const mediaTypes = mediaTypesOf(view, model);
  for (const place of fieldsOf(model)) {
    const target = place.in === 'input' ? input : parameters;
    const value = fieldValue(model, place.name, view, urlFor, pinned, implicit, mediaTypes, shot);
    if (value !== undefined) target[place.name] = value;
  }
  if (model.audio === 'always') implicit.push(`audio: ${model.name} always generates sound (it has no audio parameter; nothing sent)`);
  if (model.audio === 'never') implicit.push(`audio: ${model.name} makes silent video (it has no audio parameter; nothing sent)`);

  const body: RequestBody = { model: model.name, input, parameters };
  const tier = tierOf(model, parameters, shot, ctx);
  const audio = typeof parameters['audio'] === 'boolean' ? (parameters['audio'] as boolean) : model.audio === 'always' ? true : model.audio === 'never' ? false : undefined;
  // Every item's type, URL lists included (an image or a video by its content or extension).
  const itemTypes = mediaItems(model, view, new Problems({ side: 'manifest', disputes: 'warn' }), { kindOf: (url) => ctx.localFiles.get(url)?.kind }).map((i) => i.type);
  const { seconds: billableSeconds, estimate } = ttsSeconds(model, input['media']) ?? billedSeconds(model, parameters, localMedia, ctx, mediaTypes, itemTypes);
  const price = pricePerSecond(ctx.prices, model, tier, audio, ctx.region, mediaTypes);
  const seedDerived = paramOf(model, 'seed') !== undefined && shot.seed === undefined;
  return {
    shotId: shot.id,
    model: model.name,
    endpoint: model.endpoint,
    body,
    localMedia,
    key: shotKey(model.endpoint, body, localMedia),
    tier,
    billableSeconds,
    ...(estimate ? { billableEstimate: estimate } : {}),
    ...(price !== undefined ? { estimatedCost: roundMoney(price * billableSeconds) } : {}),
    ...(audio !== undefined ? { audio } : {}),
    ...(implicit.length ? { implicit } : {}),
    pinned,
    seedDerived,
  };
}

type UrlFor = (url: string, bodyPointer: string, kind?: LocalMedia['kind']) => string;

/** The value a request carries for one field: the shot's, else the pinned default. */
function fieldValue(
  model: ModelEntry,
  name: string,
  view: ReturnType<typeof shotView>,
  urlFor: UrlFor,
  pinned: string[],
  implicit: string[],
  mediaTypes: readonly string[],
  shot: Shot,
): unknown {
  const given = view.get(name);
  const media = model.media;
  if (name === 'media' && media.shape === 'list') {
    if (!Array.isArray(given)) return undefined;
    return given.map((m, i) => {
      const item = m as Record<string, unknown>;
      const slot = media.slots.find((s) => s.type === item['type']);
      const key = slot?.valueKey ?? 'url';
      const out: Record<string, unknown> = { type: item['type'] };
      const value = item[key];
      out[key] = key === 'url' && typeof value === 'string' ? urlFor(value, `/input/media/${i}/url`, kindOf(slot)) : value;
      if (item['ref_name'] !== undefined && slot?.refName) out['ref_name'] = item['ref_name'];
      for (const k of Object.keys(slot?.itemKeys ?? {})) if (item[k] !== undefined) out[k] = item[k];
      if (typeof item['reference_voice'] === 'string' && slot?.voice) out['reference_voice'] = urlFor(item['reference_voice'], `/input/media/${i}/reference_voice`, 'audio');
      return out;
    });
  }
  if (media.shape === 'flat' && media.slots.some((s) => s.type === name)) {
    const slot = media.slots.find((s) => s.type === name)!;
    return typeof given === 'string' ? urlFor(given, `/input/${name}`, kindOf(slot)) : undefined;
  }
  if (media.shape === 'url-list' && name === media.listField) {
    if (!Array.isArray(given)) return undefined;
    const items = mediaItems(model, view, new Problems({ side: 'manifest', disputes: 'warn' }));
    return given.map((v, i) => (typeof v === 'string' ? urlFor(v, `/input/${name}/${i}`, items[i]?.type === 'video' ? 'video' : 'image') : v));
  }
  if (name === 'prompt' || name === 'negative_prompt') return given === undefined || given === '' ? undefined : given;

  const s = model.sizing;
  if (given !== undefined) return given;
  // Not given: pin the server's default where there is one.
  const pin = (value: unknown) => {
    if (value === undefined) return undefined;
    pinned.push(name);
    return value;
  };
  switch (name) {
    case 'size':
      if (s.kind === 'size') return pin(s.serverDefault);
      if (s.kind === 'resolution' && s.sizes) {
        // Vidu: the default size of a tier is its row's first (16:9) size.
        const tier = (view.get('resolution') as Tier | undefined) ?? s.serverDefault;
        return tier ? pin(sizesOfTier(model, tier)[0]) : undefined;
      }
      return undefined;
    case 'resolution': {
      // Vidu: a size alone says its tier ("size 默认值根据resolution而定" read the other way round).
      const sizeTier = s.kind === 'resolution' && s.sizes && typeof view.get('size') === 'string' ? tierOfSize(model, view.get('size') as string) : undefined;
      if (sizeTier) return pin(sizeTier);
      return s.kind === 'resolution' || s.kind === 'resolution-ratio' ? pin(s.serverDefault) : undefined;
    }
    case 'ratio':
    case 'aspect_ratio':
      if (s.kind === 'resolution-ratio' && s.ratioField === name) {
        // An ignored ratio (a first frame decides the shape) is not pinned: it would say something false.
        if (s.ratioIgnoredWith?.some((t) => mediaTypes.includes(t))) return undefined;
        if (s.ratioDefault === undefined) {
          implicit.push(`${name}: follows the input (no default ${name}; nothing sent)`);
          return undefined;
        }
        return pin(s.ratioDefault);
      }
      if (s.kind === 'mode-aspect' && name === 'aspect_ratio') return pin(s.ratioDefault);
      return undefined;
    case 'mode':
      return s.kind === 'mode-aspect' ? pin(s.modeDefault) : undefined;
    case 'duration':
      return pin(durationRuleFor(model, mediaTypes).serverDefault);
  }
  const rule = paramOf(model, name);
  if (!rule) return undefined;
  if (rule.derive === 'seed') {
    pinned.push('seed');
    return deriveSeed(shot.id);
  }
  return pin(rule.serverDefault);
}

function kindOf(slot: MediaSlot | undefined): LocalMedia['kind'] {
  return slot && (slot.kind === 'image' || slot.kind === 'video' || slot.kind === 'audio') ? slot.kind : undefined;
}

/** The tier billed: from the size, resolution or mode; for an output that follows its input, the input's. */
function tierOf(model: ModelEntry, parameters: Record<string, unknown>, shot: Shot, ctx: PlanContext): Tier {
  const s = model.sizing;
  switch (s.kind) {
    case 'size':
      return tierOfSize(model, String(parameters['size'])) ?? fail(shot, `size ${String(parameters['size'])} not in table`);
    case 'resolution':
    case 'resolution-ratio':
      return (parameters['resolution'] as Tier | undefined) ?? fail(shot, 'no resolution');
    case 'mode-aspect':
      return s.modes[String(parameters['mode'])] ?? fail(shot, 'no mode');
    case 'input': {
      if (s.tier) return s.tier;
      // Follows the input video: its height when the file tells, else the highest tier (an upper bound).
      const height = [...ctx.localFiles.values()].find((f) => f.kind === 'video' && f.height)?.height;
      return height ? (height <= 360 ? '360P' : height <= 540 ? '540P' : height <= 720 ? '720P' : '1080P') : '1080P';
    }
  }
}

/**
 * Seconds billed: the output's duration, the input's length, or both. An input length the plan
 * cannot know (a remote URL, a length the file does not tell) is taken at its documented maximum,
 * so that a budget is never exceeded by surprise.
 */
function billedSeconds(
  model: ModelEntry,
  parameters: Record<string, unknown>,
  localMedia: readonly LocalMedia[],
  ctx: PlanContext,
  mediaTypes: readonly string[],
  itemTypes: readonly string[],
): { seconds: number; estimate?: string } {
  const billing = model.billing;
  const duration = typeof parameters['duration'] === 'number' ? (parameters['duration'] as number) : undefined;
  const inputSeconds = (): { seconds: number; estimate?: string } => {
    // No item of a billed input type (wan r2v with images only): no input seconds.
    if (billing.inputTypes && !itemTypes.some((t) => billing.inputTypes!.includes(t))) return { seconds: 0 };
    const inputs = localMedia.filter((m) => m.kind === 'video' || m.kind === 'audio').map((m) => ctx.localFiles.get(m.manifestPath)?.seconds);
    const known = inputs.length > 0 && inputs.every((s) => s !== undefined) ? Math.max(...(inputs as number[])) : undefined;
    const max = billing.maxInputSeconds ?? 0;
    if (known !== undefined) return { seconds: Math.ceil(Math.min(known, max || known)) };
    return { seconds: max, estimate: `at most ${max} s: the input's length decides and is not known before the run` };
  };
  const special = duration !== undefined && model.duration.special?.[duration] !== undefined;
  const rule = durationRuleFor(model, mediaTypes);
  const output = (): { seconds: number; estimate?: string } => {
    if (duration === undefined || special) {
      // Duration 0 = the input's length (a model billed on its input) or the model's choice (Vidu);
      // -1 = the model decides: the maximum is the bound.
      if ((duration === 0 && billing.maxInputSeconds !== undefined) || model.duration.none) return inputSeconds();
      return { seconds: rule.max ?? rule.values?.at(-1) ?? 0, estimate: `at most ${rule.max ?? rule.values?.at(-1)} s: the model chooses the length` };
    }
    return { seconds: duration };
  };
  if (billing.seconds === 'output') return output();
  if (billing.seconds === 'input') return inputSeconds();
  const a = inputSeconds();
  const b = output();
  const estimate = [a.estimate, b.estimate].filter(Boolean).join('; ');
  return { seconds: a.seconds + b.seconds, ...(estimate ? { estimate } : {}) };
}

/** Lipsync with TTS: "文本字节数（UTF-8）÷ 15 向上取整" seconds, known from the text itself. */
function ttsSeconds(model: ModelEntry, media: unknown): { seconds: number; estimate?: string } | undefined {
  const tts = model.billing.tts;
  if (!tts || !Array.isArray(media)) return undefined;
  const item = media.find((m) => (m as { type?: unknown }).type === tts.type) as { content?: unknown } | undefined;
  if (typeof item?.content !== 'string') return undefined;
  return { seconds: Math.ceil(new TextEncoder().encode(item.content).length / tts.bytesPerSecond) };
}

function fail(shot: Shot, message: string): never {
  throw new Error(`planShot: shot '${shot.id}': ${message} (validate first)`);
}

export { takesImgUrl };
