// What the rest of the tool knows of an object store: this interface and StoreError. The one
// implementation (s3-object-store.ts, the only importer of @aws-sdk/*) speaks S3 to AWS, Alibaba
// OSS, Cloudflare R2, MinIO or anything else S3-compatible; the engine and the app only see this.
import type { StoreLocation, StoredRenderRecord } from '../core/store/store-location.js';

/**
 * Why a store request failed, in the terms a user acts on:
 * - `missing-bucket`: the bucket does not exist at this endpoint.
 * - `credentials`: the service refused the credentials (unknown key, bad signature, access denied, expired token).
 * - `no-credentials`: no credentials were found in the standard AWS chain.
 * - `unreachable`: the endpoint did not answer (refused, unknown host, timeout, reset).
 * - `wrong-region`: the bucket lives in another region than the one signed for.
 * - `path-style`: the service refuses path-style addressing (Alibaba OSS: SecondLevelDomainForbidden).
 * - `not-found`: the object is not there.
 * - `corrupt`: the object's bytes do not have the sha256 they are stored under.
 * - `unavailable`: the service answered 5xx (transient).
 * - `other`: anything else (the code and message say what).
 */
export type StoreErrorKind =
  | 'missing-bucket'
  | 'credentials'
  | 'no-credentials'
  | 'unreachable'
  | 'wrong-region'
  | 'path-style'
  | 'not-found'
  | 'corrupt'
  | 'unavailable'
  | 'other';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    /** The service's error code (`NoSuchBucket`, `AccessDenied`…) or the network error's (`ECONNREFUSED`). */
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

export interface PutVideoResult {
  /** `s3://bucket/<prefix>/videos/<sha256>.mp4` */
  url: string;
  /** The store already held these bytes (found by HEAD): nothing was uploaded. */
  existed: boolean;
}

export interface ObjectStore {
  /** Where this store writes (the emulator prefix already applied for emulator runs). */
  readonly location: StoreLocation;
  /** `s3://bucket/prefix` */
  readonly url: string;
  /** The endpoint for messages (`http://127.0.0.1:9000`, or `AWS S3` when the SDK picks it). */
  readonly endpoint: string;
  /**
   * Proves the store can be written: puts a small probe object and deletes it. Throws a
   * StoreError that says why not. A refused delete after a good put is not an error (writes
   * work); it is returned as a warning.
   */
  probe(): Promise<{ warning?: string }>;
  /**
   * Puts a local video under its content address, unless the store has it already (HEAD first,
   * so the same bytes are never uploaded twice). Large files go up as a streamed multipart upload.
   */
  putVideo(file: string, sha256: string, bytes: number): Promise<PutVideoResult>;
  /** Puts the request key → video record (`renders/<key>.json`) unless one is there already. */
  putRenderRecord(record: StoredRenderRecord): Promise<void>;
  /** Puts an evidence file under `<prefix>/<manifest name>/<rel>` (overwritten: it is the latest). */
  putEvidence(manifestName: string, rel: string, body: Buffer | string, contentType: string): Promise<void>;
  /**
   * Streams an object (`s3://…` URL, any bucket this client can read) to `dest`, hashing as it
   * writes; throws StoreError `corrupt` (and removes `dest`) when the bytes are not `sha256`.
   */
  fetchVideo(url: string, dest: string, sha256: string, signal?: AbortSignal): Promise<{ bytes: number }>;
  /** The request key → video record, if the store has one. */
  getRenderRecord(requestKey: string): Promise<StoredRenderRecord | undefined>;
  close(): void;
}
