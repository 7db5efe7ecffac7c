// The fields a model takes and where each goes in a request (`input` or `parameters`), derived
// from its entry. The planner writes them in this order; the emulator refuses any other key; the
// validator names the models that take a field a shot's model does not.
import type { ModelEntry } from './model-entry.js';
import { MODELS } from './models.js';

export interface FieldPlace {
  name: string;
  in: 'input' | 'parameters';
}

const cache = new WeakMap<ModelEntry, readonly FieldPlace[]>();

/** Every field the model takes, in the order a request is written. */
export function fieldsOf(model: ModelEntry): readonly FieldPlace[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const input: string[] = [];
  const media = model.media;
  // PixVerse's documented order: media first, then the prompt; Wan: prompt first, then the URLs.
  if (media.shape === 'list') input.push('media');
  if (!model.prompt.none) input.push('prompt');
  if (model.negativePrompt) input.push('negative_prompt');
  if (media.shape === 'flat') input.push(...media.slots.map((s) => s.type));
  if (media.shape === 'url-list') input.push(media.listField!);
  input.push(...model.params.filter((p) => p.in === 'input').map((p) => p.name));

  const parameters: string[] = [];
  const s = model.sizing;
  if (s.kind === 'size') parameters.push('size');
  else if (s.kind === 'resolution') parameters.push('resolution', ...(s.sizes ? ['size'] : []));
  else if (s.kind === 'resolution-ratio') parameters.push('resolution', s.ratioField);
  else if (s.kind === 'mode-aspect') parameters.push('mode', 'aspect_ratio');
  if (!model.duration.none) parameters.push('duration');
  parameters.push(...model.params.filter((p) => p.in !== 'input').map((p) => p.name));

  const places: FieldPlace[] = [...input.map((name) => ({ name, in: 'input' as const })), ...parameters.map((name) => ({ name, in: 'parameters' as const }))];
  cache.set(model, places);
  return places;
}

export function placeOf(model: ModelEntry, name: string): 'input' | 'parameters' | undefined {
  return fieldsOf(model).find((f) => f.name === name)?.in;
}

/** The models that take a field, for hints ("shot_type is taken by pixverse/pixverse-v6-t2v, …"). */
export function modelsTaking(field: string): ModelEntry[] {
  return [...MODELS.values()].filter((m) => fieldsOf(m).some((f) => f.name === field));
}

/** Every field any model takes (the manifest's model-specific vocabulary), first seen first. */
export function allModelFields(): string[] {
  const out = new Set<string>();
  for (const m of MODELS.values()) for (const f of fieldsOf(m)) out.add(f.name);
  return [...out];
}
