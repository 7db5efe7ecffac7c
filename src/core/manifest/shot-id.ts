// Shot ids become file names (plan/<id>.json, videos/<id>.mp4), so they must be safe everywhere.

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

/** A value as it appears in a sweep id: `*` → `x`, anything unsafe → `_`. */
export function sweepLabelValue(value: unknown): string {
  return String(value).replace(/\*/g, 'x').replace(/[^A-Za-z0-9._-]/g, '_');
}
