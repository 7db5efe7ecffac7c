// Regions and hosts: the six regions, the shared DashScope hosts, workspace hosts
// ({WorkspaceId}.{region}.maas.aliyuncs.com), and a base URL set by hand.
import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { resolveConfig } from '../../src/config/resolve-config.js';

const resolve = (written: unknown, flags: { region?: string; baseUrl?: string } = {}, env: Record<string, string> = {}) =>
  resolveConfig(written, { env, cwd: os.tmpdir(), flags });

function configError(written: unknown, flags: { region?: string } = {}): string {
  try {
    resolve(written, flags);
  } catch (e) {
    // A config-file value is a config error (exit 3); a flag is a command-line error (exit 2).
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  assert.fail('expected a config error');
}

describe('regions and hosts', () => {
  it('every region with a shared host resolves to it', () => {
    assert.equal(resolve({}).baseUrl, 'https://dashscope.aliyuncs.com/api/v1');
    assert.equal(resolve({ region: 'ap-southeast-1' }).baseUrl, 'https://dashscope-intl.aliyuncs.com/api/v1');
    assert.equal(resolve({ region: 'us-east-1' }).baseUrl, 'https://dashscope-us.aliyuncs.com/api/v1');
    const hk = resolve({}, { region: 'cn-hongkong' });
    assert.deepEqual([hk.region, hk.host, hk.baseUrl], ['cn-hongkong', 'dashscope', 'https://cn-hongkong.dashscope.aliyuncs.com/api/v1']);
  });

  it('Frankfurt and Tokyo are reached through the workspace host', () => {
    for (const region of ['eu-central-1', 'ap-northeast-1']) {
      const c = resolve({ region, workspace: 'ws-abc123' });
      assert.deepEqual([c.host, c.baseUrl, c.workspace], ['workspace', `https://ws-abc123.${region}.maas.aliyuncs.com/api/v1`, 'ws-abc123']);
      assert.match(configError({ region }), new RegExp(`region ${region} \\(.*\\) is reached only through a workspace host: set workspace: '<your WorkspaceId>'`));
      assert.match(configError({ region, host: 'dashscope', workspace: 'ws-1' }), /has no shared DashScope host: .*set host: 'workspace'/);
    }
  });

  it('a workspace host anywhere, with the id it is named after', () => {
    const c = resolve({ host: 'workspace', workspace: 'ws-9' });
    assert.deepEqual([c.host, c.baseUrl], ['workspace', 'https://ws-9.cn-beijing.maas.aliyuncs.com/api/v1']);
    assert.match(configError({ host: 'workspace' }), /host 'workspace': set workspace: '<your WorkspaceId>'/);
    assert.match(configError({ host: 'workspace', workspace: 'ws 9/x' }), /cannot be part of a host name/);
    assert.match(configError({ host: 'maas' }), /host must be 'dashscope' .* or 'workspace'/);
    // The shared host stays the default where there is one; workspace alone only names the header.
    assert.deepEqual([resolve({ workspace: 'ws-9' }).host, resolve({ workspace: 'ws-9' }).baseUrl], ['dashscope', 'https://dashscope.aliyuncs.com/api/v1']);
  });

  it('a base URL set by hand wins and is a custom host', () => {
    const c = resolve({ region: 'eu-central-1', workspace: 'ws-1' }, { baseUrl: 'http://127.0.0.1:9/api/v1' });
    assert.deepEqual([c.host, c.baseUrl], ['custom', 'http://127.0.0.1:9/api/v1']);
  });

  it('a misspelt region gets a did-you-mean', () => {
    assert.match(configError({ region: 'eu-central' }), /did you mean 'eu-central-1'/);
    assert.match(configError({}, { region: 'ap-northeast' }), /did you mean 'ap-northeast-1'/);
  });
});
