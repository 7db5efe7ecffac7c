// An emulator task's video as a real MP4: the H.264 stream of h264-stream.ts at the delivered
// width, height, frame rate and duration, and, only when the task has audio, an AAC-LC track of
// silence. Muxed by mediabunny (pure TypeScript), so the emulator needs no ffmpeg.
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import { annexB } from './bit-writer.js';
import { encodeH264 } from './h264-stream.js';
import { shotPicture } from './shot-picture.js';

export interface VideoSpec {
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  fps: number;
  audio: boolean;
  /** Text that differs per shot (the request body): the picture is drawn from it. */
  identity: string;
  /** Drawn in the middle (the seed). */
  label: string;
}

const SAMPLE_RATE = 48_000;
const AAC_FRAME = 1024;
/** AudioSpecificConfig: AAC-LC (2), 48 kHz (index 3), mono (1). */
const AAC_CONFIG = Uint8Array.from([0x11, 0x88]);
/**
 * One silent AAC-LC frame: a single-channel element (tag 0, global_gain 0) whose long window has
 * max_sfb 0 (no spectral data), no pulse/TNS/gain control, then the END element, byte-aligned.
 */
const AAC_SILENCE = Uint8Array.from([0x00, 0x00, 0x00, 0x07]);

export async function renderMp4(spec: VideoSpec): Promise<Buffer> {
  const stream = encodeH264(shotPicture(spec));
  const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target: new BufferTarget() });
  const video = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(video, { frameRate: spec.fps });
  const audio = spec.audio ? new EncodedAudioPacketSource('aac') : undefined;
  if (audio) output.addAudioTrack(audio);
  await output.start();

  const frames = Math.max(1, Math.round(spec.duration * spec.fps));
  const frameTime = 1 / spec.fps;
  const end = frames * frameTime;
  const audioFrameTime = AAC_FRAME / SAMPLE_RATE;
  let nextAudio = 0;
  // Interleaved by time, as a player reads them.
  const addAudioUpTo = async (t: number): Promise<void> => {
    while (audio && nextAudio < end && nextAudio <= t) {
      const duration = Math.min(audioFrameTime, end - nextAudio);
      const meta = nextAudio === 0 ? { decoderConfig: { codec: 'mp4a.40.2', sampleRate: SAMPLE_RATE, numberOfChannels: 1, description: AAC_CONFIG } } : undefined;
      await audio.add(new EncodedPacket(AAC_SILENCE, 'key', nextAudio, duration), meta);
      nextAudio += audioFrameTime;
    }
  };
  for (let n = 0; n < frames; n++) {
    const t = n * frameTime;
    await addAudioUpTo(t);
    if (n === 0) {
      const meta = { decoderConfig: { codec: stream.codec, codedWidth: spec.width, codedHeight: spec.height } };
      await video.add(new EncodedPacket(annexB([stream.sps, stream.pps, stream.idr]), 'key', 0, frameTime), meta);
    } else {
      await video.add(new EncodedPacket(annexB([stream.skipped(n)]), 'delta', t, frameTime));
    }
  }
  await addAudioUpTo(end);
  await output.finalize();
  return Buffer.from(output.target.buffer!);
}
