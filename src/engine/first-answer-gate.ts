// The first submit of a quota family goes alone. Until the server has answered one of them, it
// is not known whether it accepts the key, the model or the account at all: if it refuses them
// (401 InvalidApiKey, 403 AccessDenied…) the run stops with one submit on the wire, not with the
// whole first wave of the family. Once an answer proved the way open, submits go concurrently.
import { abortError } from './clock.js';

/** Ends a shot's turn: `proven` when the server gave an answer that opens the way for all. */
export type SettleTurn = (proven: boolean) => void;

export class FirstAnswerGate {
  private proven = false;
  private turn: Promise<void> | undefined;
  private endTurn: (() => void) | undefined;

  /**
   * Resolves when this shot may POST: at once when the way is proven open, else when it is this
   * shot's turn to try alone. The returned function must be called once the POST has an outcome
   * (it does nothing when the way was already open).
   */
  async enter(signal: AbortSignal): Promise<SettleTurn> {
    while (!this.proven) {
      if (!this.turn) {
        let end!: () => void;
        this.turn = new Promise<void>((r) => (end = r));
        this.endTurn = end;
        let settled = false;
        return (proven) => {
          if (settled) return;
          settled = true;
          if (proven) this.proven = true;
          this.turn = undefined;
          this.endTurn = undefined;
          end();
        };
      }
      await waitOrAbort(this.turn, signal);
    }
    return () => undefined;
  }
}

function waitOrAbort(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
