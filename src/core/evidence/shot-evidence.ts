// A shot's delivered-video evidence: the file's measured metadata (from the download record, or
// measured again on disk), and the differences that matter against the ask and the usage block.
// Shared by the report and `status --verify`. Pure.
import type { ShotState, VideoFact } from '../report/shot-state.js';
import type { PlannedRequest } from '../types.js';
import { deliveredMismatches } from './compare-delivered.js';
import type { VideoFacts } from './video-facts.js';

export interface ShotEvidence {
  measured: VideoFacts | null;
  measureError: string | null;
  /** Differences that matter (empty when none, or when nothing was measured). */
  mismatches: string[];
}

const NONE: ShotEvidence = { measured: null, measureError: null, mismatches: [] };

/** `fact` is what the I/O edge read from the file now (it wins over the download record). */
export function shotEvidence(plan: PlannedRequest, s: ShotState, fact: VideoFact | undefined): ShotEvidence {
  const video = s.video;
  if (!video || (s.state !== 'current' && s.state !== 'stale')) return NONE;
  const download = video.attempt?.download;
  const measured = fact?.media ?? download?.media ?? null;
  const measureError = measured ? null : (fact?.mediaError ?? download?.mediaError ?? null);
  if (!measured) return { ...NONE, measureError };
  // Compared with the request that produced the video (a stale shot's video answered an older ask).
  const body = video.key === plan.key ? plan.body : (video.attempt?.body ?? plan.body);
  const params = body.parameters;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const mismatches = deliveredMismatches(
    {
      model: body.model,
      size: str(params['size']),
      tier: plan.tier,
      duration: typeof params['duration'] === 'number' ? params['duration'] : null,
      audio: typeof params['audio'] === 'boolean' ? params['audio'] : (plan.audio ?? null),
    },
    video.attempt?.usage ?? null,
    measured,
  );
  return { measured, measureError: null, mismatches };
}
