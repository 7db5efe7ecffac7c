// The API key: `DASHSCOPE_API_KEY`, else `dashscope_api_key` under `[default]` in
// `~/.alibabacloud/credentials` (the environment wins, as in the official skills). The key is
// returned to the caller and never printed: `source` describes where it came from, not what it is.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';

export interface ApiKey {
  key: string;
  /** e.g. `environment variable DASHSCOPE_API_KEY` or `~/.alibabacloud/credentials [default]`. */
  source: string;
}

export interface ResolveApiKeyOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Home directory; defaults to the OS's. Injectable for tests. */
  home?: string;
}

export function credentialsPath(home: string): string {
  return path.join(home, '.alibabacloud', 'credentials');
}

/** The key, or undefined when none is configured. Never logs the key. */
export async function findApiKey(opts: ResolveApiKeyOptions): Promise<ApiKey | undefined> {
  const fromEnv = opts.env['DASHSCOPE_API_KEY']?.trim();
  if (fromEnv) return { key: fromEnv, source: 'environment variable DASHSCOPE_API_KEY' };
  const file = credentialsPath(opts.home ?? os.homedir());
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const key = readIniValue(text, 'default', 'dashscope_api_key');
  return key ? { key, source: `${file} [default] dashscope_api_key` } : undefined;
}

/** Like findApiKey, but a missing key is a UserError of kind 'auth' with instructions. */
export async function resolveApiKey(opts: ResolveApiKeyOptions): Promise<ApiKey> {
  const found = await findApiKey(opts);
  if (found) return found;
  throw new UserError(
    'auth',
    'no-api-key',
    'no DashScope API key: DASHSCOPE_API_KEY is not set and ~/.alibabacloud/credentials has no dashscope_api_key under [default]',
    'export DASHSCOPE_API_KEY=… (a key of the region you use), or run with --emulator to work offline',
  );
}

/**
 * Minimal INI: `[section]` headers, `key = value` lines, `;`/`#` comments, optional quotes.
 * Kept by hand rather than with an INI package: one value of one section is all that is read,
 * and a general parser (the `ini` package) would read `key[]`, dotted sections and escapes the
 * Alibaba Cloud credentials file never has, for the same fifteen lines.
 */
export function readIniValue(text: string, section: string, key: string): string | undefined {
  let current = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = header[1]!;
      continue;
    }
    if (current !== section) continue;
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    if (line.slice(0, eq).trim() !== key) continue;
    const value = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
    return value === '' ? undefined : value;
  }
  return undefined;
}
