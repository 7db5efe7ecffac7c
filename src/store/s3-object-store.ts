// The object store over the official AWS SDK (@aws-sdk/client-s3, @aws-sdk/lib-storage): the only
// module that imports them. Conventions of the S3 ecosystem, so AWS S3, Alibaba OSS (through its
// S3-compatible endpoint), Cloudflare R2 and MinIO work without code changes:
// - credentials come from the SDK's standard chain (environment, shared profile, SSO, instance
//   role); this module never reads, stores or prints them;
// - checksums only when an operation requires one: since early 2025 the SDKs add CRC32 headers and
//   aws-chunked bodies by default, which many S3-compatible servers refuse or store verbatim;
// - virtual-hosted style unless the endpoint is an IP address or localhost (or path style is set):
//   OSS refuses path style.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { evidenceKey, keyUnder, objectUrl, parseObjectUrl, renderRecordKey, storeUrlOf, videoKey } from '../core/store/store-location.js';
import type { StoreLocation, StoredRenderRecord } from '../core/store/store-location.js';
import { classifyStoreError } from './classify-store-error.js';
import { StoreError } from './object-store.js';
import type { ObjectStore, PutVideoResult } from './object-store.js';

export interface StoreSettings {
  location: StoreLocation;
  /** An S3-compatible endpoint (`https://s3.oss-cn-beijing.aliyuncs.com`); none = AWS S3 as the SDK resolves it. */
  endpoint?: string;
  /** Signing region; default the SDK's chain (AWS_REGION, profile), or us-east-1 with an endpoint. */
  region?: string;
  forcePathStyle: boolean;
  /**
   * Credentials taken from an environment other than this process's (a library caller's `env`).
   * Without them the SDK's own chain runs (process environment, shared profile, …).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Part size of a multipart upload; files up to one part go up in one PUT. Default 8 MiB (S3's minimum is 5). */
  partSizeBytes?: number;
  /** SDK attempts per request (retries 5xx, throttling and network errors). Default 3. */
  maxAttempts?: number;
  /** Connection and per-request inactivity timeouts, ms. */
  timeouts?: { connectMs?: number; requestMs?: number };
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;

export function createS3ObjectStore(settings: StoreSettings): ObjectStore {
  // The project runs on Node 20 by design; the SDK's notice about its releases after January 2027
  // is not something a user of this tool can act on, and would print in every run's output.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const { location } = settings;
  const endpoint = settings.endpoint ?? 'AWS S3';
  const region = settings.region ?? (settings.endpoint ? 'us-east-1' : undefined);
  const client = new S3Client({
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(region ? { region } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: settings.timeouts?.connectMs ?? 10_000, requestTimeout: settings.timeouts?.requestMs ?? 120_000 },
  });
  const partSize = Math.max(MIN_PART_SIZE, settings.partSizeBytes ?? DEFAULT_PART_SIZE);
  const fail = (e: unknown, what: string, bucket = location.bucket): StoreError => classifyStoreError(e, { what, bucket, endpoint });

  /** True when the object exists; a 404 is false; anything else throws. */
  async function exists(bucket: string, key: string): Promise<{ bytes: number | undefined } | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { bytes: head.ContentLength };
    } catch (e) {
      const err = fail(e, `HEAD ${objectUrl(bucket, key)}`, bucket);
      // A HEAD has no body: a missing bucket looks like a missing key here; the PUT that follows says which.
      if (err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  /** In-flight and finished video puts of this client, by sha256. */
  const puts = new Map<string, Promise<PutVideoResult>>();
  async function putVideoNow(file: string, sha256: string, bytes: number): Promise<PutVideoResult> {
    const key = videoKey(location, sha256);
    const url = objectUrl(location.bucket, key);
    const found = await exists(location.bucket, key);
    // Content-addressed: an object under this key with this length is these bytes.
    if (found && (found.bytes === undefined || found.bytes === bytes)) return { url, existed: true };
    try {
      const upload = new Upload({
        client,
        params: { Bucket: location.bucket, Key: key, Body: createReadStream(file), ContentType: 'video/mp4', Metadata: { sha256 } },
        partSize,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (e) {
      throw fail(e, `PUT ${url}`);
    }
    const after = await exists(location.bucket, key);
    if (!after || (after.bytes !== undefined && after.bytes !== bytes)) {
      throw new StoreError('corrupt', 'SizeMismatch', `PUT ${url}: the store holds ${after?.bytes ?? 'no'} bytes after the upload, not ${bytes}`);
    }
    return { url, existed: false };
  }

  return {
    location,
    url: storeUrlOf(location),
    endpoint,

    async probe() {
      const key = keyUnder(location, `.pixverse-probe/${Date.now()}-${randomBytes(6).toString('hex')}`);
      const what = `writing a probe object to ${storeUrlOf(location)}`;
      try {
        await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: 'pixverse-batch write probe; safe to delete\n', ContentType: 'text/plain' }));
      } catch (e) {
        throw fail(e, what);
      }
      try {
        await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: key }));
        return {};
      } catch (e) {
        return { warning: `the store accepts writes but refused to delete the probe object ${objectUrl(location.bucket, key)} (${fail(e, 'DELETE').code}); delete it by hand` };
      }
    },

    putVideo(file, sha256, bytes): Promise<PutVideoResult> {
      // Two shots whose videos are the same bytes, downloaded at once: one upload, the other waits for it.
      const pending = puts.get(sha256);
      if (pending) return pending.then((r) => ({ url: r.url, existed: true }));
      const put = putVideoNow(file, sha256, bytes);
      puts.set(sha256, put);
      put.catch(() => puts.delete(sha256));
      return put;
    },

    async putRenderRecord(record) {
      const key = renderRecordKey(location, record.request_key);
      if (await exists(location.bucket, key)) return;
      try {
        await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: JSON.stringify(record, null, 2) + '\n', ContentType: 'application/json' }));
      } catch (e) {
        throw fail(e, `PUT ${objectUrl(location.bucket, key)}`);
      }
    },

    async getRenderRecord(requestKey) {
      const key = renderRecordKey(location, requestKey);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
        return JSON.parse(await res.Body!.transformToString('utf8')) as StoredRenderRecord;
      } catch (e) {
        const err = fail(e, `GET ${objectUrl(location.bucket, key)}`);
        if (err.kind === 'not-found') return undefined;
        throw err;
      }
    },

    async putEvidence(manifestName, rel, body, contentType) {
      const key = evidenceKey(location, manifestName, rel);
      try {
        await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: body, ContentType: contentType }));
      } catch (e) {
        throw fail(e, `PUT ${objectUrl(location.bucket, key)}`);
      }
    },

    async fetchVideo(url, dest, sha256, signal) {
      const parsed = parseObjectUrl(url);
      if (!parsed) throw new StoreError('other', 'InvalidUrl', `'${url}' is not an s3://bucket/key URL`);
      let body: Readable;
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: parsed.bucket, Key: parsed.key }), signal ? { abortSignal: signal } : {});
        body = res.Body as Readable;
      } catch (e) {
        throw fail(e, `GET ${url}`, parsed.bucket);
      }
      const hash = createHash('sha256');
      let bytes = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, tap, createWriteStream(dest), signal ? { signal } : {});
      } catch (e) {
        await rm(dest, { force: true });
        if (signal?.aborted) throw e;
        throw fail(e, `GET ${url}`, parsed.bucket);
      }
      const got = hash.digest('hex');
      if (got !== sha256) {
        await rm(dest, { force: true });
        throw new StoreError('corrupt', 'Sha256Mismatch', `GET ${url}: the object's sha256 is ${got}, not ${sha256}; it was not used`);
      }
      return { bytes };
    },

    close() {
      client.destroy();
    },
  };
}
