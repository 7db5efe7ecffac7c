// The temporary-upload flow (protocol §1): getPolicy hands out an OSS-style POST policy whose
// upload_host is this server's `/__oss`; the multipart POST there stores the object's metadata;
// `oss://{key}` is then accepted on submit for the same model within 48 h (emulated).
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { HttpError } from './auth.js';

/** A policy is valid for 300 s (wall clock + advanceClock jumps, see clock.ts). */
export const POLICY_TTL_S = 300;
/** oss:// URLs stay usable for 48 h of emulated time. */
export const OSS_URL_TTL_MS = 48 * 3600 * 1000;
/** Emulator's per-file cap (the real one depends on the model, at most 1 GB). */
export const MAX_FILE_SIZE_MB = 100;

/** A multipart value as Node's global FormData gives it (string or File). */
export type FormEntryValue = NonNullable<ReturnType<FormData['get']>>;

const ACCESS_KEY_ID = 'LTAIemulatorAccessKey';

interface Policy {
  model: string;
  uploadDir: string;
  expiresAtWall: number;
}

interface StoredObject {
  model: string;
  uploadedAt: number;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
}

/** Fields every upload must carry besides `file` (which must come last). */
const REQUIRED_FIELDS = ['OSSAccessKeyId', 'Signature', 'policy', 'key', 'x-oss-object-acl', 'x-oss-forbid-overwrite', 'success_action_status'];

export class UploadStore {
  private readonly secret = randomBytes(32);
  private readonly policies = new Map<string, Policy>();
  private readonly objects = new Map<string, StoredObject>();

  constructor(private readonly accountTag: string) {}

  issuePolicy(model: string, origin: string, wallNow: number): Record<string, unknown> {
    const expiresAtWall = wallNow + POLICY_TTL_S * 1000;
    const day = new Date(wallNow).toISOString().slice(0, 10);
    const uploadDir = `dashscope-instant/${this.accountTag}/${day}/${randomUUID()}`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(expiresAtWall).toISOString(),
        conditions: [['content-length-range', 0, MAX_FILE_SIZE_MB * 1024 * 1024], ['starts-with', '$key', uploadDir]],
      }),
    ).toString('base64');
    this.policies.set(policy, { model, uploadDir, expiresAtWall });
    return {
      policy,
      signature: this.sign(policy),
      upload_dir: uploadDir,
      upload_host: `${origin}/__oss`,
      expire_in_seconds: POLICY_TTL_S,
      max_file_size_mb: MAX_FILE_SIZE_MB,
      capacity_limit_mb: 999_999_999,
      oss_access_key_id: ACCESS_KEY_ID,
      x_oss_object_acl: 'private',
      x_oss_forbid_overwrite: 'true',
    };
  }

  /** Checks and stores one multipart upload; `entries` in the order they were sent. */
  async store(entries: Array<[string, FormEntryValue]>, wallNow: number, now: number): Promise<HttpError | undefined> {
    const fields = new Map<string, string>();
    for (const [name, value] of entries) if (typeof value === 'string') fields.set(name, value);
    for (const name of REQUIRED_FIELDS) {
      if (!fields.has(name)) return { status: 400, code: 'InvalidArgument', message: `The form field "${name}" is missing.` };
    }
    const last = entries[entries.length - 1];
    if (!last || last[0] !== 'file' || typeof last[1] === 'string') {
      return { status: 400, code: 'InvalidArgument', message: 'The form field "file" must be present and be the last field.' };
    }
    if (entries.filter(([n]) => n === 'file').length !== 1) {
      return { status: 400, code: 'InvalidArgument', message: 'Exactly one "file" field is allowed.' };
    }
    const policyText = fields.get('policy') as string;
    const policy = this.policies.get(policyText);
    if (!policy || fields.get('Signature') !== this.sign(policyText) || fields.get('OSSAccessKeyId') !== ACCESS_KEY_ID) {
      return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
    }
    if (wallNow > policy.expiresAtWall) return { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' };
    const key = fields.get('key') as string;
    if (!key.startsWith(`${policy.uploadDir}/`) || key.length === policy.uploadDir.length + 1) {
      return { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", upload_dir].' };
    }
    if (fields.get('x-oss-forbid-overwrite') === 'true' && this.objects.has(key)) {
      return { status: 409, code: 'FileAlreadyExists', message: 'The object you specified already exists and can not be overwritten.' };
    }
    const file = last[1] as Blob;
    if (file.size > MAX_FILE_SIZE_MB * 1024 * 1024) {
      return { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size.' };
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    this.objects.set(key, {
      model: policy.model,
      uploadedAt: now,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      contentType: fields.get('x-oss-content-type') ?? (file.type || undefined),
    });
    return undefined;
  }

  /** Why an `oss://` URL may not be used by `model` at emulated time `now`, or undefined. */
  checkOssUrl(url: string, model: string, now: number): string | undefined {
    const key = url.slice('oss://'.length);
    const obj = this.objects.get(key);
    if (!obj) return `The oss:// resource "${url}" does not exist or was not uploaded by this account.`;
    if (obj.model !== model) return `The oss:// resource "${url}" was uploaded for model ${obj.model}, not ${model}.`;
    if (now - obj.uploadedAt > OSS_URL_TTL_MS) return `The oss:// resource "${url}" has expired (temporary files are kept 48 hours).`;
    return undefined;
  }

  private sign(policy: string): string {
    return createHmac('sha1', this.secret).update(policy).digest('base64');
  }
}
