// The manifest's JSON Schema, generated from the catalog so that editors (through the
// `# yaml-language-server: $schema=…` modeline) and ajv see the same vocabulary. Every model's
// fields are the union of the catalog entries' fields; a field's type and its values (enums,
// ranges) come from the entries that take it. `schemas/manifest.schema.json` is this object
// written out; a test keeps the two identical.
//
// The schema checks structure: types, required keys, unknown keys; and, for editors, each model's
// rules conditioned on `model` (size table, tiers, durations, media counts, fields it does not
// take: model-schema-rules.ts), so the editor flags `size: 1000*1000` or `duration: 4` on a v5.6
// model. The validator runs the same rules from the catalog with better words and hints; its
// schema checker compiles the structural part only (`modelRules: false`) and leaves enum,
// pattern and range errors to it.
import { modelsTaking } from '../catalog/fields.js';
import { tiersOf } from '../catalog/lookup.js';
import type { ModelEntry, ParamRule } from '../catalog/model-entry.js';
import { MODELS } from '../catalog/models.js';
import { catalogItemKeys } from '../catalog/rules/media.js';
import { TIERS } from '../types.js';
import { MEDIA_TYPES, SHOT_FIELDS, SWEEP_FIELDS } from './manifest-fields.js';
import { modelRuleSchemas } from './model-schema-rules.js';
import { SHOT_ID_PATTERN } from './shot-id.js';

type JsonSchema = Record<string, unknown>;

const SWEEPABLE: ReadonlySet<string> = new Set(SWEEP_FIELDS);

/**
 * A field that may also be written as a non-empty list of values, which sweeps it. `anyOf`
 * rather than `type: [T, array]` so that an enum or pattern applies to the value or to each
 * list item, never to the list itself (editors would flag every sweep otherwise).
 */
function sweepable(item: JsonSchema, description: string): JsonSchema {
  return {
    description: `${description} A list of values sweeps the shot over them.`,
    anyOf: [item, { type: 'array', items: item, minItems: 1 }],
  };
}

/**
 * A sweepable field that may also be a mapping of label → value: the labels name the shots
 * (`prompt: {wide: …}` → `hero@prompt=wide`). The labels' rule is checked when expanding.
 */
function labelledSweep(field: JsonSchema, item: JsonSchema): JsonSchema {
  const f = field as { description: string; anyOf: JsonSchema[] };
  return {
    description: `${f.description} A mapping of label to value sweeps it too, the labels naming the shots.`,
    anyOf: [...f.anyOf, { type: 'object', additionalProperties: item, minProperties: 1 }],
  };
}

/** "pixverse/pixverse-v6-t2v, pixverse/pixverse-v6-it2v and 3 more": who takes a field. */
function takers(field: string): string {
  const names = modelsTaking(field).map((m) => m.name);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function union<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** The schema of one optional parameter, merged over every model that takes it. */
function paramSchema(name: string, rules: readonly ParamRule[]): JsonSchema {
  const first = rules[0]!;
  const doc = `${first.doc} (${takers(name)})`;
  let item: JsonSchema;
  switch (first.type) {
    case 'boolean':
      item = { type: 'boolean' };
      break;
    case 'enum':
      item = { type: 'string', enum: union(rules.flatMap((r) => r.values ?? [])) };
      break;
    case 'integer':
      item = { type: 'integer', ...(first.min !== undefined ? { minimum: Math.min(...rules.map((r) => r.min ?? 0)) } : {}), ...(first.max !== undefined ? { maximum: Math.max(...rules.map((r) => r.max ?? 0)) } : {}) };
      break;
    case 'string':
      item = { type: 'string', minLength: 1 };
      break;
    case 'object-list': {
      const keys = first.keys ?? {};
      item = {
        type: 'array',
        ...(Math.min(...rules.map((r) => r.min ?? 0)) > 0 ? { minItems: Math.min(...rules.map((r) => r.min ?? 0)) } : {}),
        items: {
          type: 'object',
          additionalProperties: false,
          required: Object.keys(keys),
          properties: Object.fromEntries(Object.entries(keys).map(([k, t]) => [k, { type: t }])),
        },
      };
      break;
    }
  }
  return SWEEPABLE.has(name) ? sweepable(item, doc) : { description: doc, ...item };
}

function paramRules(): Map<string, ParamRule[]> {
  const out = new Map<string, ParamRule[]>();
  for (const m of MODELS.values()) for (const p of m.params) out.set(p.name, [...(out.get(p.name) ?? []), p]);
  return out;
}

function ratiosOf(m: ModelEntry): readonly string[] {
  return m.sizing.kind === 'resolution-ratio' || m.sizing.kind === 'mode-aspect' ? m.sizing.ratios : [];
}

export interface ManifestSchemaOptions {
  /** Include each model's rules (`if model = X then …`). Default true; the validator's structural check leaves them out. */
  modelRules?: boolean;
}

export function buildManifestSchema(options: ManifestSchemaOptions = {}): JsonSchema {
  const rules = options.modelRules === false ? undefined : modelRuleSchemas([...MODELS.values()]);
  const models = [...MODELS.values()];
  const params = paramRules();
  const durations = models.flatMap((m) => [m.duration.min, m.duration.max, ...(m.duration.values ?? []), ...Object.keys(m.duration.special ?? {}).map(Number)]).filter((d): d is number => d !== undefined);
  const urlListFields = union(models.flatMap((m) => (m.media.shape === 'url-list' ? [m.media.listField!] : [])));
  const flatFields = union(models.flatMap((m) => (m.media.shape === 'flat' ? m.media.slots.map((s) => s.type) : [])));
  const fieldSchemas: Record<string, JsonSchema> = {
    id: {
      description: 'Unique shot id, used as a file name: letters, digits, ".", "_", "-"; at most 100 characters.',
      type: 'string',
      pattern: SHOT_ID_PATTERN,
    },
    model: { description: 'Exact Model Studio model name.', type: 'string', enum: models.map((m) => m.name) },
    prompt: labelledSweep(
      sweepable(
        { type: 'string' },
        'Text prompt (required by most models). PixVerse r2v refers to images as "@ref_name " (followed by a space); other models by position ("[Image 1]", "character1", "图1").',
      ),
      { type: 'string' },
    ),
    negative_prompt: { description: `What to avoid (${takers('negative_prompt')}).`, type: 'string' },
    media: {
      description: 'Input media in the API\'s own vocabulary: {type, url} items (a PixVerse lipsync TTS item carries id or content instead of url).',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { description: 'The API media type of the shot\'s model.', type: 'string', enum: [...MEDIA_TYPES] },
          url: { description: 'https URL, oss:// URL, data: URI where the model takes one, or a local path relative to this manifest.', type: 'string', minLength: 1 },
          ref_name: { description: 'PixVerse r2v: referred to in the prompt as "@ref_name ".', type: 'string', minLength: 1 },
          reference_voice: { description: 'Wan 2.7 r2v: an audio URL or local path giving the referenced character\'s voice.', type: 'string', minLength: 1 },
          id: { description: 'PixVerse lipsync: the TTS speaker ("auto" or a speaker id).', type: 'string', minLength: 1 },
          content: { description: 'PixVerse lipsync: the text to speak.', type: 'string', minLength: 1 },
          ...Object.fromEntries([...catalogItemKeys()].map(([k, { values, types }]) => [k, { description: `Taken on ${types.join(', ')} items.`, type: 'string', enum: values }])),
        },
      },
    },
    size: sweepable({ type: 'string', pattern: '^\\d+\\*\\d+$' }, `Output size "W*H" from the model's table (${takers('size')}).`),
    resolution: sweepable({ type: 'string', enum: union(models.flatMap((m) => (m.sizing.kind === 'resolution' || m.sizing.kind === 'resolution-ratio' ? tiersOf(m) : []))).sort((a, b) => TIERS.indexOf(a) - TIERS.indexOf(b)) }, `Resolution tier (${takers('resolution')}).`),
    ratio: sweepable({ type: 'string', enum: union(models.flatMap((m) => (m.sizing.kind === 'resolution-ratio' && m.sizing.ratioField === 'ratio' ? ratiosOf(m) : []))) }, `Aspect ratio with resolution (${takers('ratio')}).`),
    aspect_ratio: sweepable({ type: 'string', enum: union(models.flatMap((m) => (m.sizing.kind === 'mode-aspect' || (m.sizing.kind === 'resolution-ratio' && m.sizing.ratioField === 'aspect_ratio') ? ratiosOf(m) : []))) }, `Aspect ratio (${takers('aspect_ratio')}).`),
    mode: sweepable({ type: 'string', enum: union(models.flatMap((m) => (m.sizing.kind === 'mode-aspect' ? Object.keys(m.sizing.modes) : []))) }, `Quality mode, which picks the tier (${takers('mode')}).`),
    duration: sweepable({ type: 'integer', minimum: Math.min(...durations), maximum: Math.max(...durations) }, 'Seconds; each model has its own range or list.'),
    seed: sweepable({ type: 'integer', minimum: 0, maximum: 2147483647 }, 'Seed 0–2147483647; derived from the shot id when omitted.'),
    reference_image: { description: 'Wan i2v: the input image (sent as input.img_url; the Wan skill\'s name).', type: 'string', minLength: 1 },
    fps: { description: 'Accepted for compatibility with the Wan skill; DashScope has no such parameter and it is not sent.', type: 'number' },
    motion_strength: {
      description: 'Accepted for compatibility with the Wan skill; DashScope has no such parameter and it is not sent.',
      type: 'number',
    },
  };
  for (const field of flatFields) {
    fieldSchemas[field] = { description: `Input URL or local path, sent as input.${field} (${takers(field)}).`, type: 'string', minLength: 1 };
  }
  for (const field of urlListFields) {
    fieldSchemas[field] = { description: `Input URLs or local paths, in the order the prompt refers to them (${takers(field)}).`, type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };
  }
  for (const [name, rules] of params) if (!fieldSchemas[name]) fieldSchemas[name] = paramSchema(name, rules);
  // Field order as the manifest documents them.
  const ordered: Record<string, JsonSchema> = {};
  for (const field of SHOT_FIELDS) if (fieldSchemas[field]) ordered[field] = fieldSchemas[field]!;
  const { id: idSchema, ...defaultable } = ordered;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'pixverse-batch manifest',
    description: 'A batch of video shots for Alibaba Cloud Model Studio (PixVerse, Wan, HappyHorse, Kling, Vidu, MiniMax). Validate with `pixverse validate`.',
    type: 'object',
    additionalProperties: false,
    // `x-…` keys are ignored (as in Compose files): a place for YAML anchors shared by shots.
    patternProperties: { '^x-': {} },
    required: ['name', 'shots'],
    properties: {
      $schema: { type: 'string' },
      version: { description: 'Manifest format version.', type: ['integer', 'string'] },
      name: {
        description: 'Batch name; outputs go to output/<name>/.',
        type: 'string',
        pattern: SHOT_ID_PATTERN,
      },
      defaults: {
        description: 'Values every shot gets unless it sets its own; a list here sweeps every shot that does not override it.',
        type: 'object',
        additionalProperties: false,
        properties: defaultable,
      },
      shots: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: idSchema, ...defaultable },
          ...(rules ? { allOf: rules.shotConditions } : {}),
        },
      },
    },
    ...(rules ? { allOf: rules.defaultsConditions, definitions: rules.definitions } : {}),
  };
}
