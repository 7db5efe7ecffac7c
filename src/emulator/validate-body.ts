// Checks a submit body against its model with the catalog's rules, the same ones the manifest
// validator applies (src/core/catalog/rules/), plus what only the wire has: keys in the wrong
// place or unknown to the docs. Returns every violation with its rule class; the server decides
// which ones answer 400 and which ones become a FAILED task (EmulatorOptions.taskFailureRules).
import { fieldsOf } from '../core/catalog/fields.js';
import type { ModelEntry } from '../core/catalog/model-entry.js';
import { checkRequest } from '../core/catalog/rules/check-request.js';
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
  /** Every input URL in the body (media[].url, flat URL fields, URL lists, reference_voice). */
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

/**
 * Input fields the official SDKs add to every video-synthesis body (`extend_prompt`, deprecated,
 * always true — Python and Node; `function`, "video-synthesis" — Python). The docs do not list
 * them, yet the official clients send them on every call: accepted whatever `unknownKeys` says,
 * or the SDKs could not be pointed at the emulator.
 */
const SDK_ENVELOPE_INPUT_KEYS: ReadonlySet<string> = new Set(['extend_prompt', 'function']);

export function checkBody(body: Json, model: ModelEntry, opts: CheckOptions = {}): BodyCheck {
  const out: BodyCheck = { violations: [], notes: [], urls: [] };
  const ignoreUnknown = opts.unknownKeys === 'ignore';
  const add = (rule: RuleClass, message: string) => {
    // Ignored unknown keys are what the official SDKs' traffic suggests the service does; note them.
    if (rule === 'unknown-parameter' && ignoreUnknown) out.notes.push(`ignored: ${message}`);
    else out.violations.push({ rule, message });
  };

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

  // Keys in their documented place only; an unknown key never reaches the rules.
  const places = fieldsOf(model);
  const fields: Json = {};
  for (const [where, obj] of [['input', input], ['parameters', params]] as const) {
    for (const [key, value] of Object.entries(obj)) {
      if (where === 'input' && SDK_ENVELOPE_INPUT_KEYS.has(key)) continue;
      if (places.some((f) => f.name === key && f.in === where)) fields[key] = value;
      else add('unknown-parameter', `Parameter "${where}.${key}" is not supported by model ${model.name}.`);
    }
  }

  const lenient = opts.disputedRules === 'lenient';
  const result = checkRequest(model, { get: (field) => fields[field] }, { side: 'wire', disputes: lenient ? 'lenient' : 'strict' });
  for (const p of result.problems) {
    if (p.severity === 'warning') {
      if (p.message) out.notes.push(p.message);
    } else add(p.klass, p.message);
  }
  if (result.tier) out.tier = result.tier;
  out.urls = urlsOf(model, fields);
  return out;
}

/** Every URL value in the body's media fields (for the oss:// checks). */
function urlsOf(model: ModelEntry, fields: Json): string[] {
  const urls: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === 'string' && v !== '') urls.push(v);
  };
  const media = model.media;
  if (media.shape === 'list' && Array.isArray(fields.media)) {
    for (const item of fields.media) {
      if (!isObject(item)) continue;
      push(item.url);
      push(item.reference_voice);
    }
  } else if (media.shape === 'flat') {
    for (const slot of media.slots) push(fields[slot.type]);
  } else if (media.shape === 'url-list' && Array.isArray(fields[media.listField!])) {
    for (const v of fields[media.listField!] as unknown[]) push(v);
  }
  return urls;
}
