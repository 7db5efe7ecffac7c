// Media in the three shapes the APIs use (a `media` list of typed items, flat URL fields, a list
// of URLs), checked against the entry's slots: types, counts, combinations, the item's value
// (URL scheme, speaker id, TTS text), its extra keys (ref_name, reference_voice) and how the
// prompt refers to the items.
import { DISPUTES, disputeMessage } from '../disputes.js';
import type { MediaRole, MediaSlot, ModelEntry, UrlRule } from '../model-entry.js';
import { MODELS } from '../models.js';
import { describeSchemes, urlAccepted, urlSchemeOf } from '../url-schemes.js';
import { checkPromptRefs } from './prompt-refs.js';
import type { RequestView, RuleAt } from './problems.js';
import { isObject, orList, type Problems } from './report.js';

/** One media item of a request, whatever the API's shape. */
export interface MediaItemView {
  /** The API's type (`first_frame`), the flat field (`img_url`), or `image`/`video` in a URL list. */
  type: string;
  /** The item's url, id or content. */
  value: unknown;
  /** Where the value is. */
  at: RuleAt;
  /** Where the type is (list shape). */
  typeAt?: RuleAt;
  /** The item as written (list shape), for its extra keys. */
  raw?: Record<string, unknown>;
}

export interface MediaOptions {
  /** Tells an image from a video in a URL list (the validator knows local files' content). */
  kindOf?: (url: string) => 'image' | 'video' | 'audio' | undefined;
}

const VIDEO_EXT = /\.(mp4|mov|webm|m4v|avi|mkv)(?:[?#].*)?$/i;
const AUDIO_EXT = /\.(mp3|wav|m4a|aac|flac|ogg)(?:[?#].*)?$/i;

/** The items of a request as the model's media shape holds them. */
export function mediaItems(model: ModelEntry, view: RequestView, p: Problems, opts: MediaOptions = {}): MediaItemView[] {
  const rule = model.media;
  const items: MediaItemView[] = [];
  if (rule.shape === 'list') {
    const media = view.get('media');
    if (media === undefined) return items;
    if (!Array.isArray(media)) {
      p.wrongType({ field: 'media' }, 'Field "input.media" must be an array.', 'write media as a list');
      return items;
    }
    media.forEach((m, index) => {
      if (!isObject(m)) {
        p.wrongType({ field: 'media', index }, `input.media[${index}] must be an object with "type" and "url".`);
        return;
      }
      if (typeof m.type !== 'string') {
        if (p.wire) p.error('missing-key', 'required', { field: 'media', index, key: 'type' }, `input.media[${index}].type is required.`, 'add type');
        return;
      }
      const slot = rule.slots.find((s) => s.type === m.type);
      const key = slot?.valueKey ?? 'url';
      items.push({ type: m.type, value: m[key], at: { field: 'media', index, key }, typeAt: { field: 'media', index, key: 'type' }, raw: m });
    });
  } else if (rule.shape === 'flat') {
    for (const slot of rule.slots) {
      const value = view.get(slot.type);
      if (value !== undefined) items.push({ type: slot.type, value, at: { field: slot.type } });
    }
  } else if (rule.shape === 'url-list' && rule.listField) {
    const list = view.get(rule.listField);
    if (list === undefined) return items;
    if (!Array.isArray(list)) {
      p.wrongType({ field: rule.listField }, `Field "input.${rule.listField}" must be an array of URLs.`, `write ${rule.listField} as a list of URLs`);
      return items;
    }
    list.forEach((value, index) => {
      const kind = typeof value === 'string' ? (opts.kindOf?.(value) ?? (VIDEO_EXT.test(value) ? 'video' : AUDIO_EXT.test(value) ? 'audio' : 'image')) : 'image';
      items.push({ type: kind, value, at: { field: rule.listField!, index } });
    });
  }
  return items;
}

export function checkMedia(model: ModelEntry, view: RequestView, p: Problems, opts: MediaOptions = {}): MediaItemView[] {
  const rule = model.media;
  const items = mediaItems(model, view, p, opts);
  if (rule.shape === 'none') {
    refuseMediaFields(model, view, p);
    return [];
  }
  refuseOtherShapes(model, view, p);

  const known = items.filter((i) => rule.slots.some((s) => s.type === i.type));
  for (const item of items) if (!known.includes(item)) unknownType(model, item, p);
  for (const item of known) checkItem(model, rule.slots.find((s) => s.type === item.type)!, item, p);
  checkCounts(model, known, items, p);
  checkPromptBinding(model, view, known, p);
  return known;
}

/** Media given to a model that takes none. */
function refuseMediaFields(model: ModelEntry, view: RequestView, p: Problems): void {
  const media = view.get('media');
  if (media !== undefined && !(Array.isArray(media) && media.length === 0)) {
    const alt = siblingsTakingMedia(model).map((m) => m.name);
    p.notTaken('media', `${model.name} is ${model.variant === 't2v' ? 'text-to-video' : model.variant} and takes no media`, alt.length ? `remove media, or use ${alt.join(' / ')}` : 'remove media', 'media-not-accepted');
  }
  for (const field of FLAT_MEDIA_FIELDS) {
    if (view.get(field) !== undefined) p.notTaken(field, `${model.name} takes no ${field}`, `remove ${field}`, 'media-not-accepted');
  }
}

/** Flat fields or a URL list given to a model whose media have another shape. */
function refuseOtherShapes(model: ModelEntry, view: RequestView, p: Problems): void {
  const rule = model.media;
  const own = new Set(rule.shape === 'flat' ? rule.slots.map((s) => s.type) : rule.shape === 'url-list' ? [rule.listField!] : ['media']);
  for (const field of ['media', ...FLAT_MEDIA_FIELDS]) {
    if (own.has(field) || view.get(field) === undefined) continue;
    const how =
      rule.shape === 'list'
        ? `put it in media: [{type: ${rule.slots.map((s) => s.type).join(' | ')}, ${rule.slots[0]?.valueKey ?? 'url'}: …}]`
        : rule.shape === 'flat'
          ? `use ${rule.slots.map((s) => s.type).join(', ')}`
          : `use ${rule.listField}: [url, …]`;
    p.notTaken(field, `${model.name} does not take ${field}: it takes its media as ${rule.shape === 'list' ? 'a media list' : rule.shape === 'flat' ? rule.slots.map((s) => s.type).join(', ') : rule.listField}`, how, 'media-not-accepted');
  }
}

/** Every flat media field and URL list any model takes (refused by the models that do not). */
export const FLAT_MEDIA_FIELDS: readonly string[] = [
  ...new Set([...MODELS.values()].flatMap((m) => (m.media.shape === 'flat' ? m.media.slots.map((s) => s.type) : m.media.shape === 'url-list' ? [m.media.listField!] : []))),
];

function siblingsTakingMedia(model: ModelEntry): ModelEntry[] {
  return [...MODELS.values()].filter((m) => m.family === model.family && m.media.shape !== 'none');
}

const VENDOR_NAMES: Readonly<Record<string, string>> = { pixverse: 'PixVerse', wan: 'Wan', happyhorse: 'HappyHorse', kling: 'Kling', vidu: 'Vidu', minimax: 'MiniMax' };

const ROLE_WORDS: Readonly<Record<MediaRole, [string, string]>> = {
  'first-frame': ['first frame', 'first frames'],
  'last-frame': ['last frame', 'last frames'],
  'reference-image': ['reference image', 'reference images'],
  'reference-video': ['reference video', 'reference videos'],
  'source-video': ['video to edit', 'videos to edit'],
  'first-clip': ['opening clip', 'opening clips'],
  'driving-audio': ['driving audio', 'driving audios'],
  audio: ['audio', 'audios'],
  voice: ['voice', 'voices'],
  'motion-video': ['motion video', 'motion videos'],
  'tts-speaker': ['TTS speaker', 'TTS speakers'],
  'tts-text': ['TTS text', 'TTS texts'],
  element: ['element', 'elements'],
  document: ['document', 'documents'],
  'web-page': ['web page', 'web pages'],
};

/** "a first and a last frame" — what a model's media are, for hints that name another model. */
function describeMedia(model: ModelEntry): string {
  const roles = model.media.slots.map((s) => ROLE_WORDS[s.role][0]);
  return roles.length === 2 && roles[0]!.endsWith('frame') && roles[1]!.endsWith('frame') ? `a ${roles[0]!.replace(' frame', '')} and a ${roles[1]}` : orList(roles);
}

/**
 * A type this model does not take. The hint names this model's type for the same role when the
 * type is another model's name for it (a PixVerse `image_url` on Vidu → `image`), and the sibling
 * model that takes it when there is one (`first_frame` on PixVerse it2v → its kf2v sibling).
 */
function unknownType(model: ModelEntry, item: MediaItemView, p: Problems): void {
  const types = model.media.slots.map((s) => s.type);
  const at = item.typeAt ?? item.at;
  if (p.wire) {
    p.error('media-type-not-allowed', 'media', at, `Model ${model.name} takes media items of type ${types.map((t) => `"${t}"`).join(', ')} only; got "${item.type}".`, `use type: ${types.join(' | ')}`);
    return;
  }
  const owners = [...MODELS.values()].filter((m) => m.media.slots.some((s) => s.type === item.type));
  const roles = new Set(owners.flatMap((m) => m.media.slots.filter((s) => s.type === item.type).map((s) => s.role)));
  const same = model.media.slots.find((s) => roles.has(s.role));
  const sibling = owners.find((m) => m.family === model.family);
  const owner = sibling ? `the ${sibling.variant} type` : owners[0] ? `${VENDOR_NAMES[owners[0].vendor] ?? owners[0].vendor}'s type` : undefined;
  let hint: string;
  if (same) {
    hint = `write type: ${same.type}${owner ? ` (${item.type} is ${owner}${sibling ? `; for ${describeMedia(sibling)} use ${sibling.name}` : ''})` : ''}`;
  } else if (sibling) {
    hint = `for ${describeMedia(sibling)} use ${sibling.name}; for ${describeMedia(model)} write type: ${orList(types)}`;
  } else {
    hint = `use type: ${orList(types)}${owner ? ` (${item.type} is ${owner})` : ''}`;
  }
  const message =
    types.length === 1 && model.media.slots[0]!.role === 'first-frame'
      ? `${model.name} takes its first frame as type ${types[0]}, not ${item.type}`
      : `${model.name} takes media of type ${orList(types)}, not ${item.type}`;
  p.error('media-type-not-allowed', 'media', at, message, hint);
}

function checkItem(model: ModelEntry, slot: MediaSlot, item: MediaItemView, p: Problems): void {
  const key = slot.valueKey ?? 'url';
  const value = item.value;
  if (value === undefined || value === null || value === '') {
    if (p.wire) p.error('missing-key', 'required', item.at, item.at.index !== undefined && item.raw ? `input.media[${item.at.index}].${key} is required.` : `Required parameter "input.${item.type}" missing for model ${model.name}.`, `add ${key}`);
    else if (item.raw && value === undefined) {
      const what = key === 'url' ? 'an https URL, an oss:// URL or a path relative to the manifest' : key === 'id' ? 'a speaker id' : 'the text';
      p.error('missing-key', 'required', { field: 'media', index: item.at.index! }, `this media item is missing required key '${key}' (${item.type} items carry ${key})`, `add ${key}: ${what}`);
    }
    return;
  }
  if (key === 'url') {
    if (typeof value !== 'string') p.wrongType(item.at, `Field "${wirePath(item)}" must be a URL string.`);
    else if (slot.urls) checkUrl(model.name, slot.urls, value, item.at, wirePath(item), p);
  } else if (key === 'content') {
    if (typeof value !== 'string') p.wrongType(item.at, `Field "${wirePath(item)}" must be a string.`);
    else if (slot.maxChars !== undefined && [...value].length > slot.maxChars) {
      p.error('media-text-too-long', 'media', item.at, `${slot.type} content is ${[...value].length} characters; ${model.name} takes at most ${slot.maxChars}`, `shorten it to ${slot.maxChars} characters`);
    }
  } else if (typeof value !== 'string' && typeof value !== 'number') {
    p.wrongType(item.at, `Field "${wirePath(item)}" must be a string.`);
  }
  if (!item.raw) return;
  for (const k of Object.keys(item.raw)) {
    if (k === 'type' || k === key) continue;
    if (k === 'ref_name' && slot.refName) {
      if (typeof item.raw[k] !== 'string' || item.raw[k] === '') p.wrongType({ ...item.at, key: k }, `input.media[${item.at.index}].ref_name must be a non-empty string.`);
      continue;
    }
    if (k === 'reference_voice' && slot.voice) {
      const voice = item.raw[k];
      if (typeof voice !== 'string') p.wrongType({ ...item.at, key: k }, `input.media[${item.at.index}].reference_voice must be a URL string.`);
      else checkUrl(model.name, slot.voice.urls, voice, { ...item.at, key: k }, `input.media[${item.at.index}].reference_voice`, p);
      continue;
    }
    const values = slot.itemKeys?.[k];
    if (values) {
      if (typeof item.raw[k] !== 'string' || !values.includes(item.raw[k] as string)) {
        p.error('media-key-invalid', 'parameter', { ...item.at, key: k }, p.wire ? `Field "input.media[${item.at.index}].${k}" must be ${orList(values.map((v) => `"${v}"`))}.` : `${k} must be ${orList(values)} on ${slot.type} items of ${model.name}`, `write ${k}: ${orList(values)}`);
      }
      continue;
    }
    if (p.wire) {
      p.error('unknown-key', 'unknown-parameter', { ...item.at, key: k }, `Field "input.media[${item.at.index}].${k}" is not supported by model ${model.name}.`, `remove ${k}`);
    } else if (ITEM_KEYS_ANYWHERE.has(k)) {
      // Keys the schema allows because some model takes them; this one does not.
      const takers = [...MODELS.values()].filter((m) => m.family === model.family && m.media.slots.some((s) => (k === 'ref_name' ? s.refName : k === 'reference_voice' ? s.voice : (s.valueKey ?? 'url') === k || s.itemKeys?.[k] !== undefined)));
      p.error(
        'field-not-supported',
        'unknown-parameter',
        { ...item.at, key: k },
        k === 'ref_name' ? `ref_name is only used by r2v models, not ${model.name}` : `${k} is not taken by ${slot.type} items on ${model.name}`,
        takers[0] ? `remove ${k}, or use ${takers[0].name}` : `remove ${k}`,
      );
    }
  }
}

/** Item keys some model takes (the schema allows them all; each model refuses the others). */
const ITEM_KEYS_ANYWHERE: ReadonlySet<string> = new Set(['url', 'id', 'content', 'ref_name', 'reference_voice', ...catalogItemKeys().keys()]);

/** The enum item keys of every slot in the catalog (`keep_original_sound`): their values and the media types that take them. */
export function catalogItemKeys(): Map<string, { values: string[]; types: string[] }> {
  const out = new Map<string, { values: string[]; types: string[] }>();
  for (const m of MODELS.values()) {
    for (const s of m.media.slots) {
      for (const [k, v] of Object.entries(s.itemKeys ?? {})) {
        const seen = out.get(k) ?? { values: [], types: [] };
        out.set(k, { values: [...new Set([...seen.values, ...v])], types: [...new Set([...seen.types, `${m.name} ${s.type}`])] });
      }
    }
  }
  return out;
}

function wirePath(item: MediaItemView): string {
  const { field, index, key } = item.at;
  return `input.${field}${index !== undefined ? `[${index}]` : ''}${key ? `.${key}` : ''}`;
}

/** A URL value: the scheme must be one the field takes (400 InvalidURL otherwise). */
function checkUrl(modelName: string, urls: UrlRule, url: string, at: RuleAt, path: string, p: Problems): void {
  if (p.wire) {
    if (!urlAccepted(urls, url)) p.error('url-scheme', 'url', at, `Field "${path}" is not a URL this model takes (${urls.schemes.join(', ')}).`, 'use an accepted URL');
    return;
  }
  if (isLocalPath(url)) {
    // A local file is uploaded and sent as an oss:// URL; its content is checked by the validator.
    if (!urls.schemes.includes('oss')) {
      p.error('url-scheme', 'url', at, `${url} is a local file, which is sent as an oss:// URL; ${modelName} takes ${describeSchemes(urls)} (the server answers 400 InvalidURL)`, 'put the file at a public https URL and use that URL');
    }
    return;
  }
  const scheme = urlSchemeOf(url);
  if (scheme !== undefined && urls.schemes.includes(scheme)) {
    if (scheme === 'http') p.warn('url-not-https', 'url', at, `${url} is plain http`, 'use an https URL if the host has one');
    return;
  }
  const shown = url.length > 60 ? `${url.slice(0, 57)}…` : url;
  const kind = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  const what = scheme === 'data' ? 'data: URIs' : kind === 'file' ? 'file:// URLs' : kind === 'data' ? 'a malformed data: URI' : kind === 'http' || kind === 'https' ? 'a malformed URL' : 'the URL';
  const hint =
    kind === 'file'
      ? `write the path relative to the manifest instead (it is uploaded), e.g. ${url.replace(/^file:\/\/(localhost)?/i, '').split('/').pop()}`
      : scheme === 'data'
        ? 'save the data as a file and give its path relative to the manifest (it is uploaded)'
        : kind === 'data'
          ? 'write it as data:<mime type>;base64,<data>, or save it as a file and give its path'
          : kind === 'http' || kind === 'https'
            ? 'write a complete URL such as https://example.com/image.png'
            : 'use an https URL, an oss:// URL or a path relative to the manifest';
  p.error('url-scheme', 'url', at, `${modelName} does not take ${what} '${shown}': the server answers 400 InvalidURL (it takes ${describeSchemes(urls)})`, hint);
}

/** A manifest value without a scheme (one letter before ':' is a Windows drive). */
export function isLocalPath(url: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  return !m || m[1]!.length === 1;
}

function plural(slot: MediaSlot, n: number): string {
  return n === 1 ? ROLE_WORDS[slot.role][0] : ROLE_WORDS[slot.role][1];
}

function checkCounts(model: ModelEntry, known: readonly MediaItemView[], all: readonly MediaItemView[], p: Problems): void {
  const rule = model.media;
  const countOf = (type: string) => known.filter((i) => i.type === type).length;
  const problems: string[] = [];
  for (const slot of rule.slots) {
    const n = countOf(slot.type);
    if (n >= slot.min && n <= slot.max) continue;
    if (n > slot.max && rule.disputedExtra?.type === slot.type && p.ctx.disputes !== 'strict') {
      if (p.ctx.disputes === 'warn') {
        const d = disputeMessage(DISPUTES[rule.disputedExtra.dispute]);
        p.warn('disputed-rule', 'media', { field: 'media' }, `${n} images: ${d.message}`, d.hint);
      } else {
        p.warn('disputed-rule', 'media', { field: 'media' }, `${n} images given: the last one is used`, '');
      }
      continue;
    }
    if (p.wire && rule.shape === 'flat' && n < slot.min) {
      p.error('media-count', 'required', {}, `Required parameter "input.${slot.type}" missing for model ${model.name}.`, `add ${slot.type}`);
      continue;
    }
    problems.push(slot.type);
    if (p.wire) continue;
    const flat = rule.shape === 'flat';
    const at: RuleAt = flat ? (n > slot.max ? { field: slot.type } : {}) : all.length === 0 ? (rule.shape === 'list' ? {} : {}) : { field: rule.listField ?? 'media' };
    const add = flat
      ? `add ${slot.type}: <https URL, oss:// URL or local path>${slot.type === 'img_url' ? ' (reference_image: is read as img_url too)' : ''}`
      : `add {type: ${slot.type}, ${slot.valueKey ?? 'url'}: …} to media`;
    if (slot.min === slot.max) {
      const what = flat ? slot.type : slot.type;
      p.error(
        'media-count',
        'media',
        at,
        `${model.name} needs exactly ${slot.min === 1 ? 'one' : slot.min} ${what}, got ${n}`,
        n < slot.min ? (flat ? add : rule.slots.length === 1 && all.length === 0 ? `add media: [{type: ${slot.type}, ${slot.valueKey ?? 'url'}: …}]` : add) : `keep one ${slot.type}`,
      );
    } else if (n < slot.min) {
      p.error('media-count', 'media', at, `${model.name} takes ${slot.min}–${slot.max} ${plural(slot, 2)}, got ${n}`, slot.refName ? `add media: [{type: ${slot.type}, url: …, ref_name: …}]` : add);
    } else {
      p.error('media-count', 'media', at, `${model.name} takes ${slot.min}–${slot.max} ${plural(slot, 2)}, got ${n}`, `keep at most ${slot.max} ${plural(slot, slot.max)}`);
    }
  }
  for (const total of rule.totals ?? []) {
    const n = known.filter((i) => total.types.includes(i.type)).length;
    if (n <= total.max && n >= (total.min ?? 0)) continue;
    problems.push(total.types.join('+'));
    const at: RuleAt = { field: rule.listField ?? 'media' };
    const words = orList(total.types);
    p.error('media-count', 'media', at, p.wire ? `Model ${model.name} takes ${total.min ?? 0} to ${total.max} items of type ${words} in total; got ${n}.` : `${model.name} takes ${total.min ? `${total.min}–` : 'at most '}${total.max} ${words} items in total, got ${n}`, n > total.max ? `keep at most ${total.max} of them` : `add a ${words} item`);
  }
  const present = new Set(known.map((i) => i.type));
  for (const group of rule.exclusive ?? []) {
    // Each group is a list of alternatives: types of one alternative may not meet another's.
    const hit = group.filter((alt) => alt.split('+').some((t) => present.has(t)));
    if (hit.length > 1) {
      p.error('media-combination', 'media', { field: 'media' }, `${model.name} takes ${orList(group.map((g) => g.replace(/\+/g, ', ')))}, not a mix: got ${[...present].join(', ')}`, `keep the items of one kind`);
    }
  }
  if (rule.combos && known.length > 0) {
    const key = [...present].sort().join('+');
    const ok = rule.combos.some((c) => [...c].sort().join('+') === key);
    if (!ok) {
      p.error('media-combination', 'media', { field: 'media' }, `${model.name} does not take the combination ${[...present].join(' + ')}`, `allowed combinations: ${rule.combos.map((c) => c.join(' + ')).join('; ')}`);
    }
  }
  if (p.wire && problems.length > 0) {
    const got = all.length === 0 ? 'none' : all.map((i) => `"${i.type}"`).join(', ');
    const slots = rule.slots;
    let message: string;
    if (slots.length === 1 && slots[0]!.min === 1 && slots[0]!.max === 1) message = `Model ${model.name} takes exactly one media item of type "${slots[0]!.type}"; got ${got}.`;
    else if (slots.every((s) => s.min === 1 && s.max === 1)) message = `Model ${model.name} takes exactly one ${slots.map((s) => `"${s.type}"`).join(' and one ')} media item; got ${got}.`;
    else {
      const parts = slots.map((s) => `${s.min} to ${s.max} ${plural(s, 2)} ("${s.type}")`);
      message = `Model ${model.name} takes ${parts.join(', ')}; got ${known.length === all.length ? `${slots.length === 1 ? countOf(slots[0]!.type) : got}` : got}.`;
      if (slots.length === 1) message = `Model ${model.name} takes ${slots[0]!.min} to ${slots[0]!.max} ${plural(slots[0]!, 2)}; got ${countOf(slots[0]!.type)}.`;
    }
    if (!problems.every((x) => x.includes('+'))) p.error('media-count', 'media', { field: rule.listField ?? 'media' }, message, 'fix the media items');
  }
}

/** `@ref_name ` bindings (PixVerse r2v) or numbered tokens (`[Image 2]`, `character1`). */
function checkPromptBinding(model: ModelEntry, view: RequestView, known: readonly MediaItemView[], p: Problems): void {
  const refs = model.media.promptRefs;
  const prompt = view.get('prompt');
  if (!refs) return;
  if (refs.style === 'ref-name') {
    const named = known.filter((i) => i.raw && typeof i.raw.ref_name === 'string' && i.raw.ref_name !== '');
    const names = named.map((i) => i.raw!.ref_name as string);
    const firstAt = new Map<string, MediaItemView>();
    for (const item of named) {
      const name = item.raw!.ref_name as string;
      if (!firstAt.has(name)) firstAt.set(name, item);
      else {
        p.error('ref-name-duplicate', 'ref-name', { ...item.at, key: 'ref_name' }, p.wire ? `ref_name "${name}" is used more than once; each ref_name must be unique.` : `ref_name '${name}' is used by two images`, 'give each image its own ref_name');
      }
    }
    if (typeof prompt !== 'string') return;
    if (p.wire) {
      wireRefNames([...firstAt.keys()], prompt, p);
      return;
    }
    for (const problem of checkPromptRefs(prompt, names)) {
      const at = problem.refName !== undefined ? { ...firstAt.get(problem.refName)!.at, key: 'ref_name' } : { field: 'prompt' };
      if (problem.severity === 'error') p.error(problem.code, 'ref-name', at, problem.message, problem.hint);
      else p.warn(problem.code, 'ref-name', at, problem.message, problem.hint);
    }
    return;
  }
  if (typeof prompt !== 'string') return;
  for (const token of refs.tokens) {
    const count = known.filter((i) => token.counts.includes(i.type)).length;
    const seen = new Set<string>();
    for (const m of prompt.matchAll(new RegExp(token.pattern, 'gu'))) {
      const n = Number(m[1]);
      if (n >= 1 && n <= count) continue;
      if (seen.has(m[0])) continue;
      seen.add(m[0]);
      const what = orList(token.counts);
      p.warn(
        'ref-out-of-range',
        'ref-name',
        { field: 'prompt' },
        p.wire ? `The prompt refers to "${m[0]}" but only ${count} ${what} item(s) are given.` : `'${m[0]}' in the prompt refers to ${what} item ${n}, but ${count === 0 ? 'none is' : `only ${count} ${count === 1 ? 'is' : 'are'}`} given (counted in media order)`,
        count === 0 ? `add a ${what} item, or drop '${m[0]}'` : `refer to ${token.display.replace('N', '1')}${count > 1 ? `…${token.display.replace('N', String(count))}` : ''}, or add more ${what} items`,
      );
    }
  }
}

/** The wire's wording of the ref_name rules (unique; bound one-to-one to `@name ` followed by a space). */
function wireRefNames(names: readonly string[], prompt: string, p: Problems): void {
  if (names.length === 0) return;
  for (const name of names) {
    const at = `@${name}`;
    if (!prompt.includes(at)) p.error('ref-unused', 'ref-name', { field: 'prompt' }, `ref_name "${name}" is not referenced in the prompt as "@${name} ".`, `mention @${name} `);
    else if (!prompt.includes(`${at} `)) p.error('ref-needs-space', 'ref-name', { field: 'prompt' }, `The reference "@${name}" in the prompt must be followed by a space.`, `write '@${name} '`);
  }
  // Every @reference in the prompt must name a media item (CJK prompts have no space before @).
  for (const m of prompt.matchAll(/@([^\s@]+)/g)) {
    const token = m[1] as string;
    if (!names.some((name) => token.startsWith(name))) p.error('ref-unknown', 'ref-name', { field: 'prompt' }, `The prompt references "@${token}" but no media item has that ref_name.`, 'fix the reference');
  }
}
