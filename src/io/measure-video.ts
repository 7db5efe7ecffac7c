// Reads a video's own metadata (size, duration, frame rate, codecs, audio track) from its MP4
// boxes with mediabunny, a pure-TypeScript reader: no ffprobe or other program is needed.
import { ALL_FORMATS, FilePathSource, Input } from 'mediabunny';
import type { VideoFacts } from '../core/evidence/video-facts.js';

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The file's facts; throws when it is no readable media file or has no video track. */
export async function measureVideo(file: string): Promise<VideoFacts> {
  const input = new Input({ formats: ALL_FORMATS, source: new FilePathSource(file) });
  try {
    const video = await input.getPrimaryVideoTrack();
    if (!video) throw new Error('the file has no video track');
    const audio = await input.getPrimaryAudioTrack();
    const stats = await video.computePacketStats();
    return {
      width: video.displayWidth,
      height: video.displayHeight,
      duration: round(await input.computeDuration(), 3),
      fps: stats.packetCount > 1 ? round(stats.averagePacketRate, 2) : null,
      video_codec: (await video.getCodecParameterString()) ?? video.codec,
      audio: audio !== null,
      audio_codec: audio ? ((await audio.getCodecParameterString()) ?? audio.codec) : null,
    };
  } finally {
    input.dispose();
  }
}

/**
 * Length in seconds and, for a video, its display size: what the validator checks on a local
 * video or audio input (upscale, lipsync, video edit). Undefined when the file cannot be read.
 */
export async function measureMediaInput(file: string): Promise<{ seconds: number; width?: number; height?: number } | undefined> {
  const input = new Input({ formats: ALL_FORMATS, source: new FilePathSource(file) });
  try {
    const video = await input.getPrimaryVideoTrack();
    const seconds = round(await input.computeDuration(), 3);
    return video ? { seconds, width: video.displayWidth, height: video.displayHeight } : { seconds };
  } catch {
    return undefined;
  } finally {
    input.dispose();
  }
}
