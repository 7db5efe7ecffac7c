// What a video file says about itself, read from its MP4 boxes (src/io/measure-video.ts): the
// evidence of what was delivered, beside what was asked and what the server's usage block said.

export interface VideoFacts {
  /** Display size in pixels. */
  width: number;
  height: number;
  /** Seconds, to the millisecond: the longest track's end. */
  duration: number;
  /** Frames per second of the video track (its packet rate), to two decimals. */
  fps: number | null;
  /** The video track's codec string (`avc1.64001F`, `hvc1…`), or its short name. */
  video_codec: string | null;
  /** Whether the file has an audio track. */
  audio: boolean;
  audio_codec: string | null;
}

/** `1280*720 · 4 s · 24 fps · avc1.42c01f · no audio`. */
export function describeFacts(m: VideoFacts): string {
  const parts = [`${m.width}*${m.height}`, `${m.duration} s`];
  if (m.fps !== null) parts.push(`${m.fps} fps`);
  if (m.video_codec) parts.push(m.video_codec);
  parts.push(m.audio ? `audio${m.audio_codec ? ` (${m.audio_codec})` : ''}` : 'no audio');
  return parts.join(' · ');
}
