// Near-miss suggestions for names the user typed: model names, manifest keys, ref names.
// Suggestions only ever point at names that exist; nothing here invents an alias.

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
 * characters (optimal string alignment), so `sede` is one edit from `seed`. Stops early once a
 * whole row exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let curr = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      curr[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, curr] = [prev, curr, prev2];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a typo: at most a third of the
 * longer string's length (minimum 2 edits), compared case-insensitively; else the first
 * candidate that `input` (3+ characters) is the beginning of.
 */
export function closest(input: string, candidateNames: Iterable<string>): string | undefined {
  const candidates = [...candidateNames];
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const limit = Math.max(2, Math.floor(Math.max(needle.length, candidate.length) / 3));
    const d = editDistance(needle, candidate.toLowerCase(), limit);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined || needle.length < 3) return best;
  // A truncated name (`ref` for `ref_name`) is too far by edits but obviously meant.
  for (const candidate of candidates) if (candidate.toLowerCase().startsWith(needle)) return candidate;
  return undefined;
}
