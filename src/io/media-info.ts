// Facts about the local media files a manifest names: existence, real format, pixel size and
// sha256. Each distinct file is read once, however many shots use it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LocalFileInfo } from '../core/manifest/manifest-types.js';
import type { MediaFormat } from '../core/manifest/manifest-types.js';
import { kindOfFormat } from '../core/manifest/validate-media.js';
import { measureMediaInput } from './measure-video.js';
import { sniffAv, sniffImage } from './media-info-sniff.js';

/** Files larger than this are not read whole (every documented limit is far below it). */
const MAX_READ_BYTES = 64 * 1024 * 1024;
const HEADER_BYTES = 64 * 1024;

export async function readMediaInfo(manifestPath: string, absPath: string): Promise<LocalFileInfo> {
  const base = { manifestPath, absPath };
  let st;
  try {
    st = await stat(absPath);
  } catch {
    return { ...base, exists: false, isFile: false, bytes: 0 };
  }
  if (!st.isFile()) return { ...base, exists: true, isFile: false, bytes: 0 };
  try {
    if (st.size > MAX_READ_BYTES) {
      const fh = await open(absPath, 'r');
      let head: Buffer;
      try {
        const buf = Buffer.alloc(HEADER_BYTES);
        const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
        head = buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
      // Videos may be larger than an image could ever be (lipsync: 250 MB): hashed as a stream.
      const av = sniffAv(head);
      if (!av) return { ...base, exists: true, isFile: true, bytes: st.size, ...sniffImage(head) };
      return { ...base, exists: true, isFile: true, bytes: st.size, sha256: await hashStream(absPath), ...(await avFacts(absPath, av)) };
    }
    const content = await readFile(absPath);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const header = sniffImage(content);
    if (!header.format) {
      const av = sniffAv(content);
      if (av) return { ...base, exists: true, isFile: true, bytes: content.length, sha256, ...(await avFacts(absPath, av)) };
    }
    return { ...base, exists: true, isFile: true, bytes: content.length, sha256, ...header, ...(header.format ? { kind: kindOfFormat(header.format) } : {}) };
  } catch (error) {
    return { ...base, exists: true, isFile: true, bytes: st.size, readError: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/** A video or audio input's format, kind, length and (video) size, as far as the file tells. */
async function avFacts(absPath: string, format: MediaFormat): Promise<{ format: MediaFormat; kind: 'video' | 'audio'; seconds?: number; width?: number; height?: number }> {
  const kind = kindOfFormat(format) as 'video' | 'audio';
  const measured = await measureMediaInput(absPath);
  return { format, kind, ...(measured ?? {}) };
}

function hashStream(absPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(absPath)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/**
 * Reads every distinct local file once (keyed by absolute path) and returns the facts keyed by
 * the url as written in the manifest, which is how the validator and planner look them up.
 */
export async function readLocalMedia(urls: Iterable<string>, manifestDir: string, concurrency = 8): Promise<Map<string, LocalFileInfo>> {
  const byAbs = new Map<string, Promise<LocalFileInfo>>();
  const out = new Map<string, LocalFileInfo>();
  const pending: { url: string; abs: string }[] = [];
  for (const url of new Set(urls)) pending.push({ url, abs: path.resolve(manifestDir, url) });
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const { url, abs } = pending[next++]!;
      let p = byAbs.get(abs);
      if (!p) {
        p = readMediaInfo(url, abs);
        byAbs.set(abs, p);
      }
      const info = await p;
      out.set(url, info.manifestPath === url ? info : { ...info, manifestPath: url });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  return out;
}
