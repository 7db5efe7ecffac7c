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

describe('resolveConfig validation', () => {
  const bad: [string, unknown, RegExp][] = [
    ['unknown key', { regoin: 'cn-beijing' }, /unknown key 'regoin' — did you mean 'region'/],
    ['bad region', { region: 'cn-shanghai' }, /region "cn-shanghai"/],
    ['bad baseUrl', { baseUrl: 'dashscope' }, /baseUrl must be an http/],
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
