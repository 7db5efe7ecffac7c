// The mutable state one run's shots share beyond the ledger: which task ids are accounted for,
// which submits are on the wire, which intents have no task yet, the queues that keep a
// model's reconciliations one at a time, and each shot's outcome to come (a shot copying an
// in-run twin's video waits on it).
import type { ShotOutcome } from './events.js';
import type { OpenIntent } from './reconcile.js';

export class RunState {
  /** Task ids the ledger or this run attribute to shots (reconciliation ignores them). */
  readonly knownTasks = new Set<string>();
  /** Submit POSTs on the wire per model: reconciliation waits for them to settle. */
  private readonly inFlight = new Map<string, number>();
  private readonly settleWaiters = new Map<string, Array<() => void>>();
  private readonly reconcileTails = new Map<string, Promise<void>>();
  /**
   * Intents with no task id yet (POST on the wire, uncertain, or held), by their id: every
   * reconciliation of a model matches them all together, so no task goes to the wrong one.
   */
  private readonly intentsOpen = new Map<string, OpenIntent>();
  /** Each shot's outcome as it will be: a shot that copies an in-run twin's video waits on it. */
  private readonly outcomes = new Map<string, Promise<ShotOutcome>>();

  registerShot(shot: string, outcome: Promise<ShotOutcome>): Promise<ShotOutcome> {
    this.outcomes.set(shot, outcome);
    return outcome;
  }

  /** The outcome of a shot of this run (undefined when it is not part of the run). */
  outcomeOf(shot: string): Promise<ShotOutcome> | undefined {
    return this.outcomes.get(shot);
  }

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

  /** Records an open intent (or updates it: a POST sent again, a POST settled uncertain). */
  openIntent(i: OpenIntent): void {
    this.intentsOpen.set(i.id, i);
  }

  /** The intent got its task, or provably created none. */
  closeIntent(id: string): void {
    this.intentsOpen.delete(id);
  }

  openIntents(): OpenIntent[] {
    return [...this.intentsOpen.values()];
  }

  /** Runs the reconciliations of one model one at a time, so two never claim the same task. */
  exclusive<T>(model: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.reconcileTails.get(model) ?? Promise.resolve()).then(fn);
    this.reconcileTails.set(
      model,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    return run;
  }
}
