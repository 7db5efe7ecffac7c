// Defaults and sweeps: turns the manifest's shots into the list of concrete shots, each with the
// pointer of every value it uses so that an issue can be shown at the line that caused it.
//
// A sweepable field written as a list expands (cartesian product over SWEEP_FIELDS order); a
// list in `defaults` sweeps every shot that does not set the field itself. Ids get a readable,
// file-name-safe suffix made from each value, never from its position, so that editing a list
// keeps the ids (and derived seeds) of the values that stay: `hero@seed=2,size=720x1280`.
// Prompts are labelled by themselves when short and safe, else by a short hash
// (`hero@prompt=3f9a1c2b`), or by the user's labels when written as a mapping
// (`prompt: {wide: …, close: …}` → `hero@prompt=wide`).
import type { Issue, Shot } from '../types.js';
import { escapePointer } from './json-pointer.js';
import { SHOT_FIELDS, SWEEP_BY_LABEL, SWEEP_FIELDS } from './manifest-fields.js';
import type { ExpandedShot } from './manifest-types.js';
import { MAX_EXPANDED_ID_LENGTH, SWEEP_LABEL_PATTERN, shotIdProblem, sweepLabel, sweepLabelValue } from './shot-id.js';

export interface ExpansionResult {
  shots: ExpandedShot[];
  issues: Issue[];
}

interface Axis {
  field: string;
  values: readonly unknown[];
  /** The id label of each value. */
  labels: readonly string[];
  /** The pointer of each value. */
  pointers: readonly string[];
}

const LABEL_RE = new RegExp(SWEEP_LABEL_PATTERN);

const MERGED_FIELDS = SHOT_FIELDS.filter((f) => f !== 'id');

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function expandShots(data: unknown): ExpansionResult {
  const issues: Issue[] = [];
  const shots: ExpandedShot[] = [];
  if (!isRecord(data) || !Array.isArray(data['shots'])) return { shots, issues };
  const defaults = isRecord(data['defaults']) ? data['defaults'] : {};
  const list = data['shots'] as unknown[];
  if (list.length === 0) {
    issues.push({ severity: 'warning', code: 'no-shots', message: 'the manifest has no shots', hint: 'add shots under shots:', pointer: '/shots' });
  }

  // Ids as written: safe as file names, and unique.
  const firstIdAt = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isRecord(raw) || typeof raw['id'] !== 'string') continue;
    const id = raw['id'];
    const problem = shotIdProblem(id);
    if (problem) {
      issues.push({
        severity: 'error',
        code: 'unsafe-id',
        message: `shot id '${id}' ${problem}; ids are used as file names`,
        hint: `use letters, digits, '.', '_' and '-' (at most 100, not starting with '.' or '-'), e.g. '${suggestSafeId(id)}'`,
        shot: id,
        pointer: `/shots/${i}/id`,
      });
    }
    const first = firstIdAt.get(id);
    if (first === undefined) firstIdAt.set(id, i);
    else {
      issues.push({
        severity: 'error',
        code: 'duplicate-id',
        message: `duplicate shot id '${id}'`,
        hint: 'give each shot its own id',
        shot: id,
        pointer: `/shots/${i}/id`,
        related: [{ message: `'${id}' first defined here`, pointer: `/shots/${first}/id` }],
      });
    }
  }

  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isRecord(raw)) continue;
    const pointer = `/shots/${i}`;
    const baseId = typeof raw['id'] === 'string' ? raw['id'] : `shots[${i}]`;

    const merged: Record<string, unknown> = {};
    const fields: Record<string, string> = {};
    for (const f of MERGED_FIELDS) {
      if (f in raw) {
        merged[f] = raw[f];
        fields[f] = `${pointer}/${f}`;
      } else if (f in defaults) {
        merged[f] = defaults[f];
        fields[f] = `/defaults/${f}`;
      }
    }

    const axes: Axis[] = [];
    for (const f of SWEEP_FIELDS) {
      const v = merged[f];
      const labelled = SWEEP_BY_LABEL.has(f) && isRecord(v);
      if (!Array.isArray(v) && !labelled) continue;
      const axis = labelled ? labelledAxis(f, v as Record<string, unknown>, fields[f]!, baseId, issues) : listAxis(f, v as unknown[], fields[f]!);
      if (axis.values.length === 0) {
        delete merged[f]; // the schema reports the empty list; no zero-shot expansion
        continue;
      }
      axes.push(axis);
      issues.push(...duplicateSweepValues(axis, baseId));
    }

    if (axes.length === 0) {
      shots.push({ shot: { ...merged, id: baseId } as Shot, origin: { index: i, pointer, baseId, fields } });
      continue;
    }

    // Cartesian product, the first axis varying slowest: hero@seed=1,size=…, hero@seed=1,size=…
    const counters = axes.map(() => 0);
    const emitted = new Set<string>();
    for (;;) {
      const shot: Record<string, unknown> = { ...merged };
      const shotFields: Record<string, string> = { ...fields };
      const labels: string[] = [];
      for (let a = 0; a < axes.length; a++) {
        const axis = axes[a]!;
        const j = counters[a]!;
        shot[axis.field] = axis.values[j];
        shotFields[axis.field] = axis.pointers[j]!;
        labels.push(`${axis.field}=${axis.labels[j]}`);
      }
      const id = `${baseId}@${labels.join(',')}`;
      // Repeated sweep values give the same id twice: reported once above, expanded once here.
      if (!emitted.has(id)) {
        emitted.add(id);
        shot['id'] = id;
        shots.push({ shot: shot as unknown as Shot, origin: { index: i, pointer, baseId, fields: shotFields } });
        if (id.length > MAX_EXPANDED_ID_LENGTH) {
          issues.push({
            severity: 'error',
            code: 'id-too-long',
            message: `sweep id '${id.slice(0, 60)}…' is ${id.length} characters long (at most ${MAX_EXPANDED_ID_LENGTH})`,
            hint: 'shorten the shot id or sweep fewer fields in one shot',
            shot: id,
            pointer: `${pointer}/id`,
          });
        }
      }
      let a = axes.length - 1;
      while (a >= 0) {
        counters[a]! += 1;
        if (counters[a]! < axes[a]!.values.length) break;
        counters[a] = 0;
        a -= 1;
      }
      if (a < 0) break;
    }
  }
  return { shots, issues };
}

function listAxis(field: string, values: readonly unknown[], listPointer: string): Axis {
  const label = SWEEP_BY_LABEL.has(field) ? sweepLabel : sweepLabelValue;
  return { field, values, labels: values.map(label), pointers: values.map((_, j) => `${listPointer}/${j}`) };
}

/** `prompt: {wide: …, close: …}`: the user's labels, each checked as part of a file name. */
function labelledAxis(field: string, mapping: Record<string, unknown>, mapPointer: string, baseId: string, issues: Issue[]): Axis {
  const entries = Object.entries(mapping);
  for (const [label] of entries) {
    if (LABEL_RE.test(label)) continue;
    issues.push({
      severity: 'error',
      code: 'unsafe-id',
      message: `sweep label '${label}' cannot be part of a shot id (ids are used as file names)`,
      hint: `use 1–24 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. '${suggestSafeId(label).slice(0, 24)}'`,
      shot: baseId,
      pointer: `${mapPointer}/${escapePointer(label)}`,
    });
  }
  return { field, values: entries.map(([, v]) => v), labels: entries.map(([k]) => k), pointers: entries.map(([k]) => `${mapPointer}/${escapePointer(k)}`) };
}

/** Two values with one label in one sweep would render the same shot twice under one id. */
function duplicateSweepValues(axis: Axis, baseId: string): Issue[] {
  const { field, values, labels, pointers } = axis;
  const issues: Issue[] = [];
  const first = new Map<string, number>();
  labels.forEach((label, j) => {
    const k = first.get(label);
    if (k === undefined) first.set(label, j);
    else {
      const same = values[k] === values[j];
      issues.push({
        severity: 'error',
        code: 'duplicate-id',
        message: same
          ? `${field} ${JSON.stringify(values[j])} appears twice in the sweep list: the shots ${field}=${label} would be rendered twice under one id`
          : `${field} values ${JSON.stringify(values[k])} and ${JSON.stringify(values[j])} get the same id label '${label}'`,
        hint: same || !SWEEP_BY_LABEL.has(field) ? `remove the repeated ${field} value` : `write the ${field} sweep as a mapping of label to value (${field}: {a: …, b: …})`,
        shot: baseId,
        pointer: pointers[j]!,
        related: [{ message: `first ${field} ${JSON.stringify(values[k])} here`, pointer: pointers[k]! }],
      });
    }
  });
  return issues;
}

function suggestSafeId(id: string): string {
  const cleaned = id
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  if (cleaned === '') return 'shot-1';
  return shotIdProblem(cleaned) ? `${cleaned}-shot` : cleaned;
}
