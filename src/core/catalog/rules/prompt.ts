// Prompt and negative prompt: required or not, and what the service does with a longer one
// (cuts it: a warning; refuses it: an error).
import type { ModelEntry, PromptRule } from '../model-entry.js';
import type { RequestView } from './problems.js';
import type { Problems } from './report.js';

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;

/** Length as the docs count it: code points; where CJK characters count double, they do. */
export function promptLength(text: string, rule: Pick<PromptRule, 'maxChars' | 'maxCjkChars'>): number {
  if (text.length <= Math.min(rule.maxChars, rule.maxCjkChars ?? rule.maxChars) / 2) return text.length; // cheap upper bound
  let n = 0;
  const weight = rule.maxCjkChars ? rule.maxChars / rule.maxCjkChars : 1;
  for (const ch of text) n += weight !== 1 && CJK.test(ch) ? weight : 1;
  return n;
}

export function checkPrompt(model: ModelEntry, view: RequestView, p: Problems): void {
  const rule = model.prompt;
  const prompt = view.get('prompt');
  if (rule.none) {
    if (prompt !== undefined) p.notTaken('prompt', `${model.name} takes no prompt`, 'remove prompt');
  } else if (prompt === undefined || prompt === null || (typeof prompt === 'string' && prompt.trim() === '')) {
    if (rule.required) {
      p.error(
        'prompt-missing',
        'required',
        prompt === undefined || p.wire ? {} : { field: 'prompt' },
        p.wire ? `Required parameter "input.prompt" missing for model ${model.name}.` : `${model.name} needs a prompt`,
        'add prompt: <what happens in the shot>',
      );
    }
  } else if (typeof prompt !== 'string') {
    p.wrongType({ field: 'prompt' }, 'Field "input.prompt" must be a string.', 'quote the prompt');
  } else {
    checkLength('prompt', prompt, rule, model, p);
  }

  const negative = view.get('negative_prompt');
  if (negative === undefined) return;
  if (!model.negativePrompt) {
    p.notTaken('negative_prompt', `${model.name} does not take negative_prompt`, model.unsupportedHints?.['negative_prompt'] ?? 'remove negative_prompt, or say what to avoid in the prompt');
    return;
  }
  if (typeof negative !== 'string') p.wrongType({ field: 'negative_prompt' }, 'Field "input.negative_prompt" must be a string.');
  else checkLength('negative_prompt', negative, model.negativePrompt, model, p);
}

function checkLength(field: 'prompt' | 'negative_prompt', text: string, rule: Pick<PromptRule, 'maxChars' | 'maxCjkChars' | 'overLength'>, model: ModelEntry, p: Problems): void {
  // The cheap UTF-16 length is an upper bound of the code point count.
  if (text.length <= rule.maxChars && !rule.maxCjkChars) return;
  const length = promptLength(text, rule);
  if (length <= rule.maxChars) return;
  const chars = [...text].length;
  const limit = rule.maxCjkChars ? `${rule.maxChars} characters (${rule.maxCjkChars} Chinese characters)` : `${rule.maxChars}`;
  const counted = rule.maxCjkChars && length !== chars ? `${chars} characters (${length} counting Chinese characters double)` : `${chars} characters`;
  if (rule.overLength === 'refused') {
    p.error(
      field === 'prompt' ? 'prompt-too-long' : 'negative-prompt-too-long',
      'prompt',
      { field },
      p.wire ? `Field "input.${field}" is too long for model ${model.name}: ${chars} characters, at most ${limit}.` : `${field} is ${counted}; ${model.name} refuses more than ${limit}`,
      `shorten ${field === 'prompt' ? 'the prompt' : 'negative_prompt'} to ${limit}`,
    );
    return;
  }
  if (p.wire) {
    p.warn('prompt-truncated', 'prompt', { field }, `${field} truncated from ${chars} to ${rule.maxChars} characters`, '');
  } else if (field === 'prompt') {
    p.warn('prompt-truncated', 'prompt', { field }, `prompt is ${counted}; ${model.name} reads at most ${limit} and the server silently truncates the rest`, `shorten the prompt to ${limit} characters`);
  } else {
    p.warn('negative-prompt-too-long', 'prompt', { field }, `negative_prompt is ${counted}; ${model.name} documents at most ${limit}`, `shorten it to ${limit} characters`);
  }
}
