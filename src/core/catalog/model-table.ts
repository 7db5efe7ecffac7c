// The README's model table, written from the catalog so that the two never disagree
// (test/core/readme-models.test.ts compares them; UPDATE_README=1 rewrites the README's copy).
import { REGION_NAMES } from './regions.js';
import type { DurationRule, MediaRule, ModelEntry, PromptRule, Sizing } from './model-entry.js';
import { MODELS } from './models.js';
import { IMAGE2VIDEO_PATH } from './families/paths.js';

export const MODEL_TABLE_BEGIN = '<!-- model table: generated from src/core/catalog (npm test checks it) -->';
export const MODEL_TABLE_END = '<!-- end of model table -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\*/g, '\\*');

function sizing(s: Sizing): string {
  switch (s.kind) {
    case 'size':
      return `\`size\` ${Object.keys(s.tiers).join('/')} table${s.serverDefault ? ` (default ${s.serverDefault})` : ''}`;
    case 'resolution':
      return `\`resolution\` ${s.tiers.join('/')}${s.serverDefault ? ` (default ${s.serverDefault})` : ''}${s.sizes ? ', optional `size`' : ''}`;
    case 'resolution-ratio':
      return `\`resolution\` ${s.tiers.join('/')} + \`${s.ratioField}\` ${s.ratios.join(' ')}${s.ratioRequired ? ' (required)' : s.ratioDefault ? ` (default ${s.ratioDefault})` : ' (default: the input’s)'}`;
    case 'mode-aspect':
      return `\`mode\` ${Object.entries(s.modes).map(([m, t]) => `${m}=${t}`).join(' ')} + \`aspect_ratio\` ${s.ratios.join(' ')}`;
    case 'input':
      return s.tier ? `follows the input (output ${s.tier})` : 'follows the input';
  }
}

function durations(d: DurationRule): string {
  if (d.none) return 'the input’s length';
  const range = (r: Omit<DurationRule, 'withMedia'>) => (r.values ? r.values.join(', ') : `${r.min}–${r.max}`);
  const special = Object.entries(d.special ?? {}).map(([v, why]) => `${v} = ${why}`);
  const withMedia = d.withMedia ? [`${range(d.withMedia.rule)} with ${d.withMedia.types.join('/')}`] : [];
  const byTier = Object.entries(d.byTier ?? {}).map(([t, v]) => `${t}: ${v!.join(', ')}`);
  return [range(d), ...byTier, ...withMedia, ...special].join('; ') + (d.serverDefault === undefined ? ' (required)' : '');
}

function prompt(p: PromptRule): string {
  if (p.none) return 'none';
  return `${p.required ? '' : 'optional, '}≤ ${p.maxChars}${p.maxCjkChars ? ` (${p.maxCjkChars} CJK)` : ''}, ${p.overLength === 'truncated' ? 'cut beyond' : 'refused beyond'}`;
}

function media(m: MediaRule): string {
  if (m.shape === 'none') return '—';
  const slots = m.slots.map((s) => `${s.type} ${s.min === s.max ? s.min : `${s.min}–${s.max}`}`).join(', ');
  const where = m.shape === 'list' ? '`media`: ' : m.shape === 'url-list' ? `\`${m.listField}\`: ` : '';
  const refs = m.promptRefs ? (m.promptRefs.style === 'ref-name' ? '; `@ref_name `' : `; ${m.promptRefs.tokens.map((t) => t.display).join(', ')}`) : '';
  return `${where}${slots}${refs}`;
}

function regions(model: ModelEntry): string {
  return model.regions.join(', ') + (model.workspaceOnly ? ' (workspace hosts only)' : '');
}

/** One row per model, in catalog order. */
export function renderModelTable(models: Iterable<ModelEntry> = MODELS.values()): string {
  const rows = [
    '| model | media | sizing | duration (s) | prompt | regions |',
    '|---|---|---|---|---|---|',
    ...[...models].map((m) => `| \`${m.name}\`${m.endpoint === IMAGE2VIDEO_PATH ? ' (image2video path)' : ''} | ${cell(media(m.media))} | ${cell(sizing(m.sizing))} | ${cell(durations(m.duration))} | ${cell(prompt(m.prompt))} | ${regions(m)} |`),
  ];
  return rows.join('\n');
}

/** The README with its model table replaced by the catalog's; undefined when the markers are missing. */
export function withModelTable(readme: string): string | undefined {
  const a = readme.indexOf(MODEL_TABLE_BEGIN);
  const b = readme.indexOf(MODEL_TABLE_END);
  if (a < 0 || b < a) return undefined;
  return `${readme.slice(0, a + MODEL_TABLE_BEGIN.length)}\n${renderModelTable()}\n${readme.slice(b)}`;
}

