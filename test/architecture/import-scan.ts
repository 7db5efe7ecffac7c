// Reads a TypeScript source the way the layer rule needs it: the module specifiers it imports
// (static, re-exports, `import type`, dynamic `import('…')`, type positions `import('…').T`) and
// its code with comments and string contents blanked (to look for effects such as `Date.now`).
// A small lexer, not a parser: it knows comments, the three kinds of string literals (template
// substitutions included) and regular-expression literals, which is all it takes not to read an
// import out of a comment or a string, or a comment out of a regex.

export interface ScannedSource {
  /** Specifiers in source order, as written (`../core/types.js`, `node:fs`, `undici`). */
  imports: Array<{ specifier: string; names: string[] }>;
  /** The code with comments removed and every string/regex body replaced by spaces. */
  code: string;
}

/** Characters after which a `/` starts a regex literal rather than a division. */
const BEFORE_REGEX = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const KEYWORDS_BEFORE_REGEX = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * Splits `text` into code (comments dropped) and literal bodies. Returns the code with literals
 * kept (`withStrings`) and with their bodies blanked (`blanked`); both keep line structure.
 */
export function stripComments(text: string): { withStrings: string; blanked: string } {
  let withStrings = '';
  let blanked = '';
  const emit = (s: string, literal: boolean): void => {
    withStrings += s;
    blanked += literal ? s.replace(/[^\n]/g, ' ') : s;
  };
  // Template literals nest through `${ … }`: a stack of brace depths, one per open substitution.
  const templateDepths: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const lastSignificant = (): string => {
    const m = /(\S)\s*$/.exec(withStrings);
    return m ? m[1]! : '';
  };
  const readString = (quote: string): void => {
    let j = i + 1;
    while (j < text.length && text[j] !== quote && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    emit(quote, false);
    emit(text.slice(i + 1, j), true);
    if (j < text.length && text[j] === quote) emit(quote, false);
    i = j + 1;
  };
  // Reads template text from i (just after a backtick or a closing `}`) to the next backtick or `${`.
  const readTemplateText = (): void => {
    let j = i;
    while (j < text.length && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
    emit(text.slice(i, j), true);
    if (text[j] === '`') {
      emit('`', false);
      i = j + 1;
    } else {
      emit('${', false);
      templateDepths.push(braceDepth);
      braceDepth++;
      i = j + 2;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const comment = text.slice(i, end === -1 ? text.length : end + 2);
      emit(comment.replace(/[^\n]/g, ''), false);
      i = end === -1 ? text.length : end + 2;
    } else if (c === "'" || c === '"') {
      readString(c);
    } else if (c === '`') {
      emit('`', false);
      i++;
      readTemplateText();
    } else if (c === '/' && (BEFORE_REGEX.has(lastSignificant()) || KEYWORDS_BEFORE_REGEX.test(withStrings.trimEnd()))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n' && (inClass || text[j] !== '/')) {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        j++;
      }
      emit('/', false);
      emit(text.slice(i + 1, j), true);
      emit('/', false);
      i = j + 1;
    } else if (c === '{') {
      braceDepth++;
      emit(c, false);
      i++;
    } else if (c === '}') {
      braceDepth--;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        emit('}', false);
        i++;
        readTemplateText();
      } else {
        emit(c, false);
        i++;
      }
    } else {
      emit(c, false);
      i++;
    }
  }
  return { withStrings, blanked };
}

// Matched on the blanked code (so nothing inside a comment, string, template or regex counts);
// the specifier is then read from the same place of the code with its strings kept.
const STATIC_IMPORT =
  /(?:^|[;\n])\s*(?:import|export)\s+(?:type\s+)?((?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*\s+as\s+[\w$]+|\*|[\w$]+))\s+from\s+['"]([^'"\n]+)['"]/dg;
const SIDE_EFFECT_IMPORT = /(?:^|[;\n])\s*import\s+['"]([^'"\n]+)['"]/dg;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*['"]([^'"\n]+)['"]\s*\)/dg;

/** The names a clause binds: `{ a, type b as c }` → a, b; `x, { y }` → default, y; `* as ns` → *. */
function clauseNames(clause: string): string[] {
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(clause);
  if (braces) {
    for (const part of braces[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
      if (name) names.push(name);
    }
  }
  const head = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
  if (head.startsWith('*')) names.push('*');
  else if (head) names.push('default');
  return names;
}

export function scanSource(text: string): ScannedSource {
  const { withStrings, blanked } = stripComments(text);
  const found: Array<{ at: number; specifier: string; names: string[] }> = [];
  const specifierOf = (m: RegExpExecArray, group: number): string => {
    const [start, end] = m.indices![group]!;
    return withStrings.slice(start, end);
  };
  for (const m of blanked.matchAll(STATIC_IMPORT)) found.push({ at: m.index, specifier: specifierOf(m, 2), names: clauseNames(m[1]!) });
  for (const m of blanked.matchAll(SIDE_EFFECT_IMPORT)) found.push({ at: m.index, specifier: specifierOf(m, 1), names: [] });
  for (const m of blanked.matchAll(DYNAMIC_IMPORT)) found.push({ at: m.index, specifier: specifierOf(m, 1), names: ['*'] });
  found.sort((a, b) => a.at - b.at);
  return { imports: found.map(({ specifier, names }) => ({ specifier, names })), code: blanked };
}
