// Config loading (cosmiconfig + jiti) and resolution: search, precedence, validation.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { loadConfig } from '../../src/io/load-config.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pixverse-config-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const DEFINE_CONFIG = path.join(PACKAGE_ROOT, 'src', 'config', 'define-config.ts');

function project(name: string, files: Record<string, string>): string {
  const root = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

describe('loadConfig', () => {
  it('finds pixverse.config.ts from the manifest directory upward and loads TypeScript with imports', async () => {
    const root = project('ts', {
      'package.json': '{}',
      'pixverse.config.ts': `import { defineConfig } from ${JSON.stringify(DEFINE_CONFIG)};\nconst region: 'ap-southeast-1' = 'ap-southeast-1';\nexport default defineConfig({ region, outputDir: 'renders', polling: { minIntervalMs: 500 } });\n`,
      'jobs/deep/x.yaml': '',
    });
    const c = await loadConfig({ searchFrom: path.join(root, 'jobs', 'deep'), env: {}, cwd: tmp });
    assert.equal(c.configFile, path.join(root, 'pixverse.config.ts'));
    assert.equal(c.region, 'ap-southeast-1');
    assert.equal(c.baseUrl, 'https://dashscope-intl.aliyuncs.com/api/v1');
    assert.equal(c.outputDir, path.join(root, 'renders'), 'relative to the config file');
    assert.deepEqual(c.polling, { minIntervalMs: 500, maxIntervalMs: 15000 });
  });

  it('loads the repository example config', async () => {
    const c = await loadConfig({ searchFrom: path.join(PACKAGE_ROOT, 'jobs'), env: {}, cwd: PACKAGE_ROOT });
    assert.equal(c.configFile, path.join(PACKAGE_ROOT, 'pixverse.config.ts'));
    assert.equal(c.region, 'cn-beijing');
    assert.equal(c.prices?.currency, 'CNY');
  });

  it('uses defaults without a config file; env beats config; flags beat env', async () => {
    const bare = project('bare', { 'package.json': '{}' });
    const d = await loadConfig({ searchFrom: bare, env: {}, cwd: bare });
    assert.equal(d.configFile, undefined);
    assert.equal(d.region, 'cn-beijing');
    assert.equal(d.outputDir, path.join(bare, 'output'));
    assert.equal(d.taskQueriesPerSecond, 15);
    assert.deepEqual(d.quotas['pixverse-v6'], { runningTasks: 5, submitsPerSecond: 5 });

    const root = project('prec', { 'package.json': '{}', 'pixverse.config.mjs': `export default { outputDir: 'from-config', region: 'cn-beijing' };\n` });
    const e = await loadConfig({ searchFrom: root, env: { OUTPUT_DIR: 'from-env', PIXVERSE_REGION: 'ap-southeast-1' }, cwd: tmp });
    assert.equal(e.outputDir, path.join(tmp, 'from-env'));
    assert.equal(e.region, 'ap-southeast-1');
    assert.equal(e.sources['outputDir'], 'env');
    const f = await loadConfig({ searchFrom: root, env: { OUTPUT_DIR: 'from-env' }, cwd: tmp, flags: { outputDir: 'from-flag', region: 'us-east-1' } });
    assert.equal(f.outputDir, path.join(tmp, 'from-flag'));
    assert.equal(f.region, 'us-east-1');
  });

  it('anchors the default output folder to the manifest\'s project, never to the cwd', async () => {
    // The folder of the config file found from the manifest upward…
    const withConfig = project('anchor-config', { 'package.json': '{}', 'sub/pixverse.config.json': '{}', 'sub/jobs/x.yaml': '' });
    const a = await loadConfig({ searchFrom: path.join(withConfig, 'sub', 'jobs'), env: {}, cwd: tmp });
    assert.equal(a.outputDir, path.join(withConfig, 'sub', 'output'));
    // …else the nearest ancestor with package.json…
    const pkg = project('anchor-pkg', { 'package.json': '{}', 'jobs/deep/x.yaml': '' });
    const b = await loadConfig({ searchFrom: path.join(pkg, 'jobs', 'deep'), env: {}, cwd: path.join(pkg, 'jobs') });
    assert.equal(b.outputDir, path.join(pkg, 'output'));
    // …or with .git (a directory in a repository, a file in a worktree)…
    const git = project('anchor-git', { '.git/HEAD': 'ref: refs/heads/main\n', 'jobs/x.yaml': '' });
    const c = await loadConfig({ searchFrom: path.join(git, 'jobs'), env: {}, cwd: os.tmpdir() });
    assert.equal(c.outputDir, path.join(git, 'output'));
    const worktree = project('anchor-worktree', { '.git': 'gitdir: /elsewhere\n', 'jobs/x.yaml': '' });
    assert.equal((await loadConfig({ searchFrom: path.join(worktree, 'jobs'), env: {}, cwd: tmp })).outputDir, path.join(worktree, 'output'));
    // …else the manifest's own folder.
    const loose = project('anchor-loose', { 'x.yaml': '' });
    const d = await loadConfig({ searchFrom: loose, env: {}, cwd: tmp });
    assert.equal(d.outputDir, path.join(loose, 'output'));
    // An explicit --config anchors to the manifest's project too; its own outputDir stays
    // relative to it, and flags and OUTPUT_DIR keep meaning the cwd.
    const shared = project('anchor-shared', { 'team.config.json': '{}', 'with-dir.config.json': '{"outputDir": "renders"}' });
    assert.equal((await loadConfig({ searchFrom: path.join(pkg, 'jobs'), configFile: path.join(shared, 'team.config.json'), env: {}, cwd: tmp })).outputDir, path.join(pkg, 'output'));
    assert.equal((await loadConfig({ searchFrom: path.join(pkg, 'jobs'), configFile: path.join(shared, 'with-dir.config.json'), env: {}, cwd: tmp })).outputDir, path.join(shared, 'renders'));
    assert.equal((await loadConfig({ searchFrom: path.join(pkg, 'jobs'), env: { OUTPUT_DIR: 'env-out' }, cwd: tmp })).outputDir, path.join(tmp, 'env-out'));
    assert.equal((await loadConfig({ searchFrom: path.join(pkg, 'jobs'), env: {}, cwd: tmp, flags: { outputDir: 'flag-out' } })).outputDir, path.join(tmp, 'flag-out'));
  });

  it('an explicit --config file that does not exist is a config error', async () => {
    await assert.rejects(loadConfig({ searchFrom: tmp, configFile: 'missing.config.ts', env: {}, cwd: tmp }), (e: unknown) => e instanceof UserError && e.kind === 'config');
  });

  it('a config that throws is a config error without a stack', async () => {
    const root = project('throws', { 'package.json': '{}', 'pixverse.config.ts': `throw new Error('boom in config');\n` });
    await assert.rejects(loadConfig({ searchFrom: root, env: {}, cwd: tmp }), (e: unknown) => e instanceof UserError && e.kind === 'config' && /boom in config/.test(e.message) && !/\n\s+at /.test(e.message));
  });
});

/** The config error loadConfig throws for `files` (written into a fresh project). */
async function configError(name: string, files: Record<string, string>, flags?: { region?: string }): Promise<UserError> {
  const root = project(name, { 'package.json': '{}', ...files });
  try {
    await loadConfig({ searchFrom: root, env: {}, cwd: root, ...(flags ? { flags } : {}) });
  } catch (error) {
    assert.ok(error instanceof UserError, String(error));
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
    return error;
  }
  assert.fail('the config loaded');
}

describe('config files outside this repository', () => {
  it("a pixverse.config.ts importing defineConfig from 'pixverse-batch' loads where no such package is installed", async () => {
    const root = project('self-import', {
      'package.json': '{}',
      'pixverse.config.ts': `import { defineConfig, type PixverseConfig } from 'pixverse-batch';\nconst region: PixverseConfig['region'] = 'ap-southeast-1';\nexport default defineConfig({ region });\n`,
    });
    const c = await loadConfig({ searchFrom: root, env: {}, cwd: root });
    assert.equal(c.region, 'ap-southeast-1');
  });

  it('an .mjs and a .cjs config load too', async () => {
    const mjs = project('mjs', { 'package.json': '{}', 'pixverse.config.mjs': `import { defineConfig } from 'pixverse-batch';\nexport default defineConfig({ taskQueriesPerSecond: 3 });\n` });
    assert.equal((await loadConfig({ searchFrom: mjs, env: {}, cwd: mjs })).taskQueriesPerSecond, 3);
    const cjs = project('cjs', { 'package.json': '{}', 'pixverse.config.cjs': `module.exports = { taskQueriesPerSecond: 4 };\n` });
    assert.equal((await loadConfig({ searchFrom: cjs, env: {}, cwd: cjs })).taskQueriesPerSecond, 4);
  });
});

describe('config errors name the file, line and column and the whole reason', () => {
  it('a trailing comma in JSON points at the comma', async () => {
    const e = await configError('json-comma', { 'pixverse.config.json': '{\n  "region": "cn-beijing",\n  "outputDir": "out",\n}\n' });
    assert.equal(e.kind, 'config');
    assert.match(e.message, /^pixverse\.config\.json:3:21: JSON syntax error: a comma after the last entry \(JSON allows none\)/);
    assert.match(e.message, /\n  3 \|   "outputDir": "out",\n    \| {21}\^/, 'the line, with a caret under the comma');
  });

  it('a missing comma in JSON is placed where the parser stopped', async () => {
    const e = await configError('json-missing', { 'pixverse.config.json': '{\n  "region": "cn-beijing"\n  "outputDir": "out"\n}\n' });
    assert.match(e.message, /^pixverse\.config\.json:3:3: JSON syntax error: Expected ',' or '}' after property value/);
  });

  it('an empty-looking JSON value says what is missing', async () => {
    const e = await configError('json-short', { 'pixverse.config.json': '{ "region": ' });
    assert.match(e.message, /^pixverse\.config\.json:1:12: JSON syntax error: the file ends before the JSON value does/);
  });

  for (const ext of ['mjs', 'ts', 'js', 'mts', 'cjs']) {
    it(`a syntax error in a .${ext} config`, async () => {
      const e = await configError(`syntax-${ext}`, { [`pixverse.config.${ext}`]: `${ext === 'cjs' ? 'module.exports =' : 'export default'} {\n  region: 'cn-beijing'\n  outputDir: 'x',\n};\n` });
      assert.equal(e.code, 'config-syntax');
      assert.match(e.message, new RegExp(`^pixverse\\.config\\.${ext}:3:3: syntax error: Unexpected token, expected ","`));
    });
  }

  it('an error thrown by the config names its line and the error', async () => {
    const e = await configError('throws-line', { 'pixverse.config.js': `const x = undefined;\n\nexport default { region: x.y };\n` });
    assert.match(e.message, /^pixverse\.config\.js:3: the config threw TypeError: Cannot read properties of undefined \(reading 'y'\)/);
    assert.match(e.message, /\n  3 \| export default \{ region: x\.y \};$/);
  });

  it('an import that cannot be found is placed at the import', async () => {
    const e = await configError('missing-import', { 'pixverse.config.ts': `// settings\nimport { helper } from 'no-such-package-here';\nexport default { region: helper };\n` });
    assert.match(e.message, /^pixverse\.config\.ts:2:24: Cannot find module 'no-such-package-here'/);
    assert.doesNotMatch(e.message, /Require stack/);
    assert.match(e.hint ?? '', /npm install no-such-package-here/);
  });

  it('wrong values in a .ts config are placed at their keys (comments do not count) with the allowed values', async () => {
    const e = await configError('ts-values', {
      'pixverse.config.ts': [
        `import { defineConfig } from 'pixverse-batch';`,
        `// region: 'ap-southeast-1' would also work`,
        `export default defineConfig({`,
        `  region: 'cn-bejing' as 'cn-beijing',`,
        `  quotas: { 'pixverse-v6': { runningTasks: 0 } },`,
        `  prices: { perSecond: { 'pixverse-v6': { '720p': 1 } } } as never,`,
        `});`,
      ].join('\n'),
    });
    assert.equal(e.kind, 'config');
    const lines = e.message.split('\n');
    assert.match(lines[1]!, /^  - pixverse\.config\.ts:4:3: region "cn-bejing" is not a region: use one of cn-beijing, ap-southeast-1, us-east-1, eu-central-1, ap-northeast-1, cn-hongkong \(did you mean 'cn-beijing'\?\)$/);
    assert.match(lines[2]!, /^  - pixverse\.config\.ts:5:30: quotas\.pixverse-v6\.runningTasks must be a number ≥ 1, got 0$/);
    assert.match(lines[3]!, /^  - pixverse\.config\.ts:6:43: prices\.perSecond\.pixverse-v6: unknown tier '720p' — did you mean '720P'\? \(tiers: .*720P.*\)$/);
  });

  it('wrong values in a JSON config are placed exactly', async () => {
    const e = await configError('json-values', { 'pixverse.config.json': '{\n  "outputDir": "out",\n  "budget": { "maxCost": -1 },\n  "polling": 5\n}\n' });
    assert.match(e.message, /pixverse\.config\.json:3:15: budget\.maxCost must be a number ≥ 0, got -1/);
    assert.match(e.message, /pixverse\.config\.json:4:3: polling must be an object \{ minIntervalMs, maxIntervalMs \}, got 5/);
  });

  it('a wrong --region is a command-line error (exit 2), a wrong PIXVERSE_REGION a configuration error', async () => {
    const flag = await configError('flag-region', {}, { region: 'mars' });
    assert.equal(flag.kind, 'invalid-input');
    assert.match(flag.message, /--region "mars" is not a region: use one of cn-beijing, ap-southeast-1, us-east-1/);
    const root = project('env-region', { 'package.json': '{}' });
    await assert.rejects(loadConfig({ searchFrom: root, env: { PIXVERSE_REGION: 'mars' }, cwd: root }), (e: unknown) => e instanceof UserError && e.kind === 'config' && /PIXVERSE_REGION "mars"/.test(e.message));
  });
});

describe('resolveConfig validation', () => {
  const bad: [string, unknown, RegExp][] = [
    ['unknown key', { regoin: 'cn-beijing' }, /unknown key 'regoin' — did you mean 'region'/],
    ['bad region', { region: 'cn-shanghai' }, /region "cn-shanghai"/],
    ['bad baseUrl', { baseUrl: 'dashscope' }, /baseUrl "dashscope" is not an http\(s\) URL/],
    ['quota family typo', { quotas: { 'pixverse-v7': { runningTasks: 2 } } }, /did you mean 'pixverse-v6'/],
    ['query share above the account limit', { taskQueriesPerSecond: 25 }, /taskQueriesPerSecond must be a number/],
    ['polling min above max', { polling: { minIntervalMs: 20000 } }, /must not exceed/],
    ['price for an unknown model', { prices: { perSecond: { 'pixverse-v9': { '720P': 1 } } } }, /neither a model nor a family/],
    ['price tier typo', { prices: { perSecond: { 'pixverse-v6': { '720p': 1 } } } }, /unknown tier '720p'/],
    ['negative budget', { budget: { maxCost: -1 } }, /budget.maxCost/],
    ['not an object', 42, /must export an object/],
  ];
  for (const [name, written, message] of bad) {
    it(name, () => {
      assert.throws(() => resolveConfig(written, { env: {}, cwd: tmp }), (e: unknown) => e instanceof UserError && e.kind === 'config' && message.test(e.message));
    });
  }

  it('reports every problem at once', () => {
    assert.throws(
      () => resolveConfig({ regoin: 1, budget: { maxCost: -1 } }, { env: {}, cwd: tmp }),
      (e: unknown) => e instanceof UserError && /regoin/.test(e.message) && /maxCost/.test(e.message),
    );
  });

  it('resolves quotas overrides and prices', () => {
    const c = resolveConfig({ quotas: { 'wan2.6-i2v-flash': { runningTasks: 2 } }, prices: { perSecond: { 'wan2.6': { '720P': 0.3 } } }, budget: { maxBillableSeconds: 60 } }, { env: {}, cwd: tmp });
    assert.deepEqual(c.quotas['wan2.6-i2v-flash'], { runningTasks: 2, submitsPerSecond: 5 });
    assert.deepEqual(c.prices, { currency: 'CNY', perSecond: { 'wan2.6': { '720P': 0.3 } } });
    assert.deepEqual(c.budget, { maxBillableSeconds: 60 });
  });
});
