// Structural check of the parsed manifest against its JSON Schema (the only importer of ajv).
// ajv's errors are turned into issues in our own words: unknown keys get a "did you mean",
// wrong types say what was expected. Value rules are left to the catalog-driven validator.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { closest } from '../catalog/suggest.js';
import type { Issue } from '../types.js';
import { MODELS } from '../catalog/models.js';
import { MEDIA_ITEM_KEYS, MEDIA_TYPES, SHOT_FIELDS, SWEEP_BY_LABEL, SWEEP_FIELDS, TOP_LEVEL_KEYS } from './manifest-fields.js';
import { buildManifestSchema } from './manifest-schema.js';
import { escapePointer, pointerSegments } from './json-pointer.js';

/** Keywords whose failures the catalog-driven validator reports, with better wording and hints. */
const LEFT_TO_VALIDATOR = new Set(['enum', 'pattern', 'minimum', 'maximum']);

const SWEEPABLE: ReadonlySet<string> = new Set(SWEEP_FIELDS);

const STATIC_EXPECTED: Readonly<Record<string, string>> = {
  name: 'a string',
  version: 'an integer or a string',
  defaults: 'a mapping of shot fields',
  shots: 'a list of shots',
  media: 'a list of {type, url, ref_name?} items',
  model: 'a string',
  prompt: 'a string',
  negative_prompt: 'a string',
  size: 'a string "W*H"',
  resolution: 'a string such as 720P',
  duration: 'an integer number of seconds',
  audio: 'true or false',
  watermark: 'true or false',
  seed: 'an integer',
  prompt_extend: 'true or false',
  reference_image: 'a URL or a local path',
  fps: 'a number',
  motion_strength: 'a number',
  id: 'a string',
  url: 'a URL or a local path',
  ref_name: 'a non-empty string',
  reference_voice: 'a URL or a local path',
  content: 'a string',
  ratio: "a string such as '16:9' (quoted)",
  aspect_ratio: "a string such as '16:9' (quoted)",
  mode: 'a string',
};

/** What a field's value must be, for type errors: the static words, else from the catalog. */
const EXPECTED: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = { type: `a media type (${MEDIA_TYPES.slice(0, 4).join(', ')}…)` };
  for (const m of MODELS.values()) {
    for (const p of m.params) {
      out[p.name] ??=
        p.type === 'boolean' ? 'true or false' : p.type === 'enum' ? `one of ${(p.values ?? []).join(', ')}` : p.type === 'integer' ? 'an integer' : p.type === 'object-list' ? `a list of {${Object.keys(p.keys ?? {}).join(', ')}}` : 'a string';
    }
    if (m.media.shape === 'flat') for (const s of m.media.slots) out[s.type] ??= 'a URL or a local path';
    if (m.media.shape === 'url-list') out[m.media.listField!] ??= 'a list of URLs or local paths';
  }
  return { ...out, ...STATIC_EXPECTED };
})();

export interface SchemaChecker {
  /** Structural issues of a parsed manifest; pointers are set, positions are not. */
  check(data: unknown): Issue[];
}

/** Compiles the schema once; reuse the checker for many manifests. */
export function createSchemaChecker(): SchemaChecker {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate: ValidateFunction = ajv.compile(buildManifestSchema({ modelRules: false }));
  return {
    check(data) {
      if (validate(data)) return [];
      return translateErrors(validate.errors ?? [], data).map((issue) => withShot(issue, data));
    },
  };
}

/**
 * Issues inside `/shots/N` name their shot, like the catalog rules do: the id as written (before
 * any sweep suffix), or `shots[N]` when the shot has no usable id (as expandShots names it).
 */
function withShot(issue: Issue, data: unknown): Issue {
  const m = /^\/shots\/(\d+)(?:\/|$)/.exec(issue.pointer ?? '');
  if (!m) return issue;
  const index = Number(m[1]);
  const raw = valueAt(data, ['shots', String(index)]);
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : `shots[${index}]`;
  // Same key order as the catalog rules' issues (stable --json output).
  const { pointer, ...rest } = issue;
  return { ...rest, shot: id, pointer: pointer as string };
}

function translateErrors(errors: readonly ErrorObject[], data: unknown): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (LEFT_TO_VALIDATOR.has(e.keyword) || e.keyword === 'anyOf') continue;
    // A sweepable field is `anyOf: [value, list of values]`: keep the errors of the branch
    // that matches what was written (a list → the list branch, else the value branch).
    const segments = pointerSegments(e.instancePath);
    const branch = /\/anyOf\/(\d+)\//.exec(e.schemaPath)?.[1];
    if (branch !== undefined) {
      const depth = sweepDepth(e);
      const written = valueAt(data, segments.slice(0, depth));
      // 0: a value, 1: a list, 2: a mapping of label → value (SWEEP_BY_LABEL fields only).
      const labelled = SWEEP_BY_LABEL.has(segments[depth - 1] ?? '') && written !== null && typeof written === 'object' && !Array.isArray(written);
      if (branch !== (Array.isArray(written) ? '1' : labelled ? '2' : '0')) continue;
    }
    const context = contextOf(segments);
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const pointer = `${e.instancePath}/${escapePointer(key)}`;
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      issues.push(unknownKeyIssue(key, pointer, context));
      continue;
    }
    if (e.keyword === 'required') {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const where = context === 'top' ? 'the manifest' : context === 'media' ? 'this media item' : 'this shot';
      issues.push({
        severity: 'error',
        code: 'missing-key',
        message: `${where} is missing required key '${key}'`,
        hint: requiredHint(key),
        pointer: e.instancePath,
      });
      continue;
    }
    // Type, minItems, minLength…: one issue per value, worded from the field's name.
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    issues.push(typeIssue(segments, e, valueAt(data, segments)));
  }
  return issues;
}

/** Depth of the instance the `anyOf` applies to: the error's path minus what follows the branch. */
function sweepDepth(e: ErrorObject): number {
  const depth = e.instancePath.split('/').length - 1;
  // Errors inside the list branch's `items` (or the mapping branch's values) are one level below the swept field.
  return /\/anyOf\/(1\/items|2\/additionalProperties)\//.test(e.schemaPath) ? depth - 1 : depth;
}

type Context = 'top' | 'shot' | 'defaults' | 'media' | 'other';

function contextOf(segments: string[]): Context {
  if (segments.length === 0) return 'top';
  if (segments[0] === 'defaults' && segments.length === 1) return 'defaults';
  if (segments[0] === 'shots' && segments.length === 2) return 'shot';
  if (segments.at(-2) === 'media') return 'media';
  return 'other';
}

function unknownKeyIssue(key: string, pointer: string, context: Context): Issue {
  const candidates: readonly string[] =
    context === 'top' ? TOP_LEVEL_KEYS : context === 'media' ? MEDIA_ITEM_KEYS : SHOT_FIELDS;
  if (context === 'defaults' && key === 'id') {
    return {
      severity: 'error',
      code: 'unknown-key',
      message: `'id' cannot have a default: every shot needs its own id`,
      hint: 'remove id from defaults',
      pointer,
    };
  }
  const suggestion = closest(key, candidates);
  if (context === 'top') {
    return {
      severity: 'error',
      code: 'unknown-key',
      message: `unknown key '${key}' at the top level`,
      hint: suggestion ? `did you mean '${suggestion}'?` : `allowed keys: ${candidates.join(', ')}, or x-… for your own anchors`,
      pointer,
    };
  }
  const where = context === 'media' ? 'in a media item' : context === 'defaults' ? 'in defaults' : 'in a shot';
  return {
    severity: 'error',
    code: 'unknown-key',
    message: `unknown key '${key}' ${where}`,
    hint: suggestion
      ? `did you mean '${suggestion}'?`
      : `allowed keys: ${candidates.filter((c) => !(context === 'defaults' && c === 'id')).join(', ')}`,
    pointer,
  };
}

function requiredHint(key: string): string {
  switch (key) {
    case 'id':
      return 'add id: <name> (letters, digits, ".", "_", "-"), unique in the manifest';
    case 'name':
      return 'add name: <batch name> at the top; outputs go to output/<name>/';
    case 'shots':
      return 'add shots: with a list of shots';
    case 'type':
      return `add type: the media type of the shot's model (${MEDIA_TYPES.slice(0, 4).join(', ')}…)`;
    case 'url':
      return 'add url: an https URL, an oss:// URL or a path relative to the manifest';
    default:
      return `add ${key}`;
  }
}

function typeIssue(segments: string[], e: ErrorObject, value: unknown): Issue {
  // The field is the last non-index segment; a sweep item (`seed/2`) is named after its list.
  const last = segments.at(-1) ?? '';
  // A labelled sweep value (`prompt/wide`) too, when its parent is a shot's or the defaults' field.
  const labelledValue = SWEEP_BY_LABEL.has(segments.at(-2) ?? '') && (segments.length === 3 || (segments.length === 4 && segments[0] === 'shots'));
  const isIndex = /^\d+$/.test(last) || labelledValue;
  const field = isIndex ? (segments.at(-2) ?? '') : last;
  const inSweep = isIndex && SWEEPABLE.has(field);
  const expected = EXPECTED[field] ?? 'a different value';
  const got = describe(value);
  if (e.keyword === 'minItems') {
    return {
      severity: 'error',
      code: 'empty-list',
      message: `${field} is an empty list`,
      hint: SWEEPABLE.has(field) ? `give at least one value, or write a single ${field}` : `give at least one item, or remove ${field}`,
      pointer: e.instancePath,
    };
  }
  if (e.keyword === 'minLength') {
    return { severity: 'error', code: 'empty-value', message: `${field} is empty`, hint: `give ${expected}`, pointer: e.instancePath };
  }
  if (isIndex && field === 'shots') {
    return { severity: 'error', code: 'wrong-type', message: `a shot must be a mapping, got ${got}`, hint: 'write the shot as `- id: …` with its fields indented below', pointer: e.instancePath };
  }
  if (isIndex && field === 'media') {
    return { severity: 'error', code: 'wrong-type', message: `a media item must be a mapping, got ${got}`, hint: 'write `- type: image_url` and `url: …` indented below', pointer: e.instancePath };
  }
  return {
    severity: 'error',
    code: 'wrong-type',
    message: `${field}${inSweep ? ' (sweep value)' : ''} must be ${expected}${SWEEPABLE.has(field) && !inSweep ? ' (or a list to sweep)' : ''}, got ${got}`,
    hint: hintForType(field, value),
    pointer: e.instancePath,
  };
}

function hintForType(field: string, value: unknown): string {
  if ((field === 'id' || field === 'name' || field === 'prompt') && (typeof value === 'number' || typeof value === 'boolean')) return `quote it: ${field}: "${String(value)}"`;
  if (field === 'duration' && typeof value === 'string' && /^\d+\s*s?$/.test(value.trim())) return `write duration: ${parseInt(value, 10)} (a number, no unit)`;
  if ((field === 'seed' || field === 'duration') && typeof value === 'number') return `use a whole number, e.g. ${Math.round(value)}`;
  if ((field === 'seed' || field === 'duration') && typeof value === 'string' && /^\d+$/.test(value)) return `remove the quotes: ${field}: ${value}`;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return `write ${field}: ${value.toLowerCase()} without quotes`;
  if (field === 'size' && typeof value === 'number') return 'quote nothing, but write the size as W*H, e.g. size: 1280*720';
  return `give ${EXPECTED[field] ?? 'a valid value'}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, segments: string[]): unknown {
  let node: unknown = data;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}
