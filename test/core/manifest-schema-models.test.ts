// The editor schema's per-model rules agree with the validator, for every entry the catalog has
// (whatever entries are added later): the schema never flags a value the validator accepts, and
// it flags what the validator refuses on a shot's own size, resolution, ratio, mode, duration,
// media count and the fields the model does not take.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv, type ErrorObject } from 'ajv';
import { sizeTableOf, tiersOf } from '../../src/core/catalog/lookup.js';
import type { ModelEntry } from '../../src/core/catalog/model-entry.js';
import { MODELS } from '../../src/core/catalog/models.js';
import { buildManifestSchema } from '../../src/core/manifest/manifest-schema.js';
import { SHOT_FIELDS } from '../../src/core/manifest/manifest-fields.js';
import { TIERS } from '../../src/core/types.js';
import { checkManifest, oneShot } from '../helpers/manifest-test-kit.js';

const validateSchema = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(buildManifestSchema());
const URL = 'https://example.com/a.png';

/** The JSON pointers under /shots/0 where the schema and the validator see an error. */
function errorsOf(data: unknown, model: ModelEntry): { schema: string[]; validator: string[] } {
  validateSchema(data);
  const schema = (validateSchema.errors ?? [])
    // An `if`/`anyOf` failure only says that a branch failed; its own errors are listed too.
    .filter((e: ErrorObject) => e.keyword !== 'if' && e.keyword !== 'anyOf')
    .map((e) => e.instancePath);
  const validator = checkManifest(data, { region: model.regions[0]! })
    .filter((i) => i.severity === 'error')
    .map((i) => i.pointer ?? '');
  return { schema, validator };
}

const under = (pointers: string[], field: string): boolean => pointers.some((p) => p === `/shots/0/${field}` || p.startsWith(`/shots/0/${field}/`));

/** A value of the right type for a field (from any model that takes it), so only the model's rules can refuse it. */
function sampleOf(field: string): unknown {
  const fixed: Record<string, unknown> = {
    size: '1280*720', resolution: '720P', ratio: '16:9', aspect_ratio: '16:9', duration: 5, seed: 1,
    prompt: 'a lighthouse at dawn', negative_prompt: 'blur', media: [{ type: 'image_url', url: URL }],
    reference_image: URL, fps: 24, motion_strength: 0.5,
  };
  if (field in fixed) return fixed[field];
  for (const m of MODELS.values()) {
    if (m.sizing.kind === 'mode-aspect' && field === 'mode') return Object.keys(m.sizing.modes)[0];
    const p = m.params.find((x) => x.name === field);
    if (p) {
      if (p.type === 'boolean') return false;
      if (p.type === 'enum') return p.values![0];
      if (p.type === 'integer') return p.min ?? 1;
      if (p.type === 'object-list') return [Object.fromEntries(Object.entries(p.keys ?? {}).map(([k, t]) => [k, t === 'integer' ? 1 : 'x']))];
      return 'x';
    }
    if (m.media.shape === 'url-list' && m.media.listField === field) return [URL];
    if (m.media.shape === 'flat' && m.media.slots.some((s) => s.type === field)) return URL;
  }
  return 'x';
}

/** Asserts the two agree on `field` of a one-shot manifest; `refused` says what both must answer. */
function agree(model: ModelEntry, shot: Record<string, unknown>, field: string, refused?: boolean): void {
  const data = oneShot({ model: model.name, ...shot });
  const { schema, validator } = errorsOf(data, model);
  const what = `${model.name} ${JSON.stringify(shot)}`;
  if (under(schema, field)) assert.ok(under(validator, field), `${what}: the schema refuses ${field}, the validator does not (${validator.join(', ') || 'no error'})`);
  if (refused !== undefined) {
    assert.equal(under(validator, field), refused, `${what}: the validator ${refused ? 'accepts' : 'refuses'} ${field}`);
    assert.equal(under(schema, field), refused, `${what}: the schema ${refused ? 'accepts' : 'refuses'} ${field}`);
  }
}

function durationsOutside(model: ModelEntry): number[] {
  const d = model.duration;
  const special = new Set(Object.keys(d.special ?? {}).map(Number));
  const withMedia = d.withMedia?.rule;
  const allowedSomehow = (n: number) => special.has(n) || (d.values ? d.values.includes(n) : n >= (d.min ?? 1) && n <= (d.max ?? Infinity)) || (withMedia ? (withMedia.values ? withMedia.values.includes(n) : n >= (withMedia.min ?? 1) && n <= (withMedia.max ?? Infinity)) : false);
  return [1, 2, 3, 4, 6, 7, 9, 11, 16, 30].filter((n) => !allowedSomehow(n));
}

describe('editor schema: per-model rules agree with the validator', () => {
  assert.ok(MODELS.size > 0);
  for (const model of MODELS.values()) {
    it(model.name, () => {
      // Fields: every shot field, written alone with a value of the right type: refused by both
      // (a field the model does not take, a value it does not allow) or by neither.
      for (const field of SHOT_FIELDS) {
        if (field === 'id' || field === 'model') continue;
        const shot = { [field]: sampleOf(field) };
        agree(model, shot, field, under(errorsOf(oneShot({ model: model.name, ...shot }), model).validator, field));
      }
      // Sizes: every size of the table is accepted; one outside it is refused.
      const table = sizeTableOf(model);
      if (table) {
        for (const size of Object.values(table).flat()) agree(model, { size }, 'size', false);
        agree(model, { size: '1000*1000' }, 'size', true);
      }
      // Tiers: each of the model's is accepted, each other one is refused.
      if (model.sizing.kind === 'resolution' || model.sizing.kind === 'resolution-ratio') {
        for (const resolution of TIERS) agree(model, { resolution }, 'resolution', !tiersOf(model).includes(resolution));
        agree(model, { resolution: ['720P', '9000P'] }, 'resolution', true);
      }
      if (model.sizing.kind === 'resolution-ratio') agree(model, { [model.sizing.ratioField]: '7:5' }, model.sizing.ratioField, true);
      if (model.sizing.kind === 'mode-aspect') {
        agree(model, { mode: 'ultra' }, 'mode', true);
        agree(model, { aspect_ratio: '7:5' }, 'aspect_ratio', true);
      }
      // Durations: outside every rule of the model is refused, alone and in a sweep.
      if (!model.duration.none) {
        for (const duration of durationsOutside(model)) {
          agree(model, { duration }, 'duration', true);
          agree(model, { duration: [duration] }, 'duration', true);
        }
        if (model.duration.values) for (const duration of model.duration.values) agree(model, { duration }, 'duration', false);
        // Narrower at a tier, when the shot's own size or resolution puts it there.
        for (const [tier, values] of Object.entries(model.duration.byTier ?? {})) {
          const at = table ? { size: table[tier as keyof typeof table]![0] } : { resolution: tier };
          for (const duration of model.duration.values ?? []) agree(model, { ...at, duration }, 'duration', !values!.includes(duration));
        }
      } else agree(model, { duration: 5 }, 'duration', true);
      // Media: one item more than the model takes in all. (Per-type counts under that total, as
      // "one video and up to 4 images", need draft 2019-09's maxContains: the validator's.)
      const slots = model.media.shape === 'list' ? model.media.slots : [];
      const total = Math.min(slots.reduce((n, s) => n + s.max, 0), ...(model.media.totals ?? []).map((t) => t.max));
      const first = slots[0];
      if (first && !model.media.disputedExtra && total < 12 && (first.valueKey ?? 'url') === 'url') {
        agree(model, { media: Array.from({ length: total + 1 }, () => ({ type: first.type, url: URL })) }, 'media', true);
      }
    });
  }
});
