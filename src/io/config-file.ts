// Reads one config file into a value, and places every failure: `file:line:col`, the whole
// reason and the offending line, never a stack. Script configs (.ts .mts .cts .js .mjs .cjs) are
// loaded through jiti (cosmiconfig 9's own .ts loader needs the TypeScript JS API, which
// TypeScript 7 no longer ships; its .mjs loader falls back to require() and loses the reason),
// JSON through JSON.parse.
import { createJiti } from 'jiti';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { escapePointer } from '../core/manifest/json-pointer.js';
import { parseManifestYaml } from './read-manifest-yaml.js';

export const SCRIPT_CONFIG_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/** A 1-based position in a config file. */
export interface ConfigPos {
  line: number;
  col: number;
}

/** A loaded config: its value, and where a key path is written in it (when that can be known). */
export interface ConfigFile {
  value: unknown;
  locate(keyPath: readonly string[]): ConfigPos | undefined;
}

/**
 * `import { defineConfig } from 'pixverse-batch'` resolves to this very package, wherever the
 * config lives: a global install has no `pixverse-batch` in the project's node_modules, and a
 * project that has one gets the copy that is running anyway (one version, one set of types).
 */
const SELF_ENTRY = fileURLToPath(new URL(`../index${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Loads `file` (whose text is `text`); errors are UserErrors naming `shown`, the path as the user sees it. */
export async function readConfigFile(file: string, text: string, shown: string): Promise<ConfigFile> {
  if (path.extname(file) === '.json') return readJsonConfig(text, shown);
  return { value: await importScriptConfig(file, text, shown), locate: (keyPath) => locateKeyInScript(text, keyPath) };
}

async function importScriptConfig(file: string, text: string, shown: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false, fsCache: false, alias: { 'pixverse-batch': SELF_ENTRY } });
  let mod: unknown;
  try {
    mod = await jiti.import<unknown>(file);
  } catch (error) {
    throw scriptError(error, file, text, shown);
  }
  return (mod && typeof mod === 'object' && 'default' in mod ? (mod as { default: unknown }).default : mod) ?? null;
}

const HINT_EXPORT = 'the config must `export default defineConfig({ … })` (import defineConfig from pixverse-batch)';

/** The error of loading user code, placed in the config file; the stack is dropped. */
function scriptError(error: unknown, file: string, text: string, shown: string): UserError {
  const e = error instanceof Error ? error : new Error(String(error));
  // jiti's parser (babel) reports `ParseError: <reason>\n <file>:<line>:<col>`, col 0-based.
  const parse = /^(?:\w*Error: )?([\s\S]*?)\s*\n\s*(\S.*):(\d+):(\d+)\s*$/.exec(e.message);
  if (parse && path.resolve(parse[2]!) === file) {
    const pos = { line: Number(parse[3]), col: Number(parse[4]) + 1 };
    return configError('config-syntax', shown, pos, `syntax error: ${parse[1]}`, text, 'fix the syntax at that place');
  }
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const reason = e.message.split('\nRequire stack:')[0]!;
    const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(reason)?.[1];
    const pos = specifier ? locateText(text, [`'${specifier}'`, `"${specifier}"`]) : undefined;
    const bare = specifier !== undefined && !specifier.startsWith('.') && !path.isAbsolute(specifier);
    return configError('config-import', shown, pos, reason, text, bare ? `install it in the project (npm install ${specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')}) or remove the import` : 'check the import path: it is relative to the config file');
  }
  // A runtime error in the config's own code: the first stack frame inside the config file. Its
  // line is the config's (the transform keeps lines), its column is the transformed code's.
  const pos = lineIn(e.stack ?? '', file);
  const reason = e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return configError('config-load-failed', shown, pos, `the config threw ${reason}`, text, HINT_EXPORT);
}

function lineIn(stack: string, file: string): { line: number } | undefined {
  for (const m of stack.matchAll(/\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?$/gm)) {
    const where = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (where === file) return { line: Number(m[2]) };
  }
  return undefined;
}

function readJsonConfig(text: string, shown: string): ConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { offset, reason } = jsonFailure(text, (error as Error).message);
    const hint = 'JSON needs double-quoted keys and strings, commas between entries and none after the last, no comments';
    throw configError('config-syntax', shown, posOf(text, offset), `JSON syntax error: ${reason}`, text, hint);
  }
  // Valid JSON is valid YAML: the YAML reader gives every key's position.
  const parsed = parseManifestYaml(text, shown);
  const locate = (keyPath: readonly string[]): ConfigPos | undefined => {
    if (keyPath.length === 0) return undefined;
    const { line, col } = parsed.locate('/' + keyPath.map(escapePointer).join('/'), { key: true });
    return { line, col };
  };
  return { value, locate };
}

/** Where JSON.parse stopped and why, in words a person can act on (V8 gives only an offset). */
function jsonFailure(text: string, message: string): { offset: number; reason: string } {
  const at = /at position (\d+)/.exec(message);
  const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON value does');
  if (!at) return { offset: text.trimEnd().length, reason: text.trim() === '' ? 'the file is empty (write {} for no settings)' : reason };
  const offset = Number(at[1]);
  // A trailing comma: V8 stops at the closing bracket and asks for another entry.
  const before = text.slice(0, offset).trimEnd();
  if (/^[}\]]/.test(text.slice(offset)) && before.endsWith(',')) return { offset: before.length - 1, reason: 'a comma after the last entry (JSON allows none): remove it' };
  return { offset, reason };
}

function posOf(text: string, offset: number): ConfigPos {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, col: lines.at(-1)!.length + 1 };
}

function locateText(text: string, needles: readonly string[]): ConfigPos | undefined {
  const code = blankComments(text);
  const offsets = needles.map((n) => code.indexOf(n)).filter((i) => i >= 0);
  return offsets.length ? posOf(text, Math.min(...offsets)) : undefined;
}

/**
 * Where a key path is written in a script config, found by reading the text: each key in turn
 * (`quotas`, then `'pixverse-v6'`, then `runningTasks`) as a property name after the previous
 * one, comments ignored. Computed values have no place; the deepest key found is given then.
 */
export function locateKeyInScript(text: string, keyPath: readonly string[]): ConfigPos | undefined {
  const code = blankComments(text);
  let from = 0;
  let found: number | undefined;
  for (const key of keyPath) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?<![\\w$])(?:${escaped}|'${escaped}'|"${escaped}")\\s*:`, 'g');
    re.lastIndex = from;
    const m = re.exec(code);
    if (!m) break;
    found = m.index;
    from = m.index + m[0].length;
  }
  return found === undefined ? undefined : posOf(text, found);
}

/** The text with comments replaced by spaces (offsets and line breaks kept); strings are left alone. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** `file:line:col: reason`, then the line itself with a caret under the column (when known). */
function configError(code: string, shown: string, pos: { line: number; col?: number } | undefined, reason: string, text: string, hint: string): UserError {
  const where = pos ? `${shown}:${pos.line}${pos.col !== undefined ? `:${pos.col}` : ''}` : shown;
  return new UserError('config', code, `${where}: ${reason}${pos ? codeFrame(text, pos) : ''}`, hint);
}

export function codeFrame(text: string, pos: { line: number; col?: number }): string {
  const line = text.split(/\r?\n/)[pos.line - 1];
  if (line === undefined) return '';
  const gutter = String(pos.line);
  const shownLine = line.replace(/\t/g, ' ');
  const frame = `\n  ${gutter} | ${shownLine}`;
  if (pos.col === undefined) return frame;
  return `${frame}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, Math.min(pos.col - 1, shownLine.length)))}^`;
}
