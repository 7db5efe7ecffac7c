// Shot ids become file names (plan/<id>.json, videos/<id>.mp4), so they must be safe everywhere.
import { createHash } from 'node:crypto';

/** Letters, digits, `.`, `_`, `-`; not starting with `.` or `-`; at most 100 characters. */
export const SHOT_ID_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$';
const SHOT_ID_RE = new RegExp(SHOT_ID_PATTERN);

/** Device names Windows reserves whatever the extension (`con`, `con.txt`, `COM1`…). */
const RESERVED = new Set([
  'con', 'prn', 'aux', 'nul',
  'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

/** Longest id a sweep may produce; keeps `<id>.mp4.part` well under the 255-byte name limit. */
export const MAX_EXPANDED_ID_LENGTH = 200;

/** Why an id is unusable, or undefined when it is fine. */
export function shotIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.length > 100) return `is ${id.length} characters long (at most 100)`;
  if (id.startsWith('.') || id.startsWith('-')) return `starts with '${id[0]}'`;
  if (!SHOT_ID_RE.test(id)) {
    const bad = [...new Set([...id].filter((c) => !/[A-Za-z0-9._-]/.test(c)))].map((c) => `'${c}'`);
    return `contains ${bad.join(', ')}`;
  }
  if (RESERVED.has(id.split('.')[0]!.toLowerCase())) return `is a reserved device name on Windows`;
  return undefined;
}

/** A label a user gives a sweep value (`prompt: {wide: …}`), or one taken from a short value as is. */
export const SWEEP_LABEL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,23}$';
const SWEEP_LABEL_RE = new RegExp(SWEEP_LABEL_PATTERN);

/**
 * The id label of a value of a SWEEP_BY_LABEL field written in a list: the value itself when it
 * is short and safe (`dawn`), else the first 8 hex digits of its sha256 (`3f9a1c2b`). It depends
 * on the value only, so inserting, removing or reordering values keeps every other id — and
 * the seed derived from it.
 */
export function sweepLabel(value: unknown): string {
  const text = String(value);
  if (SWEEP_LABEL_RE.test(text)) return text;
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** A value as it appears in a sweep id: `*` → `x`, anything unsafe → `_`. */
export function sweepLabelValue(value: unknown): string {
  return String(value).replace(/\*/g, 'x').replace(/[^A-Za-z0-9._-]/g, '_');
}
