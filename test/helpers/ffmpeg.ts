// Debian's ffmpeg in tests that check real pictures: a missing ffmpeg skips the test with the
// reason, except in CI, where .ci/run installs it and its absence fails the test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

function inCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export async function hasFfmpeg(): Promise<boolean> {
  try {
    await run('ffmpeg', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/** True when ffmpeg can be run; otherwise marks the test skipped (or throws in CI). */
export async function ffmpegOrSkip(t: { skip(message?: string): void }): Promise<boolean> {
  if (await hasFfmpeg()) return true;
  if (inCi()) throw new Error('ffmpeg is not installed but CI is set: .ci/run must apt-get install ffmpeg');
  t.skip('ffmpeg not installed (apt-get install -y --no-install-recommends ffmpeg); pictures were not decoded');
  return false;
}

/** The first `frames` frames of a video (or a raw H.264 stream) as planar YUV 4:2:0 bytes. */
export async function decodeYuv(file: string, frames: number): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
