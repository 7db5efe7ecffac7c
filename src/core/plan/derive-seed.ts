// When a shot has no seed, the planner pins one derived from the shot id, so the request body
// (and therefore the shot key) is fully determined by the manifest and a re-plan is identical.
// Renaming a shot changes its derived seed; write `seed:` to keep a take across renames.
import { createHash } from 'node:crypto';

/** First 31 bits of sha256(id): always within DashScope's 0–2147483647. */
export function deriveSeed(shotId: string): number {
  const digest = createHash('sha256').update(shotId, 'utf8').digest();
  return digest.readUInt32BE(0) >>> 1;
}
