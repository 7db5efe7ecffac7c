// The differences that matter between what a shot asked for, what the server's usage block
// said and what the video file itself holds. Each is one line a reviewer can act on; the run
// summary prints them as warnings and the report marks the shot. Pure.
import { findModel, nearestTierForSize, tierOfSize, tiersOf } from '../catalog/lookup.js';
import type { VideoFacts } from './video-facts.js';

/** Seconds a duration may differ by before it is more than rounding (frame and AAC granularity). */
export const DURATION_TOLERANCE_S = 0.5;

export interface AskedVideo {
  model: string;
  /** `W*H` asked (t2v, r2v), else null. */
  size: string | null;
  /** The tier asked or implied by the size. */
  tier: string;
  /** Seconds asked, or null when the request leaves it to the server. */
  duration: number | null;
  /** Whether sound was asked for (null: the request does not say). */
  audio: boolean | null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The tier a measured size belongs to for this model: its size table, else the nearest tier. */
function tierOfMeasured(model: string, size: string): string | undefined {
  const entry = findModel(model);
  if (!entry) return undefined;
  return tierOfSize(entry, size) ?? nearestTierForSize(size, tiersOf(entry));
}

export function deliveredMismatches(asked: AskedVideo, usage: Record<string, unknown> | null, file: VideoFacts): string[] {
  const out: string[] = [];
  const size = `${file.width}*${file.height}`;
  const usageSize = str(usage?.['size']);
  if (asked.size && size !== asked.size) {
    out.push(`size: asked ${asked.size}, the file is ${size}${usageSize === size ? ' (as the server reported)' : ''}`);
  } else if (!asked.size) {
    const tier = tierOfMeasured(asked.model, size);
    if (tier && tier !== asked.tier) out.push(`resolution: asked ${asked.tier}, the file is ${size} (${tier})`);
  }
  if (usageSize && usageSize !== size) out.push(`size: the server reported ${usageSize}, the file is ${size}`);
  const billed = num(usage?.['duration']);
  const off = (seconds: number): boolean => Math.abs(file.duration - seconds) > DURATION_TOLERANCE_S;
  if (asked.duration !== null && off(asked.duration)) out.push(`duration: asked ${asked.duration} s, the file lasts ${file.duration} s`);
  if (billed !== undefined && billed !== asked.duration && off(billed)) out.push(`duration: billed ${billed} s, the file lasts ${file.duration} s`);
  if (asked.audio === false && file.audio) out.push('audio: asked silent (audio: false), the file has an audio track');
  if (asked.audio === true && !file.audio) out.push('audio: asked with sound (audio: true), the file has no audio track');
  return out;
}
