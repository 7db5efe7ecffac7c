// The mutable state one run's shots share beyond the ledger: which task ids are accounted for,
// which submits are on the wire, and the queue that keeps reconciliations one at a time.
export class RunState {
  /** Task ids the ledger or this run attribute to shots (reconciliation ignores them). */
  readonly knownTasks = new Set<string>();
  /** Submit POSTs on the wire per model: reconciliation waits for them to settle. */
  private readonly inFlight = new Map<string, number>();
  private readonly settleWaiters = new Map<string, Array<() => void>>();
  private reconcileTail: Promise<void> = Promise.resolve();

  submitStarted(model: string): void {
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
  }

  submitSettled(model: string): void {
    const n = (this.inFlight.get(model) ?? 1) - 1;
    this.inFlight.set(model, n);
    if (n === 0) {
      for (const w of this.settleWaiters.get(model) ?? []) w();
      this.settleWaiters.delete(model);
    }
  }

  /** Resolves when no submit of `model` is on the wire (their tasks would look unknown). */
  submitsSettled(model: string): Promise<void> {
    if ((this.inFlight.get(model) ?? 0) === 0) return Promise.resolve();
    return new Promise((r) => this.settleWaiters.set(model, [...(this.settleWaiters.get(model) ?? []), r]));
  }

  /** Runs reconciliations one at a time, so two never claim the same unknown task. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.reconcileTail.then(fn);
    this.reconcileTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
