// Collects the issues of one expanded shot, placing each at the pointer of the value involved.
import type { Issue, Severity } from '../types.js';
import type { ExpandedShot } from './manifest-types.js';

export class ShotReport {
  readonly #shot: ExpandedShot;
  readonly #out: Issue[];

  constructor(shot: ExpandedShot, out: Issue[]) {
    this.#shot = shot;
    this.#out = out;
  }

  /** Pointer of a field's value (from the shot, its sweep, or defaults), else of the shot. */
  pointerOf(field?: string): string {
    return (field && this.#shot.origin.fields[field]) || this.#shot.origin.pointer;
  }

  add(severity: Severity, code: string, pointer: string, message: string, hint?: string): void {
    this.#out.push({ severity, code, message, ...(hint ? { hint } : {}), shot: this.#shot.shot.id, pointer });
  }

  error(code: string, field: string | undefined, message: string, hint?: string): void {
    this.add('error', code, this.pointerOf(field), message, hint);
  }

  warn(code: string, field: string | undefined, message: string, hint?: string): void {
    this.add('warning', code, this.pointerOf(field), message, hint);
  }
}
