// A streaming multipart/form-data body for the OSS upload POST (spec §1 step 2). Written by hand
// rather than with FormData so that (a) the field order is exactly the documented one with the
// file LAST, and (b) the file is streamed from disk with a known Content-Length, never buffered.
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  /** Form field name; OSS wants `file`. */
  field: string;
  fileName: string;
  contentType: string;
  path: string;
  size: number;
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /** A fresh iterable per call: each upload attempt re-reads the file. */
  stream(): AsyncIterable<Uint8Array>;
}

/** `fields` are sent in the given order, then the file. */
export function buildMultipart(fields: ReadonlyArray<readonly [string, string]>, file: MultipartFile): MultipartBody {
  const boundary = `----pixverse-batch-${randomBytes(16).toString('hex')}`;
  const head = fields
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`)
    .join('');
  const fileHead =
    `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\n` +
    `Content-Type: ${file.contentType}\r\n\r\n`;
  const pre = Buffer.from(head + fileHead, 'utf8');
  const post = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: pre.length + file.size + post.length,
    stream: async function* () {
      yield pre;
      for await (const chunk of createReadStream(file.path)) yield chunk as Buffer;
      yield post;
    },
  };
}

/** Quote a header parameter value: escape `"` and `\`, drop line breaks (they would end the header). */
function quote(s: string): string {
  return s.replace(/[\r\n]/g, ' ').replace(/["\\]/g, (c) => `\\${c}`);
}

const MIME_BY_EXT: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  bmp: 'image/bmp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

/** The `x-oss-content-type` guess the SDK sends (by extension). */
export function guessMimeType(fileName: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return (ext !== undefined ? MIME_BY_EXT[ext] : undefined) ?? 'application/octet-stream';
}
