// The npm package holds what a user needs and nothing else: compiled code with its types, the
// schemas, README and LICENSE; no source maps (their .ts sources are not shipped), no tests, no install scripts; `engines` no looser than any dependency's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const run = promisify(execFile);

interface PackageJson {
  engines: { node: string };
  scripts: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  files: string[];
}
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** `npm pack --dry-run` of the current build (scripts off: prepack would rebuild dist/ under the running suite). */
async function packedFiles(): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [report] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return report!.files.map((f) => f.path).sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PACKAGE_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

/** A lower bound `>=X[.Y[.Z]]` (`x` for any; the only form the dependencies use) as comparable numbers. */
function lowerBound(range: string): number[] {
  const m = /^>=\s*(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(range.trim());
  assert.ok(m, `engines range ${JSON.stringify(range)}: teach this test its form`);
  return [m[1], m[2], m[3]].map((part) => (part === undefined || part === 'x' ? 0 : Number(part)));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

describe('npm package contents', () => {
  it('lists the compiled code with its types, the schemas, README and LICENSE, and nothing else', async () => {
    const files = await packedFiles();
    const allowed = [/^dist\/src\/.+\.(js|d\.ts)$/, /^schemas\/[^/]+\.schema\.json$/, /^(README\.md|LICENSE|package\.json)$/];
    const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files a user does not need');
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'no source maps: their .ts sources are not shipped');
    for (const f of ['LICENSE', 'README.md', 'package.json', 'schemas/manifest.schema.json', 'schemas/report.schema.json']) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    // Every module of src/ ships compiled, with its declarations (the library's types).
    const missing = sourceFiles('src').flatMap((ts) => {
      const base = `dist/${ts.replace(/\.ts$/, '')}`;
      return [`${base}.js`, `${base}.d.ts`].filter((f) => !files.includes(f));
    });
    assert.deepEqual(missing, []);
    assert.ok(files.includes(`${pkg.bin['pixverse']!.replace(/^\.\//, '')}`), 'the bin is packed');
  });

  it('runs no script when installed (npm warns about install scripts) and builds clean before packing', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts[hook], undefined, `no ${hook} script`);
    assert.match(pkg.scripts['prepack'] ?? '', /rmSync\('dist'.*&& tsc/, 'prepack rebuilds dist/ from scratch, so no stale module is packed');
    const bin = readFileSync(path.join(PACKAGE_ROOT, pkg.bin['pixverse']!), 'utf8');
    assert.ok(bin.startsWith('#!/usr/bin/env node\n'), 'the bin starts with a node shebang');
  });

  it('exports the library, the schemas and package.json', () => {
    assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './package.json', './schemas/*.json']);
  });

  it('engines.node is no looser than any runtime dependency needs', () => {
    const ours = lowerBound(pkg.engines.node);
    const lock = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean; peer?: boolean; engines?: { node?: string } }>;
    };
    const tighter: string[] = [];
    let checked = 0;
    for (const [where, entry] of Object.entries(lock.packages)) {
      if (where === '' || entry.dev || entry.devOptional || entry.peer || !entry.engines?.node) continue;
      checked++;
      if (compare(lowerBound(entry.engines.node), ours) > 0) tighter.push(`${where} needs node ${entry.engines.node}`);
    }
    assert.ok(checked >= 5, 'the lock file lists the runtime dependencies');
    assert.deepEqual(tighter, [], `engines.node is ${pkg.engines.node}`);
  });
});
