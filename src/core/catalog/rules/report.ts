// A small collector the rule modules write to: one problem per call, worded once for both sides.
import type { CheckContext, RuleAt, RuleClass, RuleProblem } from './problems.js';

export class Problems {
  readonly list: RuleProblem[] = [];
  constructor(readonly ctx: CheckContext) {}

  get wire(): boolean {
    return this.ctx.side === 'wire';
  }

  error(code: string, klass: RuleClass, at: RuleAt, message: string, hint: string): void {
    this.list.push({ severity: 'error', code, klass, at, message, hint });
  }

  warn(code: string, klass: RuleClass, at: RuleAt, message: string, hint: string): void {
    this.list.push({ severity: 'warning', code, klass, at, message, hint });
  }

  /**
   * A field the model does not take. On the wire that is an unknown key, which the emulator
   * reports itself (where it knows input from parameters); a shot gets the hint.
   */
  notTaken(field: string, message: string, hint: string, code = 'field-not-supported', at: RuleAt = { field }): void {
    if (!this.wire) this.error(code, 'unknown-parameter', at, message, hint);
  }

  /** A value of the wrong JSON type: the wire's problem; on a shot the schema has said it. */
  wrongType(at: RuleAt, message: string, hint = 'fix the value'): void {
    if (this.wire) this.error('wrong-type', 'type', at, message, hint);
  }
}

/** "5, 8 or 10". */
export function orList(values: readonly (string | number)[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
