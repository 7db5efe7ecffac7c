// Uploads of local media to DashScope's temporary OSS space (protocol §1): getPolicy on the API,
// then a multipart POST of the file to the policy's upload host, which yields an `oss://` URL.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DashScopeError } from './errors.js';
import type { Exchange } from './exchange.js';
import { buildMultipart, guessMimeType } from './multipart.js';
import { str, isObject } from './wire.js';

/** Temporary oss:// URLs are valid 48 h (spec §1). */
const OSS_URL_LIFETIME_MS = 48 * 3600_000;

interface UploadPolicy {
  policy: string;
  signature: string;
  upload_dir: string;
  upload_host: string;
  oss_access_key_id: string;
  x_oss_object_acl: string;
  x_oss_forbid_overwrite: string;
  max_file_size_mb?: number;
}

export type Upload = (file: { path: string; fileName?: string }, model: string) => Promise<{ url: string; expiresAt: Date }>;

export function createUpload(x: Exchange): Upload {
  return async (file, model) => {
    let size: number;
    try {
      const st = await stat(file.path);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DashScopeError({ operation: 'upload', errorClass: 'fatal', code: 'InvalidInput', message: x.redact(`cannot read ${file.path}: ${reason}`) });
    }
    const fileName = file.fileName ?? path.basename(file.path);
    return x.withRetry('upload', undefined, async () => {
      // A fresh policy per attempt: a new upload_dir avoids x-oss-forbid-overwrite clashes
      // after an attempt that may have stored the object, and an expired policy is renewed.
      const policy = await getPolicy(x, model);
      if (policy.max_file_size_mb !== undefined && size > policy.max_file_size_mb * 1024 * 1024) {
        throw new DashScopeError({
          operation: 'upload',
          errorClass: 'fatal',
          code: 'FileTooLarge',
          message: `${fileName} is ${size} bytes; the limit for ${model} is ${policy.max_file_size_mb} MB`,
        });
      }
      const startedAt = x.now();
      const key = await postToOss(x, policy, { path: file.path, fileName, size });
      return { url: `oss://${key}`, expiresAt: new Date(startedAt + OSS_URL_LIFETIME_MS) };
    });
  };
}

async function getPolicy(x: Exchange, model: string): Promise<UploadPolicy> {
  const qs = new URLSearchParams({ action: 'getPolicy', model }).toString();
  return x.withRetry('getPolicy', undefined, () =>
    x.apiCall('getPolicy', { method: 'GET', url: x.apiUrl(`/uploads?${qs}`), headers: x.apiHeaders() }, 'data.upload_host', parsePolicy),
  );
}

async function postToOss(x: Exchange, policy: UploadPolicy, file: { path: string; fileName: string; size: number }): Promise<string> {
  const key = `${policy.upload_dir}/${file.fileName}`;
  const mime = guessMimeType(file.fileName);
  // The documented field order; OSS requires `file` to be the last field.
  const body = buildMultipart(
    [
      ['OSSAccessKeyId', policy.oss_access_key_id],
      ['Signature', policy.signature],
      ['policy', policy.policy],
      ['key', key],
      ['x-oss-object-acl', policy.x_oss_object_acl],
      ['x-oss-forbid-overwrite', policy.x_oss_forbid_overwrite],
      ['success_action_status', '200'],
      ['x-oss-content-type', mime],
    ],
    { field: 'file', fileName: file.fileName, contentType: mime, path: file.path, size: file.size },
  );
  // No Authorization here: this goes to OSS, which authenticates by the signed policy.
  const ans = await x.exchange('upload', {
    method: 'POST',
    url: policy.upload_host,
    headers: {
      accept: 'application/json',
      'user-agent': x.userAgent,
      date: new Date(x.now()).toUTCString(),
      'content-type': body.contentType,
      'content-length': String(body.contentLength),
    },
    body: () => Readable.from(body.stream()),
  });
  if (ans.status < 200 || ans.status >= 300) throw x.ossError('upload', ans);
  return key;
}

function parsePolicy(json: Record<string, unknown>): UploadPolicy | undefined {
  const data = json['data'];
  if (!isObject(data)) return undefined;
  const need = ['policy', 'signature', 'upload_dir', 'upload_host', 'oss_access_key_id'] as const;
  const out: Record<string, string> = {};
  for (const k of need) {
    const v = str(data[k]);
    if (v === undefined || v === '') return undefined;
    out[k] = v;
  }
  const max = data['max_file_size_mb'];
  return {
    policy: out['policy'] as string,
    signature: out['signature'] as string,
    upload_dir: (out['upload_dir'] as string).replace(/\/+$/, ''),
    upload_host: out['upload_host'] as string,
    oss_access_key_id: out['oss_access_key_id'] as string,
    x_oss_object_acl: str(data['x_oss_object_acl']) ?? 'private',
    x_oss_forbid_overwrite: str(data['x_oss_forbid_overwrite']) ?? 'true',
    ...(typeof max === 'number' && max > 0 ? { max_file_size_mb: max } : {}),
  };
}
