// The manifest's JSON Schema, generated from the catalog and the field list so that editors
// (through the `# yaml-language-server: $schema=…` modeline) and ajv see the same rules.
// `schemas/manifest.schema.json` is this object written out; a test keeps the two identical.
//
// The schema checks structure: types, required keys, unknown keys. Value rules that depend on
// the model (size tables, durations, ranges) live in the catalog-driven validator; the enums,
// patterns and ranges below are here for editor completion and hover, and the schema checker
// leaves their errors to that validator (which words them better, with hints).
import { MODELS } from '../catalog/models.js';
import { TIERS } from '../types.js';
import { MEDIA_TYPES, SHOT_FIELDS } from './manifest-fields.js';
import { SHOT_ID_PATTERN } from './shot-id.js';

type JsonSchema = Record<string, unknown>;

const SEED_MAX = 2147483647;

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

export function buildManifestSchema(): JsonSchema {
  const models = [...MODELS.keys()];
  const fieldSchemas: Record<(typeof SHOT_FIELDS)[number], JsonSchema> = {
    id: {
      description: 'Unique shot id, used as a file name: letters, digits, ".", "_", "-"; at most 100 characters.',
      type: 'string',
      pattern: SHOT_ID_PATTERN,
    },
    model: { description: 'Exact DashScope model name.', type: 'string', enum: models },
    prompt: sweepable(
      { type: 'string' },
      'Text prompt. Required except for it2v and Wan. r2v refers to images as "@ref_name " (followed by a space).',
    ),
    negative_prompt: { description: 'Wan only: what to avoid, at most 500 characters.', type: 'string' },
    media: {
      description: 'Input images: it2v one image_url; kf2v one first_frame and one last_frame; r2v 1–7 image_url with optional ref_name.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'url'],
        properties: {
          type: { description: 'The API media type.', type: 'string', enum: [...MEDIA_TYPES] },
          url: { description: 'https URL, oss:// URL, or a local path relative to this manifest.', type: 'string', minLength: 1 },
          ref_name: { description: 'r2v only: referred to in the prompt as "@ref_name ".', type: 'string', minLength: 1 },
        },
      },
    },
    size: sweepable({ type: 'string', pattern: '^\\d+\\*\\d+$' }, 't2v/r2v: output size "W*H" from the model\'s table.'),
    resolution: sweepable({ type: 'string', enum: [...TIERS] }, 'it2v/kf2v/Wan: resolution tier.'),
    duration: sweepable({ type: 'integer', minimum: 1, maximum: 15 }, 'Seconds. v5.6: 5, 8 or 10 (5 or 8 at 1080P); c1/v6: 1–15; Wan 2.6: 2–15.'),
    audio: sweepable({ type: 'boolean' }, 'Generate sound. PixVerse default false; wan2.6-i2v-flash default true.'),
    watermark: { description: 'Add the "AI生成" mark. Default false.', type: 'boolean' },
    seed: sweepable({ type: 'integer', minimum: 0, maximum: SEED_MAX }, 'Seed 0–2147483647; derived from the shot id when omitted.'),
    prompt_extend: { description: 'Wan only: let the server rewrite the prompt. Default true.', type: 'boolean' },
    shot_type: sweepable({ type: 'string', enum: ['single', 'multi'] }, 'v6 t2v/it2v and Wan: single or multi-shot.'),
    reference_image: { description: 'Wan only: the input image (sent as input.img_url).', type: 'string', minLength: 1 },
    fps: { description: 'Accepted for compatibility with the Wan skill; DashScope has no such parameter and it is not sent.', type: 'number' },
    motion_strength: {
      description: 'Accepted for compatibility with the Wan skill; DashScope has no such parameter and it is not sent.',
      type: 'number',
    },
  };
  const { id: idSchema, ...defaultable } = fieldSchemas;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'pixverse-batch manifest',
    description: 'A batch of video shots for DashScope (PixVerse and Wan). Validate with `pixverse validate`.',
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
        },
      },
    },
  };
}
