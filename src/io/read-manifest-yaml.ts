// YAML with positions (`yaml` itself is imported in yaml-text.ts only). Parses a manifest's text
// into plain data plus a `locate` function that maps a JSON pointer back to line:col — used only for issues, so
// a clean 10,000-shot manifest never pays for position lookups.
import { isMap, isPair, isScalar, isSeq, LineCounter, MAX_ALIAS_COUNT, parseDocument, yamlErrorMessage, type Document, type Node } from './yaml-text.js';
import { pointerSegments } from '../core/manifest/json-pointer.js';
import type { Issue, SourcePos } from '../core/types.js';

export interface ParsedYaml {
  /** The document as plain data; undefined when the text could not be used. */
  data: unknown;
  /** Syntax errors, duplicate keys, alias bombs (pointers unset, positions set). */
  issues: Issue[];
  /**
   * Position of the value at `pointer`, or of its key when `key` is set; when the path does not
   * exist, the position of the deepest node that does (e.g. the shot missing a required key).
   */
  locate(pointer: string, opts?: { key?: boolean }): SourcePos;
}

export function parseManifestYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // merge: allow `<<: *common` merge keys, a common way to share fields between shots.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const locate = (pointer: string, opts?: { key?: boolean }) => locateNode(doc, pointer, opts?.key ?? false, posAt);
  const issues: Issue[] = [];
  let fatal = false;
  for (const e of doc.errors) {
    const duplicate = e.code === 'DUPLICATE_KEY';
    if (!duplicate) fatal = true;
    issues.push({
      severity: 'error',
      code: duplicate ? 'duplicate-key' : 'yaml-syntax',
      message: duplicate ? `duplicate key${keyAt(text, e.pos[0])}: a mapping may name each key once` : `YAML syntax error: ${yamlErrorMessage(e.message)}`,
      hint: duplicate ? 'remove one of the two, or rename it' : yamlHint(e.code),
      pos: posAt(e.pos[0]),
    });
  }
  if (fatal) return { data: undefined, issues, locate };
  if (doc.contents === null) {
    issues.push({ severity: 'error', code: 'empty-manifest', message: 'the manifest is empty', hint: 'add name: and shots:', pos: { file, line: 1, col: 1 } });
    return { data: undefined, issues, locate };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const bomb = /alias/i.test(message);
    issues.push({
      severity: 'error',
      code: bomb ? 'alias-bomb' : 'yaml-data',
      message: bomb ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}): the file looks like an alias bomb` : `cannot read the YAML data: ${message}`,
      hint: bomb ? 'write the values out instead of nesting aliases' : 'check the anchors and aliases',
      pos: { file, line: 1, col: 1 },
    });
    return { data: undefined, issues, locate };
  }
  return { data, issues, locate };
}

function keyAt(text: string, offset: number): string {
  const m = /^[^:\n]{1,80}/.exec(text.slice(offset));
  return m ? ` '${m[0].trim()}'` : '';
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and closing brackets on this line';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; check for a missing ":" or quote above';
    case 'UNEXPECTED_TOKEN':
      return 'quote values that contain ": " or start with a special character';
    default:
      return 'fix the YAML at this position';
  }
}

function locateNode(doc: Document, pointer: string, wantKey: boolean, posAt: (offset: number) => SourcePos): SourcePos {
  let node: unknown = doc.contents;
  let lastRange: [number, number, number] | undefined = (node as Node | null)?.range ?? undefined;
  const segments = pointerSegments(pointer);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      if (last && wantKey && keyNode?.range) return posAt(keyNode.range[0]);
      node = pair.value;
      // `key:` with nothing after it: point at the key.
      const range = (node as Node | null)?.range ?? keyNode?.range;
      if (range) lastRange = range;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      const range = (item as Node | null)?.range;
      if (range) lastRange = range;
    } else break;
  }
  return lastRange ? posAt(lastRange[0]) : posAt(0);
}
