// Where things go in an object store, as pure values. A store is `s3://bucket/prefix`; under the
// prefix, a video is content-addressed by its sha256 (the same bytes always have the same key, so
// they are never uploaded twice), a small render record maps a request key to its video (a video
// can be found by the request that produced it), and each manifest's evidence mirrors its output
// folder, so the contact sheet's relative links work when the bucket serves it over HTTP:
//
//   <prefix>/videos/<sha256>.mp4            every video, shared by every manifest and clone
//   <prefix>/renders/<request key>.json     request key → video (sha256, model, task id)
//   <prefix>/<manifest name>/index.html     report.json, report.md, requests/…, snapshots/…
//   <prefix>/emulator/…                     the same for emulator runs, kept apart
//
// No I/O here: the SDK adapter (src/store/) turns these keys into requests.

export interface StoreLocation {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket's root. */
  prefix: string;
}

export type StoreUrlParse = { ok: true; location: StoreLocation } | { ok: false; message: string };

/** S3, OSS, R2 and MinIO bucket names all fit this (lower-case letters, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A prefix segment: printable, no slash or backslash; `.` and `..` are refused separately. */
const SEGMENT = /^[^\s/\\\u0000-\u001f\u007f?#]+$/;

/** Parses `s3://bucket/prefix` (the prefix may be empty; a trailing slash is ignored). */
export function parseStoreUrl(url: string): StoreUrlParse {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url.trim());
  if (!m) return { ok: false, message: `'${url}' is not an s3:// URL (expected s3://bucket/prefix)` };
  const bucket = m[1]!;
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    return { ok: false, message: `'${bucket}' is not a valid bucket name (3–63 lower-case letters, digits, dots or hyphens)` };
  }
  const raw = (m[2] ?? '').replace(/\/+$/, '');
  if (raw === '') return { ok: true, location: { bucket, prefix: '' } };
  const segments = raw.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || !SEGMENT.test(s)) {
      return { ok: false, message: `the prefix '${raw}' has an empty, '.' or '..' segment or a character a key cannot hold` };
    }
  }
  return { ok: true, location: { bucket, prefix: segments.join('/') } };
}

/** `s3://bucket/prefix` (no trailing slash). */
export function storeUrlOf(loc: StoreLocation): string {
  return `s3://${loc.bucket}${loc.prefix ? `/${loc.prefix}` : ''}`;
}

/** The object key of `rel` under the store's prefix. */
export function keyUnder(loc: StoreLocation, rel: string): string {
  return loc.prefix ? `${loc.prefix}/${rel}` : rel;
}

/** `s3://bucket/key`. */
export function objectUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** How a store's objects are addressed over HTTP (the resolved store's settings). */
export interface StoreAddressing {
  /** An S3-compatible endpoint; none: AWS S3. */
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
}

/**
 * The https address of an `s3://bucket/key` object, as a browser would open it (it opens when
 * the bucket, or a CDN before it, lets the reader in): `https://bucket.host/key` virtual-hosted,
 * `endpoint/bucket/key` in path style, `https://bucket.s3.<region>.amazonaws.com/key` on AWS.
 */
export function objectHttpUrl(url: string, addressing: StoreAddressing): string | undefined {
  const parsed = parseObjectUrl(url);
  if (!parsed) return undefined;
  const key = parsed.key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[()']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  if (!addressing.endpoint) return `https://${parsed.bucket}.s3.${addressing.region ?? 'us-east-1'}.amazonaws.com/${key}`;
  let base: URL;
  try {
    base = new URL(addressing.endpoint);
  } catch {
    return undefined;
  }
  const path = base.pathname.replace(/\/+$/, '');
  if (addressing.forcePathStyle) return `${base.protocol}//${base.host}${path}/${parsed.bucket}/${key}`;
  return `${base.protocol}//${parsed.bucket}.${base.host}${path}/${key}`;
}

/** `s3://bucket/key` → bucket and key; undefined for anything else. */
export function parseObjectUrl(url: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(url);
  if (!m || m[2]!.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return { bucket: m[1]!, key: m[2]! };
}

/** Emulator renders go under `<prefix>/emulator/`: never mixed with real ones. */
export function emulatorLocation(loc: StoreLocation): StoreLocation {
  return { bucket: loc.bucket, prefix: keyUnder(loc, 'emulator') };
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Relative to the prefix: `videos/<sha256>.mp4`. */
export function videoRel(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return `videos/${sha256}.mp4`;
}

export function videoKey(loc: StoreLocation, sha256: string): string {
  return keyUnder(loc, videoRel(sha256));
}

/** Relative to the prefix: `renders/<request key>.json`. */
export function renderRecordKey(loc: StoreLocation, requestKey: string): string {
  if (!SHA256.test(requestKey)) throw new Error(`not a request key: ${requestKey}`);
  return keyUnder(loc, `renders/${requestKey}.json`);
}

/** A manifest's evidence folder, relative to the prefix: its name (a safe file name by validation). */
export function evidenceKey(loc: StoreLocation, manifestName: string, rel: string): string {
  return keyUnder(loc, `${manifestName}/${rel}`);
}

/** The href from a manifest's evidence folder (where index.html is) to a stored video. */
export function videoHrefFromEvidence(sha256: string): string {
  return `../${videoRel(sha256)}`;
}

/** The render record stored at `renders/<request key>.json`: enough to find and verify the video. */
export interface StoredRenderRecord {
  request_key: string;
  model: string;
  sha256: string;
  bytes: number;
  /** Relative to the record's folder's parent (the store prefix): `videos/<sha256>.mp4`. */
  video: string;
  task_id: string | null;
  /** The shot id it was rendered for (informative: the request key is what identifies it). */
  shot: string;
}
