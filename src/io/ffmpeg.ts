// Running ffmpeg, an optional external program: poster frames (write-posters.ts) and animatics.
// `PIXVERSE_FFMPEG` names the binary (default `ffmpeg` on PATH); a missing one is a
// FfmpegMissingError, which callers turn into a fallback (posters) or an install hint (animatic).
import { spawn } from 'node:child_process';

export const FFMPEG_INSTALL_HINT =
  'install ffmpeg: Debian/Ubuntu `sudo apt-get install ffmpeg`, macOS `brew install ffmpeg`, Windows `winget install ffmpeg` (or set PIXVERSE_FFMPEG to its path)';

export class FfmpegMissingError extends Error {
  constructor(readonly binary: string) {
    super(`ffmpeg was not found (${binary})`);
    this.name = 'FfmpegMissingError';
  }
}

/** The ffmpeg to run: `PIXVERSE_FFMPEG`, else `ffmpeg` on PATH. */
export function ffmpegBinary(env: Readonly<Record<string, string | undefined>>): string {
  return env['PIXVERSE_FFMPEG'] || 'ffmpeg';
}

/** Runs ffmpeg to completion; rejects with its last stderr lines on a non-zero exit. */
export function runFfmpeg(binary: string, args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-hide_banner', '-nostdin', '-v', 'error', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' || e.code === 'EACCES' ? new FfmpegMissingError(binary) : e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const last = stderr.trim().split('\n').slice(-3).join(' / ');
      reject(new Error(`ffmpeg ${signal ? `was killed (${signal})` : `exited ${code}`}${last ? `: ${last}` : ''}`));
    });
  });
}

/** The version line of `binary`, or undefined when it cannot be run. */
export function ffmpegVersion(binary: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? out.split('\n')[0] : undefined));
  });
}
