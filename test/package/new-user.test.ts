// A new user's first steps, with the packed tarball and no checkout: install it into a project
// outside this repo (and globally, into a prefix of its own), then `pixverse --help`, `init`,
// `validate`, `run --emulator`, a config that imports `pixverse-batch`, the exported schema, and
// the library from .mjs and from type-checked .ts. npm installs the dependencies from its cache
// (CI has just run `npm ci`), so the test costs about half a minute.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const exec = promisify(execFile);
const FAST = ['--time-scale', '0.002'];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not a throw. */
async function sh(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? cwd, ...env }, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline'];

describe('a new user, from the packed tarball', { timeout: 600_000 }, () => {
  let root: string;
  let tarball: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pixverse-new-user-'));
    // The current build (scripts off: prepack would rebuild dist/ under the running suite).
    const packed = await sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], PACKAGE_ROOT);
    assert.equal(packed.code, 0, packed.stderr);
    tarball = path.join(root, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('installs into a project without a warning of ours, and every first step works there', async () => {
    const project = path.join(root, 'project');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'my-renders', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const install = await sh('npm', ['install', ...NPM_QUIET, tarball], project);
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /pixverse|prepare|install script|EBADENGINE/i, 'npm warns about nothing of this package');
    const bin = path.join(project, 'node_modules', '.bin', 'pixverse');

    const help = await sh(bin, ['--help'], project);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: pixverse <command>/);

    // init: the modeline names the installed package's schema, relative to the manifest.
    const init = await sh(bin, ['init'], project);
    assert.equal(init.code, 0, init.stderr);
    const manifest = await readFile(path.join(project, 'jobs', 'shots.yaml'), 'utf8');
    assert.equal(manifest.split('\n')[0], '# yaml-language-server: $schema=../node_modules/pixverse-batch/schemas/manifest.schema.json');
    assert.ok(existsSync(path.join(project, 'node_modules', 'pixverse-batch', 'schemas', 'manifest.schema.json')));
    const resolved = await sh(process.execPath, ['-e', "console.log(require.resolve('pixverse-batch/schemas/manifest.schema.json'))"], project);
    assert.equal(resolved.code, 0, `the schema is exported: ${resolved.stderr}`);

    // A config in the README's form, importing defineConfig from the package.
    await writeFile(path.join(project, 'pixverse.config.ts'), "import { defineConfig } from 'pixverse-batch';\nexport default defineConfig({ region: 'cn-beijing', outputDir: 'renders' });\n");
    const validate = await sh(bin, ['validate', 'jobs/shots.yaml'], project);
    assert.deepEqual([validate.code, validate.stdout.trim()], [0, 'jobs/shots.yaml: 2 shots, valid'], validate.stderr);
    const run = await sh(bin, ['run', 'jobs/shots.yaml', '--emulator', ...FAST], project);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /2 rendered, 0 up to date, 0 failed/);
    assert.ok((await stat(path.join(project, 'renders', 'shots', 'emulator', 'videos', 'opening@seed=11.mp4'))).size > 0, 'the config outputDir is used');

    // The library from an ES module.
    await writeFile(
      path.join(project, 'use.mjs'),
      "import { plan, defineConfig, modelNames } from 'pixverse-batch';\nconst p = await plan('jobs/shots.yaml');\nconsole.log(JSON.stringify({ shots: p.planned.plans.length, models: modelNames().length, config: typeof defineConfig }));\n",
    );
    const mjs = await sh(process.execPath, ['use.mjs'], project);
    assert.equal(mjs.code, 0, mjs.stderr);
    const used = JSON.parse(mjs.stdout) as { shots: number; models: number; config: string };
    assert.equal(used.shots, 2);
    assert.ok(used.models > 0);
    assert.equal(used.config, 'function');

    // The library from TypeScript, type-checked against the shipped declarations (a wrong call fails).
    const typescript = path.join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [path.join(PACKAGE_ROOT, 'node_modules', '@types')] }, include: ['*.ts'] }, null, 2),
    );
    await writeFile(
      path.join(project, 'use.ts'),
      "import { plan, run, type RunEvent, type PixverseConfig } from 'pixverse-batch';\nconst config: PixverseConfig = { region: 'cn-beijing' };\nconst p = await plan('jobs/shots.yaml');\nconst n: number = p.planned.plans.length;\nconst outcome = await run('jobs/shots.yaml', { emulator: true, onEvent: (e: RunEvent) => void e.type });\nif (outcome.ok) console.log(n, outcome.result.counts.succeeded, config.region);\n",
    );
    const tsc = await sh(process.execPath, [typescript, '-p', 'tsconfig.json'], project);
    assert.equal(tsc.code, 0, `${tsc.stdout}${tsc.stderr}`);
    await writeFile(path.join(project, 'wrong.ts'), "import { plan } from 'pixverse-batch';\nawait plan(42);\n");
    const wrong = await sh(process.execPath, [typescript, '-p', 'tsconfig.json'], project);
    assert.notEqual(wrong.code, 0, 'the declarations are really checked');
    assert.match(wrong.stdout, /wrong\.ts/);
  });

  it('installed globally, loads a config that imports pixverse-batch from a project that has no copy of it', async () => {
    const prefix = path.join(root, 'global');
    const install = await sh('npm', ['install', '-g', '--prefix', prefix, ...NPM_QUIET, tarball], root);
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /pixverse|prepare|install script|EBADENGINE/i);
    const bin = path.join(prefix, 'bin', 'pixverse');
    const project = path.join(root, 'elsewhere');
    await mkdir(path.join(project, 'jobs'), { recursive: true });
    await writeFile(path.join(project, 'pixverse.config.ts'), "import { defineConfig } from 'pixverse-batch';\nexport default defineConfig({ region: 'cn-beijing' });\n");
    const version = await sh(bin, ['--version'], project);
    assert.equal(version.code, 0, version.stderr);
    const init = await sh(bin, ['init', 'jobs/a.yaml'], project);
    assert.equal(init.code, 0, init.stderr);
    const validate = await sh(bin, ['validate', 'jobs/a.yaml'], project);
    assert.equal(validate.code, 0, validate.stderr);
    const run = await sh(bin, ['run', 'jobs/a.yaml', '--emulator', ...FAST], project);
    assert.equal(run.code, 0, run.stderr);
  });
});
