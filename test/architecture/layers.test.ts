// The layer rule, read from the sources: core has no effects, dependencies point inward, each npm
// package is imported in its one home (see layer-rules.ts and ARCHITECTURE.md).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanSource } from './import-scan.js';
import { PACKAGE_HOMES, checkLayers, violationKey } from './layer-rules.js';
import type { SourceFile } from './layer-rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push({ path: rel, text: readFileSync(path.join(root, rel), 'utf8') });
  }
  return out;
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const dependencies = Object.keys(pkg.dependencies ?? {});

/**
 * Breaches that predate the rule, each to be removed by issue #10's later stages. The list only
 * shrinks: a breach not listed fails, and so does a listed one that is gone (delete its line).
 */
const KNOWN: readonly string[] = [
  // Stage 4: every command a thin shell over an app-layer job.
  'src/cli/commands/emulator.ts → ../../emulator/index.js: cli may not import emulator',
  // The emulator's help names its fault kinds and markers (two leaf modules, loaded without the server).
  'src/cli/usage/emulator.ts → ../../emulator/markers.js: cli may not import emulator',
  'src/cli/usage/emulator.ts → ../../emulator/rate-faults.js: cli may not import emulator',
];

describe('layer rule on src/', () => {
  const files = sourceFiles('src');

  it('finds the source files', () => {
    assert.ok(files.length > 100, `only ${files.length} files under src/`);
    assert.ok(files.some((f) => f.path === 'src/core/types.ts'));
  });

  it('has no breach beyond the known ones, and every known one still exists', () => {
    const found = [...new Set(checkLayers(files, dependencies).map(violationKey))].sort();
    const unexpected = found.filter((v) => !KNOWN.includes(v));
    const fixed = KNOWN.filter((v) => !found.includes(v));
    assert.deepEqual(unexpected, [], 'new breaches of the layer rule (see ARCHITECTURE.md)');
    assert.deepEqual(fixed, [], 'breaches fixed: delete them from KNOWN');
  });

  it('planning never reads the report: what both need (the lock model) lives below them', () => {
    const backward = files
      .filter((f) => f.path.startsWith('src/core/plan/'))
      .flatMap((f) => scanSource(f.text).imports.filter((i) => i.specifier.includes('/report/')).map((i) => `${f.path} → ${i.specifier}`));
    assert.deepEqual(backward, []);
  });

  it('gives every runtime dependency a home', () => {
    assert.deepEqual(dependencies.filter((d) => PACKAGE_HOMES[d] === undefined), []);
  });
});

describe('the layer check itself', () => {
  const check = (file: string, text: string): string[] => checkLayers([{ path: file, text }], ['undici', 'yaml']).map((v) => v.rule);

  it('flags an outward or sideways dependency, and accepts an inward one', () => {
    assert.deepEqual(check('src/engine/a.ts', "import type { X } from '../dashscope/client.js';"), ['engine may not import dashscope']);
    assert.deepEqual(check('src/core/a.ts', "import { x } from '../io/b.js';"), ['core may not import io']);
    assert.deepEqual(check('src/config/a.ts', "import { x } from '../dashscope/b.js';"), ['config may not import dashscope']);
    assert.deepEqual(check('src/cli/commands/a.ts', "export { x } from '../../io/credentials.js';"), ['cli may not import io']);
    assert.deepEqual(check('src/cli/commands/a.ts', "const m = await import('../../dashscope/index.js');"), ['cli may not import dashscope']);
    assert.deepEqual(check('src/cli/a.ts', "import { x } from '../app/b.js';\nimport { y } from '../core/c.js';"), []);
    assert.deepEqual(check('src/newthing/a.ts', "import { x } from '../core/b.js';"), ['folder src/newthing/ has no place in the layer rule']);
  });

  it('flags effects in the core, by import and by use', () => {
    assert.deepEqual(check('src/core/a.ts', "import { readFile } from 'node:fs/promises';"), ['core imports a module with an effect']);
    assert.deepEqual(check('src/core/a.ts', "import { randomBytes, createHash } from 'node:crypto';"), ['core imports a module with an effect']);
    assert.deepEqual(check('src/core/a.ts', "import { createHash } from 'node:crypto';"), []);
    for (const code of ['const t = Date.now();', 'const d = new Date();', 'const r = Math.random();', 'const e = process.env;', 'setTimeout(f, 1);']) {
      assert.deepEqual(check('src/core/a.ts', code), ['core has no effects'], code);
    }
    assert.deepEqual(check('src/core/a.ts', 'const d = new Date(ms); // Date.now() and process.env are fine in a comment'), []);
    assert.deepEqual(check('src/core/a.ts', "const s = 'process.env and Math.random() in a string';"), []);
  });

  it('keeps each npm package in its home', () => {
    assert.deepEqual(check('src/dashscope/client.ts', "import { request } from 'undici';"), []);
    assert.deepEqual(check('src/engine/a.ts', "import { request } from 'undici';"), ['undici is imported only in src/dashscope/']);
    assert.deepEqual(check('src/io/a.ts', "import { parse } from 'yaml';"), ['yaml is imported only in src/io/yaml-text.ts']);
    assert.deepEqual(check('src/io/a.ts', "import x from 'left-pad';"), ['left-pad is not a runtime dependency in package.json']);
  });
});

describe('scanSource', () => {
  it('reads static, type-only, re-exported, side-effect and dynamic imports', () => {
    const src = [
      "import a, { b, type C as D } from './one.js';",
      "import type { E } from './two.js';",
      'import {',
      '  f,',
      '  g,',
      "} from './three.js';",
      "export { h } from './four.js';",
      "import './five.js';",
      "const m = await import('./six.js');",
      "type T = import('./seven.js').T;",
    ].join('\n');
    assert.deepEqual(
      scanSource(src).imports,
      [
        { specifier: './one.js', names: ['b', 'C', 'default'] },
        { specifier: './two.js', names: ['E'] },
        { specifier: './three.js', names: ['f', 'g'] },
        { specifier: './four.js', names: ['h'] },
        { specifier: './five.js', names: [] },
        { specifier: './six.js', names: ['*'] },
        { specifier: './seven.js', names: ['*'] },
      ],
    );
  });

  it('reads no import out of comments, strings, templates or regular expressions', () => {
    const src = [
      "// import { x } from './comment.js';",
      "/* import('./block.js') */",
      "const s = \"import { y } from './string.js'\";",
      "const t = `import('./template.js') ${'${'} import('./sub.js')`;",
      "const r = /^https?:\\/\\/import('.\\/regex.js')/;",
      "const u = 'video/*, application/octet-stream';",
      "import { z } from './real.js';",
    ].join('\n');
    assert.deepEqual(scanSource(src).imports, [{ specifier: './real.js', names: ['z'] }]);
  });
});
