// Poster frames for the contact sheet: one JPEG per video, kept beside it (`videos/<shot>.jpg`),
// taken with ffmpeg a little after the start (the first frame of a render is often a fade from
// black) and scaled to a tile's width. Made again when the video is newer than its poster.
// Without ffmpeg nothing is written and the contact sheet shows the browser's own frame.
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { POSTER_OFFSET_S, posterPathOf } from '../core/evidence/poster-path.js';
import { FfmpegMissingError, runFfmpeg } from './ffmpeg.js';

const POSTER_WIDTH = 480;

export interface PosterResult {
  written: number;
  /** True when ffmpeg could not be run: no poster was made. */
  ffmpegMissing: boolean;
  failures: string[];
}

async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Makes the missing or outdated posters of `videos` (paths relative to `outputDir`). */
export async function writePosters(outputDir: string, videos: readonly string[], ffmpeg: string): Promise<PosterResult> {
  const result: PosterResult = { written: 0, ffmpegMissing: false, failures: [] };
  const queue = [...videos];
  // A few ffmpeg processes at once: the first report of a long batch makes hundreds.
  const worker = async (): Promise<void> => {
    for (let rel = queue.shift(); rel !== undefined && !result.ffmpegMissing; rel = queue.shift()) await writePoster(outputDir, rel, ffmpeg, result);
  };
  await Promise.all(Array.from({ length: POSTER_JOBS }, worker));
  return result;
}

const POSTER_JOBS = 3;

async function writePoster(outputDir: string, rel: string, ffmpeg: string, result: PosterResult): Promise<void> {
  const video = path.join(outputDir, rel);
  const poster = path.join(outputDir, posterPathOf(rel));
  const videoTime = await mtimeOf(video);
  if (videoTime === undefined) return;
  const posterTime = await mtimeOf(poster);
  if (posterTime !== undefined && posterTime >= videoTime) return;
  const part = `${poster}.part`;
  try {
    await grabFrame(ffmpeg, video, part);
    await rename(part, poster);
    result.written++;
  } catch (e) {
    await rm(part, { force: true });
    if (e instanceof FfmpegMissingError) result.ffmpegMissing = true;
    else result.failures.push(`${rel}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function grabFrame(ffmpeg: string, video: string, out: string): Promise<void> {
  const args = (offset: number) => ['-y', '-ss', String(offset), '-i', video, '-frames:v', '1', '-vf', `scale='min(${POSTER_WIDTH},iw)':-2`, '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', out];
  await runFfmpeg(ffmpeg, args(POSTER_OFFSET_S), { timeoutMs: 60_000 });
  // A video shorter than the offset gives no frame there: take its first one.
  if (((await stat(out).catch(() => undefined))?.size ?? 0) === 0) await runFfmpeg(ffmpeg, args(0), { timeoutMs: 60_000 });
}
