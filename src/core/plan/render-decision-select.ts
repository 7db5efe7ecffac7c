// `--only`: which shots a run or plan covers. Pure. Selectors are shot ids or globs on the
// expanded ids (`*` any run of characters, `?` one character), comma-separated or repeated:
// `--only hero@*` selects every sweep variant of `hero`.

export interface Selection<T> {
  selected: T[];
  /** Selectors that matched no shot (a typo the user should hear about). */
  unmatched: string[];
}

/**
 * Written here rather than taken from a glob library (picomatch, minimatch): those match file
 * paths, where `/`, `{a,b}` and `@(…)` have meanings, and shot ids (`hero@seed=2,size=720x1280`)
 * carry `@` and `,` literally; `*` and `?` are all a selector needs.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Splits `a,b` and repeated flags into selectors; a glob's own commas (sweep ids) are kept when the whole value matches an id. */
export function parseSelectors(values: readonly string[], ids: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (ids.has(v)) out.push(v);
    else out.push(...v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }
  return out;
}

export function selectShots<T>(items: readonly T[], idOf: (t: T) => string, selectors: readonly string[]): Selection<T> {
  if (selectors.length === 0) return { selected: [...items], unmatched: [] };
  const patterns = selectors.map((s) => ({ s, re: globToRegExp(s), hit: false }));
  const selected = items.filter((t) => {
    const id = idOf(t);
    let any = false;
    for (const p of patterns) {
      if (p.s === id || p.re.test(id)) {
        p.hit = true;
        any = true;
      }
    }
    return any;
  });
  return { selected, unmatched: patterns.filter((p) => !p.hit).map((p) => p.s) };
}
