// What counts as a Model Studio server, and when two runs talked to the same one. Table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { UserError } from '../../src/core/errors.js';
import { countsAsModelStudio, derivedIdentity, isModelStudioUrl, sameServer, serverIdentity, serverOfConfig } from '../../src/core/server-identity.js';

test('Model Studio hosts are real; loopback, other hosts, http and odd ports are not, unless declared a proxy', () => {
  for (const url of ['https://dashscope.aliyuncs.com/api/v1', 'https://dashscope-intl.aliyuncs.com/api/v1', 'https://dashscope-us.aliyuncs.com/api/v1', 'https://cn-hongkong.dashscope.aliyuncs.com/api/v1', 'https://ws-1a2b.eu-central-1.maas.aliyuncs.com/api/v1']) {
    assert.equal(isModelStudioUrl(url), true, url);
  }
  for (const url of ['http://dashscope.aliyuncs.com/api/v1', 'https://dashscope.aliyuncs.com:8443/api/v1', 'http://127.0.0.1:8080/api/v1', 'https://dashscope.aliyuncs.com.evil.example/api/v1', 'https://ws-1.mars-1.maas.aliyuncs.com/api/v1', 'not a url']) {
    assert.equal(isModelStudioUrl(url), false, url);
  }
  const proxy = 'https://gw.example.com/dashscope/api/v1';
  assert.equal(serverIdentity({ baseUrl: proxy, region: 'cn-beijing', emulator: false }).modelStudio, false);
  assert.equal(serverIdentity({ baseUrl: proxy, region: 'cn-beijing', emulator: false, proxies: [`${proxy}/`] }).modelStudio, true);
  assert.equal(serverIdentity({ baseUrl: proxy, region: 'cn-beijing', emulator: false, proxies: ['https://gw.example.com'] }).modelStudio, true, 'an origin entry');
  assert.equal(serverIdentity({ baseUrl: 'http://127.0.0.1:9/api/v1', region: 'cn-beijing', emulator: false, proxies: [proxy] }).modelStudio, false);
  assert.deepEqual(serverIdentity({ baseUrl: 'http://127.0.0.1:9/api/v1', region: 'cn-beijing', emulator: true }), { origin: 'emulator', region: 'cn-beijing', modelStudio: false });
});

test('same server: origin, region and workspace; an identity derived from an old ledger does not know its workspace', () => {
  const bj = serverOfConfig({ baseUrl: 'https://dashscope.aliyuncs.com/api/v1', region: 'cn-beijing', workspace: 'ws-a' }, false);
  assert.equal(sameServer(bj, { ...bj }), true);
  assert.equal(sameServer(bj, { ...bj, workspace: 'ws-b' }), false);
  assert.equal(sameServer(bj, { ...bj, region: 'ap-southeast-1' }), false);
  assert.equal(sameServer(bj, { ...bj, origin: 'https://dashscope-intl.aliyuncs.com' }), false);
  const old = derivedIdentity({ baseUrl: 'https://dashscope.aliyuncs.com/api/v1', region: 'cn-beijing', emulator: false });
  assert.equal(sameServer(old, bj), true);
  // An old --base-url run: real here only when it is the very server this run talks to and that one is real.
  const oldProxy = derivedIdentity({ baseUrl: 'https://gw.example.com/api/v1', region: 'cn-beijing', emulator: false });
  assert.equal(countsAsModelStudio(oldProxy, serverOfConfig({ baseUrl: 'https://gw.example.com/api/v1', region: 'cn-beijing', modelStudioProxies: ['https://gw.example.com/api/v1'] }, false)), true);
  assert.equal(countsAsModelStudio(oldProxy, bj), false);
  assert.equal(countsAsModelStudio(derivedIdentity({ baseUrl: 'http://127.0.0.1:1/api/v1', region: 'cn-beijing', emulator: true }), bj), false);
});

test('modelStudioProxies must be a list of http(s) URLs', () => {
  assert.deepEqual(resolveConfig({ modelStudioProxies: ['https://gw.example.com/api/v1/'] }, { env: {}, cwd: '/tmp' }).modelStudioProxies, ['https://gw.example.com/api/v1']);
  assert.deepEqual(resolveConfig({}, { env: {}, cwd: '/tmp' }).modelStudioProxies, []);
  for (const bad of ['https://gw.example.com', ['gw.example.com'], [1]]) {
    assert.throws(() => resolveConfig({ modelStudioProxies: bad } as never, { env: {}, cwd: '/tmp' }), (e: unknown) => e instanceof UserError && e.kind === 'config' && /modelStudioProxies/.test(e.message), JSON.stringify(bad));
  }
});
