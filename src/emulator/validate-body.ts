// Checks a submit body against the model's documented rules, taken from the catalog.
// Returns every violation with its rule class; the server decides which ones answer 400 and
// which ones become a FAILED task (EmulatorOptions.taskFailureRules).
import type { ModelEntry, UrlRule } from '../core/catalog/model-entry.js';
import { allowedDurations, tierOfSize } from '../core/catalog/models.js';
import { urlAccepted } from '../core/catalog/url-schemes.js';
import type { Tier } from '../core/types.js';
import type { DisputedRulesReading, RuleClass, UnknownKeysMode } from './types.js';

export interface Violation {
  rule: RuleClass;
  message: string;
}

export interface BodyCheck {
  violations: Violation[];
  /** Things the real service does silently (prompt truncation, an ignored unknown key). */
  notes: string[];
  /** Tier of the request, when it could be derived. */
  tier?: Tier;
  /** Every input URL in the body (img_url, media[].url, audio_url). */
  urls: string[];
}

export interface CheckOptions {
  /** Which reading of a rule the official pages disagree on (catalog/disputes.ts). Default strict. */
  disputedRules?: DisputedRulesReading;
  /** Keys the docs do not list: refused (400) or ignored (noted). Default refuse. */
  unknownKeys?: UnknownKeysMode;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkBody(body: Json, model: ModelEntry, opts: CheckOptions = {}): BodyCheck {
  const out: BodyCheck = { violations: [], notes: [], urls: [] };
  const ignoreUnknown = opts.unknownKeys === 'ignore';
  const add = (rule: RuleClass, message: string) => {
    // Ignored unknown keys are what the official SDKs' traffic suggests the service does; note them.
    if (rule === 'unknown-parameter' && ignoreUnknown) out.notes.push(`ignored: ${message}`);
    else out.violations.push({ rule, message });
  };
  const lenient = opts.disputedRules === 'lenient';

  const input = body.input;
  if (!isObject(input)) {
    add('required', 'Required parameter "input" missing from request or not an object.');
    return out;
  }
  const params = body.parameters === undefined ? {} : body.parameters;
  if (!isObject(params)) {
    add('type', 'Field "parameters" must be an object.');
    return out;
  }

  checkInput(input, model, out, add, lenient);
  checkParameters(params, model, out, add, lenient);
  return out;
}

/** A URL field's value: an accepted scheme, else the documented 400 InvalidURL. */
function checkUrl(url: string, rule: UrlRule, field: string, out: BodyCheck, add: (r: RuleClass, m: string) => void): void {
  out.urls.push(url);
  if (!urlAccepted(rule, url)) add('url', `Field "${field}" is not a URL this model takes (${rule.schemes.join(', ')}).`);
}

/**
 * Input fields the official SDKs add to every video-synthesis body (`extend_prompt`, deprecated,
 * always true — Python and Node; `function`, "video-synthesis" — Python). The docs do not list
 * them, yet the official clients send them on every call: accepted whatever `unknownKeys` says,
 * or the SDKs could not be pointed at the emulator.
 */
const SDK_ENVELOPE_INPUT_KEYS = ['extend_prompt', 'function'];

function allowedInputKeys(model: ModelEntry): Set<string> {
  const keys = new Set(['prompt', ...SDK_ENVELOPE_INPUT_KEYS]);
  if (model.negativePrompt) keys.add('negative_prompt');
  if (model.media.kind === 'img-url') {
    keys.add('img_url');
    keys.add('audio_url');
  } else if (model.media.kind !== 'none') {
    keys.add('media');
  }
  return keys;
}

function allowedParameterKeys(model: ModelEntry): Set<string> {
  const keys = new Set(['duration', 'seed', 'watermark', model.frame.kind === 'size' ? 'size' : 'resolution']);
  for (const k of Object.keys(model.defaults)) keys.add(k);
  return keys;
}

function checkInput(input: Json, model: ModelEntry, out: BodyCheck, add: (r: RuleClass, m: string) => void, lenient: boolean): void {
  const allowed = allowedInputKeys(model);
  for (const key of Object.keys(input)) {
    if (!allowed.has(key)) add('unknown-parameter', `Parameter "input.${key}" is not supported by model ${model.name}.`);
  }

  const prompt = input.prompt;
  if (prompt === undefined || prompt === null || prompt === '') {
    if (model.prompt.required) add('required', `Required parameter "input.prompt" missing for model ${model.name}.`);
  } else if (typeof prompt !== 'string') {
    add('type', 'Field "input.prompt" must be a string.');
  } else if ([...prompt].length > model.prompt.maxChars) {
    // The real service truncates silently; the emulator accepts and records it.
    out.notes.push(`prompt truncated from ${[...prompt].length} to ${model.prompt.maxChars} characters`);
  }

  const negative = input.negative_prompt;
  if (negative !== undefined && model.negativePrompt) {
    if (typeof negative !== 'string') add('type', 'Field "input.negative_prompt" must be a string.');
    else if ([...negative].length > model.negativePrompt.maxChars) {
      out.notes.push(`negative_prompt truncated from ${[...negative].length} to ${model.negativePrompt.maxChars} characters`);
    }
  }

  const media = model.media;
  if (media.kind === 'img-url') {
    const img = input.img_url;
    if (typeof img !== 'string' || img.length === 0) add('required', `Required parameter "input.img_url" missing for model ${model.name}.`);
    else checkUrl(img, model.image.urls, 'input.img_url', out, add);
    if (input.audio_url !== undefined && model.audio) {
      if (typeof input.audio_url !== 'string' || input.audio_url.length === 0) add('type', 'Field "input.audio_url" must be a URL string.');
      else checkUrl(input.audio_url, model.audio.urls, 'input.audio_url', out, add);
    }
    return;
  }
  if (media.kind === 'none') return;

  const items = input.media;
  if (items === undefined) {
    add('required', `Required parameter "input.media" missing for model ${model.name}.`);
    return;
  }
  if (!Array.isArray(items)) {
    add('type', 'Field "input.media" must be an array.');
    return;
  }
  const types: string[] = [];
  const refNames: string[] = [];
  items.forEach((item, i) => {
    if (!isObject(item)) {
      add('type', `input.media[${i}] must be an object with "type" and "url".`);
      return;
    }
    for (const key of Object.keys(item)) {
      const ok = key === 'type' || key === 'url' || (key === 'ref_name' && media.kind === 'references');
      if (!ok) add('unknown-parameter', `Field "input.media[${i}].${key}" is not supported by model ${model.name}.`);
    }
    if (typeof item.type !== 'string') add('required', `input.media[${i}].type is required.`);
    else types.push(item.type);
    if (typeof item.url !== 'string' || item.url.length === 0) add('required', `input.media[${i}].url is required.`);
    else checkUrl(item.url, model.image.urls, `input.media[${i}].url`, out, add);
    if (item.ref_name !== undefined && media.kind === 'references') {
      if (typeof item.ref_name !== 'string' || item.ref_name.length === 0) add('type', `input.media[${i}].ref_name must be a non-empty string.`);
      else refNames.push(item.ref_name);
    }
  });

  if (media.kind === 'first-frame') {
    // Several images: disputed (one page: the last one is used; another: at most one).
    const several = items.length > 1 && media.several !== undefined && lenient;
    if ((items.length !== 1 && !several) || types.some((t) => t !== 'image_url')) {
      add('media', `Model ${model.name} takes exactly one media item of type "image_url"; got ${describeTypes(types)}.`);
    } else if (several) {
      out.notes.push(`${items.length} images given: the last one is used`);
    }
  } else if (media.kind === 'keyframes') {
    const first = types.filter((t) => t === 'first_frame').length;
    const last = types.filter((t) => t === 'last_frame').length;
    if (items.length !== 2 || first !== 1 || last !== 1) {
      add('media', `Model ${model.name} takes exactly one "first_frame" and one "last_frame" media item; got ${describeTypes(types)}.`);
    }
  } else if (media.kind === 'references') {
    if (items.length < media.min || items.length > media.max) {
      add('media', `Model ${model.name} takes ${media.min} to ${media.max} reference images; got ${items.length}.`);
    }
    const bad = types.filter((t) => t !== 'image_url');
    if (bad.length > 0) add('media', `Model ${model.name} takes media items of type "image_url" only; got ${describeTypes(bad)}.`);
    checkRefNames(refNames, typeof prompt === 'string' ? prompt : '', add);
  }
}

function describeTypes(types: readonly string[]): string {
  return types.length === 0 ? 'none' : types.map((t) => `"${t}"`).join(', ');
}

/** ref_name values are unique and bound one-to-one to `@name ` (followed by a space) in the prompt. */
function checkRefNames(refNames: readonly string[], prompt: string, add: (r: RuleClass, m: string) => void): void {
  if (refNames.length === 0) return;
  const seen = new Set<string>();
  for (const name of refNames) {
    if (seen.has(name)) add('ref-name', `ref_name "${name}" is used more than once; each ref_name must be unique.`);
    seen.add(name);
  }
  for (const name of seen) {
    const at = `@${name}`;
    if (!prompt.includes(at)) add('ref-name', `ref_name "${name}" is not referenced in the prompt as "@${name} ".`);
    else if (!prompt.includes(`${at} `)) add('ref-name', `The reference "@${name}" in the prompt must be followed by a space.`);
  }
  // Every @reference in the prompt must name a media item (CJK prompts have no space before @).
  for (const m of prompt.matchAll(/@([^\s@]+)/g)) {
    const token = m[1] as string;
    const bound = [...seen].some((name) => token.startsWith(name));
    if (!bound) add('ref-name', `The prompt references "@${token}" but no media item has that ref_name.`);
  }
}

function checkParameters(params: Json, model: ModelEntry, out: BodyCheck, add: (r: RuleClass, m: string) => void, lenient: boolean): void {
  const allowed = allowedParameterKeys(model);
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) add('unknown-parameter', `Parameter "parameters.${key}" is not supported by model ${model.name}.`);
  }

  let tier: Tier | undefined;
  const frame = model.frame;
  if (frame.kind === 'size') {
    const size = params.size;
    if (size === undefined) add('required', `Required parameter "parameters.size" missing for model ${model.name}.`);
    else if (typeof size !== 'string') add('type', 'Field "parameters.size" must be a string like "1280*720".');
    else {
      tier = tierOfSize(model, size);
      if (!tier) add('size', `The size is not match the allowed sizes of model ${model.name}: "${size}".`);
    }
  } else {
    const resolution = params.resolution;
    if (resolution === undefined) {
      if (frame.serverDefault) tier = frame.serverDefault;
      else add('required', `Required parameter "parameters.resolution" missing for model ${model.name}.`);
    } else if (typeof resolution !== 'string' || !frame.tiers.includes(resolution as Tier) || (frame.disputedTiers?.[resolution as Tier] && !lenient)) {
      // A disputed tier is refused under the strict reading (the default).
      const allowed = lenient ? frame.tiers : frame.tiers.filter((t) => !frame.disputedTiers?.[t]);
      add('resolution', `The resolution "${String(resolution)}" is not supported by model ${model.name}; allowed: ${allowed.join(', ')}.`);
    } else {
      tier = resolution as Tier;
    }
  }
  if (tier) out.tier = tier;

  const duration = params.duration;
  const rule = model.duration;
  if (duration === undefined) {
    if (rule.serverDefault === undefined) add('required', `Required parameter "parameters.duration" missing for model ${model.name}.`);
  } else if (typeof duration !== 'number' || !Number.isInteger(duration)) {
    add('type', 'Field "parameters.duration" must be an integer number of seconds.');
  } else {
    const list = allowedDurations(rule, tier);
    if (list && !list.includes(duration)) {
      add('duration', `The duration ${duration} is not supported by model ${model.name}${tier && rule.byTier?.[tier] ? ` at ${tier}` : ''}; allowed: ${list.join(', ')}.`);
    } else if (!list && ((rule.min !== undefined && duration < rule.min) || (rule.max !== undefined && duration > rule.max))) {
      add('duration', `The duration ${duration} is out of range for model ${model.name}; allowed: ${rule.min}-${rule.max}.`);
    }
  }

  for (const key of ['audio', 'watermark', 'prompt_extend'] as const) {
    if (params[key] !== undefined && allowed.has(key) && typeof params[key] !== 'boolean') {
      add('type', `Field "parameters.${key}" must be a boolean.`);
    }
  }
  if (params.shot_type !== undefined && allowed.has('shot_type') && params.shot_type !== 'single' && params.shot_type !== 'multi') {
    add('type', 'Field "parameters.shot_type" must be "single" or "multi".');
  }

  const seed = params.seed;
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < model.seed.min || seed > model.seed.max) {
      add('seed', `The seed must be an integer within [${model.seed.min}, ${model.seed.max}]; got ${JSON.stringify(seed)}.`);
    }
  }
}
