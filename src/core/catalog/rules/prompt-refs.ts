// r2v binding between reference images and the prompt: each `@<ref_name>` in the prompt must
// name one image and be followed by a space (the docs' rule), and every ref_name must be used.
import { closest } from '../suggest.js';

export interface RefProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint: string;
  /** The ref_name involved when the problem belongs to an image rather than to the prompt. */
  refName?: string;
}

/** Characters that end an `@token` that matches no ref_name (ASCII and CJK punctuation). */
const TOKEN_END = /[\s@,.;:!?()[\]{}"'，。；：！？、（）【】「」《》]/u;

export function checkPromptRefs(prompt: string, refNames: readonly string[]): RefProblem[] {
  const problems: RefProblem[] = [];
  const names = [...new Set(refNames)].sort((a, b) => b.length - a.length); // longest match first
  const used = new Set<string>();
  for (let p = prompt.indexOf('@'); p !== -1; p = prompt.indexOf('@', p + 1)) {
    const name = names.find((n) => prompt.startsWith(n, p + 1));
    if (name !== undefined) {
      used.add(name);
      const next = prompt[p + 1 + name.length];
      if (next !== ' ') {
        const where = next === undefined ? 'at the end of the prompt' : `followed by ${JSON.stringify(next)}`;
        problems.push({
          severity: 'error',
          code: 'ref-needs-space',
          message: `'@${name}' is ${where}; a reference must be followed by a space`,
          hint: `write '@${name} ' (with a space after it)`,
        });
      }
      continue;
    }
    let end = p + 1;
    while (end < prompt.length && !TOKEN_END.test(prompt[end]!)) end++;
    const token = prompt.slice(p + 1, end);
    if (token === '') continue;
    if (names.length === 0) {
      problems.push({
        severity: 'warning',
        code: 'ref-unbound',
        message: `'@${token}' in the prompt is not bound to an image: no media item has a ref_name`,
        hint: `add ref_name: ${token} to the image it means, or drop the '@'`,
      });
      continue;
    }
    const suggestion = closest(token, names);
    problems.push({
      severity: 'error',
      code: 'ref-unknown',
      message: `'@${token}' in the prompt matches no ref_name (ref_names: ${names.join(', ')})`,
      hint: suggestion ? `did you mean '@${suggestion} '?` : `add ref_name: ${token} to one image, or fix the reference`,
    });
  }
  for (const name of refNames) {
    if (used.has(name)) continue;
    used.add(name); // report a repeated name once; duplicates are reported separately
    problems.push({
      severity: 'error',
      code: 'ref-unused',
      message: `ref_name '${name}' is never referred to in the prompt`,
      hint: `mention it as '@${name} ' in the prompt, or remove ref_name`,
      refName: name,
    });
  }
  return problems;
}
