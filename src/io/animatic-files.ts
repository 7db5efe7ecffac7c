// The animatic on disk: joining the clips with ffmpeg into `<run folder>/animatic.mp4` (through
// a `.part` file, so a failed join never leaves half a film under the final name) and its record,
// `animatic.json`, written after the film and read back by `status`.
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANIMATIC_RECORD, animaticArgs, type AnimaticClip, type AnimaticRecord, type AnimaticShape } from '../core/evidence/animatic.js';
import { runFfmpeg } from './ffmpeg.js';
import { hashFile } from './inspect-outputs.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Joins `clips` (paths relative to `runFolder`) into `runFolder/<file>`. */
export async function writeAnimaticVideo(ffmpeg: string, runFolder: string, file: string, clips: readonly AnimaticClip[], shape: AnimaticShape): Promise<{ sha256: string }> {
  const labels = await mkdtemp(path.join(tmpdir(), 'pixverse-animatic-'));
  const out = path.join(runFolder, file);
  const part = `${out}.part`;
  try {
    const labelFiles = await Promise.all(
      clips.map(async (c, i) => {
        const f = path.join(labels, `label-${i}.txt`);
        await writeFile(f, c.id);
        return f;
      }),
    );
    // Long batches take a while to encode: a generous limit, scaled by the film's length.
    const seconds = clips.reduce((n, c) => n + c.duration, 0);
    await runFfmpeg(ffmpeg, animaticArgs(clips, shape, clips.map((c) => path.join(runFolder, c.file)), labelFiles, part), { timeoutMs: 120_000 + seconds * 5_000 });
    await rename(part, out);
    return { sha256: await hashFile(out) };
  } finally {
    await rm(part, { force: true });
    await rm(labels, { recursive: true, force: true });
  }
}

export async function writeAnimaticRecord(runFolder: string, record: AnimaticRecord): Promise<void> {
  await writeFileAtomic(path.join(runFolder, ANIMATIC_RECORD), JSON.stringify(record, null, 2) + '\n');
}

/** The record and what is on disk at its file, or undefined when no animatic was made here. */
export async function readAnimatic(runFolder: string, hash: boolean): Promise<{ record: AnimaticRecord; file: { exists: boolean; sha256?: string } } | undefined> {
  let record: AnimaticRecord;
  try {
    record = JSON.parse(await readFile(path.join(runFolder, ANIMATIC_RECORD), 'utf8')) as AnimaticRecord;
  } catch {
    return undefined;
  }
  const abs = path.join(runFolder, path.basename(record.file));
  const exists = await stat(abs).then((s) => s.isFile(), () => false);
  return { record, file: { exists, ...(exists && hash ? { sha256: await hashFile(abs) } : {}) } };
}
