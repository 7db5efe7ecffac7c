// The layer rule of ARCHITECTURE.md as data, and the check that applies it to source files.
// Pure: the test reads the files and hands them in, so the rule itself can be tested on made-up
// sources as well as on the real tree.
import path from 'node:path';
import { scanSource } from './import-scan.js';

/**
 * What each top-level folder of src/ may import (besides itself). Dependencies point inward:
 * cli → app → engine → core. The adapters (io, config, dashscope, store, emulator) are wired in
 * by app; they depend on core only (io also on config, which it loads; store on the config's
 * types); the engine defines the ports it needs and never names an adapter. `shared` is the two
 * leaf modules at src/ (version.ts, package-root.ts); src/index.ts, the library's surface, may
 * import anything.
 */
export const LAYER_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  io: ['core', 'config'],
  dashscope: ['core', 'shared'],
  store: ['core', 'config'],
  emulator: ['core', 'shared'],
  engine: ['core'],
  app: ['engine', 'core', 'io', 'config', 'dashscope', 'store', 'emulator', 'shared'],
  cli: ['app', 'engine', 'core', 'shared'],
  shared: [],
};

/**
 * The one home of each npm package (a file, or a folder ending in `/`, or a file-name prefix).
 * Every runtime dependency in package.json needs a row; a package imported anywhere else fails.
 */
export const PACKAGE_HOMES: Readonly<Record<string, readonly string[]>> = {
  yaml: ['src/io/yaml-text.ts'],
  ajv: ['src/core/manifest/schema-check'],
  undici: ['src/dashscope/'],
  listr2: ['src/cli/progress'],
  cosmiconfig: ['src/io/load-config.ts'],
  jiti: ['src/io/config-file.ts'],
  'p-limit': ['src/engine/'],
  '@aws-sdk/client-s3': ['src/store/s3-object-store.ts'],
  '@aws-sdk/lib-storage': ['src/store/s3-object-store.ts'],
  // Writes the emulator's videos and reads every video's own metadata.
  mediabunny: ['src/emulator/video/render-mp4.ts', 'src/io/measure-video.ts'],
};

/** Node built-ins the pure core may use, and which of their exports (hashing is pure). */
const CORE_BUILTINS: Readonly<Record<string, readonly string[]>> = {
  'node:crypto': ['createHash'],
};

/** Effects the core must not reach for without importing anything. */
const CORE_EFFECTS: ReadonlyArray<[RegExp, string]> = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew\s+Date\s*\(\s*\)/, 'reads the clock (new Date())'],
  [/\bperformance\s*\./, 'reads the clock (performance)'],
  [/\bMath\.random\s*\(/, 'draws randomness (Math.random)'],
  [/\bcrypto\s*\.\s*(?:getRandomValues|randomUUID)\b/, 'draws randomness (crypto)'],
  [/\bprocess\s*\./, 'touches the process (process.*)'],
  [/\b(?:setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'schedules work (timers)'],
  [/\bfetch\s*\(/, 'uses the network (fetch)'],
  [/\brequire\s*\(/, 'loads modules at run time (require)'],
];

export interface SourceFile {
  /** Path relative to the package root, with `/` separators: `src/core/types.ts`. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  /** What it imports or does: `../../io/credentials.js`, `Date.now`… */
  what: string;
  rule: string;
}

/** The layer of a file below src/: its top-level folder, or `shared` / `index` at src/ itself. */
export function layerOf(file: string): string {
  const rel = path.posix.relative('src', file);
  const parts = rel.split('/');
  if (parts.length > 1) return parts[0]!;
  return rel === 'index.ts' ? 'index' : 'shared';
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isHome(file: string, homes: readonly string[]): boolean {
  return homes.some((h) => (h.endsWith('/') ? file.startsWith(h) : file === h || file.startsWith(h)));
}

/** Every violation of the layer rule in `files` (all under src/). */
export function checkLayers(files: readonly SourceFile[], dependencies: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    const { imports, code } = scanSource(file.text);
    for (const { specifier, names } of imports) {
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
        if (!target.startsWith('src/')) {
          out.push({ file: file.path, what: specifier, rule: 'imports from outside src/' });
          continue;
        }
        const to = layerOf(target);
        if (to === layer || layer === 'index') continue;
        const allowed = LAYER_DEPENDENCIES[layer];
        if (allowed === undefined) out.push({ file: file.path, what: specifier, rule: `folder src/${layer}/ has no place in the layer rule` });
        else if (to === 'index' || !allowed.includes(to)) out.push({ file: file.path, what: specifier, rule: `${layer} may not import ${to}` });
      } else if (specifier.startsWith('node:')) {
        if (layer !== 'core') continue;
        const permitted = CORE_BUILTINS[specifier];
        const bad = permitted === undefined ? [specifier] : names.filter((n) => !permitted.includes(n));
        if (bad.length > 0) out.push({ file: file.path, what: `${specifier} (${bad.join(', ')})`, rule: 'core imports a module with an effect' });
      } else {
        const name = packageName(specifier);
        const homes = PACKAGE_HOMES[name];
        if (!dependencies.includes(name)) out.push({ file: file.path, what: specifier, rule: `${name} is not a runtime dependency in package.json` });
        else if (homes === undefined) out.push({ file: file.path, what: specifier, rule: `${name} has no home in PACKAGE_HOMES` });
        else if (!isHome(file.path, homes)) out.push({ file: file.path, what: specifier, rule: `${name} is imported only in ${homes.join(', ')}` });
      }
    }
    if (layer === 'core') {
      for (const [pattern, what] of CORE_EFFECTS) {
        if (pattern.test(code)) out.push({ file: file.path, what, rule: 'core has no effects' });
      }
    }
  }
  return out;
}

/** A violation as one line, for the known-exceptions list and for messages. */
export function violationKey(v: Violation): string {
  return `${v.file} → ${v.what}: ${v.rule}`;
}
