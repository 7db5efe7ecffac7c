// The S3 adapter against a real S3-compatible server on loopback (s3rver) through the real AWS
// SDK: content-addressed puts that never upload the same bytes twice, streamed multipart uploads,
// no checksum headers, verified fetches, and every failure class the probe must tell apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createS3ObjectStore } from '../../src/store/s3-object-store.js';
import type { StoreSettings } from '../../src/store/s3-object-store.js';
import { isStoreError } from '../../src/store/object-store.js';
import type { ObjectStore, StoreErrorKind } from '../../src/store/object-store.js';
import { S3RVER_CREDENTIALS, startRefusingS3, startS3 } from '../helpers/s3-server.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function storeAt(endpoint: string, over: Partial<StoreSettings> = {}): ObjectStore {
  return createS3ObjectStore({
    location: { bucket: 'renders', prefix: 'team/a' },
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    maxAttempts: 1,
    ...over,
  });
}

async function tempFile(t: { after(fn: () => Promise<void>): void }, bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'v.mp4');
  await writeFile(file, bytes);
  return file;
}

async function rejectsWith(p: Promise<unknown>, kind: StoreErrorKind): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(isStoreError(e), `a StoreError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected a ${kind} failure`);
}

test('a video goes up under its sha256, byte for byte, without checksum headers; the same bytes are never uploaded twice', async (t) => {
  const s3 = await startS3({ buckets: ['renders'] });
  t.after(() => s3.close());
  const store = storeAt(s3.endpoint);
  t.after(() => store.close());
  const bytes = randomBytes(300_000);
  const file = await tempFile(t, bytes);

  const first = await store.putVideo(file, sha(bytes), bytes.length);
  assert.deepEqual(first, { url: `s3://renders/team/a/videos/${sha(bytes)}.mp4`, existed: false });
  const objects = await s3.objects('renders');
  assert.deepEqual([...objects.keys()], [`team/a/videos/${sha(bytes)}.mp4`]);
  assert.ok(objects.get(`team/a/videos/${sha(bytes)}.mp4`)!.equals(bytes), 'the stored bytes are the file');
  assert.equal(s3.writesUnder('renders/team/a/videos/').length, 1);

  const again = await store.putVideo(file, sha(bytes), bytes.length);
  assert.deepEqual(again, { url: first.url, existed: true });
  assert.equal(s3.writesUnder('renders/team/a/videos/').length, 1, 'the second put only looked (HEAD)');

  // Recent SDKs add CRC32 headers and aws-chunked bodies unless told not to; many S3-compatible servers refuse them.
  for (const r of s3.requests) {
    assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm'), `${r.method} ${r.path} carries no checksum header`);
    assert.notEqual(r.headers['content-encoding'], 'aws-chunked');
  }
});

test('a large video goes up as a streamed multipart upload and reads back identical', async (t) => {
  const s3 = await startS3({ buckets: ['renders'] });
  t.after(() => s3.close());
  const store = storeAt(s3.endpoint, { partSizeBytes: 5 * 1024 * 1024 });
  t.after(() => store.close());
  const bytes = randomBytes(12 * 1024 * 1024 + 123);
  const file = await tempFile(t, bytes);
  const put = await store.putVideo(file, sha(bytes), bytes.length);
  assert.equal(put.existed, false);
  const parts = s3.requests.filter((r) => r.method === 'PUT' && /partNumber=/.test(r.query));
  assert.equal(parts.length, 3, 'three parts of at most 5 MiB');
  assert.ok(s3.requests.some((r) => r.method === 'POST' && /uploads/.test(r.query)), 'a multipart upload was initiated');
  const dest = path.join(path.dirname(file), 'back.mp4');
  const got = await store.fetchVideo(put.url, dest, sha(bytes));
  assert.equal(got.bytes, bytes.length);
  assert.ok((await readFile(dest)).equals(bytes));
});

test('a fetched object whose bytes are not the sha256 asked for is refused and not left on disk; a missing one is not-found', async (t) => {
  const s3 = await startS3({ buckets: ['renders'] });
  t.after(() => s3.close());
  const store = storeAt(s3.endpoint);
  t.after(() => store.close());
  const bytes = randomBytes(1000);
  const file = await tempFile(t, bytes);
  const put = await store.putVideo(file, sha(bytes), bytes.length);
  const dest = path.join(path.dirname(file), 'back.mp4');
  const e = await rejectsWith(store.fetchVideo(put.url, dest, '0'.repeat(64)), 'corrupt');
  assert.match(e.message, /sha256/);
  await assert.rejects(stat(dest), { code: 'ENOENT' });
  await rejectsWith(store.fetchVideo(`s3://renders/team/a/videos/${'1'.repeat(64)}.mp4`, dest, '1'.repeat(64)), 'not-found');
});

test('the probe writes and removes one object; a missing bucket, an unknown key and a closed port each say which', async (t) => {
  const s3 = await startS3({ buckets: ['renders'] });
  t.after(() => s3.close());
  const ok = storeAt(s3.endpoint);
  t.after(() => ok.close());
  assert.deepEqual(await ok.probe(), {});
  assert.equal(s3.requests.filter((r) => r.method === 'PUT').length, 1);
  assert.equal(s3.requests.filter((r) => r.method === 'DELETE').length, 1);
  assert.equal((await s3.objects('renders')).size, 0, 'nothing left behind');

  const noBucket = storeAt(s3.endpoint, { location: { bucket: 'no-such-bucket', prefix: '' } });
  t.after(() => noBucket.close());
  assert.match((await rejectsWith(noBucket.probe(), 'missing-bucket')).message, /no-such-bucket.*does not exist.*NoSuchBucket/);

  const badKey = storeAt(s3.endpoint, { credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'very-secret-value' } });
  t.after(() => badKey.close());
  const refused = await rejectsWith(badKey.probe(), 'credentials');
  assert.match(refused.message, /InvalidAccessKeyId/);
  assert.ok(!refused.message.includes('very-secret-value'));

  await s3.stop();
  const down = storeAt(s3.endpoint);
  t.after(() => down.close());
  assert.match((await rejectsWith(down.probe(), 'unreachable')).message, /cannot be reached \(ECONNREFUSED\)/);
});

for (const code of ['SignatureDoesNotMatch', 'AccessDenied'] as const) {
  test(`a service answering 403 ${code} is refused credentials, for the probe and for a HEAD-then-PUT`, async (t) => {
    const s3 = await startRefusingS3(code);
    t.after(() => s3.close());
    const store = storeAt(s3.endpoint, { credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wrong-secret-1234' } });
    t.after(() => store.close());
    const e = await rejectsWith(store.probe(), 'credentials');
    assert.match(e.message, new RegExp(code));
    assert.ok(!e.message.includes('wrong-secret-1234'));
    const file = await tempFile(t, Buffer.from('x'));
    await rejectsWith(store.putVideo(file, sha(Buffer.from('x')), 1), 'credentials');
  });
}

test('the render record of a request key is written once and read back', async (t) => {
  const s3 = await startS3({ buckets: ['renders'] });
  t.after(() => s3.close());
  const store = storeAt(s3.endpoint);
  t.after(() => store.close());
  const key = 'a'.repeat(64);
  assert.equal(await store.getRenderRecord(key), undefined);
  const record = { request_key: key, model: 'pixverse/pixverse-v6-t2v', sha256: 'b'.repeat(64), bytes: 10, video: `videos/${'b'.repeat(64)}.mp4`, task_id: 't-1', shot: 'hero' };
  await store.putRenderRecord(record);
  await store.putRenderRecord({ ...record, shot: 'other' });
  assert.deepEqual(await store.getRenderRecord(key), record);
  assert.equal(s3.writesUnder('renders/team/a/renders/').length, 1);
});
