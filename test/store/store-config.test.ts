// Store settings: URL from --store > PIXVERSE_STORE > config; endpoint from config > AWS_ENDPOINT_URL_S3
// > AWS_ENDPOINT_URL; virtual-hosted style unless the endpoint is an IP or localhost; URLs parsed strictly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { UserError } from '../../src/core/errors.js';
import { emulatorLocation, parseObjectUrl, parseStoreUrl, storeUrlOf, videoKey } from '../../src/core/store/store-location.js';

const resolve = (store: unknown, env: Record<string, string> = {}, flag?: string) =>
  resolveConfig(store === undefined ? {} : { store }, { env, cwd: '/tmp', ...(flag ? { flags: { store: flag } } : {}) }).store;

test('store URLs: bucket and prefix, normalised; anything else refused with the reason', () => {
  assert.deepEqual(parseStoreUrl('s3://my-bucket/team/renders/'), { ok: true, location: { bucket: 'my-bucket', prefix: 'team/renders' } });
  assert.deepEqual(parseStoreUrl('s3://my.bucket'), { ok: true, location: { bucket: 'my.bucket', prefix: '' } });
  for (const bad of ['https://b/x', 's3://B/x', 's3://ab/x', 's3://bucket/a//b', 's3://bucket/a/../b', 's3://bucket/a\\b', 's3:///x']) {
    assert.equal(parseStoreUrl(bad).ok, false, bad);
  }
  const loc = { bucket: 'b-1', prefix: 'p' };
  assert.equal(storeUrlOf(loc), 's3://b-1/p');
  assert.equal(storeUrlOf(emulatorLocation(loc)), 's3://b-1/p/emulator');
  assert.equal(videoKey({ bucket: 'b-1', prefix: '' }, 'a'.repeat(64)), `videos/${'a'.repeat(64)}.mp4`);
  assert.deepEqual(parseObjectUrl(`s3://b-1/p/videos/x.mp4`), { bucket: 'b-1', key: 'p/videos/x.mp4' });
  assert.equal(parseObjectUrl('s3://b-1/p/../x'), undefined);
});

test('the flag beats the environment beats the config; the config keeps endpoint, region and style', () => {
  const cfg = { url: 's3://from-config/p', endpoint: 'https://s3.oss-cn-beijing.aliyuncs.com', region: 'cn-beijing' };
  assert.equal(resolve(cfg)!.url, 's3://from-config/p');
  assert.equal(resolve(cfg)!.source, 'config');
  const env = resolve(cfg, { PIXVERSE_STORE: 's3://from-env/q' })!;
  assert.deepEqual([env.url, env.source, env.endpoint, env.region], ['s3://from-env/q', 'env', cfg.endpoint, 'cn-beijing']);
  const flag = resolve(cfg, { PIXVERSE_STORE: 's3://from-env/q' }, 's3://from-flag/r')!;
  assert.deepEqual([flag.url, flag.source, flag.location], ['s3://from-flag/r', 'flag', { bucket: 'from-flag', prefix: 'r' }]);
  assert.equal(resolve(undefined), undefined, 'no store unless one is set');
});

test('endpoint from config, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; virtual-hosted unless IP/localhost or set', () => {
  const url = 's3://b-1/p';
  assert.equal(resolve({ url }, { AWS_ENDPOINT_URL: 'https://generic.example.com', AWS_ENDPOINT_URL_S3: 'https://s3only.example.com' })!.endpoint, 'https://s3only.example.com');
  assert.equal(resolve({ url }, { AWS_ENDPOINT_URL: 'https://generic.example.com' })!.endpoint, 'https://generic.example.com');
  assert.equal(resolve({ url, endpoint: 'https://mine.example.com/' }, { AWS_ENDPOINT_URL_S3: 'https://s3only.example.com' })!.endpoint, 'https://mine.example.com');
  assert.equal(resolve({ url })!.endpoint, undefined, 'AWS S3 as the SDK resolves it');
  assert.equal(resolve({ url, endpoint: 'https://s3.oss-cn-hangzhou.aliyuncs.com' })!.forcePathStyle, false, 'OSS needs virtual-hosted style');
  assert.equal(resolve({ url, endpoint: 'https://account.r2.cloudflarestorage.com' })!.forcePathStyle, false);
  assert.equal(resolve({ url, endpoint: 'http://127.0.0.1:9000' })!.forcePathStyle, true);
  assert.equal(resolve({ url, endpoint: 'http://localhost:9000' })!.forcePathStyle, true);
  assert.equal(resolve({ url, endpoint: 'https://minio.internal.example', forcePathStyle: true })!.forcePathStyle, true);
  assert.equal(resolve({ url }, { AWS_REGION: 'eu-west-1' })!.region, 'eu-west-1');
});

test('a bad store setting is a config error naming where it came from', () => {
  const problems = (store: unknown, env: Record<string, string> = {}, flag?: string): string => {
    try {
      resolve(store, env, flag);
    } catch (e) {
      // A wrong flag is a command-line mistake (exit 2); the config file or environment, configuration (exit 3).
      assert.ok(e instanceof UserError && e.kind === (flag === undefined ? 'config' : 'invalid-input'));
      return e.message;
    }
    assert.fail('expected a config error');
  };
  assert.match(problems({ url: 'https://bucket' }), /store\.url: 'https:\/\/bucket' is not an s3:\/\/ URL/);
  assert.match(problems(undefined, { PIXVERSE_STORE: 's3://UPPER/x' }), /PIXVERSE_STORE: 'UPPER' is not a valid bucket name/);
  assert.match(problems(undefined, {}, 's3://ok-bucket/a/../b'), /--store: the prefix/);
  assert.match(problems({ url: 's3://b-1', endpont: 'x' }), /unknown key 'store\.endpont' — did you mean 'store\.endpoint'/);
  assert.match(problems({ endpoint: 'https://x.example' }), /store\.url is missing/);
  assert.match(problems({ url: 's3://b-1', endpoint: 'https://key:secret@x.example' }), /without credentials/);
  assert.match(problems({ url: 's3://b-1', forcePathStyle: 'yes' }), /forcePathStyle must be true or false/);
});
