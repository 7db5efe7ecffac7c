// Counting semaphore with FIFO waiters: a quota family's running-task slots. A slot is held from
// just before the submit until the task is seen in a final state.

import { abortError } from './clock.js';

export type Release = () => void;

export class Semaphore {
  private used = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be >= 1, got ${capacity}`);
  }

  get inUse(): number {
    return this.used;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.used < this.capacity && this.waiters.length === 0) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.used++;
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /**
   * Takes a slot even over capacity: for tasks that already exist on the server (re-attached on
   * resume). They count against the cap, so new submits wait until the total is below it.
   */
  forceAcquire(): Release {
    this.used++;
    return this.releaser();
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.used--;
      while (this.used < this.capacity && this.waiters.length > 0) this.waiters.shift()!.grant();
    };
  }
}
