// A small seeded PRNG (mulberry32): durations and rate-based faults are reproducible per seed.

export type Rng = () => number;

/** Returns numbers in [0, 1). Distinct `stream` values give independent sequences per seed. */
export function createRng(seed: number, stream = 0): Rng {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
