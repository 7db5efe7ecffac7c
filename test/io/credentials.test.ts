// API key resolution: environment first, then ~/.alibabacloud/credentials [default].
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { findApiKey, readIniValue, resolveApiKey } from '../../src/io/credentials.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'pixverse-home-'));
after(() => rmSync(home, { recursive: true, force: true }));
const FAKE_FILE_KEY = 'sk-file-0000';
const FAKE_ENV_KEY = 'sk-env-1111';
mkdirSync(path.join(home, '.alibabacloud'));
writeFileSync(
  path.join(home, '.alibabacloud', 'credentials'),
  `[other]\ndashscope_api_key = sk-wrong\n\n# comment\n[default]\nregion = cn-beijing\ndashscope_api_key = "${FAKE_FILE_KEY}"\n`,
);

describe('API key', () => {
  it('the environment wins', async () => {
    const k = await findApiKey({ env: { DASHSCOPE_API_KEY: FAKE_ENV_KEY }, home });
    assert.equal(k?.key, FAKE_ENV_KEY);
    assert.equal(k?.source, 'environment variable DASHSCOPE_API_KEY');
  });
  it('else the [default] section of the credentials file', async () => {
    const k = await findApiKey({ env: {}, home });
    assert.equal(k?.key, FAKE_FILE_KEY);
    assert.ok(k?.source.includes('credentials'));
    assert.equal(k?.source.includes(FAKE_FILE_KEY), false, 'the source never contains the key');
  });
  it('an empty variable falls through to the file', async () => {
    assert.equal((await findApiKey({ env: { DASHSCOPE_API_KEY: '' }, home }))?.key, FAKE_FILE_KEY);
  });
  it('no key anywhere is an auth error without any key in it', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'pixverse-nohome-'));
    try {
      await assert.rejects(resolveApiKey({ env: {}, home: empty }), (e: unknown) => e instanceof UserError && e.kind === 'auth');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
  it('INI parsing', () => {
    assert.equal(readIniValue('[default]\nk=v', 'default', 'k'), 'v');
    assert.equal(readIniValue('[ default ]\n  k =  v  \n', 'default', 'k'), 'v');
    assert.equal(readIniValue('[x]\nk=v', 'default', 'k'), undefined);
    assert.equal(readIniValue('[default]\n; k=v\nk2=w', 'default', 'k'), undefined);
  });
});
