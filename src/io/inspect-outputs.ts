// Gathers what the report and status folds need to know about the output directory: which
// videos exist (size, and sha256 where only a hash can prove the file), and which request,
// snapshot and plan files exist to link to.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DiskFacts, VideoCheck, VideoFact } from '../core/report/shot-state.js';
import { measureVideo } from './measure-video.js';
import { isSafeRelativePath } from '../core/lock/lock-model.js';

/** Hex sha256 of a file, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const LINKED_DIRS = ['plan', 'requests', 'snapshots'];
/** Poster frames live beside the videos (write-posters.ts). */
const POSTER_DIR = 'videos';

/**
 * `checks` are video paths relative to `outputDir`; `hash: true` also computes their sha256,
 * `measure: true` reads their own metadata. `verify` hashes and measures every video (status
 * `--verify`).
 */
export async function inspectOutputs(outputDir: string, checks: readonly VideoCheck[], verify = false): Promise<DiskFacts> {
  const videos = new Map<string, VideoFact>();
  for (const check of checks) {
    if (!isSafeRelativePath(check.file)) continue;
    const abs = path.join(outputDir, check.file);
    try {
      const info = await stat(abs);
      if (!info.isFile()) {
        videos.set(check.file, { exists: false });
        continue;
      }
      const fact: VideoFact = { exists: true, bytes: info.size };
      if (check.hash || verify) fact.sha256 = await hashFile(abs);
      if (check.measure || verify) {
        try {
          fact.media = await measureVideo(abs);
        } catch (error) {
          fact.mediaError = error instanceof Error ? error.message : String(error);
        }
      }
      videos.set(check.file, fact);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      videos.set(check.file, { exists: false });
    }
  }
  const files = new Set<string>();
  for (const dir of LINKED_DIRS) {
    let names: string[];
    try {
      names = await readdir(path.join(outputDir, dir));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      throw error;
    }
    for (const name of names) files.add(`${dir}/${name}`);
  }
  try {
    for (const name of await readdir(path.join(outputDir, POSTER_DIR))) if (name.endsWith('.jpg')) files.add(`${POSTER_DIR}/${name}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
  }
  return { videos, files };
}
