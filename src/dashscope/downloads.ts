// Downloads of finished videos: a GET of the signed video URL (no Authorization: it is another
// host), streamed to the caller's path while hashing, checked for type and length.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import type { DownloadResult } from './client-types.js';
import { translateNetworkError } from './errors.js';
import { discard, isAborted, readLimited, type Exchange } from './exchange.js';
import { describeUrl, headerValue } from './wire.js';

export type Download = (url: string, destPath: string, opts?: { signal?: AbortSignal }) => Promise<DownloadResult>;

const VIDEO_LIKE = new Set(['application/octet-stream', 'binary/octet-stream']);

export function createDownload(x: Exchange): Download {
  return async (url, destPath, opts = {}) => {
    try {
      // Each attempt rewrites destPath from the start.
      return await x.withRetry('download', opts.signal, () => downloadOnce(x, url, destPath, opts.signal));
    } catch (err) {
      await unlink(destPath).catch(() => undefined);
      throw err;
    }
  };
}

async function downloadOnce(x: Exchange, url: string, destPath: string, signal: AbortSignal | undefined): Promise<DownloadResult> {
  if (isAborted(signal)) {
    throw x.fail('download', { kind: 'aborted', sent: false }, { code: 'Aborted', message: 'the download was aborted by the caller' });
  }
  let res: Dispatcher.ResponseData;
  try {
    // No Authorization: video URLs are on other hosts and carry their own signature.
    res = await request(url, {
      dispatcher: x.downloadDispatcher,
      method: 'GET',
      headers: { 'user-agent': x.userAgent, accept: 'video/*, application/octet-stream' },
      signal: signal ?? null,
      ...x.timeoutsFor('download'),
    });
  } catch (err) {
    const t = translateNetworkError(err, { aborted: isAborted(signal) });
    throw x.fail('download', t.cause, { code: t.code, message: `${t.message} (${describeUrl(url)})`, cause: err });
  }
  if (res.statusCode !== 200) {
    let text = '';
    try {
      text = await readLimited(res.body, 64 * 1024);
    } catch {
      // The status is what matters; an unreadable error body changes nothing.
    }
    throw x.ossError('download', { status: res.statusCode, headers: res.headers, text });
  }
  const contentType = headerValue(res.headers, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== undefined && !mediaType.startsWith('video/') && !VIDEO_LIKE.has(mediaType)) {
    discard(res.body);
    throw x.fail('download', { kind: 'unexpected-content' }, {
      code: 'UnexpectedContentType',
      message: `expected a video, got ${mediaType} (${describeUrl(url)})`,
      httpStatus: res.statusCode,
    });
  }
  const lengthHeader = headerValue(res.headers, 'content-length');
  const expected = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const { bytes, sha256 } = await streamHashed(x, res, destPath, url, signal);
  if (expected !== undefined && bytes !== expected) {
    throw x.fail('download', { kind: 'truncated' }, {
      code: 'TruncatedBody',
      message: `received ${bytes} of ${expected} bytes (${describeUrl(url)})`,
      httpStatus: res.statusCode,
    });
  }
  return { bytes, sha256, contentType };
}

/** Writes the body to destPath, hashing as it goes. */
async function streamHashed(x: Exchange, res: Dispatcher.ResponseData, destPath: string, url: string, signal: AbortSignal | undefined): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  let writeError: unknown;
  const out = createWriteStream(destPath);
  out.on('error', (e) => {
    writeError = e;
  });
  try {
    await pipeline(res.body, tap, out, ...(signal !== undefined ? [{ signal }] : []));
  } catch (err) {
    // A disk problem is not a DashScope problem: rethrow it as is (never retried here).
    if (writeError !== undefined) throw writeError;
    const t = translateNetworkError(err, { aborted: isAborted(signal), bodyStarted: true });
    throw x.fail('download', t.cause, {
      code: t.code,
      message: `${t.message} after ${bytes} bytes (${describeUrl(url)})`,
      httpStatus: res.statusCode,
      cause: err,
    });
  }
  return { bytes, sha256: hash.digest('hex') };
}
