// The vocabulary shared by the two places that check a request against its model: the manifest
// validator (before anything is sent) and the emulator (on the wire). Both ask the same rules
// (check-request.ts) and word the answer their own way: the validator as an issue at the line
// that caused it, the emulator as a 400 or a FAILED task.

/**
 * Classes of rule violations, as the emulator answers them: by default each is a 400
 * InvalidParameter at submit (`url`: 400 InvalidURL); the classes listed in its
 * `taskFailureRules` instead create a task that later ends FAILED.
 */
export type RuleClass =
  | 'required'
  | 'type'
  | 'unknown-parameter'
  | 'size'
  | 'resolution'
  | 'duration'
  | 'media'
  | 'ref-name'
  | 'seed'
  | 'prompt'
  | 'parameter'
  | 'url';

/** Where in the request a problem is: a field (flat over input and parameters), an item, a key. */
export interface RuleAt {
  /** API field name: `size`, `media`, `img_url`, `reference_urls`, `multi_prompt`. Absent: the request. */
  field?: string;
  /** Index in a list field. */
  index?: number;
  /** Key inside a list item: `url`, `type`, `ref_name`. */
  key?: string;
}

export interface RuleProblem {
  severity: 'error' | 'warning';
  /** The validator's issue code (`size-not-in-table`). */
  code: string;
  /** The emulator's rule class. */
  klass: RuleClass;
  at: RuleAt;
  message: string;
  hint: string;
}

/**
 * A request as the rules see it: fields by their API name, flat over `input` and `parameters`
 * (no model has a name in both). The validator builds one from a shot, the emulator from a body.
 */
export interface RequestView {
  get(field: string): unknown;
}

export interface CheckContext {
  /**
   * `manifest`: a shot, whose local paths become oss:// URLs and whose value types the schema
   * has checked; `wire`: a request body as sent.
   */
  side: 'manifest' | 'wire';
  /** Rules the official pages disagree on: a warning (validator), or one reading (emulator). */
  disputes: 'warn' | 'strict' | 'lenient';
}
