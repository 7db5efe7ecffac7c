// The per-model part of the manifest's JSON Schema: for every catalog entry, the values a shot
// naming that model may write (its size table, resolution tiers, ratios, modes, durations, media
// counts, parameter values) and the fields it does not take, as `if model = X then …`. Derived
// from the entries alone, so a new catalog entry gets its conditions with no change here; a test
// checks for every entry that the schema and the validator agree on each rule.
//
// One principle: the schema never refuses what the validator accepts (an editor must not flag a
// valid manifest). A rule is therefore applied only to what the shot itself writes: a value
// inherited from `defaults` is the validator's to check, and so is a rule that depends on a
// field the shot does not write (a duration that is narrower at 1080P applies when the shot's own
// size or resolution is 1080P).
import { fieldsOf } from '../catalog/fields.js';
import { sizeTableOf, tiersOf } from '../catalog/lookup.js';
import type { DurationRule, ModelEntry, ParamRule } from '../catalog/model-entry.js';
import type { Tier } from '../types.js';
import { COMPAT_FIELDS, SHOT_FIELDS, SWEEP_FIELDS } from './manifest-fields.js';
import { takesImgUrl } from './shot-view.js';

type JsonSchema = Record<string, unknown>;

const SWEEPABLE: ReadonlySet<string> = new Set(SWEEP_FIELDS);

/** A value, or for a sweepable field also a list of such values (the list itself is checked by the structural schema). */
function valueOf(field: string, item: JsonSchema): JsonSchema {
  return SWEEPABLE.has(field) ? { anyOf: [item, { type: 'array', items: item }] } : item;
}

/** The definition key of a model's rules: its name with anything but [A-Za-z0-9._-] as `_` (no JSON-pointer escapes). */
export function ruleKeyOf(model: ModelEntry): string {
  return `model:${model.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The manifest fields a shot of this model may write, as the validator decides (validate-shot.ts). */
function fieldsTaken(model: ModelEntry): Set<string> {
  const taken = new Set(['id', 'model', ...fieldsOf(model).map((f) => f.name), 'fps', 'motion_strength']);
  // reference_image and a one-item media list stand for Wan's img_url (shot-view.ts).
  if (takesImgUrl(model)) taken.add('reference_image').add('media');
  return taken;
}

function durationItem(rule: Omit<DurationRule, 'withMedia'>, values?: readonly number[]): JsonSchema {
  const special = Object.keys(rule.special ?? {}).map(Number);
  const list = values ?? rule.values;
  if (list) return { type: 'integer', enum: [...new Set([...list, ...special])] };
  const range: JsonSchema = { type: 'integer', minimum: rule.min ?? 1, ...(rule.max !== undefined ? { maximum: rule.max } : {}) };
  return special.length ? { type: 'integer', anyOf: [range, { enum: special }] } : { type: 'integer', ...range };
}

/** The schema a shot satisfies when its own sizing field puts it at `tier`, or undefined when no field of the shot can. */
function atTier(model: ModelEntry, tier: Tier): JsonSchema | undefined {
  const s = model.sizing;
  if (s.kind === 'size') {
    const sizes = s.tiers[tier];
    return sizes ? { type: 'object', required: ['size'], properties: { size: { enum: [...sizes] } } } : undefined;
  }
  if (s.kind === 'resolution' || s.kind === 'resolution-ratio') return { type: 'object', required: ['resolution'], properties: { resolution: { const: tier } } };
  if (s.kind === 'mode-aspect') {
    const modes = Object.entries(s.modes).filter(([, t]) => t === tier).map(([m]) => m);
    return modes.length ? { type: 'object', required: ['mode'], properties: { mode: { enum: modes } } } : undefined;
  }
  return undefined;
}

/** The shot writes media that include one of `types` (a `media` item of that type, or the flat field). */
function writesMediaOf(model: ModelEntry, types: readonly string[]): JsonSchema {
  if (model.media.shape === 'list') return { type: 'object', required: ['media'], properties: { media: { type: 'array', contains: { type: 'object', required: ['type'], properties: { type: { enum: [...types] } } } } } };
  return { type: 'object', anyOf: types.map((t) => ({ required: [t], properties: { [t]: {} } })) };
}

/**
 * Duration: the base rule, narrower lists at some tiers, and a different rule with some media.
 * Where the media may come from `defaults` (the shot writes none), either rule is allowed.
 */
function durationRules(model: ModelEntry): { property: JsonSchema; conditions: JsonSchema[] } {
  const rule = model.duration;
  const conditions: JsonSchema[] = [];
  for (const [tier, values] of Object.entries(rule.byTier ?? {}) as [Tier, readonly number[]][]) {
    const when = atTier(model, tier);
    if (when) conditions.push({ if: when, then: { properties: { duration: valueOf('duration', durationItem(rule, values)) } } });
  }
  const w = rule.withMedia;
  if (!w) return { property: valueOf('duration', durationItem(rule)), conditions };
  const withItem = durationItem(w.rule);
  conditions.push({ if: writesMediaOf(model, w.types), then: { properties: { duration: valueOf('duration', withItem) } } });
  if (model.media.shape === 'list') {
    conditions.push({ if: { type: 'object', required: ['media'], not: writesMediaOf(model, w.types) }, then: { properties: { duration: valueOf('duration', durationItem(rule)) } } });
  }
  return { property: valueOf('duration', { anyOf: [durationItem(rule), withItem] }), conditions };
}

/** The sizing fields' values: the size table, the tiers, the ratios, the modes. */
function sizingProperties(model: ModelEntry): Record<string, JsonSchema> {
  const s = model.sizing;
  const out: Record<string, JsonSchema> = {};
  const sizes = sizeTableOf(model);
  if (sizes) out['size'] = valueOf('size', { enum: [...new Set(Object.values(sizes).flatMap((row) => row ?? []))] });
  if (s.kind === 'resolution' || s.kind === 'resolution-ratio') out['resolution'] = valueOf('resolution', { enum: tiersOf(model) });
  if (s.kind === 'resolution-ratio') out[s.ratioField] = valueOf(s.ratioField, { enum: [...s.ratios] });
  if (s.kind === 'mode-aspect') {
    out['mode'] = valueOf('mode', { enum: Object.keys(s.modes) });
    out['aspect_ratio'] = valueOf('aspect_ratio', { enum: [...s.ratios] });
  }
  return out;
}

/** Media counts: which types, how many items at most, which types must be there. */
function mediaProperty(model: ModelEntry): JsonSchema | undefined {
  const m = model.media;
  if (takesImgUrl(model)) return { type: 'array', maxItems: 1, items: { type: 'object', properties: { type: { const: 'image_url' } } } };
  if (m.shape !== 'list') return undefined;
  const extra = m.disputedExtra;
  // A disputed extra item is a warning in `validate`, so the schema allows it.
  const max = m.slots.reduce((n, slot) => n + (extra?.type === slot.type ? Number.POSITIVE_INFINITY : slot.max), 0);
  const totalsMax = Math.min(max, ...(m.totals ?? []).map((t) => t.max));
  const required = m.slots.filter((slot) => slot.min > 0 && !(m.combos || m.exclusive || m.totals));
  return {
    type: 'array',
    items: { type: 'object', properties: { type: { enum: m.slots.map((slot) => slot.type) } } },
    ...(Number.isFinite(totalsMax) ? { maxItems: totalsMax } : {}),
    ...(required.length ? { allOf: required.map((slot) => ({ contains: { type: 'object', required: ['type'], properties: { type: { const: slot.type } } } })) } : {}),
  };
}

/** A parameter's values on this model (an enum, a range), where the model narrows the union. */
function paramProperty(p: ParamRule): JsonSchema | undefined {
  if (p.type === 'enum' && p.values) return valueOf(p.name, { enum: [...p.values] });
  if (p.type === 'integer' && (p.min !== undefined || p.max !== undefined)) {
    return valueOf(p.name, { type: 'integer', ...(p.min !== undefined ? { minimum: p.min } : {}), ...(p.max !== undefined ? { maximum: p.max } : {}) });
  }
  return undefined;
}

/** What a shot naming this model may write: values per field, and `false` for the fields it does not take. */
export function modelShotRules(model: ModelEntry): JsonSchema {
  const taken = fieldsTaken(model);
  const properties: Record<string, JsonSchema | false> = {};
  for (const field of SHOT_FIELDS) if (!taken.has(field) && !COMPAT_FIELDS.includes(field)) properties[field] = false;
  if (!takesImgUrl(model)) properties['reference_image'] = false;
  Object.assign(properties, sizingProperties(model));
  const conditions: JsonSchema[] = [];
  if (!model.duration.none) {
    const d = durationRules(model);
    properties['duration'] = d.property;
    conditions.push(...d.conditions);
  }
  const media = mediaProperty(model);
  if (media) properties['media'] = media;
  for (const p of model.params) {
    const schema = paramProperty(p);
    if (schema) properties[p.name] = schema;
  }
  return {
    description: `Rules of ${model.name}`,
    type: 'object',
    properties,
    ...(conditions.length ? { allOf: conditions } : {}),
  };
}

export interface ModelRuleSchemas {
  /** Each model's rules, keyed by `ruleKeyOf`. */
  definitions: Record<string, JsonSchema>;
  /** For a shot: `if` it names model X, `then` X's rules. */
  shotConditions: JsonSchema[];
  /** For the manifest: `if` defaults name model X, the shots that name none follow X's rules. */
  defaultsConditions: JsonSchema[];
}

export function modelRuleSchemas(models: readonly ModelEntry[]): ModelRuleSchemas {
  const out: ModelRuleSchemas = { definitions: {}, shotConditions: [], defaultsConditions: [] };
  for (const model of models) {
    const key = ruleKeyOf(model);
    if (out.definitions[key]) throw new Error(`two catalog models share the schema key ${key}`);
    out.definitions[key] = modelShotRules(model);
    const rules = { $ref: `#/definitions/${key}` };
    const names = { type: 'object', required: ['model'], properties: { model: { const: model.name } } };
    out.shotConditions.push({ if: names, then: rules });
    out.defaultsConditions.push({
      if: { type: 'object', required: ['defaults'], properties: { defaults: names } },
      then: { type: 'object', properties: { shots: { type: 'array', items: { if: { type: 'object', not: { required: ['model'], properties: { model: {} } } }, then: rules } } } },
    });
  }
  return out;
}
