// The one importer of `yaml`. Its own functions handle YAML as plain data, for files the tool
// writes and reads back (the lock file); the manifest reader (read-manifest-yaml.ts), which needs
// the parser's nodes and positions for its issues, takes those from the re-exports below.
// Reading goes through a real YAML parser so any valid YAML a teammate or a merge tool produces
// (re-indented, flow style, single quotes, CRLF) reads the same; writing is canonical so a no-op
// rewrite is byte-identical.
import { Document, isScalar, LineCounter, parseDocument, visit } from 'yaml';

export { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
export type { Document, Node } from 'yaml';

/** Aliases allowed when converting to data: enough for any real manifest (a lock has none), fatal to alias bombs. */
export const MAX_ALIAS_COUNT = 100;

/** A parser error's first line, without the `at line L, column C` the position already gives. */
export function yamlErrorMessage(message: string): string {
  return message.split('\n')[0]!.replace(/\s+at line \d+, column \d+:?$/, '');
}

export type YamlTextParse =
  /** Mappings come back as `Map`s (insertion order kept, no `__proto__` surprises); null for an empty document. */
  | { ok: true; data: unknown }
  | { ok: false; line: number; col: number; message: string };

/** Parses YAML 1.2 text to data. Syntax errors, duplicate keys and alias bombs are refused with their position. */
export function parseYamlText(text: string): YamlTextParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    return { ok: false, line: pos.line, col: pos.col, message: first.code === 'DUPLICATE_KEY' ? 'duplicate key: a mapping may name each key once' : yamlErrorMessage(first.message) };
  }
  try {
    return { ok: true, data: doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT }) ?? null };
  } catch (error) {
    return { ok: false, line: 1, col: 1, message: error instanceof Error ? error.message : String(error) };
  }
}

export interface StringifyYamlOptions {
  /** Comment lines put at the top of the document (without the leading `# `). */
  comment?: string[];
  /**
   * Mapping keys written plain (our own field names). Every other key, and every string value,
   * is double-quoted: user strings such as `yes`, `1`, `@x` or `a: b` then mean the same to any
   * YAML reader, 1.1 or 1.2.
   */
  plainKeys?: ReadonlySet<string>;
}

/**
 * Canonical block YAML: mappings in insertion order (pass a `Map` where keys may look like
 * integers, which plain objects would reorder), no line folding, LF line ends.
 */
export function stringifyYaml(data: unknown, opts: StringifyYamlOptions = {}): string {
  const doc = new Document(data);
  if (opts.comment?.length) doc.commentBefore = opts.comment.map((line) => ` ${line}`).join('\n');
  const plain = opts.plainKeys ?? new Set<string>();
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && !plain.has(pair.key.value)) pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  // lineWidth 0: never fold a long string (a URL) over two lines.
  return doc.toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', indent: 2 });
}
