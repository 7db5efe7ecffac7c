// Rate-based faults drawn from the seeded RNG; replaced at run time with setFaults.
import type { FaultEndpoint, FaultKind, FaultSpec } from './types.js';
import type { Rng } from './rng.js';

export class RateFaults {
  private specs: FaultSpec[];
  constructor(
    specs: readonly FaultSpec[],
    private readonly rng: Rng,
  ) {
    this.specs = validateFaults(specs);
  }

  set(specs: readonly FaultSpec[]): void {
    this.specs = validateFaults(specs);
  }

  /** The first fault for `endpoint` whose draw hits, if any. One draw per matching spec. */
  draw(endpoint: FaultEndpoint): FaultSpec | undefined {
    for (const spec of this.specs) {
      if (spec.endpoint !== endpoint) continue;
      if (this.rng() < spec.rate) return spec;
    }
    return undefined;
  }

  /** A coin for faults with two variants (a submit reset before or after creating the task). */
  coin(): boolean {
    return this.rng() < 0.5;
  }
}

export const FAULT_ENDPOINTS: readonly FaultEndpoint[] = ['submit', 'getTask', 'listTasks', 'download', 'upload'];
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'reset-before-create', 'reset-after-create', 'slow', 'malformed'];
const ENDPOINTS: ReadonlySet<string> = new Set(FAULT_ENDPOINTS);
const KINDS: ReadonlySet<string> = new Set(FAULT_KINDS);

function validateFaults(specs: readonly FaultSpec[]): FaultSpec[] {
  for (const s of specs) {
    if (!ENDPOINTS.has(s.endpoint)) throw new RangeError(`unknown fault endpoint '${s.endpoint}'`);
    if (!KINDS.has(s.kind)) throw new RangeError(`unknown fault kind '${s.kind}'`);
    if (!(s.rate >= 0 && s.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${s.rate}`);
  }
  return specs.map((s) => ({ ...s }));
}

/**
 * Parses the CLI form `endpoint:kind[=ms]@rate`, comma-separated, e.g.
 * `submit:429@0.1,getTask:503@0.05,download:slow=200@0.2`.
 */
export function parseFaultList(text: string): FaultSpec[] {
  const out: FaultSpec[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]+):([a-z0-9-]+)(?:=(\d+))?@([0-9.]+)$/.exec(part);
    if (!m) throw new RangeError(`bad fault '${part}': expected endpoint:kind[=ms]@rate, e.g. getTask:503@0.05`);
    const spec: FaultSpec = { endpoint: m[1] as FaultSpec['endpoint'], kind: m[2] as FaultSpec['kind'], rate: Number(m[4]) };
    if (m[3] !== undefined) spec.ms = Number(m[3]);
    out.push(spec);
  }
  return validateFaults(out);
}
